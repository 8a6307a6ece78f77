"""Whether a view's lists must be read again when it is shown again.

    self.fresh = Freshness()
    def on_show(self): if self.fresh.stale(self): self.refresh()
    def refresh(self): self.fresh.mark(self); …read and show…

Stale after a transaction of this process (`Database.changes`: a save in any view, a background batch), after
MAX_AGE_SECONDS (another PC's changes on a shared server), or when the 和暦 preference changed. A search, a
filter or F5 calls refresh() directly and always reads.
"""

from __future__ import annotations

import time

from tama_desk.ui.widgets.values import wareki_for

MAX_AGE_SECONDS = 60.0


class Freshness:
    def __init__(self) -> None:
        self.seen: tuple[int, bool] | None = None
        self.at = 0.0

    def mark(self, view) -> None:
        self.seen, self.at = _state(view), time.monotonic()

    def stale(self, view) -> bool:
        return self.seen != _state(view) or time.monotonic() - self.at > MAX_AGE_SECONDS


class Remembered:
    """A list a view read, reused as long as a read then would be fresh (no commit of this process since, at
    most MAX_AGE_SECONDS old, the same 和暦 preference): clearing a search shows the whole list without a read."""

    def __init__(self) -> None:
        self.rows = None
        self.fresh = Freshness()

    def keep(self, view, rows) -> None:
        self.rows = rows
        self.fresh.mark(view)

    def get(self, view):
        return None if self.rows is None or self.fresh.stale(view) else self.rows


def _state(view) -> tuple[int, bool]:
    return getattr(view.app.db, "changes", 0), wareki_for(view)
