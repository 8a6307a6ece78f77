"""Every code column gets its CHECK whichever models module a process imports first (a CLI command whose
service imports an area's models before db.models once failed with KeyError: 'client')."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AREAS = ["models", "models_accounting", "models_contracts", "models_feedocs", "models_meetings", "models_receipts",
         "models_reliability"]
COUNT = """
import tama_desk.db.{module}
from tama_desk.db.models import Base
from tama_desk.domain.choices import CHECKED_COLUMNS
names = {{c.name for t in Base.metadata.tables.values() for c in t.constraints
          if c.__class__.__name__ == "CheckConstraint"}}
print(sorted(key for key in CHECKED_COLUMNS if f"ck_{{key[0]}}_{{key[1]}}" not in names))
"""


@pytest.mark.parametrize("module", AREAS)
def test_each_code_column_is_checked_whichever_module_comes_first(module):
    result = subprocess.run([sys.executable, "-c", COUNT.format(module=module)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
