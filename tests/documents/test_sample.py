from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from tama_desk import __version__
from tama_desk.documents.fonts import GOTHIC, register_fonts
from tama_desk.documents.sample import render_test_page


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_test_page("一般社団法人 多摩産業ネットワーク協会", date(2026, 4, 1))


def test_is_one_page_pdf(pdf):
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "TAMA Desk 印刷テスト"


def test_japanese_text_is_extractable(pdf):
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in ["TAMA Desk 印刷テスト", "一般社団法人 多摩産業ネットワーク協会", "2026年04月01日", __version__,
                     "会費請求書", "振込先"]:
        assert expected in text


def test_unset_name_is_marked():
    text = PdfReader(io.BytesIO(render_test_page("", date(2026, 4, 1)))).pages[0].extract_text()
    assert "（未設定）" in text


def test_same_input_same_bytes(pdf):
    assert render_test_page("一般社団法人 多摩産業ネットワーク協会", date(2026, 4, 1)) == pdf


def test_register_fonts_is_idempotent():
    assert register_fonts() == register_fonts() == GOTHIC


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_font_is_embedded(pdf, tmp_path):
    path = tmp_path / "test.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in output.splitlines()[2:]]
    gothic = [fields for fields in rows if fields[0].endswith("+IPAexGothic")]  # subset prefix, e.g. AAAAAA+
    assert len(gothic) == 1, output
    assert gothic[0][-5:-2] == ["yes", "yes", "yes"], output  # emb, sub, uni
    # reportlab also lists its initial font (Helvetica, one of the 14 standard fonts, no text drawn with it)
    assert {fields[0] for fields in rows if fields[-5] != "yes"} <= {"Helvetica"}, output
