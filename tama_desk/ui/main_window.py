"""The one window: menu bar, header with the association name, navigation pane, the current view, status bar.

The areas come from tama_desk.areas (navigation order = Ctrl+digit order); views are imported and built the
first time they are shown. The keyboard contract (scripts and tests rely on it):
Ctrl+1…Ctrl+9 areas · Ctrl+F search box · Enter in it opens the first match, ↓ moves into the table ·
Ctrl+N new record · Ctrl+E export · Ctrl+B billing run (会費) · Ctrl+, 設定 · F5 refresh.
"""

from __future__ import annotations

import gc
import logging
import time
import tkinter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import ttkbootstrap as ttk

from tama_desk import APP_NAME, __version__, areas, paths
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.i18n_en import ENGLISH
from tama_desk.settings import Preferences
from tama_desk.ui import feedback
from tama_desk.ui.background import run_in_thread
from tama_desk.ui.fonts import apply_japanese_font
from tama_desk.ui.layout import tune_styles
from tama_desk.ui.widgets import rootbind

if TYPE_CHECKING:
    from tama_desk.db.engine import Database

log = logging.getLogger(__name__)

# (sequence, handler on the current view, menu, label): the keys every view may answer
VIEW_KEYS = [
    ("<Control-n>", "on_new", "edit", "新規作成…", "Ctrl+N"),
    ("<Control-f>", "on_find", "edit", "検索", "Ctrl+F"),
    ("<Control-e>", "on_export", "file", "エクスポート…", "Ctrl+E"),
    ("<Control-b>", "on_bill_year", "area", "一括請求…", "Ctrl+B"),
]
# Until the views declare `commands()` themselves: their menu entries (label, method, argument, accelerator).
VIEW_COMMANDS = {
    "members": [("新規登録…", "on_new", None, "Ctrl+N"), ("インポート…", "on_import", None, ""),
                ("エクスポート…", "on_export", None, "Ctrl+E"), ("取込用テンプレート…", "on_template", None, "")],
    "fees": [("請求書の作成…", "on_adhoc", None, "Ctrl+N"), ("一括請求…", "on_bill_year", None, "Ctrl+B"),
             ("入金明細の取込…", "on_statement", None, ""), ("PDF出力…", "on_pdfs", None, ""),
             ("督促状…", "on_dunning", None, ""), ("会費台帳 (Excel)…", "on_ledger", None, ""),
             ("売掛金年齢表 (Excel)…", "on_aging", None, ""), ("入金一覧 (Excel)…", "on_payments", None, ""),
             ("会費設定…", "on_schedule", None, "")],
    "grants": [("新規…", "on_new", None, "Ctrl+N"), ("支出を入力", "on_entry", None, ""),
               ("支出の取込…", "on_import", None, ""), ("流用…", "on_reallocate", None, ""),
               ("証ひょう添付…", "on_attach", None, ""), ("支出一覧 Excel…", "on_export", "xlsx", "Ctrl+E"),
               ("実績報告書 PDF…", "on_report", "pdf", ""), ("実績報告書 Excel…", "on_report", "xlsx", ""),
               ("中間報告 PDF…", "on_interim", None, "")],
}
REFRESH_HANDLERS = ("refresh", "on_show")  # F5: the first one the view has
TOAST_MS = 6000
LONG_WORK_SECONDS = 2.0  # a message this long after the last click or key also shows as a toast
MIN_SIZE = (960, 560)
WARM_UP_DELAY_MS, WARM_UP_STEP_MS, WARM_UP_STEP_BUDGET_S = 1000, 300, 0.05  # after the integrity check (warm_up)
DAILY_BACKUP_DELAY_MS = 2000  # the integrity check and the day's backup start this long after the database is open
CHECKS_WAIT_MS, CHECKS_WAIT_ROUNDS = 500, 20  # … once the dashboard is filled (waiting 10 s at most)
OPEN_AFTER_MS = 1000  # the database is opened when the window is mapped, or after this long at the latest


