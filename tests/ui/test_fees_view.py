from datetime import date

from sqlalchemy import func, select

from tama_desk.db.models import Invoice, Payment
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.services import invoices, reconcile
from tama_desk.ui.views.fee_dialogs import BillingRunDialog, InvoiceDialog, PaymentDialog
from tama_desk.ui.views.statement_dialog import StatementImportDialog
from tests.ui.conftest import pump, toplevels

from .conftest import loaded, show


def fees_view(window):
    show(window, "fees")
    pump(window)
    return window.views["fees"]


def test_lists_the_years_invoices_with_totals(window, demo_db):
    view = fees_view(window)
    with demo_db.reading() as session:
        count = session.scalar(select(func.count()).select_from(Invoice).where(Invoice.fiscal_year == view.year))
    assert count and len(view.tree.get_children()) == count
    assert view.summary.cget("text").startswith(f"{count} 件")
    view.status_var.set("未入金")
    view.refresh()
    assert {view.tree.set(item, "status") for item in view.tree.get_children()} == {"未入金"}


def test_billing_run_previews_then_issues_every_invoice(window, demo_db, dialogs):
    view = fees_view(window)
    next_year = fiscal_year_of(date.today()) + 1
    dialog = BillingRunDialog(view, window, next_year, on_done=view.on_billed)
    pump(window, until=lambda: str(dialog.run_button.cget("state")) == "normal")
    planned = len(dialog.plan.to_bill)
    assert planned > 200 and dialog.plan.excluded
    dialog.issue_var.set(f"{next_year}-04-01")
    dialog.due_var.set(f"{next_year}-04-30")
    dialog.on_run()
    pump(window, until=lambda: not dialog.winfo_exists())
    assert any("発行します" in message for message in dialogs.messages)  # asked before issuing
    with demo_db.reading() as session:
        issued = session.scalars(select(Invoice).where(Invoice.billed_year == next_year)).all()
    assert len(issued) == planned
    assert {invoice.issue_date for invoice in issued} == {date(next_year, 4, 1)}
    assert "発行しました" in window.status.cget("text")


def test_bad_issue_date_is_named_and_nothing_is_issued(window, demo_db, dialogs):
    view = fees_view(window)
    next_year = fiscal_year_of(date.today()) + 1
    dialog = BillingRunDialog(view, window, next_year, on_done=view.on_billed)
    pump(window, until=lambda: str(dialog.run_button.cget("state")) == "normal")
    dialog.issue_var.set("2026-13-01")
    dialog.on_run()
    pump(window)
    assert "「発行日」" in dialogs.messages[-1]
    with demo_db.reading() as session:
        assert not session.scalar(select(func.count()).select_from(Invoice).where(Invoice.billed_year == next_year))
    dialog.destroy()


def test_recording_a_payment_from_the_invoice(window, demo_db):
    view = fees_view(window)
    with demo_db.reading() as session:
        unpaid = next(row for row in invoices.list_invoices(session, view.year, "unpaid") if row.kind == "invoice")
    view.on_open(unpaid.id)
    pump(window)
    [detail] = [dialog for dialog in toplevels(window) if isinstance(dialog, InvoiceDialog)]
    payment = PaymentDialog(detail, window, unpaid.member_id, unpaid.id, unpaid.open,
                            on_saved=lambda: (detail.on_changed(), detail.build()))  # as the dialog's 入金 does
    payment.vars["amount"].set(f"{unpaid.open:,}")
    payment.on_save()
    assert view.table.row(unpaid.id).open == 0 and view.loader.pending  # its row at once, the list after
    pump(window, until=lambda: not payment.winfo_exists())
    with demo_db.reading() as session:
        assert invoices.balances(session, [unpaid.id])[unpaid.id].open == 0
    assert len(detail.payments.get_children()) == 1
    loaded(view)
    with demo_db.reading() as session:
        assert view.rows == invoices.list_invoices(session, view.year)
    detail.destroy()


