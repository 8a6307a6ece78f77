from sqlalchemy import select

from tama_desk.db.models import Invoice
from tama_desk.ui.views.adhoc_dialog import AdHocInvoiceDialog
from tests.ui.conftest import pump

from .conftest import show


def test_one_off_invoice_from_the_fees_view(window, demo_db, dialogs):
    show(window, "fees")
    view = window.views["fees"]
    dialog = AdHocInvoiceDialog(view, window, on_done=view.on_billed)
    dialog.vars["member"].set("0001")
    dialog.on_member_typed(dialog.member_box)
    choice = dialog.member_box.cget("values")[0]
    assert choice.startswith("0001 ")
    dialog.vars["member"].set(choice)
    dialog.vars["subject"].set("海外展開セミナー 参加費")
    dialog.lines[0]["description"].set("セミナー参加費")
    dialog.lines[0]["quantity"].set("3")
    dialog.lines[0]["price"].set("105")
    pump(window)
    assert "346円" in dialog.total_label.cget("text")  # 315 + tax 31, rounded once
    dialog.lines[1]["description"].set("資料代")  # a line without a price is named
    dialog.on_issue()
    pump(window)
    assert "明細 2 行目" in dialogs.messages[-1] and dialog.winfo_exists()
    dialog.lines[1]["description"].set("")
    dialog.on_issue()
    pump(window, until=lambda: not dialog.winfo_exists())
    with demo_db.reading() as session:
        invoice = session.scalar(select(Invoice).where(Invoice.purpose == "event"))
    assert invoice.total == 346 and invoice.recipient_name == choice.split(" ", 1)[1]
    assert "発行しました" in window.status.cget("text")
