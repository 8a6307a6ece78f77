"""One letter frame for every document: letterhead (number and date), the addressee with the right honorific,
the title, 記 … 以上, the issuer block with its seal, continuation headers and page numbers.

Addressing: an organisation is 「○○株式会社 御中」, its contact person goes on the next line as
「ご担当 ○○ 様」 (never two honorifics on one line, never 様 twice); a person is 「○○ ○○ 様」; an official
addressed formally is 「○○局長 殿」. A name that already ends in an honorific gets no second one.

The seal (角印) is stamped over the end of the issuer's name, as an office stamps it: inside the margins,
and every other line of the issuer block that would run under it (address, telephone, 登録番号) is wrapped
short of it, so it never covers an amount, a date or the registration number. `issuer_block` returns where
everything went (`IssuerLayout`) so a test can check that.

A new document is a `first_page` function (letterhead, addressee, issuer, title) plus a list of blocks (its
body: paragraphs, `table.Table` rows, 記/以上), drawn by `draw_pages` (tests/documents/test_letter.py builds
this one)::

    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)

    def first_page(pen):
        letterhead(pen, "文書番号", minutes.number, format_date_ja(minutes.date))
        title_block(pen, "理事会議事録", 35.0)

    table = Table(pen, [Column("議案", 120), Column("結果", 30, "center"), Column("賛成", 30, "right")], LEFT, 180)
    blocks = [*paragraph_blocks(pen, minutes.paragraphs, LEFT, 180), ki(),
              *[table.row([item.title, item.result, item.ayes]) for item in minutes.items], ijou()]
    draw_pages(canvas, pen, blocks, first_page=first_page, first_top=45.0,
               continuation=lambda pen: continuation_header(pen, "理事会議事録（続き）", "", minutes.number, ""),
               footer=lambda pen, n, count: footer(pen, n, count, minutes.number))
    canvas.save()
    return buffer.getvalue()

A contract invoice or a 精算書 uses `recipient_block` and `issuer_block` the way `invoice.py` does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas

from tama_desk.documents.layout import PAGE_WIDTH, Block, MeasuringPen, Pen, paginate
from tama_desk.documents.table import RULE_GRAY, TEXT_GRAY
from tama_desk.domain.invoice import Issuer, Recipient

__all__ = [
    "BOTTOM", "CONTINUATION_TOP", "HONORIFICS", "IssuerLayout", "LEFT", "RIGHT", "RED", "addressee", "closing",
    "contact_line", "continuation_header", "draw_pages", "footer", "greeting", "ijou", "issuer_block", "ki",
    "letterhead", "measure", "meta_rows", "paragraph_blocks", "recipient_block", "title_block",
]

LEFT = 15.0
RIGHT = 195.0
MIDDLE = PAGE_WIDTH / 2
BOTTOM = 279.0  # nothing but the footer below this line
CONTINUATION_TOP = 27.0
FOOTER_Y = 289.0
RED = (0.82, 0.08, 0.08)
HONORIFICS = ("御中", "様", "殿", "各位")
PT = 0.3528  # mm per point
SEAL_SIZE = 18.0

Box = tuple[float, float, float, float]  # left, top, right, bottom in mm


# --- addressing --------------------------------------------------------------------------------------------


def _strip_honorific(text: str) -> str:
    text = text.strip()
    for honorific in HONORIFICS:
        if text.endswith(honorific):
            return text[: -len(honorific)].rstrip(" 　")
    return text


def addressee(name: str, honorific: str) -> str:
    """「株式会社サンプル精機　御中」, 「山田 太郎　様」, 「関東経済産業局長　殿」; a name that already ends in
    an honorific is left as it is."""
    name = name.strip()
    honorific = honorific.strip()
    if not honorific or any(name.endswith(h) for h in HONORIFICS):
        return name
    return f"{name}　{honorific}"


def contact_line(contact: str, honorific: str) -> str:
    """The contact under an organisation's name: 「ご担当 総務部 田中 花子 様」 (one 様, whatever the stored text
    ends with); under a person's name the contact is printed without an honorific (the name has it)."""
    text = _strip_honorific(contact)
    if not text:
        return ""
    if honorific.strip() == "様":
        return text
    if not text.startswith(("ご担当", "担当")):
        text = f"ご担当 {text}"
    return f"{text} 様"


