"""ttkbootstrap's window bindings that ran Python for every widget mapped, resized or made visible.

ttkbootstrap binds on the main window `<Map>` and `<Configure>` (it records whether the window was shown) and
`<Visibility>` (its alpha), and on "all" `<Map>` (it generates <<MapChild>> on the parent, which nothing binds).
Every widget of the window carries the window's tag and "all", so each widget mapped or laid out ran those
Python callbacks, with the event's 19 fields converted: about 460 calls (10-30 ms) when the 設定 view is
first drawn. `install` keeps what they do for the window itself and drops the calls for its widgets."""

from __future__ import annotations

WINDOW_ONLY = {"<Map>": "_on_shown", "<Configure>": "_on_shown", "<Visibility>": "on_visibility"}


def install(window) -> None:
    """Once, right after the window is made (before the views are built)."""
    for sequence, name in WINDOW_ONLY.items():
        script = str(window.tk.call("bind", str(window), sequence))
        only = f'if {{"%W" eq "{window}"}}'
        lines = [f"{only} {{{line}}}" if name in line and not line.startswith(only) else line
                 for line in script.split("\n")]
        window.tk.call("bind", str(window), sequence, "\n".join(lines))
    script = str(window.tk.call("bind", "all", "<Map>"))
    window.tk.call("bind", "all", "<Map>", "\n".join(line for line in script.split("\n") if "on_map_child" not in line))
