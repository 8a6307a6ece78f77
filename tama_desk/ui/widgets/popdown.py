"""Combobox lists made when first opened, not when the combobox is made.

ttkbootstrap styles a combobox's drop-down list (a Tcl toplevel with a listbox and a scrollbar) as soon as the
combobox is created, so every combobox makes that toplevel at once: about a hundred X requests and 2 ms each,
which made a dialog or a view with a few comboboxes visibly slower to open. Tk itself makes the list when it is
first posted; `install` restores that, and styles the list then (through the combobox's -postcommand, which Tk
runs just before it makes the list), with the colours of the theme in use at that moment."""

from __future__ import annotations

from ttkbootstrap.style.builders_ttk import StyleBuilderTTK

_eager = StyleBuilderTTK.update_combobox_popdown_style


def _deferred(builder: StyleBuilderTTK, widget) -> None:
    made = int(widget.tk.call("winfo", "exists", f"{widget}.popdown"))
    if made or str(widget.cget("postcommand")):  # a list already made, or a combobox with its own postcommand
        _eager(builder, widget)
        return

    def style_when_first_posted() -> None:
        widget.configure(postcommand="")
        _eager(builder, widget)

    widget.configure(postcommand=style_when_first_posted)


def install() -> None:
    """Once per process, before the first combobox is made (main_window does it)."""
    StyleBuilderTTK.update_combobox_popdown_style = _deferred
