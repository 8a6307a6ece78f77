from __future__ import annotations

import pytest

from tama_desk.domain import validators as v


def test_ascii_fold():
    assert v.ascii_fold(" ０４２－６００ー１２３４ ") == "042-600-1234"
    assert v.ascii_fold("ＡＢＣ＠ｅｘａｍｐｌｅ．ｊｐ") == "ABC@example.jp"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1920046", "192-0046"), ("１９２００４６", "192-0046"), ("192-0046", "192-0046"), ("１９２－００４６", "192-0046"),
     (" 192ー0046 ", "192-0046")],
)
def test_normalize_postal_code(typed, expected):
    assert v.normalize_postal_code(typed) == expected
    assert v.postal_code_error(expected) is None


@pytest.mark.parametrize("bad", ["192004", "19200466", "192-004", "abc-defg", "", "1920-046"])
def test_postal_code_error(bad):
    assert v.postal_code_error(v.normalize_postal_code(bad))


@pytest.mark.parametrize("good", ["042-600-1234", "0426001234", "+81-42-600-1234", "03 1234 5678", "042(600)1234"])
def test_phone_ok(good):
    assert v.phone_error(good) is None


@pytest.mark.parametrize("bad", ["abc", "123", "042-600-1234 内線", "", "-42-600-1234"])
def test_phone_error(bad):
    assert v.phone_error(bad)


@pytest.mark.parametrize("good", ["a@example.jp", "office.tama+x@sub.example.co.jp"])
def test_email_ok(good):
    assert v.email_error(good) is None


@pytest.mark.parametrize("bad", ["a@b", "@example.jp", "a example@x.jp", "a@@x.jp", ""])
def test_email_error(bad):
    assert v.email_error(bad)


def test_corporate_number_error():
    assert v.corporate_number_error("7000012050002") is None
    assert "13桁" in v.corporate_number_error("700001205000")
    assert "チェックデジット" in v.corporate_number_error("6000012050002")


def test_registration_number_normalise_and_check():
    assert v.normalize_registration_number("ｔ７０００－０１２０－５０００２") == "T7000012050002"
    assert v.normalize_registration_number("t 7000 0120 50002") == "T7000012050002"
    assert v.registration_number_error("T7000012050002") is None
    assert "T" in v.registration_number_error("7000012050002")
    assert "チェックデジット" in v.registration_number_error("T6000012050002")


def test_kana_and_payer_name():
    assert v.normalize_kana("たま") == "タマ"
    assert v.kana_error("タマ") is None
    assert v.kana_error("多摩")
    assert v.normalize_payer_name("カ）タマショウジ") == "ｶ)ﾀﾏｼﾖｳｼﾞ"
    assert v.payer_name_error("ｶ)ﾀﾏｼﾖｳｼﾞ") is None
    assert v.payer_name_error("多摩商事")
