"""The window calls the reliability services: the day's backup after the start, ファイル → バックアップを作成 /
復元…, and the dashboard's warning line (second backup folder, database on a network share)."""

from __future__ import annotations

import gc
import logging

from tama_desk import settings
from tama_desk.services import backup, profile
from tama_desk.settings import Preferences
from tama_desk.ui import main_window
from tama_desk.ui.main_window import MainWindow

from .conftest import pump

SHARE_WARNING = ("データベースのファイルがネットワーク上の共有フォルダにあります。複数のPCから同じファイルを使うと壊れるおそれがあります。"
                 "共有するには PostgreSQL サーバーを使ってください（README「For Windows users」）")


def file_entry(window, prefix: str) -> int:
    menu = window.menus["file"]
    window.fill_menu("file")
    for index in range(menu.index("end") + 1):
        if menu.type(index) == "command" and menu.entrycget(index, "label").startswith(prefix):
            return index
    raise AssertionError(f"no {prefix} in the ファイル menu")


def close(app) -> None:
    """As the `window` fixture does: let the dashboard's worker finish, destroy, collect Tk objects here."""
    view = app.views.get("dashboard")
    if view is not None:
        pump(app, until=lambda: view.overview is not None)
    app.destroy()
    gc.collect()


def test_the_days_backup_is_taken_off_the_tk_thread_after_the_start(demo_db, dialogs, monkeypatch):
    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 0)
    assert backup.archives() == []
    app = MainWindow(lambda: demo_db, Preferences())
    try:
        pump(app, until=lambda: any(info.label == "daily" for info in backup.archives()))
        pump(app, until=lambda: app.current == "dashboard")
        assert backup.read_manifest(backup.archives()[0].path)["row_counts"]["member"] > 0
        assert not dialogs.shown
    finally:
        close(app)


def test_a_database_handed_in_takes_no_daily_backup(window):
    assert window.daily_backup is False


def test_a_failed_daily_backup_is_logged_and_said_in_the_status_bar(demo_db, dialogs, monkeypatch, caplog):
    def broken(_db):
        raise OSError("disk full")

    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 0)
    monkeypatch.setattr(backup, "daily_if_due", broken)
    app = MainWindow(lambda: demo_db, Preferences())
    try:
        with caplog.at_level(logging.WARNING):
            pump(app, until=lambda: "本日のバックアップを作成できませんでした" in app.status.cget("text"))
        assert "disk full" in app.status.cget("text")
        assert any(r.levelno == logging.WARNING and "daily backup failed" in r.getMessage() for r in caplog.records)
        assert not dialogs.shown  # no traceback, no dialog
    finally:
        close(app)


def test_a_daily_backup_on_a_full_disk_is_said_in_the_status_bar_and_on_the_dashboard(demo_db, dialogs,
                                                                                       monkeypatch):
    import errno

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 0)
    monkeypatch.setattr(backup, "create_backup", full_disk)
    monkeypatch.setattr(backup, "_daily_failure", None)
    app = MainWindow(lambda: demo_db, Preferences())
    try:
        message = "本日の自動バックアップに失敗しました: ディスクの空きがありません"
        pump(app, until=lambda: app.status.cget("text") == message)
        view = app.views["dashboard"]
        pump(app, until=lambda: message in view.warning.cget("text"))
        assert not dialogs.shown
    finally:
        close(app)


def test_file_menu_creates_a_backup_and_names_it(window, dialogs):
    window.menus["file"].invoke(file_entry(window, "バックアップを作成"))
    pump(window, until=lambda: "バックアップを作成しました" in window.status.cget("text"))
    [info] = backup.archives()
    assert str(info.path) in window.status.cget("text") and info.label == "manual"
    assert not dialogs.shown


def test_file_menu_restores_an_archive_and_reopens_the_database(window, demo_db, dialogs, monkeypatch):
    from tkinter import filedialog

    with demo_db.reading() as session:
        original = profile.get_profile(session).name
    archive = backup.create_backup(demo_db, "manual")
    with demo_db.transaction() as session:
        profile.get_profile(session).name = "復元前の名前"
    window.refresh_header()
    assert window.association_label.cget("text") == "復元前の名前"
    monkeypatch.setattr(filedialog, "askopenfilename", lambda **_options: str(archive))

    window.menus["file"].invoke(file_entry(window, "復元"))
    pump(window, until=lambda: window.db is not None and window.db is not demo_db and window.current is not None)
    try:
        title, message = dialogs.shown[0]
        assert title == "復元" and archive.name in message and "よろしいですか" in message
        assert window.association_label.cget("text") == original
        with window.db.reading() as session:
            assert profile.get_profile(session).name == original
        assert f"復元しました: {archive.name}" in window.status.cget("text")
        assert any(info.path != archive for info in backup.archives())  # the replaced database was kept
    finally:
        window.db.close()


def test_restore_cancelled_changes_nothing(window, demo_db, dialogs, monkeypatch):
    from tkinter import filedialog

    archive = backup.create_backup(demo_db, "manual")
    monkeypatch.setattr(filedialog, "askopenfilename", lambda **_options: str(archive))
    dialogs.answer = "キャンセル"
    window.menus["file"].invoke(file_entry(window, "復元"))
    pump(window)
    assert window.db is demo_db and len(dialogs.shown) == 1


def test_dashboard_warns_of_an_old_second_copy_and_a_network_share(demo_db, dialogs, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    settings.save(Preferences(backup_folder=str(usb)))
    demo_db.warnings = [SHARE_WARNING]
    app = MainWindow(demo_db, Preferences())
    try:
        assert "ネットワーク上の共有フォルダ" in app.status.cget("text")
        view = app.views["dashboard"]
        pump(app, until=lambda: view.warning.winfo_ismapped())
        text = view.warning.cget("text")
        assert f"バックアップの保存先（{usb}）にコピーがありません" in text and "ネットワーク上の共有フォルダ" in text
        assert not dialogs.shown
    finally:
        close(app)


def test_dashboard_shows_no_warning_line_when_all_is_well(window):
    view = window.views["dashboard"]
    pump(window, until=lambda: view.overview is not None)
    assert not view.warning.winfo_ismapped()
