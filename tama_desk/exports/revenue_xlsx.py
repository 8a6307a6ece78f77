"""収入の状況 as Excel: revenue by source for five years with SUM totals and a stacked column chart, the runway
without grants (months as formulas over the cells above), collection and members, grants, pipeline."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tama_desk.domain.revenue import SOURCES, RevenuePicture
from tama_desk.exports.xlsx import (
    BOLD,
    DAY,
    LABEL_FILL,
    PERCENT,
    TITLE_FONT,
    YEN,
    Formula,
    new_workbook,
    print_setup,
    put,
    save,
)
from tama_desk.exports.xlsx import (
    row as xlsx_row,
)


def _append(sheet: Worksheet, values: Sequence) -> None:
    """The next row, text from the data never run as a formula (exports.xlsx guards it)."""
    sheet.append(xlsx_row(sheet, list(values), [None] * len(values)))


def render(picture: RevenuePicture) -> bytes:
    book = new_workbook()
    sheet = book.create_sheet("収入の状況")
    put(sheet, 1, 1, f"{picture.fiscal_year}年度 収入の状況と自立化の見通し", font=TITLE_FONT)
    put(sheet, 2, 1, picture.association)
    years = picture.years
    sheet.append([])
    _append(sheet, ["収入源（円）", *(f"{year.year}年度" for year in years)])
    head_row = sheet.max_row
    for key, label in SOURCES.items():
        _append(sheet, [label, *(year.by_source()[key] for year in years)])
    first, last = head_row + 1, sheet.max_row
    columns = [get_column_letter(index) for index in range(2, len(years) + 2)]
    _append(sheet, ["合計", *(Formula(f"=SUM({c}{first}:{c}{last})") for c in columns)])
    total_row = sheet.max_row
    grants_row = first + list(SOURCES).index("grants")
    _append(sheet, ["補助金を除く", *(Formula(f"={c}{total_row}-{c}{grants_row}") for c in columns)])
    _style(sheet, head_row, sheet.max_row, len(years) + 1)

    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title, chart.y_axis.title = "収入の内訳（過去5年）", "円"
    chart.add_data(Reference(sheet, min_col=1, max_col=len(years) + 1, min_row=first, max_row=last), from_rows=True,
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, max_col=len(years) + 1, min_row=head_row))
    chart.height, chart.width = 8, 18
    sheet.add_chart(chart, "H4")

    runway = picture.runway
    sheet.append([])
    _append(sheet, ["自立化: 補助金がなかったら"])
    sheet.cell(sheet.max_row, 1).font = BOLD
    _append(sheet, ["年間固定費", runway.fixed_costs])
    fixed = f"B{sheet.max_row}"
    _append(sheet, [f"{picture.fiscal_year}年度 会費＋委託事業", runway.this_year_own])
    own = f"B{sheet.max_row}"
    _append(sheet, ["賄える月数", Formula(f"=IF({fixed}>0,ROUNDDOWN({own}*12/{fixed},1),\"—\")")])
    _append(sheet, [f"{picture.fiscal_year + 1}年度 会費＋委託事業", runway.next_year_own])
    next_own = f"B{sheet.max_row}"
    _append(sheet, [f"{picture.fiscal_year + 1}年度 継続する補助金", runway.next_year_grants])
    next_grants = f"B{sheet.max_row}"
    _append(sheet, ["翌年度 補助金なしで賄える月数", Formula(f"=IF({fixed}>0,ROUNDDOWN({next_own}*12/{fixed},1),\"—\")")])
    _append(sheet, ["翌年度 継続する補助金を含めた月数",
                  Formula(f"=IF({fixed}>0,ROUNDDOWN(({next_own}+{next_grants})*12/{fixed},1),\"—\")")])
    _append(sheet, ["翌年度 不足額（マイナスは余剰）", Formula(f"={fixed}-{next_own}-{next_grants}")])
    for note in picture.notes:
        _append(sheet, [note])

    sheet.append([])
    _append(sheet, ["会費の回収と会員数", *(f"{year}年度" for year, _n in picture.members)])
    row = sheet.max_row
    _append(sheet, ["会員数（年度末）", *(count for _y, count in picture.members)])
    _append(sheet, ["会費収入", *(year.dues for year in years)])
    _style(sheet, row, sheet.max_row, len(years) + 1)
    _append(sheet, [f"{picture.fiscal_year}年度 請求額", picture.collection_billed])
    _append(sheet, [f"{picture.fiscal_year}年度 入金額", picture.collection_paid])
    _append(sheet, ["回収率", Formula(f"=IF(B{sheet.max_row - 1}>0,B{sheet.max_row}/B{sheet.max_row - 1},\"—\")")])
    sheet.cell(sheet.max_row, 2).number_format = PERCENT

    grants = book.create_sheet("補助金")
    _append(grants, ["補助金", "交付元", "年度", "交付決定額", "受取済", "終了日", "翌年度"])
    for grant in picture.grants:
        _append(grants, [grant.name, grant.grantor, grant.fiscal_year, grant.decided, grant.received, grant.period_end,
                       "継続" if grant.continues_next_year else "終了"])
    _style(grants, 1, grants.max_row, 7, widths=[36, 24, 8, 14, 14, 12, 8])
    for cells in grants.iter_rows(min_row=2, min_col=6, max_col=6):
        cells[0].number_format = DAY
    pipeline = book.create_sheet("委託事業")
    _append(pipeline, ["事業", "委託元", "状態", "金額"])
    for item in picture.pipeline:
        _append(pipeline, [item.name, item.client, item.status, item.amount])
    _style(pipeline, 1, pipeline.max_row, 4, widths=[40, 28, 10, 14])
    for each in (sheet, grants, pipeline):
        print_setup(each, "", landscape=each is sheet)
    return save(book)


def _style(sheet, first: int, last: int, columns: int, widths: list[int] | None = None) -> None:
    for cell in sheet[first][:columns]:
        cell.font, cell.fill = BOLD, LABEL_FILL
    for row in sheet.iter_rows(min_row=first + 1, max_row=last, min_col=2, max_col=columns):
        for cell in row:
            cell.number_format = YEN
    for index, width in enumerate(widths or [30, *([14] * (columns - 1))], 1):
        current = sheet.column_dimensions[get_column_letter(index)].width or 0
        sheet.column_dimensions[get_column_letter(index)].width = max(width, current)
