from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from tama_desk.documents.invoice import file_name, format_date_ja, render, render_many
from tama_desk.domain.invoice import OUT_OF_SCOPE_NOTICE, DocumentSnapshot, Issuer, Recipient
from tama_desk.domain.tax import Line
from tests import factories

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def seal_png() -> bytes:
    return factories.seal_png(filled=True)

ISSUER = Issuer(
    name="一般社団法人 多摩産業ネットワーク協会", representative_title="代表理事", representative="山田 太郎",
    postal_code="190-0012", address="東京都立川市曙町二丁目1番1号", phone="042-500-1234",
    email="info@tama-net.example.jp", registration_number="T1234567890123", bank_name="多摩信用金庫",
    bank_branch="立川支店", bank_account_type="普通", bank_account_number="1234567",
    bank_account_holder="ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳﾈﾂﾄﾜ-ｸｷﾖｳｶｲ", seal_png=seal_png(),
)
RECIPIENT = Recipient(name="株式会社サンプル精機", postal_code="192-0083", address="東京都八王子市旭町9番1号",
                      contact="総務部 田中 花子 様", member_number="M-0123")


def snapshot(**values) -> DocumentSnapshot:
    base = dict(
        kind="invoice", number="INV-2026-0001", issue_date=date(2026, 4, 1), issuer=ISSUER, recipient=RECIPIENT,
        lines=[Line("技術セミナー参加費", 1, 105, "standard_10")] * 3 + [Line("会議用お茶", 2, 1080, "reduced_8")],
        subject="4月のセミナー", transaction_date=date(2026, 4, 15), due_date=date(2026, 4, 30),
    )
    base.update(values)
    return DocumentSnapshot.build(**base)


def dues(**values) -> DocumentSnapshot:
    values = {"lines": [Line("2026年度 年会費", 1, 70000, "out_of_scope")], "subject": "2026年度 年会費", **values}
    return snapshot(**values)


def pages_text(pdf: bytes, mode: str = "-layout") -> list[str]:
    """The text of each page as pdftotext lays it out (`-layout`, or `-raw`: in drawing order, which keeps
    the spaces of "1 / 2"), runs of white space squeezed to one space."""
    if shutil.which("pdftotext"):
        output = subprocess.run(["pdftotext", mode, "-", "-"], input=pdf, capture_output=True, check=True).stdout
        pages = output.decode("utf-8").split("\f")[:-1]
    else:  # pragma: no cover - poppler is installed where the tests run
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return [re.sub(r"[ \t\u3000]+", " ", page) for page in pages]


def text_of(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


# --- 請求書 ------------------------------------------------------------------------------------------------


def test_invoice_prints_the_six_qualified_invoice_items():
    text = text_of(render(snapshot()))
    assert "一般社団法人 多摩産業ネットワーク協会" in text  # 1. issuer
    assert "T1234567890123" in text  # 1. and its registration number
    assert "2026年4月15日" in text  # 2. transaction date
    assert "技術セミナー参加費" in text and "会議用お茶 ※" in text  # 3. description, reduced rate marked
    assert "※は軽減税率" in text
    assert re.search(r"10%対象 315 31\b", text)  # 4. + 5. per rate: amount, tax (105×3 → 31, not 30)
    assert re.search(r"8%対象（軽減税率） 2,160 172\b", text)
    assert "株式会社サンプル精機 御中" in text  # 6. recipient


def test_invoice_total_meta_and_bank_account():
    document = snapshot()
    assert document.total == 346 + 2332
    text = text_of(render(document))
    assert "¥2,678-" in text
    for expected in ["請求書", "INV-2026-0001", "2026年4月1日", "お支払期限 2026年4月30日", "4月のセミナー",
                     "〒192-0083", "会員番号 M-0123", "多摩信用金庫 立川支店", "普通 1234567", "振込手数料"]:
        assert expected in text, expected


def test_tax_per_rate_rounded_once():
    text = text_of(render(snapshot(lines=[Line("部品", 1, 105, "standard_10")] * 3)))
    assert re.search(r"10%対象 315 31\b", text)
    assert "¥346-" in text


def test_dues_invoice_carries_the_out_of_scope_notice():
    document = dues()
    text = text_of(render(document))
    assert OUT_OF_SCOPE_NOTICE in text
    assert "¥70,000-" in text and "70,000" in text
    assert re.search(r"不課税 70,000 —", text)
    assert "（税込）" not in text  # nothing taxed: the total is not called tax-included


def test_taxable_invoice_has_no_out_of_scope_notice():
    assert "不課税です" not in text_of(render(snapshot()))


def test_person_recipient_gets_sama():
    text = text_of(render(dues(recipient=Recipient(name="山田 一郎", honorific="様"))))
    assert "山田 一郎 様" in text
    assert "貴社" not in text


def test_period_is_printed_when_there_is_no_transaction_date():
    text = text_of(render(dues(transaction_date=None, period_start=date(2026, 4, 1), period_end=date(2027, 3, 31))))
    assert "取引期間 2026年4月1日〜2027年3月31日" in text


def test_same_snapshot_same_bytes():
    document = snapshot()
    assert render(document) == render(document)
    assert render(document, "誤り") == render(document, "誤り")
    assert render(DocumentSnapshot.from_json(document.to_json())) == render(document)


def test_metadata():
    metadata = PdfReader(io.BytesIO(render(snapshot()))).metadata
    assert metadata.title == "請求書 INV-2026-0001"
    assert metadata.author == "一般社団法人 多摩産業ネットワーク協会"


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
@pytest.mark.parametrize("kind", ["invoice", "credit_note", "receipt", "dunning", "cancelled"])
def test_only_the_bundled_font_is_used_and_embedded(tmp_path, kind):
    document = {"invoice": snapshot, "credit_note": credit_note, "dunning": dunning, "cancelled": snapshot,
                "receipt": lambda: dues(kind="receipt", number="R-1", amount=70000, subject="年会費として")}[kind]()
    path = tmp_path / "document.pdf"
    path.write_bytes(render(document, "誤り" if kind == "cancelled" else None))
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in output.splitlines()[2:]]
    assert rows, output
    for fields in rows:
        assert re.fullmatch(r"[A-Z]{6}\+IPAexGothic", fields[0]), output
        assert fields[-5:-2] == ["yes", "yes", "yes"], output  # emb, sub, uni


