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
  `issue_date`), 元請求書番号 `original_number`, 元の取引年月日 `original_transaction_date` (or 元の取引期間
  `original_period_start`〜`original_period_end`; older notes: `original_issue_date`). Refund lines may be stored
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
    `issue_date`                              the date of the letter,
    `reminded_on`                             the date of the お支払いのお願い sent before; a 督促状 says
                                              「先に…お支払いのお願いをお送りいたしましたが」 only with it.

A cancelled document (`cancelled_reason`) gets a red diagonal 取消 stamp on every page and the reason under
its title. Pages are numbered "1 / 2" per document, also in `render_many`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from tama_desk.documents import letter
from tama_desk.documents.layout import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Block,
    Pen,
    format_date_ja,
    format_period_ja,
    format_yen,
    format_yen_box,
    new_canvas,
)
from tama_desk.documents.letter import LEFT, RED, RIGHT, issuer_block, recipient_block
from tama_desk.documents.table import RULE_GRAY, SHADE, SHADE_DARK, TEXT_GRAY, Cell, Column, Table, together
from tama_desk.domain.choices import STAMP_DUTY, STAMP_DUTY_THRESHOLD
from tama_desk.domain.invoice import DocumentSnapshot, Issuer, Recipient
from tama_desk.domain.tax import SUMMARY_LABELS, grand_total

__all__ = ["render", "render_many", "file_name", "format_date_ja"]

MIDDLE = PAGE_WIDTH / 2
RIGHT_COLUMN = 121.0  # the issuer and meta block
LEFT_COLUMN_END = 106.0  # the recipient block

TAX_COLUMN = {"standard_10": "10%", "reduced_8": "8%※", "exempt": "非課税", "out_of_scope": "不課税"}
TAXED = ("standard_10", "reduced_8")
MIN_TABLE_ROWS = 8  # a one-page invoice shows at least this many ruled rows, as printed forms do
MAX_FILE_NAME_PART = 60

BANK_FEE_NOTE = "※お振込手数料は{payer}ご負担くださいますようお願いいたします。"
REDUCED_NOTE = "※は軽減税率（8%）対象"

ProgressCallback = Callable[[int, int], object]


# --- public ------------------------------------------------------------------------------------------


def render(snapshot: DocumentSnapshot, cancelled_reason: str | None = None, cancelled_on: date | None = None
           ) -> bytes:
    """One document as a PDF (A4 portrait, pages numbered "1 / n"); a cancelled one carries the 取消 stamp, the
    reason and (when given) the date it was cancelled."""
    _check_kind(snapshot)
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    canvas.setTitle(f"{_title(snapshot)} {snapshot.number}")
    canvas.setAuthor(snapshot.issuer.name)
    canvas.setSubject(f"{snapshot.recipient.name} {snapshot.recipient.honorific}".strip())
    canvas.setKeywords([snapshot.number, snapshot.issue_date.isoformat(), snapshot.recipient.name,
                        str(_headline_amount(snapshot))])
    canvas.setCreator("TAMA Desk")
    _draw_document(canvas, pen, snapshot, _cancellation(cancelled_reason, cancelled_on))
    canvas.save()
    return buffer.getvalue()


def render_many(snapshots: Sequence[tuple], progress: ProgressCallback | None = None) -> bytes:
    """Several documents in one PDF for printing: each starts on a new page and has its own page numbers and
    a bookmark. `snapshots` holds (snapshot, cancelled_reason) or (snapshot, cancelled_reason, cancelled_on)
    tuples; `progress(done, total)` is called after each document and may raise to stop."""
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    total = len(snapshots)
    canvas.setTitle(f"印刷用 {total}件")
    if snapshots:
        canvas.setAuthor(snapshots[0][0].issuer.name)
    canvas.setCreator("TAMA Desk")
    for index, (snapshot, reason, *when) in enumerate(snapshots):
        key = f"doc{index + 1}"
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(f"{snapshot.number} {snapshot.recipient.name}", key, level=0)
        _draw_document(canvas, pen, snapshot, _cancellation(reason, when[0] if when else None))
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


