"""PDFs of issued documents: 請求書, 適格返還請求書, 領収書 and the お支払いのお願い / 督促状 letter.

Data in (a frozen `DocumentSnapshot`), bytes out; the caller chooses the file name (`file_name` suggests one
with the 電子帳簿保存法 search keys: date, counterparty, amount). A4 portrait, the bundled IPAexGothic only
(embedded subset, so text can be searched and copied), and byte-identical output for the same snapshot.

What each kind prints, field by field:

- invoice: `number` 請求書番号, `issue_date` 発行日, `transaction_date` 取引年月日 (or the period
  `period_start`〜`period_end`), `due_date` お支払期限, `subject` 件名, the lines (reduced-rate lines marked ※),
  the per-rate summary from `totals` (対象額 and 消費税 per rate), `out_of_scope_notice`, the issuer's bank
  account (振込先) and `notes`. Together with the issuer's name and 登録番号 and the recipient's name these are
  the six items of a 適格請求書.
- credit_note (適格返還請求書): the same frame; 返還年月日 is `transaction_date` (else the period, else
  `issue_date`), 元請求書番号 `original_number`, 元の取引年月日 `original_issue_date`. Refund lines may be stored
  negative (a negated copy of the invoice) or positive: when the document's total is negative every amount is
  printed as its magnitude, since the title already says it is a refund.
- receipt (領収書): the amount received is `amount` (else the total of the lines), 但し書き is `subject`,
  領収日 is `issue_date`, 対象請求書番号 `original_number`; with lines, a per-rate breakdown is printed too.
- dunning: the letter's title is 督促状 when `subject` == "督促状", else お支払いのお願い (any other `subject` is
  printed as the invoice's 件名). Convention for its dates, as in every other kind `due_date` is the date the
  reader must pay by:
    `original_number`, `original_issue_date`  the unpaid invoice and its date,
    `amount`                                  the amount still outstanding,
    `due_date`                                the NEW payment deadline asked for in this letter,
    `transaction_date`                        the invoice's original due date, which has passed (optional;
                                              without it the letter only says the deadline has passed),
    `issue_date`                              the date of the letter.

A cancelled document (`cancelled_reason`) gets a red diagonal 取消 stamp on every page and the reason under
its title. Pages are numbered "1 / 2" per document, also in `render_many`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from io import BytesIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from tama_desk.documents.layout import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Block,
    MeasuringPen,
    Pen,
    format_date_ja,
    format_period_ja,
    format_yen,
    format_yen_box,
    new_canvas,
    paginate,
)
from tama_desk.domain.invoice import DocumentSnapshot, Issuer, Recipient
from tama_desk.domain.tax import SUMMARY_LABELS

__all__ = ["render", "render_many", "file_name", "format_date_ja"]

LEFT = 15.0
RIGHT = 195.0
MIDDLE = PAGE_WIDTH / 2
RIGHT_COLUMN = 121.0  # the issuer and meta block
LEFT_COLUMN_END = 106.0  # the recipient block
BOTTOM = 279.0  # nothing but the footer below this line
CONTINUATION_TOP = 27.0

TEXT_GRAY = (0.33, 0.33, 0.33)
RULE_GRAY = (0.55, 0.55, 0.55)
SHADE = (0.915, 0.925, 0.94)
SHADE_DARK = (0.84, 0.86, 0.89)
RED = (0.82, 0.08, 0.08)

TAX_COLUMN = {"standard_10": "10%", "reduced_8": "8%※", "exempt": "非課税", "out_of_scope": "不課税"}
TAXED = ("standard_10", "reduced_8")
MIN_TABLE_ROWS = 8  # a one-page invoice shows at least this many ruled rows, as printed forms do
MAX_FILE_NAME_PART = 60

BANK_FEE_NOTE = "※お振込手数料は{payer}ご負担くださいますようお願いいたします。"
REDUCED_NOTE = "※は軽減税率（8%）対象"

ProgressCallback = Callable[[int, int], object]


# --- public ------------------------------------------------------------------------------------------


def render(snapshot: DocumentSnapshot, cancelled_reason: str | None = None) -> bytes:
    """One document as a PDF (A4 portrait, pages numbered "1 / n")."""
    _check_kind(snapshot)
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    canvas.setTitle(f"{_title(snapshot)} {snapshot.number}")
    canvas.setAuthor(snapshot.issuer.name)
    canvas.setSubject(f"{snapshot.recipient.name} {snapshot.recipient.honorific}".strip())
    canvas.setKeywords([snapshot.number, snapshot.issue_date.isoformat(), snapshot.recipient.name,
                        str(_headline_amount(snapshot))])
    canvas.setCreator("TAMA Desk")
    _draw_document(canvas, pen, snapshot, cancelled_reason)
    canvas.save()
    return buffer.getvalue()


def render_many(
    snapshots: Sequence[tuple[DocumentSnapshot, str | None]], progress: ProgressCallback | None = None
) -> bytes:
    """Several documents in one PDF for printing: each starts on a new page and has its own page numbers and
    a bookmark. `snapshots` holds (snapshot, cancelled_reason) pairs; `progress(done, total)` is called after
    each document and may raise to stop."""
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    total = len(snapshots)
    canvas.setTitle(f"印刷用 {total}件")
    if snapshots:
        canvas.setAuthor(snapshots[0][0].issuer.name)
    canvas.setCreator("TAMA Desk")
    for index, (snapshot, reason) in enumerate(snapshots):
        key = f"doc{index + 1}"
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(f"{snapshot.number} {snapshot.recipient.name}", key, level=0)
        _draw_document(canvas, pen, snapshot, reason)
        if progress is not None:
            progress(index + 1, total)
    canvas.save()
    return buffer.getvalue()


def file_name(snapshot: DocumentSnapshot) -> str:
    """`20260401_株式会社サンプル_70000.pdf`: date, counterparty and amount (電子帳簿保存法 search keys), with
    characters Windows does not allow in file names replaced by "_" and the name kept short."""
    name = _UNSAFE_FILE_CHARS.sub("_", snapshot.recipient.name)
    name = re.sub(r"\s+", " ", name).strip(" .")[:MAX_FILE_NAME_PART].strip(" .") or "_"
    return f"{snapshot.issue_date:%Y%m%d}_{name}_{_headline_amount(snapshot)}.pdf"


_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


# --- one document ------------------------------------------------------------------------------------


def _check_kind(snapshot: DocumentSnapshot) -> None:
    if snapshot.kind not in _BUILDERS:
        raise ValueError(f"unknown document kind: {snapshot.kind}")


def _title(snapshot: DocumentSnapshot) -> str:
    if snapshot.kind == "dunning" and snapshot.subject.strip() == "督促状":
        return "督促状"
    return snapshot.title


def _sign(snapshot: DocumentSnapshot) -> int:
    """Credit notes print magnitudes when stored as negative amounts (see the module docstring)."""
    return -1 if snapshot.kind == "credit_note" and snapshot.total < 0 else 1


def _headline_amount(snapshot: DocumentSnapshot) -> int:
    """The boxed amount: the total, the amount received (receipt) or the amount outstanding (dunning)."""
    if snapshot.kind in ("receipt", "dunning") and snapshot.amount is not None:
        return snapshot.amount
    return snapshot.total * _sign(snapshot)


def _draw_document(canvas: Canvas, pen: Pen, snapshot: DocumentSnapshot, cancelled_reason: str | None) -> None:
    _check_kind(snapshot)
    first_page, first_top, blocks = _BUILDERS[snapshot.kind](pen, snapshot, cancelled_reason)
    pages = paginate(blocks, first_top, CONTINUATION_TOP, BOTTOM)
    if len(pages) > 1 and any(block.filler for block in blocks):
        blocks = [block for block in blocks if not block.filler]
        pages = paginate(blocks, first_top, CONTINUATION_TOP, BOTTOM)
    count = len(pages)
    for number, page in enumerate(pages, start=1):
        pen.reset()
        if number == 1:
            first_page(pen)
        else:
            _continuation_header(pen, snapshot)
        for block, top in page.entries:
            block.draw(pen, top)
        _footer(pen, snapshot, number, count)
        if cancelled_reason is not None:
            _cancel_stamp(pen)
        canvas.showPage()
    pen.reset()


def _continuation_header(pen: Pen, snapshot: DocumentSnapshot) -> None:
    pen.text(LEFT, 15, f"{_title(snapshot)}（続き）", size=11, bold=True)
    recipient = f"{snapshot.recipient.name} {snapshot.recipient.honorific}".strip()
    pen.text(LEFT, 20.5, recipient, size=8.5, color=TEXT_GRAY)
    pen.text(RIGHT, 15, f"{_number_label(snapshot)}  {snapshot.number}", size=8.5, align="right")
    pen.text(RIGHT, 20.5, f"発行日  {format_date_ja(snapshot.issue_date)}", size=8.5, align="right",
             color=TEXT_GRAY)
    pen.line(LEFT, 22.8, RIGHT, 22.8, width=0.6)


def _footer(pen: Pen, snapshot: DocumentSnapshot, number: int, count: int) -> None:
    pen.text(MIDDLE, 289, f"{number} / {count}", size=8, align="center", color=TEXT_GRAY)
    pen.text(RIGHT, 289, snapshot.number, size=7, align="right", color=TEXT_GRAY)


def _cancel_stamp(pen: Pen) -> None:
    """A red 取消 stamp across the middle of the page; the text under it stays readable."""
    canvas = pen.canvas
    canvas.saveState()
    canvas.setFillAlpha(0.28)
    canvas.setStrokeAlpha(0.45)
    canvas.translate(MIDDLE * mm, (PAGE_HEIGHT / 2 + 10) * mm)
    canvas.rotate(32)
    canvas.setStrokeColorRGB(*RED)
    canvas.setFillColorRGB(*RED)
    canvas.setLineWidth(4)
    canvas.roundRect(-62 * mm, -24 * mm, 124 * mm, 50 * mm, 6 * mm, stroke=1, fill=0)
    canvas.setFont(pen.font, 110)
    canvas.drawCentredString(0, -13 * mm, "取消")
    canvas.restoreState()
    pen.reset()


def _number_label(snapshot: DocumentSnapshot) -> str:
    return {"invoice": "請求書番号", "credit_note": "返還請求書番号", "receipt": "領収書番号",
            "dunning": "文書番号", "estimate": "見積番号"}[snapshot.kind]


# --- shared pieces of the first page ------------------------------------------------------------------


def _title_block(pen: Pen, title: str, y: float, cancelled_reason: str | None) -> None:
    size = 20
    pen.text(MIDDLE, y, title, size=size, align="center", bold=True, char_space=6)
    half = (pen.width(title, size) + 6 * (len(title) - 1) / mm) / 2 + 8
    pen.line(MIDDLE - half, y + 2.6, MIDDLE + half, y + 2.6, width=0.8)
    pen.line(MIDDLE - half, y + 3.4, MIDDLE + half, y + 3.4, width=0.3)
    if cancelled_reason is not None:
        reason = f"この{title}は取り消されました: {cancelled_reason}".rstrip(": ")
        size = pen.fit_size(reason, 9.5, RIGHT - LEFT, 6)
        pen.text(MIDDLE, y + 9, reason, size=size, align="center", bold=True, color=RED)


def _meta_block(pen: Pen, rows: Sequence[tuple[str, str]], y: float) -> float:
    """Label/value rows in the right column; returns the y below the last rule."""
    for label, value in rows:
        pen.text(RIGHT_COLUMN + 1, y, label, size=8.5, color=TEXT_GRAY)
        width = RIGHT - RIGHT_COLUMN - 24
        pen.text(RIGHT - 1, y, value, size=pen.fit_size(value, 8.5, width, 6), align="right")
        pen.line(RIGHT_COLUMN, y + 1.6, RIGHT, y + 1.6, width=0.25, color=RULE_GRAY)
        y += 5.2
    return y - 5.2 + 1.6


def _recipient_block(pen: Pen, recipient: Recipient, y: float, right: float = LEFT_COLUMN_END) -> float:
    """Name and honorific large and underlined, then 〒, address, contact and member number; y is the
    name's baseline, returns the y below the block."""
    width = right - LEFT
    honorific = recipient.honorific.strip()
    suffix = f"　{honorific}" if honorific else ""
    size = pen.fit_size(recipient.name + suffix, 15, width - 2, 10.5)
    lines = [recipient.name + suffix]
    if pen.width(lines[0], size) > width - 2:
        lines = pen.wrap(recipient.name, size, width - 2 - pen.width(suffix, size))
        lines[-1] += suffix
    for index, line in enumerate(lines):
        pen.text(LEFT + 1, y + index * size * 0.45, line, size=size, bold=True)
    y += (len(lines) - 1) * size * 0.45
    pen.line(LEFT, y + 2.4, right, y + 2.4, width=0.9)
    y += 8.0
    size = 8.8
    if recipient.postal_code:
        pen.text(LEFT + 1, y, f"〒{recipient.postal_code}", size=size)
        y += 4.4
    for line in pen.wrap(recipient.address, size, width - 2) if recipient.address else []:
        pen.text(LEFT + 1, y, line, size=size)
        y += 4.4
    for line in pen.wrap(recipient.contact, size, width - 2) if recipient.contact else []:
        pen.text(LEFT + 1, y, line, size=size)
        y += 4.4
    if recipient.member_number:
        pen.text(LEFT + 1, y, f"会員番号  {recipient.member_number}", size=7.5, color=TEXT_GRAY)
        y += 4.4
    return y - 3.0


