from sqlalchemy import select

from tama_desk.db.models import Expenditure
from tama_desk.ui.views.grant_dialogs import ExpenditureDialog
from tests.ui.conftest import pump

from .conftest import show


def test_correcting_an_expenditure_from_the_grants_view(window, demo_db, dialogs):
    show(window, "grants")
    view = window.views["grants"]
    pump(window)
    with demo_db.reading() as session:
        first = session.scalars(select(Expenditure).order_by(Expenditure.id)).first()
        grant_id, expenditure_id, voucher = first.grant_id, first.id, first.voucher_number
    dialog = ExpenditureDialog(view, window, grant_id, on_saved=view.refresh, expenditure_id=expenditure_id)
    assert dialog.form.vars["voucher_number"].get() == voucher
    dialog.form.vars["amount"].set("12345")
    dialog.form.vars["tax"].set("0")
    dialog.form.vars["eligible_amount"].set("")
    dialog.on_save()
    pump(window, until=lambda: not dialog.winfo_exists())
    with demo_db.reading() as session:
        corrected = session.get(Expenditure, expenditure_id)
        assert (corrected.voucher_number, corrected.amount, corrected.eligible_amount) == (voucher, 12_345, 12_345)


def test_deleting_an_expenditure_inside_its_retention_period_is_refused_before_a_reason_is_asked(window, demo_db,
                                                                                                  dialogs,
                                                                                                  monkeypatch):
    show(window, "grants")
    view = window.views["grants"]
    pump(window)
    with demo_db.reading() as session:
        first = session.scalars(select(Expenditure).order_by(Expenditure.id)).first()
        expenditure_id, voucher = first.id, first.voucher_number
    from tama_desk.ui import feedback

    monkeypatch.setattr(view, "selected_expenditure", lambda: expenditure_id)
    asked = []
    monkeypatch.setattr(feedback, "ask_reason", lambda *args: asked.append(args))
    view.on_delete_expenditure()
    pump(window)
    assert voucher in dialogs.messages[-1] and "まで保存が必要なため削除できません" in dialogs.messages[-1]
    assert dialogs.shown[-1][0] == "保存期間内の記録です"
    assert not asked
    with demo_db.reading() as session:
        assert session.get(Expenditure, expenditure_id) is not None
