"""The 100 ms interactions at office scale, in a real window (prints numbers; asserts nothing).

Run: .venv/bin/python bench/interactions.py --db FILE   (needs a display, e.g. xvfb-run -a; bench/scale.py
runs it on its ten-year database). The database is copied first: saving a record writes.

Each figure is the time from the action to the window having drawn its result (window events and idle tasks
done; timers not: a table inserts its first screen at once and the other rows in chunks scheduled with after(),
taking input between them — the time until every row is in is printed apart, for information):
switching to every area — right after the start, the view built at the click (its rows read in a worker and
shown when they arrive: the time until then is printed apart), the first time once the window's warm-up has run
in a pause of the user's (views built hidden, rows read: main_window.prepare, step by step), and again —, a
member search from the end of the
search box's debounce (the refresh it fires), sorting every column of the members and fees tables, opening a
member and saving it unchanged (the dialog closes and the table refreshes), opening a record in the other areas
(an invoice's dialog; a grant, a contract, a meeting selected and its details shown; an expenditure's dialog,
the meeting's dialog) and saving the expenditure and the meeting unchanged. Name, value, limit, ratio, OK/SLOW.
"""

from __future__ import annotations

import _tkinter
import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import threading
import time
import tkinter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

LIMIT_S = 0.100


def settle_dashboard(window) -> None:
    """The dashboard's background figures (every area's cards) are in before anything is measured: its
    worker would otherwise share the interpreter with what is measured (printed apart)."""
    view = window.views.get("dashboard")
    deadline = time.monotonic() + 120
    while view is not None and view.overview is None and time.monotonic() < deadline:
        window.tk.dooneevent(_tkinter.ALL_EVENTS | _tkinter.DONT_WAIT) or time.sleep(0.01)
    window.update()


