"""Dialog: the base of every dialog window.

    class PaymentDialog(Dialog):
        def __init__(self, parent, app):
            super().__init__(parent, t("入金を記録"))            # self.body: put the content here
            self.add_button(t("記録する"), self.on_save, main=True, save=True)
            self.add_button(t("キャンセル"), self.close)
            ...
            self.show(focus=entry)                               # size from content, clamped, centred, modal

The button bar is packed first (side=bottom), so it can never be squeezed out; the body scrolls (scroll=False
for a dialog whose main content is a table that scrolls itself); the size comes from the content, clamped to the
screen's work area (`work_area()`; tests set `WORK_AREA`); the dialog is centred on the main window. Ctrl+Enter
runs the main button, Ctrl+S the save button, Esc closes — asking 「変更を破棄しますか？」 first when something
was typed. Every subclass is listed in `Dialog.registry` (the layout test opens each one).
"""

from __future__ import annotations

import sys
import tkinter
from collections.abc import Callable

import ttkbootstrap as ttk

from tama_desk.i18n import t
from tama_desk.ui.widgets.scroll import ScrollFrame

TASKBAR = 48       # X11 has no work-area call Tk can ask: a taskbar's height is taken off the screen
TITLE_BAR = 32     # the window manager's title bar and frame, outside the size we set
WORK_AREA: tuple[int, int, int, int] | None = None  # (x, y, width, height): set by tests / fixed screens
EDITING = {"TEntry", "Entry", "Text", "TCombobox", "TSpinbox"}
DISCARD_QUESTION = "変更を破棄しますか？"


def work_area(widget: tkinter.Misc) -> tuple[int, int, int, int]:
    """The part of the screen windows may use: (x, y, width, height)."""
    if WORK_AREA is not None:
        return WORK_AREA
    if sys.platform == "win32":
        try:
            import ctypes
            from ctypes import wintypes

            rect = wintypes.RECT()
            if ctypes.windll.user32.SystemParametersInfoW(0x0030, 0, ctypes.byref(rect), 0):  # SPI_GETWORKAREA
                return rect.left, rect.top, rect.right - rect.left, rect.bottom - rect.top
        except (OSError, AttributeError):
            pass
    return 0, 0, widget.winfo_screenwidth(), widget.winfo_screenheight() - TASKBAR


