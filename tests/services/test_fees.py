from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import AuditLog, FeeSchedule, Invoice, InvoiceLine, Member, MembershipType
from tama_desk.domain.invoice import DocumentSnapshot
from tama_desk.errors import UserError
from tama_desk.services import audit, fees, invoices, members, profile

YEAR = 2026
ISSUE = date(2026, 4, 10)


def add(session, name: str, **values) -> Member:
    raw = {"name": name, "kana": "テスト", "category": "企業", "membership_type": "正会員",
           "join_date": "2020-04-01"} | values
    return members.save_member(session, raw)


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def invoices_of(session) -> list[Invoice]:
    return list(session.scalars(select(Invoice).order_by(Invoice.id)))


@pytest.fixture
def roster(db):
    """Members covering every billing rule for fiscal year 2026 (2026-04-01 … 2027-03-31)."""
    with db.transaction() as session:
        add(session, "株式会社在籍", number="0001")
        add(session, "株式会社前年度退会", number="0002", join_date="2010-05-01", withdrawal_date="2026-03-31",
            status="退会")
        add(session, "株式会社年度中退会", number="0003", withdrawal_date="2026-09-30", status="退会")
        add(session, "株式会社休会", number="0004", status="休会")
        add(session, "株式会社来年度入会", number="0005", join_date="2027-04-01")
        add(session, "多摩市", number="0006", category="自治体", membership_type="特別会員")
        add(session, "佐藤 花子", number="0007", category="個人", membership_type="賛助会員")
        add(session, "株式会社年度中入会", number="0008", join_date="2026-07-15")
        add(session, "株式会社年度末入会", number="0009", join_date="2027-03-31")
    return db


# --- plan_billing ---------------------------------------------------------------------------------


def test_plan_lists_who_is_billed_and_why_the_others_are_not(roster):
    with roster.transaction() as session:
        plan = fees.plan_billing(session, YEAR)
        audit_rows = count(session, AuditLog)
        assert {item.number: (item.amount, item.type_name, item.reason) for item in plan.to_bill} == {
            "0001": (70000, "正会員", "年額"),
            "0003": (70000, "正会員", "年額"),  # withdrew during the year: still billed for it
            "0007": (30000, "賛助会員", "年額"),
            "0008": (70000, "正会員", "年額"),  # default proration is full
            "0009": (70000, "正会員", "年額"),
        }
        assert {item.number: item.reason for item in plan.excluded} == {
            "0002": "2026-03-31に退会",
            "0004": "休会中",
            "0005": "2027-04-01入会（年度後）",
            "0006": "特別会員は年会費0円",
        }
        assert plan.total == 4 * 70000 + 30000
        assert [item.number for item in plan.to_bill] == ["0001", "0003", "0007", "0008", "0009"]
        line = plan.to_bill[0].lines[0]
        assert (line.description, line.quantity, line.unit_price, line.tax_category) == (
            "2026年度 年会費（正会員）", 1, 70000, "out_of_scope")
    with roster.reading() as session:  # a plan writes nothing
        assert count(session, Invoice) == count(session, FeeSchedule) == 0
        assert count(session, AuditLog) == audit_rows


def test_plan_excludes_members_already_billed(roster):
    with roster.transaction() as session:
        fees.bill_fiscal_year(session, YEAR, ISSUE)
    with roster.reading() as session:
        plan = fees.plan_billing(session, YEAR)
        assert plan.to_bill == []
        assert {item.number for item in plan.excluded if item.reason == "請求済み"} == {
            "0001", "0003", "0007", "0008", "0009"}


def test_fee_schedule_overrides_the_type_fee_for_that_year_only(roster):
    with roster.transaction() as session:
        fees.set_fee(session, YEAR, "正会員", 80000)
        fees.set_fee(session, YEAR, "正会員", 75000)  # the same row, changed
        fees.set_fee(session, YEAR, "特別会員", 1000)
    with roster.transaction() as session:
        assert count(session, FeeSchedule) == 2
        this_year = {item.number: item.amount for item in fees.plan_billing(session, YEAR).to_bill}
        next_year = {item.number: item.amount for item in fees.plan_billing(session, YEAR + 1).to_bill}
        assert this_year["0001"] == 75000 and this_year["0006"] == 1000 and this_year["0007"] == 30000
        assert next_year["0001"] == 70000 and "0006" not in next_year
        assert session.scalar(select(MembershipType.annual_fee).where(MembershipType.name == "正会員")) == 70000
        actions = [row.summary for row in session.scalars(select(AuditLog).where(AuditLog.action == "fee"))]
        assert actions == ["2026年度 正会員 80,000円", "2026年度 正会員 75,000円", "2026年度 特別会員 1,000円"]


