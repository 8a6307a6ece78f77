"""The areas of TAMA Desk, registered in one place.

The navigation pane, the Ctrl+digit shortcuts, the menu bar, the dashboard cards, the CLI and `demo` all read
`AREAS`; nothing else lists the areas. Everything is named by an import path string ("package.module:attr")
and imported only when first needed, so the window starts without importing every view.

How a new area registers (委託事業, 会議 …): write its own package, then add ONE entry at the end of `AREAS`:

    Area("contracts", "委託事業", "tama_desk.ui.views.contracts:ContractsView", icon="📑",
         cards="tama_desk.services.contracts:dashboard_cards",
         cli="tama_desk.cli_contracts",
         demo="tama_desk.services.demo_contracts:load")

- `view`: a ttk.Frame subclass called as `View(parent, app)`; `app` is the main window (`app.db`,
  `app.announce(message)`). Optional methods the window uses when present: `on_show()` (shown), `refresh()`
  (F5), `on_new()` (Ctrl+N), `on_find()` (Ctrl+F), `on_export()` (Ctrl+E), `on_bill_year()` (Ctrl+B),
  `on_open()` (Enter in the search box opens the first row of `tree`), `search` (an object with an `entry`
  and a `fire()` / `pending` debounce, like ui.widgets.SearchBox; or `flush()`), `open_first()` and
  `focus_table()` (Enter / ↓ in the search box), and `commands()` returning `[(label, callback, accelerator),
  …]` — listed in the area's menu with an access key; `label` is the Japanese source text (the window
  translates it), `accelerator` like "Ctrl+Shift+P", "F6" or "" (bound while the area is shown).
- `cards`: `cards(session, today) -> list[Card]`, run in a worker thread with its own read session; plain SQL
  aggregates, no widgets. Shown on the dashboard in registry order.
- `cli`: a module with `add_commands(commands, common)` (argparse sub-parsers, like cli_grants.py) and
  `run(args, db) -> int` (exit code); every top-level command it adds is dispatched to its `run`.
- `demo`: `load(session, rng, today, count) -> dict[str, int]` called by `demo` in registry order (members
  exist by then), inside the demo's one transaction; the dict maps a Japanese label (an i18n key, e.g.
  "委託契約") to how many records it added, which `demo` prints.
- The shortcut digit is the area's position in the navigation (ダッシュボード Ctrl+1, 会員 Ctrl+2 …); new areas
  append and get the next digit (up to Ctrl+9). 設定 is not a digit area (`SETTINGS`, Ctrl+,).
- Put the area's English label in its i18n_en_<area>.py like every other string.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

MAX_DIGIT = 9


@dataclass(frozen=True)
class Card:
    """One figure on the dashboard: 「在籍会員 / 1,234 / 休会 3・退会 12」. Texts already translated."""

    label: str
    figure: str
    note: str = ""
    area: str = ""  # the area a click on the card opens ("" = none)


@dataclass(frozen=True)
class Area:
    key: str
    label: str  # Japanese source text; shown through t()
    view: str  # "module:ViewClass", imported when the area is first shown
    icon: str = ""
    cards: str | None = None  # "module:function(session, today) -> list[Card]"
    cli: str | None = None  # "module" with add_commands(commands, common) and run(args, db)
    demo: str | None = None  # "module:load(session, rng, today, count) -> dict[str, int]"

    @property
    def digit(self) -> int | None:
        """1 … 9 in navigation order; None for 設定 and for areas past the ninth."""
        if self not in AREAS:
            return None
        position = AREAS.index(self) + 1
        return position if position <= MAX_DIGIT else None

    @property
    def shortcut(self) -> str:
        """The accelerator as shown in menus and buttons: "Ctrl+2", "Ctrl+," or ""."""
        if self.key == SETTINGS.key:
            return "Ctrl+,"
        return f"Ctrl+{self.digit}" if self.digit else ""

    def view_class(self) -> type:
        return load(self.view)


AREAS: list[Area] = [
    Area("dashboard", "ダッシュボード", "tama_desk.ui.views.dashboard:DashboardView", icon="▦"),
    Area("members", "会員", "tama_desk.ui.views.members:MembersView", icon="👥",
         cards="tama_desk.services.dashboard:member_cards", cli="tama_desk.cli_members",
         demo="tama_desk.services.demo:load_members"),
    Area("fees", "会費", "tama_desk.ui.views.fees:FeesView", icon="¥",
         cards="tama_desk.services.dashboard:fee_cards", cli="tama_desk.cli_fees",
         demo="tama_desk.services.demo:load_fees"),
    Area("grants", "補助金", "tama_desk.ui.views.grants:GrantsView", icon="◔",
         cards="tama_desk.services.dashboard:grant_cards", cli="tama_desk.cli_grants",
         demo="tama_desk.services.demo:load_grants"),
    # Next areas append here (委託事業, 会議 …): one line each.
]
SETTINGS = Area("settings", "設定", "tama_desk.ui.views.settings:SettingsView", icon="⚙")


def all_areas() -> list[Area]:
    """Every area in navigation order, 設定 last."""
    return [*AREAS, SETTINGS]


def get(key: str) -> Area:
    for area in all_areas():
        if area.key == key:
            return area
    raise KeyError(key)


def by_digit(digit: int) -> Area | None:
    return next((area for area in AREAS if area.digit == digit), None)


def load(path: str) -> Any:
    """Import "package.module:attribute" (or just "package.module") and return it."""
    module_name, _sep, attribute = path.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module
