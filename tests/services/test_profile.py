from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import AssociationProfile, AuditLog, MembershipType
from tama_desk.errors import UserError
from tama_desk.services import profile as p

GOOD = {
    "name": "一般社団法人 多摩産業ネットワーク協会",
    "postal_code": "１９２００４６",
    "registration_number": "t7000-0120-50002",
    "email": "office@example.jp",
    "fiscal_year_start_month": "4",
    "invoice_number_pattern": "INV-{fy}-{seq:03d}",
    "tax_rounding": "half_up",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def refused(db, values) -> list[str]:
    with db.transaction() as session, pytest.raises(UserError) as caught:
        p.update_profile(session, values)
    return [problem.field for problem in caught.value.problems]


def stored(db) -> AssociationProfile:
    with db.reading() as session:
        return session.get(AssociationProfile, 1)


def test_update_profile_normalises(db):
    with db.transaction() as session:
        p.update_profile(session, GOOD | {"seal_png": PNG})
    profile = stored(db)
    assert profile.name == GOOD["name"]
    assert profile.postal_code == "192-0046"
    assert profile.registration_number == "T7000012050002"
    assert profile.fiscal_year_start_month == 4
    assert profile.invoice_number_pattern == "INV-{fy}-{seq:03d}"
    assert profile.tax_rounding == "half_up"
    assert profile.seal_png == PNG
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(AssociationProfile)) == 1
        assert session.scalar(select(AuditLog.entity).where(AuditLog.action == "update")) == "association_profile"


@pytest.mark.parametrize(
    ("key", "value", "label"),
    [
        ("registration_number", "T7000012050001", "登録番号"),
        ("registration_number", "7000012050002", "登録番号"),
        ("postal_code", "192-004", "郵便番号"),
        ("email", "office@", "メール"),
        ("fiscal_year_start_month", "13", "年度開始月"),
        ("fiscal_year_start_month", "0", "年度開始月"),
        ("fiscal_year_start_month", "四", "年度開始月"),
        ("invoice_number_pattern", "{fy}-0001", "請求書番号の形式"),
        ("invoice_number_pattern", "{fy}-{no}", "請求書番号の形式"),
        ("invoice_number_pattern", "{seq:04q}", "請求書番号の形式"),
        ("tax_rounding", "round", "消費税の端数処理"),
        ("seal_png", b"GIF89a", "角印"),
    ],
)
def test_invalid_value_changes_nothing(db, key, value, label):
    assert refused(db, GOOD | {key: value}) == [label]
    profile = stored(db)
    assert (profile.name, profile.postal_code, profile.fiscal_year_start_month, profile.tax_rounding) == (
        "", "", 4, "floor")
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditLog)) == 0


@pytest.mark.parametrize("pattern", ["{fy}-{{seq}}", "No.{seq:05d}"])
def test_pattern_that_repeats_numbers_refused(db, pattern):
    assert refused(db, {"invoice_number_pattern": pattern}) == ["請求書番号の形式"]


def test_blank_optional_values_allowed(db):
    with db.transaction() as session:
        p.update_profile(session, {"postal_code": "", "registration_number": "", "email": "", "seal_png": None})
    assert stored(db).registration_number == ""


def test_unknown_key_rejected(db):
    with db.transaction() as session, pytest.raises(KeyError):
        p.update_profile(session, {"colour": "red"})


def test_get_profile_of_a_missing_row_reads_defaults_and_writes_nothing(db):
    with db.transaction() as session:
        session.delete(session.get(AssociationProfile, 1))
    with db.transaction() as session:
        profile = p.get_profile(session)
        assert (profile.id, profile.representative_title, profile.fiscal_year_start_month) == (1, "会長", 4)
    with db.reading() as session:
        assert session.get(AssociationProfile, 1) is None
    with db.transaction() as session:
        p.update_profile(session, {"name": "多摩協会"})
    assert (stored(db).name, stored(db).representative_title) == ("多摩協会", "会長")


def test_membership_types(db):
    with db.transaction() as session:
        kind = p.save_membership_type(session, " 学生会員 ", 5000, "out_of_scope")
        assert kind.sort_order == 4
        p.save_membership_type(session, "学生会員", 6000, "standard_10", kind.id)
        p.save_membership_type(session, "休会員", 0, "out_of_scope")
        session.get(MembershipType, kind.id).active = False
    with db.reading() as session:
        names = [(t.name, t.annual_fee, t.tax_category) for t in p.membership_types(session)]
        active = [t.name for t in p.membership_types(session, active_only=True)]
    assert names[3:] == [("学生会員", 6000, "standard_10"), ("休会員", 0, "out_of_scope")]
    assert active == ["正会員", "賛助会員", "特別会員", "休会員"]


@pytest.mark.parametrize(
    ("name", "fee", "tax", "fields"),
    [("正会員", 1000, "out_of_scope", ["会員種別"]), ("", 0, "out_of_scope", ["会員種別"]),
     ("新会員", -1, "out_of_scope", ["年会費"]), ("新会員", 100, "tax", ["税区分"])],
)
def test_membership_type_problems(db, name, fee, tax, fields):
    with db.transaction() as session, pytest.raises(UserError) as caught:
        p.save_membership_type(session, name, fee, tax)
    assert [problem.field for problem in caught.value.problems] == fields
    with db.reading() as session:
        assert len(p.membership_types(session)) == 3
