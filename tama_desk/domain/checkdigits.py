"""Check digits of Japanese corporate numbers (法人番号) and qualified-invoice registration numbers."""

from __future__ import annotations

import re

_CORPORATE_RE = re.compile(r"^\d{13}$")
_REGISTRATION_RE = re.compile(r"^T\d{13}$")


def corporate_check_digit(base12: str) -> int:
    """The leading check digit for a 12-digit base number.

    9 - ((Σ P_n × Q_n) mod 9), P_n the n-th digit from the right, Q_n = 1 for odd n and 2 for even n.
    """
    if not re.fullmatch(r"\d{12}", base12):
        raise ValueError("base number must be 12 digits")
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def is_valid_corporate_number(number: str) -> bool:
    return bool(_CORPORATE_RE.match(number)) and int(number[0]) == corporate_check_digit(number[1:])


def is_valid_registration_number(number: str) -> bool:
    """T + 13 digits; the 13 digits of a corporation are its 法人番号 and carry the same check digit.

    Sole proprietors receive numbers outside the corporate-number system but the NTA issues them
    with the same check-digit rule, so the rule applies to every registration number.
    """
    return bool(_REGISTRATION_RE.match(number)) and is_valid_corporate_number(number[1:])


def with_check_digit(base12: str) -> str:
    """A full corporate number for a 12-digit base (used by the demo data and tests)."""
    return f"{corporate_check_digit(base12)}{base12}"
