"""The frozen content of an issued document (請求書, 適格返還請求書, 領収書, 督促状).

Everything printed is copied here when the document is issued (issuer profile, recipient, lines,
totals) and stored as JSON, so a PDF re-rendered years later is identical to the one sent.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, fields
from datetime import date

from tama_desk.domain.tax import Line, RateTotal, grand_total, rate_totals

OUT_OF_SCOPE_NOTICE = "この会費は、資産の譲渡等の対価に該当しないため消費税は不課税です。"
KINDS = {"invoice": "請求書", "credit_note": "適格返還請求書", "receipt": "領収書", "dunning": "お支払いのお願い",
         "estimate": "見積書"}


@dataclass(frozen=True)
class Issuer:
    name: str
    representative_title: str = ""
    representative: str = ""
    postal_code: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    registration_number: str = ""
    bank_name: str = ""
    bank_branch: str = ""
    bank_account_type: str = ""
    bank_account_number: str = ""
    bank_account_holder: str = ""
    seal_png: bytes | None = None  # filled in when rendering; stored once elsewhere, named by seal_sha256
    seal_sha256: str = ""


@dataclass(frozen=True)
class Recipient:
    name: str
    honorific: str = "御中"  # 御中 for organisations, 様 for persons
    postal_code: str = ""
    address: str = ""
    contact: str = ""  # department and person, printed under the name
    member_number: str = ""


@dataclass(frozen=True)
class DocumentSnapshot:
    kind: str  # a key of KINDS
    number: str
    issue_date: date
    issuer: Issuer
    recipient: Recipient
    lines: tuple[Line, ...] = ()
    subject: str = ""
    transaction_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    due_date: date | None = None
    rounding: str = "floor"
    prices_include_tax: bool = False
    notes: str = ""
    original_number: str = ""  # credit note / receipt / dunning: the invoice it refers to
    original_issue_date: date | None = None
    # credit note: the original's 取引年月日, or its 取引期間 (dues); printed instead of its issue date
    original_transaction_date: date | None = None
    original_period_start: date | None = None
    original_period_end: date | None = None
    stamp_duty: str = ""  # receipt: 収入印紙 setting when issued (domain.choices.STAMP_DUTY), "" before it existed
    reminded_on: date | None = None  # dunning: the date of the last reminder sent for the invoice, if any
    amount: int | None = None  # receipt and dunning letter: the amount received or due
    references: tuple[tuple[str, str], ...] = ()  # extra (label, value) rows printed with the number: 契約番号 …
    totals: tuple[RateTotal, ...] = field(default=())

    @classmethod
    def build(cls, **values) -> DocumentSnapshot:
        """A snapshot with its per-rate totals computed from the lines."""
        lines = tuple(values.pop("lines", ()))
        totals = tuple(rate_totals(lines, values.get("rounding", "floor"), values.get("prices_include_tax", False)))
        return cls(lines=lines, totals=totals, **values)

    @property
    def total(self) -> int:
        return grand_total(self.totals) if self.totals else (self.amount or 0)

    @property
    def title(self) -> str:
        return KINDS[self.kind]

    @property
    def out_of_scope_notice(self) -> str:
        """Printed when any line is 不課税 dues (the association must tell members so)."""
        return OUT_OF_SCOPE_NOTICE if any(line.tax_category == "out_of_scope" for line in self.lines) else ""

    def to_json(self) -> str:
        return json.dumps(_plain(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> DocumentSnapshot:
        data = json.loads(text)
        issuer = data.pop("issuer")
        if issuer.get("seal_png"):
            issuer["seal_png"] = base64.b64decode(issuer["seal_png"])
        values = {
            **data,
            "issuer": Issuer(**issuer),
            "recipient": Recipient(**data.pop("recipient")),
            "lines": tuple(Line(**line) for line in data.pop("lines")),
            "totals": tuple(RateTotal(**total) for total in data.pop("totals")),
            "references": tuple(tuple(pair) for pair in data.pop("references", ())),
        }
        for name in ("issue_date", "transaction_date", "period_start", "period_end", "due_date", "original_issue_date",
                     "original_transaction_date", "original_period_start", "original_period_end", "reminded_on"):
            if values.get(name):
                values[name] = date.fromisoformat(values[name])
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in known})


def _plain(value):
    """JSON-ready form of a snapshot (dataclasses.asdict is several times slower: it deep-copies)."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value