@dataclass(frozen=True)
class Cancellation:
    reason: str
    on: str  # the date, as printed ("" when unknown)


def _cancellation(reason: str | None, on: date | None) -> Cancellation | None:
    return None if reason is None else Cancellation(reason, format_date_ja(on))


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


def _draw_document(canvas: Canvas, pen: Pen, snapshot: DocumentSnapshot, cancel: Cancellation | None) -> None:
    _check_kind(snapshot)
    first_page, first_top, blocks = _BUILDERS[snapshot.kind](pen, snapshot, cancel)
    recipient = letter.addressee(snapshot.recipient.name, snapshot.recipient.honorific)
    letter.draw_pages(
        canvas, pen, blocks, first_page=first_page, first_top=first_top,
        continuation=lambda pen: letter.continuation_header(
            pen, f"{_title(snapshot)}（続き）", recipient, f"{_number_label(snapshot)}  {snapshot.number}",
            f"発行日  {format_date_ja(snapshot.issue_date)}"),
        footer=lambda pen, number, count: letter.footer(pen, number, count, snapshot.number),
        overlay=_cancel_stamp if cancel is not None else None)


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


def _title_block(pen: Pen, title: str, y: float, cancel: Cancellation | None) -> None:
    letter.title_block(pen, title, y, cancel.reason if cancel else None, cancelled_on=cancel.on if cancel else "")


def _measure(pen: Pen, draw: Callable[[Pen], object]) -> float:
    return letter.measure(pen, draw)


# --- shared pieces ------------------------------------------------------------------------------------------


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


def _summary_table(pen: Pen, snapshot: DocumentSnapshot, sign: int, x: float, width: float, credit: bool,
                   with_total: bool = True) -> tuple[float, Callable[[Pen, float], None]]:
    """The per-rate summary (the 適格請求書's 税率ごとの対象額 and 消費税額): label (with the rate),
    対象額 excluding tax, 消費税; then the sums and the total including tax. (height, draw at top y)."""
    totals = snapshot.totals
    taxed = any(total.tax_category in TAXED for total in totals)
    columns = [Column("税率区分", 38, wrap=False), Column(("返還額" if credit else "対象額") + ("（税抜）" if taxed else ""), 31,
                                            "right"),
               Column("返還消費税額" if credit else "消費税額", 31, "right")]
    table = Table(pen, columns, x, width, size=8.8, row_height=6.0, heading_size=7.8, header_height=6.0,
                  outer=0.6)
    rows = []
    for total in totals:
        label = SUMMARY_LABELS.get(total.tax_category, total.tax_category)
        tax = format_yen(total.tax * sign) if total.tax_category in TAXED else "—"
        rows.append(table.row([Cell(label, size=8.5), total.net * sign, tax]))
    if not totals:
        rows.append(table.row(["—", "", ""]))
    if with_total and totals:
        net = sum(total.net for total in totals) * sign
        tax = sum(total.tax for total in totals) * sign
        if len(totals) > 1:
            rows.append(table.row(["小計", net, tax], bold=True, rule="single"))
        label = "合計（税込）" if taxed else "合計"
        rows.append(table.row([label, Cell(format_yen(net + tax), span=2, align="right", size=9.5)], bold=True,
                              fill=SHADE, rule="single"))
    block = together(rows, limit=1e9)[0]
    return block.height, block.draw


def _head_and_subject(pen: Pen, snapshot: DocumentSnapshot, intro_y: float) -> tuple[list[str], float]:
    """The 件名 wrapped in the left column (never shrunk into the issuer block); (lines, height)."""
    subject = snapshot.subject or "—"
    lines = pen.wrap(subject, 9.5, LEFT_COLUMN_END - LEFT - 13)
    return lines, 4.4 * (len(lines) - 1)


