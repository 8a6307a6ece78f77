"""設定 view: what it reads in the background when first shown, through real key events."""

from __future__ import annotations

from tama_desk.services import profile
from tests.ui.conftest import pump


def test_settings_opened_by_ctrl_comma_fill_the_profile_and_the_types_from_the_database(window, demo_db):
    window.focus_force()
    window.update()
    window.event_generate("<Control-comma>")
    pump(window, lambda: window.current == "settings")
    view = window.views["settings"]
    pump(window, lambda: not view.loader.pending)  # the read in a worker has arrived
    with demo_db.reading() as session:
        current = profile.get_profile(session)
        kinds = [kind.name for kind in profile.membership_types(session)]
    assert view.form.get("name") == current.name and view.form.get("address") == current.address
    assert view.form.get("write_off_auto") == ("on" if current.write_off_auto else "off")
    assert [view.types.set(item, "name") for item in view.types.get_children()] == kinds
    assert view.seal_label.cget("text") in ("登録済み", "未登録")
    assert "勘定科目" in view.accounting_label.cget("text")


def test_a_membership_type_saved_in_settings_is_listed_at_once(window, demo_db):
    window.show_view("settings")
    view = window.views["settings"]
    pump(window, lambda: not view.loader.pending)
    view.on_new_type()
    view.type_form.set("name", "学生会員")
    view.type_form.set("fee", "3,000")
    view.on_save_type()
    assert "学生会員" in [view.types.set(item, "name") for item in view.types.get_children()]  # read at once
    window.show_view("members")
    window.show_view("settings")  # shown again after the save: read again in the background, same list
    pump(window, lambda: not view.loader.pending)
    assert "学生会員" in [view.types.set(item, "name") for item in view.types.get_children()]