def test_seal_image_is_drawn_once_per_document():
    reader = PdfReader(io.BytesIO(render(snapshot())))
    images = reader.pages[0].images
    assert len(images) == 1
    assert images[0].image.size == (120, 120)


def test_broken_seal_is_left_out():
    document = snapshot(issuer=replace(ISSUER, seal_png=b"not a png"))
    assert "T1234567890123" in text_of(render(document))


def test_sixty_lines_flow_onto_more_pages():
    lines = [Line(f"展示会ブース {index + 1}", 1, 1000, "standard_10") for index in range(60)]
    pdf = render(snapshot(lines=lines))
    pages = pages_text(pdf)
    count = len(pages)
    assert count >= 2 and page_count(pdf) == count
    for number, (page, raw) in enumerate(zip(pages, pages_text(pdf, "-raw"), strict=True), start=1):
        assert f"{number} / {count}" in raw
        assert "品目・内容" in page  # the table header is repeated
    assert "展示会ブース 1 " in pages[0] and "展示会ブース 60 " in pages[-1]
    text = "\n".join(pages)
    assert all(f"展示会ブース {index + 1} " in text for index in range(60))
    totals = [index for index, page in enumerate(pages) if "合計（税込）" in page]
    assert totals == [count - 1]  # the summary once, on the last page
    assert "10%対象 60,000 6,000" in pages[-1]


def test_one_page_invoice_is_numbered():
    assert pages_text(render(snapshot()), "-raw")[0].count("1 / 1") == 1


def test_long_texts_are_wrapped_not_cut():
    description = "産業交流展2026 出展料（東京ビッグサイト 西展示棟 小間番号 W-123、電源工事及び追加備品一式を含む）"
    recipient = Recipient(name="国立大学法人 東京多摩工業大学 大学院工学研究院 先端機械システム部門 研究推進室",
                          address="東京都小金井市中町二丁目24番16号 工学部本館 3階 研究推進室 産学連携担当窓口")
    pdf = render(snapshot(lines=[Line(description, 1, 50000, "standard_10")], recipient=recipient))
    squeezed = pages_text(pdf, "-raw")[0].replace("\n", "").replace(" ", "")
    assert description.replace(" ", "") in squeezed
    assert (recipient.name + "御中").replace(" ", "") in squeezed
    assert recipient.address.replace(" ", "") in squeezed


def test_prices_including_tax_are_labelled():
    text = text_of(render(snapshot(lines=[Line("セミナー", 1, 1100, "standard_10")], prices_include_tax=True)))
    assert "金額（税込）" in text
    assert re.search(r"10%対象 1,000 100\b", text)


# --- 適格返還請求書, 領収書, お支払いのお願い ------------------------------------------------------------


def credit_note(**values) -> DocumentSnapshot:
    return snapshot(kind="credit_note", number="CN-2026-0001", issue_date=date(2026, 5, 10),
                    transaction_date=date(2026, 5, 10), original_number="INV-2026-0001",
                    original_issue_date=date(2026, 4, 1),
                    lines=[Line("技術セミナー参加費 キャンセル分", 1, -105, "standard_10")], **values)


def test_credit_note():
    text = text_of(render(credit_note()))
    for expected in ["適格返還請求書", "CN-2026-0001", "元請求書番号 INV-2026-0001", "元の取引年月日 2026年4月1日",
                     "返還年月日 2026年5月10日", "返還金額", "¥115-", "T1234567890123", "株式会社サンプル精機 御中",
                     "キャンセル分"]:
        assert expected in text, expected
    assert re.search(r"10%対象 105 10\b", text)  # refund per rate and its tax, printed as magnitudes
    assert "-105" not in text