def test_taxable_fee_is_billed_with_tax(roster):
    with roster.transaction() as session:
        fees.set_fee(session, YEAR, "賛助会員", 30000, tax_category="standard_10")
        _plan, ids = fees.bill_fiscal_year(session, YEAR, ISSUE)
    with roster.reading() as session:
        invoice = session.scalar(select(Invoice).join(Member).where(Member.number == "0007"))
        assert invoice.id in ids
        assert invoice.total == 33000
        snapshot = DocumentSnapshot.from_json(invoice.snapshot)
        assert [(t.tax_category, t.net, t.tax) for t in snapshot.totals] == [("standard_10", 30000, 3000)]
        assert snapshot.out_of_scope_notice == ""


def test_proration_and_admission_fee_for_members_joining_in_the_year(roster):
    with roster.transaction() as session:
        fees.set_fee(session, YEAR, "正会員", 70000, admission_fee=10000, proration="monthly")
        plan = fees.plan_billing(session, YEAR)
    planned = {item.number: item for item in plan.to_bill}
    joined = planned["0008"]  # 2026-07-15: July … March = 9 months
    assert [(line.description, line.unit_price) for line in joined.lines] == [
        ("2026年度 年会費（正会員）", 52500), ("入会金", 10000)]
    assert joined.amount == 62500
    assert joined.reason == "月割（円未満切捨て）（2026-07-15入会）"
    last = planned["0009"]  # 2027-03-31: one month
    assert [line.unit_price for line in last.lines] == [5833, 10000]
    assert [line.unit_price for line in planned["0001"].lines] == [70000]  # joined long ago: no admission fee
    assert planned["0001"].reason == "年額"
    assert [line.unit_price for line in planned["0007"].lines] == [30000]  # 賛助会員 has its own schedule


def test_set_fee_refuses_bad_values(db):
    with db.transaction() as session:
        for call in (lambda: fees.set_fee(session, YEAR, "名誉会員", 1000),
                     lambda: fees.set_fee(session, YEAR, "正会員", -1),
                     lambda: fees.set_fee(session, YEAR, "正会員", 1000, admission_fee=-5),
                     lambda: fees.set_fee(session, YEAR, "正会員", 1000, tax_category="standard_5"),
                     lambda: fees.set_fee(session, YEAR, "正会員", 1000, proration="weekly")):
            with pytest.raises(UserError):
                call()
        assert count(session, FeeSchedule) == 0


# --- bill_fiscal_year -----------------------------------------------------------------------------


def test_billing_run_creates_numbered_frozen_invoices(roster):
    with roster.transaction() as session:
        plan, ids = fees.bill_fiscal_year(session, YEAR, ISSUE)
    with roster.reading() as session:
        rows = invoices_of(session)
        assert [row.id for row in rows] == ids
        assert [(row.number, row.member.number, row.total) for row in rows] == [
            ("2026-0001", "0001", 70000), ("2026-0002", "0003", 70000), ("2026-0003", "0007", 30000),
            ("2026-0004", "0008", 70000), ("2026-0005", "0009", 70000)]
        for row in rows:
            assert (row.fiscal_year, row.kind, row.purpose, row.billed_year, row.status) == (
                2026, "invoice", "annual_fee", 2026, "issued")
            assert (row.issue_date, row.due_date) == (ISSUE, ISSUE + timedelta(days=30))
            assert row.recipient_name == row.member.name
            assert [(line.position, line.amount) for line in row.lines] == [(1, row.total)]
            snapshot = DocumentSnapshot.from_json(row.snapshot)
            assert (snapshot.number, snapshot.total, snapshot.subject) == (row.number, row.total,
                                                                           "2026年度 年会費のご請求")
            assert (snapshot.period_start, snapshot.period_end) == (date(2026, 4, 1), date(2027, 3, 31))
        individual = DocumentSnapshot.from_json(rows[2].snapshot).recipient
        assert (individual.name, individual.honorific) == ("佐藤 花子", "様")
        assert DocumentSnapshot.from_json(rows[0].snapshot).recipient.honorific == "御中"
        assert plan.total == sum(row.total for row in rows)


