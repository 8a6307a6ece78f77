from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tama_desk.db.models import Expenditure
from tama_desk.documents.grant_report import counted_eligible, expense_remark, render
from tama_desk.services import grants, profile
from tests.factories import GRANT_BUDGETS as BUDGETS
from tests.factories import make_grant, seal_png, spend

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def build(db, count: int = 30, as_of: date | None = None, **overrides):
    """A grant with `count` ordinary expenses spread over the categories, plus one of each odd kind:
    partly ineligible, wholly ineligible, paid after the period, in a category outside the decision."""
    with db.transaction() as session:
        profile.update_profile(session, {"name": "一般社団法人 多摩産業ネットワーク協会", "representative_title": "代表理事",
                                         "representative": "山田 太郎", "postal_code": "190-0012",
                                         "address": "東京都立川市曙町二丁目1番1号", "seal_png": seal_png()})
        grant_id = make_grant(session, **overrides).id
        grants.reallocate(session, grant_id, "広報費", "旅費", 200_000, date(2026, 9, 1))
        categories = list(BUDGETS)
        for index in range(count):
            category = categories[index % len(categories)]
            amount = 41_800 + (index * 7_919) % 90_000 // 100 * 100
            spend(session, grant_id, f"26-{index + 1:04d}", category, amount,
                  date(2026, 4, 1) + timedelta(days=(index * 37) % 330))
        spend(session, grant_id, "26-9001", "会議費", 66_000, date(2026, 7, 15), eligible_amount=40_000,
              ineligible_reason="酒類代を除く")
        spend(session, grant_id, "26-9002", "会議費", 22_000, date(2026, 7, 16), ineligible_reason="酒類代")
        spend(session, grant_id, "26-9003", "会議費", 55_000, date(2027, 3, 5))
        spend(session, grant_id, "26-9004", "消耗品費", 8_800, date(2026, 7, 5))
    with db.reading() as session:
        return grants.build_report(session, grant_id, date(2027, 3, 31), as_of)


