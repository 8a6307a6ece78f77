"""DataTable: a Treeview with a column spec, sorting on every heading, row tags, Enter/double-click to open,
an optional count and totals line, a vertical scrollbar, and a tip with the whole text of a cell its column cuts.

    table = DataTable(parent, [Column("number", "番号", 70), Column("kana", "フリガナ", 200, sort="kana"),
                               Column("total", "請求額", 100, format="yen", total=True),
                               Column("status", "状態", 80, choices=STATUS_LABELS)],
                      on_open=self.on_open, key="id", tag=lambda row: ("overdue",) if row.overdue else ())
    table.set_rows(rows)              # dicts or objects; `key` names the attribute that identifies a row
    table.selected()  -> key | None   table.select(key)   table.row(key)   table.tree (the Treeview)
"""

from __future__ import annotations

import tkinter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from tkinter import font as tkfont
from typing import Any

import ttkbootstrap as ttk

from tama_desk.domain.dates import format_date
from tama_desk.domain.kana import gojuon_key
from tama_desk.domain.money import format_yen
from tama_desk.i18n import t
from tama_desk.ui.widgets.celltip import CellTip
from tama_desk.ui.widgets.values import wareki_for

TAG_COLOURS = {"overdue": "#b02a37", "unpaid": "#b02a37", "danger": "#b02a37", "partial": "#b35c00",
               "warning": "#b35c00", "cancelled": "#8a8f98", "muted": "#8a8f98", "withdrawn": "#8a8f98",
               "excluded": "#8a8f98", "none": "#8a8f98", "auto": "#146c43", "success": "#146c43"}
KANA_KEYS = {"kana", "reading", "furigana"}


@dataclass
class Column:
    """key: the row's attribute (or dict key); label: the heading (translated); width in pixels;
    anchor "w"/"center"/"e"; format: "yen", "date", "datetime" or a callable(value) -> str;
    choices: code → label (shown translated); sort: "kana", "number", "date", "text" or None (from the values);
    value: callable(row) -> value for computed cells; total: sum this column in the totals line; stretch: take
    the spare width."""

    key: str
    label: str
    width: int = 100
    anchor: str = "w"
    format: str | Callable[[Any], str] | None = None
    choices: Mapping | None = None
    sort: str | None = None
    value: Callable[[Any], Any] | None = None
    total: bool = False
    stretch: bool = False

    def __post_init__(self):
        if self.format == "yen" and self.anchor == "w":
            self.anchor = "e"
        if self.sort is None and self.key in KANA_KEYS:
            self.sort = "kana"