def greeting(is_person: bool) -> str:
    """The season's greeting of a business letter: ご清祥 to a person, ご清栄 to an organisation."""
    word = "ご清祥" if is_person else "ご清栄"
    return f"拝啓　時下ますます{word}のこととお慶び申し上げます。"


# --- the first page ----------------------------------------------------------------------------------------


def letterhead(pen: Pen, number_label: str, number: str, date_text: str, right: float = RIGHT,
               y: float = 17.0) -> None:
    """The document number and the date at the top right, as a letter is headed."""
    if number:
        pen.text(right - 1, y, f"{number_label}  {number}", size=8.5, align="right", color=TEXT_GRAY)
    if date_text:
        pen.text(right - 1, y + 5.5, date_text, size=10, align="right")


def title_block(pen: Pen, title: str, y: float, cancelled_reason: str | None = None, size: float = 20,
                char_space: float = 6, middle: float = MIDDLE, cancelled_on: str = "") -> None:
    """The title, centred with a double rule under it; a cancelled document says so in red under it, with the
    date it was cancelled and the reason."""
    pen.text(middle, y, title, size=size, align="center", bold=True, char_space=char_space)
    half = (pen.width(title, size) + char_space * (len(title) - 1) * PT) / 2 + 8
    pen.line(middle - half, y + 2.6, middle + half, y + 2.6, width=0.8)
    pen.line(middle - half, y + 3.4, middle + half, y + 3.4, width=0.3)
    if cancelled_reason is not None:
        when = f"（{cancelled_on}取消）" if cancelled_on else ""
        reason = f"この{title}は取り消されました{when}: {cancelled_reason}".rstrip(": ")
        text_size = pen.fit_size(reason, 9.5, RIGHT - LEFT, 6)
        pen.text(middle, y + 9, reason, size=text_size, align="center", bold=True, color=RED)


def meta_rows(pen: Pen, rows: Sequence[tuple[str, str]], x: float, y: float, right: float = RIGHT,
              label_width: float = 24.0) -> float:
    """Label/value rows (番号, 発行日, 期限 …) ruled under each other; returns the y below the last rule."""
    for label, value in rows:
        pen.text(x + 1, y, label, size=8.5, color=TEXT_GRAY)
        pen.text(right - 1, y, value, size=pen.fit_size(value, 8.5, right - x - label_width, 6), align="right")
        pen.line(x, y + 1.6, right, y + 1.6, width=0.25, color=RULE_GRAY)
        y += 5.2
    return y - 5.2 + 1.6


def recipient_block(pen: Pen, recipient: Recipient, y: float, x: float = LEFT, right: float = 106.0,
                    size: float = 15, smallest: float = 10.5) -> float:
    """Name and honorific large and underlined (wrapped, the honorific never alone on a line), then 〒, the
    address (broken at a space, before a building's name), the contact (「ご担当 … 様」) and the member number.
    `y` is the name's baseline; returns the y below the block."""
    width = right - x
    honorific = recipient.honorific.strip()
    full = addressee(recipient.name, honorific)
    suffix = full[len(recipient.name.strip()):]
    size = pen.fit_size(full, size, width - 2, smallest)
    lines = [full]
    if pen.width(full, size) > width - 2:
        lines = pen.wrap(recipient.name.strip(), size, width - 2, at_spaces=True)
        if pen.width(lines[-1] + suffix, size) > width - 2:  # room for the honorific on the last line
            lines = pen.wrap(recipient.name.strip(), size, width - 2 - pen.width(suffix, size), at_spaces=True)
        lines[-1] += suffix
    for index, line in enumerate(lines):
        pen.text(x + 1, y + index * size * 0.45, line, size=size, bold=True)
    y += (len(lines) - 1) * size * 0.45
    pen.line(x, y + 2.4, right, y + 2.4, width=0.9)
    y += 8.0
    text_size = 8.8
    if recipient.postal_code:
        pen.text(x + 1, y, f"〒{recipient.postal_code}", size=text_size)
        y += 4.4
    for line in pen.wrap(recipient.address, text_size, width - 2, at_spaces=True) if recipient.address else []:
        pen.text(x + 1, y, line, size=text_size)
        y += 4.4
    contact = contact_line(recipient.contact, honorific)
    for line in pen.wrap(contact, text_size, width - 2, at_spaces=True) if contact else []:
        pen.text(x + 1, y, line, size=text_size)
        y += 4.4
    if recipient.member_number:
        pen.text(x + 1, y, f"会員番号  {recipient.member_number}", size=7.5, color=TEXT_GRAY)
        y += 4.4
    return y - 3.0