def pages_text(pdf: bytes, mode: str = "-layout") -> list[str]:
    output = subprocess.run(["pdftotext", mode, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [re.sub(r"[ \t\u3000]+", " ", page) for page in output.decode("utf-8").split("\f")[:-1]]


def text_of(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))


# --- 実績報告書 --------------------------------------------------------------------------------------------


@needs_poppler
def test_report_prints_the_heading_and_every_figure(db):
    report = build(db)
    settlement = report.settlement
    text = text_of(render(report))
    for expected in ("補助事業実績報告書", "関東経済産業局長 殿", "2027年3月31日", "一般社団法人 多摩産業ネットワーク協会",
                     "代表理事 山田 太郎", "2026年4月10日付け20260410関東第18号で交付決定のあった",
                     "下記のとおり実績を報告します。", "地域企業海外展開支援補助金", "2026年4月1日〜2027年2月28日",
                     "10,000,000 円", "補助率 2/3", "補助率方式", "海外企業60社", "収支決算書", "精算", "以上"):
        assert expected in text, expected
    for row in settlement.categories:
        assert row.category in text
    totals = [settlement.total("planned"), settlement.total("after_reallocation"), settlement.total("actual"),
              settlement.eligible_cost, report.header.decided_amount, settlement.subsidy]
    total_line = next(line for line in text.splitlines() if line.strip().startswith("合計 1"))
    assert [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", total_line)] == [
        totals[0], 0, *totals[1:]]
    assert f"{settlement.subsidy:,}" in text and "," in f"{settlement.subsidy:,}"
    assert re.search(rf"補助金確定額 {settlement.subsidy:,} ?円", text)
    assert re.search(rf"概算払受領額 {report.advance_paid:,} ?円", text)
    assert re.search(rf"返還額 {settlement.to_return:,} ?円", text)
    assert settlement.to_return == report.advance_paid - settlement.subsidy > 0
    assert "※補助金額は補助対象経費の合計に基づき算定（1円未満切捨て）" in text
    assert "消耗品費※" in text and "△200,000" in text  # outside the decision; the reallocation given away


@needs_poppler
def test_total_subsidy_is_the_settlement_not_the_sum_of_the_category_shares(db):
    report = build(db)
    assert sum(report.subsidy_by_category.values()) != report.settlement.subsidy  # rounding per category
    total_line = next(line for line in text_of(render(report)).splitlines() if line.strip().startswith("合計 1"))
    assert total_line.rstrip().endswith(f"{report.settlement.subsidy:,}")


@needs_poppler
def test_ratio_formula_worked_example(db):
    """190 × 160/200 = 152; with 160 paid in advance, 8 is returned."""
    with db.transaction() as session:
        grant = make_grant(session, decided_amount=160, rate="1/2", formula="ratio", decided_eligible_cost=200,
                           budgets={"旅費": 200}, advance_paid=160)
        spend(session, grant.id, "V1", "旅費", 190, date(2026, 5, 10), tax=0)
        report = grants.build_report(session, grant.id, date(2027, 3, 31))
    assert (report.settlement.subsidy, report.settlement.to_return) == (152, 8)
    text = text_of(render(report))
    assert "按分方式" in text
    assert "190円 × 160円 ÷ 200円 ＝ 152円" in text
    assert re.search(r"補助金確定額 152 ?円", text)
    assert re.search(r"返還額 8 ?円", text)


@needs_poppler
def test_rate_formula_is_capped_at_the_decided_amount(db):
    """2/3 of 2,000,000 = 1,333,333 > 交付決定額 1,000,000 → 1,000,000."""
    with db.transaction() as session:
        grant = make_grant(session, decided_amount=1_000_000, budgets={"委託費": 2_000_000}, advance_paid=0)
        spend(session, grant.id, "V1", "委託費", 2_000_000, date(2026, 6, 1), tax=0)
        report = grants.build_report(session, grant.id, date(2027, 3, 31))
    assert report.settlement.subsidy == 1_000_000
    text = text_of(render(report))
    assert "2,000,000円 × 2/3 ＝ 1,333,333円（1円未満切捨て） ＞ 交付決定額 1,000,000円 のため 1,000,000円" in text
    assert re.search(r"補助金確定額 1,000,000 ?円", text)
    assert re.search(r"精算払請求額.* 1,000,000 ?円", text)  # nothing was paid in advance


@needs_poppler
def test_thousand_yen_rounding_is_named(db):
    with db.transaction() as session:
        grant = make_grant(session, rounding_unit=1000, budgets={"謝金": 1_000_000})
        spend(session, grant.id, "V1", "謝金", 100_000, date(2026, 6, 1), tax=0)
        report = grants.build_report(session, grant.id, date(2027, 3, 31))
    assert report.settlement.subsidy == 66_000
    assert "※補助金額は補助対象経費の合計に基づき算定（1,000円未満切捨て）" in text_of(render(report))


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
@pytest.mark.parametrize("as_of", [None, date(2026, 11, 30)])
def test_only_the_bundled_font_is_used_and_embedded(db, tmp_path, as_of):
    path = tmp_path / "report.pdf"
    path.write_bytes(render(build(db, as_of=as_of)))
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in output.splitlines()[2:]]
    assert rows, output
    for fields in rows:
        assert re.fullmatch(r"[A-Z]{6}\+IPAexGothic", fields[0]), output  # the chart's labels too, no Helvetica
        assert fields[-5:-2] == ["yes", "yes", "yes"], output


def test_same_report_same_bytes(db):
    report = build(db)
    assert render(report) == render(report)
    with db.reading() as session:
        again = grants.build_report(session, 1, date(2027, 3, 31))
    assert render(again) == render(report)


def test_metadata_and_page_sizes(db):
    report = build(db, count=150)
    reader = PdfReader(io.BytesIO(render(report)))
    assert reader.metadata.title == "補助事業実績報告書 多摩地域ものづくり海外展開支援事業"
    assert reader.metadata.author == "一般社団法人 多摩産業ネットワーク協会"
    sizes = [(round(float(page.mediabox.width)), round(float(page.mediabox.height))) for page in reader.pages]
    assert sizes[0] == (595, 842)  # the report: A4 portrait
    assert sizes[-1] == (842, 595)  # the 別紙: A4 landscape
    assert len(reader.pages[0].images) == 1  # the seal


@needs_poppler
def test_appendix_lists_every_expense_and_its_totals_equal_the_settlement(db):
    report = build(db)
    pdf = render(report)
    pages = pages_text(pdf)
    appendix = "\n".join(page for page in pages if "経費支出管理表" in page)
    for expense in report.expenses:
        assert expense.voucher_number in appendix
    total = re.search(r"合計（(\d+)件） ([\d,]+) ([\d,]+)", appendix)
    assert total is not None
    assert int(total.group(1)) == len(report.expenses) == 34
    assert int(total.group(2).replace(",", "")) == report.settlement.total("actual")
    assert int(total.group(3).replace(",", "")) == report.settlement.total("eligible_actual")
    with db.reading() as session:
        assert session.scalar(select(func.sum(Expenditure.amount))) == report.settlement.total("actual")
    for category in ("旅費", "会議費", "消耗品費"):
        subtotal = re.search(rf"{category} 小計（(\d+)件） ([\d,]+) ([\d,]+)", appendix)
        row = next(row for row in report.settlement.categories if row.category == category)
        assert (int(subtotal.group(2).replace(",", "")), int(subtotal.group(3).replace(",", ""))) == (
            row.actual, row.eligible_actual)


