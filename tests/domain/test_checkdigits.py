from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tama_desk.domain.checkdigits import (
    corporate_check_digit,
    is_valid_corporate_number,
    is_valid_registration_number,
    with_check_digit,
)

NTA = "7000012050002"  # 国税庁's own 法人番号

base12 = st.text(alphabet="0123456789", min_size=12, max_size=12)


def test_national_tax_agency_number_is_valid():
    assert is_valid_corporate_number(NTA)
    assert corporate_check_digit(NTA[1:]) == 7
    assert with_check_digit(NTA[1:]) == NTA


def test_check_digit_by_hand():
    # base 000000000001: P_1 = 1 (Q=1) → 9 - 1 = 8; base 000000000010: P_2 = 1 (Q=2) → 9 - 2 = 7
    assert with_check_digit("000000000001") == "8000000000001"
    assert with_check_digit("000000000010") == "7000000000010"
    # sum a multiple of 9 gives 9, never 0
    assert with_check_digit("000000000000") == "9000000000000"
    assert with_check_digit("000000000009") == "9000000000009"


@pytest.mark.parametrize("number", ["6000012050002", "700001205000", "70000120500021", "700001205000a", "", " 7000012050002"])
def test_invalid_corporate_numbers(number):
    assert not is_valid_corporate_number(number)


@pytest.mark.parametrize("base", ["12345678901", "1234567890123", "12345678901a", ""])
def test_check_digit_needs_twelve_digits(base):
    with pytest.raises(ValueError):
        corporate_check_digit(base)


def test_registration_numbers():
    assert is_valid_registration_number("T" + NTA)
    assert not is_valid_registration_number(NTA)  # no T
    assert not is_valid_registration_number("t" + NTA)
    assert not is_valid_registration_number("T6000012050002")  # bad check digit
    assert not is_valid_registration_number("T700001205000")  # 12 digits
    assert not is_valid_registration_number("TT" + NTA)


@given(base12)
def test_with_check_digit_is_valid(base):
    number = with_check_digit(base)
    assert len(number) == 13 and number[1:] == base
    assert 1 <= int(number[0]) <= 9
    assert is_valid_corporate_number(number)
    assert is_valid_registration_number("T" + number)


@given(base12, st.integers(0, 12), st.integers(1, 9))
def test_changing_one_digit_invalidates_except_swapping_0_and_9(base, position, shift):
    """Weights are 1 and 2 and the sum is taken mod 9, so a change of ±9 in one digit (0↔9) is
    the only single-digit change the check cannot see; every other change is caught."""
    number = with_check_digit(base)
    old = int(number[position])
    new = (old + shift) % 10
    changed = number[:position] + str(new) + number[position + 1:]
    if position > 0 and {old, new} == {0, 9}:
        assert is_valid_corporate_number(changed)
    else:
        assert not is_valid_corporate_number(changed)
