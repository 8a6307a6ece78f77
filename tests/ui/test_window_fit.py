"""The window shell fits the office screens: 1366×720 and 1280×672 work areas (the taskbar taken off) at
100 %, 125 % and 150 % display scaling — nothing of the navigation, header, status bar or dashboard is
clipped or pushed out of the window."""

from __future__ import annotations

import gc

import pytest

from tama_desk.settings import Preferences
from tama_desk.ui.main_window import MainWindow
from tests.ui.conftest import pump

TITLE_BAR = 32
CASES = [  # work area in physical pixels, Tk scaling (pixels per point): 96 dpi = 1.333
    ((1366, 720), 1.333),
    ((1280, 672), 1.333),
    ((1366, 720), 1.667),  # 125 %
    ((1920, 1008), 2.0),  # 1920×1080 at 150 % = 1280×672 logical
]


def descendants(widget):
    for child in widget.winfo_children():
        yield child
        yield from descendants(child)


def assert_fits(window, widgets) -> None:
    right = window.winfo_rootx() + window.winfo_width()
    bottom = window.winfo_rooty() + window.winfo_height()
    for widget in widgets:
        if not widget.winfo_ismapped():
            continue
        name = f"{widget.winfo_class()} {widget.cget('text') if 'text' in widget.configure() else ''}"
        assert widget.winfo_width() >= widget.winfo_reqwidth(), f"{name} is narrower than it needs"
        assert widget.winfo_height() >= widget.winfo_reqheight(), f"{name} is squeezed"
        assert widget.winfo_rootx() + widget.winfo_width() <= right, f"{name} is past the right edge"
        assert widget.winfo_rooty() + widget.winfo_height() <= bottom, f"{name} is below the window"


@pytest.mark.parametrize(("area", "scaling"), CASES)
def test_shell_and_dashboard_fit_the_work_area(demo_db, dialogs, area, scaling):
    window = MainWindow(demo_db, Preferences(), scaling=scaling)
    try:
        window.attributes("-zoomed", False)
        window.geometry(f"{area[0]}x{area[1] - TITLE_BAR}+0+0")
        dashboard = window.views["dashboard"]
        pump(window, until=lambda: dashboard.overview is not None and window.winfo_height() > 100)
        pump(window)
        shell = [*window.nav_buttons.values(), window.association_label, window.status, window.database]
        cards = [w for w in descendants(dashboard.cards) if w.winfo_class() == "TLabel"]
        assert len(cards) >= 12
        assert_fits(window, shell + cards + [dashboard.categories, dashboard.burn])
        assert dashboard.activity.winfo_height() > 80  # the recent activity takes the rest: a few rows at least
    finally:
        window.destroy()
        gc.collect()
