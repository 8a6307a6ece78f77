"""The 委託事業 view on the demo data: list, detail, and its dialogs (they fit a 1366×720 work area, save through
the services, and show refusals in Japanese)."""

from __future__ import annotations

import pytest

from tama_desk.domain.dates import format_date
from tama_desk.services import contracts
from tama_desk.ui.views import contract_dialogs as forms
from tama_desk.ui.views.contracts import ContractsView
from tama_desk.ui.widgets import dialog as dialog_module

from .conftest import loaded


@pytest.fixture
def view(window, monkeypatch):
    monkeypatch.setattr(dialog_module, "WORK_AREA", (0, 0, 1366, 720))
    window.views[window.current].pack_forget()
    contracts_view = ContractsView(window.content, window)
    contracts_view.pack(fill="both", expand=True)
    contracts_view.on_show()
    loaded(contracts_view)
    window.update()
    return contracts_view


def by_title(view, text):
    return next(row for row in view.table.rows if text in row["title"])


def test_list_and_detail(view):
    assert len(view.table.rows) == 4
    statuses = {row["title"]: row["status"] for row in view.table.rows}
    assert statuses["八王子 City Sales in Shanghai"] == "paid"
    assert statuses["創業支援セミナーシリーズ（全6回）"] == "estimate"
    overdue = by_title(view, "産業実態調査")
    assert overdue["overdue"] and "支払期限" in overdue["deadline"]
    fair = by_title(view, "展示会出展支援")
    view.show_detail(fair["id"])
    assert [m["position"] for m in view.detail["milestones"]] == [1, 2, 3]
    assert view.tables["deadlines"].rows[0]["kind"] == "inspection"
    assert str(view.buttons["settle"].cget("state")) == "disabled"  # not 概算払い
    assert [label for label, _command, _key in view.commands()][0] == "新規契約"


def open_dialog(view, cls, **context):
    dialog = cls(view, view.app, on_saved=view._after, **context)
    view.update()
    assert dialog.winfo_height() <= 720 and dialog.winfo_width() <= 1366
    assert dialog.main_button.winfo_ismapped()  # the button bar is never squeezed out
    return dialog


def test_every_dialog_fits_and_closes(view):
    fair = by_title(view, "展示会出展支援")
    view.show_detail(fair["id"])
    context = view._context()
    for cls, extra in ((forms.ContractDialog, {}), (forms.ClientDialog, {}),
                       (forms.MilestoneDialog, context), (forms.DeliverableDialog, context),
                       (forms.StepDialog, {**context, "step": "complete"}),
                       (forms.StepDialog, {**context, "step": "inspect"}), (forms.InvoiceDialog, context),
                       (forms.SettleDialog, context), (forms.AmendDialog, context),
                       (forms.SignDialog, context), (forms.CancelDialog, context),
                       (forms.CostDialog, {**context, "categories": ["旅費"]})):
        open_dialog(view, cls, **extra).close()


def test_inspection_then_milestone_invoice(view, dialogs):
    fair = by_title(view, "展示会出展支援")
    view.show_detail(fair["id"])
    inspect = open_dialog(view, forms.StepDialog, step="inspect", **view._context())
    assert inspect.form.value("stage") == 2  # the milestone waiting for its inspection is offered first
    inspect.on_save()
    view.update()
    invoice = open_dialog(view, forms.InvoiceDialog, **view._context())
    assert invoice.form.value("which") == "m2"
    invoice.on_save()
    view.update()
    with view.app.db.reading() as session:
        [row] = [r for r in contracts.list_contracts(session, view.today) if r.id == fair["id"]]
    assert row.invoiced == 2_200_000
    assert by_title(view, "展示会出展支援")["invoiced"] == 2_200_000  # its row read alone and put in place
    assert view.detail["header"]["invoiced"] == 2_200_000
    shown = list(view.table.rows)
    view.refresh()
    assert view.table.rows == shown  # as a full read shows the list
    again = open_dialog(view, forms.InvoiceDialog, **view._context())
    again.form.set("which", "m2")
    again.on_save()  # refused: shown, nothing issued, the dialog stays open
    assert any("発行済み" in message for message in dialogs.messages)
    again.close()