def database_label(url: str) -> str:
    """The database as staff know it: `tama_desk.sqlite3 (ローカル)` or `server/tama (PostgreSQL)`; never a
    password, user name or URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        name = Path(parsed.database).name if parsed.database not in (None, "", ":memory:") else t("メモリ")
        return t("{name} (ローカル)", name=name)
    server = parsed.host or "localhost"
    backend = {"postgresql": "PostgreSQL", "mysql": "MySQL"}.get(parsed.get_backend_name(), parsed.get_backend_name())
    return f"{server}/{parsed.database or ''} ({backend})"


def key_sequence(accelerator: str) -> str:
    """"Ctrl+Shift+P" → "<Control-Shift-P>", "F5" → "<F5>", "Ctrl+," → "<Control-comma>"."""
    *modifiers, key = accelerator.replace("++", "+plus").split("+") if accelerator != "+" else ["plus"]
    names = {"Ctrl": "Control", "Shift": "Shift", "Alt": "Alt"}
    keys = {",": "comma", ".": "period", "plus": "plus", "-": "minus", "Enter": "Return", "Esc": "Escape",
            "Del": "Delete", "Delete": "Delete", "Tab": "Tab"}
    if len(key) == 1 and key.isalpha():
        key = key.upper() if "Shift" in modifiers else key.lower()
    elif len(key) == 1 and key.isdigit():
        key = f"Key-{key}"
    else:
        key = keys.get(key, key)
    return "<" + "-".join([*(names.get(m, m) for m in modifiers), key]) + ">"


def access_key(label: str, used: set[str], **fields: object) -> tuple[str, int]:
    """A menu label with its access key, Windows style: 「ファイル(F)」 in Japanese (the letter from the English
    label), 「File」 with F underlined in English. `label` is the Japanese source text; returns (text, underline)."""
    shown = t(label, **fields)
    english = ENGLISH.get(label, label)
    for name in fields:
        english = english.replace("{" + name + "}", "")
    letters = [c.upper() for c in english if c.isascii() and c.isalpha()]
    letter = next((c for c in [*letters, *"ABCDEFGHIJKLMNOPQRSTUVWXYZ"] if c not in used), "")
    used.add(letter)
    if shown.replace("…", "").isascii():
        index = shown.upper().find(letter)
        if index >= 0:
            return shown, index
    tail = "…" if shown.endswith("…") else ""
    base = shown[: len(shown) - len(tail)]
    return f"{base}({letter}){tail}", len(base) + 1


GC_INTERVAL_MS = 3000
FULL_GC_PAUSE_S, FULL_GC_EVERY_S, FULL_GC_LATEST_S = 2.0, 30.0, 300.0


def warm_up_modules() -> list[str]:
    """The modules of the areas' views and of every dialog under ui.views (imported when first opened)."""
    import pkgutil

    from tama_desk.ui import views

    first = [area.view.partition(":")[0] for area in areas.all_areas()]
    rest = [f"{views.__name__}.{info.name}" for info in pkgutil.iter_modules(views.__path__)]
    return first + [name for name in rest if name not in first]