def _issuer_block(pen: Pen, issuer: Issuer, y: float, x: float = RIGHT_COLUMN) -> float:
    """Issuer name (with the 角印 stamped over its end), representative, address, phone, e-mail and
    登録番号; y is the name's baseline, returns the y below the block."""
    width = RIGHT - x
    name_size = pen.fit_size(issuer.name, 11.5, width - 1, 8)
    pen.text(x + 1, y, issuer.name, size=name_size, bold=True)
    name_end = x + 1 + pen.width(issuer.name, name_size)
    top = y
    y += 5.2
    size = 8.5
    representative = " ".join(part for part in (issuer.representative_title, issuer.representative) if part)
    if representative:
        pen.text(x + 1, y, representative, size=9)
        y += 4.6
    address = " ".join(part for part in (f"〒{issuer.postal_code}" if issuer.postal_code else "", issuer.address)
                       if part)
    for line in pen.wrap(address, size, width - 2) if address else []:
        pen.text(x + 1, y, line, size=size)
        y += 4.2
    if issuer.phone:
        pen.text(x + 1, y, f"TEL  {issuer.phone}", size=size)
        y += 4.2
    if issuer.email:
        pen.text(x + 1, y, f"E-mail  {issuer.email}", size=size)
        y += 4.2
    if issuer.registration_number:
        pen.text(x + 1, y, f"登録番号  {issuer.registration_number}", size=size, bold=True)
        y += 4.2
    if issuer.seal_png:
        seal = 22.0
        seal_right = min(name_end + 8, PAGE_WIDTH - 6)
        pen.image(issuer.seal_png, seal_right - seal, top - 9.5, seal, seal)
        y = max(y, top - 9.5 + seal + 3)
    return y - 3.0