def test_receipt():
    document = dues(kind="receipt", number="RCP-2026-0001", issue_date=date(2026, 4, 20), amount=70000,
                    original_number="INV-2026-0001", subject="2026年度 年会費として")
    text = text_of(render(document))
    for expected in ["領収書", "RCP-2026-0001", "¥70,000-", "但し 2026年度 年会費として", "領収日 2026年4月20日",
                     "INV-2026-0001", "株式会社サンプル精機 御中", "T1234567890123", OUT_OF_SCOPE_NOTICE]:
        assert expected in text, expected
    assert "印紙" not in text


def test_receipt_without_lines_shows_the_amount():
    document = DocumentSnapshot.build(kind="receipt", number="RCP-2026-0002", issue_date=date(2026, 4, 20),
                                      issuer=ISSUER, recipient=RECIPIENT, amount=12345, subject="セミナー参加費として")
    text = text_of(render(document))
    assert "¥12,345-" in text and "内訳" not in text


def test_receipt_for_several_invoices_lists_them_all():
    numbers = "、".join(f"INV-2026-{index:04d}" for index in range(1, 6))
    document = DocumentSnapshot.build(kind="receipt", number="R000001", issue_date=date(2026, 4, 20), issuer=ISSUER,
                                      recipient=RECIPIENT, amount=350000, subject="会費として", original_number=numbers)
    text = pages_text(render(document), "-raw")[0]
    assert f"対象請求書番号:{numbers}" in re.sub(r"\s", "", text)


def dunning(**values) -> DocumentSnapshot:
    return DocumentSnapshot.build(
        kind="dunning", number="DUN-2026-0001", issue_date=date(2026, 5, 15), issuer=ISSUER, recipient=RECIPIENT,
        original_number="INV-2026-0001", original_issue_date=date(2026, 4, 1), amount=70000,
        transaction_date=date(2026, 4, 30), due_date=date(2026, 5, 29), **values)


def test_dunning_letter():
    text = text_of(render(dunning(subject="2026年度 年会費")))
    for expected in ["お支払いのお願い", "INV-2026-0001", "2026年4月1日付で", "¥70,000-", "2026年4月30日",
                     "2026年5月29日までに", "行き違いでお支払い済みの場合は", "ご容赦ください", "多摩信用金庫 立川支店",
                     "株式会社サンプル精機 御中", "2026年5月15日", "2026年度 年会費", "敬具"]:
        assert expected in text, expected
    assert "督促状" not in text


def test_dunning_can_be_a_demand_letter():
    text = text_of(render(dunning(subject="督促状")))
    assert "督促状" in text and "草々" in text and "敬具" not in text
    assert "INV-2026-0001" in text and "¥70,000-" in text


@pytest.mark.parametrize("make", [snapshot, credit_note, dunning])
def test_cancelled_documents_are_stamped(make):
    document = make()
    pdf = render(document, "宛名誤りのため再発行")
    stamp = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()  # pypdf reads the rotated stamp as one word
    assert "取消" in stamp
    assert f"この{document.title}は取り消されました: 宛名誤りのため再発行" in text_of(pdf)
    assert "取消" not in PdfReader(io.BytesIO(render(document))).pages[0].extract_text()


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        render(snapshot(kind="quotation"))


# --- render_many, file_name, dates -------------------------------------------------------------------------


def test_render_many_keeps_documents_apart():
    long_invoice = snapshot(lines=[Line(f"品目 {index}", 1, 100, "standard_10") for index in range(60)])
    documents = [(snapshot(), None), (long_invoice, None), (dues(kind="receipt", amount=70000), None),
                 (dunning(), "誤り")]
    progress = []
    pdf = render_many(documents, progress=lambda done, total: progress.append((done, total)))
    counts = [page_count(render(document, reason)) for document, reason in documents]
    assert counts[1] >= 2
    assert page_count(pdf) == sum(counts)
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
    pages = pages_text(pdf, "-raw")
    assert "1 / 1" in pages[0] and f"1 / {counts[1]}" in pages[1] and f"{counts[1]} / {counts[1]}" in pages[counts[1]]
    outline = PdfReader(io.BytesIO(pdf)).outline
    assert len(outline) == 4


def test_render_many_of_nothing_is_a_valid_pdf():
    assert render_many([]).startswith(b"%PDF")


def test_file_name():
    assert file_name(dues()) == "20260401_株式会社サンプル精機_70000.pdf"
    assert file_name(credit_note()) == "20260510_株式会社サンプル精機_115.pdf"
    assert file_name(dunning()) == "20260515_株式会社サンプル精機_70000.pdf"


def test_file_name_is_safe_on_windows():
    name = file_name(dues(recipient=Recipient(name='A/B\\C:D*E?F"G<H>I|J\tK\x00L.')))
    assert name == "20260401_A_B_C_D_E_F_G_H_I_J_K_L_70000.pdf"
    long_name = file_name(dues(recipient=Recipient(name="株式会社" + "長" * 200)))
    assert len(long_name) < 100
    assert file_name(dues(recipient=Recipient(name=" ... "))) == "20260401___70000.pdf"


def test_format_date_ja():
    assert format_date_ja(date(2026, 4, 1)) == "2026年4月1日"
    assert format_date_ja(date(2026, 12, 31)) == "2026年12月31日"
    assert format_date_ja(None) == ""
