"""Fixed code lists stored in the database by code and shown by their Japanese label.

The label passes through i18n.t() when shown; importers accept the code, the Japanese label
or the English label.
"""

from __future__ import annotations

MEMBER_CATEGORIES: dict[str, str] = {
    "company": "企業",
    "academic": "大学・研究機関",
    "municipality": "自治体",
    "financial": "金融機関",
    "support": "支援機関",
    "individual": "個人",
    "overseas": "海外機関",
}

MEMBER_STATUSES: dict[str, str] = {
    "active": "在籍",
    "suspended": "休会",
    "withdrawn": "退会",
}

TAX_CATEGORIES: dict[str, str] = {
    "standard_10": "課税10%",
    "reduced_8": "軽減8%",
    "exempt": "非課税",
    "out_of_scope": "不課税",
}

ROUNDING_MODES: dict[str, str] = {
    "floor": "切捨て",
    "half_up": "四捨五入",
    "ceil": "切上げ",
}


# 補助事業の状態, in the order a grant passes through them (see domain/grant_status.py)
GRANT_STATUSES: dict[str, str] = {
    "applied": "申請中",
    "decided": "交付決定",
    "running": "実施中",
    "reported": "実績報告済",
    "confirmed": "額確定",
    "settled": "精算済",
}
GRANT_FORMULAS: dict[str, str] = {"rate": "補助率方式", "ratio": "按分方式"}
GRANT_TAX_BASES: dict[str, str] = {"excluded": "税抜", "included": "税込"}
BUDGET_CHANGE_KINDS: dict[str, str] = {"reallocation": "流用", "approved_change": "変更承認"}
GRANT_ROUNDING_UNITS: dict[int, str] = {1: "1円未満切捨", 1000: "1,000円未満切捨"}  # 補助金額の端数処理

INVOICE_KINDS: dict[str, str] = {"invoice": "請求書", "credit_note": "返還請求書"}
INVOICE_STATUSES: dict[str, str] = {"issued": "発行済", "cancelled": "取消"}
INVOICE_PURPOSES: dict[str, str] = {
    "annual_fee": "年会費",
    "admission_fee": "入会金",
    "event": "セミナー・イベント参加費",
    "other": "その他",
}
# 収入印紙 on a 領収書: the association says which applies (confirm with the 税理士); never decided silently
STAMP_DUTY: dict[str, str] = {
    "exempt": "印紙税: 非課税（営業に関しない受取書）",
    "print_over_50000": "5万円以上は収入印紙欄を印字",
}
STAMP_DUTY_THRESHOLD = 50_000  # yen: 受取書 of this amount or more bear stamp duty when it applies
# money received (a write-off is a WriteOff record, never a payment: migration 0019 dropped `write_off`)
PAYMENT_METHODS: dict[str, str] = {"transfer": "振込", "direct_debit": "口座振替", "cash": "現金"}

# Codes of the newer areas whose rules live in services (the services read them from here).
CONTRACT_STAGES: dict[str, str] = {"completion": "完了払い", "milestone": "部分払い", "advance": "概算払", "final": "精算"}
CLIENT_ADDRESSEES: dict[str, str] = {"department": "担当課 御中", "head": "首長 様"}
JOURNAL_FORMATS: dict[str, str] = {"yayoi": "弥生会計", "mf": "マネーフォワード クラウド会計", "freee": "freee会計"}
DEBIT_MANDATE_STATUSES: dict[str, str] = {"applied": "申込中", "registered": "登録済", "stopped": "停止"}
DEBIT_NEW_CODES: dict[str, str] = {"0": "その他", "1": "第1回引落分"}  # 全銀 新規コード
WRITE_OFF_KINDS: dict[str, str] = {"transfer_fee": "振込手数料差引"}
REMINDER_LEVELS: dict[int, str] = {1: "お支払いのお願い", 2: "督促状"}