def test_statement_import_ticks_sure_matches_and_records_them_once(window, demo_db, tmp_path):
    with demo_db.reading() as session:
        items = reconcile.open_items(session)[:3]
    lines = ["取引日,摘要,お預り金額,残高"] + [
        f"2026/11/{10 + i},{item.payer_names[0]},{item.amount_due},{1000 + i}" for i, item in enumerate(items)]
    statement = tmp_path / "statement.csv"
    statement.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    view = fees_view(window)
    dialog = StatementImportDialog(view, window, statement, on_done=view.on_billed)
    pump(window, until=lambda: dialog.job is None and dialog.proposals)
    assert len(dialog.chosen) == 3
    dialog.on_apply()
    pump(window, until=lambda: not dialog.winfo_exists())
    with demo_db.reading() as session:
        recorded = session.scalar(select(func.count()).select_from(Payment).where(Payment.statement_ref.is_not(None)))
    assert recorded == 3

    again = StatementImportDialog(view, window, statement, on_done=view.on_billed)
    pump(window, until=lambda: again.job is None and again.tree.get_children())
    assert not again.chosen and "取込済み 3 件" in again.summary.cget("text")
    again.on_close()
    assert not toplevels(window, "入金明細の取込")


def test_unrecognised_statement_header_asks_for_the_columns_with_drop_downs(window, demo_db, tmp_path, dialogs):
    from tama_desk.ui.views.column_map_dialog import ColumnMapDialog

    with demo_db.reading() as session:
        item = reconcile.open_items(session)[0]
    statement = tmp_path / "odd.csv"
    statement.write_text(f"いつ,だれ,いくら\n2026/11/10,{item.payer_names[0]},{item.amount_due}\n", encoding="utf-8")
    view = fees_view(window)
    dialog = StatementImportDialog(view, window, statement, on_done=view.on_billed)
    pump(window, until=lambda: toplevels(window, "列の対応"))
    mapper = toplevels(window, "列の対応")[0]
    assert isinstance(mapper, ColumnMapDialog)
    assert mapper.table.tree.set(mapper.table.keys()[1], "0") == "2026/11/10"  # the first rows, as they are
    assert (mapper.form.get("date"), mapper.form.get("payer"), mapper.form.get("amount")) == ("1", "2", "3")  # guessed
    mapper.form.vars["amount"].set("3列目（いくら）")  # chosen from the drop-down's texts
    mapper.form.widgets["date"].focus_force()
    pump(window)
    mapper.form.widgets["date"].event_generate("<Control-Return>")
    pump(window, until=lambda: dialog.job is None and dialog.tree.get_children())
    assert list(dialog.chosen) == ["2"] and dialog.mapping == "date=1,amount=3,payer=2"
    dialog.close()


def test_wareki_setting_shows_dates_in_the_japanese_era(window):
    view = fees_view(window)
    first = view.tree.get_children()[0]
    assert view.tree.set(first, "issue_date")[:2] == "20"
    show(window, "settings")
    settings_view = window.views["settings"]
    settings_view.wareki_var.set(True)
    settings_view.on_wareki()
    view = fees_view(window)
    assert view.tree.set(first, "issue_date").startswith("令和")


def test_invoice_pdf_is_saved_under_its_standard_name_and_printed(window, demo_db, tmp_path, monkeypatch):
    import os
    import re
    import sys

    view = fees_view(window)
    detail = InvoiceDialog(view, window, view.table.keys()[0], on_changed=view.refresh)
    pump(window)
    name = detail.documents.name()
    assert re.fullmatch(r"\d{8}_.+_\d+\.pdf", name)
    saved = detail.documents.save_to(tmp_path / name)
    assert saved.read_bytes().startswith(b"%PDF") and str(saved) in detail.documents.path_label.cget("text")
    printed = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "startfile", lambda path, verb="open": printed.append((path.name, verb)), raising=False)
    detail.documents.print_button.invoke()
    assert printed == [(name, "print")]
    detail.close()
