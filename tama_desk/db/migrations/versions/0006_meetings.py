"""meetings

Revision ID: 0006
Revises: 0009
Create Date: 2026-12-01
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

from tama_desk.db.migration_steps import audit_columns


revision = '0006'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('series', sa.String(length=200), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('online', sa.String(length=300), nullable=False),
    sa.Column('calling_case', sa.String(length=50), nullable=False),
    sa.Column('called_by', sa.String(length=100), nullable=False),
    sa.Column('chair', sa.String(length=100), nullable=False),
    sa.Column('recorder', sa.String(length=100), nullable=False),
    sa.Column('minute_signers', sa.String(length=300), nullable=False),
    sa.Column('statements', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total_members', sa.Integer(), nullable=True),
    sa.Column('total_votes', sa.Integer(), nullable=True),
    sa.Column('without_meeting', sa.Boolean(), nullable=False),
    sa.Column('deemed_date', sa.Date(), nullable=True),
    sa.Column('proposer', sa.String(length=100), nullable=False),
    sa.Column('auditor_objection', sa.Boolean(), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('country', sa.String(length=100), nullable=False),
    sa.Column('counterpart_body', sa.String(length=200), nullable=False),
    sa.Column('coordinator', sa.String(length=100), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=100), nullable=False),
    sa.Column('retention_until', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_status'), ['status'], unique=False)

    op.create_table('meeting_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_signers', sa.String(length=20), nullable=False),
    sa.Column('assembly_signer_count', sa.Integer(), nullable=False),
    sa.Column('assembly_quorum', sa.String(length=10), nullable=False),
    sa.Column('follow_up_owner', sa.String(length=100), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_settings'))
    )
    op.create_table('meeting_amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('amended_on', sa.Date(), nullable=False),
    sa.Column('what', sa.String(length=300), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_amendment_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_amendment'))
    )
    with op.batch_alter_table('meeting_amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_amendment_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('consented_on', sa.Date(), nullable=True),
    sa.Column('objection', sa.Boolean(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_consent_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_consent'))
    )
    with op.batch_alter_table('meeting_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_consent_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('special', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=10), nullable=False),
    sa.Column('at', sa.Time(), nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('votes_against', sa.Integer(), nullable=False),
    sa.Column('votes_abstain', sa.Integer(), nullable=False),
    sa.Column('members_for', sa.Integer(), nullable=True),
    sa.Column('interested', sa.String(length=300), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_item_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_item'))
    )
    with op.batch_alter_table('meeting_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_item_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('what', sa.String(length=300), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('carried_to_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['carried_to_id'], ['meeting.id'], name=op.f('fk_action_item_carried_to_id_meeting'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['meeting_item.id'], name=op.f('fk_action_item_item_id_meeting_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_action_item_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item'))
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_due'), ['due'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_status'), ['status'], unique=False)

    op.create_table('matching_pairing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('counterpart', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=100), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=False),
    sa.Column('slot', sa.Time(), nullable=True),
    sa.Column('interpreter', sa.String(length=100), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('follow_up_date', sa.Date(), nullable=True),
    sa.Column('contract_date', sa.Date(), nullable=True),
    sa.Column('contract_amount', sa.BigInteger(), nullable=False),
    sa.Column('contract_note', sa.String(length=300), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_matching_pairing_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_matching_pairing_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_pairing'))
    )
    with op.batch_alter_table('matching_pairing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_pairing_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matching_pairing_member_id'), ['member_id'], unique=False)

    op.create_table('matching_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['pairing_id'], ['matching_pairing.id'], name=op.f('fk_matching_follow_up_pairing_id_matching_pairing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_follow_up'))
    )
    with op.batch_alter_table('matching_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_follow_up_due'), ['due'], unique=False)
        batch_op.create_index(batch_op.f('ix_matching_follow_up_pairing_id'), ['pairing_id'], unique=False)

    op.create_table('meeting_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('attendance', sa.String(length=10), nullable=False),
    sa.Column('proxy_to', sa.String(length=100), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('arrival', sa.Time(), nullable=True),
    sa.Column('departure', sa.Time(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_meeting_participant_contact_id_contact'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_participant_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_meeting_participant_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_participant'))
    )
    with op.batch_alter_table('meeting_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_participant_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_participant_member_id'), ['member_id'], unique=False)

    with op.batch_alter_table('membership_type', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voting', sa.Boolean(), nullable=False, server_default=sa.true()))
    # 社員 (議決権あり) by default for every type but 賛助会員 (a setting: 会員種別)
    op.execute("UPDATE membership_type SET voting = false WHERE name = '賛助会員'")
    settings = sa.table("meeting_settings", sa.column("id"), sa.column("board_signers"),
                        sa.column("assembly_signer_count"), sa.column("assembly_quorum"),
                        sa.column("follow_up_owner"), sa.column("created_at"), sa.column("created_by"),
                        sa.column("updated_at"), sa.column("updated_by"))
    op.bulk_insert(settings, [{"id": 1, "board_signers": "attending", "assembly_signer_count": 2,
                               "assembly_quorum": "1/2", "follow_up_owner": "事務局",
                               "created_at": datetime(2026, 12, 1), "created_by": "migration",
                               "updated_at": datetime(2026, 12, 1), "updated_by": "migration"}])


def downgrade() -> None:
    with op.batch_alter_table('membership_type', schema=None) as batch_op:
        batch_op.drop_column('voting')

    with op.batch_alter_table('meeting_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_participant_member_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_participant_meeting_id'))

    op.drop_table('meeting_participant')
    with op.batch_alter_table('matching_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_follow_up_pairing_id'))
        batch_op.drop_index(batch_op.f('ix_matching_follow_up_due'))

    op.drop_table('matching_follow_up')
    with op.batch_alter_table('matching_pairing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_pairing_member_id'))
        batch_op.drop_index(batch_op.f('ix_matching_pairing_meeting_id'))

    op.drop_table('matching_pairing')
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_status'))
        batch_op.drop_index(batch_op.f('ix_action_item_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_due'))

    op.drop_table('action_item')
    with op.batch_alter_table('meeting_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_item_meeting_id'))

    op.drop_table('meeting_item')
    with op.batch_alter_table('meeting_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_consent_meeting_id'))

    op.drop_table('meeting_consent')
    with op.batch_alter_table('meeting_amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_amendment_meeting_id'))

    op.drop_table('meeting_amendment')
    op.drop_table('meeting_settings')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_status'))
        batch_op.drop_index(batch_op.f('ix_meeting_kind'))
        batch_op.drop_index(batch_op.f('ix_meeting_day'))

    op.drop_table('meeting')
