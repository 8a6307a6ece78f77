from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from tama_desk.documents import pool
from tama_desk.documents.invoice import render, render_many
from tests.documents.test_invoice_pdf import RECIPIENT, dues, snapshot


def batch(count: int) -> list[tuple]:
    """Invoices, a cancelled one, a receipt and a reminder to different members."""
    documents = []
    for number in range(count):
        recipient = replace(RECIPIENT, name=f"株式会社多摩精機{number:03d}", member_number=f"M-{number:04d}")
        documents.append((dues(number=f"INV-2026-{number:04d}", recipient=recipient), None))
    documents[1] = (documents[1][0], "二重発行", date(2026, 4, 20))
    documents[2] = (snapshot(kind="receipt", number="R2026-0001", amount=70000), None)
    documents[3] = (snapshot(kind="dunning", number="INV-2026-0003-D", amount=70000, lines=[]), None)
    return documents


def font_files(pdf: bytes) -> set[int]:
    """The embedded font programs (FontFile2 streams) of every page's fonts, by object number."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    found.add(descriptor.get_object().raw_get("/FontFile2").idnum)
    return found


def test_the_pool_renders_the_bytes_one_process_renders():
    documents = batch(6)
    with pool.Batch(documents, combined=True, workers=2) as pooled:
        assert pooled.workers == 2
        files, combined = list(pooled.files()), pooled.combined()
    assert files == [render(document[0], *document[1:]) for document in documents]
    assert combined == render_many(documents)


def test_a_small_batch_stays_in_this_process():
    assert pool.workers_for(pool.POOL_MIN - 1) == 1 and pool.workers_for(5, workers=2) == 2
    with pool.Batch(batch(5)) as small:
        assert small.workers == 1 and small.pool is None
        assert len(list(small.files())) == 5


def test_the_print_file_embeds_the_font_once_not_once_per_page():
    documents = batch(30)
    few, many = render_many(documents[:4]), render_many(documents)
    assert len(PdfReader(io.BytesIO(many)).pages) >= 30
    # one subset per 256 different characters used (reportlab's limit), never one per page or per document
    assert 1 <= len(font_files(many)) <= len(font_files(few)) + 1 < 30


def test_tama_desk_pdf_pool_0_keeps_every_batch_in_this_process(monkeypatch):
    monkeypatch.setenv("TAMA_DESK_PDF_POOL", "0")
    assert pool.workers_for(1000) == 1 and pool.workers_for(1000, workers=2) == 1
    monkeypatch.setattr("sys.frozen", True, raising=False)  # the Windows build: on unless asked off
    monkeypatch.delenv("TAMA_DESK_PDF_POOL")
    assert pool.workers_for(1000, workers=2) == 2


def test_the_pool_s_print_file_embeds_one_font_subset_across_its_pages():
    """The print file rendered by a worker while the others render the files: one canvas, so the font's
    subsets are embedded once for all its pages (not once per page or per document), and the same bytes."""
    documents = [(dues(number=f"INV-2026-{number:04d}", recipient=RECIPIENT), None) for number in range(12)]
    with pool.Batch(documents, combined=True, workers=2) as pooled:
        files, combined = list(pooled.files()), pooled.combined()
    pages = PdfReader(io.BytesIO(combined)).pages
    assert len(pages) >= 12
    # the same characters on every page: as many font programs as one document has (reportlab puts 256
    # characters in each subset: one invoice uses a few hundred), never one per page or per document
    one = len(font_files(files[0]))
    assert 1 <= one <= 2 and len(font_files(combined)) == one
    assert combined == render_many(documents)
    assert files == [render(document) for document, _reason in documents]
