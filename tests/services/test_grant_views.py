from datetime import date

from tama_desk.services import grant_views, grants


def test_reallocation_view_is_plain_data_with_the_history(demo_db):
    with demo_db.reading() as session:
        grant = grants.all_grants(session)[0]
        grant_id, categories = grant.id, [budget.category for budget in grant.budgets]
    with demo_db.transaction() as session:
        grants.reallocate(session, grant_id, categories[0], categories[1], 1000, date(2026, 9, 30), "", "")
    with demo_db.reading() as session:
        view = grant_views.reallocation_view(session, grant_id)
    assert view.changes[-1].amount == 1000 and view.changes[-1].from_category == categories[0]
    moved = sum(c.amount for c in view.changes if c.to_category == categories[1]) - sum(
        c.amount for c in view.changes if c.from_category == categories[1])
    assert view.budget_after[categories[1]] == view.planned[categories[1]] + moved
