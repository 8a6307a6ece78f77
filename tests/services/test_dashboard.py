from datetime import date

from sqlalchemy import func, select

from tama_desk.db.models import AuditLog, Member
from tama_desk.services import dashboard, grants


def test_dashboard_figures_match_the_records(demo_db):
    today = date(2026, 12, 1)
    with demo_db.reading() as session:
        board = dashboard.dashboard(session, today)
        active = session.scalar(select(func.count()).select_from(Member).where(Member.status == "active"))
        last = session.scalar(select(AuditLog).order_by(AuditLog.id.desc()).limit(1))
        assert board.fiscal_year == 2026
        assert board.by_status["active"] == active == sum(board.active_by_category.values())
        assert board.billed_count > 0 and 0 < board.paid_total <= board.billed_total
        assert 0 <= board.overdue_total <= board.billed_total - board.paid_total
        assert [name for name, _budget, _spent in board.grant_burn] == [g.name for g in grants.all_grants(session)]
        assert len(board.recent) == 15 and board.recent[0].summary == last.summary
        assert not session.new and not session.dirty  # a read writes nothing
