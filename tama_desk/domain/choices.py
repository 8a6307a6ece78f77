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
