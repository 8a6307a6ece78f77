from datetime import date

from sqlalchemy import func, select

from tama_desk.db.models import AuditLog, Invoice, Member
from tama_desk.services import dashboard, grants, invoices


def test_dashboard_figures_match_the_records(demo_db):
    today = date(2026, 12, 1)
    with demo_db.reading() as session:
        board = dashboard.overview(session, today)
        fees = dashboard.fee_figures(session, today)
        active = session.scalar(select(func.count()).select_from(Member).where(Member.status == "active"))
        last = session.scalar(select(AuditLog).order_by(AuditLog.id.desc()).limit(1))
        contract = set(session.scalars(select(Invoice.number).where(Invoice.contract_id.is_not(None))))
        live = [row for row in invoices.list_invoices(session, 2026)  # 委託事業 invoices have their own card
                if row.kind == "invoice" and row.status != "cancelled" and row.number not in contract]
        overdue = [row for row in live if row.open and row.due_date and row.due_date < today]
        assert fees.year == 2026
        assert active == sum(board.by_category.values())
        assert (fees.count, fees.billed, fees.paid) == (len(live), sum(r.total for r in live), sum(r.paid for r in live))
        assert (fees.overdue_count, fees.overdue) == (len(overdue), sum(r.open for r in overdue))
        assert [name for name, _budget, _spent in board.burn] == [name for name, *_ in grants.burn_rows(session)]
        assert len(board.recent) == 15 and board.recent[0][3] == last.summary
        assert not session.new and not session.dirty  # a read writes nothing
