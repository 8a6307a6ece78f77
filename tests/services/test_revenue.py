from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from tama_desk.documents import revenue_report
from tama_desk.exports import revenue_xlsx
from tama_desk.services import accounting, grants, invoices, members, payments, revenue


def setup_year(db):
    with db.transaction() as session:
        one = members.save_member(session, {"number": "0001", "name": "株式会社多摩精機", "kana": "タマセイキ",
                                            "category": "企業", "membership_type": "正会員", "join_date": "2020-04-01"})
        members.save_member(session, {"number": "0002", "name": "浅川電子株式会社", "kana": "アサカワデンシ",
                                      "category": "企業", "membership_type": "正会員", "join_date": "2026-05-01"})
        from tama_desk.services import fees

        fees.bill_fiscal_year(session, 2025, date(2025, 4, 10), date(2025, 5, 31))
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10), date(2026, 5, 31))
        payments.record_payment(session, one.id, date(2025, 5, 1), 70000)
        payments.record_payment(session, one.id, date(2026, 5, 1), 70000)
        invoices.issue_adhoc(session, one.id, "event", "セミナー", date(2026, 7, 1), None,
                             [invoices.Line("参加費", 2, 5000, "standard_10")])
        ending = grants.create_grant(session, name="海外販路開拓", grantor="関東経済産業局", fiscal_year=2026,
                                     period_start=date(2026, 4, 1), period_end=date(2027, 2, 28),
                                     decided_amount=3000000, rate="2/3", budgets={"旅費": 4500000})
        grants.create_grant(session, name="産学官金連携", grantor="東京都", fiscal_year=2026,
                            period_start=date(2026, 4, 1), period_end=date(2028, 3, 31), decided_amount=1200000,
                            rate="1/2", budgets={"会議費": 2400000})
        accounting.record_grant_receipt(session, ending.id, date(2026, 6, 1), 1000000)
        accounting.set_options(session, annual_fixed_costs=1200000)


def test_revenue_by_source_collection_members_and_runway(db):
    setup_year(db)
    with db.reading() as session:
        picture = revenue.picture(session, 2026)
    assert [year.year for year in picture.years] == [2022, 2023, 2024, 2025, 2026]
    this = picture.this_year
    assert (this.dues, this.contracts, this.business) == (140000, 0, 11000)
    assert this.grants == 3000000 + 1200000  # the decided amounts (an advance received is part of it)
    assert picture.years[-2].dues == 70000 and picture.years[-2].grants == 0
    assert (picture.collection_billed, picture.collection_paid) == (151000, 70000)
    assert picture.collection_rate == Decimal("46.3")
    assert picture.members[-2:] == ((2025, 1), (2026, 2))
    assert [(g.name, g.continues_next_year) for g in picture.grants] == [("海外販路開拓", False), ("産学官金連携", True)]
    runway = picture.runway
    assert (runway.this_year_own, runway.next_year_own, runway.next_year_grants) == (140000, 140000, 1200000)
    assert runway.months == Decimal("1.4") and runway.next_year_months_with_grants == Decimal("13.4")
    assert runway.next_year_gap == 1200000 - 140000 - 1200000


def test_the_report_as_xlsx_and_pdf_shows_the_same_figures(db):
    setup_year(db)
    with db.reading() as session:
        picture = revenue.picture(session, 2026)
    book = load_workbook(io.BytesIO(revenue_xlsx.render(picture)))
    sheet = book["収入の状況"]
    rows = {row[0].value: [c.value for c in row[1:6]] for row in sheet.iter_rows() if row[0].value}
    assert rows["補助金"][-1] == 4200000 and rows["合計"][-1].startswith("=SUM(")
    assert sheet._charts and rows["賄える月数"][0].startswith("=IF(")
    assert [r[0].value for r in book["補助金"].iter_rows(min_row=2)] == ["海外販路開拓", "産学官金連携"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        revenue_report.render(picture))).pages)
    assert "4,200,000" in text and "1.4か月" in text and "回収率 46.3%" in text and "2027年2月28日" in text


def test_without_fixed_costs_the_runway_says_so(db):
    with db.reading() as session:
        picture = revenue.picture(session, 2026)
    assert picture.runway.months is None and picture.notes
    assert b"%PDF" in revenue_report.render(picture)[:10]


def test_dashboard_cards_show_revenue_and_months_without_grants(db):
    setup_year(db)
    with db.reading() as session:
        cards = revenue.dashboard_cards(session, date(2026, 12, 1))
    assert cards[0].figure == f"{140000 + 11000 + 4200000:,}円" and cards[0].area == "accounting"
    assert cards[1].figure == "1.4か月"


def test_a_settled_grant_counts_what_was_received(db):
    setup_year(db)
    with db.transaction() as session:
        for status in ("running", "reported", "confirmed"):
            grants.set_status(session, 1, status)
    with db.reading() as session:
        assert revenue.picture(session, 2026).this_year.grants == 1000000 + 1200000
