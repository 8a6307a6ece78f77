"""The letter frame: honorifics, the contact line, the seal over the issuer's name only."""

from __future__ import annotations

from io import BytesIO

import pytest

from tama_desk.documents.layout import MeasuringPen, new_canvas
from tama_desk.documents.letter import RIGHT, addressee, contact_line, greeting, issuer_block
from tama_desk.domain.invoice import Issuer
from tests.documents.test_invoice_pdf import ISSUER


@pytest.mark.parametrize(("name", "honorific", "expected"), [
    ("株式会社サンプル精機", "御中", "株式会社サンプル精機　御中"),
    ("山田 太郎", "様", "山田 太郎　様"),
    ("関東経済産業局長", "殿", "関東経済産業局長　殿"),
    ("関東経済産業局長 殿", "殿", "関東経済産業局長 殿"),
    ("株式会社サンプル精機 御中", "御中", "株式会社サンプル精機 御中"),
])
def test_addressee(name, honorific, expected):
    assert addressee(name, honorific) == expected


@pytest.mark.parametrize(("contact", "honorific", "expected"), [
    ("総務部 田中 花子 様", "御中", "ご担当 総務部 田中 花子 様"),
    ("田中 花子", "御中", "ご担当 田中 花子 様"),
    ("ご担当 田中 様", "御中", "ご担当 田中 様"),
    ("総務部 様", "様", "総務部"),
    ("", "御中", ""),
])
def test_contact_line_has_one_honorific(contact, honorific, expected):
    line = contact_line(contact, honorific)
    assert line == expected
    assert line.count("様") <= 1 and "御中" not in line


def test_greeting_to_a_person_and_to_an_organisation():
    assert "ご清祥" in greeting(True) and "ご清栄" in greeting(False)


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("issuer", [
    ISSUER,
    Issuer(name="多摩協会", seal_png=ISSUER.seal_png, address="東京都立川市曙町二丁目1番1号 ルミネ立川ビル10階",
           registration_number="T1234567890123", phone="042-500-1234"),
    Issuer(name="一般社団法人 多摩産業ネットワーク協会 国際交流推進本部 事務局", seal_png=ISSUER.seal_png,
           address="東京都立川市曙町二丁目1番1号 ルミネ立川ビル10階", registration_number="T1234567890123"),
])
def test_seal_stays_in_the_margins_and_covers_only_the_name(issuer):
    pen = MeasuringPen(new_canvas(BytesIO())[1])
    layout = issuer_block(pen, issuer, 60.0, seal_top_limit=52.0)
    assert layout.seal is not None
    left, top, right, bottom = layout.seal
    assert right <= RIGHT + 1e-6 and top >= 52.0
    assert overlaps(layout.seal, layout.name)
    for text, box in layout.lines:
        assert not overlaps(layout.seal, box), text
    assert any("T1234567890123" in text for text, _box in layout.lines)


def test_no_seal_no_box():
    pen = MeasuringPen(new_canvas(BytesIO())[1])
    layout = issuer_block(pen, Issuer(name="多摩協会"), 60.0)
    assert layout.seal is None and layout.bottom > 57


def test_a_new_document_from_the_frame_and_the_table():
    """The recipe of letter.py's docstring: a 議事録-like letter with a table, on two pages."""
    import io as _io
    from datetime import date

    from pypdf import PdfReader

    from tama_desk.documents.layout import format_date_ja
    from tama_desk.documents.letter import (
        LEFT,
        continuation_header,
        draw_pages,
        footer,
        ijou,
        ki,
        letterhead,
        paragraph_blocks,
        title_block,
    )
    from tama_desk.documents.table import Column, Table

    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)

    def first_page(pen):
        letterhead(pen, "文書番号", "M-2026-01", format_date_ja(date(2026, 6, 20)))
        title_block(pen, "理事会議事録", 35.0)

    table = Table(pen, [Column("議案", 120), Column("結果", 30, "center"), Column("賛成", 30, "right")], LEFT, 180)
    rows = [table.row([f"第{n}号議案 2026年度事業計画（案）承認の件", "可決", 12]) for n in range(1, 40)]
    body = ["　2026年6月20日、当会会議室において理事会を開催した。" * 3]
    blocks = [*paragraph_blocks(pen, body, LEFT, 180), ki(), *rows, ijou()]
    count = draw_pages(canvas, pen, blocks, first_page=first_page, first_top=45.0,
                       continuation=lambda pen: continuation_header(pen, "理事会議事録（続き）", "", "M-2026-01", ""),
                       footer=lambda pen, n, total: footer(pen, n, total, "M-2026-01"))
    canvas.save()
    pages = [page.extract_text() for page in PdfReader(_io.BytesIO(buffer.getvalue())).pages]
    assert count == len(pages) == 2
    assert "理事会議事録" in pages[0] and "議案" in pages[1] and "以上" in pages[-1]
    assert "2 / 2" in pages[1].replace("\n", " ") or "2/2" in pages[1].replace(" ", "")


def test_a_long_name_keeps_its_honorific_on_its_last_line():
    from tama_desk.documents.layout import Pen
    from tama_desk.documents.letter import recipient_block
    from tama_desk.domain.invoice import Recipient

    drawn = []

    class Recording(Pen):
        def text(self, x, y, text, size=9, **kwargs):
            drawn.append(text)

    canvas, pen = new_canvas(BytesIO())
    name = "一般社団法人 多摩産業ネットワーク協会 国際交流推進本部 海外展開支援室 上海・ミラノ商談会実行委員会"
    recipient_block(Recording(canvas, pen.font), Recipient(name=name), 40.0)
    assert drawn[0] != "御中" and all(line.strip() != "御中" for line in drawn)
    assert any(line.endswith("　御中") for line in drawn)
    assert "".join(line.removesuffix("　御中") for line in drawn[:drawn.index(next(
        line for line in drawn if line.endswith("御中"))) + 1]).replace(" ", "") == name.replace(" ", "")
