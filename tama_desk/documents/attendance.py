"""出席者名簿 for printing before a meeting: role, name, affiliation, 出欠 and a column to sign in.
Data in (services.meetings.AttendanceDoc), bytes out."""

from __future__ import annotations

from io import BytesIO

from tama_desk.documents.layout import PAGE_WIDTH, Pen, format_date_ja, new_canvas
from tama_desk.documents.letter import continuation_header, draw_pages, footer, title_block
from tama_desk.documents.table import Column, Table, spacer

LEFT, RIGHT = 18.0, PAGE_WIDTH - 18.0


def render(doc) -> bytes:
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    title = f"{doc.title} 出席者名簿"
    canvas.setTitle(title)
    when = format_date_ja(doc.day) + (f"　{doc.start.hour}時{doc.start.minute:02d}分" if doc.start else "")
    table = Table(pen, [Column("No.", 10, "center"), Column("役職", 26), Column("氏名", 38), Column("所属", 52),
                        Column("出欠", 18, "center"), Column("署名", 40)], x=LEFT, width=RIGHT - LEFT, row_height=11)
    blocks = [spacer(2)]
    for number, (role, name, title_text, attendance) in enumerate(doc.rows, start=1):
        blocks.append(table.row([str(number), role, name, title_text, attendance, ""]))
    if not doc.rows:
        blocks.append(table.empty("（出席予定者が登録されていません）"))
    for _ in range(3):
        blocks.append(table.empty(filler=True))

    def first_page(pen: Pen) -> None:
        title_block(pen, title, 24.0, size=14, char_space=1)
        pen.text(LEFT, 36, f"日時　{when}", 10)
        pen.text(LEFT, 42, f"場所　{doc.place}", 10)
        pen.text(RIGHT, 42, doc.association, 9, "right")

    draw_pages(canvas, pen, blocks, first_page=first_page, first_top=46.0,
               continuation=lambda pen: continuation_header(pen, f"{title}（続き）", "", "", when, LEFT, RIGHT),
               footer=lambda pen, number, total: footer(pen, number, total, "", left=LEFT, right=RIGHT))
    canvas.save()
    return buffer.getvalue()