def _bank_box(pen: Pen, issuer: Issuer, recipient: Recipient, x: float,
              width: float) -> tuple[float, Callable[[Pen, float], None]]:
    """The 振込先 box: (height, draw at top y); height 0 when the issuer has no bank account."""
    if not (issuer.bank_name or issuer.bank_account_number):
        return 0.0, lambda pen, y: None
    rows: list[tuple[str, str]] = []
    bank = " ".join(part for part in (issuer.bank_name, issuer.bank_branch) if part)
    if bank:
        rows.append(("金融機関", bank))
    account = " ".join(part for part in (issuer.bank_account_type, issuer.bank_account_number) if part)
    if account:
        rows.append(("口座番号", account))
    holder_lines = pen.wrap(issuer.bank_account_holder, 8.8, width - 22) if issuer.bank_account_holder else []
    payer = "" if recipient.honorific.strip() == "様" else "貴社にて"
    note_lines = pen.wrap(BANK_FEE_NOTE.format(payer=payer), 7.2, width - 4)
    row_height = 5.0
    height = 6.0 + row_height * (len(rows) + len(holder_lines)) + 1.5 + 3.6 * len(note_lines) + 1.0

    def draw(pen: Pen, y: float) -> None:
        pen.rect(x, y, width, height, stroke=0.5, fill=(1, 1, 1))
        pen.rect(x, y, width, 6.0, stroke=0.5, fill=SHADE)
        pen.text(x + 2.5, y + 4.3, "お振込先", size=8.8, bold=True)
        row = y + 6.0 + 4.0
        for label, value in rows:
            pen.text(x + 2.5, row, label, size=8, color=TEXT_GRAY)
            pen.text(x + 20, row, value, size=pen.fit_size(value, 8.8, width - 22, 6.5))
            row += row_height
        for index, line in enumerate(holder_lines):
            if index == 0:
                pen.text(x + 2.5, row, "口座名義", size=8, color=TEXT_GRAY)
            pen.text(x + 20, row, line, size=8.8)
            row += row_height
        row += 0.5
        for line in note_lines:
            pen.text(x + 2.5, row, line, size=7.2, color=TEXT_GRAY)
            row += 3.6

    return height, draw


