from tama_desk import i18n
from tests.ui.conftest import pump


def test_window_shows_title_association_and_areas(window):
    assert window.title() == "TAMA Desk"
    assert window.association_label.cget("text") == "一般社団法人 多摩産業ネットワーク協会"
    assert [b.cget("text") for b in window.nav_buttons.values()] == ["ダッシュボード", "会員", "会費", "設定"]
    assert "sqlite" in window.status.cget("text")


def test_dashboard_counts_members_by_status(window):
    dashboard = window.views["dashboard"]
    numbers = [child.winfo_children()[1].cget("text") for child in dashboard.cards.winfo_children()]
    assert len(numbers) == 3
    assert sum(int(n.replace(",", "")) for n in numbers) == 300


def test_switching_to_english_relabels_the_window(window):
    window.show_view("settings")
    settings_view = window.views["settings"]
    settings_view.language.set("English")
    settings_view.on_language()
    pump(window)
    assert [b.cget("text") for b in window.nav_buttons.values()] == ["Dashboard", "Members", "Fees", "Settings"]
    window.show_view("members")
    headings = [window.views["members"].tree.heading(c, "text") for c in ("number", "name", "status")]
    assert headings[0].startswith("No.") and headings[1].startswith("Name") and headings[2] == "Status"
    i18n.set_language("ja")


def test_keyboard_shortcut_reaches_the_current_view(window):
    window.show_view("members")
    view = window.views["members"]
    window.focus_force()
    view.tree.focus_set()
    pump(window)
    view.tree.event_generate("<Control-f>")
    pump(window)
    assert window.focus_get() is view.search_entry
