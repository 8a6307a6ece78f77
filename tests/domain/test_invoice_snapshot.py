from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from tama_desk.domain.invoice import KINDS, OUT_OF_SCOPE_NOTICE, DocumentSnapshot, Issuer, Recipient
from tama_desk.domain.tax import Line, RateTotal

SEAL = b"\x89PNG\r\n\x1a\n fake seal bytes \x00\xff"
ISSUER = Issuer(name="一般社団法人 多摩産業ネットワーク協会", representative_title="会長", representative="山本 一郎",
                postal_code="192-0046", address="東京都八王子市明神町4-7-1", phone="042-600-1234",
                email="office@example.jp", registration_number="T1234567890123", bank_name="多摩みらい信用金庫",
                bank_branch="八王子支店", bank_account_type="普通", bank_account_number="1234567",
                bank_account_holder="ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳ", seal_png=SEAL, seal_sha256="ab" * 32)
RECIPIENT = Recipient(name="株式会社多摩精機", honorific="御中", postal_code="190-0012", address="東京都立川市曙町1-1",
                      contact="総務部 田中 花子 様", member_number="0001")


def build(**values) -> DocumentSnapshot:
    base = dict(kind="invoice", number="2026-0001", issue_date=date(2026, 4, 10), issuer=ISSUER, recipient=RECIPIENT,
                lines=[Line("2026年度 年会費（正会員）", 1, 70000, "out_of_scope"),
                       *[Line("セミナー参加費", 1, 105, "standard_10")] * 3, Line("お茶", 2, 1080, "reduced_8")],
                subject="2026年度 年会費のご請求", period_start=date(2026, 4, 1), period_end=date(2027, 3, 31),
                due_date=date(2026, 5, 10))
    return DocumentSnapshot.build(**(base | values))


def test_build_computes_totals_once_per_rate():
    snapshot = build()
    assert snapshot.totals == (RateTotal("standard_10", 315, 31), RateTotal("reduced_8", 2160, 172),
                               RateTotal("out_of_scope", 70000, 0))
    assert snapshot.total == 315 + 31 + 2160 + 172 + 70000
    assert isinstance(snapshot.lines, tuple)
    assert snapshot.title == "請求書"


def test_build_uses_the_rounding_mode_and_tax_included_prices():
    assert build(rounding="ceil").totals[0] == RateTotal("standard_10", 315, 32)
    assert build(prices_include_tax=True).totals[0] == RateTotal("standard_10", 287, 28)


@pytest.mark.parametrize(("kind", "title"), list(KINDS.items()))
def test_titles(kind, title):
    assert build(kind=kind).title == title


def test_out_of_scope_notice_only_with_out_of_scope_lines():
    assert build().out_of_scope_notice == OUT_OF_SCOPE_NOTICE
    assert build(lines=[Line("セミナー参加費", 1, 1000, "standard_10")]).out_of_scope_notice == ""


def test_amount_documents_without_lines():
    receipt = replace(build(), kind="receipt", lines=(), totals=(), amount=35000)
    assert receipt.total == 35000
    assert replace(receipt, amount=None).total == 0


def test_json_round_trip_is_equal_and_stable():
    snapshot = build(transaction_date=date(2026, 4, 15), original_number="2025-0042",
                     original_issue_date=date(2025, 4, 10), notes="備考", amount=None)
    text = snapshot.to_json()
    back = DocumentSnapshot.from_json(text)
    assert back == snapshot
    assert back.issuer.seal_png == SEAL  # bytes survive (base64 in the JSON)
    assert back.to_json() == text  # deterministic: sorted keys
    data = json.loads(text)
    assert data["issue_date"] == "2026-04-10" and data["transaction_date"] == "2026-04-15"
    assert data["recipient"]["name"] == "株式会社多摩精機"
    assert "株式会社多摩精機" in text  # readable Japanese, not \\u escapes
    assert data["totals"][0] == {"tax_category": "standard_10", "net": 315, "tax": 31}


def test_round_trip_without_optional_values():
    snapshot = DocumentSnapshot.build(kind="credit_note", number="2026-0009", issue_date=date(2026, 6, 1),
                                      issuer=replace(ISSUER, seal_png=None, seal_sha256=""),
                                      recipient=Recipient(name="佐藤 太郎", honorific="様"),
                                      lines=[Line("返還", 1, 1000, "out_of_scope")])
    back = DocumentSnapshot.from_json(snapshot.to_json())
    assert back == snapshot
    assert (back.due_date, back.original_issue_date, back.issuer.seal_png) == (None, None, None)


def test_from_json_ignores_fields_it_does_not_know():
    """An archived snapshot written by a newer version still opens."""
    data = json.loads(build().to_json())
    data["added_in_a_later_version"] = "x"
    assert DocumentSnapshot.from_json(json.dumps(data, ensure_ascii=False)) == build()
