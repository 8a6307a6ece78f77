"""会員 view: the registry table with search-as-you-type, filters, sorting, import and export."""

from __future__ import annotations

from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk.domain.choices import MEMBER_CATEGORIES, MEMBER_STATUSES
from tama_desk.fileio import write_atomic
from tama_desk.i18n import t
from tama_desk.services import members, profile
from tama_desk.ui import feedback, loading
from tama_desk.ui.fresh import Freshness, Remembered
from tama_desk.ui.widgets import ChoiceBox, Column, DataTable, SearchBox
from tama_desk.ui.widgets.flow import FlowFrame

COLUMNS = [
    Column("number", "番号", 70),
    Column("name", "会員名", 260, stretch=True),
    Column("kana", "フリガナ", 220, stretch=True, sort="kana"),
    Column("category", "区分", 110, choices=MEMBER_CATEGORIES),
    Column("type_name", "種別", 80, format=t),  # the types a database starts with are translated
    Column("contact", "担当者", 110),
    Column("phone", "電話", 120),
    Column("status", "状態", 60, "center", choices=MEMBER_STATUSES),
]
ALL = "（すべて）"


class MembersView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.fresh, self.loader = Freshness(), loading.Loader(self)
        self.everyone = Remembered()  # the unfiltered list, shown again when the search box is cleared
        self.rows: list[members.MemberRow] = []
        self.create_toolbar()
        self.create_filters()
        self.create_table()

    # -- building ---------------------------------------------------------------------------------
    def create_toolbar(self) -> None:
        bar = ttk.Frame(self)
        bar.pack(fill="x")
        ttk.Label(bar, text=t("会員"), font=(self.app.font_family, 15, "bold")).pack(side="left")
        self.count_label = ttk.Label(bar, bootstyle="secondary")
        self.count_label.pack(side="left", padx=12)
        for text, command, style in [
            (t("テンプレート"), self.on_template, "secondary-outline"),
            (t("エクスポート") + " (Ctrl+E)", self.on_export, "secondary-outline"),
            (t("インポート"), self.on_import, "secondary-outline"),
            (t("新規登録") + " (Ctrl+N)", self.on_new, "success"),
        ]:
            ttk.Button(bar, text=text, command=command, bootstyle=style).pack(side="right", padx=(6, 0))

    def create_filters(self) -> None:
        """The search box and the filters side by side; on a narrow window (or in English) they wrap."""
        bar = FlowFrame(self, gap=4, padding=(0, 10, 0, 6))
        bar.pack(fill="x")
        self.search = SearchBox(ttk.Frame(bar), self.refresh, self.focus_table, width=18, on_enter=self.open_first)
        self.search_var, self.search_entry = self.search.var, self.search.entry

        with self.app.db.reading() as session:
            types = [(kind.id, kind.name) for kind in profile.membership_types(session)]
        self.filters = {"category": self._filter(bar, t("区分"), MEMBER_CATEGORIES),
                        "type_id": self._filter(bar, t("種別"), types),
                        "status": self._filter(bar, t("状態"), MEMBER_STATUSES)}
        self.category_var, self.type_var, self.status_var = (box.var for box in self.filters.values())
        bar.reflow()

    def _filter(self, bar, label: str, choices) -> ChoiceBox:
        group = ttk.Frame(bar)
        ttk.Label(group, text=label).pack(side="left")
        box = ChoiceBox(group, choices, blank=ALL, on_change=self.refresh)
        box.pack(side="left", padx=(6, 8))
        return box

    def create_table(self) -> None:
        self.table = DataTable(self, COLUMNS, on_open=self.on_open, sort_by="kana",
                               tag=lambda row: ("withdrawn",) if row.status == "withdrawn" else ())
        self.table.pack(fill="both", expand=True)
        self.tree = self.table.tree

    # -- reacting ---------------------------------------------------------------------------------
    def open_first(self) -> None:
        """Enter in the search box: the first match opens."""
        self.table.open_first()

    def on_show(self) -> None:
        loading.on_show(self)  # read in the background; shown again with nothing changed: the table as it was
        self.search_entry.focus_set()

    def on_find(self) -> None:
        self.search.focus()

    def current_filters(self) -> dict:
        chosen = {key: box.get() for key, box in self.filters.items()}
        return {key: value for key, value in chosen.items() if value}

    def refresh(self) -> None:
        loading.refresh(self)

    def rows_query(self):
        text, filters = self.search_var.get(), self.current_filters()
        everyone = not text.split() and not filters
        if everyone and (kept := self.everyone.get(self)) is not None:
            return lambda _session: (True, kept)  # the search box cleared: the whole list as last read
        return lambda session: (everyone, members.search_members(session, text, **filters))

    def present(self, data: tuple[bool, list[members.MemberRow]]) -> None:
        everyone, self.rows = data
        if everyone:
            self.everyone.keep(self, self.rows)  # never changed in place: set_rows copies, a save assigns anew
        self.render()
        if self.rows and not self.winfo_viewable():  # read unseen (the window's warm-up): a member dialog too
            from tama_desk.ui.views.member_dialog import MemberDialog

            MemberDialog.prepare_later(self, self.app, self.rows[0].id)

    def render(self) -> None:
        self.table.set_rows(self.rows)
        self.show_count()

    def show_count(self) -> None:
        self.count_label.configure(text=t("{n} 件", context="会員", n=len(self.rows)))

    def on_sort(self, key: str) -> None:
        self.table.on_heading(key)

    def selected_id(self) -> int | None:
        return self.table.selected()

    def focus_table(self) -> None:
        self.table.focus_first()

    def on_open(self, member_id: int | None = None) -> None:
        member_id = self.selected_id() if member_id is None else member_id
        if member_id is not None:
            from tama_desk.ui.views.member_dialog import MemberDialog  # the dialogs are imported when first opened

            MemberDialog(self, self.app, member_id, on_saved=self.on_saved)

    def on_new(self) -> None:
        from tama_desk.ui.views.member_dialog import MemberDialog

        MemberDialog(self, self.app, None, on_saved=self.on_saved)

    def on_saved(self, member_id: int | None, message: str) -> None:
        """After a save: that member's row alone read and put in place (10,000 rows are not read again); after
        a delete or an import (member_id None): the list read again."""
        if member_id is None:
            self.refresh()
        else:
            self.put_member(member_id)
            self.table.select(member_id)
        feedback.notify(self, message)

    def put_member(self, member_id: int) -> None:
        """The member's row as a full read would show it, or gone when it no longer matches the search."""
        with self.app.db.reading() as session:
            found = members.search_members(session, self.search_var.get(), member_id=member_id,
                                           **self.current_filters())
        if found:
            self.table.put_row(found[0])
        else:
            self.table.remove_row(member_id)
        self.rows = list(self.table.rows)
        self.show_count()

    def on_import(self) -> None:
        path = filedialog.askopenfilename(
            parent=self, title=t("会員のインポート"),
            filetypes=[(t("Excel / CSV"), "*.xlsx *.csv"), (t("すべてのファイル"), "*.*")])
        if path:
            from tama_desk.ui.views.import_dialog import MemberImportDialog

            MemberImportDialog(self, self.app, Path(path), on_done=self.on_saved)

    def on_export(self) -> None:
        path = filedialog.asksaveasfilename(
            parent=self, title=t("会員のエクスポート"), defaultextension=".xlsx", initialfile="会員名簿.xlsx",
            filetypes=[(t("Excel ブック"), "*.xlsx"), (t("CSV (UTF-8)"), "*.csv")])
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Export every member (not only the filtered ones) off the Tk thread."""
        from tama_desk.exports import members_io  # openpyxl: imported on the first export, not with the view

        file_format = members_io.format_for(path.name)
        feedback.write_file_with_progress(
            self, self.app.db, path, lambda session: members_io.export_bytes(members.all_members(session), file_format),
            what="会員名簿")

    def on_template(self) -> None:
        from tama_desk.exports import members_io

        path = filedialog.asksaveasfilename(
            parent=self, title=t("インポート用テンプレート"), defaultextension=".xlsx",
            initialfile="会員インポート用.xlsx", filetypes=[(t("Excel ブック"), "*.xlsx"), (t("CSV (UTF-8)"), "*.csv")])
        if path:
            write_atomic(Path(path), members_io.template_bytes(members_io.format_for(path)))
            feedback.notify(self, feedback.written_message("インポート用テンプレート", path))