class Dialog(ttk.Toplevel):
    registry: list[type[Dialog]] = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        Dialog.registry.append(cls)

    def __init__(self, parent: tkinter.Misc, title: str, *, scroll: bool = True, padding=(16, 12, 16, 8),
                 modal: bool = True):
        super().__init__(title=title, transient=parent.winfo_toplevel())
        self.withdraw()  # shown by show(), once laid out and placed
        self._drop_window_watches()
        self.parent, self.modal = parent, modal
        self.edited = False
        self.main_button: ttk.Button | None = None
        self.save_command: Callable[[], object] | None = None
        self.button_bar = ttk.Frame(self, padding=(16, 10, 16, 14))
        self.button_bar.pack(side="bottom", fill="x")  # first: pack gives space in packing order
        ttk.Separator(self).pack(side="bottom", fill="x")
        if scroll:
            self.scroll: ScrollFrame | None = ScrollFrame(self, padding=padding)
            self.scroll.pack(fill="both", expand=True)
            self.body = self.scroll.inner
            # The body is a window in the scroll's canvas, and Tk maps a canvas's windows even while the canvas
            # is not shown: the content would be laid out and drawn once unseen, then again when shown. So the
            # body stays hidden until show() (its size is known without it: fit).
            self.scroll.canvas.itemconfigure("all", state="hidden")
        else:
            self.scroll = None
            self.body = ttk.Frame(self, padding=padding)
            self.body.pack(fill="both", expand=True)
        self.protocol("WM_DELETE_WINDOW", self.on_escape)
        self.bind("<Escape>", lambda _e: self.on_escape())
        self.bind("<Control-Return>", self._on_main)
        self.bind("<Control-KP_Enter>", self._on_main)
        self.bind("<Control-s>", self._on_save)
        self.bind("<KeyPress>", self._on_key, add="+")
        self.bind("<<Paste>>", self._on_key, add="+")
        self.bind("<<ComboboxSelected>>", lambda _e: self.mark_edited(), add="+")

    def _drop_window_watches(self) -> None:
        """ttkbootstrap's Toplevel binds <Map> and <Configure> on the window (to know when a size it recorded
        was shown) and, on X11, <Visibility> (to set the opacity once seen). A toplevel's bindings run for every
        widget in it, so each of the dialog's ~100 widgets ran Python callbacks as it was laid out and shown.
        The dialog sets its size itself (fit) and is opaque: the bindings are dropped (bound first, they are the
        only ones on these events of the window)."""
        for sequence in ("<Map>", "<Configure>"):
            self.unbind(sequence)
        self._map_watch = None  # ttkbootstrap's geometry() would watch again, as it needs
        if getattr(self, "alpha_bind", None):
            self.unbind("<Visibility>")
            self.alpha_bind = None

    # -- building ---------------------------------------------------------------------------------
    def add_button(self, text: str, command: Callable[[], object], *, style: str | None = None,
                   side: str = "right", main: bool = False, save: bool = False, **kwargs) -> ttk.Button:
        """A button in the bottom bar; right-side buttons are added from the right (the main one first)."""
        style = style or ("primary" if main else "secondary")
        button = ttk.Button(self.button_bar, text=text, command=command, bootstyle=style, **kwargs)
        button.pack(side=side, padx=(8, 0) if side == "right" else (0, 8))
        if main:
            self.main_button = button
        if save:
            self.save_command = command
        return button

    def add_note(self, text: str = "", **kwargs) -> ttk.Label:
        """A line of text at the left of the button bar (a total, a timestamp, `* は必須`)."""
        label = ttk.Label(self.button_bar, text=text, **{"bootstyle": "secondary", **kwargs})
        label.pack(side="left")
        return label

    def show(self, focus: tkinter.Misc | None = None) -> None:
        """Size from the content, clamped to the work area; centred on the main window; modal."""
        self.fit()
        self.map_body()
        self.deiconify()
        if self.modal:
            try:
                self.grab_set()
            except tkinter.TclError:  # another grab (a window being closed): modeless is fine
                pass
        (focus or self.main_button or self).focus_set()

    def map_body(self) -> None:
        """The body in its place in the scroll (show() does it): Tk makes the windows of its widgets visible
        with the dialog. A dialog built ahead (not shown yet) does it once laid out, and laid out again
        (update_idletasks), so that showing it later only draws it."""
        if self.scroll is not None:
            self.scroll.canvas.itemconfigure("all", state="normal")

    def fit(self) -> None:
        if self.scroll is not None and self.scroll.canvas.itemcget("all", "state") == "hidden":
            self.body.update_idletasks()  # the body's size, which the canvas asks for (as when it is shown)
            self.scroll.canvas.configure(width=self.body.winfo_reqwidth(), height=self.body.winfo_reqheight())
        self.update_idletasks()
        area_x, area_y, area_width, area_height = work_area(self)
        width, height = self.winfo_reqwidth(), self.winfo_reqheight()
        if self.scroll is not None and height > area_height - TITLE_BAR and not self.scroll.scrollbar.winfo_manager():
            width += self.scroll.scrollbar.winfo_reqwidth()  # the body will scroll: room for its scrollbar (not in yet)
        width = min(width, area_width - 16)
        height = min(height, area_height - TITLE_BAR)
        owner = self.parent.winfo_toplevel()
        while not isinstance(owner, ttk.Window) and owner.master is not None:
            owner = owner.master.winfo_toplevel()
        if owner.winfo_ismapped():
            x = owner.winfo_rootx() + (owner.winfo_width() - width) // 2
            y = owner.winfo_rooty() + (owner.winfo_height() - height) // 2 - TITLE_BAR // 2
        else:
            x, y = area_x + (area_width - width) // 2, area_y + (area_height - height - TITLE_BAR) // 2
        x = max(area_x, min(x, area_x + area_width - width))
        y = max(area_y, min(y, area_y + area_height - height - TITLE_BAR))
        self.minsize(min(width, 420), min(height, 240))
        self.maxsize(area_width, area_height - TITLE_BAR)
        # Tk's own call: ttkbootstrap's geometry() would bind <Map> and <Configure> on the dialog, and so run a
        # Python callback for every widget of it as it is shown (its record is for place_window_center only)
        tkinter.Wm.wm_geometry(self, f"{width}x{height}+{x}+{y}")

    def refit(self) -> None:
        """After the content grew or shrank (a table filled, a section rebuilt)."""
        if self.winfo_ismapped():
            self.fit()

    # -- reacting ---------------------------------------------------------------------------------
    def mark_edited(self) -> None:
        self.edited = True

    def _on_key(self, event) -> None:
        widget = event.widget
        if not isinstance(widget, tkinter.Misc) or widget.winfo_class() not in EDITING:
            return
        try:
            if str(widget.cget("state")) in ("readonly", "disabled"):
                return
        except tkinter.TclError:
            pass
        if event.type == tkinter.EventType.VirtualEvent or (event.char and event.char.isprintable()) \
                or event.keysym in ("BackSpace", "Delete"):
            self.edited = True

    def _on_main(self, _event=None) -> str:
        if self.main_button is not None and str(self.main_button.cget("state")) != "disabled":
            self.main_button.invoke()
        return "break"

    def _on_save(self, _event=None) -> str:
        if self.save_command is not None:
            self.save_command()
        return "break"

    def on_escape(self) -> None:
        """Esc or the window's close box: ask first when something was typed (IME users press Esc often)."""
        if self.edited:
            from tama_desk.ui import feedback

            if not feedback.confirm(self, t(DISCARD_QUESTION), ok_label="破棄する"):
                return
        self.close()

    def close(self) -> None:
        try:
            self.grab_release()
        except tkinter.TclError:
            pass
        self.destroy()
