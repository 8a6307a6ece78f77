"""A view's lists read off the Tk thread when the view is shown, so that switching areas never waits for a read.

A view that uses it has two halves of its refresh:

    def rows_query(self):       # on the Tk thread: the filters as they are now
        year = self.year
        return lambda session: invoices.list_invoices(session, year)   # in a worker: plain values only
    def present(self, rows): …  # on the Tk thread: fill the tables

`refresh()` (a search, a filter, F5, after the view's own save) reads and presents at once, as before.
`Loader.start()` (the view shown for the first time, or shown again after a change) reads in a worker with its
own session and presents when the rows arrive; until then the view shows what it showed before (or is empty).
A later refresh or start supersedes a load still running: only the newest read is presented.
"""

from __future__ import annotations

import logging

from tama_desk.ui.background import run_in_thread

log = logging.getLogger(__name__)
DRAW_FIRST_MS = 30  # the read starts this long after the view was asked to show


class Loader:
    def __init__(self, view) -> None:
        self.view = view
        self.generation = 0
        self.pending = False  # a read is running in a worker; its rows are not shown yet

    def start(self) -> None:
        view = self.view
        view.fresh.mark(view)
        self.generation += 1
        generation, read, db = self.generation, view.rows_query(), view.app.db
        self.pending = True

        def work(_job):
            with db.reading() as session:
                return read(session)

        def done(data) -> None:
            if generation == self.generation and view.winfo_exists():
                self.pending = False
                view.present(data)

        def failed(error: BaseException) -> None:
            if generation != self.generation or not view.winfo_exists():
                return
            self.pending = False
            log.warning("background read of %s failed: %s", type(view).__name__, type(error).__name__)
            view.refresh()  # read again on the Tk thread: its error, if any, is shown as every read's is

        # The view is drawn first: a worker started at once would share the interpreter with the drawing.
        view.after(DRAW_FIRST_MS, lambda: generation == self.generation and run_in_thread(view, work, done, failed))

    def supersede(self) -> None:
        """A read on the Tk thread (refresh) came after: a load still running is not shown."""
        self.generation += 1
        self.pending = False


def refresh(view) -> None:
    """Read and present at once (the view's refresh())."""
    view.loader.supersede()
    view.fresh.mark(view)
    read = view.rows_query()
    with view.app.db.reading() as session:
        data = read(session)
    view.present(data)


def on_show(view) -> None:
    """The view is shown: read in the background if anything changed since its last read (or it has none)."""
    if view.fresh.stale(view):
        view.loader.start()