def test_billing_run_is_idempotent_and_recreates_only_a_cancelled_invoice(roster):
    with roster.transaction() as session:
        _plan, first = fees.bill_fiscal_year(session, YEAR, ISSUE)
    with roster.transaction() as session:
        plan, second = fees.bill_fiscal_year(session, YEAR, ISSUE)
        assert (second, plan.to_bill, plan.total) == ([], [], 0)
    with roster.transaction() as session:
        assert count(session, Invoice) == len(first) == 5
        invoices.cancel(session, first[1], "金額誤り")
    with roster.transaction() as session:
        plan, third = fees.bill_fiscal_year(session, YEAR, date(2026, 4, 20))
    with roster.reading() as session:
        assert len(third) == 1
        new = session.get(Invoice, third[0])
        old = session.get(Invoice, first[1])
        assert (new.member_id, new.number, new.issue_date) == (old.member_id, "2026-0006", date(2026, 4, 20))
        assert (old.status, old.number) == ("cancelled", "2026-0002")
        assert count(session, Invoice) == 6
        summaries = list(session.scalars(select(AuditLog.summary).where(AuditLog.action == "billing_run")
                                         .order_by(AuditLog.id)))
        assert summaries == ["2026年度 会費請求 5 件 310,000円", "2026年度 会費請求 0 件 0円",
                             "2026年度 会費請求 1 件 70,000円"]


def test_numbers_restart_each_fiscal_year_and_follow_the_pattern(roster):
    with roster.transaction() as session:
        fees.bill_fiscal_year(session, YEAR, ISSUE)
        profile.update_profile(session, {"invoice_number_pattern": "R{fy}-{seq:05d}"})
        _plan, ids = fees.bill_fiscal_year(session, YEAR + 1, date(2027, 4, 10))
        numbers = [(invoices.get_invoice(session, i).number, invoices.get_invoice(session, i).member.number)
                   for i in ids]
    # 2027: 0003 withdrew during 2026 and is not billed again; 0005 joined 2027-04-01
    assert numbers == [("R2027-00001", "0001"), ("R2027-00002", "0005"), ("R2027-00003", "0007"),
                       ("R2027-00004", "0008"), ("R2027-00005", "0009")]
    with roster.reading() as session:
        by_year = dict(session.execute(select(Invoice.fiscal_year, func.max(Invoice.sequence))
                                       .group_by(Invoice.fiscal_year)).all())
        assert by_year == {2026: 5, 2027: 5}


def test_late_billing_is_numbered_in_the_year_of_issue(roster):
    """A fiscal-year-2026 run issued in May 2027 takes numbers of fiscal year 2027."""
    with roster.transaction() as session:
        _plan, ids = fees.bill_fiscal_year(session, YEAR, date(2027, 5, 1))
        rows = [invoices.get_invoice(session, i) for i in ids]
        assert [row.number for row in rows][:2] == ["2027-0001", "2027-0002"]
        assert {(row.fiscal_year, row.billed_year) for row in rows} == {(2027, 2026)}


