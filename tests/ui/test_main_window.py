import pytest

from tama_desk import i18n
from tests.ui.conftest import pump

from .conftest import show


def test_window_shows_title_association_and_areas(window):
    assert window.title() == "TAMA Desk"
    assert window.association_label.cget("text") == "一般社団法人 多摩産業ネットワーク協会"
    assert [b.cget("text") for b in window.nav_buttons.values()] == ["ダッシュボード", "会員", "会費", "補助金", "委託事業",
                                                                           "会議", "会計連携", "設定"]
    assert window.database.cget("text") == "データベース: demo.sqlite3 (ローカル)"


def test_database_is_named_without_url_or_password():
    from tama_desk.ui.main_window import database_label

    assert database_label("sqlite:////home/office/tama_desk.sqlite3") == "tama_desk.sqlite3 (ローカル)"
    label = database_label("postgresql+psycopg://staff:secret@server/tama")
    assert label == "server/tama (PostgreSQL)" and "secret" not in label and "staff" not in label


def test_views_are_built_when_first_shown(window):
    assert list(window.views) == ["dashboard"]
    show(window, "grants")
    assert list(window.views) == ["dashboard", "grants"]


def test_announce_shows_the_message_and_a_toast_after_long_work(window):
    window.last_input = 0  # nobody touched the keyboard for a long time: the work was long
    window.announce("入金を記録しました: 0012 株式会社多摩精機 30,000円")
    assert window.status.cget("text").endswith("入金を記録しました: 0012 株式会社多摩精機 30,000円")
    assert window.toast.cget("text").startswith("入金を記録しました")
    window.on_input(None)
    window.announce("保存しました")
    assert window.status.cget("text").endswith("保存しました")
    assert window.toast.cget("text").startswith("入金を記録しました")  # a quick action: no new toast


def test_dashboard_shows_members_fees_and_grants(window, demo_db):
    from tama_desk.services import members

    dashboard = window.views["dashboard"]
    pump(window, until=lambda: dashboard.overview is not None)
    cards = [[label.cget("text") for label in card.winfo_children()] for card in dashboard.cards.winfo_children()]
    with demo_db.reading() as session:
        counts = members.count_by_status(session)
    assert cards[0][1] == f"{counts['active']:,}" and str(counts["withdrawn"]) in cards[0][2]
    assert cards[1][1].endswith("円") and cards[3][0] == "期限切れ未入金"
    burn = [dashboard.burn.item(item, "values") for item in dashboard.burn.get_children()]
    assert len(burn) == 2 and all(row[3].endswith("%") for row in burn)


def test_switching_to_english_relabels_the_window(window):
    show(window, "settings")
    settings_view = window.views["settings"]
    settings_view.language.set("English")
    settings_view.on_language()
    pump(window)
    assert [b.cget("text") for b in window.nav_buttons.values()] == ["Dashboard", "Members", "Fees", "Grants",
                                                                      "Contracts", "Meetings", "Accounting", "Settings"]
    show(window, "members")
    headings = [window.views["members"].tree.heading(c, "text") for c in ("number", "name", "status")]
    assert headings[0].startswith("No.") and headings[1].startswith("Name") and headings[2] == "Status"
    i18n.set_language("ja")


def test_keyboard_shortcut_reaches_the_current_view(window):
    show(window, "members")
    view = window.views["members"]
    window.focus_force()
    view.tree.focus_set()
    pump(window)
    view.tree.event_generate("<Control-f>")
    pump(window)
    assert window.focus_get() is view.search_entry


def test_first_start_shows_the_guide_with_its_buttons(db, dialogs):
    from tama_desk.settings import Preferences
    from tama_desk.ui.main_window import MainWindow

    app = MainWindow(db, Preferences())
    try:
        dashboard = app.views["dashboard"]
        pump(app, until=lambda: dashboard.overview is not None)
        assert dashboard.guide.winfo_ismapped() and not dashboard.board.winfo_ismapped()
        buttons = [w.cget("text") for w in descendants(dashboard.guide) if w.winfo_class() == "TButton"]
        assert buttons[0].startswith("設定を開く") and "会員の取込…" in buttons and "デモデータを読み込む…" in buttons
        dialogs.answer = "読み込む"
        next(w for w in descendants(dashboard.guide) if w.winfo_class() == "TButton"
             and w.cget("text") == "デモデータを読み込む…").invoke()
        pump(app, until=lambda: dashboard.board.winfo_ismapped(), timeout=120)
        assert "デモデータを読み込みました: 会員 300 件" in app.status.cget("text")
        assert app.association_label.cget("text") == "一般社団法人 多摩産業ネットワーク協会"
    finally:
        app.destroy()


def descendants(widget):
    for child in widget.winfo_children():
        yield child
        yield from descendants(child)


def test_window_is_shown_before_the_database_opens_and_remembers_the_area_asked_for(demo_db, dialogs):
    import threading

    from tama_desk.settings import Preferences
    from tama_desk.ui.main_window import MainWindow

    release = threading.Event()

    def slow_open():
        release.wait(30)
        return demo_db

    app = MainWindow(slow_open, Preferences())
    try:
        pump(app, until=lambda: app.current == "dashboard")  # its frame, shown while the database opens
        assert app.db is None and app.status.cget("text") == "データベースを開いています…"
        assert app.views["dashboard"].loading.winfo_ismapped()
        app.focus_force()
        pump(app)
        (app.focus_get() or app).event_generate("<Control-Key-2>")  # the user does not wait
        release.set()
        pump(app, until=lambda: app.db is not None)
        assert app.current == "members" and app.database.cget("text").endswith("(ローカル)")
    finally:
        app.destroy()


@pytest.mark.logs_errors  # the failure is logged, then shown
def test_a_database_that_cannot_be_opened_is_said_in_japanese(dialogs, _isolated_home):
    from tama_desk.settings import Preferences
    from tama_desk.ui.main_window import MainWindow

    def broken():
        raise OSError("disk gone")

    app = MainWindow(broken, Preferences())
    pump(app, until=lambda: app.open_failed is not None)
    assert "データベースを開けません" in dialogs.messages[-1] and "disk gone" in dialogs.messages[-1]


def test_the_window_runs_ttkbootstraps_window_bindings_for_itself_only(window):
    """rootbind.install at the window's start: a widget mapped or laid out runs no Python of ttkbootstrap's."""
    for sequence in ("<Map>", "<Configure>"):
        script = window.bind(sequence)
        assert "_on_shown" in script and script.count('"%W" eq "."') == script.count("_on_shown")
    assert "on_map_child" not in window.bind_all("<Map>")
