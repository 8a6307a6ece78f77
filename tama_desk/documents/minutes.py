"""理事会議事録 / 社員総会議事録 (and any meeting's record) as PDF: data in (services.meetings.MinutesDoc),
bytes out. The usual form: 日時, 場所 (Web会議), attendance with counts, 議長, 議事の経過の要領及びその結果 per item
with the vote and interested directors, the closing sentence, signature blocks, the retention date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from io import BytesIO

from tama_desk.documents.layout import PAGE_WIDTH, Block, Pen, format_date_ja, new_canvas
from tama_desk.documents.letter import RED, continuation_header, draw_pages, footer, paragraph_blocks, title_block
from tama_desk.documents.table import TEXT_GRAY, spacer, together

LEFT, RIGHT = 22.0, PAGE_WIDTH - 22.0
WIDTH = RIGHT - LEFT
BODY, LINE = 10.5, 6.2
LABEL_WIDTH = 34.0
GREY = TEXT_GRAY


def clock(value: time | None) -> str:
    return f"{value.hour}時{value.minute:02d}分" if value else ""


def title_of(doc) -> str:
    return doc.title if doc.title.endswith("議事録") else f"{doc.title} 議事録"


@dataclass
class _Text:
    lines: list[str]
    x: float
    size: float = BODY
    bold: bool = False
    color: tuple[float, float, float] = (0, 0, 0)

    def draw(self, pen: Pen, y: float) -> None:
        for index, line in enumerate(self.lines):
            pen.text(self.x, y + LINE * index + LINE * 0.75, line, self.size, bold=self.bold, color=self.color)


def paragraph(pen: Pen, text: str, indent: float = 0.0, first_indent: bool = True) -> list[Block]:
    """Running text, one block per line (a page may break between lines), indented by a full-width space."""
    return paragraph_blocks(pen, [("　" if first_indent else "") + text], LEFT + indent, WIDTH - indent, BODY, LINE)


def labelled(pen: Pen, label: str, text: str) -> Block:
    lines = pen.wrap(text, BODY, WIDTH - LABEL_WIDTH) or [""]

    def draw(p: Pen, y: float) -> None:
        p.text(LEFT, y + LINE * 0.75, label, BODY)
        _Text(lines, LEFT + LABEL_WIDTH).draw(p, y)

    return Block(LINE * len(lines), draw)


def heading(text: str, gap: float = 3.0) -> Block:
    return Block(LINE + gap, lambda p, y: p.text(LEFT, y + gap + LINE * 0.75, text, BODY + 0.5, bold=True),
                 keep_with_previous=False)


def signature(role: str, name: str) -> Block:
    def draw(p: Pen, y: float) -> None:
        x = LEFT + 60
        p.text(x, y + 9, role, BODY)
        p.text(x + 38, y + 9, name, p.fit_size(name, BODY + 1, 58, 6))
        p.line(x + 36, y + 11, x + 98, y + 11, 0.4)
        p.text(x + 102, y + 9, "㊞", BODY + 2, color=GREY)

    return Block(13, draw)


def _sign(pen: Pen, y: float, doc) -> None:
    pen.text(LEFT + 8, y + 2 + LINE * 0.75, format_date_ja(doc.day), BODY)
    pen.text(RIGHT, y + 2 + LINE * 1.75, doc.association, BODY, "right")
    for index, signer in enumerate(doc.signers):
        signature(signer.role, signer.name).draw(pen, y + 2 * LINE + 4 + 13 * index)


def blocks_for(pen: Pen, doc) -> list[Block]:
    blocks: list[Block] = []
    when = format_date_ja(doc.day)
    if doc.start:
        when += f"　{clock(doc.start)}から" + (f"{clock(doc.end)}まで" if doc.end else "")
    if doc.without_meeting:
        blocks.extend(paragraph(pen, "一般社団法人及び一般財団法人に関する法律第{}条第1項の規定により、次の事項について"
                                "{}の決議があったものとみなされた（決議の省略）。".format(
                                    96 if doc.kind == "理事会" else 58, doc.kind)))
        for line in doc.without_meeting_lines:
            blocks.extend(paragraph(pen, line, first_indent=False))
    else:
        blocks.append(labelled(pen, "1　日　時", when))
        place = doc.place
        if doc.online:
            remote = f"。Web出席: {'、'.join(doc.remote)}" if doc.remote else ""
            place += f"（{doc.online}により、場所に存しない者も音声と映像が即時に伝わる方法で出席{remote}）"
        blocks.append(labelled(pen, "2　場　所", place))
        number = 3
        if doc.calling_text:
            blocks.append(labelled(pen, f"{number}　招　集", doc.calling_text))
            number += 1
        for index, count in enumerate(doc.counts):
            blocks.append(labelled(pen, f"{number}　出席状況" if index == 0 else "", count))
        if doc.counts:
            number += 1
        for label, names in doc.present_lines:
            blocks.append(labelled(pen, f"　 {label}", names))
        if doc.chair or doc.kind in ("理事会", "社員総会"):
            blocks.append(labelled(pen, f"{number}　議　長", doc.chair or "（未記入）"))
            number += 1
        blocks.append(labelled(pen, f"{number}　議事録作成者", doc.recorder or "（未記入）"))
        blocks.append(spacer(3))
        if doc.chair_text:
            blocks.extend(paragraph(pen, doc.chair_text))
        if doc.quorum_text:
            blocks.extend(paragraph(pen, doc.quorum_text))
    blocks.append(heading("議事の経過の要領及びその結果"))
    for item in doc.items:
        blocks.append(Block(LINE + 2, lambda p, y, t=f"{item.label}　{item.title}": p.text(
            LEFT + 2, y + 2 + LINE * 0.75, t, BODY, bold=True)))
        if item.summary:
            blocks.extend(paragraph(pen, item.summary, indent=4))
        if item.result_text:
            blocks.extend(paragraph(pen, item.result_text, indent=4))
        if item.interested_text:
            blocks.extend(paragraph(pen, item.interested_text, indent=4))
    if not doc.items:
        blocks.extend(paragraph(pen, "（議題が記録されていません）", indent=4))
    if doc.statements:
        blocks.append(heading("法令の規定により述べられた意見又は発言の概要"))
        blocks.extend(paragraph(pen, doc.statements, indent=4))
    blocks.append(spacer(3))
    if not doc.without_meeting and doc.end:
        blocks.extend(paragraph(pen, f"以上をもって本日の議事を終了したので、議長は{clock(doc.end)}に閉会を宣した。"
                                if doc.chair else f"以上をもって本日の議事を終了した（{clock(doc.end)}）。"))
    if doc.closing:
        blocks.extend(paragraph(pen, doc.closing))
    blocks.extend(together([Block(2 * LINE + 4 + 13 * len(doc.signers), lambda p, y: _sign(p, y, doc),
                                  keep_with_previous=True)]))
    if doc.amendments:
        blocks.append(heading("訂正記録", gap=6))
        for on, what, before, after, reason in doc.amendments:
            change = f"「{before}」を「{after}」に訂正" if before else f"「{after}」に訂正"
            blocks.extend(paragraph(pen, f"{format_date_ja(on)}　{what}: {change}（理由: {reason}）", indent=4,
                                    first_indent=False))
    return blocks


def render(doc) -> bytes:
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    title = title_of(doc)
    canvas.setTitle(title)
    canvas.setAuthor(doc.association)
    statutory = doc.kind in ("理事会", "社員総会")
    retention = f"保存期限 {format_date_ja(doc.retention_until)}（10年）" if doc.retention_until and statutory else ""

    def first_page(pen: Pen) -> None:
        title_block(pen, title, 30.0, size=15, char_space=1)

    def overlay(pen: Pen) -> None:
        if doc.status != "議事録確定":
            mark = "下書き（未確定）" if not doc.missing else f"下書き（未確定・法定記載事項の不足 {len(doc.missing)} 件）"
            pen.text(RIGHT, 11, mark, 9, "right", color=RED)

    draw_pages(canvas, pen, blocks_for(pen, doc), first_page=first_page, first_top=42.0,
               continuation=lambda pen: continuation_header(pen, f"{title}（続き）", doc.association, "",
                                                            format_date_ja(doc.day), LEFT, RIGHT),
               footer=lambda pen, number, count: footer(pen, number, count, retention, left=LEFT, right=RIGHT),
               overlay=overlay)
    canvas.save()
    return buffer.getvalue()
