"""Migration 0018: the last code columns without a CHECK get theirs (meeting_consent.role,
grant_project.rounding_unit, association_profile.bank_account_type); every code column of every table has one."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tama_desk.db import engine as engine_module
from tama_desk.db.engine import head_revision
from tama_desk.db.models import Base
from tama_desk.domain.choices import CHECKED_COLUMNS
from tama_desk.errors import UserError
from tama_desk.services import meetings, profile
from tests.db.test_migrations import checks_in, row_counts
from tests.factories import make_meeting

# Words that make a column a code column (its values come from a fixed list) …
CODE_WORDS = ("status", "kind", "role", "method", "type", "level", "format", "category", "outcome", "result",
              "stage", "mode", "basis", "formula", "terms", "case", "purpose", "attendance", "rounding", "signers",
              "addressee", "duty", "proration", "code")
# … and the columns so named whose values are not a fixed list, with the reason.
NOT_CODES = {
    ("accounting_account", "role"): "open: a role per 費目 (cost:旅費 …)",
    ("grant_budget", "category"): "the grant's own 費目, any text",
    ("grant_expenditure", "category"): "the grant's own 費目, any text",
    ("grant_budget_change", "from_category"): "the grant's own 費目",
    ("grant_budget_change", "to_category"): "the grant's own 費目",
    ("contract_cost", "category"): "the contract's own 費目, any text",
    ("meeting", "minute_signers"): "names",
    ("postal_code", None): "a number, checked by the validators",
    ("corporate_number", None): "a number",
    ("client_code", None): "a number (全銀 委託者コード)",
    ("bank_code", None): "a number, checked against the 全銀 list",
    ("branch_code", None): "a number, checked against the 全銀 list",
}


def is_code_column(table: str, column: sa.Column) -> bool:
    if column.primary_key or column.foreign_keys or not isinstance(column.type, sa.String | sa.Integer):
        return False
    if isinstance(column.type, sa.Text) or (table, column.name) in NOT_CODES or (column.name, None) in NOT_CODES:
        return False
    return any(word in column.name.split("_") for word in CODE_WORDS)


def test_every_code_column_has_its_check():
    code_columns = {(table.name, column.name) for table in Base.metadata.tables.values()
                    for column in table.columns if is_code_column(table.name, column)}
    assert code_columns - set(CHECKED_COLUMNS) == set()
    assert ("meeting_consent", "role") in code_columns  # the one the issue names


def test_0018_upgrade_from_a_demo_filled_0016_keeps_every_row_and_adds_the_checks(demo_db):
    with demo_db.transaction() as session:  # a consent, so that the rebuilt table holds a row
        meeting = make_meeting(session, without_meeting=True, deemed_date=date(2026, 6, 10), proposer="山本 一郎")
        meetings.record_consent(session, meeting.id, name="山本 一郎", role="理事", on=date(2026, 6, 5))
    engine_module.downgrade(demo_db.engine, "0016")
    with demo_db.engine.begin() as connection:  # typed by hand once: read as 当座
        connection.exec_driver_sql("UPDATE association_profile SET bank_account_type = '当座預金'")
    before = row_counts(demo_db.engine)
    assert before["meeting_consent"] >= 1 and before["grant_project"] >= 1 and before["association_profile"] == 1
    assert ("meeting_consent", "role") not in checks_in(demo_db.engine)
    with demo_db.engine.connect() as connection:
        triggers = set(connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
    engine_module.upgrade(demo_db.engine, "head")
    assert engine_module.current_revision(demo_db.engine) == head_revision()
    after = row_counts(demo_db.engine)
    assert {table: after[table] for table in before} == before  # table by table
    in_database = checks_in(demo_db.engine)
    assert in_database[("meeting_consent", "role")].startswith("role IN ('代表理事', '理事', '監事'")
    assert in_database[("grant_project", "rounding_unit")] == "rounding_unit IN (1, 1000)"
    assert in_database[("association_profile", "bank_account_type")] == "bank_account_type IN ('普通', '当座')"
    with demo_db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT bank_account_type FROM association_profile").scalar() == "当座"
        assert triggers <= set(connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())  # re-created after the rebuild
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        for sql in ("UPDATE meeting_consent SET role = '幹事'", "UPDATE grant_project SET rounding_unit = 10",
                    "UPDATE association_profile SET bank_account_type = '貯蓄'"):
            with pytest.raises(IntegrityError, match="CHECK constraint failed"):
                connection.exec_driver_sql(sql)


def test_the_services_refuse_a_code_outside_the_list_before_the_database_does(db):
    with db.transaction() as session:
        meeting = make_meeting(session, without_meeting=True, deemed_date=date(2026, 6, 10), proposer="山本 一郎")
        with pytest.raises(UserError) as refused:
            meetings.record_consent(session, meeting.id, name="甲", role="幹事", on=date(2026, 6, 5))
        assert "幹事" in refused.value.text()
        with pytest.raises(UserError) as refused:
            profile.update_profile(session, {"bank_account_type": "貯蓄"})
        assert refused.value.problems[0].field == "預金種目"
    with db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM meeting_consent")).scalar() == 0
