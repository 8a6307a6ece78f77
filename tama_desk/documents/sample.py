"""A one-page test document: proves the font embeds and Japanese text renders (self-test)."""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from tama_desk import __version__
from tama_desk.documents.fonts import register_fonts


def render_test_page(association_name: str, today: date) -> bytes:
    font = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle("TAMA Desk 印刷テスト")
    canvas.setFont(font, 18)
    canvas.drawString(25 * mm, 270 * mm, "TAMA Desk 印刷テスト")
    canvas.setFont(font, 11)
    lines = [
        f"団体名: {association_name or '（未設定）'}",
        f"日付: {today:%Y年%m月%d日}",
        f"版: {__version__}",
        "日本語の表示確認: 一般社団法人 会費請求書 振込先 ｶ)ﾀﾏｼﾖｳｼﾞ",
    ]
    for index, line in enumerate(lines):
        canvas.drawString(25 * mm, (255 - index * 8) * mm, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
