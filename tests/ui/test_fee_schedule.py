from tama_desk.services import fees
from tama_desk.ui.views.fee_schedule_dialog import FeeScheduleDialog
from tests.ui.conftest import pump

from .conftest import show


def test_setting_next_years_fee_changes_only_that_year(window, demo_db):
    show(window, "fees")
    view = window.views["fees"]
    dialog = FeeScheduleDialog(view, window, 2030)
    dialog.tree.selection_set("正会員")
    pump(window)
    assert dialog.vars["fee"].get() == "70,000"
    dialog.vars["fee"].set("75,000")
    dialog.vars["proration"].set("月割（円未満切捨て）")
    dialog.on_save()
    pump(window)
    assert dialog.tree.set("正会員", "fee") == "75,000"
    with demo_db.reading() as session:
        year_2030 = {row.membership_type.name: row for row in fees.schedule_for(session, 2030).values()}
        year_2031 = {row.membership_type.name: row for row in fees.schedule_for(session, 2031).values()}
    assert (year_2030["正会員"].annual_fee, year_2030["正会員"].proration) == (75_000, "monthly")
    assert year_2031["正会員"].annual_fee == 70_000
    dialog.destroy()