def _newer_areas() -> dict[tuple[str, str], dict | tuple]:
    from tama_desk.domain import contracts, meetings, proration, zengin

    return {
        ("association_profile", "stamp_duty"): STAMP_DUTY,
        ("fee_schedule", "proration"): proration.PRORATIONS,
        ("invoice", "contract_stage"): CONTRACT_STAGES,
        ("client", "addressee"): CLIENT_ADDRESSEES,
        ("contract", "tax_category"): TAX_CATEGORIES,
        ("contract", "kind"): contracts.KINDS,
        ("contract", "payment_terms"): contracts.PAYMENT_TERMS,
        ("meeting", "kind"): meetings.KINDS,
        ("meeting", "status"): meetings.STATUSES,
        ("meeting", "calling_case"): meetings.CALLING_CASES,
        ("meeting_participant", "role"): meetings.ROLES,
        ("meeting_participant", "attendance"): meetings.ATTENDANCE,
        ("meeting_item", "kind"): meetings.ITEM_KINDS,
        ("meeting_item", "result"): ("", *meetings.RESULTS),
        ("action_item", "status"): meetings.ACTION_STATUSES,
        ("matching_pairing", "outcome"): ("", *meetings.OUTCOMES),
        ("matching_follow_up", "outcome"): ("", *meetings.OUTCOMES),
        ("meeting_settings", "board_signers"): meetings.BOARD_SIGNERS,
        ("accounting_export_batch", "format"): JOURNAL_FORMATS,
        ("debit_client", "account_type"): zengin.ACCOUNT_TYPES,
        ("debit_mandate", "account_type"): zengin.ACCOUNT_TYPES,
        ("debit_mandate", "status"): DEBIT_MANDATE_STATUSES,
        ("debit_record", "new_code"): DEBIT_NEW_CODES,
        ("debit_record", "result_code"): zengin.RESULT_CODES,
        ("write_off", "kind"): WRITE_OFF_KINDS,
        ("reminder_sent", "level"): REMINDER_LEVELS,
        # migration 0018
        ("meeting_consent", "role"): meetings.ROLES,
        ("grant_project", "rounding_unit"): GRANT_ROUNDING_UNITS,
        ("association_profile", "bank_account_type"): tuple(zengin.ACCOUNT_TYPES.values()),
    }


# Every code column and the one list its values come from: each is a CHECK constraint (the models declare
# them; migration 0004 created those of the first areas, 0012 those of the newer ones, 0018 the last three, each
# with the values copied into it), and tests/db checks that the models and a migrated database carry the same ones.
CHECKED_COLUMNS: dict[tuple[str, str], dict | tuple] = {
    ("member", "category"): MEMBER_CATEGORIES,
    ("member", "status"): MEMBER_STATUSES,
    ("membership_type", "tax_category"): TAX_CATEGORIES,
    ("fee_schedule", "tax_category"): TAX_CATEGORIES,
    ("invoice_line", "tax_category"): TAX_CATEGORIES,
    ("association_profile", "tax_rounding"): ROUNDING_MODES,
    ("invoice", "kind"): INVOICE_KINDS,
    ("invoice", "status"): INVOICE_STATUSES,
    ("invoice", "purpose"): INVOICE_PURPOSES,
    ("payment", "method"): PAYMENT_METHODS,
    ("grant_project", "status"): GRANT_STATUSES,
    ("grant_project", "formula"): GRANT_FORMULAS,
    ("grant_project", "tax_basis"): GRANT_TAX_BASES,
    ("grant_budget_change", "kind"): BUDGET_CHANGE_KINDS,
    **_newer_areas(),
}


def check_condition(column: str, choices: dict | tuple) -> str:
    """The SQL of a CHECK constraint allowing exactly the codes of a list: `status IN ('a', 'b')`."""
    return f"{column} IN ({', '.join(repr(code) for code in choices)})"


def code_for(choices: dict[str, str], text: str, english: dict[str, str] | None = None) -> str | None:
    """The code whose code, Japanese label or English label equals `text` (case-insensitive), else None."""
    wanted = text.strip().casefold()
    for code, label in choices.items():
        names = {code.casefold(), label.casefold()}
        if english and label in english:
            names.add(english[label].casefold())
        if wanted in names:
            return code
    return None
