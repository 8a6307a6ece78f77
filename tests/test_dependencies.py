"""Dependencies point inward: ui → services → (exports, documents) → domain. Checked on every import
statement, including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tama_desk

PACKAGE = Path(tama_desk.__file__).parent
FORBIDDEN = {  # layer → packages it must never import
    "domain": ("tama_desk.db", "tama_desk.services", "tama_desk.exports", "tama_desk.documents", "tama_desk.ui"),
    "exports": ("tama_desk.db", "tama_desk.services", "tama_desk.documents", "tama_desk.ui"),
    "documents": ("tama_desk.db", "tama_desk.services", "tama_desk.exports", "tama_desk.ui"),
    "services": ("tama_desk.ui",),
    "ui": ("tama_desk.db.models",),
}
PENDING: set[str] = set()  # none left: every layer points inward


def imports_of(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_import_points_outward(layer):
    wrong = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in PENDING:
            continue
        for line, name in imports_of(path):
            if name.startswith(FORBIDDEN[layer]):
                wrong.append(f"{relative}:{line} imports {name}")
    assert not wrong, wrong


# Who may read a CSV/XLSX file itself: the one reader (exports/tables), and those that read something else —
# the self-test and the journals reading back their own bytes, the bank layout's fingerprint (the first line of a
# download, services/reconcile) and the accounting software's list of account names (a plain text file).
READERS = {"exports/tables.py": "the one reader", "cli.py": "self-test", "services/reconcile.py": "layout key",
           "cli_accounting.py": "--known list", "exports/journal_csv.py": "read_back of its own bytes"}


def test_files_are_read_by_the_one_reader():
    """Imports (members, expenditures, costs, attendees, pairings, the bank statement) read their file through
    exports.tables (read_rows/read_table), by the runner in services/importing."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in READERS or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in ("reader", "DictReader", "load_workbook", "decode_text"):
                    wrong.append(f"{relative}:{node.lineno} {name}")
    assert wrong == []


def test_services_and_views_load_without_openpyxl_or_reportlab():
    """Excel and PDF libraries are imported by the functions that write a workbook or a document: a view's
    first showing (its service, its import specs) must not pay for them (issue #14: 0.15 s of openpyxl)."""
    import subprocess
    import sys

    names = [f"tama_desk.services.{path.stem}" for path in sorted((PACKAGE / "services").glob("*.py"))
             if path.stem != "printing" and not path.stem.startswith("demo")]
    # every view and record dialog; the reminder dialog prints a batch of PDFs, which is what it is for
    names += [f"tama_desk.ui.views.{path.stem}" for path in sorted((PACKAGE / "ui" / "views").glob("*.py"))
              if path.stem != "reminder_dialog"]
    probe = ("import importlib, sys\n"
             f"for name in {names!r}:\n"
             "    importlib.import_module(name)\n"
             "    late = [lib for lib in ('openpyxl', 'reportlab') if lib in sys.modules]\n"
             "    if late:\n"
             "        print(name, *late)\n"
             "        break\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=PACKAGE.parent, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "", f"loaded by: {done.stdout}"
