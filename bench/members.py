"""Speed figures for the member registry with 10,000 members (prints numbers; asserts nothing).

Run: .venv/bin/python bench/members.py [--count 10000] [--gui]   (--gui needs a display, e.g. xvfb-run)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tama_desk.db.engine import open_database  # noqa: E402
from tama_desk.exports import members_io  # noqa: E402
from tama_desk.services import members  # noqa: E402
from tama_desk.services.demo import load_demo  # noqa: E402
from tama_desk.services.member_import import import_members  # noqa: E402


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<42} {time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--gui", action="store_true", help="also time the members table in a real window")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "bench.sqlite3"))

        def load():
            with db.transaction() as session:
                load_demo(session, args.count)

        timed(f"demo data, {args.count} members", load)
        with db.reading() as session:
            rows = timed("search: all members (五十音 order)", lambda: members.search_members(session))
            print(f"{'':<42} {len(rows)} rows")
            timed("search: 'たま せいき'", lambda: members.search_members(session, "たま せいき"))
            timed("search: one letter 'ア'", lambda: members.search_members(session, "ア"))
            everyone = timed("load all members with contacts", lambda: members.all_members(session))
            data = timed("export .xlsx", lambda: members_io.export_bytes(everyone, "xlsx"))
            timed("export .csv (cp932)", lambda: members_io.export_bytes(everyone, "csv-cp932"))
        export = Path(folder) / "members.xlsx"
        export.write_bytes(data)

        def reimport():
            with db.transaction() as session:
                return import_members(session, export)

        plan = timed("re-import the .xlsx (update every member)", reimport)
        print(f"{'':<42} {plan.summary()}")
        if args.gui:
            bench_gui(db)
        db.close()


def bench_gui(db) -> None:
    from tama_desk.settings import Preferences
    from tama_desk.ui.main_window import MainWindow

    window = MainWindow(db, Preferences())
    timed("GUI: open the members view", lambda: (window.show_view("members"), window.update()))
    view = window.views["members"]

    def type_and_search(text):
        view.search_var.set(text)
        view.refresh()
        window.update()

    timed("GUI: search-as-you-type 'たま' (refresh)", lambda: type_and_search("たま"))
    timed("GUI: clear search (all rows again)", lambda: type_and_search(""))
    timed("GUI: sort by number", lambda: (view.on_sort("number"), window.update()))
    window.destroy()


if __name__ == "__main__":
    main()