class MainWindow(ttk.Window):
    def __init__(self, db: Database | Callable[[], Database], preferences: Preferences,
                 scaling: float | None = None, daily_backup: bool | None = None):
        """`db`: an open database, or a function that opens one — then the window is shown at once and the
        database is opened (imported, migrated) in a worker thread; what the user asks for meanwhile (Ctrl+2,
        a click on 会員) is shown when it is ready. `scaling`: Tk's pixels per point, to try a display scale
        (1.33 = 100 %, 1.67 = 125 %, 2.0 = 150 %); by default what the (DPI-aware) system reports.
        `daily_backup`: once the database is open, check it in full (`integrity_check`) and take the day's
        automatic backup (off the Tk thread); by default when the window opens the database itself (the app's
        start), not for a database handed in.

        Started with a function, the window is shown first: the dashboard's frame is built when the window is
        mapped, then the database is opened (importing SQLAlchemy and the models takes a second, and a worker
        running Python meanwhile would slow every Tk call of the window's construction)."""
        icon = paths.icon_path()
        super().__init__(title=APP_NAME, theme=preferences.theme, minsize=MIN_SIZE, high_dpi=True,
                         scaling=scaling, iconphoto=str(icon) if icon.exists() else "")
        rootbind.install(self)  # ttkbootstrap's window bindings: Python for the window itself, not each widget
        # Tk objects must be freed on the Tk thread: a garbage collection that runs inside a worker thread (a
        # dashboard query, a PDF batch) and frees a Tk variable aborts the process (Tcl_AsyncDelete). So while the
        # window lives, automatic collection is off and the Tk thread collects every few seconds instead.
        gc.disable()
        self.full_collected = time.monotonic()
        self.after(GC_INTERVAL_MS, self.collect_garbage)
        self.db: Database | None = None if callable(db) else db
        self.wanted = "dashboard"  # the area to show once the database is open
        self.open_failed: BaseException | None = None
        self.daily_backup = callable(db) if daily_backup is None else daily_backup
        self.preferences = preferences
        self.fit_to_screen(preferences.geometry)
        self.font_family = apply_japanese_font(self)
        tune_styles(self)
        self.report_callback_exception = self.on_callback_error
        self.views: dict[str, ttk.Frame] = {}
        self.nav_buttons: dict[str, ttk.Button] = {}
        self.current: str | None = None
        self.area_var = ttk.StringVar()
        self.view_bindings: list[str] = []
        self.last_input = time.monotonic()
        self.toast: ttk.Label | None = None
        self.create_layout()
        self.bind_keys()
        if self.db is None:
            self.status.configure(text=t("データベースを開いています…"))
            self.opener = db
            self.bind("<Map>", self.on_first_map, add="+")
            self.after(OPEN_AFTER_MS, self.start_opening)  # a window never mapped (withdrawn) opens it too
        else:
            self.on_database_open(self.db)

    def on_first_map(self, event: tkinter.Event) -> None:
        if event.widget is self:  # the toplevel's binding sees every child's <Map> too
            self.after_idle(self.start_opening)

    def start_opening(self) -> None:
        """Once, when the window is shown: the dashboard's frame (「集計しています…」), then the database in a
        worker, with the association's name read there too (the first ORM query costs half a second)."""
        opener, self.opener = getattr(self, "opener", None), None
        if opener is None:
            return
        if self.current is None and self.wanted == "dashboard":
            self.place_view("dashboard")

        def work(_job):
            db = opener()
            return db, association_name(db)

        run_in_thread(self, work, lambda opened: self.on_database_open(*opened), self.on_database_failed)

    def on_database_open(self, db: Database, name: str | None = None) -> None:
        self.db = db
        self.status.configure(text="")
        self.database.configure(text=t("データベース: {name}", name=database_label(db.url)))
        if name is None:
            self.refresh_header()
        else:
            self.show_association(name)
        self.show_view(self.wanted)
        if getattr(db, "backup_taken", None):
            self.announce(t("更新前のバックアップを作成しました: {path}", path=db.backup_taken), toast=False)
        for warning in getattr(db, "warnings", None) or []:  # e.g. the file is on a network share
            self.status.configure(text=t(warning))
        if self.daily_backup:
            self.daily_backup = False  # once per start
            self.after(DAILY_BACKUP_DELAY_MS, self.start_checks)
        self.event_generate("<<DatabaseOpen>>")

    # -- backups ----------------------------------------------------------------------------------
    def start_checks(self, waited: int = 0) -> None:
        """After the start, off the Tk thread: the full integrity check of the database (SQLite's
        integrity_check; before this version a quick_check held the window back), then the day's automatic
        backup (services.backup.daily_if_due) — not of a damaged file: then the latest good backup is offered,
        as the start did before. A failed backup is logged and said in the status bar, never as a traceback."""
        from tama_desk.services import backup

        db = self.db
        if db is None:
            return
        dashboard = self.views.get("dashboard")
        if dashboard is not None and dashboard.overview is None and waited < CHECKS_WAIT_ROUNDS:
            self.after(CHECKS_WAIT_MS, lambda: self.start_checks(waited + 1))  # the dashboard's figures first
            return

        def check_file(_job):
            from tama_desk.services import check, restore

            problem = check.integrity(db.url)
            return None if problem == "ok" else restore.damaged(problem)

        def checked(problem) -> None:
            if problem is not None:
                self.on_damaged(problem)
                return
            self.after(WARM_UP_DELAY_MS, self.warm_up)  # the file is sound: the views may be built meanwhile
            run_in_thread(self, lambda _job: backup.daily_if_due(db), backed_up, failed)

        def backed_up(result) -> None:
            if isinstance(result, Path):
                log.info("daily backup: %s", result)

        def failed(error: BaseException) -> None:
            if isinstance(error, backup.DailyBackupFailed):  # logged already, without its text
                self.status.configure(text=str(error))
            else:
                log.warning("daily backup failed: %s", type(error).__name__)
                self.status.configure(text=t("本日のバックアップを作成できませんでした（{error}）", error=error))
            dashboard = self.views.get("dashboard")
            if dashboard is not None and self.current == "dashboard":
                dashboard.refresh()  # its warning line says it too

        run_in_thread(self, check_file, checked, failed)

    def warm_up(self, left: list | None = None) -> None:
        """Once the start's integrity check found the file sound: off the Tk thread, register the PDF font (a save
        checks its characters against it) and store the members' name keys the statement matcher needs
        (reconcile.fill_match_keys: a database upgraded to 0017 has none, and matching without them takes
        seconds); then, while the user pauses, import the views' and dialogs' modules a few at a time (a worker
        importing Tk modules can deadlock with the Tk thread) and build each area's view hidden, one per step,
        with its background read (ui.loading), so that the first switch to an area only shows it."""
        if left is None:
            db = self.db

            def ahead(_job) -> int:
                from tama_desk.documents.fonts import register_fonts  # reportlab: no Tk in it
                from tama_desk.services.reconcile import fill_match_keys

                register_fonts()
                with db.transaction() as session:
                    return fill_match_keys(session)

            def then(_outcome) -> None:
                self.warm_up([*warm_up_modules(), *(area.key for area in areas.all_areas())])

            def failed(error: BaseException) -> None:
                log.warning("warm-up: %s", type(error).__name__)
                then(None)

            if db is not None:
                run_in_thread(self, ahead, then, failed)
            return
        if not left or self.db is None:
            return
        if time.monotonic() - self.last_input > FULL_GC_PAUSE_S:
            started, step = time.monotonic(), left.pop(0)
            self.prepare(step)
            # modules are small: more of them in the same step while it lasts under 50 ms; a view is a step alone
            while left and "." in step and "." in left[0] and time.monotonic() - started < WARM_UP_STEP_BUDGET_S:
                step = left.pop(0)
                self.prepare(step)
        self.after(WARM_UP_STEP_MS, lambda: self.warm_up(left))

    def prepare(self, step: str) -> None:
        """One warm-up step: a module imported, or an area's view built (not shown) and its rows read."""
        if "." in step:
            areas.load(step)
        elif step not in self.views:
            view = self.build_view(step)
            # Mapped once beneath the view shown: Tk makes a widget's window on its first map, which would
            # otherwise be half of the first switch to it.
            view.place(x=0, y=0, relwidth=1, relheight=1)
            view.lower()
            view.update_idletasks()
            view.place_forget()
            if hasattr(view, "loader"):
                view.loader.start()

    def on_damaged(self, problem) -> None:
        """The integrity check found the open database damaged (restore.StartupProblem): offer the latest good
        backup (restored as ファイル → 復元 does), or say that there is none."""
        log.error("database problem after the start: %s", problem.params)
        if problem.archive is None:
            feedback.inform(self, problem.text(), t("エラー"))
        elif feedback.confirm(self, problem.text(), t("復元"), "復元する", danger=True):
            self.restore_from(problem.archive)

    def on_backup(self) -> None:
        """ファイル → バックアップを作成: an archive in the backups folder, behind a progress dialog."""
        from tama_desk.services import backup

        db = self.db
        if db is None:
            return

        def work(_job):
            try:
                return backup.create_backup(db, "manual")
            except OSError as error:
                raise UserError("バックアップを書けません（{error}）: {path}", error=error.strerror or error,
                                path=paths.backup_dir()) from error

        feedback.run_with_progress(self, t("バックアップ"), work,
                                   lambda path: t("バックアップを作成しました: {path}", path=path))

    def on_restore(self) -> None:
        """ファイル → 復元: choose an archive, confirm, restore it over the open database (off the Tk thread;
        the current database is kept as a backup), then open the database again and show it afresh."""
        from tkinter import filedialog

        from tama_desk.services import backup

        if self.db is None:
            return
        chosen = filedialog.askopenfilename(parent=self, title=t("復元するバックアップを選択"),
                                            initialdir=str(paths.backup_dir()),
                                            filetypes=[(t("バックアップ"), "*.zip"), (t("すべてのファイル"), "*")])
        if not chosen:
            return
        archive = Path(chosen)
        try:
            manifest = backup.read_manifest(archive)
        except UserError as error:
            feedback.show_error(self, error)
            return
        if not feedback.confirm(self, t("{name}（{created}）の内容でデータベースを置き換えます。\n"
                                        "今のデータベースはバックアップとして残します。よろしいですか？",
                                        name=archive.name, created=manifest.get("created_at", "?")),
                                t("復元"), "復元する", danger=True):
            return
        self.restore_from(archive)

    def restore_from(self, archive: Path) -> None:
        """Restore the archive over the open database behind a progress dialog (off the Tk thread), then open
        the database again."""
        from tama_desk.services import restore

        db = self.db
        dialog = feedback.ProgressDialog(self, t("復元"))

        def done(restored) -> None:
            dialog.close()
            self.reopen_database(t("復元しました: {name}", name=restored.archive.name))

        def failed(error: BaseException) -> None:
            dialog.close()
            feedback.show_error(self, error)

        dialog.job = run_in_thread(self, lambda _job: restore.restore_open_database(db, archive), done, failed)

    def reopen_database(self, message: str = "") -> None:
        """Open the database again (after a restore) as the start does, in a worker; every view is built anew."""
        from tama_desk.db.engine import open_database

        url = self.db.url
        self.wanted = self.current or "dashboard"
        for view in self.views.values():
            view.destroy()
        self.views.clear()
        gc.collect()  # their Tk variables and images freed here, on the Tk thread, not later inside a worker
        self.current = None
        self.db = None
        self.status.configure(text=t("データベースを開いています…"))

        def work(_job):
            db = open_database(url)
            return db, association_name(db)

        def done(opened) -> None:
            self.on_database_open(*opened)
            if message:
                self.announce(message)

        run_in_thread(self, work, done, self.on_database_failed)

    def on_database_failed(self, error: BaseException) -> None:
        """Cannot go on without the database: say so in Japanese with the log's folder, then close."""
        log.error("cannot open the database", exc_info=error)
        self.open_failed = error
        feedback.inform(self, t("データベースを開けません。\n{error}\n\nログ: {path}", error=error,
                                path=paths.log_dir()), t("エラー"))
        self.destroy()

    # -- building ---------------------------------------------------------------------------------
    def fit_to_screen(self, geometry: str) -> None:
        """The saved size, unless it does not fit the screen's work area: then maximised."""
        try:
            width, height = (int(part) for part in geometry.split("+")[0].split("x"))
        except ValueError:
            width, height = 1280, 760
        area_width, area_height = work_area(self)
        if width > area_width or height + 32 > area_height:  # 32: the title bar
            self.geometry(f"{min(width, area_width)}x{min(height, area_height - 32)}+0+0")
            self.maximise()
        else:
            self.geometry(f"{width}x{height}")

    def maximise(self) -> None:
        try:
            if self._windowingsystem == "win32":
                self.state("zoomed")
            elif self._windowingsystem == "x11":
                self.attributes("-zoomed", True)
        except tkinter.TclError:
            log.info("could not maximise the window", exc_info=True)

    def create_layout(self) -> None:
        self.create_menu()
        header = ttk.Frame(self, padding=(16, 8), bootstyle="primary")
        header.pack(fill="x")
        ttk.Label(header, text=APP_NAME, font=(self.font_family, 15, "bold"), bootstyle="@primary").pack(
            side="left")
        self.association_label = ttk.Label(header, font=(self.font_family, 11), bootstyle="@primary")
        self.association_label.pack(side="left", padx=20)
        self.refresh_header()

        bar = ttk.Frame(self, bootstyle="secondary")
        bar.pack(side="bottom", fill="x")
        self.database = ttk.Label(bar, padding=(12, 3), bootstyle="@secondary", anchor="e",
                                  text=t("データベース: {name}", name=database_label(self.db.url)) if self.db else "")
        self.database.pack(side="right")
        self.status = ttk.Label(bar, padding=(12, 3), bootstyle="@secondary", anchor="w")
        self.status.pack(side="left", fill="x", expand=True)

        body = ttk.Frame(self)
        body.pack(fill="both", expand=True)
        nav = ttk.Frame(body, padding=(8, 12), bootstyle="light")
        nav.pack(side="left", fill="y")
        for area in areas.all_areas():
            if area is areas.SETTINGS:
                ttk.Separator(nav).pack(fill="x", pady=8)
            button = ttk.Button(nav, text=t(area.label), width=14, command=lambda k=area.key: self.show_view(k))
            button.pack(fill="x", pady=2)
            self.nav_buttons[area.key] = button
        self.content = ttk.Frame(body, padding=(16, 12))
        self.content.pack(side="left", fill="both", expand=True)

    def create_menu(self) -> None:
        """ファイル / 編集 / 表示 / each area / ヘルプ, every command with its shortcut and access key."""
        menubar = tkinter.Menu(self, tearoff=False)
        self.menus: dict[str, tkinter.Menu] = {}
        used: set[str] = set()
        for key, label in [("file", "ファイル"), ("edit", "編集"), ("view", "表示")]:
            self.menus[key] = self._cascade(menubar, label, used)
        for area in areas.AREAS[1:]:
            self.menus[area.key] = self._cascade(menubar, area.label, used, area)
        self.menus["help"] = self._cascade(menubar, "ヘルプ", used)
        self.configure(menu=menubar)
        self.menubar = menubar
        for key in ("file", "edit", "view", "help"):
            self.fill_menu(key)
            self.menus[key].configure(postcommand=lambda k=key: self.fill_menu(k))

    def _cascade(self, menubar: tkinter.Menu, label: str, used: set[str], area=None) -> tkinter.Menu:
        menu = tkinter.Menu(menubar, tearoff=False)
        if area is not None:
            menu.configure(postcommand=lambda: self.fill_area_menu(area))
            self.after_idle(lambda: self.fill_area_menu(area, load=False))
        text, underline = access_key(label, used)
        menubar.add_cascade(label=text, underline=underline, menu=menu)
        return menu

    def _add(self, menu: tkinter.Menu, used: set[str], label: str, command, accelerator: str = "",
             enabled: bool = True, **fields: object) -> None:
        text, underline = access_key(label, used, **fields)
        menu.add_command(label=text, underline=underline, accelerator=accelerator, command=command,
                         state="normal" if enabled else "disabled")

    def can(self, handler: str) -> bool:
        return hasattr(self.views.get(self.current or ""), handler)

    def fill_menu(self, key: str) -> None:
        menu, used = self.menus[key], set()
        menu.delete(0, "end")
        if key == "file":
            self._add(menu, used, "エクスポート…", lambda: self.run_view_command("on_export"), "Ctrl+E",
                      self.can("on_export"))
            menu.add_separator()
            self._add(menu, used, "バックアップを作成", self.on_backup, enabled=self.db is not None)
            self._add(menu, used, "復元…", self.on_restore, enabled=self.db is not None)
            menu.add_separator()
            self._add(menu, used, "設定…", lambda: self.show_view(areas.SETTINGS.key), "Ctrl+,")
            self._add(menu, used, "データフォルダを開く", lambda: self.open_folder(paths.data_dir()))
            menu.add_separator()
            self._add(menu, used, "終了", self.on_quit, "Alt+F4")
        elif key == "edit":
            self._add(menu, used, "新規作成…", lambda: self.run_view_command("on_new"), "Ctrl+N", self.can("on_new"))
            self._add(menu, used, "検索", lambda: self.run_view_command("on_find"), "Ctrl+F", self.can("on_find"))
        elif key == "view":
            for area in areas.all_areas():
                text, underline = access_key(area.label, used)
                menu.add_radiobutton(label=text, underline=underline, accelerator=area.shortcut,
                                     variable=self.area_var, value=area.key,
                                     command=lambda k=area.key: self.show_view(k))
            menu.add_separator()
            self._add(menu, used, "最新の情報に更新", self.on_refresh, "F5")
        elif key == "help":
            self._add(menu, used, "キーボード操作", self.on_keys_help, "F1")
            self._add(menu, used, "ログフォルダを開く", lambda: self.open_folder(paths.log_dir()))
            menu.add_separator()
            self._add(menu, used, "バージョン情報", self.on_about)

    def fill_area_menu(self, area: areas.Area, load: bool = True) -> None:
        """「会費を開く Ctrl+3」, the contract keys the view answers, then the view's own `commands()` (the view
        is built for that the first time its menu opens)."""
        menu, used = self.menus[area.key], set()
        menu.delete(0, "end")
        self._add(menu, used, "{area}を開く", lambda: self.show_view(area.key), area.shortcut, area=t(area.label))
        if (not load and area.key not in self.views) or self.db is None:
            return
        view = self.views.get(area.key) or self.build_view(area.key)
        entries = view_commands(area.key, view)
        if entries:
            menu.add_separator()
        for label, callback, accelerator in entries:
            self._add(menu, used, label, lambda c=callback: self.run_in_area(area.key, c), accelerator or "")

    def refresh_header(self) -> None:
        if self.db is not None:
            self.show_association(association_name(self.db))

    def show_association(self, name: str) -> None:
        self.association_label.configure(text=name or t("（団体名は「設定」で登録してください）"))

    # -- keys -------------------------------------------------------------------------------------
    def bind_keys(self) -> None:
        """Bound on the main window only: in a dialog, Ctrl+2 or Ctrl+N do not reach the window behind."""
        for area in areas.AREAS:
            if area.digit:
                for sequence in (f"<Control-Key-{area.digit}>", f"<Control-KP_{area.digit}>"):
                    self.bind(sequence, lambda _e, k=area.key: self.on_area_key(k))
        self.bind("<Control-comma>", lambda _e: self.on_area_key(areas.SETTINGS.key))
        self.bind("<F5>", lambda _e: self.on_refresh() or "break")
        self.bind("<F1>", lambda _e: self.on_keys_help() or "break")
        for sequence, handler, *_rest in VIEW_KEYS:
            self.bind(sequence, lambda _e, name=handler: self.on_view_key(name))
        self.bind_class("TamaSearch", "<Return>", self.on_search_enter)
        self.bind_class("TamaSearch", "<KP_Enter>", self.on_search_enter)
        self.bind_class("TamaSearch", "<Down>", self.on_search_down)
        self.bind_all("<KeyPress>", self.on_input, add="+")
        self.bind_all("<ButtonPress>", self.on_input, add="+")

    def bind_view_commands(self, view) -> None:
        """The current view's own accelerators (from `commands()`), bound while it is shown."""
        defaults = {sequence: handler for sequence, handler, *_rest in VIEW_KEYS}
        for sequence in self.view_bindings:
            if sequence in defaults:
                self.bind(sequence, lambda _e, name=defaults[sequence]: self.on_view_key(name))
            else:
                self.unbind(sequence)
        self.view_bindings = []
        for _label, callback, accelerator in (view.commands() if hasattr(view, "commands") else []):  # own keys
            if accelerator:
                sequence = key_sequence(accelerator)
                self.bind(sequence, lambda _e, c=callback: c() or "break")
                self.view_bindings.append(sequence)

    def hook_search(self, view) -> None:
        """Enter and ↓ in the view's search box, for a search box that does not do them itself (one with
        `flush()` does: ui.widgets SearchBox): the window's tag TamaSearch, ahead of the entry's own."""
        if hasattr(getattr(view, "search", None), "flush"):
            return
        entry = search_entry(view)
        if entry is not None and "TamaSearch" not in entry.bindtags():
            entry.bindtags(("TamaSearch", *entry.bindtags()))

    def on_area_key(self, key: str) -> str:
        self.show_view(key)
        return "break"

    def on_view_key(self, handler: str) -> str | None:
        return "break" if self.run_view_command(handler) else None

    def on_input(self, _event: tkinter.Event) -> None:
        self.last_input = time.monotonic()

    def on_search_enter(self, event: tkinter.Event) -> str:
        """Run a search still waiting for its debounce, then open the first match."""
        view = self.views.get(self.current or "")
        if view is None or search_entry(view) is not event.widget:
            return "break"
        flush_search(view)
        if hasattr(view, "open_first"):
            view.open_first()
        elif select_first_row(view) and hasattr(view, "on_open"):
            view.on_open()
        return "break"

    def on_search_down(self, event: tkinter.Event) -> str:
        view = self.views.get(self.current or "")
        if view is None or search_entry(view) is not event.widget:
            return "break"
        flush_search(view)
        if hasattr(view, "focus_table"):
            view.focus_table()
        else:
            select_first_row(view)
        return "break"

    # -- reacting ---------------------------------------------------------------------------------
    def build_view(self, key: str) -> ttk.Frame:
        view = areas.get(key).view_class()(self.content, self)
        self.views[key] = view
        self.hook_search(view)
        return view

    def show_view(self, key: str) -> None:
        if self.db is None:  # still opening: shown when it is open
            self.wanted = key
            return
        view = self.place_view(key)
        if hasattr(view, "on_show"):
            view.on_show()

    def place_view(self, key: str) -> ttk.Frame:
        """Make the area's view the one shown (built the first time), without asking it to read its data."""
        if self.current != key:
            if self.current:
                self.views[self.current].pack_forget()
            view = self.views.get(key) or self.build_view(key)
            self.current = key
            for area, button in self.nav_buttons.items():
                button.configure(bootstyle="primary" if area == key else "secondary-outline")
            view.pack(fill="both", expand=True)
            self.bind_view_commands(view)
        self.area_var.set(key)
        return self.views[key]

    def run_view_command(self, handler: str) -> bool:
        view = self.views.get(self.current or "")
        if view is not None and hasattr(view, handler):
            getattr(view, handler)()
            return True
        return False

    def run_in_area(self, key: str, callback) -> None:
        """A menu command of an area: show the area first (its data fresh), then run it."""
        if self.current != key:
            self.show_view(key)
        callback()

    def on_refresh(self) -> None:
        view = self.views.get(self.current or "")
        handler = next((name for name in REFRESH_HANDLERS if hasattr(view, name)), None)
        if handler:
            getattr(view, handler)()
            self.announce(t("最新の情報に更新しました"))

    def rebuild(self) -> None:
        """After a language change: build every label again."""
        for child in self.winfo_children():
            child.destroy()
        self.views.clear()
        self.nav_buttons.clear()
        self.current = None
        self.toast = None
        self.create_layout()
        self.show_view(areas.SETTINGS.key)

    def announce(self, message: str, toast: bool | None = None) -> None:
        """Say what an action did — 「保存しました: 0012 株式会社多摩精機」「入金を記録しました: 30,000円」 — in
        the status bar, and as a toast too when `toast` is true or (None) when the user has been waiting
        for it (long work: no click or key for a while, or work done off the Tk thread since the last one)."""
        self.status.configure(text=f"{time.strftime('%H:%M')}  {message}")
        log.info("announced: %s", message)
        if toast is None:
            toast = (time.monotonic() - self.last_input > LONG_WORK_SECONDS
                     or getattr(self, "work_done_at", 0.0) > self.last_input)
        if toast:
            self.show_toast(message)

    def collect_garbage(self) -> None:
        """The young objects every few seconds (a few ms); the whole heap, which takes 0.1-0.2 s with ten years of
        data loaded, only once the user has paused for a moment (or after five minutes regardless), so that a
        click never waits for it."""
        now = time.monotonic()
        paused = now - self.last_input > FULL_GC_PAUSE_S
        if (paused and now - self.full_collected > FULL_GC_EVERY_S) or now - self.full_collected > FULL_GC_LATEST_S:
            gc.collect()
            self.full_collected = now
        else:
            gc.collect(1)
        self.after(GC_INTERVAL_MS, self.collect_garbage)

    def destroy(self) -> None:
        gc.enable()
        super().destroy()

    def set_status(self, message: str) -> None:
        """What ui.feedback.notify calls: the same as announce()."""
        self.announce(message)

    def show_toast(self, message: str) -> None:
        """A timed notice in the bottom-right corner of the window (no click needed, no focus taken)."""
        if self.toast is not None and self.toast.winfo_exists():
            self.toast.destroy()
        self.toast = ttk.Label(self, text=message, bootstyle="@dark", padding=(16, 10), wraplength=420)
        self.toast.place(relx=1.0, rely=1.0, x=-16, y=-40, anchor="se")
        toast = self.toast
        self.after(TOAST_MS, lambda: toast.winfo_exists() and toast.destroy())

    def on_keys_help(self) -> None:
        keys = [(area.shortcut, t(area.label)) for area in areas.all_areas() if area.shortcut]
        keys += [(accelerator, t(label).rstrip("…")) for _s, _h, _p, label, accelerator in VIEW_KEYS]
        keys += [("F5", t("最新の情報に更新")), ("Enter", t("検索欄: 最初の1件を開く")), ("↓", t("検索欄: 一覧へ移動")),
                 ("Ctrl+Enter", t("ダイアログ: 実行")), ("Esc", t("ダイアログ: 閉じる")), ("Alt", t("メニュー"))]
        feedback.inform(self, "\n".join(f"{label}  [{key}]" for key, label in keys), t("キーボード操作"))

    def on_about(self) -> None:
        feedback.inform(self, t("{app} {version}\nデータベース: {db}\nデータフォルダ: {folder}", app=APP_NAME,
                                version=__version__, db=database_label(self.db.url), folder=paths.data_dir()),
                        t("バージョン情報"))

    def open_folder(self, folder: Path) -> None:
        from tama_desk.ui.desktop import open_file

        open_file(folder)

    def on_quit(self) -> None:
        self.event_generate("<<Quit>>")
        handler = self.protocol("WM_DELETE_WINDOW")
        if handler:
            self.tk.call(handler)
        else:
            self.destroy()

    def on_callback_error(self, exc_type, error, traceback) -> None:
        log.error("Tk callback failed", exc_info=(exc_type, error, traceback))
        feedback.show_error(self, error)


