"""The ruled table: columns, wrapping, subtotals and totals, the header on every page, keep-together."""

from __future__ import annotations

import io
import re
from io import BytesIO

from pypdf import PdfReader

from tama_desk.documents.layout import format_date_ja, new_canvas, paginate
from tama_desk.documents.letter import draw_pages, footer
from tama_desk.documents.table import Cell, Column, Table, spacer, together, yen_signed

COLUMNS = [Column("品目・内容", 95), Column("数量", 14, "right"), Column("金額", 28, "right"),
           Column("日付", 28, "center", format_date_ja)]


def render(blocks_of) -> bytes:
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    blocks = blocks_of(pen)
    draw_pages(canvas, pen, blocks, first_page=lambda pen: None, first_top=20.0, continuation=lambda pen: None,
               footer=lambda pen, n, count: footer(pen, n, count, "T-1"))
    canvas.save()
    return buffer.getvalue()


def texts(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_rows_subtotal_and_total_with_the_header_on_every_page():
    from datetime import date

    def blocks_of(pen):
        table = Table(pen, COLUMNS, x=15, width=180)
        rows = [table.row([f"技術セミナー参加費 第{n}回", 1, 1050 * n, date(2026, 4, n % 28 + 1)]) for n in range(1, 61)]
        return [*rows, table.subtotal(["小計", "", sum(1050 * n for n in range(1, 61)), ""]),
                table.total([Cell("合計（税込）", span=2), 9_999_999, ""])]

    pages = texts(render(blocks_of))
    assert len(pages) >= 2
    for page in pages:
        assert "品目・内容数量金額日付" in page  # the header repeated
    joined = "".join(pages)
    assert "1,921,500" in joined and "合計（税込）9,999,999" in joined
    assert "2026年4月2日" in joined
    assert "1/2" in pages[0] and "2/2" in pages[-1]


def test_a_long_text_wraps_in_its_column_and_the_row_grows():
    buffer = BytesIO()
    _canvas, pen = new_canvas(buffer)
    table = Table(pen, COLUMNS, x=15, width=180)
    short = table.row(["短い", 1, 100, None])
    long = table.row(["上海・ミラノ商談会 参加費及び通訳手配費用（2026年10月15日〜2026年10月20日 現地6日間）" * 2, 1, 100, None])
    assert long.height > short.height
    assert short.height == table.row_height


def test_keep_together_moves_a_short_table_whole():
    buffer = BytesIO()
    _canvas, pen = new_canvas(buffer)
    table = Table(pen, COLUMNS, x=15, width=180)
    head = spacer(8.0)
    rows = [table.row(["行", 1, 1, None]) for _ in range(5)]
    kept = together([head, *rows])
    assert len(kept) == 1 and kept[0].height == 8.0 + table.header_height + 5 * table.row_height
    pages = paginate([spacer(240.0), *kept], 20.0, 20.0, 279.0)
    assert len(pages) == 2 and pages[1].entries[0][0] is kept[0]


def test_formats_and_signed_yen():
    assert yen_signed(-1234) == "△1,234" and yen_signed(5) == "5" and yen_signed(None) == ""
