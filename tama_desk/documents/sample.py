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


def sample_invoice():
    """A small dues invoice for the self-test of the PDF process pool."""
    from tama_desk.domain.invoice import DocumentSnapshot, Issuer, Recipient
    from tama_desk.domain.tax import Line

    return DocumentSnapshot.build(
        kind="invoice", number="SELF-TEST", issue_date=date(2026, 4, 1),
        issuer=Issuer(name="一般社団法人 自己診断協会", registration_number="T1234567890123"),
        recipient=Recipient(name="株式会社自己診断"), lines=[Line("2026年度 年会費", 1, 70000, "out_of_scope")],
        subject="2026年度 年会費", due_date=date(2026, 4, 30))
