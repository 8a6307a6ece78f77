"""Issue 12, layout: what a manager mailing the documents would check (each failed before the fix)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from tama_desk.documents.fonts import register_fonts
from tama_desk.documents.invoice import render
from tama_desk.domain.tax import Line
from tests.documents.test_invoice_pdf import RECIPIENT, dues, snapshot, text_of


def runs(pdf: bytes, page: int = 0) -> list[tuple[str, float, float, float, float]]:
    """(text, left, baseline, right, size) of every string drawn on a page, in mm from the top-left corner."""
    font = register_fonts()
    found = []

    def visit(text, cm, tm, _font, size):
        text = text.strip("\n")
        if text.strip():
            scale = size * tm[0] * cm[0]
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            width = pdfmetrics.stringWidth(text, font, scale)
            found.append((text, x / mm, 297 - y / mm, (x + width) / mm, scale))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def run_with(pdf: bytes, fragment: str, page: int = 0):
    return [run for run in runs(pdf, page) if fragment in run[0]]


LONG_SUBJECT = "2026年度 多摩地域ものづくり海外展開支援事業 上海・ミラノ商談会 参加費及び通訳手配費用のご請求"


def test_a_long_subject_wraps_in_its_column_at_full_size():
    pdf = render(snapshot(subject=LONG_SUBJECT))
    pieces = [run for run in runs(pdf) if run[0] in LONG_SUBJECT and len(run[0]) > 3]
    assert "".join(run[0] for run in pieces) == LONG_SUBJECT
    for _text, _left, _baseline, right, size in pieces:
        assert size >= 9.4 and right <= 106.0  # no shrinking, never into the issuer column (登録番号)


def test_continuation_page_recipient_never_runs_into_the_date():
    long_name = "一般社団法人 多摩産業ネットワーク協会 国際交流推進本部 海外展開支援室 上海・ミラノ商談会実行委員会事務局"
    lines = [Line(f"展示会ブース {index + 1}", 1, 1000, "standard_10") for index in range(60)]
    pdf = render(snapshot(recipient=replace(RECIPIENT, name=long_name), lines=lines))
    (issued,) = run_with(pdf, "発行日", page=1)
    names = [run for run in runs(pdf, page=1) if run[2] < 24 and "一般社団法人" in run[0]]
    assert names
    for run in names:
        assert run[3] < issued[1] - 2 or abs(run[2] - issued[2]) > 3  # left of the date, or on another line


def test_address_wraps_at_the_space_and_keeps_the_building_whole():
    address = "東京都西多摩郡瑞穂町大字箱根ケ崎2335番地 瑞穂町産業サポートセンター2階"
    pdf = render(snapshot(recipient=replace(RECIPIENT, address=address)))
    texts = [run[0] for run in runs(pdf)]
    assert "東京都西多摩郡瑞穂町大字箱根ケ崎2335番地" in texts and "瑞穂町産業サポートセンター2階" in texts


def seal_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """(left, top, right, bottom) in mm of each image drawn on the first page."""
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    boxes = []
    for match in re.finditer(r"([\d.]+) 0 0 ([\d.]+) ([-\d.]+) ([-\d.]+) cm\s+/\S+ Do", content):
        width, height, x, y = (float(value) / mm for value in match.groups())
        boxes.append((x, 297 - y - height, x + width, 297 - y))
    for match in re.finditer(r"1 0 0 1 ([-\d.]+) ([-\d.]+) cm\s+([\d.]+) 0 0 ([\d.]+) cm\s+/\S+ Do", content):
        x, y, width, height = (float(value) / mm for value in match.groups())
        boxes.append((x, 297 - y - height, x + width, 297 - y))
    return boxes


def overlaps(box, run) -> bool:
    _text, left, baseline, right, size = run
    top, bottom = baseline - size * 0.3528 * 0.88, baseline + size * 0.3528 * 0.12
    return left < box[2] and box[0] < right and top < box[3] and box[1] < bottom


def test_seal_inside_the_margins_over_the_issuer_name_only():
    for document in (snapshot(), dues(kind="receipt", number="R-1", amount=70000, subject="年会費として")):
        pdf = render(document)
        (box,) = seal_boxes(pdf)
        assert box[0] >= 15.0 and box[2] <= 195.0 + 0.01
        covered = [run for run in runs(pdf) if overlaps(box, run)]
        assert covered and all("多摩産業ネットワーク協会" in run[0] for run in covered), covered


def test_organisation_and_contact_person_one_honorific_each():
    text = text_of(render(snapshot()))
    assert "株式会社サンプル精機 御中" in text
    assert "ご担当 総務部 田中 花子 様" in text
    assert "様 様" not in text and "御中 様" not in text


def test_cancelled_invoice_has_no_bank_box_and_says_when_and_why():
    pdf = render(dues(), "二重発行のため", date(2026, 4, 10))
    text = text_of(pdf)
    assert "2026年4月10日取消" in text and "二重発行のため" in text
    assert "お振込先" not in text and "多摩信用金庫" not in text
    assert "お振込先" in text_of(render(dues()))


def test_receipt_prints_the_breakdown_by_rate_and_tax_included():
    from tama_desk.domain.invoice import DocumentSnapshot
    from tests.documents.test_invoice_pdf import ISSUER

    document = DocumentSnapshot.build(
        kind="receipt", number="R2026-0001", issue_date=date(2026, 5, 1), issuer=ISSUER, recipient=RECIPIENT,
        lines=[Line("技術セミナー参加費", 3, 105, "standard_10"), Line("会議用お茶", 2, 1080, "reduced_8"),
               Line("2026年度 年会費", 1, 70000, "out_of_scope")],
        amount=72678, subject="2026年度 年会費・セミナー参加費として", original_number="2026-0001、2026-0002")
    text = text_of(render(document))
    assert "（税込）" in text
    assert re.search(r"10%対象 315 31\b", text) and re.search(r"8%対象（軽減税率） 2,160 172\b", text)
    assert "不課税 70,000" in text and "不課税です" in text