def _notes_box(pen: Pen, notes: str, x: float, width: float, label: str = "備考") -> list[Block]:
    """備考: a labelled box of wrapped lines, as one block (or several when very long)."""
    if not notes.strip():
        return []
    size, step = 8.6, 4.3
    lines = pen.wrap(notes.strip(), size, width - 6)
    chunks = [lines[index:index + 40] for index in range(0, len(lines), 40)]
    blocks = []
    for number, chunk in enumerate(chunks):
        height = (6.0 if number == 0 else 0) + step * len(chunk) + 3.0

        def draw(pen: Pen, y: float, chunk=chunk, first=number == 0, height=height) -> None:
            pen.rect(x, y, width, height, stroke=0.5)
            row = y + 3.0
            if first:
                pen.rect(x, y, width, 6.0, stroke=0.5, fill=SHADE)
                pen.text(x + 2.5, y + 4.3, label, size=8.8, bold=True)
                row = y + 6.0 + 1.0
            for line in chunk:
                row += step
                pen.text(x + 3, row - 0.8, line, size=size)

        blocks.append(Block(height + 3.5, draw, keep_with_previous=number > 0))
    return blocks


# --- 請求書 and 適格返還請求書 ---------------------------------------------------------------------------


def _invoice(pen: Pen, snapshot: DocumentSnapshot, cancelled_reason: str | None):
    credit = snapshot.kind == "credit_note"
    sign = _sign(snapshot)
    title = _title(snapshot)
    taxed = any(total.tax_category in TAXED for total in snapshot.totals)
    period = format_period_ja(snapshot.period_start, snapshot.period_end)
    transaction = format_date_ja(snapshot.transaction_date) or period
    if credit:
        meta = [
            ("返還請求書番号", snapshot.number),
            ("発行日", format_date_ja(snapshot.issue_date)),
            ("返還年月日", transaction or format_date_ja(snapshot.issue_date)),
            ("元請求書番号", snapshot.original_number or "—"),
            ("元の取引年月日", format_date_ja(snapshot.original_issue_date) or "—"),
        ]
        intro = "下記のとおり対価の返還を行いました。"
        amount_label = "返還金額"
    elif snapshot.kind == "estimate":
        meta = [
            ("見積番号", snapshot.number),
            ("見積日", format_date_ja(snapshot.issue_date)),
            ("履行期間" if period else "取引年月日", period or transaction or "—"),
            ("有効期限", format_date_ja(snapshot.due_date) or "—"),
        ]
        intro = "下記のとおりお見積り申し上げます。"
        amount_label = "お見積金額"
    else:
        meta = [
            ("請求書番号", snapshot.number),
            ("発行日", format_date_ja(snapshot.issue_date)),
            ("取引年月日" if snapshot.transaction_date or not period else "取引期間", transaction or "—"),
            ("お支払期限", format_date_ja(snapshot.due_date) or "—"),
        ]
        intro = "下記のとおりご請求申し上げます。"
        amount_label = "ご請求金額"

    meta += [(label, value) for label, value in snapshot.references]
    # The first page's head is measured now so the table knows where it starts.
    meta_bottom = 31.0 + 5.2 * len(meta)
    left_bottom = _measure(pen, lambda p: _recipient_block(p, snapshot.recipient, 40.0))
    right_bottom = _measure(pen, lambda p: _issuer_block(p, snapshot.issuer, meta_bottom + 11.0))
    intro_y = max(left_bottom + 9.0, 78.0)
    box_top = intro_y + 12.0
    table_top = max(box_top + 14.0, right_bottom) + 7.0

    def first_page(pen: Pen) -> None:
        _title_block(pen, title, 20.0, cancelled_reason)
        _meta_block(pen, meta, 35.0)
        _recipient_block(pen, snapshot.recipient, 40.0)
        pen.text(LEFT + 1, intro_y, intro, size=9.5)
        subject = snapshot.subject or "—"
        pen.text(LEFT + 1, intro_y + 6.5, "件名", size=8.5, color=TEXT_GRAY)
        pen.text(LEFT + 12, intro_y + 6.5, subject, size=pen.fit_size(subject, 9.5, LEFT_COLUMN_END - LEFT - 13, 7))
        pen.line(LEFT, intro_y + 8.3, LEFT_COLUMN_END, intro_y + 8.3, width=0.3, color=RULE_GRAY)
        _amount_box(pen, amount_label, _headline_amount(snapshot), taxed, LEFT, box_top,
                    LEFT_COLUMN_END - LEFT, 14.0, 27.0)
        _issuer_block(pen, snapshot.issuer, meta_bottom + 11.0)

    columns = _line_columns(snapshot)
    header = _table_header(columns)
    blocks: list[Block] = [_line_row(pen, line, sign, columns, header) for line in snapshot.lines]
    if not snapshot.lines:
        blocks.append(_empty_row(columns, header, "（明細なし）"))
    for _ in range(MIN_TABLE_ROWS - len(blocks)):
        filler = _empty_row(columns, header)
        filler.filler = True
        blocks.append(filler)
    totals = _totals_block(pen, snapshot, sign, credit)
    totals.keep_with_previous = True
    blocks.append(totals)
    blocks.extend(_notes_box(pen, snapshot.notes, LEFT, RIGHT - LEFT))
    return first_page, table_top, blocks


