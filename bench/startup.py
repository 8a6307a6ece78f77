"""Start-up figures: how soon the window is shown and takes input, against a bare ttkbootstrap window started
in the same run, with a database of N demo members and their history (prints numbers; asserts nothing).

Run: .venv/bin/python bench/startup.py [--count 10000] [--db FILE] [--runs 3]   (needs a display)

Each figure is the median of `--runs` fresh processes, timed from starting the process (interpreter start
included, as the user waits for it) to the window being mapped with its event loop running (an idle callback
after its <Map>), then to the dashboard's first cards and to every card filled.
Lines: name, value, limit, ratio (value / limit), OK or SLOW.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WINDOW_LIMIT_S = 1.0  # issue 14: shown and taking input within 1.0 s …
BARE_RATIO_LIMIT = 3.0  # … and within 3× a bare ttkbootstrap window
DEMO_LIMIT_S = 60.0  # demo --count 10000 with its history

BARE = """
import ttkbootstrap as ttk
window = ttk.Window()
def shown():
    print("shown", flush=True)
    window.destroy()
window.bind("<Map>", lambda _e: window.after_idle(shown))
window.mainloop()
"""

TAMA = """
import sys
from tama_desk.ui import main_window
real_mainloop = main_window.MainWindow.mainloop
def probe(window):
    state = {"shown": False}
    def shown():
        if not state["shown"]:
            state["shown"] = True
            print("shown", flush=True)
            poll()
    def poll():
        dashboard = window.views.get("dashboard")
        if dashboard is not None and dashboard.cards.winfo_children() and not state.get("first"):
            state["first"] = True
            print("first cards", flush=True)
        if dashboard is not None and dashboard.overview is not None:
            print("dashboard", flush=True)
            window.destroy()
        else:
            window.after(10, poll)
    window.bind("<Map>", lambda _e: window.after_idle(shown), add="+")
    real_mainloop(window)
main_window.MainWindow.mainloop = probe
from tama_desk.app import run_app
sys.exit(run_app(sys.argv[1]))
"""


def run_child(code: str, *args: str, env: dict) -> dict[str, float]:
    """Seconds from starting the process to each line it prints."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env,
                             cwd=ROOT)
    marks = {}
    for line in child.stdout:
        marks[line.strip()] = time.perf_counter() - start
    child.wait(timeout=120)
    return marks


def line(name: str, value: float, limit: float | None, unit: str = "s") -> None:
    if limit is None:
        print(f"{name:<44} {value:8.3f} {unit:<2} {'-':>8} {'-':>6}  info")
        return
    ratio = value / limit
    print(f"{name:<44} {value:8.3f} {unit:<2} {limit:8.3f} {ratio:6.2f}  {'OK' if ratio <= 1 else 'SLOW'}")


def build_database(path: Path, count: int) -> float | None:
    """The demo data set with `count` members (reused when the file exists); the seconds it took."""
    if path.exists():
        return None
    from tama_desk.db.engine import open_database
    from tama_desk.services.demo import load_demo

    start = time.perf_counter()
    db = open_database(str(path))
    with db.transaction() as session:
        load_demo(session, count)
    db.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=None, help="reuse this database (built when missing)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import compileall  # bytecode as the installed app has it (see scale.compile_sources)

    compileall.compile_dir(ROOT / "tama_desk", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, TAMA_DESK_HOME=str(Path(folder) / "home"), PYTHONPATH=str(ROOT))
        os.environ["TAMA_DESK_HOME"] = env["TAMA_DESK_HOME"]
        path = args.db or Path(folder) / f"startup-{args.count}.sqlite3"
        built = build_database(path, args.count)
        if built is not None:
            line(f"demo --count {args.count} (members with history)", built, DEMO_LIMIT_S * args.count / 10_000)
        run_child(TAMA, str(path), env=env)  # once untimed: migrations done, files in the OS cache
        bare, shown, first, dashboard = [], [], [], []
        for _ in range(args.runs):  # interleaved, so both see the same load on the machine
            bare.append(run_child(BARE, env=env)["shown"])
            marks = run_child(TAMA, str(path), env=env)
            shown.append(marks["shown"])
            first.append(marks.get("first cards", marks["dashboard"]))
            dashboard.append(marks["dashboard"])
        bare_s, shown_s = statistics.median(bare), statistics.median(shown)
        line("bare ttkbootstrap window shown", bare_s, None)
        line(f"TAMA Desk window shown, {args.count} members", shown_s, WINDOW_LIMIT_S)
        line("TAMA Desk window vs bare window (×)", shown_s / bare_s, BARE_RATIO_LIMIT, "×")
        line("dashboard: first cards shown (its own SQL figures)", statistics.median(first), None)
        line("dashboard cards filled (every area's)", statistics.median(dashboard), None)


if __name__ == "__main__":
    main()
