"""SearchBox: 「検索 (Ctrl+F)」 and an entry that searches as you type (debounced).

    SearchBox(bar, on_search=self.refresh, on_leave=self.table.focus_first, on_enter=self.open_first)

Enter runs a search still waiting for its pause, then `on_enter` (open the first match; by default `on_leave`);
↓ runs it too, then `on_leave` (move into the table)."""

from __future__ import annotations

from collections.abc import Callable

import ttkbootstrap as ttk

from tama_desk.i18n import t

SEARCH_DELAY_MS = 200


class SearchBox:
    """「検索 (Ctrl+F)」 and an entry that calls `on_search` once typing pauses (smooth with 10,000 rows)."""

    def __init__(self, bar: ttk.Frame, on_search: Callable[[], None], on_leave: Callable[[], object], width: int = 22,
                 on_enter: Callable[[], object] | None = None):
        ttk.Label(bar, text=t("検索") + " (Ctrl+F)").pack(side="left")
        self.var = ttk.StringVar()
        self.entry = ttk.Entry(bar, textvariable=self.var, width=width)
        self.entry.pack(side="left", padx=(6, 12))
        self.on_search = on_search
        self.pending: str | None = None
        self.var.trace_add("write", lambda *_: self.on_typed())
        enter = on_enter or on_leave
        for key, action in (("<Return>", enter), ("<KP_Enter>", enter), ("<Down>", on_leave)):
            self.entry.bind(key, lambda _e, run=action: (self.flush(), run(), "break")[2])

    def on_typed(self) -> None:
        if self.pending is not None:
            self.entry.after_cancel(self.pending)
        self.pending = self.entry.after(SEARCH_DELAY_MS, self.fire)

    def flush(self) -> None:
        """Run the search now if typing has not paused yet (Enter right after typing)."""
        if self.pending is not None:
            self.entry.after_cancel(self.pending)
            self.fire()

    def fire(self) -> None:
        self.pending = None
        self.on_search()

    def get(self) -> str:
        return self.var.get()

    def focus(self) -> None:
        self.entry.focus_set()
        self.entry.select_range(0, "end")
