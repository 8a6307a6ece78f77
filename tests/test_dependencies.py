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
