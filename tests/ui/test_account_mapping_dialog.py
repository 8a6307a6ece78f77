"""設定 → 勘定科目の対応: reached with Ctrl+, and its button, typed into with key events, checked against a pasted
list of the accountant's software before anything is saved, saved with Ctrl+S."""

from __future__ import annotations

import pytest

from tama_desk.services import accounting
from tama_desk.ui.views.account_mapping_dialog import NOT_KNOWN, AccountMappingDialog
from tama_desk.ui.widgets import dialog as dialog_module

from .conftest import pump, show


@pytest.fixture(autouse=True)
def _screen_of_the_office(monkeypatch):
    """The dialog at the screen it is made for (1366×768 less the taskbar; the test display is 800×600): on a
    narrower one its pasted-list column has no room, and a widget never laid out takes no paste."""
    monkeypatch.setattr(dialog_module, "WORK_AREA", (0, 0, 1366, 720))

SOFTWARE = "\n".join(["普通預金", "売掛金", "未収会費", "受取会費", "受取入会金", "受託事業収益", "事業収益", "受取補助金",
                      "前受金", "支払手数料", "雑費", "諸謝金", "旅費交通費", "会議費", "業務委託費", "印刷製本費",
                      "通信運搬費", "賃借料", "消耗品費", "広告宣伝費", "給料手当"])


def open_dialog(window) -> AccountMappingDialog:
    window.focus_force()
    window.event_generate("<Control-comma>")
    pump(window, lambda: window.current == "settings")
    view = window.views["settings"]
    view.mapping_button.invoke()  # 勘定科目の対応… in 設定's 会計ソフトとの連携
    pump(window, lambda: any(isinstance(w, AccountMappingDialog) for w in window.winfo_children()))
    return next(w for w in window.winfo_children() if isinstance(w, AccountMappingDialog))


def paste(window, widget, text: str) -> None:
    window.clipboard_clear()
    window.clipboard_append(text)
    widget.focus_force()
    widget.event_generate("<<Paste>>")
    window.update()


def type_keys(window, widget, *keys: str) -> None:
    widget.focus_force()
    window.update()
    for key in keys:
        widget.event_generate("<KeyPress>", keysym=key)
        window.update()


def test_a_typo_is_caught_against_the_pasted_list_and_the_mapping_saved_with_ctrl_s(window):
    dialog = open_dialog(window)
    form = dialog.form
    assert set(form.widgets) >= {"dues_revenue", "cost:旅費"}
    assert set(dialog.options.widgets) == {"known", "in_memo", "fixed"}
    dialog.options.set("known", "")
    paste(window, dialog.options.widgets["known"], SOFTWARE)
    assert all(not form.notes[key].winfo_ismapped() or form.notes[key].cget("text") != NOT_KNOWN
               for key in dialog.roles())
    assert "すべての科目" in dialog.summary.cget("text")
    entry = form.widgets["dues_revenue"]
    entry.icursor("end")
    type_keys(window, entry, "x")  # 受取会費x: a typo
    assert form.get("dues_revenue") == "受取会費x"
    assert form.notes["dues_revenue"].cget("text") == NOT_KNOWN
    assert "受取会費x" in dialog.summary.cget("text")
    assert form.hints["dues_revenue"] == "既定: 受取会費"  # changed from the default: the default is named
    type_keys(window, entry, "BackSpace")
    assert form.notes["dues_revenue"].cget("text") != NOT_KNOWN and not form.hints["dues_revenue"]
    cost = form.widgets["cost:旅費"]
    cost.icursor("end")
    type_keys(window, cost, "2")  # 旅費交通費2: caught too
    assert form.notes["cost:旅費"].cget("text") == NOT_KNOWN
    type_keys(window, cost, "BackSpace")
    dialog.event_generate("<Control-s>")
    pump(window, lambda: not dialog.winfo_exists())
    with window.db.reading() as session:
        assert accounting.check_accounts(session) == []
        assert "旅費交通費" in accounting.settings(session).known_accounts.splitlines()
        assert accounting.accounts(session)["dues_revenue"] == "受取会費"


def test_a_name_missing_from_the_list_is_still_saved_and_named(window, dialogs):
    dialog = open_dialog(window)
    dialog.options.set("known", "普通預金\n売掛金")
    dialog.form.set("dues_revenue", "会費収入")
    window.update()
    assert dialog.form.notes["dues_revenue"].cget("text") == NOT_KNOWN
    dialog.on_save()
    assert any("会費収入" in message for message in dialogs.messages)
    with window.db.reading() as session:
        assert accounting.accounts(session)["dues_revenue"] == "会費収入"
    assert "会費収入" in window.views["settings"].accounting_label.cget("text")


def test_the_accounting_view_opens_the_same_dialog(window):
    show(window, "accounting")
    window.views["accounting"].on_account_mapping()
    window.update()
    assert any(isinstance(w, AccountMappingDialog) for w in window.winfo_children())
