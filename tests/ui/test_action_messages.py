"""Actions say what they did: driven by generated key events (Ctrl+S, Ctrl+Enter, Ctrl+B, Ctrl+E), the status
bar names the record and the amount; long work shows a toast too."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tama_desk.db.models import Invoice, Member
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.i18n import set_language
from tama_desk.services import invoices
from tests.ui.conftest import pump, toplevels
from tests.ui.test_keyboard import focused, press, type_text


def status(window) -> str:
    return window.status.cget("text")


def only_dialog(window):
    (dialog,) = toplevels(window)
    dialog.focus_force()
    pump(window)
    return dialog


def test_ctrl_s_in_the_member_dialog_names_the_member(window, demo_db):
    focused(window)
    press(window, "<Control-Key-2>")
    press(window, "<Control-f>")
    type_text(window.views["members"].search.entry, "0150")
    press(window, "<Return>")
    dialog = only_dialog(window)
    dialog.form.widgets["name"].focus_force()
    pump(window)
    press(window, "<Control-s>")
    assert not toplevels(window)
    with demo_db.reading() as session:
        name = session.scalar(select(Member.name).where(Member.number == "0150"))
    assert status(window).endswith(f"会員 0150 {name} を保存しました")


def test_a_payment_typed_with_the_keyboard_names_the_invoice_payer_and_amount(window, demo_db):
    with demo_db.reading() as session:
        rows = invoices.list_invoices(session, fiscal_year_of(date.today()), "unpaid", "")
    row = rows[0]
    focused(window)
    press(window, "<Control-Key-3>")
    window.views["fees"].on_open(row.id)
    invoice_dialog = only_dialog(window)
    press(window, "<Control-Return>", widget=invoice_dialog)  # the main button: 入金を記録…
    payment = [dialog for dialog in toplevels(window) if dialog is not invoice_dialog][0]
    payment.form.widgets["amount"].focus_force()
    pump(window)
    press(window, "<Control-s>")
    with demo_db.reading() as session:
        recipient = session.scalar(select(Invoice.recipient_name).where(Invoice.id == row.id))
    assert status(window).endswith(f"入金を記録しました: {row.number} {recipient} {row.open:,}円")
    for dialog in toplevels(window):
        dialog.destroy()


def test_the_billing_run_by_ctrl_b_says_the_count_and_total_and_toasts(window, demo_db, dialogs):
    focused(window)
    press(window, "<Control-Key-3>")
    view = window.views["fees"]
    next_year = fiscal_year_of(date.today()) + 1
    view.year_var.set(str(next_year))
    press(window, "<Control-b>")
    dialog = only_dialog(window)
    pump(window, until=lambda: str(dialog.run_button.cget("state")) == "normal")
    count, total = len(dialog.plan.to_bill), dialog.plan.total
    press(window, "<Control-Return>", widget=dialog)
    pump(window, until=lambda: not dialog.winfo_exists())
    assert status(window).endswith(f"{next_year}年度の一括請求: {count}件 {total:,}円を発行しました")
    assert window.toast is not None and "一括請求" in window.toast.cget("text")  # it ran off the Tk thread


def test_an_export_names_what_it_wrote_and_where_in_english_too(window, monkeypatch, tmp_path):
    target = tmp_path / "会員名簿.xlsx"
    monkeypatch.setattr("tama_desk.ui.views.members.filedialog.asksaveasfilename", lambda **_options: str(target))
    focused(window)
    press(window, "<Control-Key-2>")
    press(window, "<Control-e>")
    pump(window, until=lambda: target.exists() and not toplevels(window))
    assert status(window).endswith(f"会員名簿を書き出しました: {target}")
    assert "会員名簿" in window.toast.cget("text")
    set_language("en")
    try:
        press(window, "<Control-e>")
        pump(window, until=lambda: "Member list written" in status(window))
    finally:
        set_language("ja")
    assert status(window).endswith(f"Member list written: {target}")
