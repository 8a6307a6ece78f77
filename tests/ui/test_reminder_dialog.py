"""督促の確認 (issue 12): the review list before reminders are printed — filters, a ✔ per row taken off with
the keyboard, printing only the ✔ rows and recording each reminder sent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tama_desk.db.models_feedocs import ReminderSent
from tama_desk.ui.views import reminder_dialog
from tama_desk.ui.views.reminder_dialog import ReminderReviewDialog
from tests.factories import pdf_text
from tests.ui.conftest import pump, toplevels

from .conftest import show


def key(widget, sequence: str) -> None:
    widget.focus_force()
    widget.update()
    widget.event_generate(sequence)
    widget.update()


def test_review_filters_leaves_out_with_the_keyboard_and_prints_only_the_ticked(window, demo_db, monkeypatch,
                                                                               tmp_path):
    show(window, "fees")
    pump(window)
    window.views["fees"].on_dunning()  # 出力 → 督促状…: the review opens first
    pump(window)
    [dialog] = [top for top in toplevels(window, "確認") if isinstance(top, ReminderReviewDialog)]
    everyone = dialog.table.keys()
    assert everyone and all(row.days_past_due >= 1 and row.open >= 1000 for row in dialog.table.rows)

    dialog.form.set("min_amount", "50,000")  # the minimum amount filters the list
    pump(window)
    big = dialog.table.keys()
    assert 0 < len(big) < len(everyone) and all(row.open >= 50000 for row in dialog.table.rows)
    dialog.form.set("min_days", "100000")  # and the lateness: nobody is that late
    pump(window)
    assert dialog.table.keys() == [] and str(dialog.print_button.cget("state")) == "disabled"
    dialog.form.set("min_days", "1")
    pump(window)

    first, second = big[0], big[1]
    dialog.table.select(first)
    key(dialog.tree, "<space>")  # space takes the ✔ off the first row
    assert dialog.tree.set(str(first), "ok") == ""
    dialog.table.select(second)
    key(dialog.tree, "<Return>")  # Enter too, and Enter again puts it back
    assert dialog.tree.set(str(second), "ok") == ""
    key(dialog.tree, "<Return>")
    assert dialog.tree.set(str(second), "ok") == "✔"
    chosen = [invoice_id for invoice_id in big if invoice_id != first]
    assert dialog.print_button.cget("text") == f"✔ の {len(chosen)} 件を印刷…"

    monkeypatch.setattr(reminder_dialog.filedialog, "askdirectory", lambda **_kw: str(tmp_path))
    dialog.print_button.invoke()
    pump(window, until=lambda: not dialog.winfo_exists())
    with demo_db.reading() as session:
        sent = session.scalars(select(ReminderSent)).all()
    assert sorted(row.invoice_id for row in sent) == sorted(chosen)  # only the ✔ rows, each recorded
    assert all(row.sent_on == date.today() and row.level == 1 for row in sent)
    files = list((tmp_path / f"お支払いのお願い_{date.today():%Y%m%d}").glob("*.pdf"))
    assert len(files) == len(chosen)
    combined = pdf_text((tmp_path / f"お支払いのお願い_{date.today():%Y%m%d}_印刷用.pdf").read_bytes())
    assert combined.count("お支払いのお願い") >= len(chosen)
    assert "督促" in str(window.status.cget("text"))  # the status bar says what was done


def test_the_next_review_shows_the_last_reminder_and_a_督促状(window, demo_db):
    from tama_desk.services import reminders

    with demo_db.transaction() as session:
        row = reminders.review(session, date.today())[0]
        reminders.record(session, row.invoice_id, date(2026, 1, 5), 1, row.open)
    dialog = ReminderReviewDialog(window, window, on_done=lambda: None)
    pump(window)
    shown = dialog.table.row(row.invoice_id)
    assert (shown.last_sent_on, shown.last_level, shown.next_level) == (date(2026, 1, 5), 1, 2)
    assert dialog.tree.set(str(row.invoice_id), "last_level") == "お支払いのお願い"
    assert dialog.tree.set(str(row.invoice_id), "next_level") == "督促状"
    dialog.close()


def test_a_new_deadline_typed_and_督促状_for_all_ticked_with_the_keyboard_reach_the_letters(window, demo_db, dialogs,
                                                                                        monkeypatch, tmp_path):
    """What `invoices dunning --new-due-date DATE --strong` does, from the dialog: the date through the shared
    parser (和暦 too), every letter a 督促状, recorded as such."""
    dialog = ReminderReviewDialog(window, window, on_done=lambda: None)
    pump(window)
    due = dialog.form.widgets["new_due"]
    assert dialog.form.value("new_due") == date.today() + timedelta(days=14)  # the default, as on the CLI
    assert dialog.strong_box.winfo_ismapped() and dialog.tree.set(str(dialog.table.keys()[0]), "next_level") == \
        "お支払いのお願い"
    key(dialog.form.widgets["min_days"], "<Tab>")  # Tab from the fields reaches the deadline, then the tick box
    assert dialog.focus_get() == due
    due.delete(0, "end")
    due.update()
    for char in "R8.1.5":  # before the letters' date: refused when printing, nothing written or recorded
        due.event_generate("<KeyPress>", keysym={".": "period"}.get(char, char))
    pump(window)
    assert dialog.form.value("new_due") == date(2026, 1, 5)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(reminder_dialog.filedialog, "askdirectory", lambda **_kw: str(out))
    dialog.print_button.invoke()
    pump(window)
    assert dialogs.messages and f"{date.today():%Y-%m-%d} より後の日付にしてください" in dialogs.messages[-1]
    assert list(out.iterdir()) == []
    later = date.today() + timedelta(days=30)
    due.delete(0, "end")
    due.focus_force()
    due.update()
    for char in f"{later:%Y-%m-%d}":
        due.event_generate("<KeyPress>", keysym={"-": "minus"}.get(char, char))
    key(due, "<Tab>")
    assert dialog.focus_get() == dialog.strong_box
    key(dialog.strong_box, "<KeyPress-space>")
    key(dialog.strong_box, "<KeyRelease-space>")
    assert dialog.strong_var.get() is True
    keys = dialog.table.keys()
    assert {dialog.tree.set(str(k), "next_level") for k in keys} == {"督促状"}  # the list says what is printed
    assert f"うち督促状 {len(keys)} 件" in dialog.summary.cget("text")
    dialog.print_button.invoke()
    pump(window, until=lambda: not dialog.winfo_exists())
    with demo_db.reading() as session:
        sent = session.scalars(select(ReminderSent)).all()
    assert sorted(row.invoice_id for row in sent) == sorted(keys) and {row.level for row in sent} == {2}
    text = pdf_text((out / f"お支払いのお願い_{date.today():%Y%m%d}_印刷用.pdf").read_bytes())
    assert text.count("督促状") >= len(keys) and "お支払いのお願い" not in text.replace(" ", "")
    assert f"{later.year}年{later.month}月{later.day}日" in text.replace(" ", "")
