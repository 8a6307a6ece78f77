"""Form: label, input, hint and error line per field on a grid that scrolls when taller than its space.

    form = Form(parent, on_change=self.on_changed, on_submit=self.on_save, scroll=False)
    form.add("name", "会員名", required=True)
    form.add("join_date", "入会日", "date", hint="例: 2026-04-01")
    form.add("amount", "金額（円）", "amount")
    form.add("category", "区分", "choice", choices=MEMBER_CATEGORIES)
    form.pack(fill="both", expand=True)
    form.value("join_date") -> date | None   form.value("amount") -> int | None   form.value("category") -> code
    form.get(key) -> the text as typed (stripped)   form.set(key, value)   form.check() -> [Problem, …]

Kinds: "entry", "date" (everything `parse_date` reads; shown back resolved when the field is left),
"amount" (`parse_yen`; shown with thousands separators), "choice" (a ChoiceBox: code ↔ translated label),
"combo" (an editable drop-down of `values`), "text" (several lines). A date or amount field is checked as it
is typed; `validate(text) -> message | None` adds a field's own rule. Enter moves to the next field (on the
last it calls `on_last`, by default `on_submit`); Ctrl+Enter submits from any field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import ttkbootstrap as ttk

from tama_desk.domain.dates import format_date, parse_date
from tama_desk.domain.money import format_yen, parse_yen
from tama_desk.errors import Problem
from tama_desk.i18n import t
from tama_desk.ui.layout import paint
from tama_desk.ui.widgets.choice import ChoiceBox
from tama_desk.ui.widgets.scroll import ScrollFrame
from tama_desk.ui.widgets.values import wareki_for

REQUIRED_MARK = " *"
NEEDED = "入力してください"


def tidy_yen(variable: ttk.StringVar) -> None:
    """An amount typed outside a Form (a grid of lines): shown with thousands separators once left."""
    try:
        variable.set(format_yen(parse_yen(variable.get())))
    except ValueError:
        pass


class Form(ttk.Frame):
    def __init__(self, parent, *, on_change: Callable[[str], object] | None = None,
                 on_submit: Callable[[], object] | None = None, on_last: Callable[[], object] | None = None,
                 scroll: bool = True, padding=0, today: date | None = None, hint_wrap: int = 300):
        super().__init__(parent)
        self.on_change, self.on_submit, self.on_last = on_change, on_submit, on_last or on_submit
        self.today, self.hint_wrap = today, hint_wrap
        if scroll:
            self.scroll: ScrollFrame | None = ScrollFrame(self, padding=padding)
            self.scroll.pack(fill="both", expand=True)
            self.frame = self.scroll.inner
        else:
            self.scroll = None
            self.frame = ttk.Frame(self, padding=padding)
            self.frame.pack(fill="both", expand=True)
        self.vars: dict[str, ttk.StringVar] = {}
        self.widgets: dict[str, ttk.Widget] = {}
        self.labels: dict[str, ttk.Label] = {}
        self.notes: dict[str, ttk.Label] = _Notes(self)  # a field's hint or error line, made when first needed
        self._note_places: dict[str, tuple[int, int, int]] = {}
        self.hints: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.required: set[str] = set()
        self.validators: dict[str, Callable[[str], str | None]] = {}
        self.order: list[str] = []
        self._next_row: dict[int, int] = {}
        self._loading = False

    # -- building ---------------------------------------------------------------------------------
    def add(self, key: str, label: str, kind: str = "entry", *, row: int | None = None, column: int = 0,
            initial: object = "", hint: str = "", required: bool = False, width: int = 28,
            choices: Mapping | None = None, values: list[str] | None = None, readonly: bool = False,
            validate: Callable[[str], str | None] | None = None, span: int = 1, height: int = 3) -> ttk.Widget:
        if values is not None and kind == "entry":
            kind = "combo"
        row = self._next_row.get(column, 0) if row is None else row
        self._next_row[column] = row + (height if kind == "text" else 1)
        text = t(label) + (REQUIRED_MARK if required else "")
        caption = ttk.Label(self.frame, text=text)
        caption.grid(row=row * 2, column=column, sticky="nw" if kind == "text" else "w",
                     padx=(24 if column else 0, 8), pady=(3, 0))
        variable = ttk.StringVar()
        if kind == "choice":
            widget = ChoiceBox(self.frame, choices or {}, width=width - 2 if width != 28 else None)
            variable = widget.var
        elif kind == "combo":
            widget = ttk.Combobox(self.frame, textvariable=variable, values=values or [], width=width - 2,
                                  state="readonly" if readonly else "normal")
        elif kind == "text":
            widget = ttk.Text(self.frame, height=height, width=width, wrap="char")
        else:
            widget = ttk.Entry(self.frame, textvariable=variable, width=width,
                               justify="right" if kind == "amount" else "left")
        rows = height * 2 - 1 if kind == "text" else 1
        widget.grid(row=row * 2, column=column + 1, columnspan=span, rowspan=rows, sticky="nsew" if kind == "text"
                    else "ew", pady=(3, 0))
        self._note_places[key] = (row * 2 + rows, column + 1, span)
        self.vars[key], self.widgets[key], self.labels[key] = variable, widget, caption
        self.hints[key], self.kinds[key] = hint, kind
        if hint:
            self.notes[key].grid()
        if required:
            self.required.add(key)
        if validate is not None:
            self.validators[key] = validate
        self.order.append(key)
        self.frame.columnconfigure(column + 1, weight=1)
        self.set(key, initial)
        if kind == "text":
            widget.bind("<<Modified>>", lambda _e: self._text_modified(key), add="+")
            widget.bind("<Tab>", lambda _e: (widget.tk_focusNext().focus_set(), "break")[1])
        else:
            variable.trace_add("write", lambda *_: self.changed(key))
            widget.bind("<Return>", lambda _e: self.next_field(key))
            widget.bind("<KP_Enter>", lambda _e: self.next_field(key))
        if kind in ("amount", "date"):
            widget.bind("<FocusOut>", lambda _e: self.tidy(key), add="+")
        if self.on_submit is not None:
            widget.bind("<Control-Return>", lambda _e: (self.on_submit(), "break")[1])
            widget.bind("<Control-KP_Enter>", lambda _e: (self.on_submit(), "break")[1])
        if self.scroll is not None:
            widget.bind("<FocusIn>", lambda _e: self.scroll.see(widget), add="+")
        return widget

    # -- values -----------------------------------------------------------------------------------
    def get(self, key: str) -> str:
        """The text as typed (stripped); for a choice, its code."""
        widget = self.widgets[key]
        if self.kinds[key] == "choice":
            return widget.get()
        if self.kinds[key] == "text":
            return widget.get("1.0", "end").strip()
        return self.vars[key].get().strip()

    def value(self, key: str):
        """The field's value: a date, whole yen, a code or text; None when empty. ValueError when unreadable."""
        kind, text = self.kinds[key], self.get(key)
        if kind == "choice":
            return text
        if text == "":
            return None
        if kind == "date":
            return parse_date(text, today=self.today)
        if kind == "amount":
            return parse_yen(text)
        return text

    def set(self, key: str, value: object) -> None:
        kind, widget = self.kinds[key], self.widgets[key]
        if kind == "choice":
            widget.set(value)
        elif kind == "text":
            widget.delete("1.0", "end")
            widget.insert("1.0", "" if value is None else str(value))
            widget.edit_modified(False)
        elif kind == "date" and isinstance(value, date):
            self.vars[key].set(format_date(value, wareki=wareki_for(self)))
        elif kind == "amount" and isinstance(value, int):
            self.vars[key].set(format_yen(value))
        else:
            self.vars[key].set("" if value is None else str(value))

    def load(self, values: Mapping[str, object]) -> None:
        """Fields filled with values read (a record opened), as `add(initial=…)` does: not checked, no on_change."""
        self._loading = True
        try:
            for key, value in values.items():
                self.set(key, value)
        finally:
            self._loading = False

    def tidy(self, key: str) -> None:
        """Once a field is left: an amount gets its separators, a date shows the day it was read as."""
        try:
            value = self.value(key)
        except ValueError:
            return
        if value is not None:
            self.set(key, value)

    def values(self) -> dict[str, object]:
        return {key: self.value(key) for key in self.order}

    # -- checking ---------------------------------------------------------------------------------
    def error(self, key: str, *, submitting: bool = False) -> str | None:
        text = self.get(key)
        if text in ("", None):
            return NEEDED if submitting and key in self.required else None
        try:
            self.value(key)
        except ValueError as error:
            return str(error)
        validator = self.validators.get(key)
        return validator(text) if validator else None

    def changed(self, key: str) -> None:
        if self._loading:
            return
        self.show(key, self.error(key))
        if self.on_change is not None:
            self.on_change(key)

    def _text_modified(self, key: str) -> None:
        widget = self.widgets[key]
        if widget.edit_modified():
            widget.edit_modified(False)
            if self.on_change is not None:
                self.on_change(key)

    def check(self) -> list[Problem]:
        """Every field's problem (required ones included), shown under the fields; the first one focused."""
        problems = []
        for key in self.order:
            message = self.error(key, submitting=True)
            self.show(key, message)
            if message:
                problems.append(Problem(message, self.labels[key].cget("text").removesuffix(REQUIRED_MARK)))
        if problems:
            first = next(key for key in self.order if self.error(key, submitting=True))
            self.widgets[first].focus_set()
        return problems

    def read(self, message: str = "入力を確認してください") -> dict[str, object]:
        """Every field's value; a UserError naming each wrong field (and showing it) when one cannot be read."""
        from tama_desk.errors import UserError

        problems = self.check()
        if problems:
            raise UserError(message, problems)
        return self.values()

    def show(self, key: str, message: str | None, style: str = "danger") -> None:
        """A problem (red), a warning (orange), or back to the field's hint when `message` is empty."""
        widget = self.widgets[key]
        if message:
            note = self.notes[key]
            paint(note, t(message), style)
            note.grid()
            if self.kinds[key] != "text":
                widget.configure(bootstyle=style)
            return
        if key in self.notes or self.hints.get(key):  # a field with neither has no line to reset
            note = self.notes[key]
            paint(note, t(self.hints.get(key, "")), "secondary")
            if not self.hints.get(key):
                note.grid_remove()
        if self.kinds[key] != "text":
            widget.configure(bootstyle="default")

    def hint(self, key: str, text: str) -> None:
        """Replace a field's advice (e.g. a computed amount) without marking it."""
        self.hints[key] = text
        paint(self.notes[key], t(text), "secondary")
        self.notes[key].grid()

    # -- moving -----------------------------------------------------------------------------------
    def next_field(self, key: str) -> str:
        index = self.order.index(key)
        if index + 1 < len(self.order):
            following = self.widgets[self.order[index + 1]]
            following.focus_set()
            if isinstance(following, ttk.Entry):  # a Combobox is an Entry too: the text is selected to overwrite
                following.select_range(0, "end")
        elif self.on_last is not None:
            self.on_last()
        return "break"

    def focus(self, key: str | None = None) -> None:
        widget = self.widgets[key or self.order[0]]
        widget.focus_set()
        if isinstance(widget, ttk.Entry):
            widget.select_range(0, "end")


class _Notes(dict):
    """Form.notes: a field's note label is made the first time it is asked for (most fields never show one:
    a dialog of 17 fields used to build 12 hidden labels)."""

    def __init__(self, form: Form):
        super().__init__()
        self.form = form

    def __missing__(self, key: str) -> ttk.Label:
        row, column, span = self.form._note_places[key]
        note = ttk.Label(self.form.frame, text=t(self.form.hints.get(key, "")), bootstyle="secondary", font=(None, 8),
                         wraplength=self.form.hint_wrap, justify="left")
        note.grid(row=row, column=column, columnspan=span, sticky="w")
        note.grid_remove()
        self[key] = note
        return note
