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

import time
import tkinter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from operator import attrgetter
from tkinter import font as tkfont
from typing import Any

import ttkbootstrap as ttk

from tama_desk.domain.dates import format_date
from tama_desk.domain.kana import gojuon_key
from tama_desk.domain.money import format_yen
from tama_desk.i18n import t
from tama_desk.ui.widgets.celltip import CellTip
from tama_desk.ui.widgets.measure import held_font, pixels
from tama_desk.ui.widgets.values import wareki_for

TAG_COLOURS = {"overdue": "#b02a37", "unpaid": "#b02a37", "danger": "#b02a37", "partial": "#b35c00",
               "warning": "#b35c00", "cancelled": "#8a8f98", "muted": "#8a8f98", "withdrawn": "#8a8f98",
               "excluded": "#8a8f98", "none": "#8a8f98", "auto": "#146c43", "success": "#146c43"}
KANA_KEYS = {"kana", "reading", "furigana"}
FIRST_ROWS = 120  # inserted at once: more than a screen shows
ALL_AT_ONCE = 400  # a table this small is inserted in one go
CHUNK_SECONDS = 0.012  # the rest in chunks this long, input handled between them
CHUNK_PAUSE_MS = 1


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


_MAPPING_TYPES: dict[type, bool] = {}  # isinstance(row, Mapping) by the row's type (an ABC check is slow)


def cell(row: Any, key: str) -> Any:
    kind = type(row)
    mapping = _MAPPING_TYPES.get(kind)
    if mapping is None:
        mapping = _MAPPING_TYPES[kind] = isinstance(row, Mapping)
    return row.get(key) if mapping else getattr(row, key, None)