def _original_transaction(snapshot: DocumentSnapshot) -> tuple[str, str]:
    """A credit note's 元の取引年月日 (or 元の取引期間 for dues); notes issued before these were kept print the
    original's issue date, as they always did."""
    if snapshot.original_transaction_date:
        return "元の取引年月日", format_date_ja(snapshot.original_transaction_date)
    period = format_period_ja(snapshot.original_period_start, snapshot.original_period_end)
    if period:
        return "元の取引期間", period
    return "元の取引年月日", format_date_ja(snapshot.original_issue_date) or "—"


# --- 請求書 and 適格返還請求書 ---------------------------------------------------------------------------


def _invoice(pen: Pen, snapshot: DocumentSnapshot, cancel: Cancellation | None):
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
            _original_transaction(snapshot),
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
    issuer_y = meta_bottom + 12.0
    left_bottom = _measure(pen, lambda p: recipient_block(p, snapshot.recipient, 40.0, right=LEFT_COLUMN_END))
    right_bottom = _measure(pen, lambda p: issuer_block(p, snapshot.issuer, issuer_y, seal_top_limit=meta_bottom + 0.3))
    intro_y = max(left_bottom + 9.0, 78.0)
    subject_lines, subject_extra = _head_and_subject(pen, snapshot, intro_y)
    box_top = intro_y + 12.0 + subject_extra
    table_top = max(box_top + 14.0, right_bottom) + 7.0

    def first_page(pen: Pen) -> None:
        _title_block(pen, title, 20.0, cancel)
        letter.meta_rows(pen, meta, RIGHT_COLUMN, 35.0)
        recipient_block(pen, snapshot.recipient, 40.0, right=LEFT_COLUMN_END)
        pen.text(LEFT + 1, intro_y, intro, size=9.5)
        pen.text(LEFT + 1, intro_y + 6.5, "件名", size=8.5, color=TEXT_GRAY)
        for index, line in enumerate(subject_lines):
            pen.text(LEFT + 12, intro_y + 6.5 + index * 4.4, line, size=9.5)
        pen.line(LEFT, intro_y + 8.3 + subject_extra, LEFT_COLUMN_END, intro_y + 8.3 + subject_extra, width=0.3,
                 color=RULE_GRAY)
        _amount_box(pen, amount_label, _headline_amount(snapshot), taxed, LEFT, box_top,
                    LEFT_COLUMN_END - LEFT, 14.0, 27.0)
        issuer_block(pen, snapshot.issuer, issuer_y, seal_top_limit=meta_bottom + 0.3)

    table = Table(pen, _line_columns(snapshot), LEFT, RIGHT - LEFT)
    blocks: list[Block] = [_line_row(table, line, sign) for line in snapshot.lines]
    if not snapshot.lines:
        blocks.append(table.empty("（明細なし）"))
    for _ in range(MIN_TABLE_ROWS - len(blocks)):
        blocks.append(table.empty(filler=True))
    totals = _totals_block(pen, snapshot, sign, credit or cancel is not None)
    totals.keep_with_previous = True
    blocks.append(totals)
    blocks.extend(_notes_box(pen, snapshot.notes, LEFT, RIGHT - LEFT))
    return first_page, table_top, blocks


def _line_columns(snapshot: DocumentSnapshot) -> list[Column]:
    amount = "金額（税込）" if snapshot.prices_include_tax else "金額（税抜）"
    unit = "単価（税込）" if snapshot.prices_include_tax else "単価（税抜）"
    if not any(total.tax_category in TAXED for total in snapshot.totals):
        amount, unit = "金額", "単価"
    return [Column("品目・内容", 95), Column("数量", 14, "right"), Column(unit, 27, "right"),
            Column(amount, 28, "right"), Column("税区分", 16, "center")]


def _line_row(table: Table, line, sign: int) -> Block:
    mark = " ※" if line.tax_category == "reduced_8" else ""
    return table.row([line.description + mark, line.quantity, line.unit_price * sign, line.amount * sign,
                      Cell(TAX_COLUMN.get(line.tax_category, line.tax_category), size=8.5)])