def _measure(pen: Pen, draw: Callable[[Pen], float]) -> float:
    """Run a drawing function against a pen that draws nothing, for the y it ends at."""
    return draw(MeasuringPen(pen))


def _amount_box(pen: Pen, label: str, amount: int, taxed: bool, x: float, y: float, width: float,
                height: float, label_width: float, size: float = 18, label_size: float = 10) -> None:
    pen.rect(x, y, width, height, stroke=1.0)
    pen.rect(x, y, label_width, height, stroke=1.0, fill=SHADE_DARK)
    pen.text(x + label_width / 2, y + height / 2 + label_size * 0.13, label, size=label_size, align="center",
             bold=True)
    text = format_yen_box(amount)
    suffix_width = 13.0 if taxed else 0.0
    cell_width = width - label_width - suffix_width
    size = pen.fit_size(text, size, cell_width - 6, 10)
    pen.text(x + label_width + cell_width / 2 + (suffix_width / 3 if taxed else 0), y + height / 2 + size * 0.13,
             text, size=size, align="center", bold=True)
    if taxed:
        pen.text(x + width - 2, y + height / 2 + size * 0.13, "（税込）", size=8, align="right")


# the line table: (heading, left, right, alignment)
def _line_columns(snapshot: DocumentSnapshot) -> list[tuple[str, float, float, str]]:
    amount = "金額（税込）" if snapshot.prices_include_tax else "金額（税抜）"
    unit = "単価（税込）" if snapshot.prices_include_tax else "単価（税抜）"
    if not any(total.tax_category in TAXED for total in snapshot.totals):
        amount, unit = "金額", "単価"
    return [("品目・内容", LEFT, 110.0, "left"), ("数量", 110.0, 124.0, "right"), (unit, 124.0, 151.0, "right"),
            (amount, 151.0, 179.0, "right"), ("税区分", 179.0, RIGHT, "center")]


def _table_header(columns) -> Block:
    height = 7.0

    def draw(pen: Pen, y: float) -> None:
        pen.rect(LEFT, y, RIGHT - LEFT, height, stroke=0, fill=SHADE_DARK)
        for heading, left, right, _align in columns:
            size = pen.fit_size(heading, 8.5, right - left - 2, 6.5)
            pen.text((left + right) / 2, y + 4.7, heading, size=size, align="center", bold=True)
        pen.line(LEFT, y, RIGHT, y, width=0.9)
        pen.line(LEFT, y + height, RIGHT, y + height, width=0.5)
        for _heading, left, _right, _align in columns[1:]:
            pen.line(left, y, left, y + height, width=0.3, color=RULE_GRAY)

    return Block(height, draw)


def _row_frame(pen: Pen, columns, y: float, height: float) -> None:
    pen.line(LEFT, y + height, RIGHT, y + height, width=0.3, color=RULE_GRAY)
    for _heading, left, _right, _align in columns[1:]:
        pen.line(left, y, left, y + height, width=0.3, color=RULE_GRAY)
    pen.line(LEFT, y, LEFT, y + height, width=0.5)
    pen.line(RIGHT, y, RIGHT, y + height, width=0.5)