def cell(row: Any, key: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(key)
    return getattr(row, key, None)


class DataTable(ttk.Frame):
    def __init__(self, parent, columns: list[Column], *, on_open: Callable[[Any], object] | None = None,
                 on_select: Callable[[Any], object] | None = None, key: str | Callable[[Any], Any] = "id",
                 tag: Callable[[Any], Iterable[str]] | None = None, height: int = 10, selectmode: str = "browse",
                 summary: bool = False, sortable: bool = True, sort_by: str | None = None, autosize: bool = False):
        super().__init__(parent)
        self.columns = columns
        self.on_open, self.on_select = on_open, on_select
        self.key, self.tag = key, tag
        self.sortable, self.autosize = sortable, autosize
        self.rows: list[Any] = []
        self._by_iid: dict[str, Any] = {}
        self._keys: dict[str, Any] = {}
        self._gojuon: dict[str, str] = {}
        self.sort_key: str | None = sort_by
        self.sort_reverse = False
        self.summary_label = ttk.Label(self, bootstyle="secondary", anchor="e") if summary or any(
            c.total for c in columns) else None
        if self.summary_label is not None:
            self.summary_label.pack(side="bottom", fill="x", pady=(4, 0))
        self.scrollbar = ttk.Scrollbar(self, orient="vertical")
        self.scrollbar.pack(side="right", fill="y")  # packed before the tree: kept when the space is narrow
        self.hscrollbar = ttk.Scrollbar(self, orient="horizontal")  # shown only when the columns do not fit
        self.tree = ttk.Treeview(self, columns=[c.key for c in columns], show="headings", selectmode=selectmode,
                                 height=height, yscrollcommand=self.scrollbar.set, xscrollcommand=self._on_xscroll)
        self.scrollbar.configure(command=self.tree.yview)
        self.hscrollbar.configure(command=self.tree.xview)
        self.tree.pack(side="left", fill="both", expand=True)
        heading_font = _heading_font(self)
        for column in columns:
            self.tree.heading(column.key, text=t(column.label), anchor="center",
                              command=(lambda k=column.key: self.on_heading(k)) if sortable else "")
            # a heading is never cut: in English (or with the sort arrow) a column may need more than its width
            width = max(column.width, heading_font.measure(t(column.label) + (" ▲" if sortable else "")) + 16)
            self.tree.column(column.key, width=width, minwidth=min(width, 40), anchor=column.anchor,
                             stretch=column.stretch)
        for name, colour in TAG_COLOURS.items():
            self.tree.tag_configure(name, foreground=colour)
        self.tree.bind("<Double-1>", self._on_double, add="+")
        self.tree.bind("<Return>", lambda _e: self.open_selected(), add="+")
        self.tree.bind("<KP_Enter>", lambda _e: self.open_selected(), add="+")
        self.tree.bind("<Home>", lambda _e: self._jump(0), add="+")
        self.tree.bind("<End>", lambda _e: self._jump(-1), add="+")
        self.tree.bind("<<TreeviewSelect>>", lambda _e: self.on_select and self.on_select(self.selected()), add="+")
        self.tip = CellTip(self.tree)  # a cell cut by its column's width shows its whole text on hover
        self.wareki = wareki_for(self)
        self.update_summary()

    def _on_xscroll(self, first: str, last: str) -> None:
        self.hscrollbar.set(first, last)
        needed = float(first) > 0.0 or float(last) < 1.0
        if needed and not self.hscrollbar.winfo_ismapped():
            self.hscrollbar.pack(side="bottom", fill="x", before=self.tree)
        elif not needed and self.hscrollbar.winfo_ismapped():
            self.hscrollbar.pack_forget()

    # -- filling ----------------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[Any], *, keep_order: bool = False) -> None:
        """Show `rows`, sorted by the current sort column (unless keep_order); the selection is kept."""
        selected = self.selected()
        self.rows = list(rows)
        if self.sort_key and not keep_order:
            self._sort_rows()
        self._render(selected)

    def _render(self, selected=None) -> None:
        self.wareki = wareki_for(self)
        self.tree.delete(*self.tree.get_children())
        self._by_iid.clear()
        self._keys.clear()
        for index, row in enumerate(self.rows):
            key = self.key_of(row, index)
            iid = str(key)
            self._by_iid[iid], self._keys[iid] = row, key
            tags = tuple(self.tag(row)) if self.tag else ()
            self.tree.insert("", "end", iid=iid, values=[self.text(column, row) for column in self.columns],
                             tags=tags)
        self._arrows()
        if selected is not None:
            self.select(selected)
        self.update_summary()
        if self.autosize:
            self.fit_columns()

    def update_row(self, key: Any, row: Any) -> None:
        """Show a changed row in place (selection and order kept)."""
        iid = str(key)
        old = self._by_iid.get(iid)
        if old is None:
            return
        self.rows[self.rows.index(old)] = row
        self._by_iid[iid] = row
        self.tree.item(iid, values=[self.text(column, row) for column in self.columns],
                       tags=tuple(self.tag(row)) if self.tag else ())
        self.update_summary()

    def key_of(self, row: Any, index: int) -> Any:
        if callable(self.key):
            return self.key(row)
        found = cell(row, self.key)
        return index if found is None else found

    def text(self, column: Column, row: Any) -> str:
        value = column.value(row) if column.value else cell(row, column.key)
        if value is None:
            return ""
        if column.choices is not None:
            return t(column.choices.get(value, value)) if isinstance(column.choices.get(value, value), str) \
                else str(value)
        if callable(column.format):
            return column.format(value)
        if column.format == "yen":
            return format_yen(value)
        if column.format == "date":
            return format_date(value.date() if isinstance(value, datetime) else value, wareki=self.wareki)
        if column.format == "datetime":
            return f"{value:%Y-%m-%d %H:%M}"
        if isinstance(value, date):
            return format_date(value, wareki=self.wareki)
        return str(value)

    def update_summary(self) -> None:
        if self.summary_label is None:
            return
        parts = [t("{n} 件", n=len(self.rows))]
        for column in self.columns:
            if column.total:
                total = sum(self.value_of(column, row) or 0 for row in self.rows)
                parts.append(t("{label} {amount}円", label=t(column.label), amount=format_yen(total)))
        self.summary_label.configure(text="　".join(parts))

    def value_of(self, column: Column, row: Any) -> Any:
        return column.value(row) if column.value else cell(row, column.key)

    def fit_columns(self) -> None:
        """Widen columns whose heading or cells need more than their width (never narrower)."""
        from tama_desk.ui.widgets.measure import pixels

        for column in self.columns:
            texts = [t(column.label) + " ▲"] + [self.tree.set(iid, column.key) for iid in self.tree.get_children()[:200]]
            needed = max(pixels(self, text) for text in texts) + 16
            if needed > int(self.tree.column(column.key, "width")):
                self.tree.column(column.key, width=needed)

    # -- sorting ----------------------------------------------------------------------------------
    def on_heading(self, key: str) -> None:
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        self._sort_rows()
        self._render(self.selected())

    def sort_by(self, key: str, reverse: bool = False) -> None:
        self.sort_key, self.sort_reverse = key, reverse
        self._sort_rows()
        self._render(self.selected())

    def _sort_rows(self) -> None:
        column = next((c for c in self.columns if c.key == self.sort_key), None)
        if column is None:
            return
        mode = column.sort or self._guess_mode(column)

        def sort_value(row):
            value = self.value_of(column, row)
            if value is None or value == "":
                return (0, "")
            if mode == "kana":
                text = str(value)
                return (1, self._gojuon.setdefault(text, gojuon_key(text)))
            if mode == "number":
                return (1, _number(value))
            if mode == "date":
                return (1, value if isinstance(value, date) else str(value))
            if column.choices is not None:
                return (1, self.text(column, row))
            return (1, str(value))

        self.rows.sort(key=sort_value, reverse=self.sort_reverse)

    def _guess_mode(self, column: Column) -> str:
        sample = next((self.value_of(column, row) for row in self.rows
                       if self.value_of(column, row) not in (None, "")), None)
        if isinstance(sample, bool):
            return "text"
        if isinstance(sample, int | float | Decimal | Fraction):
            return "number"
        if isinstance(sample, date):
            return "date"
        return "text"

    def _arrows(self) -> None:
        for column in self.columns:
            arrow = (" ▼" if self.sort_reverse else " ▲") if column.key == self.sort_key and self.sortable else ""
            self.tree.heading(column.key, text=t(column.label) + arrow)

    # -- selection and opening --------------------------------------------------------------------
    def selected(self) -> Any:
        selection = self.tree.selection()
        return self._keys.get(selection[0]) if selection else None

    def selected_row(self) -> Any:
        selection = self.tree.selection()
        return self._by_iid.get(selection[0]) if selection else None

    def row(self, key: Any) -> Any:
        return self._by_iid.get(str(key))

    def keys(self) -> list[Any]:
        return [self._keys[iid] for iid in self.tree.get_children()]

    def select(self, key: Any) -> bool:
        iid = str(key)
        if not self.tree.exists(iid):
            return False
        self.tree.selection_set(iid)
        self.tree.focus(iid)
        self.tree.see(iid)
        return True

    def focus_first(self) -> None:
        """Focus the table with the selection (or the first row) focused: ↑/↓ then move, Enter opens."""
        children = self.tree.get_children()
        if not children:
            return
        self.tree.focus_set()
        if not self.tree.selection():
            self.tree.selection_set(children[0])
        self.tree.focus(self.tree.selection()[0])
        self.tree.see(self.tree.selection()[0])

    def _jump(self, index: int) -> str:
        children = self.tree.get_children()
        if children:
            self.select(self._keys[children[index]])
        return "break"

    def _on_double(self, event) -> str | None:
        if self.tree.identify_region(event.x, event.y) == "heading":
            return None
        row = self.tree.identify_row(event.y)
        if row:
            self.tree.selection_set(row)
        return self.open_selected()

    def open_selected(self) -> str | None:
        key = self.selected()
        if key is not None and self.on_open is not None:
            self.on_open(key)
            return "break"
        return None

    def open_first(self) -> None:
        """The first row selected and opened (Enter in a search box above the table)."""
        keys = self.keys()
        if keys and self.on_open is not None:
            self.select(keys[0])
            self.on_open(keys[0])

    def clear(self) -> None:
        self.set_rows([])


def _heading_font(widget) -> tkfont.Font:
    family = ttk.Style().lookup("Treeview.Heading", "font") or "TkHeadingFont"
    try:
        return tkfont.nametofont(family, widget)
    except tkinter.TclError:
        return tkfont.Font(widget, font=family)


def _number(value: Any) -> float:
    if isinstance(value, int | float | Decimal | Fraction):
        return float(value)
    text = str(value).replace(",", "").replace("円", "").replace("%", "").strip()
    try:
        return float(text)
    except ValueError:
        return float("-inf")