def _totals_block(pen: Pen, snapshot: DocumentSnapshot, sign: int, no_transfer: bool) -> Block:
    """Under the line table on the last page: footnote, per-rate summary, bank account (not on a credit note
    nor on a cancelled invoice: nothing is to be paid), 不課税 notice."""
    reduced = any(line.tax_category == "reduced_8" for line in snapshot.lines)
    summary_x, summary_width = 113.0, RIGHT - 113.0
    summary_height, draw_summary = _summary_table(pen, snapshot, sign, summary_x, summary_width,
                                                  snapshot.kind == "credit_note")
    bank_height, draw_bank = ((0.0, None) if no_transfer or snapshot.kind == "estimate"
                              else _bank_box(pen, snapshot.issuer, snapshot.recipient, LEFT, 92.0))
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
STAMP_BOX = 20.0  # 収入印紙欄: width = height (mm), at the right margin above the amount box


def _stamp_duty(pen: Pen, snapshot: DocumentSnapshot, box_top: float) -> None:
    """The 収入印紙 setting the receipt was issued under: the 非課税 statement beside the amount, or the stamp
    box (with 消印 room) for an amount of 5万円 or more; nothing for receipts issued before the setting."""
    amount = _headline_amount(snapshot)
    size = STAMP_BOX
    x = RIGHT - size
    if snapshot.stamp_duty == "exempt":
        pen.text(RIGHT, box_top + 24.0, STAMP_DUTY["exempt"], size=7.5, align="right", color=TEXT_GRAY)
    elif snapshot.stamp_duty == "print_over_50000" and amount >= STAMP_DUTY_THRESHOLD:
        top = box_top - size - 3.0
        pen.rect(x, top, size, size, stroke=0.5)
        pen.text(x + size / 2, top + size / 2 - 1.0, "収入印紙", size=8, align="center", color=TEXT_GRAY)
        pen.text(x + size / 2, top + size / 2 + 3.5, "（消印）", size=6.5, align="center", color=TEXT_GRAY)


def _receipt(pen: Pen, snapshot: DocumentSnapshot, cancel: Cancellation | None):
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
    left_bottom = _measure(pen, lambda p: recipient_block(p, snapshot.recipient, 40.0, right=RECEIPT_NAME_END))
    box_top = max(left_bottom + 10.0, meta_bottom + 12.0, 72.0)
    purpose_y = box_top + 29.0
    purpose_lines = pen.wrap(snapshot.subject or "", 11, box_width - 16)
    purpose_extra = 5.0 * (len(purpose_lines) - 1)
    details_top = purpose_y + purpose_extra + 14.0 + 4.4 * len(reference_lines)
    summary_height, draw_summary = _summary_table(pen, snapshot, 1, LEFT, 98.0, False, with_total=False)
    notice = snapshot.out_of_scope_notice
    notice_lines = pen.wrap(notice, 8.4, 98.0) if notice else []
    issuer_y = details_top + 4.0
    issuer_bottom = _measure(pen, lambda p: issuer_block(p, snapshot.issuer, issuer_y, seal_top_limit=details_top))
    left_bottom = details_top + (6.0 + summary_height + 4.4 * len(notice_lines) if snapshot.totals else 0.0)

    def first_page(pen: Pen) -> None:
        _title_block(pen, title, 20.0, cancel)
        letter.meta_rows(pen, meta, RIGHT_COLUMN, 35.0)
        recipient_block(pen, snapshot.recipient, 40.0, right=RECEIPT_NAME_END)
        _amount_box(pen, "金額", _headline_amount(snapshot), taxed, box_left, box_top, box_width, 18.0, 30.0,
                    size=22, label_size=13)
        pen.text(box_left + 2, purpose_y, "但し", size=10)
        for index, line in enumerate(purpose_lines):
            pen.text(box_left + 14, purpose_y + index * 5.0, line, size=11)
        rule = purpose_y + purpose_extra + 2.0
        pen.line(box_left, rule, box_left + box_width, rule, width=0.5)
        pen.text(box_left + 2, rule + 6.0, "上記正に領収いたしました。", size=10)
        for index, line in enumerate(reference_lines):
            pen.text(box_left + 2, rule + 11.5 + index * 4.4, line, size=8.8, color=TEXT_GRAY)
        if snapshot.totals:
            pen.text(LEFT + 1, details_top + 4.0, "内訳", size=9, bold=True)
            draw_summary(pen, details_top + 6.0)
            row = details_top + 6.0 + summary_height + 1.0
            for line in notice_lines:
                row += 4.4
                pen.text(LEFT + 1, row - 0.8, line, size=8.4)
        issuer_block(pen, snapshot.issuer, issuer_y, seal_top_limit=details_top)
        _stamp_duty(pen, snapshot, box_top)

    blocks = _notes_box(pen, snapshot.notes, LEFT, RIGHT - LEFT)
    return first_page, max(left_bottom, issuer_bottom) + 8.0, blocks


