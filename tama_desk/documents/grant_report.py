"""PDF of a grant's 補助事業実績報告書, or of its interim status (執行状況), from a `GrantReport`.

Data in, bytes out (`render`). A4 portrait, the bundled IPAexGothic only (embedded subset, so the text can be
searched and copied), byte-identical output for the same report, pages numbered "n / m". The 別紙 経費支出管理表
follows the report on A4 landscape pages, its column headings repeated on every page.

実績報告書 (`report.as_of` is None): the date, the addressee ({grantor} 殿), the association (所在地, 名称, 代表者
and its seal), the title and the lead sentence, then 記:
  1 補助事業の名称, 2 補助事業の期間, 3 交付決定額及び補助率 (with how the subsidy is computed), 4 事業の概要,
  5 収支決算書 (per 経費区分: 計画額, 流用額, 流用後額, 実績額, 補助対象経費, 補助金 交付決定額 / 実績額),
  6 精算 (補助金確定額, 概算払受領額, 返還額), 7 予算額と実績額 (a bar chart per 経費区分), 以上.
執行状況 (`report.as_of` set): the grant, how much of the period has passed, per 経費区分 流用後予算, 支出済, 残額
and 執行率 (marked at 90% and over budget), the pace of spending, the subsidy so far and the same chart.

Totals: the 収支決算書's columns are the sums of their 経費区分, except 補助金（交付決定額）, whose total is the
交付決定額, and 補助金（実績額）, whose total is `settlement.subsidy` — computed once on the total eligible cost, so
it may differ from the sum of the categories' shares (a note under the table says so). The 別紙 lists every
expense with the amount that counts toward the subsidy (`counted_eligible`): nothing for a payment outside the
project period or in a category outside the decision, as `services.grants.figures` counts them; its totals equal
the settlement's 実績額 and 補助対象 実績額.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction
from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from tama_desk.documents import letter
from tama_desk.documents.layout import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Block,
    MeasuringPen,
    Page,
    Pen,
    format_date_ja,
    format_period_ja,
    new_canvas,
    paginate,
)
from tama_desk.documents.table import Cell, Column, Table, spacer, together, yen_signed
from tama_desk.domain.grant_report import (
    FORMULAS,
    NEAR_LIMIT,
    GrantReport,
    ReportExpense,
    calculation_text,
    counted_eligible,
    elapsed_days,
    expense_remark,
    formula_text,
    rounding_text,
    title_of,
)
from tama_desk.domain.subsidy import CategoryFigures

__all__ = ["NEAR_LIMIT", "calculation_text", "counted_eligible", "elapsed_days", "expense_remark", "formula_text",
           "render", "rounding_text", "title_of"]

# portrait pages
LEFT = 20.0
RIGHT = 190.0
WIDTH = RIGHT - LEFT
MIDDLE = PAGE_WIDTH / 2
FIRST_TOP = 14.0
CONTINUATION_TOP = 29.0
BOTTOM = 279.0
# landscape pages (the 別紙): Pen measures y from a 297 mm page, so these pages are shifted up by the difference
LANDSCAPE_WIDTH = PAGE_HEIGHT
LANDSCAPE_HEIGHT = PAGE_WIDTH
LANDSCAPE_SHIFT = PAGE_HEIGHT - LANDSCAPE_HEIGHT
L_LEFT = 15.0
L_RIGHT = LANDSCAPE_WIDTH - 15.0
L_TOP = 29.0
L_BOTTOM = LANDSCAPE_HEIGHT - 16.0

TEXT_GRAY = (0.33, 0.33, 0.33)
RULE_GRAY = (0.55, 0.55, 0.55)
SHADE = (0.915, 0.925, 0.94)
SHADE_DARK = (0.84, 0.86, 0.89)
RED = (0.78, 0.06, 0.06)
AMBER = (0.72, 0.42, 0.0)
RED_TINT = (0.995, 0.91, 0.91)
AMBER_TINT = (1.0, 0.955, 0.85)
BUDGET_COLOUR = (0.70, 0.77, 0.86)
ACTUAL_COLOUR = (0.12, 0.31, 0.47)  # the Excel header blue, 1F4E79

APPENDIX_TITLE = "経費支出管理表"


_yen = yen_signed  # 1,234,567; a decrease as △1,234


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _short_date(value: date | None) -> str:
    return f"{value:%Y/%m/%d}" if value else ""


# --- public ------------------------------------------------------------------------------------------


def render(report: GrantReport) -> bytes:
    """The 実績報告書 (or, when `report.as_of` is set, the 執行状況) as a PDF."""
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    header = report.header
    canvas.setTitle(f"{title_of(report)} {header.grant_name}")
    canvas.setAuthor(header.association.name)
    canvas.setSubject(f"{header.grantor} {header.decision_number}".strip())
    canvas.setKeywords([header.grant_name, header.decision_number, header.report_date.isoformat(),
                        str(report.settlement.subsidy)])
    canvas.setCreator("TAMA Desk")
    blocks = _report_blocks(pen, report) if report.as_of is None else _status_blocks(pen, report)
    body = paginate(blocks, FIRST_TOP, CONTINUATION_TOP, BOTTOM)
    appendix = paginate(_appendix_blocks(pen, report), L_TOP, L_TOP, L_BOTTOM)
    count = len(body) + len(appendix)
    number = 0
    for index, page in enumerate(body):
        number += 1
        if index == 0:
            canvas.bookmarkPage("report")
            canvas.addOutlineEntry(title_of(report), "report", level=0)
        else:
            _continuation_header(pen, report)
        _draw_entries(pen, page)
        _footer(pen, report, number, count, PAGE_HEIGHT)
        canvas.showPage()
        pen.reset()
    for index, page in enumerate(appendix):
        number += 1
        canvas.setPageSize(landscape(A4))
        canvas.translate(0, -LANDSCAPE_SHIFT * mm)  # Pen's y (from a 297 mm top) onto a 210 mm page
        if index == 0:
            canvas.bookmarkPage("appendix")
            canvas.addOutlineEntry(f"別紙 {APPENDIX_TITLE}", "appendix", level=0)
        _appendix_header(pen, report, index > 0)
        _draw_entries(pen, page)
        _footer(pen, report, number, count, LANDSCAPE_HEIGHT, L_LEFT, L_RIGHT)
        canvas.showPage()
        pen.reset()
    canvas.setPageSize(A4)
    canvas.save()
    return buffer.getvalue()


def _draw_entries(pen: Pen, page: Page) -> None:
    for block, top in page.entries:
        block.draw(pen, top)


def _footer(pen: Pen, report: GrantReport, number: int, count: int, height: float, left: float = LEFT,
            right: float = RIGHT) -> None:
    letter.footer(pen, number, count, report.header.grant_name, y=height - 8, left=left, right=right)


def _continuation_header(pen: Pen, report: GrantReport) -> None:
    header = report.header
    name = header.association.name
    letter.continuation_header(pen, f"{title_of(report)}（続き）", header.grant_name,
                               "", name, left=LEFT, right=RIGHT)


# --- pieces shared by both documents --------------------------------------------------------------------


def _measure(pen: Pen, draw: Callable[[Pen, float], float]) -> float:
    return draw(MeasuringPen(pen), 0.0)


def _together(blocks: Sequence[Block], limit: float = BOTTOM - CONTINUATION_TOP) -> list[Block]:
    return together(blocks, limit)


_spacer = spacer


def _section_heading(number: str, text: str, note: str = "") -> Block:
    def draw(pen: Pen, y: float) -> None:
        pen.text(LEFT + 1, y + 5.5, f"{number}　{text}" if number else text, size=10.5, bold=True)
        if note:
            pen.text(RIGHT, y + 5.5, note, size=8, align="right", color=TEXT_GRAY)

    return Block(8.5, draw)


def _item(pen: Pen, number: str, label: str, lines: Sequence[tuple[str, float, tuple]], label_width: float = 46.0
          ) -> list[Block]:
    """One numbered item of 記: the label in bold, its value lines (text, size, colour) wrapped beside it."""
    value_x = LEFT + 6 + label_width
    width = RIGHT - value_x
    wrapped: list[tuple[str, float, tuple]] = []
    for text, size, colour in lines:
        wrapped.extend((line, size, colour) for line in pen.wrap(text, size, width))
    blocks = []
    for index, (text, size, colour) in enumerate(wrapped):
        step = size * 0.62

        def draw(pen: Pen, y: float, text=text, size=size, colour=colour, first=index == 0, step=step) -> None:
            if first:
                pen.text(LEFT + 1, y + step - 1.3, f"{number}　{label}", size=10.5, bold=True)
            pen.text(value_x, y + step - 1.3, text, size=size, color=colour)

        blocks.append(Block(step, draw, keep_with_previous=index > 0))
    blocks.append(_spacer(2.4))
    return blocks


def _label_value_table(pen: Pen, rows: Sequence[tuple[str, str, bool]], x: float, width: float, label_width: float,
                       row: float = 7.5, value_align: str = "right") -> Block:
    """A ruled two-column box: shaded label, value (bold when flagged)."""
    table = Table(pen, [Column("", label_width, fill=SHADE), Column("", width - label_width, value_align,
                                                                         wrap=False)],
                  x, width, size=9.5, row_height=row, show_header=False, outer=0.7, padding=3.0)
    blocks = [table.row([Cell(label, size=9.2, bold=False), Cell(value, size=10.5 if strong else 9.5, bold=strong)])
              for label, value, strong in rows]
    block = together(blocks, limit=1e9)[0]

    def draw(pen: Pen, y: float) -> None:
        block.draw(pen, y)
        pen.rect(x, y, width, block.height, stroke=0.7)

    return Block(block.height, draw)


def _note_lines(pen: Pen, notes: Sequence[str], x: float, width: float, size: float = 7.8) -> list[Block]:
    blocks = []
    for note in notes:
        for index, line in enumerate(pen.wrap(note, size, width - 3)):
            indent = 0.0 if index == 0 else pen.width("※", size)
            blocks.append(Block(size * 0.5, lambda pen, y, line=line, indent=indent: pen.text(
                x + indent, y + size * 0.38, line, size=size, color=TEXT_GRAY), keep_with_previous=True))
    return blocks


def _nice_axis(largest: int) -> tuple[int, int]:
    """A round maximum and step for the value axis, leaving room after the longest bar for its label."""
    target = max(1, int(largest * 1.22))
    magnitude = 1
    while magnitude * 10 <= target:
        magnitude *= 10
    for factor in (1, 2, 2.5, 5, 10):
        step = int(magnitude * factor / 5) or 1
        if step * 5 >= target:
            return step * 5, step
    return magnitude * 10, magnitude * 2


def _chart_block(pen: Pen, report: GrantReport, actual_label: str) -> Block:
    """Budget after reallocation against the actual spend per 経費区分, horizontal bars with their amounts."""
    rows = report.settlement.categories
    names = [row.category for row in rows] or ["—"]
    budgets = [max(0, row.after_reallocation) for row in rows] or [0]
    actuals = [row.actual for row in rows] or [0]
    group = 10.5  # mm per category
    legend, axis = 9.0, 9.0
    plot_height = group * len(names)
    height = legend + plot_height + axis
    label_width = max(pen.width(name, 8.5) for name in names) + 5
    top_value, step = _nice_axis(max(budgets + actuals))
    font = pen.font

    drawing = Drawing(WIDTH * mm, height * mm, initialFontName=font, initialFontSize=8)
    chart = HorizontalBarChart()
    chart.x = (label_width + 2) * mm
    chart.y = axis * mm
    chart.width = (WIDTH - label_width - 8) * mm
    chart.height = plot_height * mm
    chart.data = [tuple(actuals), tuple(budgets)]  # series 0 is drawn nearest the axis: budget on top
    chart.barWidth = 10
    chart.barSpacing = 1
    chart.groupSpacing = 9
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = colors.Color(*ACTUAL_COLOUR)
    chart.bars[1].fillColor = colors.Color(*BUDGET_COLOUR)
    over = [index for index, row in enumerate(rows) if row.over_budget]
    for index in over:
        chart.bars[(0, index)].fillColor = colors.Color(*RED)
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.reverseDirection = 1  # the first category at the top, as in the table
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.strokeColor = colors.Color(*RULE_GRAY)
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top_value
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda value: f"{int(value):,}"
    chart.valueAxis.strokeColor = colors.Color(*RULE_GRAY)
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.Color(0.86, 0.86, 0.86)
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.nudge = 3
    chart.barLabels.fillColor = colors.Color(*TEXT_GRAY)
    chart.barLabelFormat = lambda value: f"{int(value):,}"
    drawing.add(chart)
    # legend, top right
    x = WIDTH * mm
    keys = [("予算超過", RED)] if over else []
    for label, colour in (*keys, (actual_label, ACTUAL_COLOUR), ("流用後予算", BUDGET_COLOUR)):
        width = pen.width(label, 8) * mm
        x -= width
        drawing.add(String(x, (height - 5.2) * mm, label, fontName=font, fontSize=8))
        x -= 5 * mm
        drawing.add(Rect(x, (height - 5.8) * mm, 3.6 * mm, 3.0 * mm, fillColor=colors.Color(*colour), strokeColor=None))
        x -= 6 * mm
    drawing.add(String(chart.x, (height - 5.2) * mm, "（単位：円）", fontName=font, fontSize=7.5,
                       fillColor=colors.Color(*TEXT_GRAY)))

    def draw(pen: Pen, y: float) -> None:
        renderPDF.draw(drawing, pen.canvas, LEFT * mm, (PAGE_HEIGHT - y - height) * mm)
        pen.reset()

    return Block(height + 2, draw)


# --- 実績報告書 -----------------------------------------------------------------------------------------


def _letterhead(pen: Pen, report: GrantReport) -> Block:
    """Date, addressee, and the association (所在地, 名称, 代表者 with the seal beside the name)."""
    header = report.header
    association = header.association
    label_x, value_x = 96.0, 110.0
    seal = 18.0
    value_width = RIGHT - value_x
    step = 5.3

    def body(pen: Pen, y: float) -> float:
        pen.text(RIGHT, y + 6, format_date_ja(header.report_date), size=10.5, align="right")
        row = y + 17
        for line in pen.wrap(letter.addressee(header.grantor, "殿"), 12.5, 100):
            pen.text(LEFT + 1, row, line, size=12.5)
            row += 6.2
        row = max(row + 7, y + 30)
        postal = f"〒{association.postal_code}" if association.postal_code else ""
        address = pen.wrap(association.address, 9, value_width, at_spaces=True) if association.address else []
        representative = "　".join(part for part in (association.representative_title, association.representative)
                                  if part)
        entries = [("所在地", [postal, *address] if postal else address or [""], 9.0, False),
                   ("名　称", pen.wrap(association.name, 10.5, value_width), 10.5, True),
                   ("代表者", pen.wrap(representative, 10.5, value_width - seal) or [""], 10.5, True)]
        name_boxes = []
        address_bottom = row - 4.0
        for label, lines, size, strong in entries:
            pen.text(label_x, row, label, size=8.5, color=TEXT_GRAY)
            for index, line in enumerate(lines):
                baseline = row + index * step
                pen.text(value_x, baseline, line, size=size, bold=strong)
                if label == "所在地":
                    address_bottom = baseline + 1.0
                else:
                    name_boxes.append((value_x, baseline - size * 0.31, value_x + pen.width(line, size), baseline))
            row += step * len(lines) + 1.0
        if association.seal_png and name_boxes:  # 代表者印: over the end of the names, inside the margin
            last = name_boxes[-1]
            left = min(last[2] - seal * 0.35, RIGHT - seal)
            top = max(address_bottom + 0.5, (last[1] + last[3]) / 2 - seal / 2)
            pen.image(association.seal_png, left, top, seal, seal)
            row = max(row, top + seal + 2.0)
        return row - y

    height = _measure(pen, body)
    return Block(height, lambda pen, y: body(pen, y))


def _lead_sentence(report: GrantReport) -> str:
    header = report.header
    dated = format_date_ja(header.decision_date) if header.decision_date else "　　年　　月　　日"
    number = header.decision_number or "第　　　号"
    return (f"　{dated}付け{number}で交付決定のあった{header.grant_name}について、"
            "下記のとおり実績を報告します。")


def _title_blocks(pen: Pen, report: GrantReport) -> list[Block]:
    title = title_of(report)

    def draw_title(pen: Pen, y: float) -> None:
        pen.text(MIDDLE, y + 9, title, size=16, align="center", bold=True, char_space=4)

    blocks = [Block(16.0, draw_title)]
    size, step = 10.5, 6.6
    for line in pen.wrap(_lead_sentence(report), size, WIDTH - 6):
        blocks.append(Block(step, lambda pen, y, line=line: pen.text(LEFT + 3, y + 4.8, line, size=size)))
    blocks.append(Block(12.5, lambda pen, y: pen.text(MIDDLE, y + 8.5, "記", size=11, align="center")))
    return blocks


def _report_blocks(pen: Pen, report: GrantReport) -> list[Block]:
    header = report.header
    blocks = [_letterhead(pen, report), *_title_blocks(pen, report)]
    name_lines = [(header.grant_name, 10.5, (0, 0, 0))]
    if header.programme:
        name_lines.append((f"（補助金名：{header.programme}）", 9, TEXT_GRAY))
    blocks += _item(pen, "1", "補助事業の名称", name_lines)
    blocks += _item(pen, "2", "補助事業の期間", [(format_period_ja(header.period_start, header.period_end), 10.5,
                                                  (0, 0, 0))])
    blocks += _item(pen, "3", "交付決定額及び補助率", [
        (f"交付決定額　金 {header.decided_amount:,} 円　　補助率　{header.rate}", 10.5, (0, 0, 0)),
        (formula_text(report), 8.6, TEXT_GRAY)])
    blocks += _item(pen, "4", "事業の概要", [(header.summary.strip() or "—", 9.8, (0, 0, 0))])
    blocks += _settlement_table(pen, report)
    blocks += _settle_blocks(pen, report)
    heading = _section_heading("7", "予算額と実績額（経費区分別）")
    chart = _chart_block(pen, report, "実績額")
    blocks += _together([_spacer(3.0), heading, chart])
    blocks.append(Block(9.0, lambda pen, y: pen.text(RIGHT - 4, y + 6, "以上", size=10.5, align="right"),
                        keep_with_previous=True))
    return blocks


# the 収支決算書
SETTLEMENT_COLUMNS = [
    Column("経費区分", 25.0, wrap=False), Column("計画額", 20.7, "right", yen_signed, sub="(A)"),
    Column("流用額", 20.7, "right", yen_signed, sub="(B)"), Column("流用後額", 20.7, "right", yen_signed, sub="(A)+(B)"),
    Column("実績額", 20.7, "right", yen_signed, sub="(C)"), Column("補助対象経費", 20.7, "right", yen_signed, sub="(D)"),
    Column("交付決定額", 20.7, "right", yen_signed, group="補助金"),
    Column("実績額", 20.7, "right", yen_signed, group="補助金"),
]


def _settlement_table(pen: Pen, report: GrantReport) -> list[Block]:
    header_values, settlement = report.header, report.settlement
    table = Table(pen, SETTLEMENT_COLUMNS, LEFT, WIDTH, size=9, header_height=11.0, heading_size=8.6, outer=0.7)
    blocks = [_spacer(1.0), _section_heading("5", "収支決算書", "（単位：円）")]
    outside = False
    capped = False
    for row in settlement.categories:
        decided = report.decided_by_category.get(row.category)
        name = row.category if decided is not None else f"{row.category}※"
        outside = outside or decided is None
        capped = capped or row.eligible_actual > row.eligible_cost
        block = table.row([name, row.planned, row.reallocated, row.after_reallocation, row.actual, row.eligible_cost,
                           decided if decided is not None else "—",
                           report.subsidy_by_category.get(row.category, 0)])
        if len(blocks) == 2:
            block.keep_with_previous = True
        blocks.append(block)
    if not settlement.categories:
        blocks.append(table.row(["—", *[""] * 7], min_height=7.5))
    blocks.append(table.total(["合計", settlement.total("planned"), settlement.total("reallocated"),
                               settlement.total("after_reallocation"), settlement.total("actual"),
                               settlement.eligible_cost, header_values.decided_amount, settlement.subsidy],
                              min_height=8.0))
    unit = header_values.rounding_unit
    notes = [f"※補助金額は補助対象経費の合計に基づき算定（{unit:,}円未満切捨て）。経費区分ごとの補助金額は参考値であり、"
             "端数処理のため合計と一致しないことがある。補助金（交付決定額）の合計は交付決定額。"]
    if capped:
        notes.append("※補助対象経費は、経費区分ごとに流用後の補助対象予算額を上限として計上している。")
    if outside:
        notes.append("※印の経費区分は交付決定の経費区分に含まれないため、補助対象外。")
    blocks.append(_spacer(1.2))
    blocks += _note_lines(pen, notes, LEFT + 1, WIDTH)
    return [*_together(blocks), _spacer(5.0)]


def _settle_blocks(pen: Pen, report: GrantReport) -> list[Block]:
    settlement = report.settlement
    rows = [("補助対象経費の合計", f"{settlement.eligible_cost:,} 円", False),
            ("補助金確定額", f"{settlement.subsidy:,} 円", True),
            ("概算払受領額", f"{report.advance_paid:,} 円", False),
            ("返還額", f"{settlement.to_return:,} 円", True)]
    outstanding = max(0, settlement.subsidy - report.advance_paid)
    if outstanding:
        rows.append(("精算払請求額（確定額 − 概算払受領額）", f"{outstanding:,} 円", False))
    table = _label_value_table(pen, rows, LEFT + 6, 120, 68)
    calculation = f"算定：{calculation_text(report)}"
    note_blocks = _note_lines(pen, [calculation], LEFT + 6, WIDTH - 6, size=8.2)
    return _together([_section_heading("6", "精算"), table, _spacer(1.5), *note_blocks, _spacer(3.0)])


# --- 執行状況 -------------------------------------------------------------------------------------------


def _status_head(pen: Pen, report: GrantReport) -> list[Block]:
    header = report.header

    def draw(pen: Pen, y: float) -> None:
        pen.text(RIGHT, y + 4, f"作成日　{format_date_ja(header.report_date)}", size=9, align="right")
        name = header.association.name
        pen.text(RIGHT, y + 9.5, name, size=pen.fit_size(name, 9.5, 90, 7), align="right")
        title = title_of(report)
        pen.text(MIDDLE, y + 23, title, size=pen.fit_size(title, 15, WIDTH, 10), align="center", bold=True,
                 char_space=1.5)
        pen.line(LEFT + 18, y + 26, RIGHT - 18, y + 26, width=0.8)

    elapsed, total = elapsed_days(report)
    decision = "　".join(part for part in (
        f"{format_date_ja(header.decision_date)}付け" if header.decision_date else "", header.decision_number) if part)
    rows = [("補助事業名", header.grant_name, False)]
    if header.programme:
        rows.append(("補助金名", header.programme, False))
    rows += [("補助元", header.grantor, False), ("交付決定", decision or "—", False),
             ("事業期間", f"{format_period_ja(header.period_start, header.period_end)}（{total}日間）", False),
             ("期間経過", f"{elapsed}日 / {total}日（{elapsed * 100 // total}%）", False),
             ("交付決定額", f"{header.decided_amount:,}円（補助率 {header.rate}・{FORMULAS.get(header.formula, '')}）",
              False)]
    table = _label_value_table(pen, rows, LEFT, WIDTH, 32, row=7.0, value_align="left")
    progress_row = [label for label, _v, _s in rows].index("期間経過")

    def draw_table(pen: Pen, y: float) -> None:
        table.draw(pen, y)
        top = y + progress_row * 7.0
        _progress_bar(pen, RIGHT - 64, top + 2.2, 60, 2.6, Fraction(elapsed, total), None)

    return [Block(32.0, draw), Block(table.height + 6.0, draw_table)]


def _progress_bar(pen: Pen, x: float, y: float, width: float, height: float, share: Fraction,
                  marker: Fraction | None, colour: tuple = ACTUAL_COLOUR) -> None:
    pen.rect(x, y, width, height, stroke=0, fill=(0.9, 0.9, 0.9))
    filled = float(min(share, Fraction(1)))
    if filled > 0:
        pen.rect(x, y, width * filled, height, stroke=0, fill=colour)
    if share > 1:
        pen.rect(x + width - 1.2, y - 0.6, 1.2, height + 1.2, stroke=0, fill=RED)
    if marker is not None:
        mark = x + width * float(min(marker, Fraction(1)))
        pen.line(mark, y - 1.0, mark, y + height + 1.0, width=0.8, color=(0.1, 0.1, 0.1))


STATUS_COLUMNS = [Column("経費区分", 27.0, wrap=False), Column("流用後予算", 26.0, "right", yen_signed),
                  Column("支出済", 26.0, "right", yen_signed), Column("残額", 26.0, "right", yen_signed),
                  Column("執行率", 17.0, "right"), Column("執行状況", 32.0), Column("状況", 16.0, "center")]


def _status_level(row: CategoryFigures) -> str:
    if row.over_budget:
        return "over"
    if row.after_reallocation and Fraction(row.actual, row.after_reallocation) >= NEAR_LIMIT:
        return "near"
    return ""


def _status_table(pen: Pen, report: GrantReport) -> list[Block]:
    settlement = report.settlement
    elapsed, total = elapsed_days(report)
    period_share = Fraction(elapsed, total)
    table = Table(pen, STATUS_COLUMNS, LEFT, WIDTH, size=9, row_height=7.5, header_height=8.0, heading_size=8.6,
                  outer=0.7)

    def row_block(name: str, budget: int, spent: int, level: str, strong: bool = False) -> Block:
        share = Fraction(spent, budget) if budget else Fraction(0)
        fill = RED_TINT if level == "over" else AMBER_TINT if level == "near" else SHADE if strong else None
        status = {"over": "予算超過" if budget else "予算なし", "near": "▲90%以上"}.get(level, "")
        colour = RED if level == "over" else AMBER
        bar_colour = RED if level == "over" else AMBER if level == "near" else ACTUAL_COLOUR

        def bar(pen: Pen, left: float, top: float, right: float, bottom: float) -> None:
            middle = (top + bottom) / 2
            _progress_bar(pen, left + 2.5, middle - 1.4, right - left - 5, 2.8, share, period_share, bar_colour)

        rate = Cell(_percent(spent, budget), color=colour if level else (0, 0, 0), bold=strong or level != "")
        values = [name, budget, spent, budget - spent, rate, Cell(draw=bar),
                  Cell(status, color=colour, bold=True, size=8)]
        if strong:
            return table.total(values, fill=fill)
        return table.row(values, fill=fill)

    blocks = [_section_heading("1", "経費区分別の執行状況", "（単位：円）")]
    for index, row in enumerate(settlement.categories):
        block = row_block(row.category, row.after_reallocation, row.actual, _status_level(row))
        block.keep_with_previous = index == 0
        blocks.append(block)
    budget, spent = settlement.total("after_reallocation"), settlement.total("actual")
    total_level = "over" if spent > budget else ""
    total_block = row_block("合計", budget, spent, total_level, strong=True)
    total_block.keep_with_previous = True
    blocks.append(total_block)
    notes = [f"※執行率 ＝ 支出済 ÷ 流用後予算。執行状況の縦線は期間経過率（{elapsed * 100 // total}%）。"
             "▲ は執行率90%以上、予算超過は支出済が流用後予算を超えた経費区分。"]
    blocks += [_spacer(1.2), *_note_lines(pen, notes, LEFT + 1, WIDTH), _spacer(5.0)]
    return _together(blocks)


def _pace_lines(report: GrantReport) -> list[str]:
    settlement = report.settlement
    elapsed, total = elapsed_days(report)
    budget, spent = settlement.total("after_reallocation"), settlement.total("actual")
    lines = [f"期間経過率 {elapsed * 100 // total}%（{elapsed}日 / {total}日）に対し、執行率は {_percent(spent, budget)}"
             f"（支出済 {spent:,}円 / 流用後予算 {budget:,}円）。"]
    if elapsed:
        per_day = spent // elapsed
        projected = spent * total // elapsed
        lines.append(f"1日あたりの平均支出額は {per_day:,}円。このペースが続くと、期間終了時の支出見込額は "
                     f"{projected:,}円（流用後予算の {_percent(projected, budget)}）。")
    left_days = total - elapsed
    remaining = budget - spent
    if left_days > 0 and remaining > 0:
        lines.append(f"残額 {remaining:,}円 を残り {left_days}日で執行するには、1日あたり "
                     f"{-(-remaining // left_days):,}円 の執行が必要。")
    elif remaining < 0:
        lines.append(f"支出済額が流用後予算を {-remaining:,}円 超えている。")
    near = [row for row in settlement.categories if _status_level(row) == "near"]
    over = [row for row in settlement.categories if _status_level(row) == "over"]
    if over:
        lines.append("予算超過の経費区分：" + "、".join(
            f"{row.category}（{_percent(row.actual, row.after_reallocation)}、超過 {row.over_budget:,}円）"
            if row.after_reallocation else f"{row.category}（予算なし、支出 {row.actual:,}円）"
            for row in over) + "。流用又は変更承認の手続を検討すること。")
    if near:
        lines.append("執行率90%以上の経費区分：" + "、".join(
            f"{row.category}（{_percent(row.actual, row.after_reallocation)}、残額 {row.remaining:,}円）"
            for row in near) + "。")
    return lines


def _status_blocks(pen: Pen, report: GrantReport) -> list[Block]:
    header, settlement = report.header, report.settlement
    blocks = [*_status_head(pen, report), *_status_table(pen, report)]
    blocks.append(_section_heading("2", "執行ペース"))
    size = 9.4
    for text in _pace_lines(report):
        lines = pen.wrap(text, size, WIDTH - 9)
        for index, line in enumerate(lines):
            blocks.append(Block(5.4, lambda pen, y, line=line, first=index == 0: (
                pen.text(LEFT + 3, y + 4, "・", size=size) if first else None,
                pen.text(LEFT + 7, y + 4, line, size=size)), keep_with_previous=index > 0))
    blocks.append(_spacer(5.0))
    share = _percent(settlement.subsidy, header.decided_amount)
    rows = [("補助対象経費（現在まで）", f"{settlement.eligible_cost:,} 円", False),
            ("補助金見込額", f"{settlement.subsidy:,} 円", True),
            ("交付決定額", f"{header.decided_amount:,} 円", False),
            ("交付決定額に対する見込額の割合", share, False),
            ("概算払受領額", f"{report.advance_paid:,} 円", False)]
    table = _label_value_table(pen, rows, LEFT + 6, 120, 60)
    notes = _note_lines(pen, [f"※{formula_text(report)}", f"※算定：{calculation_text(report)}"], LEFT + 6, WIDTH - 6)
    blocks += _together([_section_heading("3", "補助金の見込み"), table, _spacer(1.5), *notes])
    heading = _section_heading("4", "予算額と支出済額（経費区分別）")
    chart = _chart_block(pen, report, "支出済額")
    blocks += _together([_spacer(6.0), heading, chart])
    return blocks


# --- 別紙 経費支出管理表 (landscape) -----------------------------------------------------------------------


APPENDIX_COLUMNS = [
    Column("証ひょう番号", 23.0), Column("費目", 21.0), Column("契約日", 19.0, "center", _short_date),
    Column("支払日", 19.0, "center", _short_date), Column("支払先", 46.0), Column("内容", 64.0),
    Column("支出額（税込）", 24.0, "right", yen_signed), Column("補助対象額", 24.0, "right", yen_signed),
    Column("対象外理由", 27.0),
]


def _appendix_header(pen: Pen, report: GrantReport, continued: bool) -> None:
    header = report.header
    title = f"別紙　{APPENDIX_TITLE}" + ("（続き）" if continued else "")
    pen.text(L_LEFT, 15, title, size=12, bold=True)
    pen.text(L_LEFT, 21, header.grant_name, size=pen.fit_size(header.grant_name, 8.5, 150, 6), color=TEXT_GRAY)
    scope = (f"{format_date_ja(report.as_of)} までの支払" if report.as_of
             else f"事業期間 {format_period_ja(header.period_start, header.period_end)}")
    pen.text(L_RIGHT, 15, header.association.name, size=pen.fit_size(header.association.name, 9, 100, 6),
             align="right")
    pen.text(L_RIGHT, 21, f"{scope}　（単位：円）", size=8, align="right", color=TEXT_GRAY)
    pen.line(L_LEFT, 23.2, L_RIGHT, 23.2, width=0.6)


def _appendix_blocks(pen: Pen, report: GrantReport) -> list[Block]:
    table = Table(pen, APPENDIX_COLUMNS, L_LEFT, L_RIGHT - L_LEFT, size=7.8, step=3.5, row_height=6.0,
                  heading_size=8.2, outer=0.6, padding=1.5)

    def expense_block(expense: ReportExpense) -> Block:
        counted = counted_eligible(report, expense)
        remark, marked = expense_remark(report, expense)
        ineligible = marked and counted == 0
        red = RED if marked else (0, 0, 0)
        return table.row([expense.voucher_number, expense.category, expense.contract_date, expense.payment_date,
                          expense.payee, expense.description, expense.amount,
                          Cell(yen_signed(counted), color=red, bold=marked), Cell(remark, color=red)],
                         fill=(RED_TINT if ineligible else AMBER_TINT) if marked else None)

    def total_block(label: str, amount: int, counted: int, remark: str, grand: bool) -> Block:
        note = Cell(remark, color=TEXT_GRAY, size=7.2, bold=False) if remark else ""
        values = [Cell(label, span=6, align="right", size=8.4), Cell(yen_signed(amount), size=8.6),
                  Cell(yen_signed(counted), size=8.6), note]
        if grand:
            return table.total(values, fill=SHADE_DARK)
        return table.subtotal(values)

    by_category: dict[str, list[ReportExpense]] = {}
    for expense in report.expenses:
        by_category.setdefault(expense.category, []).append(expense)
    order = [row.category for row in report.settlement.categories]
    order += [category for category in by_category if category not in order]
    figures = {row.category: row for row in report.settlement.categories}
    blocks: list[Block] = []
    notes: list[str] = []
    for category in order:
        expenses = by_category.get(category, [])
        if not expenses:
            continue
        blocks += [expense_block(expense) for expense in expenses]
        amount = sum(expense.amount for expense in expenses)
        counted = sum(counted_eligible(report, expense) for expense in expenses)
        remark = ""
        row = figures.get(category)
        if row is not None and row.eligible_cost < counted:
            remark = f"計上 {row.eligible_cost:,}（上限）"
            notes.append(f"※{category}：補助対象額 {counted:,}円 のうち、流用後の補助対象予算額 {row.eligible_cost:,}円 "
                         "までを補助対象経費として収支決算書に計上。")
        blocks.append(total_block(f"{category} 小計（{len(expenses)}件）", amount, counted, remark, False))
    if not report.expenses:
        blocks.append(table.empty("（支出なし）"))
    total_amount = sum(expense.amount for expense in report.expenses)
    total_counted = sum(counted_eligible(report, expense) for expense in report.expenses)
    blocks.append(total_block(f"合計（{len(report.expenses)}件）", total_amount, total_counted, "", True))
    notes.append("※補助対象額は、事業期間内に支払われ、交付決定の経費区分に属する経費の補助対象分。"
                 "赤色の行は補助対象外、橙色の行は一部対象外の経費。")
    blocks.append(_spacer(2.0))
    blocks[-1].keep_with_previous = True
    blocks += _note_lines(pen, notes, L_LEFT + 1, L_RIGHT - L_LEFT, size=7.6)
    return blocks
