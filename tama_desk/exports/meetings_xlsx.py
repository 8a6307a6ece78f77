"""商談会 results as Excel (pairings, summary per outcome with a chart) and CSV: data in, bytes out."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font

from tama_desk.domain.dates import parse_date
from tama_desk.domain.meetings import parse_time
from tama_desk.domain.money import parse_yen
from tama_desk.exports.tables import HEADER_FILL, HEADER_FONT, Column, TableSpec, write_csv

PAIR_HEADERS = ["時刻", "会員番号", "会員企業", "相手企業", "国", "業種", "通訳", "結果", "金額", "メモ", "フォロー期限",
                "次回フォロー", "成約日", "成約金額"]
PAIR_WIDTHS = [8, 10, 28, 30, 12, 14, 12, 20, 12, 30, 12, 12, 12, 12]


def pairing_cells(report) -> list[list[object]]:
    return [[p.slot.strftime("%H:%M") if p.slot else "", p.member_number, p.member_name, p.counterpart, p.country,
             p.industry, p.interpreter, p.outcome, p.amount or None, p.notes, p.follow_up_date, p.next_follow_up,
             p.contract_date, p.contract_amount or None] for p in report.pairings]


def summary_cells(summary) -> list[list[object]]:
    rows: list[list[object]] = [[outcome, count] for outcome, count in summary.counts.items()]
    rows += [["参加会員企業", summary.member_firms], ["相手企業", summary.counterpart_firms],
             ["商談件数", summary.meetings], ["成約件数", summary.deals], ["成約率", round(summary.deal_rate, 3)],
             ["成約・成約見込率", round(summary.likely_rate, 3)], ["商談時の金額", summary.amount],
             ["後日の成約金額", summary.contract_amount]]
    return rows


def _header(sheet, row: int, headers: list[str], widths: list[int]) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row, column, text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[cell.column_letter].width = width


def matching_xlsx(report) -> bytes:
    workbook = Workbook()
    pairs = workbook.active
    pairs.title = "商談一覧"
    pairs.cell(1, 1, f"{report.title}（{report.day:%Y-%m-%d}　{report.place}）").font = Font(bold=True, size=12)
    _header(pairs, 3, PAIR_HEADERS, PAIR_WIDTHS)
    for offset, row in enumerate(pairing_cells(report), start=4):
        for column, value in enumerate(row, start=1):
            cell = pairs.cell(offset, column, value)
            if column in (9, 14):
                cell.number_format = "#,##0"
            elif column in (11, 12, 13):
                cell.number_format = "yyyy/mm/dd"
            elif isinstance(value, str) and value[:1] in "=+-@":
                cell.data_type = "s"
    pairs.freeze_panes = "A4"
    pairs.auto_filter.ref = f"A3:N{max(3, len(report.pairings) + 3)}"
    pairs.page_setup.orientation = "landscape"
    pairs.page_setup.paperSize = pairs.PAPERSIZE_A4
    pairs.page_setup.fitToWidth, pairs.page_setup.fitToHeight = 1, 0
    pairs.sheet_properties.pageSetUpPr.fitToPage = True
    pairs.print_title_rows = "3:3"

    totals = workbook.create_sheet("集計")
    _header(totals, 1, ["区分", "件数・値"], [22, 14])
    for offset, (label, value) in enumerate(summary_cells(report.summary), start=2):
        totals.cell(offset, 1, label)
        cell = totals.cell(offset, 2, value)
        if isinstance(value, float):
            cell.number_format = "0.0%"
        elif isinstance(value, int) and value >= 10000:
            cell.number_format = "#,##0"
    chart = BarChart()
    chart.type = "bar"
    chart.title = "結果の内訳"
    chart.legend = None
    count = len(report.summary.counts)
    chart.add_data(Reference(totals, min_col=2, min_row=1, max_row=1 + count), titles_from_data=True)
    chart.set_categories(Reference(totals, min_col=1, min_row=2, max_row=1 + count))
    chart.height, chart.width = 7, 14
    totals.add_chart(chart, "D2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def matching_csv(report) -> bytes:
    return write_csv(PAIR_HEADERS, pairing_cells(report))


def summaries_xlsx(groups: dict[str, list]) -> bytes:
    """Summaries per session, per country and per fiscal year (one sheet each) for the grant and contract reports."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    headers = ["区分", "会員企業", "相手企業", "商談", "見積・サンプル依頼", "自社ブランド販売希望", "連携継続希望",
               "成約", "見送り", "その他", "商談時の金額", "後日の成約金額"]
    for title, summaries in groups.items():
        sheet = workbook.create_sheet(title)
        _header(sheet, 1, headers, [30, 10, 10, 8, 12, 12, 12, 8, 8, 8, 14, 14])
        for offset, s in enumerate(summaries, start=2):
            for column, value in enumerate([s.label, s.member_firms, s.counterpart_firms, s.meetings,
                                            *s.counts.values(), s.amount, s.contract_amount], start=1):
                sheet.cell(offset, column, value).number_format = "#,##0" if column > 10 else "General"
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import files ------------------------------------------------------------------------------------------

def _count(value: object) -> int:
    text = str(int(value) if isinstance(value, float) and value.is_integer() else value).strip()
    if not text.isdigit():
        raise ValueError("0以上の整数で入力してください")
    return int(text)


def code_text(value: object) -> str:
    """A code typed as text or read from Excel as a number (会員番号 0012 → "0012" stays text)."""
    return str(int(value) if isinstance(value, float) and value.is_integer() else value).strip()


ATTENDEE_SPEC = TableSpec("出席者", [
    Column("name", "氏名", "Name", required=True, width=16),
    Column("role", "役職", "Role", required=True, width=12),
    Column("member_number", "会員番号", "Member No", parse=code_text, width=10),
    Column("attendance", "出欠", "Attendance", required=True, width=10),
    Column("proxy_to", "委任先", "Proxy", width=16),
    Column("votes", "議決権数", "Votes", parse=_count, width=10),
    Column("arrival", "入室", "Arrival", parse=parse_time, width=8),
    Column("departure", "退室", "Departure", parse=parse_time, width=8),
    Column("title", "所属", "Affiliation", width=24),
])

PAIR_SPEC = TableSpec("商談", [
    Column("member_number", "会員番号", "Member No", required=True, parse=code_text, width=10),
    Column("counterpart", "相手企業", "Counterpart", required=True, width=30),
    Column("country", "国", "Country", width=12),
    Column("slot", "時刻", "Time", parse=parse_time, width=8),
    Column("outcome", "結果", "Outcome", width=20),
    Column("amount", "金額", "Amount", parse=parse_yen, width=12),
    Column("follow_up_date", "フォロー期限", "Follow-up", parse=parse_date, width=12),
    Column("notes", "メモ", "Notes", width=30),
    Column("industry", "業種", "Industry", width=14),
    Column("interpreter", "通訳", "Interpreter", width=12),
])