# --- お支払いのお願い / 督促状 ------------------------------------------------------------------------------


def _dunning_amounts(snapshot: DocumentSnapshot) -> tuple[int, int, int] | None:
    """(請求額, 入金済額, 未入金額) of a part-paid invoice: the letter carries the invoice's totals and, as
    `amount`, what is still open; None when nothing has been paid yet (or the totals are not known)."""
    open_amount = _headline_amount(snapshot)
    billed = grand_total(snapshot.totals) if snapshot.totals else 0
    if not snapshot.totals or billed <= open_amount:
        return None
    return billed, billed - open_amount, open_amount


def _dunning_body(snapshot: DocumentSnapshot) -> list[str]:
    original = format_date_ja(snapshot.original_issue_date)
    dated = f"{original}付で" if original else ""
    passed = format_date_ja(snapshot.transaction_date)
    deadline = f"お支払期限（{passed}）" if passed else "お支払期限"
    new_due = format_date_ja(snapshot.due_date)
    pay_by = f"{new_due}までに" if new_due else "至急"
    part = _dunning_amounts(snapshot)
    if part is not None:
        billed, paid, open_amount = part
        status = (f"ご請求額{billed:,}円のうち{paid:,}円のご入金を確認いたしましたが、残額{open_amount:,}円の"
                  "ご入金を確認できておりません。")
        remainder = "残額を"
    else:
        status, remainder = "ご入金を確認できておりません。", ""
    if _title(snapshot) == "督促状":
        reminded = "先にお支払いのお願いをお送りいたしましたが、" if snapshot.reminded_on else ""
        return [
            "前略",
            f"　{dated}ご請求いたしました下記の請求書につきまして、{deadline}を過ぎ、{reminded}"
            f"本日現在も{status}",
            f"　つきましては、{pay_by}{remainder}下記口座へお振込みくださいますよう、重ねてお願い申し上げます。"
            "ご事情がおありの場合は、お手数ですが当会までご連絡ください。",
            "　なお、本状と行き違いでお支払い済みの場合は、何卒ご容赦ください。",
        ]
    greeting = letter.greeting(snapshot.recipient.honorific.strip() == "様")
    return [
        f"{greeting}平素は当会の活動に格別のご理解とご協力を賜り、厚く御礼申し上げます。",
        f"　さて、{dated}ご請求いたしました下記の請求書につきまして、{deadline}を過ぎておりますが、"
        f"本日現在、{status}",
        f"　ご多用中のところ誠に恐れ入りますが、ご確認のうえ、{pay_by}{remainder}下記口座へお振込みくださいますよう"
        "お願い申し上げます。",
        "　なお、本状と行き違いでお支払い済みの場合は、何卒ご容赦ください。",
    ]


DUNNING_ISSUER_Y = 52.0


