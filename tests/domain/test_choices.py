from __future__ import annotations

from tama_desk.domain.choices import MEMBER_CATEGORIES, MEMBER_STATUSES, code_for


def test_code_for_code_label_and_english():
    assert code_for(MEMBER_CATEGORIES, "企業") == "company"
    assert code_for(MEMBER_CATEGORIES, " COMPANY ") == "company"
    assert code_for(MEMBER_STATUSES, "退会") == "withdrawn"
    assert code_for(MEMBER_CATEGORIES, "Firm", {"企業": "Firm"}) == "company"
    assert code_for(MEMBER_CATEGORIES, "会社") is None