def test_calendar_fiscal_year(roster):
    """With the year starting in January, fiscal year 2026 is 2026-01-01 … 2026-12-31 for periods, exclusions
    and numbers."""
    with roster.transaction() as session:
        profile.update_profile(session, {"fiscal_year_start_month": "1"})
        plan = fees.plan_billing(session, 2026)
        excluded = {item.number: item.reason for item in plan.excluded}
        assert excluded["0005"] == "2027-04-01入会（年度後）"
        assert "0002" not in excluded  # withdrew 2026-03-31: inside calendar year 2026
        _plan, ids = fees.bill_fiscal_year(session, 2026, date(2026, 1, 10))
        first = invoices.get_invoice(session, ids[0])
        snapshot = DocumentSnapshot.from_json(first.snapshot)
        assert (snapshot.period_start, snapshot.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
        assert (first.number, first.fiscal_year) == ("2026-0001", 2026)
        _plan, later = fees.bill_fiscal_year(session, 2027, date(2027, 1, 5))
        assert invoices.get_invoice(session, later[0]).number == "2027-0001"


def test_audit_log_has_one_issue_row_per_invoice_and_one_run_row(roster):
    with roster.reading() as session:
        before = count(session, AuditLog)
    with roster.transaction() as session:
        _plan, ids = fees.bill_fiscal_year(session, YEAR, ISSUE)
    with roster.reading() as session:
        rows = list(session.scalars(select(AuditLog).where(AuditLog.id > before).order_by(AuditLog.id)))
        issued = [row for row in rows if row.action == "issue"]
        assert sorted(row.entity_id for row in issued) == sorted(ids)
        assert {row.entity for row in issued} == {"invoice"}
        assert "請求書 2026-0001 株式会社在籍 70,000円" in [row.summary for row in issued]
        runs = [row for row in rows if row.action == "billing_run"]
        assert len(runs) == 1 and runs[0].entity_id is None
        assert len(rows) == len(ids) + 1
        assert [h.action for h in audit.history(session, "invoice", ids[0])] == ["issue"]


def test_due_date_before_issue_date_refused(roster):
    with roster.transaction() as session:
        with pytest.raises(UserError, match="お支払期限"):
            fees.bill_fiscal_year(session, YEAR, ISSUE, due_date=ISSUE - timedelta(days=1))
        assert count(session, Invoice) == 0
        _plan, ids = fees.bill_fiscal_year(session, YEAR, ISSUE, due_date=ISSUE)  # the same day is fine
        assert {invoices.get_invoice(session, i).due_date for i in ids} == {ISSUE}


def test_explicit_due_date_is_stored_and_frozen(roster):
    with roster.transaction() as session:
        _plan, ids = fees.bill_fiscal_year(session, YEAR, ISSUE, due_date=date(2026, 5, 31))
    with roster.reading() as session:
        row = session.get(Invoice, ids[0])
        assert row.due_date == date(2026, 5, 31)
        assert DocumentSnapshot.from_json(row.snapshot).due_date == date(2026, 5, 31)


# --- atomicity ------------------------------------------------------------------------------------


class Boom(RuntimeError):
    pass


def assert_nothing_of_the_run(db, audit_before: int) -> None:
    with db.reading() as session:  # a new session: what was committed
        assert count(session, Invoice) == 0
        assert count(session, InvoiceLine) == 0
        assert count(session, AuditLog) == audit_before
        assert count(session, AuditLog, AuditLog.action.in_(("issue", "billing_run"))) == 0


def audit_count(db) -> int:
    with db.reading() as session:
        return count(session, AuditLog)


def test_run_failing_while_building_snapshots_leaves_nothing(roster, monkeypatch):
    before = audit_count(roster)
    calls = []
    original = DocumentSnapshot.to_json

    def failing(self):
        calls.append(self.number)
        if len(calls) == 3:
            raise Boom("disk full")
        return original(self)

    monkeypatch.setattr(DocumentSnapshot, "to_json", failing)
    with pytest.raises(Boom), roster.transaction() as session:
        fees.bill_fiscal_year(session, YEAR, ISSUE)
    assert calls == ["2026-0001", "2026-0002", "2026-0003"]
    assert_nothing_of_the_run(roster, before)


def test_run_failing_after_the_rows_are_inserted_leaves_nothing(roster, monkeypatch):
    """The invoices, lines and issue audit rows are already INSERTed when the run's last step fails."""
    before = audit_count(roster)
    seen = {}

    def failing_record(session, action, *args, **kwargs):
        seen["invoices"] = count(session, Invoice)
        seen["lines"] = count(session, InvoiceLine)
        seen["issue"] = count(session, AuditLog, AuditLog.action == "issue")
        raise Boom("audit log unavailable")

    monkeypatch.setattr(fees.audit, "record", failing_record)
    with pytest.raises(Boom), roster.transaction() as session:
        fees.bill_fiscal_year(session, YEAR, ISSUE)
    assert seen == {"invoices": 5, "lines": 5, "issue": 5}  # the failure really was in the middle of the run
    assert_nothing_of_the_run(roster, before)


def test_run_failing_on_one_members_data_leaves_nothing(roster, monkeypatch):
    """A member whose fee cannot be computed (here the proration rule raises for the member joining mid-year)
    fails the run after earlier members were planned; the whole run is refused. (An unknown proration code
    itself can no longer be stored: the CHECK constraint of migration 0012 refuses it.)"""
    real = fees.prorated_fee

    def failing_for_mid_year_joiners(annual_fee, rule, join_date, year_start):
        if join_date and join_date > year_start:
            raise ValueError("unknown proration")
        return real(annual_fee, rule, join_date, year_start)

    with roster.transaction() as session:
        kind = session.scalar(select(MembershipType).where(MembershipType.name == "正会員"))
        session.add(FeeSchedule(fiscal_year=YEAR, membership_type_id=kind.id, annual_fee=70000,
                                tax_category="out_of_scope", admission_fee=0, proration="monthly"))
    monkeypatch.setattr(fees, "prorated_fee", failing_for_mid_year_joiners)
    before = audit_count(roster)
    with pytest.raises(ValueError, match="proration"), roster.transaction() as session:
        fees.bill_fiscal_year(session, YEAR, ISSUE)
    assert_nothing_of_the_run(roster, before)


def test_an_unknown_proration_code_is_refused_by_the_database(roster):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError, match="proration"), roster.transaction() as session:
        kind = session.scalar(select(MembershipType).where(MembershipType.name == "正会員"))
        session.add(FeeSchedule(fiscal_year=YEAR, membership_type_id=kind.id, annual_fee=70000,
                                tax_category="out_of_scope", admission_fee=0, proration="weekly"))


