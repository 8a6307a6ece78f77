"""The start (issue 14): the window first, the database opened behind it, the dashboard filled when its worker is
done, other views built on first use, heavy modules imported only when needed, the full integrity check and the
day's backup after the window is shown."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tama_desk.db.engine import open_database
from tama_desk.services import backup, members
from tama_desk.services import dashboard as dashboard_service
from tama_desk.settings import Preferences
from tama_desk.ui import main_window
from tama_desk.ui.main_window import MainWindow

from .conftest import pump

ROOT = Path(__file__).resolve().parents[2]
# Modules a start never needs before the user asks for them (documents, exports, Alembic at head, other views)
NOT_AT_START = ("alembic", "mako", "openpyxl", "reportlab", "pypdf", "tama_desk.documents",
                "tama_desk.ui.views.members", "tama_desk.ui.views.fees", "tama_desk.ui.views.grants",
                "tama_desk.ui.views.contracts", "tama_desk.ui.views.meetings", "tama_desk.ui.views.accounting",
                "tama_desk.ui.views.settings")
CHILD = """
import sys
from tama_desk.ui import main_window
real_mainloop = main_window.MainWindow.mainloop
def probe(window):
    def poll():
        view = window.views.get("dashboard")
        if window.db is not None and view is not None and view.overview is not None:
            print(" ".join(sorted(sys.modules)), flush=True)
            window.destroy()
        else:
            window.after(20, poll)
    window.after(20, poll)
    real_mainloop(window)
