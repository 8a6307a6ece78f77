"""The one window: header with the association name, navigation pane, the current view, status bar."""

from __future__ import annotations

import logging
import tkinter

import ttkbootstrap as ttk

from tama_desk import APP_NAME, paths
from tama_desk.db.engine import Database
from tama_desk.i18n import t
from tama_desk.services import profile
from tama_desk.settings import Preferences
from tama_desk.ui import feedback
from tama_desk.ui.fonts import apply_japanese_font
from tama_desk.ui.layout import tune_styles
from tama_desk.ui.views.dashboard import DashboardView
from tama_desk.ui.views.fees import FeesView
from tama_desk.ui.views.grants import GrantsView
from tama_desk.ui.views.members import MembersView
from tama_desk.ui.views.settings import SettingsView

log = logging.getLogger(__name__)

AREAS = [  # key, label, view class; only areas that exist
    ("dashboard", "ダッシュボード", DashboardView),
    ("members", "会員", MembersView),
    ("fees", "会費", FeesView),
    ("grants", "補助金", GrantsView),
    ("settings", "設定", SettingsView),
]
SHORTCUTS = {"<Control-n>": "on_new", "<Control-f>": "on_find", "<Control-e>": "on_export"}


class MainWindow(ttk.Window):
    def __init__(self, db: Database, preferences: Preferences):
        icon = paths.icon_path()
        super().__init__(title=APP_NAME, theme=preferences.theme, minsize=(1000, 640),
                         iconphoto=str(icon) if icon.exists() else "")
        self.geometry(preferences.geometry)
        self.db = db
        self.preferences = preferences
        self.font_family = apply_japanese_font(self)
        tune_styles(self)
        self.report_callback_exception = self.on_callback_error
        self.views: dict[str, ttk.Frame] = {}
        self.nav_buttons: dict[str, ttk.Button] = {}
        self.current: str | None = None
        self.create_layout()
        for sequence, handler in SHORTCUTS.items():
            self.bind_all(sequence, lambda event, name=handler: self.on_shortcut(name, event))
        self.show_view("dashboard")

    # -- building ---------------------------------------------------------------------------------
    def create_layout(self) -> None:
        header = ttk.Frame(self, padding=(16, 10), bootstyle="primary")
        header.pack(fill="x")
        ttk.Label(header, text=APP_NAME, font=(self.font_family, 16, "bold"), bootstyle="@primary").pack(
            side="left")
        self.association_label = ttk.Label(header, font=(self.font_family, 11), bootstyle="@primary")
        self.association_label.pack(side="left", padx=20)
        self.refresh_header()

        self.status = ttk.Label(self, padding=(12, 4), bootstyle="secondary", anchor="w")
        self.status.pack(side="bottom", fill="x")
        self.set_status(t("データベース: {name}", name=self.db.display_name()))

        body = ttk.Frame(self)
        body.pack(fill="both", expand=True)
        nav = ttk.Frame(body, padding=(8, 12), bootstyle="light")
        nav.pack(side="left", fill="y")
        for key, label, _view in AREAS:
            button = ttk.Button(nav, text=t(label), width=16, command=lambda k=key: self.show_view(k))
            button.pack(fill="x", pady=2)
            self.nav_buttons[key] = button
        self.content = ttk.Frame(body, padding=(16, 12))
        self.content.pack(side="left", fill="both", expand=True)

    def refresh_header(self) -> None:
        with self.db.reading() as session:
            name = profile.get_profile(session).name
        self.association_label.configure(text=name or t("（団体名は「設定」で登録してください）"))

    # -- reacting ---------------------------------------------------------------------------------
    def show_view(self, key: str) -> None:
        if self.current:
            self.views[self.current].pack_forget()
        if key not in self.views:
            view_class = next(view for area, _label, view in AREAS if area == key)
            self.views[key] = view_class(self.content, self)
        self.current = key
        for area, button in self.nav_buttons.items():
            button.configure(bootstyle="primary" if area == key else "secondary-outline")
        view = self.views[key]
        view.pack(fill="both", expand=True)
        if hasattr(view, "on_show"):
            view.on_show()

    def rebuild(self) -> None:
        """After a language change: build every label again."""
        for child in self.winfo_children():
            child.destroy()
        self.views.clear()
        self.nav_buttons.clear()
        self.current = None
        self.create_layout()
        self.show_view("settings")

    def on_shortcut(self, handler: str, _event: tkinter.Event) -> str | None:
        view = self.views.get(self.current or "")
        if view is not None and hasattr(view, handler):
            getattr(view, handler)()
            return "break"
        return None

    def set_status(self, message: str) -> None:
        self.status.configure(text=message)

    def on_callback_error(self, exc_type, error, traceback) -> None:
        log.error("Tk callback failed", exc_info=(exc_type, error, traceback))
        feedback.show_error(self, error)
