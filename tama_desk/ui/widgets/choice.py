"""A readonly drop-down whose value is a code and whose text is the translated label.

    box = ChoiceBox(parent, MEMBER_CATEGORIES, value="company", blank="（すべて）", on_change=refresh)
    box.get() -> "company" (or None for the blank entry);  box.set("academic")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import ttkbootstrap as ttk

from tama_desk.i18n import t
from tama_desk.ui.widgets.measure import text_width

MAX_WIDTH = 26  # characters: a longer label is cut in the box, shown whole in the list


class ChoiceBox(ttk.Combobox):
    def __init__(self, parent, choices: Mapping | Iterable[tuple[object, str]], value=None, *,
                 blank: str | None = None, on_change: Callable[[], object] | None = None, translate: bool = True,
                 width: int | None = None, **kwargs):
        self.var = ttk.StringVar()
        self.blank = blank
        self.translate = translate
        super().__init__(parent, textvariable=self.var, state="readonly", **kwargs)
        self.set_choices(choices)
        self.configure(width=width or min(text_width(self, self.texts, minimum=6) + 2, MAX_WIDTH))
        self.set(value)
        if on_change is not None:
            self.bind("<<ComboboxSelected>>", lambda _e: on_change(), add="+")

    def set_choices(self, choices: Mapping | Iterable[tuple[object, str]]) -> None:
        pairs = list(choices.items()) if isinstance(choices, Mapping) else list(choices)
        self.codes: list[object] = ([None] if self.blank is not None else []) + [code for code, _label in pairs]
        shown = [t(label) if self.translate else label for _code, label in pairs]
        self.texts = ([t(self.blank)] if self.blank is not None else []) + shown
        self.configure(values=self.texts)

    def get(self):  # the code, not the text
        text = self.var.get()
        return self.codes[self.texts.index(text)] if text in self.texts else None

    def set(self, code) -> None:
        if code in self.codes:
            self.var.set(self.texts[self.codes.index(code)])
        elif self.blank is not None or code is None:
            self.var.set(self.texts[0] if self.texts and self.blank is not None else "")
        else:
            self.var.set("")

    def text(self) -> str:
        return self.var.get()
