"""newer checks: the code columns of contracts, meetings, accounting/debits and fee documents accept only the
codes of their list (domain.choices.CHECKED_COLUMNS, as it was at this revision)

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01

PostgreSQL adds the constraints in place; SQLite rebuilds each table (db.migration_steps: foreign keys off
before the transaction, foreign_key_check before the commit, the frozen-invoice triggers of 0008 re-created).
The payment method constraint of 0004 is re-created with the list as it is now (`write_off` joined it after a
database could have run 0004). The codes are copied here: a later change to a list needs its own revision.
"""

from tama_desk.db.migration_steps import add_checks, drop_checks

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

OUTCOMES = ('', '見積・サンプル依頼', '自社ブランド販売希望', '連携継続希望', '成約', '見送り', 'その他')
ACCOUNT_TYPES = ('1', '2')
CHECKS = {
    ('association_profile', 'stamp_duty'): ('exempt', 'print_over_50000'),
    ('fee_schedule', 'proration'): ('full', 'monthly', 'half_year'),
    ('invoice', 'contract_stage'): ('completion', 'milestone', 'advance', 'final'),
    ('client', 'addressee'): ('department', 'head'),
    ('contract', 'tax_category'): ('standard_10', 'reduced_8', 'exempt', 'out_of_scope'),
    ('contract', 'kind'): ('委任', '準委任', '請負'),
    ('contract', 'payment_terms'): ('completion', 'partial', 'advance'),
    ('meeting', 'kind'): ('理事会', '社員総会', '委員会', '研究会', '商談会', '交流会', 'その他'),
    ('meeting', 'status'): ('予定', '開催済', '議事録確定'),
    ('meeting', 'calling_case'): ('', '理事の請求を受けて招集', '請求をした理事が招集', '監事の請求を受けて招集',
                                  '請求をした監事が招集'),
    ('meeting_participant', 'role'): ('代表理事', '理事', '監事', '会計監査人', '社員', '職員', '来賓',
                                      '海外カウンターパート', 'コーディネーター'),
    ('meeting_participant', 'attendance'): ('出席', 'Web出席', '欠席', '委任状', '書面表決'),
    ('meeting_item', 'kind'): ('決議', '報告'),
    ('meeting_item', 'result'): ('', '可決', '否決', '承認', '継続審議', '報告'),
    ('action_item', 'status'): ('未着手', '対応中', '完了'),
    ('matching_pairing', 'outcome'): OUTCOMES,
    ('matching_follow_up', 'outcome'): OUTCOMES,
    ('meeting_settings', 'board_signers'): ('attending', 'representative'),
    ('accounting_export_batch', 'format'): ('yayoi', 'mf', 'freee'),
    ('debit_client', 'account_type'): ACCOUNT_TYPES,
    ('debit_mandate', 'account_type'): ACCOUNT_TYPES,
    ('debit_mandate', 'status'): ('applied', 'registered', 'stopped'),
    ('debit_record', 'new_code'): ('0', '1'),
    ('debit_record', 'result_code'): ('0', '1', '2', '3', '4', '8', '9'),
    ('write_off', 'kind'): ('transfer_fee',),
    ('reminder_sent', 'level'): (1, 2),
}
# 0004's constraint, and the list it has from here on
PAYMENT_METHOD = {('payment', 'method'): ('transfer', 'direct_debit', 'cash', 'write_off')}


def upgrade() -> None:
    drop_checks(revision, PAYMENT_METHOD)
    add_checks(revision, {**PAYMENT_METHOD, **CHECKS})


def downgrade() -> None:
    drop_checks(revision, CHECKS)
