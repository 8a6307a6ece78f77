"""商談会 results as PDF: the session, the summary per outcome with a bar chart, the pairing schedule per
member and time slot, and the results table. Data in (services.matching_sessions.MatchingReport), bytes out."""

from __future__ import annotations

from io import BytesIO

from tama_desk.documents.layout import PAGE_WIDTH, Block, Pen, format_date_ja, new_canvas
from tama_desk.documents.letter import continuation_header, draw_pages, footer, title_block
from tama_desk.documents.table import Column, Table, spacer, together, yen

LEFT, RIGHT = 15.0, PAGE_WIDTH - 15.0
BAR = (0.27, 0.45, 0.68)


def _heading(text: str) -> Block:
    return Block(10, lambda pen, y: pen.text(LEFT, y + 7, text, 11, bold=True))


def _chart(counts: dict[str, int]) -> Block:
    biggest = max(counts.values(), default=0) or 1
    height = 6.5 * len(counts) + 2

    def draw(pen: Pen, y: float) -> None:
        for index, (label, value) in enumerate(counts.items()):
            top = y + 1 + index * 6.5
            pen.text(LEFT + 48, top + 4, label, 8.5, "right")
            width = 100 * value / biggest
            if width:
                pen.rect(LEFT + 50, top + 0.8, width, 4.2, stroke=0, fill=BAR)
            pen.text(LEFT + 52 + width, top + 4, f"{value}件", 8.5)

    return Block(height, draw)


def render(report) -> bytes:
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    title = f"{report.title} 商談結果報告"
    canvas.setTitle(title)
    summary = report.summary
    table = Table(pen, [Column("区分", 60), Column("件数・金額", 40, "right")], x=LEFT, width=100)
    figures = [table.row([outcome, f"{count}件"]) for outcome, count in summary.counts.items()]
    figures += [table.row(["参加会員企業", f"{summary.member_firms}社"]), table.row(["相手企業", f"{summary.counterpart_firms}社"]),
                table.total(["商談件数", f"{summary.meetings}件"]),
                table.row(["成約率 / 成約・成約見込率", f"{summary.deal_rate:.0%} / {summary.likely_rate:.0%}"]),
                table.row(["商談時の金額", f"{summary.amount:,}円"]),
                table.row(["後日の成約金額", f"{summary.contract_amount:,}円"])]
    blocks = [*together([_heading("結果の集計"), *figures]), spacer(3), _chart(summary.counts), spacer(4)]

    schedule = Table(pen, [Column("会員企業", 50), Column("時刻", 14, "center"), Column("相手企業", 62),
                           Column("国", 20), Column("通訳", 34)], x=LEFT, width=RIGHT - LEFT)
    blocks.append(_heading("商談スケジュール（会員企業別・時刻順）"))
    ordered = sorted(report.pairings, key=lambda p: (p.member_number, p.slot is None, p.slot or 0))
    previous = None
    for pairing in ordered:
        name = pairing.member_name if pairing.member_number != previous else ""
        previous = pairing.member_number
        blocks.append(schedule.row([name, pairing.slot.strftime("%H:%M") if pairing.slot else "", pairing.counterpart,
                                    pairing.country, pairing.interpreter]))
    blocks.append(spacer(4))
    results = Table(pen, [Column("会員企業", 40), Column("相手企業", 44), Column("結果", 30), Column("金額", 22, "right", yen),
                          Column("メモ", 44)], x=LEFT, width=RIGHT - LEFT)
    blocks.append(_heading("商談結果"))
    for pairing in report.pairings:
        blocks.append(results.row([pairing.member_name, pairing.counterpart, pairing.outcome or "—",
                                   pairing.amount or None, pairing.notes]))
    if not report.pairings:
        blocks.append(results.empty("（商談が登録されていません）"))
    where = "　".join(part for part in (format_date_ja(report.day), report.city, report.place) if part)
    partner = "　".join(part for part in (report.country, report.counterpart_body,
                                         f"コーディネーター {report.coordinator}" if report.coordinator else "") if part)

    def first_page(pen: Pen) -> None:
        title_block(pen, title, 24.0, size=14, char_space=1)
        pen.text(LEFT, 36, where, 10)
        pen.text(LEFT, 42, partner, 10)
        pen.text(RIGHT, 42, report.association, 9, "right")

    draw_pages(canvas, pen, blocks, first_page=first_page, first_top=46.0,
               continuation=lambda pen: continuation_header(pen, f"{title}（続き）", "", "", format_date_ja(report.day),
                                                            LEFT, RIGHT),
               footer=lambda pen, number, total: footer(pen, number, total, "", left=LEFT, right=RIGHT))
    canvas.save()
    return buffer.getvalue()
