"""The fee-document services as the window uses them: receipts issued once, member warnings and versions,
the 手数料差引 / 収入印紙 settings, credit notes by tax rate."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import func, select

from tama_desk.db.models_receipts import Receipt
from tama_desk.services import invoices
from tama_desk.ui import desktop
from tama_desk.ui.views.fee_dialogs import InvoiceDialog, PaymentDialog
from tests.ui.conftest import pump

from .conftest import loaded, show


def fees_view(window):
    show(window, "fees")
    pump(window)
    return window.views["fees"]


def paid_invoice_dialog(window, demo_db):
    view = fees_view(window)
    with demo_db.reading() as session:
        unpaid = next(row for row in invoices.list_invoices(session, view.year, "unpaid") if row.kind == "invoice")
    detail = InvoiceDialog(view, window, unpaid.id, on_changed=view.refresh)
    pump(window)
    payment = PaymentDialog(detail, window, unpaid.member_id, unpaid.id, unpaid.open, on_saved=detail.build)
    payment.vars["amount"].set(f"{unpaid.open:,}")
    payment.on_save()
    pump(window, until=lambda: not payment.winfo_exists())
    return detail


def test_receipt_button_issues_the_receipt_once_then_reprints_it(window, demo_db, monkeypatch):
    opened = []
    monkeypatch.setattr(desktop, "open_file", lambda path: opened.append(path.read_bytes()))
    detail = paid_invoice_dialog(window, demo_db)
    payment_id = detail.payment_table.keys()[0]
    with demo_db.reading() as session:
        before = session.scalar(select(func.count()).select_from(Receipt))
    detail.on_receipt()
    detail.on_receipt()
    pump(window)
    with demo_db.reading() as session:
        receipts = session.scalars(select(Receipt).where(Receipt.payment_id == payment_id)).all()
        assert session.scalar(select(func.count()).select_from(Receipt)) == before + 1
    assert len(receipts) == 1 and receipts[0].number.startswith("R")
    texts = ["".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages) for data in opened]
    assert len(texts) == 2 and texts[0] == texts[1]
    assert receipts[0].number in texts[0]
    detail.destroy()


def open_member(window, demo_db):
    from tama_desk.ui.views.member_dialog import MemberDialog

    show(window, "members")
    pump(window)
    view = window.views["members"]
    member_id = int(view.tree.get_children()[0])
    return member_id, MemberDialog(view, window, member_id, on_saved=view.on_saved)


def test_member_saved_with_characters_shift_jis_cannot_hold_is_warned_after_saving(window, demo_db, dialogs):
    from tama_desk.db.models import Member

    member_id, dialog = open_member(window, demo_db)
    dialog.vars["name"].set("株式会社𠮷野精工")
    dialog.on_save()
    pump(window)
    assert not dialog.winfo_exists()
    with demo_db.reading() as session:
        assert session.get(Member, member_id).name == "株式会社𠮷野精工"  # kept as typed
    assert dialogs.shown and dialogs.messages[-1].startswith("保存しました。")
    assert "会員名: 「𠮷」は Shift_JIS のCSVに書き出せません" in dialogs.messages[-1]


def test_member_changed_on_another_pc_is_not_overwritten(window, demo_db, dialogs):
    from tama_desk.db.models import Member

    member_id, dialog = open_member(window, demo_db)
    with demo_db.transaction() as session:
        session.get(Member, member_id).notes = "他のPCで変更"
    dialog.vars["address"].set("東京都八王子市 上書き")
    dialogs.answer = "このまま閉じない"  # keep what was typed
    dialog.on_save()
    pump(window)
    assert dialog.winfo_exists()
    assert "他のPCで" in dialogs.messages[-1] and "変更しました" in dialogs.messages[-1]
    assert dialogs.shown[-1][0] == "他のPCで変更されています"
    with demo_db.reading() as session:
        member = session.get(Member, member_id)
        assert member.notes == "他のPCで変更" and "上書き" not in member.address
    dialog.destroy()


def test_a_stale_edit_offers_to_load_the_latest(window, demo_db, dialogs):
    from tama_desk.db.models import Member

    member_id, dialog = open_member(window, demo_db)
    with demo_db.transaction() as session:
        session.get(Member, member_id).notes = "他のPCで変更"
    dialog.vars["address"].set("東京都八王子市 上書き")
    refreshed = []
    window.on_refresh = lambda: refreshed.append(True)
    dialogs.answer = "最新の内容を読み込む"
    dialog.on_save()
    pump(window)
    assert not dialog.winfo_exists() and refreshed == [True]  # closed without asking, the view read again
    with demo_db.reading() as session:
        assert "上書き" not in session.get(Member, member_id).address


def test_settings_save_the_fee_write_off_and_stamp_duty(window, demo_db, dialogs):
    from tama_desk.services import profile

    show(window, "settings")
    pump(window)
    view = window.views["settings"]
    with demo_db.reading() as session:
        current = profile.get_profile(session)
        assert view.form.get("write_off_auto") == ("on" if current.write_off_auto else "off")
        assert view.form.get("stamp_duty") == current.stamp_duty
    view.form.vars["stamp_duty"].set("5万円以上は収入印紙欄を印字")  # the text the drop-down shows
    view.form.set("write_off_auto", "off")
    view.form.set("write_off_limit", "1,100")
    view.on_save_profile()
    pump(window)
    with demo_db.reading() as session:
        saved = profile.get_profile(session)
        assert (saved.write_off_auto, saved.write_off_limit, saved.stamp_duty) == (False, 1100, "print_over_50000")
    assert "団体情報を保存しました" in window.status.cget("text")

    view.form.set("write_off_limit", "千円")
    view.on_save_profile()
    pump(window)
    assert "「手数料差引の上限」" in dialogs.messages[-1]
    with demo_db.reading() as session:
        assert profile.get_profile(session).write_off_limit == 1100
    view.on_show()
    loaded(view)
    assert view.form.get("write_off_limit") == "1,100" and view.form.get("write_off_auto") == "off"


def test_credit_note_dialog_refunds_at_the_chosen_rate_tax_excluded(window, demo_db, dialogs):
    from tama_desk.db.models import Invoice
    from tama_desk.domain.invoice import DocumentSnapshot
    from tama_desk.ui.views.fee_dialogs import CreditNoteDialog

    view = fees_view(window)
    with demo_db.reading() as session:
        row = next(row for row in invoices.list_invoices(session, view.year, "unpaid") if row.kind == "invoice")
        left = invoices.refundable_by_rate(session, session.get(Invoice, row.id))
    code = next(iter(left))
    detail = InvoiceDialog(view, window, row.id, on_changed=view.refresh)
    pump(window)
    dialog = CreditNoteDialog(detail, window, row.id, row.number, on_saved=detail.build)
    assert dialog.form.widgets["rate"].codes == list(left)  # only the invoice's own rates
    dialog.form.set("rate", code)
    dialog.form.set("included", "excluded")
    dialog.form.vars["amount"].set("1,000")
    dialog.form.vars["reason"].set("一部返還")
    dialog.on_save()
    pump(window, until=lambda: not dialog.winfo_exists())
    with demo_db.reading() as session:
        note = session.scalars(select(Invoice).where(Invoice.original_invoice_id == row.id,
                                                     Invoice.kind == "credit_note")).one()
        snapshot = DocumentSnapshot.from_json(note.snapshot)
    assert [(line.tax_category, line.description) for line in snapshot.lines] == [(code, "返還: 一部返還")]
    assert snapshot.prices_include_tax is False
    assert "返還請求書を発行しました" in window.status.cget("text")

    again = CreditNoteDialog(detail, window, row.id, row.number, on_saved=detail.build)
    again.form.vars["amount"].set(f"{left[code][0] * 10:,}")  # more than is left
    again.on_save()
    pump(window)
    assert again.winfo_exists() and "超えています" in dialogs.messages[-1]
    again.destroy()
    detail.destroy()


def statement_file(path, item, amount):
    path.write_bytes(("取引日,摘要,お預り金額,残高\r\n"
                      f"2026/11/10,{item.payer_names[0]},{amount},1000\r\n").encode("cp932"))
    return path


def member_items(demo_db):
    from tama_desk.services import reconcile

    with demo_db.reading() as session:
        items = [item for item in reconcile.open_items(session) if item.member_id]
    counts = {}
    for item in items:
        counts[item.member_id] = counts.get(item.member_id, 0) + 1
    return [item for item in items if counts[item.member_id] == 1 and item.amount_due > 1000]


def set_write_off(demo_db, on: bool) -> None:
    from tama_desk.services import profile

    with demo_db.transaction() as session:
        profile.get_profile(session).write_off_auto = on


def test_statement_preview_offers_the_transfer_fee_write_off_ticked_when_the_setting_is_on(window, demo_db,
                                                                                          tmp_path):
    """Issue 12: a line 440円 short of the open invoice shows 「手数料差引 440円」, ticked by default with
    手数料差引を自動で処理する on; recording it writes the 440円 off (the CLI's service path)."""
    from tama_desk.db.models_feedocs import WriteOff
    from tama_desk.ui.views.statement_dialog import StatementImportDialog

    set_write_off(demo_db, True)
    item = member_items(demo_db)[0]
    view = fees_view(window)
    dialog = StatementImportDialog(view, window, statement_file(tmp_path / "s.csv", item, item.amount_due - 440),
                                   on_done=view.on_billed)
    pump(window, until=lambda: dialog.job is None and dialog.proposals)
    assert dialog.shorts == {"2": 440} and "2" in dialog.chosen
    assert dialog.tree.set("2", "verdict") == "手数料差引 440円" and dialog.tree.set("2", "ok") == "✔"
    assert "手数料差引 1 件" in dialog.summary.cget("text")
    dialog.apply_button.invoke()
    pump(window, until=lambda: not dialog.winfo_exists())
    with demo_db.reading() as session:
        [row] = session.scalars(select(WriteOff)).all()
        assert (row.invoice_id, row.amount, row.account) == (item.invoice_id, 440, "支払手数料")
        assert invoices.balances(session, [item.invoice_id])[item.invoice_id].open == 0
    detail = InvoiceDialog(view, window, item.invoice_id, on_changed=view.refresh)  # shown beside the payment
    pump(window)
    key = f"write_off:{row.id}"
    listed = detail.payment_table.keys()
    assert key in listed
    assert [detail.payment_table.tree.set(key, column) for column in ("amount", "method")] == ["440", "差引（償却）"]
    detail.payment_table.select(key)
    assert detail.selected_payment() is None  # a write-off is no payment to reverse or to receipt
    detail.destroy()


def test_with_the_setting_off_the_write_off_is_offered_unticked_and_space_accepts_it(window, demo_db, tmp_path):
    from tama_desk.db.models_feedocs import WriteOff
    from tama_desk.ui.views.statement_dialog import StatementImportDialog

    set_write_off(demo_db, False)
    item = member_items(demo_db)[1]
    view = fees_view(window)
    dialog = StatementImportDialog(view, window, statement_file(tmp_path / "s.csv", item, item.amount_due - 660),
                                   on_done=view.on_billed)
    pump(window, until=lambda: dialog.job is None and dialog.proposals)
    assert dialog.shorts == {"2": 660} and not dialog.chosen  # offered, not ticked
    assert dialog.tree.set("2", "verdict") == "手数料差引 660円" and dialog.tree.set("2", "ok") == ""
    dialog.table.select("2")
    dialog.tree.focus_force()
    dialog.tree.update()
    dialog.tree.event_generate("<space>")  # the user accepts it
    window.update()
    assert dialog.tree.set("2", "ok") == "✔"
    dialog.apply_button.invoke()
    pump(window, until=lambda: not dialog.winfo_exists())
    with demo_db.reading() as session:
        [row] = session.scalars(select(WriteOff)).all()
        assert (row.invoice_id, row.amount) == (item.invoice_id, 660)
        assert invoices.balances(session, [item.invoice_id])[item.invoice_id].open == 0
