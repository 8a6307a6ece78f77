from tama_desk import i18n
from tests.ui.conftest import pump


def test_window_shows_title_association_and_areas(window):
    assert window.title() == "TAMA Desk"
    assert window.association_label.cget("text") == "一般社団法人 多摩産業ネットワーク協会"
    assert [b.cget("text") for b in window.nav_buttons.values()] == ["ダッシュボード", "会員", "会費", "補助金", "設定"]
    assert "sqlite" in window.status.cget("text")


def test_dashboard_shows_members_fees_and_grants(window, demo_db):
    from tama_desk.services import members

    dashboard = window.views["dashboard"]
    cards = [[label.cget("text") for label in card.winfo_children()] for card in dashboard.cards.winfo_children()]
    with demo_db.reading() as session:
        counts = members.count_by_status(session)
    assert cards[0][1] == f"{counts['active']:,}" and str(counts["withdrawn"]) in cards[0][2]
    assert cards[1][1].endswith("円") and cards[3][0] == "期限切れ未入金"
    burn = [dashboard.burn.item(item, "values") for item in dashboard.burn.get_children()]
    assert len(burn) == 2 and all(row[3].endswith("%") for row in burn)


def test_switching_to_english_relabels_the_window(window):
    window.show_view("settings")
    settings_view = window.views["settings"]
    settings_view.language.set("English")
    settings_view.on_language()
    pump(window)
    assert [b.cget("text") for b in window.nav_buttons.values()] == ["Dashboard", "Members", "Fees", "Grants", "Settings"]
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