def cells(rows: list[Any], key: str) -> list[Any]:
    """cell(row, key) of every row; rows of one type (the usual case) read in one go."""
    if len(set(map(type, rows))) == 1 and "." not in key:  # attrgetter would follow a dotted name
        if isinstance(rows[0], Mapping):
            return [row.get(key) for row in rows]
        try:
            return list(map(attrgetter(key), rows))
        except AttributeError:  # a row without it: None, as cell() has it
            pass
    return [cell(row, key) for row in rows]


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
        self._order: list[str] = []  # iids in the order shown
        self._position: dict[str, int] = {}  # iid → index in self._order
        self._texts: dict[str, list[str]] = {}  # iid → the cells' texts
        self._sort_cache: dict[str, dict[str, Any]] = {}  # column → iid → sort key (until the rows change)
        self._lo = self._hi = 0  # self._order[lo:hi] is in the Treeview
        self._made: dict[str, Any] = {}  # iid → the row its Tk item shows (None: outdated), attached or not
        self._obsolete: list[str] = []  # items whose rows are gone, deleted in chunks
        self._pending: str | None = None
        self.sort_key: str | None = sort_by
        self.sort_reverse = False
        self._sorted = False  # self._order is sorted by sort_key (not kept in the order given)
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
        self._tree_name = str(self.tree)
        self._see_when_mapped: str | None = None
        self.tree.bind("<Map>", self._on_map, add="+")
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
    # Every row stays in Python (self.rows in the order shown, their texts and sort keys cached). The Treeview
    # shows a contiguous slice of them, self._order[lo:hi]: the first screen is inserted at once, the rest in
    # time-boxed chunks scheduled with after(), so the window takes input in between. Whatever needs a row not
    # in the slice yet (select, Home/End) inserts up to it first. Tk items are kept when they leave the slice
    # (detached, cheap) and attached again when their row comes back (a sort, a search cleared); deleting them
    # is what costs, so items of rows that are gone are deleted in chunks too.
    def set_rows(self, rows: Iterable[Any], *, keep_order: bool = False) -> None:
        """Show `rows`, sorted by the current sort column (unless keep_order); the selection and the first
        visible row are kept. Rows equal to the ones shown, in the same order, cost no Tk call."""
        rows = list(rows)
        wareki = wareki_for(self)
        redraw = wareki != self.wareki  # every date written again
        if redraw:
            self.wareki = wareki
            self._texts.clear()
            self._made = dict.fromkeys(self._made)
        old = self._by_iid
        row_keys = self._row_keys(rows)
        order = list(map(str, row_keys))
        by_iid, keys = dict(zip(order, rows, strict=True)), dict(zip(order, row_keys, strict=True))
        # changed: a row shown before that is not equal to the fresh one (or is the same object, changed in place)
        changed = [iid for iid, row in by_iid.items()
                   if (shown := old.get(iid, _MISSING)) is not _MISSING and (shown is row or shown != row)]
        for iid in changed:
            self._texts.pop(iid, None)
            if iid in self._made:
                self._made[iid] = None  # its Tk item shows the old texts
        if len(self._texts) > len(by_iid):
            self._texts = {iid: texts for iid, texts in self._texts.items() if iid in by_iid}
        self._sort_cache.clear()
        previous, selected, top = self._order, self.selected(), self._top_key()
        self._by_iid, self._keys, self._order = by_iid, keys, order
        self._sorted = bool(self.sort_key) and not keep_order
        if self._sorted:
            self._sort_order()
        self.rows = [by_iid[iid] for iid in self._order]
        if self._order == previous and len(changed) <= FIRST_ROWS and not redraw:  # only a few rows changed: written in place
            for iid in changed:
                if self._lo <= self._position[iid] < self._hi:
                    self._make(iid)
            self.update_summary()
            return
        self._render(selected, top)

    def _render(self, selected=None, top: str | None = None) -> None:
        """Show self._order from its first row (or from the row `top`: the scroll position is kept)."""
        self._cancel_fill()
        count = len(self._order)
        self._position = {iid: index for index, iid in enumerate(self._order)}
        start = self._position.get(top, 0) if top is not None else 0
        made = self._made
        if all(made.get(iid) is row for iid, row in self._by_iid.items()):
            self._lo, self._hi = 0, count  # every row has its item: one reordering call
            shown = self._order
        else:
            self._lo = start if count > ALL_AT_ONCE else 0
            self._hi = count if count <= ALL_AT_ONCE else min(count, start + FIRST_ROWS)
            shown = self._order[self._lo:self._hi]
            for iid in shown:
                self._make(iid)
        self.tk.call(self._tree_name, "children", "", tuple(shown))  # every other item detached
        self.tree.yview_moveto(0)
        if start > self._lo:
            self.tree.yview_scroll(start - self._lo, "units")
        self._obsolete = [iid for iid in self._made if iid not in self._by_iid]
        if len(self._obsolete) <= ALL_AT_ONCE:
            self._delete_obsolete(len(self._obsolete))
        self._arrows()
        if selected is not None:
            self.select(selected, scroll=top is None)
        self.update_summary()
        if self.autosize:
            self.fit_columns()
        self._schedule_fill()

    def flush(self) -> None:
        """Every row in the Treeview now (tests; whatever needs the whole Treeview)."""
        self._cancel_fill()
        self._append(len(self._order))
        self._prepend(0)
        self._delete_obsolete(len(self._obsolete))

    def _values(self, iid: str) -> list[str]:
        texts = self._texts.get(iid)
        if texts is None:
            row = self._by_iid[iid]
            texts = self._texts[iid] = [self.text(column, row) for column in self.columns]
        return texts

    def _make(self, iid: str, where: str | int | None = None) -> None:
        """The row's Tk item exists and shows its texts; moved to `where` ("end", 0) when given. A new item
        lands at the end (attached)."""
        row = self._by_iid[iid]
        written = self._made.get(iid, _MISSING)
        tags = tuple(self.tag(row)) if self.tag else ()
        if written is _MISSING:
            self.tk.call(self._tree_name, "insert", "", "end" if where is None else where, "-id", iid,
                         "-values", tuple(self._values(iid)), "-tags", tags)
        else:
            if written is not row and (written is None or written != row):
                self.tk.call(self._tree_name, "item", iid, "-values", tuple(self._values(iid)), "-tags", tags)
            if where is not None:
                self.tk.call(self._tree_name, "move", iid, "", where)
        self._made[iid] = row

    def _append(self, stop: int) -> None:
        stop = min(stop, len(self._order))
        for index in range(self._hi, stop):
            self._make(self._order[index], "end")
        self._hi = max(self._hi, stop)

    def _prepend(self, stop: int) -> None:
        """Insert the rows from `stop` up to the first inserted one; the rows shown stay where they are."""
        stop = max(stop, 0)
        for index in range(self._lo - 1, stop - 1, -1):
            self._make(self._order[index], 0)
        if stop < self._lo:  # rows above the slice push it down: scroll back to the rows that were shown
            self.tree.yview_scroll(self._lo - stop, "units")
            self._lo = stop

    def _delete_obsolete(self, count: int) -> None:
        """Delete up to `count` Tk items whose rows are gone (detached, never shown again)."""
        batch = [iid for iid in self._obsolete[:count] if iid not in self._by_iid and iid in self._made]
        del self._obsolete[:count]
        if batch:
            self.tk.call(self._tree_name, "delete", tuple(batch))
            for iid in batch:
                del self._made[iid]

    def _complete(self) -> bool:
        return self._lo == 0 and self._hi == len(self._order) and not self._obsolete

    def _schedule_fill(self) -> None:
        if self._pending is None and not self._complete():
            self._pending = self.after(CHUNK_PAUSE_MS, self._fill)

    def _cancel_fill(self) -> None:
        if self._pending is not None:
            self.after_cancel(self._pending)
            self._pending = None

    def _fill(self) -> None:
        """One chunk of the rows not inserted yet (below the slice, then above it) for CHUNK_SECONDS, then
        the items of gone rows."""
        self._pending = None
        deadline = time.perf_counter() + CHUNK_SECONDS
        try:
            while time.perf_counter() < deadline and not self._complete():
                if self._hi < len(self._order):
                    self._append(self._hi + 50)
                elif self._lo > 0:
                    self._prepend(self._lo - 50)
                else:
                    self._delete_obsolete(500)
        except tkinter.TclError:  # destroyed meanwhile
            return
        self._schedule_fill()

    def _top_key(self) -> str | None:
        """The first visible row (its iid), when the table is scrolled away from the top."""
        inserted = self._hi - self._lo
        if not inserted:
            return None
        first = round(float(self.tree.yview()[0]) * inserted)
        index = self._lo + first
        return self._order[index] if first and index < len(self._order) else None

    def _ensure(self, index: int) -> None:
        """Row `index` (and half a screen around it) in the Treeview."""
        if index >= self._hi:
            self._append(index + FIRST_ROWS // 2)
        if index < self._lo:
            self._prepend(index - FIRST_ROWS // 2)

    def destroy(self) -> None:
        self._cancel_fill()
        super().destroy()

    def update_row(self, key: Any, row: Any) -> None:
        """Show a changed row in place (selection and order kept)."""
        iid = str(key)
        if iid not in self._by_iid:
            return
        index = self._position[iid]
        self.rows[index] = row
        self._replace(iid, key, row)
        if self._lo <= index < self._hi:
            self._make(iid)
        self.update_summary()

    def put_row(self, row: Any) -> None:
        """Show a new or changed row (a record just saved) where the sort puts it; the other rows, the selection
        and the scroll position stay. Only this row's texts and sort keys are worked out, not the table's."""
        iid = str(key := self.key_of(row, len(self._order)))
        old = self._position.get(iid)
        if old is not None:
            self._take_out(old)
        self._replace(iid, key, row)
        index = self._place(iid, len(self._order) if old is None else old)
        self._order.insert(index, iid)
        self.rows.insert(index, row)
        self._renumber(index if old is None else min(index, old))
        if self._lo <= index <= self._hi:  # among the rows shown (or next to them): inserted, or moved there
            self._hi += 1
            self._make(iid, index - self._lo)
        elif index < self._lo:  # above the slice shown: its item stays detached until the chunks reach it
            self._lo, self._hi = self._lo + 1, self._hi + 1
        self.update_summary()
        self._schedule_fill()

    def remove_row(self, key: Any) -> None:
        """A row gone (a record deleted, or no longer matching the search); the others stay as they are."""
        iid = str(key)
        index = self._position.get(iid)
        if index is None:
            return
        self._take_out(index)
        del self._by_iid[iid], self._keys[iid], self._position[iid]
        self._texts.pop(iid, None)
        for keys in self._sort_cache.values():
            keys.pop(iid, None)
        if iid in self._made:
            self.tk.call(self._tree_name, "delete", iid)
            del self._made[iid]
        self._renumber(index)
        self.update_summary()

    def _replace(self, iid: str, key: Any, row: Any) -> None:
        """The row behind `iid` is `row` now: its cached texts and sort keys follow, its Tk item is outdated."""
        self._by_iid[iid], self._keys[iid] = row, key
        self._texts.pop(iid, None)
        for column_key, keys in self._sort_cache.items():
            column = next(c for c in self.columns if c.key == column_key)
            keys[iid] = self._sort_value(column)(self.value_of(column, row))
        if iid in self._made:
            self._made[iid] = None

    def _take_out(self, index: int) -> None:
        """Row `index` out of the order (its Tk item detached, kept); the slice shown shifts to match."""
        iid = self._order.pop(index)
        del self.rows[index]
        if index < self._lo:
            self._lo, self._hi = self._lo - 1, self._hi - 1
        elif index < self._hi:
            self._hi -= 1
            self.tk.call(self._tree_name, "detach", iid)

    def _place(self, iid: str, unsorted: int) -> int:
        """Where row `iid` (not in self._order) goes to keep the order sorted: after its equals, where a stable
        sort leaves a row that came last. `unsorted`: the place when the rows are in the order given."""
        column = next((c for c in self.columns if c.key == self.sort_key), None) if self._sorted else None
        if column is None:
            return min(unsorted, len(self._order))
        keys = self._sort_keys(column)
        wanted, order, reverse = keys[iid], self._order, self.sort_reverse
        low, high = 0, len(order)
        while low < high:
            middle = (low + high) // 2
            if (keys[order[middle]] < wanted) if reverse else (wanted < keys[order[middle]]):
                high = middle
            else:
                low = middle + 1
        return low

    def _renumber(self, start: int) -> None:
        """self._position again from `start` on (the rows before it kept their places)."""
        order, position = self._order, self._position
        for index in range(start, len(order)):
            position[order[index]] = index

    def key_of(self, row: Any, index: int) -> Any:
        if callable(self.key):
            return self.key(row)
        found = cell(row, self.key)
        return index if found is None else found

    def _row_keys(self, rows: list[Any]) -> list[Any]:
        """key_of every row, at once."""
        if callable(self.key):
            return [self.key(row) for row in rows]
        found = cells(rows, self.key)
        if None in found:
            return [index if key is None else key for index, key in enumerate(found)]
        return found

    def text(self, column: Column, row: Any) -> str:
        return self.value_text(column, column.value(row) if column.value else cell(row, column.key))

    def value_text(self, column: Column, value: Any) -> str:
        """A value as its column shows it."""
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
        for column in self.columns:
            index = self.columns.index(column)
            texts = [t(column.label) + " ▲"] + [self._values(iid)[index] for iid in self._order[:200]]
            needed = max(pixels(self, text) for text in texts) + 16
            if needed > int(self.tree.column(column.key, "width")):
                self.tree.column(column.key, width=needed)

    # -- sorting ----------------------------------------------------------------------------------
    def on_heading(self, key: str) -> None:
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        self._resort()

    def sort_by(self, key: str, reverse: bool = False) -> None:
        self.sort_key, self.sort_reverse = key, reverse
        self._resort()

    def _resort(self) -> None:
        self._sorted = True
        self._sort_order()
        self.rows = [self._by_iid[iid] for iid in self._order]
        self._render(self.selected())

    def _sort_order(self) -> None:
        """Sort self._order by the sort column; each row's key is computed once per set of rows."""
        column = next((c for c in self.columns if c.key == self.sort_key), None)
        if column is not None:
            self._order.sort(key=self._sort_keys(column).__getitem__, reverse=self.sort_reverse)

    def _sort_keys(self, column: Column) -> dict[str, Any]:
        """iid → the row's sort key in `column`, for every row (cached until the rows change)."""
        keys = self._sort_cache.get(column.key)
        if keys is None:
            sort_value = self._sort_value(column)
            rows = list(self._by_iid.values())
            values = list(map(column.value, rows)) if column.value else cells(rows, column.key)
            if (column.sort or self._guess_mode(column)) == "kana":  # names: hardly two alike, gojuon_key cached
                sort_keys = [(1, gojuon_key(value)) if type(value) is str and value else sort_value(value)
                             for value in values]
                keys = self._sort_cache[column.key] = dict(zip(self._by_iid, sort_keys, strict=True))
                return keys
            known: dict[str, Any] = {}  # a text's key (many rows share a 区分, a 状態 …)
            sort_keys = []
            for value in values:
                if type(value) is str:
                    found = known.get(value)
                    if found is None:
                        found = known[value] = sort_value(value)
                    sort_keys.append(found)
                else:
                    sort_keys.append(sort_value(value))
            keys = self._sort_cache[column.key] = dict(zip(self._by_iid, sort_keys, strict=True))
        return keys

    def _sort_value(self, column: Column) -> Callable[[Any], Any]:
        """The sort key of a value of `column`."""
        mode = column.sort or self._guess_mode(column)

        def sort_value(value):
            if value is None or value == "":
                return (0, "")
            if mode == "kana":
                text = str(value)
                return (1, gojuon_key(text))  # cached
            if mode == "number":
                return (1, _number(value))
            if mode == "date":
                return (1, value if isinstance(value, date) else str(value))
            if column.choices is not None:
                return (1, self.value_text(column, value))
            return (1, str(value))

        return sort_value

    def _guess_mode(self, column: Column) -> str:
        sample = next((self.value_of(column, row) for row in self._by_iid.values()
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
        """Every row's key in the order shown (inserted in the Treeview or not yet)."""
        return [self._keys[iid] for iid in self._order]

    def select(self, key: Any, *, scroll: bool = True) -> bool:
        iid = str(key)
        index = self._position.get(iid)
        if index is None:
            return False
        self._ensure(index)
        self.tree.selection_set(iid)
        self.tree.focus(iid)
        if scroll:
            self._see(iid)
        return True

    def _see(self, iid: str) -> None:
        """Scroll to the row. An unmapped Treeview has no visible rows, and Tk's `see` then scrolls one row
        past the first (the table opened with its first row hidden): wait until it is shown."""
        if self.tree.winfo_ismapped() and self.tree.winfo_height() > 1:
            self.tree.see(iid)
        else:
            self._see_when_mapped = iid

    def _on_map(self, _event=None) -> None:
        iid, self._see_when_mapped = self._see_when_mapped, None
        if iid is not None and self.tree.exists(iid):
            self.tree.update_idletasks()
            self.tree.see(iid)

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
        if self._order:
            self.select(self._keys[self._order[index]])
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


_MISSING = object()


def _heading_font(widget) -> tkfont.Font:
    return held_font(widget, ttk.Style().lookup("Treeview.Heading", "font") or "TkHeadingFont")


def _number(value: Any) -> float:
    if isinstance(value, int | float | Decimal | Fraction):
        return float(value)
    text = str(value).replace(",", "").replace("円", "").replace("%", "").strip()
    try:
        return float(text)
    except ValueError:
        return float("-inf")