def test_amend_dialog_edits_the_milestones(view, dialogs):
    fair = by_title(view, "展示会出展支援")
    view.show_detail(fair["id"])
    amend = open_dialog(view, forms.AmendDialog, **view._context())
    first, second, third, new, _spare = amend.rows
    assert first["milestone"]["invoiced"] and amend.form.value("start") == view.detail["header"]["period_start"]
    first["remove"].set(True)  # invoiced: refused, named, nothing saved
    amend.form.set("reason", "成果報告の分割")
    amend.on_save()
    assert any("第1回「出展準備・出展社募集」は請求書" in message for message in dialogs.messages)
    first["remove"].set(False)
    third["amount"].set("600,000")
    new["name"].set("追加報告会")
    new["due"].set(format_date(view.detail["header"]["period_end"]))
    new["amount"].set("500000")
    amend.on_save()
    view.update()
    assert [(m["position"], m["name"], m["amount"]) for m in view.detail["milestones"]] == [
        (1, "出展準備・出展社募集", 1_100_000), (2, "展示会出展・運営", 1_100_000), (3, "成果報告", 600_000),
        (4, "追加報告会", 500_000)]
    history = [row["summary"] for row in view.tables["history"].rows if str(row["id"]).startswith("a")]
    assert history[0].startswith("変更契約: 3,300,000円→3,300,000円") and "日程変更" in history[0]  # the demo's
    assert history[1].startswith("　第3回「成果報告」を変更（期限 ")
    assert history[2].startswith("変更契約: 3,300,000円→3,300,000円") and history[3:] == [
        "　第3回「成果報告」を変更（金額 1,100,000円→600,000円）", "　第4回「追加報告会」を追加（期限 "
        + f"{view.detail['header']['period_end']:%Y-%m-%d}、500,000円）"]
    assert second["milestone"]["position"] == 2


def test_cost_with_voucher_then_replaced_and_opened(view, tmp_path, monkeypatch):
    from tama_desk.ui.views import contracts as view_module

    fair = by_title(view, "展示会出展支援")
    view.show_detail(fair["id"])
    scan = tmp_path / "receipt.pdf"
    scan.write_bytes(b"%PDF-1.4")
    cost = open_dialog(view, forms.CostDialog, categories=["旅費"], **view._context())
    for key, value in (("voucher_number", "T-99"), ("category", "旅費"), ("payment_date", "2026-06-01"),
                       ("payee", "多摩交通"), ("amount", "12,000"), ("voucher_file", str(scan))):
        cost.form.set(key, value)
    cost.on_save()
    view.update()
    row = next(c for c in view.detail["costs"] if c["voucher_number"] == "T-99")
    assert row["file"] == "✔" and row["attachment_name"] == "receipt.pdf"
    opened = []
    monkeypatch.setattr(view_module, "open_file", opened.append)
    view.tables["costs"].select(row["id"])
    view.on_open_voucher()
    assert opened[0].read_bytes() == b"%PDF-1.4"
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"png")
    monkeypatch.setattr(view_module, "ask_voucher", lambda _parent: photo)
    view.tables["costs"].select(row["id"])
    view.on_attach()  # 追加 → 経費の証ひょうを添付・差し替え…
    view.tables["costs"].select(row["id"])
    view.on_open_voucher()
    assert opened[1].read_bytes() == b"png" and opened[0].exists()  # replaced, the earlier file kept


def test_contract_dialog_offers_the_tax_category(view):
    dialog = open_dialog(view, forms.ContractDialog)
    assert dialog.form.value("tax_category") == "standard_10"
    dialog.form.set("amount", "1,080,000")
    dialog.form.set("tax_category", "reduced_8")
    view.update()
    assert "80,000円" in dialog.form.notes["tax_amount"].cget("text")
    dialog.close()


def type_keys(view, widget, *keys: str) -> None:
    widget.focus_force()
    view.update()
    for key in keys:
        widget.event_generate("<KeyPress>", keysym=key)
        view.update()


