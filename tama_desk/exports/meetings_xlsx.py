"""商談会 results as Excel (pairings, summary per outcome with a chart) and CSV: data in, bytes out."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference

from tama_desk.domain.meetings import OUTCOMES
from tama_desk.exports.tables import write_csv
from tama_desk.exports.xlsx import COUNT, DAY, PERCENT, YEN, XColumn, filter_rows, new_workbook, put, save, table_sheet

PAIR_COLUMNS = [XColumn("時刻", 8), XColumn("会員番号", 10), XColumn("会員企業", 28), XColumn("相手企業", 30),
                XColumn("国", 12), XColumn("業種", 14), XColumn("通訳", 12), XColumn("結果", 20),
                XColumn("金額", 12, YEN), XColumn("メモ", 30), XColumn("フォロー期限", 12, DAY),
                XColumn("次回フォロー", 12, DAY), XColumn("成約日", 12, DAY), XColumn("成約金額", 12, YEN)]
PAIR_HEADERS = [column.header for column in PAIR_COLUMNS]


def pairing_cells(report) -> list[list[object]]:
    return [[p.slot.strftime("%H:%M") if p.slot else "", p.member_number, p.member_name, p.counterpart, p.country,
             p.industry, p.interpreter, p.outcome, p.amount or None, p.notes, p.follow_up_date, p.next_follow_up,
             p.contract_date, p.contract_amount or None] for p in report.pairings]


def summary_cells(summary) -> list[tuple[str, object, str | None]]:
    rows: list[tuple[str, object, str | None]] = [(outcome, count, COUNT) for outcome, count in summary.counts.items()]
    rows += [("参加会員企業", summary.member_firms, None), ("相手企業", summary.counterpart_firms, None),
             ("商談件数", summary.meetings, COUNT), ("成約件数", summary.deals, COUNT),
             ("成約率", summary.deal_rate, PERCENT), ("成約・成約見込率", summary.likely_rate, PERCENT),
             ("商談時の金額", summary.amount, YEN), ("後日の成約金額", summary.contract_amount, YEN)]
    return rows


def matching_xlsx(report) -> bytes:
    """商談一覧 (one row per pairing, filterable) and 集計 (per outcome, rates, amounts, with a bar chart)."""
    workbook = new_workbook(title=f"{report.title} 商談結果")
    pairs = table_sheet(workbook, "商談一覧", PAIR_COLUMNS)
    for number, values in enumerate(pairing_cells(report), start=2):
        for column, (value, spec) in enumerate(zip(values, PAIR_COLUMNS, strict=True), start=1):
            put(pairs, number, column, value, spec.format)
    filter_rows(pairs, len(PAIR_COLUMNS), len(report.pairings) + 1)
    totals = table_sheet(workbook, "集計", [XColumn("区分", 22), XColumn("件数・値", 14)], landscape=False)
    for number, (label, value, fmt) in enumerate(summary_cells(report.summary), start=2):
        put(totals, number, 1, label)
        put(totals, number, 2, value, fmt)
    chart = BarChart()
    chart.type, chart.title, chart.legend = "bar", "結果の内訳", None
    count = len(report.summary.counts)
    chart.add_data(Reference(totals, min_col=2, min_row=1, max_row=1 + count), titles_from_data=True)
    chart.set_categories(Reference(totals, min_col=1, min_row=2, max_row=1 + count))
    chart.height, chart.width = 7, 14
    totals.add_chart(chart, "D2")
    return save(workbook)


def matching_csv(report) -> bytes:
    return write_csv(PAIR_HEADERS, pairing_cells(report))


def summaries_xlsx(groups: dict[str, list]) -> bytes:
    """Summaries per session, per country and per fiscal year (one sheet each) for the grant and contract reports."""
    columns = [XColumn("区分", 30), XColumn("会員企業", 10), XColumn("相手企業", 10),
               XColumn("商談", 8, COUNT), *(XColumn(outcome, 12, COUNT) for outcome in OUTCOMES),
               XColumn("商談時の金額", 14, YEN), XColumn("後日の成約金額", 14, YEN)]
    workbook = new_workbook(title="商談会の実績")
    for title, summaries in groups.items():
        sheet = table_sheet(workbook, title, columns)
        for number, s in enumerate(summaries, start=2):
            values = [s.label, s.member_firms, s.counterpart_firms, s.meetings, *s.counts.values(), s.amount,
                      s.contract_amount]
            for column, (value, spec) in enumerate(zip(values, columns, strict=True), start=1):
                put(sheet, number, column, value, spec.format)
        if summaries:
            chart = BarChart()
            chart.type, chart.grouping, chart.overlap, chart.title = "bar", "stacked", 100, f"{title} 結果の内訳"
            chart.add_data(Reference(sheet, min_col=5, max_col=4 + len(OUTCOMES), min_row=1,
                                     max_row=1 + len(summaries)), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=1 + len(summaries)))
            chart.height, chart.width = 8, 18
            sheet.add_chart(chart, f"A{len(summaries) + 4}")
    return save(workbook)