def _dunning(pen: Pen, snapshot: DocumentSnapshot, cancel: Cancellation | None):
    title = _title(snapshot)
    firm = title == "督促状"
    issuer_bottom = _measure(pen, lambda p: issuer_block(p, snapshot.issuer, DUNNING_ISSUER_Y, seal_top_limit=DUNNING_ISSUER_Y - 13))
    recipient_bottom = _measure(pen, lambda p: recipient_block(p, snapshot.recipient, 36.0))

    def first_page(pen: Pen) -> None:
        letter.letterhead(pen, _number_label(snapshot), snapshot.number, format_date_ja(snapshot.issue_date))
        recipient_block(pen, snapshot.recipient, 36.0)
        issuer_block(pen, snapshot.issuer, DUNNING_ISSUER_Y, seal_top_limit=DUNNING_ISSUER_Y - 13)

    text_left, text_width = 20.0, 170.0
    blocks: list[Block] = []

    def title_draw(pen: Pen, y: float) -> None:
        pen.text(MIDDLE, y + 9.0, title, size=17, align="center", bold=True, char_space=3)
        if cancel is not None:
            when = f"（{cancel.on}取消）" if cancel.on else ""
            reason = f"この{title}は取り消されました{when}: {cancel.reason}".rstrip(": ")
            pen.text(MIDDLE, y + 17.0, reason, size=pen.fit_size(reason, 9.5, RIGHT - LEFT, 6), align="center",
                     bold=True, color=RED)

    blocks.append(Block(24.0 if cancel is not None else 18.0, title_draw))
    size = 10.0
    blocks += letter.paragraph_blocks(pen, _dunning_body(snapshot), text_left, text_width, size=size, step=5.9)
    blocks.append(letter.closing("草々" if firm else "敬具", size=size))
    blocks.append(letter.ki(size=size))

    rows: list[tuple[str, str, bool]] = [
        ("請求書番号", snapshot.original_number or "—", False),
        ("ご請求日", format_date_ja(snapshot.original_issue_date) or "—", False),
    ]
    if snapshot.subject.strip() and not firm:
        rows.append(("件名", snapshot.subject.strip(), False))
    part = _dunning_amounts(snapshot)
    if part is not None:
        rows.append(("ご請求額", format_yen_box(part[0]), False))
        rows.append(("ご入金済額", format_yen_box(part[1]), False))
    rows.append(("未入金額", format_yen_box(_headline_amount(snapshot)), True))
    if snapshot.transaction_date:
        rows.append(("当初のお支払期限", format_date_ja(snapshot.transaction_date), False))
    rows.append(("お振込期限", format_date_ja(snapshot.due_date) or "至急", True))
    table_left, table_width = 30.0, 150.0
    details = Table(pen, [Column("", 42, fill=SHADE), Column("", 108)], table_left, table_width, size=10,
                    row_height=7.2 if len(rows) > 6 else 8.0, show_header=False, outer=0.8, padding=3.5)
    detail_rows = [details.row([Cell(label, size=9.5, bold=False), Cell(value, size=12 if strong else 10, bold=strong)])
                   for label, value, strong in rows]
    table_block = together(detail_rows, limit=1e9)[0]

    def table_draw(pen: Pen, y: float) -> None:
        table_block.draw(pen, y)
        pen.line(table_left, y, table_left + table_width, y, width=0.8)
        pen.line(table_left, y + table_block.height, table_left + table_width, y + table_block.height, width=0.8)

    blocks.append(Block(table_block.height + 6.0, table_draw, keep_with_previous=True))  # with 記
    bank_height, draw_bank = _bank_box(pen, snapshot.issuer, snapshot.recipient, table_left, 100.0)
    if bank_height and cancel is None:
        blocks.append(Block(bank_height + 6.0, lambda pen, y: draw_bank(pen, y)))
    blocks.extend(_notes_box(pen, snapshot.notes, table_left, table_width))
    blocks.append(letter.ijou(size=size))
    first_top = max(issuer_bottom, recipient_bottom) + 6.0
    return first_page, first_top, blocks


_BUILDERS = {"invoice": _invoice, "credit_note": _invoice, "receipt": _receipt, "dunning": _dunning,
             "estimate": _invoice}