def open_cost_edit(view, title_part, voucher):
    from tests.ui.conftest import pump

    view.show_detail(by_title(view, title_part)["id"])
    view.notebook.select(view.tables["costs"].master)
    cost = next(c for c in view.detail["costs"] if c["voucher_number"] == voucher)
    view.tables["costs"].select(cost["id"])
    menu = view.add_menu.nametowidget(view.add_menu["menu"])
    index = view.add_menu.entries.index("edit_cost")
    assert menu.entrycget(index, "label") == "選択した経費を修正…" and menu.entrycget(index, "state") == "normal"
    dialog = view.on_edit_cost()
    pump(view)
    return cost, dialog


def costs_in(view):
    with view.app.db.reading() as session:
        return [(c["voucher_number"], c["amount"], c["tax"], c["payee"], c["version"])
                for c in contracts.detail_view(session, view.current, view.today)["costs"]]


def test_a_cost_is_corrected_by_keyboard_and_saved_with_ctrl_s(view, dialogs):
    from tests.ui.conftest import pump

    cost, dialog = open_cost_edit(view, "展示会出展支援", view_voucher(view, "展示会出展支援"))
    assert dialog.winfo_height() <= 720 and dialog.main_button.winfo_ismapped()
    assert dialog.form.value("amount") == cost["amount"] and dialog.form.get("payee") == cost["payee"]
    amount = dialog.form.widgets["amount"]
    amount.focus_force()
    amount.selection_range(0, "end")
    type_keys(view, amount, "BackSpace", "9", "9", "0", "0", "0")
    tax = dialog.form.widgets["tax"]
    tax.selection_range(0, "end")
    type_keys(view, tax, "BackSpace", "9", "0", "0", "0")
    dialog.event_generate("<Control-s>")
    pump(view, lambda: not dialog.winfo_exists())
    row = next(c for c in view.detail["costs"] if c["id"] == cost["id"])
    assert (row["amount"], row["tax"], row["net"], row["version"]) == (99_000, 9_000, 90_000, cost["version"] + 1)
    assert view.tables["costs"].selected() == cost["id"]
    assert f"経費 {cost['voucher_number']} を修正しました: 99,000円" in view.app.status.cget("text")
    history = [row["summary"] for row in view.tables["history"].rows]
    assert any(f"{cost['voucher_number']} 修正: 支出額（税込） {cost['amount']:,}円→99,000円" in s for s in history)


def view_voucher(view, title_part):
    view.show_detail(by_title(view, title_part)["id"])
    return view.detail["costs"][0]["voucher_number"]


def test_a_stale_cost_edit_offers_to_load_the_latest(view, dialogs):
    from tama_desk.db.models_contracts import ContractCost
    from tests.ui.conftest import pump

    cost, dialog = open_cost_edit(view, "展示会出展支援", view_voucher(view, "展示会出展支援"))
    with view.app.db.transaction() as session:  # another PC corrects it meanwhile
        session.get(ContractCost, cost["id"]).description = "他のPCで修正"
    dialog.form.set("payee", "上書きする支払先")
    refreshed = []
    view.app.on_refresh = lambda: refreshed.append(True)
    dialogs.answer = "最新の内容を読み込む"
    dialog.on_save()
    pump(view)
    assert any("他のPCで" in message for message in dialogs.messages)
    assert not dialog.winfo_exists() and refreshed == [True]
    assert all(payee != "上書きする支払先" for _v, _a, _t, payee, _version in costs_in(view))


def test_a_cost_of_a_paid_contract_is_refused_before_the_dialog_opens(view, dialogs):
    view.show_detail(by_title(view, "City Sales in Shanghai")["id"])
    before = costs_in(view)
    cost = view.detail["costs"][0]
    view.tables["costs"].select(cost["id"])
    assert view.on_edit_cost() is None
    assert any("精算済み" in message and cost["voucher_number"] in message for message in dialogs.messages)
    dialog = forms.CostEditDialog(view, view.app, on_saved=view._after, categories=["旅費"], cost=cost,
                                  **view._context())  # opened anyway (another PC closed it meanwhile): refused on save
    dialog.form.set("amount", "1")
    dialog.form.set("tax", "0")
    dialog.on_save()
    assert dialog.winfo_exists() and sum("精算済み" in m for m in dialogs.messages) == 2
    dialog.close()
    assert costs_in(view) == before