def test_run_continues_normally_after_a_failed_attempt(roster, monkeypatch):
    def failing_issue_many(*_args, **_kwargs):
        raise Boom("x")

    monkeypatch.setattr(fees.invoices, "issue_many", failing_issue_many)
    with pytest.raises(Boom), roster.transaction() as session:
        fees.bill_fiscal_year(session, YEAR, ISSUE)
    monkeypatch.undo()
    with roster.transaction() as session:
        _plan, ids = fees.bill_fiscal_year(session, YEAR, ISSUE)
    with roster.reading() as session:
        assert [session.get(Invoice, i).number for i in ids][0] == "2026-0001"  # no number was used up


# --- ledger rows ----------------------------------------------------------------------------------


def test_ledger_rows_reflect_payments_credits_and_cancellations(roster):
    from tama_desk.domain.tax import Line
    from tama_desk.services import payments

    with roster.transaction() as session:
        _plan, ids = fees.bill_fiscal_year(session, YEAR, ISSUE)
        paid, partial, credited, cancelled = ids[0], ids[1], ids[2], ids[3]
        for invoice_id, amount in ((paid, 70000), (partial, 20000)):
            invoice = invoices.get_invoice(session, invoice_id)
            payments.record_payment(session, invoice.member_id, date(2026, 5, 1), amount,
                                    allocations=[(invoice_id, amount)])
        invoices.credit_note(session, credited, [Line("会費返還", 1, 10000, "out_of_scope")], date(2026, 6, 1),
                             "減額")
        invoices.cancel(session, cancelled, "二重登録")
    with roster.reading() as session:
        rows = {row.invoice_number: row for row in fees.ledger_rows(session, YEAR)}
    assert len(rows) == 5  # credit notes are not ledger lines
    assert (rows["2026-0001"].paid, rows["2026-0001"].status, rows["2026-0001"].last_paid_on) == (
        70000, "paid", date(2026, 5, 1))
    assert (rows["2026-0002"].paid, rows["2026-0002"].status) == (20000, "partial")
    assert (rows["2026-0003"].credited, rows["2026-0003"].status, rows["2026-0003"].billed) == (10000, "unpaid", 30000)
    assert (rows["2026-0004"].billed, rows["2026-0004"].status) == (0, "cancelled")
    assert (rows["2026-0005"].tax_category, rows["2026-0005"].type_name) == ("out_of_scope", "正会員")
    with roster.reading() as session:
        assert fees.ledger_rows(session, YEAR + 1) == []
