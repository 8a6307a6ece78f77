"""How values look on screen for the current user: dates in 和暦 or not (the 和暦で表示 preference)."""

from __future__ import annotations

from datetime import date

from tama_desk.domain.dates import format_date


def wareki_for(widget) -> bool:
    """The main window's 和暦で表示 preference (False when there is no main window, e.g. a test's dialog)."""
    try:
        window = widget.winfo_toplevel()
        while window is not None and not hasattr(window, "preferences"):
            window = window.master.winfo_toplevel() if window.master is not None else None
    except Exception:  # noqa: BLE001 - a widget being destroyed: the default
        return False
    return bool(getattr(getattr(window, "preferences", None), "wareki", False))


def show_date(widget, value: date | None) -> str:
    """A date as this user reads it on screen: 2026-12-05, or 令和8年12月5日 with 和暦で表示."""
    return format_date(value, wareki=wareki_for(widget))