main_window.MainWindow.mainloop = probe
from tama_desk.app import run_app
sys.exit(run_app(sys.argv[1]))
"""


def start_probed(probe: str, demo_db, tmp_path) -> list[str]:
    """Run the app in a fresh process on a copy of the demo database with `probe` (a script that wraps the
    main loop and prints what it saw); the words it printed."""
    path = tmp_path / "start.sqlite3"
    shutil.copyfile(Path(demo_db.engine.url.database), path)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", probe, str(path)], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def close(app) -> None:
    view = app.views.get("dashboard")
    if view is not None and app.db is not None:
        pump(app, until=lambda: view.overview is not None)
    app.destroy()


def test_once_the_dashboard_is_filled_no_document_export_alembic_or_other_view_module_is_loaded(demo_db, tmp_path):
    loaded = set(start_probed(CHILD, demo_db, tmp_path))
    assert "tama_desk.ui.views.dashboard" in loaded and "sqlalchemy" in loaded  # the probe saw the filled window
    early = sorted(name for name in loaded if name.startswith(NOT_AT_START))
    assert early == [], f"imported at start: {early}"


def test_the_window_shows_the_dashboard_frame_first_and_fills_the_cards_when_the_workers_are_done(demo_db, dialogs,
                                                                                                  monkeypatch):
    first, rest = threading.Event(), threading.Event()
    real_overview, real_cards = dashboard_service.overview, dashboard_service.area_cards

    def slow_overview(session, today, **options):
        first.wait(30)
        return real_overview(session, today, **options)

    def slow_cards(session, today, own=None):
        if own is False:  # the other areas' cards
            rest.wait(30)
        return real_cards(session, today, own)

    monkeypatch.setattr(dashboard_service, "overview", slow_overview)
    monkeypatch.setattr(dashboard_service, "area_cards", slow_cards)
    app = MainWindow(lambda: demo_db, Preferences(), daily_backup=False)
    try:
        pump(app, until=lambda: app.db is not None)
        view = app.views["dashboard"]
        assert app.current == "dashboard" and view.loading.winfo_ismapped() and not view.cards.winfo_children()
        app.show_view("grants")  # the window is usable meanwhile
        app.show_view("dashboard")
        first.set()
        pump(app, until=lambda: view.cards.winfo_children())
        assert not view.loading.winfo_ismapped() and view.overview is None
        shown = [card_texts(card)[0] for card in view.cards.winfo_children()]
        assert shown[0] == "在籍会員" and shown[1].endswith("年度 会費請求")
        assert not any("委託事業" in label for label in shown)
        rest.set()
        pump(app, until=lambda: view.overview is not None)
        pump(app)
        labels = [card_texts(card) for card in view.cards.winfo_children()]
        assert labels[0][0] == "在籍会員" and labels[0][1].replace(",", "").isdigit()
        assert any("委託事業" in label[0] for label in labels)  # the other areas' cards, in registry order
        assert app.association_label.cget("text") == "一般社団法人 多摩産業ネットワーク協会"  # read in the worker
    finally:
        first.set()
        rest.set()
        close(app)


def card_texts(card) -> list[str]:
    return [label.cget("text") for label in card.winfo_children()]


def test_a_view_is_built_on_its_first_key_and_answers_the_navigation_keys(demo_db, dialogs):
    app = MainWindow(lambda: demo_db, Preferences(), daily_backup=False)
    try:
        pump(app, until=lambda: app.db is not None)
        assert list(app.views) == ["dashboard"]
        app.focus_force()
        pump(app)
        (app.focus_get() or app).event_generate("<Control-Key-2>")
        pump(app, until=lambda: app.current == "members")
        view = app.views["members"]
        assert list(app.views) == ["dashboard", "members"]
        pump(app, until=lambda: view.winfo_ismapped())
        (app.focus_get() or app).event_generate("<Control-f>")
        pump(app)
        assert app.focus_get() is main_window.search_entry(view)
        app.event_generate("<Control-Key-3>")
        pump(app, until=lambda: app.current == "fees")
        app.event_generate("<Control-Key-1>")
        pump(app, until=lambda: app.current == "dashboard")
        assert list(app.views) == ["dashboard", "members", "fees"]
    finally:
        close(app)


@pytest.mark.logs_errors  # the damage is logged
def test_damage_found_after_the_start_offers_the_latest_good_backup_and_restores_it(demo_db, dialogs, tmp_path,
                                                                                     monkeypatch):
    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 0)
    archive = backup.create_backup(demo_db, "manual")
    path = Path(demo_db.engine.url.database)
    demo_db.close()
    with open(path, "r+b") as file:  # garbage over pages in the middle: the start's quick look does not see it
        file.seek(path.stat().st_size // 2)
        file.write(os.urandom(8192))

    app = MainWindow(lambda: open_database(str(path)), Preferences())
    try:
        pump(app, until=lambda: any("壊れています" in message for message in dialogs.messages))
        title, message = next(shown for shown in dialogs.shown if "壊れています" in shown[1])
        assert title == "復元" and "最新の正常なバックアップ" in message
        pump(app, until=lambda: "復元しました" in app.status.cget("text"))  # answered 復元する
        assert archive.exists() and not any(info.label == "daily" for info in backup.archives())
        with app.db.reading() as session:
            assert members.count_by_status(session)["active"] > 0
    finally:
        close(app)
        if app.db is not None:
            app.db.close()


WARM = """
import sys
from sqlalchemy import text
from tama_desk.ui import main_window
real_mainloop = main_window.MainWindow.mainloop
wanted = ("tama_desk.ui.views.members", "tama_desk.ui.views.grants", "tama_desk.ui.views.meetings", "reportlab")
def probe(window):
    def poll(rounds=[0]):
        rounds[0] += 1
        if window.db is not None and rounds[0] == 1:
            window.warm_up()
        fonts = sys.modules.get("reportlab.pdfbase.pdfmetrics")
        try:  # the worker may be importing it right now
            font = fonts is not None and "IPAexGothic" in fonts.getRegisteredFontNames()
        except AttributeError:
            font = False
        built = all(key in window.views and not getattr(getattr(window.views[key], "loader", None), "pending", False)
                    for key in ("members", "fees", "grants", "contracts", "meetings", "accounting", "settings"))
        hidden = all(not view.winfo_ismapped() for key, view in window.views.items() if key != "dashboard")
        if (font and built and all(name in sys.modules for name in wanted)) or rounds[0] > 1500:
            with window.db.reading() as session:
                keyless = session.execute(text("SELECT count(*) FROM member WHERE match_keys IS NULL")).scalar()
            print(all(name in sys.modules for name in wanted), font, built and hidden, keyless == 0)
            window.destroy()
        else:
            window.after(20, poll)
    def start():
        if window.db is None:
            window.after(20, start)
        else:
            poll()
    window.after(20, start)
    real_mainloop(window)
main_window.MainWindow.mainloop = probe
import sqlite3
with sqlite3.connect(sys.argv[1]) as keyless:
    keyless.execute("UPDATE member SET match_keys = NULL")
from tama_desk.app import run_app
sys.exit(run_app(sys.argv[1]))
"""


def test_the_warm_up_registers_the_font_stores_the_name_keys_and_builds_every_view(demo_db, tmp_path):
    """Each area's view built hidden with its rows read, so that the first switch to it only shows it; and the
    members' name keys for the statement matcher stored (the probe removes them first, as a database upgraded
    to 0017 has none)."""
    assert start_probed(WARM, demo_db, tmp_path) == ["True", "True", "True", "True"]