@dataclass
class IssuerLayout:
    """Where the issuer block went: its bottom, the name's box, the seal's box (None without a seal) and the
    box of every other line."""

    bottom: float
    name: Box
    seal: Box | None = None
    lines: list[tuple[str, Box]] = field(default_factory=list)


def _text_box(pen: Pen, x: float, baseline: float, text: str, size: float) -> Box:
    return (x, baseline - size * PT * 0.88, x + pen.width(text, size), baseline + size * PT * 0.12)


def issuer_block(pen: Pen, issuer: Issuer, y: float, x: float = 121.0, right: float = RIGHT,
                 seal_size: float = SEAL_SIZE, seal_top_limit: float | None = None) -> IssuerLayout:
    """The issuer's name (bold), representative, address, telephone, e-mail and 登録番号, with the 角印 over
    the end of the name. `y` is the name's baseline. The seal is centred on the name, or, given
    `seal_top_limit` (the bottom of what is above it), as high as that allows, so it reaches as little as
    possible into the lines below the name."""
    width = right - x
    name_size = pen.fit_size(issuer.name, 11.5, width - 1, 8)
    pen.text(x + 1, y, issuer.name, size=name_size, bold=True)
    name_box = _text_box(pen, x + 1, y, issuer.name, name_size)
    seal: Box | None = None
    if issuer.seal_png:
        left = max(x + 1, min(name_box[2] - seal_size * 0.4, right - seal_size))
        top = (name_box[1] + name_box[3]) / 2 - seal_size / 2
        if seal_top_limit is not None:  # as high as it may go (over the name, not over the lines below it)
            top = min(max(seal_top_limit, name_box[3] - seal_size), name_box[1])
        seal = (left, top, left + seal_size, top + seal_size)
    layout = IssuerLayout(0.0, name_box, seal)

    def room(baseline: float, size: float) -> float:
        """The width a line at `baseline` may take: short of the seal when it would run under it."""
        top, bottom = baseline - size * PT * 0.88, baseline + size * PT * 0.12
        if seal is not None and top < seal[3] and bottom > seal[1]:
            return seal[0] - 1.0 - (x + 1)
        return width - 2

    def put(text: str, size: float, step: float, bold: bool = False, spaces: bool = False) -> None:
        nonlocal row
        widths = [room(row + index * step, size) for index in range(8)]
        for line in pen.wrap(text, size, widths, at_spaces=spaces):
            pen.text(x + 1, row, line, size=size, bold=bold)
            layout.lines.append((line, _text_box(pen, x + 1, row, line, size)))
            row += step

    row = y + 5.2
    representative = " ".join(part for part in (issuer.representative_title, issuer.representative) if part)
    if representative:
        put(representative, 9, 4.6)
    address = " ".join(part for part in (f"〒{issuer.postal_code}" if issuer.postal_code else "", issuer.address)
                       if part)
    if address:
        put(address, 8.5, 4.2, spaces=True)
    if issuer.phone:
        put(f"TEL  {issuer.phone}", 8.5, 4.2)
    if issuer.email:
        put(f"E-mail  {issuer.email}", 8.5, 4.2)
    if issuer.registration_number:
        put(f"登録番号  {issuer.registration_number}", 8.5, 4.2, bold=True)
    if seal is not None and issuer.seal_png:
        pen.image(issuer.seal_png, seal[0], seal[1], seal_size, seal_size)
        row = max(row, seal[3] + 3)
    layout.bottom = row - 3.0
    return layout


def measure(pen: Pen, draw: Callable[[Pen], object]) -> float:
    """Run a drawing function against a pen that draws nothing, for the y it ends at (a float, or the bottom
    of an `IssuerLayout`)."""
    result = draw(MeasuringPen(pen))
    return result.bottom if isinstance(result, IssuerLayout) else float(result)