def _line_row(pen: Pen, line, sign: int, columns, header: Block) -> Block:
    reduced = line.tax_category == "reduced_8"
    size, step = 9.0, 4.3
    mark = " ※" if reduced else ""
    texts = pen.wrap(line.description, size, columns[0][2] - columns[0][1] - 4 - pen.width(mark, size))
    texts[-1] += mark
    height = max(7.0, 2.9 + step * len(texts))
    cells = [format_yen(line.quantity), format_yen(line.unit_price * sign), format_yen(line.amount * sign),
             TAX_COLUMN.get(line.tax_category, line.tax_category)]

    def draw(pen: Pen, y: float) -> None:
        _row_frame(pen, columns, y, height)
        for index, text in enumerate(texts):
            pen.text(LEFT + 2, y + 4.8 + index * step, text, size=size)
        for (_heading, left, right, align), text in zip(columns[1:], cells, strict=True):
            if align == "right":
                cell = pen.fit_size(text, size, right - left - 3, 6)
                pen.text(right - 1.8, y + 4.8, text, size=cell, align="right")
            else:
                pen.text((left + right) / 2, y + 4.8, text, size=8.5, align="center")

    return Block(height, draw, table=header)


def _empty_row(columns, header: Block, text: str = "") -> Block:
    height = 7.0

    def draw(pen: Pen, y: float) -> None:
        _row_frame(pen, columns, y, height)
        if text:
            pen.text(LEFT + 2, y + 4.8, text, size=8.5, color=TEXT_GRAY)

    return Block(height, draw, table=header)


def _summary_table(pen: Pen, snapshot: DocumentSnapshot, sign: int, x: float, width: float, credit: bool,
                   with_total: bool = True) -> tuple[float, Callable[[Pen, float], None]]:
    """The per-rate summary (the 適格請求書's 税率ごとの対象額 and 消費税額): label (with the rate),
    対象額 excluding tax, 消費税; then the sums and the total including tax."""
    label_width = width * 0.38
    amount_right = x + label_width + (width - label_width) / 2
    row = 6.0
    totals = snapshot.totals
    with_subtotal = with_total and len(totals) > 1
    rows = len(totals) + (1 if with_total and totals else 0) + (1 if with_subtotal else 0)
    taxed = any(total.tax_category in TAXED for total in totals)
    height = row * (1 + max(rows, 1))
    heads = ("税率区分", ("返還額" if credit else "対象額") + ("（税抜）" if taxed else ""),
             "返還消費税額" if credit else "消費税額")

    def draw(pen: Pen, y: float) -> None:
        pen.rect(x, y, width, row, stroke=0, fill=SHADE_DARK)
        centres = (x + label_width / 2, (x + label_width + amount_right) / 2, (amount_right + x + width) / 2)
        for centre, head in zip(centres, heads, strict=True):
            pen.text(centre, y + 4.2, head, size=7.8, align="center", bold=True)
        line_y = y + row
        text_y = y + row + 4.2
        if not totals:
            pen.text(x + 2, text_y, "—", size=8.5)
        for total in totals:
            label = SUMMARY_LABELS.get(total.tax_category, total.tax_category)
            pen.text(x + 2, text_y, label, size=pen.fit_size(label, 8.5, label_width - 3, 6))
            pen.text(amount_right - 2, text_y, format_yen(total.net * sign), size=8.8, align="right")
            tax = format_yen(total.tax * sign) if total.tax_category in TAXED else "—"
            pen.text(x + width - 2, text_y, tax, size=8.8, align="right")
            pen.line(x, line_y, x + width, line_y, width=0.25, color=RULE_GRAY)
            line_y += row
            text_y += row
        if with_total and totals:
            net = sum(total.net for total in totals) * sign
            tax = sum(total.tax for total in totals) * sign
            if with_subtotal:
                pen.line(x, line_y, x + width, line_y, width=0.5)
                pen.text(x + 2, text_y, "小計", size=8.5, bold=True)
                pen.text(amount_right - 2, text_y, format_yen(net), size=8.8, align="right", bold=True)
                pen.text(x + width - 2, text_y, format_yen(tax), size=8.8, align="right", bold=True)
                line_y += row
                text_y += row
            pen.rect(x, line_y, width, row, stroke=0, fill=SHADE)
            pen.line(x, line_y, x + width, line_y, width=0.5)
            label = "合計（税込）" if taxed else "合計"
            pen.text(x + 2, text_y, label, size=8.5, bold=True)
            pen.text(x + width - 2, text_y, format_yen(net + tax), size=9.5, align="right", bold=True)
        pen.rect(x, y, width, height, stroke=0.6)
        ruled = y + row * (1 + max(len(totals), 1) + (1 if with_subtotal else 0))
        pen.line(x + label_width, y, x + label_width, ruled, width=0.25, color=RULE_GRAY)
        pen.line(amount_right, y, amount_right, ruled, width=0.25, color=RULE_GRAY)

    return height, draw


