"""FlowFrame: children side by side, wrapping to the next line when the width runs out (figure cards).

    cards = FlowFrame(parent, gap=8); ttk.Label(cards, …); cards.reflow()   # after adding or removing children
"""

from __future__ import annotations

import ttkbootstrap as ttk


class FlowFrame(ttk.Frame):
    def __init__(self, parent, gap: int = 8, **kwargs):
        super().__init__(parent, **kwargs)
        self.gap = gap
        self._width = 0
        self.bind("<Configure>", lambda event: self.reflow(event.width) if event.width != self._width else None)

    def reflow(self, width: int | None = None) -> None:
        """Place the children in rows no wider than the frame (its parent's width before it is shown)."""
        self.update_idletasks()
        width = width or self.winfo_width()
        if width <= 1:
            width = self.master.winfo_width()
        self._width = width
        row = column = used = 0
        for child in self.winfo_children():
            needed = child.winfo_reqwidth() + self.gap
            if column and used + needed > width:
                row, column, used = row + 1, 0, 0
            child.grid(row=row, column=column, padx=(0, self.gap), pady=(0, self.gap), sticky="nw")
            column, used = column + 1, used + needed