@needs_poppler
def test_ineligible_expenses_are_marked(db):
    report = build(db, count=5)
    by_voucher = {expense.voucher_number: expense for expense in report.expenses}
    assert counted_eligible(report, by_voucher["26-9003"]) == 0  # paid after the period
    assert counted_eligible(report, by_voucher["26-9004"]) == 0  # category outside the decision
    assert expense_remark(report, by_voucher["26-9001"]) == ("一部対象外：酒類代を除く", True)
    assert expense_remark(report, by_voucher["26-0001"]) == ("", False)
    appendix = "".join(pages_text(render(report), mode="-raw")).replace("\n", "")
    assert "一部対象外：酒類代を除く" in appendix
    assert "対象外：酒類代" in appendix
    assert "対象外：事業期間外の支払" in appendix
    assert "対象外：交付決定外の経費" in appendix


@needs_poppler
def test_150_expenses_paginate_with_the_header_repeated(db):
    report = build(db, count=150)
    pages = pages_text(render(report), mode="-raw")
    count = len(pages)
    appendix = [page for page in pages if "経費支出管理表" in page]
    assert len(appendix) >= 2
    for page in appendix:
        assert "証ひょう番号" in page and "支出額（税込）" in page and "補助対象額" in page
    assert "経費支出管理表（続き）" in appendix[1]
    for number, page in enumerate(pages, start=1):
        assert f"{number} / {count}" in page
    assert "合計（154件）" in appendix[-1]


@needs_poppler
def test_a_grant_without_decision_details_or_seal_still_renders(db):
    with db.transaction() as session:
        grant = make_grant(session, decision_number="", decision_date=None, programme="", summary="",
                           budgets={"謝金": 300_000})
        report = grants.build_report(session, grant.id, date(2027, 3, 31))
    text = text_of(render(report))
    assert "年 月 日付け第 号で交付決定のあった" in text  # blanks to fill in by hand
    assert "合計（0件）" in text and "（支出なし）" in text


# --- 執行状況 ---------------------------------------------------------------------------------------------


@needs_poppler
def test_interim_status_shows_the_date_rates_and_marks(db):
    with db.transaction() as session:
        grant = make_grant(session, budgets={"旅費": 1_000_000, "会議費": 500_000, "謝金": 400_000})
        spend(session, grant.id, "V1", "旅費", 900_000, date(2026, 6, 1))  # exactly 90%
        spend(session, grant.id, "V2", "会議費", 550_000, date(2026, 7, 1))  # over budget
        spend(session, grant.id, "V3", "謝金", 100_000, date(2026, 8, 1), tax=0)
        spend(session, grant.id, "V4", "謝金", 100_000, date(2026, 12, 1), tax=0)  # after as_of: not counted
        report = grants.build_report(session, grant.id, date(2026, 12, 1), as_of=date(2026, 11, 30))
    text = text_of(render(report))
    assert "補助事業 執行状況（2026年11月30日 現在）" in text
    assert "244日 / 334日（73%）" in text
    assert "執行率" in text
    assert re.search(r"旅費 1,000,000 900,000 100,000 90.0% ▲90%以上", text)
    assert re.search(r"会議費 500,000 550,000 △50,000 110.0% 予算超過", text)
    assert re.search(r"謝金 400,000 100,000 300,000 25.0%", text)
    assert re.search(r"合計 1,900,000 1,550,000 350,000 81.6%", text)
    assert "予算超過の経費区分：会議費" in text and "執行率90%以上の経費区分：旅費" in text
    assert re.search(rf"補助金見込額 {report.settlement.subsidy:,} ?円", text)
    assert "流用後予算" in text and "支出済額" in text  # the chart's legend
    assert "2026年11月30日 までの支払" in text  # the appendix
    assert "V4" not in text


@needs_poppler
def test_chart_labels_are_japanese_and_formatted(db):
    report = build(db, count=10)
    text = text_of(render(report))
    chart = text[text.index("予算額と実績額"):]
    for row in report.settlement.categories:
        assert row.category in chart
    assert f"{report.settlement.categories[0].after_reallocation:,}" in chart
    assert "2,000,000" in chart  # an axis label
