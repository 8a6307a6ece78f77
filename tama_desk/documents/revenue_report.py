"""収入の状況 (revenue picture) for the board as a PDF: revenue by source over five years (table and stacked
bars), collection, members, grants with their end dates, the contract pipeline, and the runway without grants."""

from __future__ import annotations

from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from tama_desk.documents.layout import PAGE_HEIGHT, Pen, format_date_ja, new_canvas
from tama_desk.domain.revenue import SOURCES, RevenuePicture

LEFT, RIGHT, TOP, BOTTOM = 18.0, 192.0, 20.0, 280.0
WIDTH = RIGHT - LEFT
SOURCE_COLOURS = {"dues": (0.20, 0.40, 0.70), "contracts": (0.30, 0.62, 0.40), "grants": (0.90, 0.60, 0.20),
                  "business": (0.55, 0.55, 0.60)}
GRAY, RULE = (0.35, 0.35, 0.35), (0.6, 0.6, 0.6)


def _yen(amount: int) -> str:
    return f"{amount:,}"


def _man(amount: int) -> str:
    return f"{amount / 10000:,.0f}万円"


class _Cursor:
    def __init__(self, pen: Pen) -> None:
        self.pen, self.y = pen, TOP

    def need(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.pen.canvas.showPage()
            self.pen.reset()
            self.y = TOP

    def heading(self, text: str) -> None:
        self.need(14)
        self.y += 7
        self.pen.text(LEFT, self.y, text, 11, bold=True)
        self.pen.line(LEFT, self.y + 1.5, RIGHT, self.y + 1.5, 0.6)
        self.y += 6

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
        pen, height = self.pen, 5.6
        self.need(height * (len(rows) + 1) + 2)
        scale = WIDTH / sum(widths)
        edges = [LEFT]
        for width in widths:
            edges.append(edges[-1] + width * scale)
        for index, cells in enumerate([headers, *rows]):
            top = self.y
            if index == 0:
                pen.rect(LEFT, top, WIDTH, height, stroke=0, fill=(0.92, 0.93, 0.95))
            for column, text in enumerate(cells):
                base = top + height - 1.6
                if column == 0:
                    pen.text(edges[column] + 1.2, base, text, 8.5, bold=index == 0)
                else:
                    pen.text(edges[column + 1] - 1.2, base, text, 8.5, align="right", bold=index == 0)
            self.y += height
            pen.line(LEFT, self.y, RIGHT, self.y, 0.3, RULE)
        self.y += 2

    def text(self, text: str, size: float = 9, color=(0, 0, 0)) -> None:
        self.need(size * 0.5 + 2)
        self.y += size * 0.45 + 1.5
        self.pen.text(LEFT, self.y, text, size, color=color)

    def drawing(self, drawing: Drawing, height: float) -> None:
        self.need(height + 2)
        renderPDF.draw(drawing, self.pen.canvas, LEFT * mm, (PAGE_HEIGHT - self.y - height) * mm)
        self.pen.reset()
        self.y += height + 2


def _legend(drawing: Drawing, font: str, items: list[tuple[str, tuple]], y: float) -> None:
    x = 0.0
    for label, colour in items:
        drawing.add(Rect(x, y, 3.4 * mm, 2.8 * mm, fillColor=colors.Color(*colour), strokeColor=None))
        drawing.add(String(x + 4.6 * mm, y + 0.4 * mm, label, fontName=font, fontSize=8))
        x += (6 + len(label) * 3.2 + 4) * mm


def _years_chart(pen: Pen, picture: RevenuePicture, height: float) -> Drawing:
    font = pen.font
    drawing = Drawing(WIDTH * mm, height * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 22 * mm, 10 * mm
    chart.width, chart.height = (WIDTH - 26) * mm, (height - 20) * mm
    keys = list(SOURCES)
    chart.data = [tuple(year.by_source()[key] / 10000 for year in picture.years) for key in keys]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [f"{year.year}年度" for year in picture.years]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.Color(0.88, 0.88, 0.88)
    chart.bars.strokeColor = None
    chart.barWidth = 14
    for index, key in enumerate(keys):
        chart.bars[index].fillColor = colors.Color(*SOURCE_COLOURS[key])
    drawing.add(chart)
    drawing.add(String(WIDTH * mm, (height - 6.6) * mm, "（単位：万円）", fontName=font, fontSize=7.5,
                       fillColor=colors.Color(*GRAY), textAnchor="end"))
    _legend(drawing, font, [(SOURCES[key], SOURCE_COLOURS[key]) for key in keys], (height - 7) * mm)
    return drawing


def _runway_chart(pen: Pen, picture: RevenuePicture, height: float) -> Drawing:
    font, runway = pen.font, picture.runway
    drawing = Drawing(WIDTH * mm, height * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = 52 * mm, 6 * mm
    chart.width, chart.height = (WIDTH - 60) * mm, (height - 10) * mm
    year = picture.fiscal_year
    names = ["年間固定費", f"{year}年度 会費＋委託", f"{year + 1}年度 会費＋委託", f"{year + 1}年度 ＋継続する補助金"]
    values = [runway.fixed_costs, runway.this_year_own, runway.next_year_own,
              runway.next_year_own + runway.next_year_grants]
    chart.data = [tuple(value / 10000 for value in values)]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = colors.Color(*SOURCE_COLOURS["dues"])
    chart.bars[(0, 0)].fillColor = colors.Color(0.75, 0.25, 0.25)
    chart.bars[(0, 3)].fillColor = colors.Color(*SOURCE_COLOURS["grants"])
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.nudge = 3
    chart.barLabelFormat = lambda value: f"{value:,.0f}万円"
    drawing.add(chart)
    return drawing


def _months(value) -> str:
    return "—（固定費未設定）" if value is None else f"{value}か月"


def render(picture: RevenuePicture) -> bytes:
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    canvas.setTitle(f"{picture.fiscal_year}年度 収入の状況")
    canvas.setAuthor(picture.association)
    canvas.setCreator("TAMA Desk")
    page = _Cursor(pen)
    pen.text(LEFT, page.y, f"{picture.fiscal_year}年度 収入の状況と自立化の見通し", 15, bold=True)
    pen.text(RIGHT, page.y, picture.association, 9, align="right")
    page.y += 4
    this = picture.this_year
    page.heading("収入の内訳（過去5年）")
    years = picture.years
    rows = [[SOURCES[key], *(_yen(year.by_source()[key]) for year in years)] for key in SOURCES]
    rows.append(["合計", *(_yen(year.total) for year in years)])
    rows.append(["補助金を除く", *(_yen(year.without_grants) for year in years)])
    page.table(["（円）", *(f"{year.year}年度" for year in years)], rows, [26, *([20] * len(years))])
    page.drawing(_years_chart(pen, picture, 54), 54)

    page.heading("自立化: 補助金がなかったら")
    runway = picture.runway
    page.text(f"年間固定費 {_yen(runway.fixed_costs)}円 に対し、{picture.fiscal_year}年度の会費＋委託事業 "
              f"{_yen(runway.this_year_own)}円 で賄えるのは {_months(runway.months)}", 10)
    page.text(f"{picture.fiscal_year + 1}年度（補助金が予定どおり終わる場合）: 会費＋委託 {_yen(runway.next_year_own)}円"
              f" で {_months(runway.next_year_months)}、継続する補助金 {_yen(runway.next_year_grants)}円 を加えて "
              f"{_months(runway.next_year_months_with_grants)}", 9)
    if runway.fixed_costs:
        gap = runway.next_year_gap
        page.text(f"{picture.fiscal_year + 1}年度の不足額 {_yen(gap)}円" if gap > 0
                  else f"{picture.fiscal_year + 1}年度は固定費を {_yen(-gap)}円 上回る見込み", 9)
        page.drawing(_runway_chart(pen, picture, 34), 34)
    for note in picture.notes:
        page.text(note, 8.5, GRAY)

    page.heading("会費の回収と会員数")
    rate = picture.collection_rate
    page.text(f"{picture.fiscal_year}年度 請求 {_yen(picture.collection_billed)}円、入金 {_yen(picture.collection_paid)}円、"
              f"回収率 {'—' if rate is None else f'{rate}%'}", 9)
    page.table(["", *(f"{year}年度" for year, _n in picture.members)],
               [["会員数（年度末）", *(f"{count:,}" for _y, count in picture.members)],
                ["会費収入（円）", *(_yen(year.dues) for year in years)]], [26, *([20] * len(years))])

    page.heading("補助金（終了日つき）")
    if picture.grants:
        page.table(["補助金", "交付決定額", "受取済", "終了日", "翌年度"],
                   [[grant.name, _yen(grant.decided), _yen(grant.received), format_date_ja(grant.period_end),
                     "継続" if grant.continues_next_year else "終了"] for grant in picture.grants],
                   [60, 24, 24, 30, 14])
    else:
        page.text("この年度の補助金はありません", 9, GRAY)
    page.heading("委託事業（契約済・見込み）")
    if picture.pipeline:
        page.table(["事業", "委託元", "状態", "金額"],
                   [[item.name, item.client, item.status, _yen(item.amount)] for item in picture.pipeline],
                   [70, 50, 18, 26])
    else:
        page.text(f"委託事業の請求 {_yen(this.contracts)}円（契約の一覧は委託事業の登録後に表示されます）", 9, GRAY)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
