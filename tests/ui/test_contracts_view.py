"""The 委託事業 view on the demo data: list, detail, and its dialogs (they fit a 1366×720 work area, save through
the services, and show refusals in Japanese)."""

from __future__ import annotations

import pytest

from tama_desk.services import contracts
from tama_desk.ui.views import contract_dialogs as forms
from tama_desk.ui.views.contracts import ContractsView
from tama_desk.ui.widgets import dialog as dialog_module


@pytest.fixture
def view(window, monkeypatch):
    monkeypatch.setattr(dialog_module, "WORK_AREA", (0, 0, 1366, 720))
    window.views[window.current].pack_forget()
    contracts_view = ContractsView(window.content, window)
    contracts_view.pack(fill="both", expand=True)
    contracts_view.on_show()
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
    again = open_dialog(view, forms.InvoiceDialog, **view._context())
    again.form.set("which", "m2")
    again.on_save()  # refused: shown, nothing issued, the dialog stays open
    assert any("発行済み" in message for message in dialogs.messages)
    again.close()
