"""A PostgreSQL schema of its own per test, when TAMA_DESK_TEST_PG_URL names a database the tests may use."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

PG_URL = os.environ.get("TAMA_DESK_TEST_PG_URL", "")


@pytest.fixture
def pg_url():
    if not PG_URL:
        pytest.skip("PostgreSQL tests need TAMA_DESK_TEST_PG_URL")
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(PG_URL)
    name = f"tama_guard_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    yield make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
        hide_password=False)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    admin.dispose()