def _totals_block(pen: Pen, snapshot: DocumentSnapshot, sign: int, credit: bool) -> Block:
    """Under the line table on the last page: footnote, per-rate summary, bank account, 不課税 notice."""
    reduced = any(line.tax_category == "reduced_8" for line in snapshot.lines)
    summary_x, summary_width = 113.0, RIGHT - 113.0
    summary_height, draw_summary = _summary_table(pen, snapshot, sign, summary_x, summary_width, credit)
    no_bank = credit or snapshot.kind == "estimate"
    bank_height, draw_bank = (0.0, None) if no_bank else _bank_box(pen, snapshot.issuer, snapshot.recipient, LEFT, 92.0)
    notice = snapshot.out_of_scope_notice
    notice_lines = pen.wrap(notice, 8.8, RIGHT - LEFT - 2) if notice else []
    top_gap = 7.0 if reduced else 4.0
    body = max(summary_height, bank_height)
    height = top_gap + body + (3.0 + 4.4 * len(notice_lines) if notice_lines else 0) + 5.0

    def draw(pen: Pen, y: float) -> None:
        if reduced:
            pen.text(LEFT + 1, y + 4.0, REDUCED_NOTE, size=8)
        top = y + top_gap
        draw_summary(pen, top)
        if draw_bank is not None:
            draw_bank(pen, top)
        row = top + body + 3.0
        for line in notice_lines:
            row += 4.4
            pen.text(LEFT + 1, row - 0.8, line, size=8.8)

    return Block(height, draw)


# --- 領収書 ----------------------------------------------------------------------------------------------


RECEIPT_NAME_END = 113.0


def _receipt(pen: Pen, snapshot: DocumentSnapshot, cancelled_reason: str | None):
    title = _title(snapshot)
    taxed = any(total.tax_category in TAXED for total in snapshot.totals)
    box_left, box_width = 30.0, 150.0
    meta = [("領収書番号", snapshot.number), ("領収日", format_date_ja(snapshot.issue_date))]
    references = snapshot.original_number
    reference_lines: list[str] = []  # several settled invoices: listed under the amount instead
    if references and pen.width(references, 7) <= RIGHT - RIGHT_COLUMN - 24:
        meta.append(("対象請求書番号", references))
    elif references:
        reference_lines = pen.wrap(f"対象請求書番号: {references}", 8.8, box_width - 4)
    meta_bottom = 31.0 + 5.2 * len(meta)
    left_bottom = _measure(pen, lambda p: _recipient_block(p, snapshot.recipient, 40.0, right=RECEIPT_NAME_END))
    box_top = max(left_bottom + 10.0, meta_bottom + 12.0, 72.0)
    purpose_y = box_top + 29.0
    details_top = purpose_y + 14.0 + 4.4 * len(reference_lines)
    summary_height, draw_summary = _summary_table(pen, snapshot, 1, LEFT, 98.0, False, with_total=False)
    notice = snapshot.out_of_scope_notice
    notice_lines = pen.wrap(notice, 8.4, 98.0) if notice else []
    issuer_bottom = _measure(pen, lambda p: _issuer_block(p, snapshot.issuer, details_top + 4.0))
    left_bottom = details_top + (6.0 + summary_height + 4.4 * len(notice_lines) if snapshot.totals else 0.0)

    def first_page(pen: Pen) -> None:
        _title_block(pen, title, 20.0, cancelled_reason)
        _meta_block(pen, meta, 35.0)
        _recipient_block(pen, snapshot.recipient, 40.0, right=RECEIPT_NAME_END)
        _amount_box(pen, "金額", _headline_amount(snapshot), taxed, box_left, box_top, box_width, 18.0, 30.0,
                    size=22, label_size=13)
        purpose = snapshot.subject or ""
        pen.text(box_left + 2, purpose_y, "但し", size=10)
        pen.text(box_left + 14, purpose_y, purpose,
                 size=pen.fit_size(purpose, 11, box_width - 16, 7))
        pen.line(box_left, purpose_y + 2.0, box_left + box_width, purpose_y + 2.0, width=0.5)
        pen.text(box_left + 2, purpose_y + 8.0, "上記正に領収いたしました。", size=10)
        for index, line in enumerate(reference_lines):
            pen.text(box_left + 2, purpose_y + 13.5 + index * 4.4, line, size=8.8, color=TEXT_GRAY)
        if snapshot.totals:
            pen.text(LEFT + 1, details_top + 4.0, "内訳", size=9, bold=True)
            draw_summary(pen, details_top + 6.0)
            row = details_top + 6.0 + summary_height + 1.0
            for line in notice_lines:
                row += 4.4
                pen.text(LEFT + 1, row - 0.8, line, size=8.4)
        _issuer_block(pen, snapshot.issuer, details_top + 4.0)

    blocks = _notes_box(pen, snapshot.notes, LEFT, RIGHT - LEFT)
    return first_page, max(left_bottom, issuer_bottom) + 8.0, blocks


# --- お支払いのお願い / 督促状 ------------------------------------------------------------------------------


def _dunning_body(snapshot: DocumentSnapshot) -> list[str]:
    original = format_date_ja(snapshot.original_issue_date)
    dated = f"{original}付で" if original else ""
    passed = format_date_ja(snapshot.transaction_date)
    deadline = f"お支払期限（{passed}）" if passed else "お支払期限"
    new_due = format_date_ja(snapshot.due_date)
    pay_by = f"{new_due}までに" if new_due else "至急"
    if _title(snapshot) == "督促状":
        return [
            "前略",
            f"　{dated}ご請求いたしました下記の請求書につきまして、{deadline}を過ぎ、先にお支払いのお願いを"
            "お送りいたしましたが、本日現在もご入金を確認できておりません。",
            f"　つきましては、{pay_by}下記口座へお振込みくださいますよう、重ねてお願い申し上げます。"
            "ご事情がおありの場合は、お手数ですが当会までご連絡ください。",
            "　なお、本状と行き違いでお支払い済みの場合は、何卒ご容赦ください。",
        ]
    return [
        "拝啓　時下ますますご清祥のこととお慶び申し上げます。平素は当会の活動に格別のご理解とご協力を賜り、"
        "厚く御礼申し上げます。",
        f"　さて、{dated}ご請求いたしました下記の請求書につきまして、{deadline}を過ぎておりますが、"
        "本日現在、ご入金を確認できておりません。",
        f"　ご多用中のところ誠に恐れ入りますが、ご確認のうえ、{pay_by}下記口座へお振込みくださいますよう"
        "お願い申し上げます。",
        "　なお、本状と行き違いでお支払い済みの場合は、何卒ご容赦ください。",
    ]


