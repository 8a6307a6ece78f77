"""more checks: the code columns still without their CHECK accept only the codes of their list
(domain.choices.CHECKED_COLUMNS, as it was at this revision)

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-01

meeting_consent.role (the roles of domain.meetings), grant_project.rounding_unit (1 or 1,000 yen) and
association_profile.bank_account_type (普通・当座, the labels of the 全銀 account types). PostgreSQL adds the
constraints in place; SQLite rebuilds each table as 0012 does (db.migration_steps: foreign keys off before the
transaction, foreign_key_check before the commit, triggers re-created). The codes are copied here.

The window has only ever offered 普通 and 当座 for the account type, but the column took any text: a value
naming 当座 (当座預金) becomes 当座, any other value outside the list the column's default 普通, so that the
constraint never stops the upgrade.
"""

import sqlalchemy as sa
from alembic import op

from tama_desk.db.migration_steps import add_checks, drop_checks

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

CHECKS = {
    ('meeting_consent', 'role'): ('代表理事', '理事', '監事', '会計監査人', '社員', '職員', '来賓',
                                  '海外カウンターパート', 'コーディネーター'),
    ('grant_project', 'rounding_unit'): (1, 1000),
    ('association_profile', 'bank_account_type'): ('普通', '当座'),
}


def upgrade() -> None:
    op.execute(sa.text(
        "UPDATE association_profile SET bank_account_type = CASE WHEN bank_account_type LIKE :current THEN '当座' "
        "ELSE '普通' END WHERE bank_account_type IS NULL OR bank_account_type NOT IN ('普通', '当座')"
    ).bindparams(current="%当座%"))
    add_checks(revision, CHECKS)


def downgrade() -> None:
    drop_checks(revision, CHECKS)
