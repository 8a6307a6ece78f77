"""The keyboard contract of the main window, driven by generated key events on the focused widget (what a
keyboard does), not by calling the handlers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tama_desk import areas
from tama_desk.db.models import Member
from tama_desk.services import members
from tests.ui.conftest import loaded, pump, toplevels

KEYSYMS = {str(digit): str(digit) for digit in range(10)}


def press(window, sequence: str, widget=None) -> None:
    """A key pressed where the keyboard focus is (or on `widget`)."""
    target = widget or window.focus_get() or window
    target.event_generate(sequence)
    pump(window)


def type_text(widget, text: str) -> None:
    """Keystrokes into an entry, without letting Tk run the debounce timer in between."""
    for char in text:
        widget.event_generate(f"<KeyPress-{KEYSYMS[char]}>")


def focused(window) -> None:
    window.focus_force()
    pump(window)


def close_dialogs(window) -> None:
    for dialog in toplevels(window):
        dialog.destroy()
    pump(window)


def test_ctrl_digits_open_the_areas_in_navigation_order(window):
    focused(window)
    digits = [area for area in areas.AREAS if area.digit]
    assert [area.key for area in digits][:4] == ["dashboard", "members", "fees", "grants"]
    for area in reversed(digits):
        press(window, f"<Control-Key-{area.digit}>")
        assert window.current == area.key
    press(window, "<Control-comma>")
    assert window.current == "settings"
    press(window, "<Control-Key-2>")
    assert window.current == "members"


def test_ctrl_f_focuses_the_search_box_of_the_view(window):
    focused(window)
    for digit, key in (("2", "members"), ("3", "fees")):
        press(window, f"<Control-Key-{digit}>")
        view = window.views[key]
        view.tree.focus_set()
        pump(window)
        press(window, "<Control-f>")
        assert window.focus_get() is view.search.entry


def test_enter_runs_the_waiting_search_then_opens_the_first_match(window, demo_db):
    focused(window)
    press(window, "<Control-Key-2>")
    view = window.views["members"]
    press(window, "<Control-f>")
    type_text(view.search.entry, "0150")
    assert view.search.pending is not None  # the debounce has not fired yet
    press(window, "<Return>")
    dialogs = [dialog for dialog in toplevels(window) if getattr(dialog, "member_id", None)]
    with demo_db.reading() as session:
        expected = session.scalar(select(Member.id).where(Member.number == "0150"))
    assert [dialog.member_id for dialog in dialogs] == [expected]
    close_dialogs(window)


def test_down_moves_from_the_search_box_into_the_table(window):
    focused(window)
    press(window, "<Control-Key-2>")
    view = window.views["members"]
    press(window, "<Control-f>")
    type_text(view.search.entry, "0042")
    press(window, "<Down>")
    assert window.focus_get() is view.tree
    (selected,) = view.tree.selection()
    assert view.tree.set(selected, "number") == "0042"
    assert not toplevels(window)  # ↓ only moves; Enter in the table opens
    press(window, "<Return>")
    assert len(toplevels(window)) == 1
    close_dialogs(window)


def test_ctrl_n_opens_the_new_record_dialog_of_the_view(window):
    focused(window)
    press(window, "<Control-Key-2>")
    press(window, "<Control-n>")
    (dialog,) = toplevels(window)
    assert dialog.member_id is None
    close_dialogs(window)
    press(window, "<Control-Key-3>")
    window.views["fees"].tree.focus_set()
    press(window, "<Control-n>")
    assert len(toplevels(window)) == 1  # 請求書の作成
    close_dialogs(window)


def test_ctrl_b_opens_the_billing_run_in_fees_only(window):
    focused(window)
    press(window, "<Control-Key-2>")
    press(window, "<Control-b>")
    assert not toplevels(window)
    press(window, "<Control-Key-3>")
    press(window, "<Control-b>")
    (dialog,) = toplevels(window)
    assert "一括請求" in dialog.title()
    close_dialogs(window)


def test_keys_of_the_window_do_not_reach_through_a_dialog(window):
    focused(window)
    press(window, "<Control-Key-3>")
    press(window, "<Control-b>")
    (dialog,) = toplevels(window)
    dialog.focus_force()
    pump(window)
    press(window, "<Control-Key-2>", widget=dialog)
    assert window.current == "fees"
    close_dialogs(window)


def test_f5_refreshes_the_view(window, demo_db):
    focused(window)
    press(window, "<Control-Key-2>")
    view = loaded(window.views["members"])  # its rows read in the background
    before = len(view.tree.get_children())
    with demo_db.transaction() as session:
        members.save_member(session, {"name": "株式会社エフファイブ", "kana": "エフファイブ", "category": "企業",
                                      "membership_type": "正会員"})
    press(window, "<F5>")
    assert len(view.tree.get_children()) == before + 1
    assert "更新" in window.status.cget("text")


def test_ctrl_e_keeps_its_meaning_export(window, monkeypatch, tmp_path):
    target = tmp_path / "members.xlsx"
    monkeypatch.setattr("tama_desk.ui.views.members.filedialog.asksaveasfilename", lambda **_options: str(target))
    focused(window)
    press(window, "<Control-Key-2>")
    press(window, "<Control-e>")
    pump(window, until=lambda: target.exists() and not toplevels(window))
    assert target.stat().st_size > 0


@pytest.mark.parametrize("key", ["members", "fees", "grants"])
def test_every_area_menu_lists_commands_with_accelerators_and_access_keys(window, key):
    area = areas.get(key)
    window.fill_area_menu(area)
    menu = window.menus[key]
    entries = [index for index in range(menu.index("end") + 1) if menu.type(index) == "command"]
    assert len(entries) >= 3
    assert menu.entrycget(entries[0], "accelerator") == area.shortcut
    assert all(int(menu.entrycget(index, "underline")) >= 0 for index in entries)
    letters = [menu.entrycget(index, "label")[int(menu.entrycget(index, "underline"))] for index in entries]
    assert len(set(letters)) == len(letters)  # one access key per entry


def test_menu_labels_have_access_keys_in_both_languages():
    from tama_desk import i18n
    from tama_desk.ui.main_window import access_key

    assert access_key("ファイル", set()) == ("ファイル(F)", 5)
    assert access_key("エクスポート…", set()) == ("エクスポート(E)…", 7)
    i18n.set_language("en")
    try:
        assert access_key("エクスポート…", set()) == ("Export…", 0)
        assert access_key("編集", {"E"}) == ("Edit", 1)  # E taken: the next letter of the word
    finally:
        i18n.set_language("ja")
