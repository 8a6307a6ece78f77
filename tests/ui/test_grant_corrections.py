from sqlalchemy import select

from tama_desk.db.models import Expenditure
from tama_desk.ui.views.grant_dialogs import ExpenditureDialog
from tests.ui.conftest import pump


def test_correcting_an_expenditure_from_the_grants_view(window, demo_db, dialogs):
    window.show_view("grants")
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