DUNNING_ISSUER_Y = 52.0


def _dunning(pen: Pen, snapshot: DocumentSnapshot, cancelled_reason: str | None):
    title = _title(snapshot)
    firm = title == "督促状"
    issuer_bottom = _measure(pen, lambda p: _issuer_block(p, snapshot.issuer, DUNNING_ISSUER_Y))
    recipient_bottom = _measure(pen, lambda p: _recipient_block(p, snapshot.recipient, 36.0))

    def first_page(pen: Pen) -> None:
        pen.text(RIGHT - 1, 17.0, f"{_number_label(snapshot)}  {snapshot.number}", size=8.5, align="right",
                 color=TEXT_GRAY)
        pen.text(RIGHT - 1, 22.5, format_date_ja(snapshot.issue_date), size=10, align="right")
        _recipient_block(pen, snapshot.recipient, 36.0)
        _issuer_block(pen, snapshot.issuer, DUNNING_ISSUER_Y)

    text_left, text_width = 20.0, 170.0
    blocks: list[Block] = []

    def title_draw(pen: Pen, y: float) -> None:
        pen.text(MIDDLE, y + 9.0, title, size=17, align="center", bold=True, char_space=3)
        if cancelled_reason is not None:
            reason = f"この{title}は取り消されました: {cancelled_reason}".rstrip(": ")
            pen.text(MIDDLE, y + 17.0, reason, size=pen.fit_size(reason, 9.5, RIGHT - LEFT, 6), align="center",
                     bold=True, color=RED)

    blocks.append(Block(24.0 if cancelled_reason is not None else 18.0, title_draw))
    size, step = 10.0, 6.2
    for paragraph in _dunning_body(snapshot):
        for line in pen.wrap(paragraph, size, text_width):
            blocks.append(Block(step, lambda pen, y, line=line: pen.text(text_left, y + 4.6, line, size=size)))
    closing = "草々" if firm else "敬具"
    blocks.append(Block(9.0, lambda pen, y: pen.text(RIGHT - 6, y + 5.0, closing, size=size, align="right"),
                        keep_with_previous=True))
    blocks.append(Block(10.0, lambda pen, y: pen.text(MIDDLE, y + 6.0, "記", size=size, align="center")))

    rows: list[tuple[str, str, bool]] = [
        ("請求書番号", snapshot.original_number or "—", False),
        ("ご請求日", format_date_ja(snapshot.original_issue_date) or "—", False),
    ]
    if snapshot.subject.strip() and not firm:
        rows.append(("件名", snapshot.subject.strip(), False))
    rows.append(("未入金額", format_yen_box(_headline_amount(snapshot)), True))
    if snapshot.transaction_date:
        rows.append(("当初のお支払期限", format_date_ja(snapshot.transaction_date), False))
    rows.append(("お振込期限", format_date_ja(snapshot.due_date) or "至急", True))
    table_left, table_width, label_width, row = 30.0, 150.0, 42.0, 8.0

    def table_draw(pen: Pen, y: float) -> None:
        for index, (label, value, strong) in enumerate(rows):
            top = y + index * row
            pen.rect(table_left, top, label_width, row, stroke=0, fill=SHADE)
            pen.text(table_left + 3, top + 5.4, label, size=9.5)
            pen.text(table_left + label_width + 4, top + 5.5, value, size=12 if strong else 10, bold=strong)
            pen.line(table_left, top + row, table_left + table_width, top + row, width=0.3, color=RULE_GRAY)
        bottom = y + row * len(rows)
        pen.rect(table_left, y, table_width, bottom - y, stroke=0.8)
        pen.line(table_left + label_width, y, table_left + label_width, bottom, width=0.3, color=RULE_GRAY)

    blocks.append(Block(row * len(rows) + 6.0, table_draw, keep_with_previous=True))  # with 記
    bank_height, draw_bank = _bank_box(pen, snapshot.issuer, snapshot.recipient, table_left, 100.0)
    if bank_height:
        blocks.append(Block(bank_height + 6.0, lambda pen, y: draw_bank(pen, y)))
    blocks.extend(_notes_box(pen, snapshot.notes, table_left, table_width))
    blocks.append(Block(8.0, lambda pen, y: pen.text(RIGHT - 6, y + 5.0, "以上", size=size, align="right"),
                        keep_with_previous=True))
    first_top = max(issuer_bottom, recipient_bottom) + 6.0
    return first_page, first_top, blocks


_BUILDERS = {"invoice": _invoice, "credit_note": _invoice, "receipt": _receipt, "dunning": _dunning,
             "estimate": _invoice}
