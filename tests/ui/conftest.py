"""GUI fixtures: the real window on the virtual display (pytest-xvfb), with every dialog recorded
instead of waiting for a click, and any error raised inside a Tk callback failing the test."""

from __future__ import annotations

import gc
import time

import pytest
import ttkbootstrap as ttk

from tama_desk.settings import Preferences
from tama_desk.ui import feedback
from tama_desk.ui.main_window import MainWindow


class DialogRecorder:
    """Stands in for the message dialogs: records each and answers with `answer` (None = the last button)."""

    def __init__(self):
        self.shown: list[tuple[str, str]] = []
        self.answer: str | None = None
        self.texts: list[str | None] = []  # answers to one-line questions, in order (None = キャンセル)
        self.prompts: list[tuple[str, str]] = []

    def __call__(self, parent, message, title, buttons, icon=None):
        self.shown.append((title, message))
        return self.answer if self.answer is not None else buttons[-1].split(":")[0]

    def prompt(self, parent, title, prompt, initial=""):
        self.prompts.append((title, prompt))
        return self.texts.pop(0) if self.texts else None

    @property
    def messages(self) -> list[str]:
        return [message for _title, message in self.shown]


@pytest.fixture
def root(dialogs, request):
    """A bare ttkbootstrap window for widget tests (ROOT_GEOMETRY of the test module, else 1000×700); a Tk
    callback that raised fails the test."""
    errors = []
    window = ttk.Window()
    window.report_callback_exception = lambda *args: errors.append(args[1])
    window.geometry(getattr(request.module, "ROOT_GEOMETRY", "1000x700+0+0"))
    window.update()
    yield window
    window.destroy()
    assert not errors, errors


@pytest.fixture
def dialogs(monkeypatch) -> DialogRecorder:
    recorder = DialogRecorder()
    monkeypatch.setattr(feedback, "_dialog", recorder)
    monkeypatch.setattr(feedback, "_prompt", recorder.prompt)
    return recorder


@pytest.fixture
def window(demo_db, dialogs):
    errors: list[BaseException] = []
    app = MainWindow(demo_db, Preferences())

    def fail_on_callback_error(exc_type, error, traceback):
        errors.append(error)

    app.report_callback_exception = fail_on_callback_error
    app.update()
    yield app
    app.destroy()
    # Free this window's Tk variables and images now, on the Tk thread: collected later inside a worker
    # thread, tkinter would wait on a main loop that is not running and stall the next test.
    gc.collect()
    assert not errors, f"a Tk callback raised: {errors!r}"


def pump(widget, until=None, timeout: float = 30.0) -> None:
    """Let Tk run (timers, background results) until `until()` is true, or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        widget.update()
        if until is None or until():
            return
        if time.monotonic() > deadline:
            raise AssertionError("the window did not reach the expected state in time")
        time.sleep(0.02)


def toplevels(window, title_part: str = ""):
    return [w for w in window.winfo_children()
            if w.winfo_class() == "Toplevel" and w.winfo_exists() and title_part in w.title()]


def loaded(view):
    """The view's background read (ui.loading) has arrived and is shown."""
    loader = getattr(view, "loader", None)
    pump(view, lambda: loader is None or not loader.pending)
    return view


def show(window, key: str):
    """The area shown as a click on its button shows it, with its rows read."""
    window.show_view(key)
    return loaded(window.views[key])