def association_name(db: Database) -> str:
    """The association's name for the header (the profile in 設定; "" when not registered yet)."""
    from tama_desk.services import profile

    with db.reading() as session:
        return profile.get_profile(session).name


def view_commands(key: str, view) -> list[tuple]:
    """A view's menu entries: its own `commands()`, else the interim list above, else the contract keys it
    answers (一括請求 Ctrl+B …)."""
    if hasattr(view, "commands"):
        return list(view.commands())
    if key in VIEW_COMMANDS:
        return [(label, (lambda m=getattr(view, method), a=argument: m(a)) if argument else getattr(view, method),
                 accelerator) for label, method, argument, accelerator in VIEW_COMMANDS[key] if hasattr(view, method)]
    return [(label, getattr(view, handler), accelerator) for _seq, handler, place, label, accelerator in VIEW_KEYS
            if place == "area" and hasattr(view, handler)]


def search_entry(view) -> tkinter.Widget | None:
    search = getattr(view, "search", None)
    return getattr(search, "entry", None) or getattr(view, "search_entry", None)


def flush_search(view) -> None:
    """A search still waiting for its debounce runs now."""
    search = getattr(view, "search", None)
    if search is None:
        return
    if hasattr(search, "flush"):
        search.flush()
    elif getattr(search, "pending", None) is not None:
        search.entry.after_cancel(search.pending)
        search.fire()


def select_first_row(view) -> bool:
    tree = getattr(view, "tree", None)
    rows = tree.get_children() if tree is not None else ()
    if not rows:
        return False
    tree.focus_set()
    tree.selection_set(rows[0])
    tree.focus(rows[0])
    tree.see(rows[0])
    return True


def work_area(window: tkinter.Misc) -> tuple[int, int]:
    """The screen without the taskbar (Windows: SPI_GETWORKAREA; elsewhere the screen less a panel)."""
    if window._windowingsystem == "win32":
        try:
            import ctypes
            from ctypes import wintypes

            rect = wintypes.RECT()
            if ctypes.windll.user32.SystemParametersInfoW(0x0030, 0, ctypes.byref(rect), 0):
                return rect.right - rect.left, rect.bottom - rect.top
        except (OSError, AttributeError):
            log.info("no work area from Windows", exc_info=True)
    return window.winfo_screenwidth(), window.winfo_screenheight() - 48
