"""会員 view: the registry table with search-as-you-type, filters, sorting, import and export."""

from __future__ import annotations

from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk.domain.choices import MEMBER_CATEGORIES, MEMBER_STATUSES
from tama_desk.domain.kana import gojuon_key
from tama_desk.exports import members_io
from tama_desk.fileio import write_atomic
from tama_desk.i18n import t
from tama_desk.services import members, profile
from tama_desk.ui import feedback
from tama_desk.ui.views.import_dialog import MemberImportDialog
from tama_desk.ui.views.member_dialog import MemberDialog
from tama_desk.ui.widgets import SearchBox

COLUMNS = [  # key, heading, width, anchor
    ("number", "番号", 70, "w"),
    ("name", "会員名", 260, "w"),
    ("kana", "フリガナ", 220, "w"),
    ("category", "区分", 110, "w"),
    ("type_name", "種別", 80, "w"),
    ("contact", "担当者", 110, "w"),
    ("phone", "電話", 120, "w"),
    ("status", "状態", 60, "center"),
]
ALL = "（すべて）"


class MembersView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.rows: list[members.MemberRow] = []
        self.sort_key, self.sort_reverse = "kana", False
        self._gojuon: dict[str, str] = {}  # sort keys, computed once per kana
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
        bar = ttk.Frame(self, padding=(0, 10))
        bar.pack(fill="x")
        self.search = SearchBox(bar, self.refresh, self.focus_table)
        self.search_var, self.search_entry = self.search.var, self.search.entry

        self.category_var = self._filter(bar, t("区分"), [t(label) for label in MEMBER_CATEGORIES.values()])
        with self.app.db.reading() as session:
            self.type_ids = {kind.name: kind.id for kind in profile.membership_types(session)}
        self.type_var = self._filter(bar, t("種別"), list(self.type_ids))
        self.status_var = self._filter(bar, t("状態"), [t(label) for label in MEMBER_STATUSES.values()])

    def _filter(self, bar, label: str, values: list[str]) -> ttk.StringVar:
        ttk.Label(bar, text=label).pack(side="left")
        variable = ttk.StringVar(value=t(ALL))
        box = ttk.Combobox(bar, textvariable=variable, values=[t(ALL), *values], state="readonly", width=12)
        box.pack(side="left", padx=(6, 12))
        box.bind("<<ComboboxSelected>>", lambda _e: self.refresh())
        return variable

    def create_table(self) -> None:
        frame = ttk.Frame(self)
        frame.pack(fill="both", expand=True)
        self.tree = ttk.Treeview(frame, columns=[c[0] for c in COLUMNS], show="headings", selectmode="browse")
        for key, heading, width, anchor in COLUMNS:
            self.tree.heading(key, text=t(heading), command=lambda k=key: self.on_sort(k))
            self.tree.column(key, width=width, anchor=anchor, stretch=key in ("name", "kana"))
        scroll = ttk.Scrollbar(frame, orient="vertical", command=self.tree.yview)
        self.tree.configure(yscrollcommand=scroll.set)
        self.tree.pack(side="left", fill="both", expand=True)
        scroll.pack(side="right", fill="y")
        self.tree.tag_configure("withdrawn", foreground="#8a8f98")
        self.tree.bind("<Double-1>", lambda _e: self.on_open())
        self.tree.bind("<Return>", lambda _e: self.on_open())

    # -- reacting ---------------------------------------------------------------------------------
    def on_show(self) -> None:
        self.refresh()
        self.search_entry.focus_set()

    def on_find(self) -> None:
        self.search.focus()

    def current_filters(self) -> dict:
        chosen = {
            "category": _code_of(MEMBER_CATEGORIES, self.category_var.get()),
            "type_id": self.type_ids.get(self.type_var.get()),
            "status": _code_of(MEMBER_STATUSES, self.status_var.get()),
        }
        return {key: value for key, value in chosen.items() if value}

    def refresh(self) -> None:
        with self.app.db.reading() as session:
            self.rows = members.search_members(session, self.search_var.get(), **self.current_filters())
        self.render()

    def render(self) -> None:
        key = self.sort_key
        if key == "kana":  # the service already returns 五十音 order
            self.rows.sort(key=lambda row: self._gojuon.setdefault(row.kana, gojuon_key(row.kana)),
                           reverse=self.sort_reverse)
        else:
            self.rows.sort(key=lambda row: getattr(row, key), reverse=self.sort_reverse)
        selected = self.selected_id()
        self.tree.delete(*self.tree.get_children())
        for row in self.rows:
            values = (row.number, row.name, row.kana, t(MEMBER_CATEGORIES.get(row.category, row.category)),
                      row.type_name, row.contact, row.phone, t(MEMBER_STATUSES.get(row.status, row.status)))
            self.tree.insert("", "end", iid=str(row.id), values=values,
                             tags=("withdrawn",) if row.status == "withdrawn" else ())
        for column_key, heading, *_ in COLUMNS:
            arrow = (" ▼" if self.sort_reverse else " ▲") if column_key == key else ""
            self.tree.heading(column_key, text=t(heading) + arrow)
        if selected and self.tree.exists(str(selected)):
            self.tree.selection_set(str(selected))
            self.tree.see(str(selected))
        self.count_label.configure(text=t("{n} 件", context="会員", n=len(self.rows)))

    def on_sort(self, key: str) -> None:
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        self.render()

    def selected_id(self) -> int | None:
        selection = self.tree.selection()
        return int(selection[0]) if selection else None

    def focus_table(self) -> None:
        children = self.tree.get_children()
        if children:
            self.tree.focus_set()
            if not self.tree.selection():
                self.tree.selection_set(children[0])
            self.tree.focus(self.tree.selection()[0])

    def on_open(self) -> None:
        member_id = self.selected_id()
        if member_id is not None:
            MemberDialog(self, self.app, member_id, on_saved=self.on_saved)

    def on_new(self) -> None:
        MemberDialog(self, self.app, None, on_saved=self.on_saved)

    def on_saved(self, member_id: int | None, message: str) -> None:
        self.refresh()
        if member_id is not None and self.tree.exists(str(member_id)):
            self.tree.selection_set(str(member_id))
            self.tree.see(str(member_id))
        feedback.notify(self, message)

    def on_import(self) -> None:
        path = filedialog.askopenfilename(
            parent=self, title=t("会員のインポート"),
            filetypes=[(t("Excel / CSV"), "*.xlsx *.csv"), (t("すべてのファイル"), "*.*")])
        if path:
            MemberImportDialog(self, self.app, Path(path), on_done=self.on_saved)

    def on_export(self) -> None:
        path = filedialog.asksaveasfilename(
            parent=self, title=t("会員のエクスポート"), defaultextension=".xlsx", initialfile="会員名簿.xlsx",
            filetypes=[(t("Excel ブック"), "*.xlsx"), (t("CSV (UTF-8)"), "*.csv")])
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Export every member (not only the filtered ones) off the Tk thread."""
        file_format = members_io.format_for(path.name)
        feedback.write_file_with_progress(
            self, self.app.db, path, lambda session: members_io.export_bytes(members.all_members(session), file_format))

    def on_template(self) -> None:
        path = filedialog.asksaveasfilename(
            parent=self, title=t("インポート用テンプレート"), defaultextension=".xlsx",
            initialfile="会員インポート用.xlsx", filetypes=[(t("Excel ブック"), "*.xlsx"), (t("CSV (UTF-8)"), "*.csv")])
        if path:
            write_atomic(Path(path), members_io.template_bytes(members_io.format_for(path)))
            feedback.notify(self, t("書き出しました: {path}", path=path))


def _code_of(choices: dict[str, str], shown: str) -> str | None:
    return next((code for code, label in choices.items() if t(label) == shown), None)
