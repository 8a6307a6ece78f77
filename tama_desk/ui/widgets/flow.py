"""FlowFrame: children side by side, wrapping to the next line when the width runs out (figure cards).

    cards = FlowFrame(parent, gap=8); ttk.Label(cards, …); cards.reflow()   # after adding or removing children
"""

from __future__ import annotations

import ttkbootstrap as ttk


class FlowFrame(ttk.Frame):
    def __init__(self, parent, gap: int = 8, **kwargs):
        super().__init__(parent, **kwargs)
        self.gap = gap
        self._width = 0  # the width the children are placed for (0: placed for none yet)
        self.bind("<Configure>", lambda event: self.reflow(event.width) if event.width != self._width else None)

    def reflow(self, width: int | None = None) -> None:
        """Place the children in rows no wider than the frame.

        A frame not laid out yet (a view being built) puts them on one row for now and places them when it gets
        its width (<Configure>, by then Tk has worked out the children's sizes): working the layout out at once
        (update_idletasks) laid out and drew the whole window half-built, 10-80 ms every time."""
        if width is None:
            if self.winfo_width() <= 1:
                self._width = 0
                for column, child in enumerate(self.winfo_children()):
                    child.grid(row=0, column=column, padx=(0, self.gap), pady=(0, self.gap), sticky="nw")
                return
            self.update_idletasks()  # children just added to a frame on screen: their sizes first
            width = self.winfo_width()
        self._width = width
        row = column = used = 0
        for child in self.winfo_children():
            needed = child.winfo_reqwidth() + self.gap
            if column and used + needed > width:
                row, column, used = row + 1, 0, 0
            child.grid(row=row, column=column, padx=(0, self.gap), pady=(0, self.gap), sticky="nw")
            column, used = column + 1, used + needed