# --- the body ----------------------------------------------------------------------------------------------


def paragraph_blocks(pen: Pen, paragraphs: Sequence[str], x: float, width: float, size: float = 10.0,
                     step: float = 6.2) -> list[Block]:
    """Paragraphs of running text, one block per line (a page may break between any two lines)."""
    blocks = []
    for paragraph in paragraphs:
        for line in pen.wrap(paragraph, size, width):
            blocks.append(Block(step, lambda pen, y, line=line: pen.text(x, y + 4.6, line, size=size)))
    return blocks


def ki(size: float = 10.0, middle: float = MIDDLE) -> Block:
    """「記」, centred, before the items of a letter."""
    return Block(10.0, lambda pen, y: pen.text(middle, y + 6.0, "記", size=size, align="center"))


def closing(text: str, right: float = RIGHT, size: float = 10.0) -> Block:
    """敬具 / 草々 at the right, kept with the paragraph before it."""
    return Block(9.0, lambda pen, y: pen.text(right - 6, y + 5.0, text, size=size, align="right"),
                 keep_with_previous=True)


def ijou(right: float = RIGHT, size: float = 10.0) -> Block:
    """「以上」 at the right, closing 記; never alone at the top of a page."""
    return Block(8.0, lambda pen, y: pen.text(right - 6, y + 5.0, "以上", size=size, align="right"),
                 keep_with_previous=True)


# --- pages -------------------------------------------------------------------------------------------------


def continuation_header(pen: Pen, title: str, recipient: str, number: str, date_text: str,
                        left: float = LEFT, right: float = RIGHT) -> None:
    """The head of a continued page: title and recipient at the left, number and date at the right; the
    recipient is wrapped (two lines at most, then shortened with …) so it never runs into the date."""
    pen.text(left, 15, title, size=11, bold=True)
    pen.text(right, 15, number, size=8.5, align="right")
    pen.text(right, 20.5, date_text, size=8.5, align="right", color=TEXT_GRAY)
    room = right - left - (pen.width(date_text, 8.5) + 6 if date_text else 0)
    lines = pen.wrap(recipient, 8.5, room) if recipient else []
    if len(lines) > 1:
        lines = [lines[0][:-1] + "…"] if pen.width(lines[0], 8.5) > room - 3 else [lines[0] + "…"]
    for line in lines:
        pen.text(left, 20.5, line, size=8.5, color=TEXT_GRAY)
    pen.line(left, 22.8, right, 22.8, width=0.6)


def footer(pen: Pen, number: int, count: int, note: str = "", y: float = FOOTER_Y, left: float = LEFT,
           right: float = RIGHT) -> None:
    """「n / m」 centred and a note (the document number) at the right."""
    pen.text((left + right) / 2, y, f"{number} / {count}", size=8, align="center", color=TEXT_GRAY)
    if note:
        pen.text(right, y, note, size=pen.fit_size(note, 7, 70, 5), align="right", color=TEXT_GRAY)


def draw_pages(canvas: Canvas, pen: Pen, blocks: Sequence[Block], *, first_page: Callable[[Pen], None],
               first_top: float, continuation: Callable[[Pen], None],
               footer: Callable[[Pen, int, int], None], continuation_top: float = CONTINUATION_TOP,
               bottom: float = BOTTOM, overlay: Callable[[Pen], None] | None = None) -> int:
    """Lay the blocks out from `first_top` on the first page and `continuation_top` on the next, draw each
    page (the first page's head, or the continuation header; the blocks; the footer `footer(pen, n, count)`;
    then `overlay`, e.g. a 取消 stamp) and return the page count. Filler rows are dropped when the blocks need
    more than one page."""
    pages = paginate(blocks, first_top, continuation_top, bottom)
    if len(pages) > 1 and any(block.filler for block in blocks):
        pages = paginate([block for block in blocks if not block.filler], first_top, continuation_top, bottom)
    count = len(pages)
    for number, page in enumerate(pages, start=1):
        pen.reset()
        if number == 1:
            first_page(pen)
        else:
            continuation(pen)
        for block, top in page.entries:
            block.draw(pen, top)
        footer(pen, number, count)
        if overlay is not None:
            overlay(pen)
        canvas.showPage()
    pen.reset()
    return count

