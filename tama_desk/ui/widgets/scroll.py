"""A frame whose content scrolls vertically (canvas + scrollbar, mouse wheel) when taller than its space.

Put children into `.inner`. The canvas asks for the content's natural size, so a window sized from its
request shows everything when it fits; the scrollbar appears only when it does not.
"""

from __future__ import annotations

import sys
import tkinter

import ttkbootstrap as ttk

# widgets that scroll themselves: the wheel over them is theirs
_OWN_SCROLL = {"Treeview", "Text", "Listbox", "TCombobox", "Canvas"}


class ScrollFrame(ttk.Frame):
    def __init__(self, parent, padding=0, **kwargs):
        super().__init__(parent, **kwargs)
        self.canvas = tkinter.Canvas(self, highlightthickness=0, borderwidth=0)
        self.scrollbar = ttk.Scrollbar(self, orient="vertical", command=self.canvas.yview)
        self.canvas.configure(yscrollcommand=self.scrollbar.set)
        self.canvas.pack(side="left", fill="both", expand=True)
        self.inner = ttk.Frame(self.canvas, padding=padding)
        self._item = self.canvas.create_window(0, 0, window=self.inner, anchor="nw")
        self.inner.bind("<Configure>", lambda _e: self._content_changed())
        self.canvas.bind("<Configure>", lambda _e: self._space_changed())
        self.bind("<Map>", lambda _e: self._space_changed())
        style = ttk.Style()
        background = style.lookup("TFrame", "background") or None
        if background:
            self.canvas.configure(background=background)
        top = self.winfo_toplevel()
        for sequence in ("<MouseWheel>", "<Button-4>", "<Button-5>"):
            top.bind(sequence, self._on_wheel, add="+")

    # -- sizes ------------------------------------------------------------------------------------
    def _content_changed(self) -> None:
        self.canvas.configure(width=self.inner.winfo_reqwidth(), height=self.inner.winfo_reqheight(),
                              scrollregion=(0, 0, self.inner.winfo_reqwidth(), self.inner.winfo_reqheight()))
        self._space_changed()

    def _space_changed(self) -> None:
        width = self.canvas.winfo_width()
        if width > 1:
            self.canvas.itemconfigure(self._item, width=width)
        if self.scrollable():
            if not self.scrollbar.winfo_ismapped():
                self.scrollbar.pack(side="right", fill="y", before=self.canvas)
        else:
            if self.scrollbar.winfo_ismapped():
                self.scrollbar.pack_forget()
            self.canvas.yview_moveto(0)

    def scrollable(self) -> bool:
        height = self.canvas.winfo_height()
        return height > 1 and self.inner.winfo_reqheight() > height + 1

    # -- the wheel --------------------------------------------------------------------------------
    def _on_wheel(self, event) -> None:
        widget = event.widget
        if not isinstance(widget, tkinter.Misc) or not self.scrollable() or not self._contains(widget):
            return
        if widget.winfo_class() in _OWN_SCROLL and widget is not self.canvas:
            return
        if event.num == 4:
            step = -1
        elif event.num == 5:
            step = 1
        else:
            step = -1 if event.delta > 0 else 1
            if sys.platform == "darwin":
                step = -event.delta
        self.canvas.yview_scroll(step * 3, "units")

    def _contains(self, widget) -> bool:
        path, own = str(widget), str(self)
        return path == own or path.startswith(own + ".")

    def see(self, widget) -> None:
        """Scroll so that `widget` (inside `.inner`) is visible, e.g. when focus moves to it."""
        if not self.scrollable():
            return
        top = widget.winfo_rooty() - self.inner.winfo_rooty()
        bottom = top + widget.winfo_height()
        total, shown = self.inner.winfo_reqheight(), self.canvas.winfo_height()
        first = self.canvas.canvasy(0)
        if top < first:
            self.canvas.yview_moveto(top / total)
        elif bottom > first + shown:
            self.canvas.yview_moveto((bottom - shown) / total)