def main() -> None:
    from scale import compile_sources, line

    compile_sources()

    from tama_desk import areas
    from tama_desk.db.engine import open_database
    from tama_desk.services import accounting
    from tama_desk.settings import Preferences
    from tama_desk.ui.main_window import MainWindow, warm_up_modules
    from tama_desk.ui.views.member_dialog import MemberDialog

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--profile", action="store_true", help="print the top functions of each action (cProfile)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "interactions.sqlite3"
        shutil.copyfile(args.db, copy)
        db = open_database(str(copy))
        with db.transaction() as session:  # made on first read, else by the dashboard's worker (it may lock)
            accounting.settings(session)
        errors: list[str] = []

        def open_window() -> MainWindow:
            window = MainWindow(db, Preferences(), daily_backup=False)
            # An error is printed, not shown in a modal box that would stop the run.
            window.report_callback_exception = lambda kind, value, _trace: errors.append(f"{kind.__name__}: {value}")
            window.update()
            return window

        def drawn() -> None:
            while window.tk.dooneevent(_tkinter.WINDOW_EVENTS | _tkinter.IDLE_EVENTS | _tkinter.DONT_WAIT):
                pass

        def loads_pending() -> bool:
            return any(getattr(getattr(view, "loader", None), "pending", False)
                       or getattr(getattr(view, "table", None), "_pending", None) for view in window.views.values())

        def settle() -> None:
            """Background reads and work (the dashboard's figures), the chunks still to insert (and other timers)
            run: not part of the figure, and not left to share the interpreter with the next action."""
            window.update()
            while loads_pending() or any(thread.name == "tama-desk-work" for thread in threading.enumerate()):
                window.tk.dooneevent(_tkinter.ALL_EVENTS | _tkinter.DONT_WAIT) or time.sleep(0.002)
            window.update()

        def timed(action) -> float:
            profiler = cProfile.Profile() if args.profile else None
            start = time.perf_counter()
            try:
                if profiler:
                    profiler.enable()
                action()
                drawn()
            except Exception as error:  # noqa: BLE001 - reported, the run goes on
                errors.append(f"{type(error).__name__}: {error}")
            finally:
                if profiler:
                    profiler.disable()
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
            seconds = time.perf_counter() - start
            started = time.perf_counter()
            settle()
            shown[0] = seconds + time.perf_counter() - started
            while errors:
                print(f"  error: {errors.pop(0).splitlines()[0]}", flush=True)
            return seconds

        shown = [0.0]  # the last action's time until its background read was shown and every row inserted
        keys = [area.key for area in areas.all_areas()]
        # 1. Right after the start: each view built at the click (its rows read in the background).
        started = time.perf_counter()
        window = open_window()
        settle_dashboard(window)
        line("  the dashboard's figures, every area's cards in (background)", time.perf_counter() - started, None)
        cold, cold_rows = {}, {}
        for key in keys:
            cold[key] = timed(lambda key=key: window.show_view(key))
            cold_rows[key] = shown[0]
        worst = max(cold, key=cold.get)
        line(f"switch area, the view built at the click, worst: {worst}", cold[worst], LIMIT_S)
        print("  (each: " + ", ".join(f"{key} {cold[key]:.3f}" for key in keys) + ")", flush=True)
        worst = max(cold_rows, key=cold_rows.get)
        line(f"  the same until its rows are in, worst: {worst}", cold_rows[worst], None)
        window.destroy()
        # 2. As the user finds it once the window's warm-up has run in a pause (views built hidden, rows read).
        window = open_window()
        settle_dashboard(window)
        for step in [*warm_up_modules(), *keys]:
            window.prepare(step)
            settle()
        first = {key: timed(lambda key=key: window.show_view(key)) for key in keys}
        again = {key: timed(lambda key=key: window.show_view(key)) for key in reversed(keys)}
        worst = max(first, key=first.get)
        line(f"switch area, first time after the warm-up, worst: {worst}", first[worst], LIMIT_S)
        worst = max(again, key=again.get)
        line(f"switch area again, worst: {worst}", again[worst], LIMIT_S)

        window.show_view("members")
        window.update()
        view = window.views["members"]
        for text in ("たま", "ｾｲｷ", ""):
            view.search_var.set(text)  # the debounce starts; its end is what flush() runs at once
            seconds = timed(view.search.flush)
            line(f"member search '{text}' ({len(view.rows):,} rows), after the debounce", seconds, LIMIT_S)
        view.search_var.set("ｾｲｷ")
        view.search.flush()
        settle()
        start = time.perf_counter()
        view.search_var.set("")
        view.search.flush()
        settle()
        print(f"  (all {len(view.rows):,} members inserted, in chunks after the first screen: "
              f"{time.perf_counter() - start:.3f} s)", flush=True)
        for key in ("members", "fees", "grants", "contracts", "meetings"):
            window.show_view(key)
            window.update()
            table = getattr(window.views[key], "table", None)
            if table is None:
                continue
            sorts = {column.key: timed(lambda column=column, table=table: table.on_heading(column.key))
                     for column in table.columns}
            worst = max(sorts, key=sorts.get)
            line(f"sort {key} ({len(table.rows):,} rows), worst column: {worst}", sorts[worst], LIMIT_S)

        window.show_view("members")
        window.update()
        member_id = view.rows[len(view.rows) // 2].id
        dialog = None

        def open_member():
            nonlocal dialog
            dialog = MemberDialog(view, window, member_id, on_saved=view.on_saved)

        line("open a member", timed(open_member), LIMIT_S)
        line("save the member (dialog closes, table refreshed)", timed(dialog.on_save), LIMIT_S)

        def close_dialogs() -> None:
            for child in window.winfo_children():
                if isinstance(child, tkinter.Toplevel):
                    child.destroy()
            settle()

        def middle(key: str):
            window.show_view(key)
            settle()
            table = window.views[key].table
            keys = table.keys()
            return table, keys[len(keys) // 2]

        opened = {}
        table, invoice = middle("fees")
        opened["fees: an invoice's dialog"] = timed(lambda: window.views["fees"].on_open(invoice))
        close_dialogs()
        for key in ("grants", "contracts", "meetings"):
            table, row = middle(key)
            opened[f"{key}: a row selected, its details shown"] = timed(lambda table=table, row=row: table.select(row))
            settle()
            if key == "grants":
                grants_view = window.views["grants"]
                grants_view.expenditure_table.select(grants_view.expenditure_table.keys()[0])
                settle()
                opened["grants: an expenditure's dialog"] = timed(grants_view.on_edit_expenditure)
                expenditure_dialog = next(child for child in window.winfo_children()
                                          if isinstance(child, tkinter.Toplevel))
                saves = {"grants: the expenditure": timed(expenditure_dialog.on_save)}
                close_dialogs()
        opened["meetings: the selected meeting's dialog"] = timed(window.views["meetings"].on_edit)
        worst = max(opened, key=opened.get)
        line(f"open a record in another area, worst: {worst.partition(':')[0]}", opened[worst], LIMIT_S)
        print("  (each: " + ", ".join(f"{name} {seconds:.3f}" for name, seconds in opened.items()) + ")", flush=True)
        meeting_dialog = next(child for child in window.winfo_children() if isinstance(child, tkinter.Toplevel))
        saves["meetings: the meeting"] = timed(meeting_dialog.on_save)
        close_dialogs()
        worst = max(saves, key=saves.get)
        line(f"save a record in another area, worst: {worst.partition(':')[0]}", saves[worst], LIMIT_S)
        print("  (each: " + ", ".join(f"{name} {seconds:.3f}" for name, seconds in saves.items())
              + "; the record shown at once, the list read in the background)", flush=True)
        window.destroy()
        db.close()


if __name__ == "__main__":
    main()
