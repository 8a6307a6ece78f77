"""CellTip: the full text of a table cell that its column is too narrow to show, in a small tip beside the
pointer while it rests on the cell (a long 会員名, 支払先 or 内容 cut by the column width).

    CellTip(tree)      # DataTable does this for every table
"""

from __future__ import annotations

import tkinter
from tkinter import font as tkfont

import ttkbootstrap as ttk

from tama_desk.ui.widgets.measure import held_font

DELAY_MS = 350  # resting this long on a clipped cell shows the tip
CELL_PADDING = 10  # pixels a Treeview cell keeps around its text
TIP_WRAP = 520


class CellTip:
    def __init__(self, tree: ttk.Treeview):
        self.tree = tree
        self.window: tkinter.Toplevel | None = None
        self.label: tkinter.Label | None = None
        self.cell: tuple[str, str] | None = None  # (row iid, column key) under the pointer
        self.pending: str | None = None
        tree.bind("<Motion>", self.on_motion, add="+")
        for sequence in ("<Leave>", "<ButtonPress>", "<KeyPress>", "<MouseWheel>", "<Unmap>"):
            tree.bind(sequence, lambda _e: self.hide(), add="+")

    def font(self) -> tkfont.Font:
        return held_font(self.tree, ttk.Style().lookup("Treeview", "font") or "TkDefaultFont")

    def cell_at(self, x: int, y: int) -> tuple[str, str] | None:
        if self.tree.identify_region(x, y) != "cell":
            return None
        iid, column = self.tree.identify_row(y), self.tree.identify_column(x)
        if not iid or not column.startswith("#") or column == "#0":
            return None
        shown = self.tree["displaycolumns"]
        keys = self.tree["columns"] if not shown or tuple(shown) == ("#all",) else shown
        index = int(column[1:]) - 1
        return (iid, keys[index]) if 0 <= index < len(keys) else None

    def clipped_text(self, iid: str, key: str) -> str | None:
        """The cell's text when it does not fit its column, else None."""
        text = str(self.tree.set(iid, key))
        width = int(self.tree.column(key, "width"))
        if text and self.font().measure(text) + CELL_PADDING > width:
            return text
        return None

    def on_motion(self, event: tkinter.Event) -> None:
        cell = self.cell_at(event.x, event.y)
        if cell == self.cell:
            return
        self.hide()
        self.cell = cell
        if cell is not None and self.clipped_text(*cell):
            self.pending = self.tree.after(DELAY_MS, lambda: self.show(event.x_root, event.y_root))

    def show(self, x_root: int, y_root: int) -> None:
        self.pending = None
        if self.cell is None or not self.tree.exists(self.cell[0]):
            return
        text = self.clipped_text(*self.cell)
        if not text:
            return
        self.window = tkinter.Toplevel(self.tree)
        self.window.overrideredirect(True)
        self.window.attributes("-topmost", True)
        self.label = tkinter.Label(self.window, text=text, justify="left", wraplength=TIP_WRAP, background="#fffbe6",
                                   foreground="#212529", relief="solid", borderwidth=1, padx=6, pady=3,
                                   font=self.font())
        self.label.pack()
        self.window.update_idletasks()
        right = self.tree.winfo_screenwidth() - self.window.winfo_reqwidth() - 4
        self.window.geometry(f"+{max(0, min(x_root + 12, right))}+{y_root + 18}")

    @property
    def text(self) -> str:
        """What the tip shows now ("" when hidden)."""
        return str(self.label.cget("text")) if self.window is not None and self.label is not None else ""

    def hide(self) -> None:
        if self.pending is not None:
            self.tree.after_cancel(self.pending)
            self.pending = None
        if self.window is not None:
            self.window.destroy()
            self.window = self.label = None
        self.cell = None
