"""Running slow work off the Tk thread: the worker never touches a widget; results come back
through `after()` polling, on the Tk thread."""

from __future__ import annotations

import queue
import threading
import time
import tkinter
from collections.abc import Callable
from typing import Any

POLL_MS = 50


class Cancelled(Exception):
    """Raised inside the work when the user pressed Cancel."""


class Job:
    """Handed to the work function: report progress, and learn whether to stop."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._progress: queue.Queue[tuple[int, int, str]] = queue.Queue()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int, text: str = "") -> None:
        """Called by the work; raises Cancelled once Cancel was pressed, so the transaction rolls back."""
        if self._cancel.is_set():
            raise Cancelled()
        self._progress.put((done, total, text))


def run_in_thread(
    widget: tkinter.Misc,
    work: Callable[[Job], Any],
    done: Callable[[Any], None],
    failed: Callable[[BaseException], None],
    progress: Callable[[int, int, str], None] | None = None,
) -> Job:
    """Start `work(job)` in a thread; call `done(result)` or `failed(error)` on the Tk thread."""
    job = Job()
    outcome: queue.Queue[tuple[bool, Any]] = queue.Queue()

    def target() -> None:
        try:
            outcome.put((True, work(job)))
        except BaseException as error:  # handed to the Tk thread, shown there
            outcome.put((False, error))

    def poll() -> None:
        if not widget.winfo_exists():  # its window was closed: stop the work, nobody waits for it
            job.cancel()
            return
        latest = None
        while not job._progress.empty():
            latest = job._progress.get_nowait()
        if latest and progress:
            progress(*latest)
        if outcome.empty():
            widget.after(POLL_MS, poll)
            return
        ok, value = outcome.get_nowait()
        widget._root().work_done_at = time.monotonic()  # the window's announce() toasts what follows long work
        (done if ok else failed)(value)

    threading.Thread(target=target, name="tama-desk-work", daemon=True).start()
    widget.after(POLL_MS, poll)
    return job
