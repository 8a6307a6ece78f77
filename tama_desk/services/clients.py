"""取引先 (clients) of municipal contracts: members or clients kept in their own list.

A contract's client is named on the command line as the id `clients add` printed, `M:NUMBER` for a member,
or an exact name unique among clients and members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tama_desk.db.guards import expect_version
from tama_desk.db.models import Invoice, Member
from tama_desk.db.models_contracts import Client
from tama_desk.domain import validators as v
from tama_desk.domain.choices import CLIENT_ADDRESSEES
from tama_desk.domain.invoice import Recipient
from tama_desk.domain.kana import to_bank_kana
from tama_desk.domain.matching import OpenItem
from tama_desk.errors import ProblemList, UserError
from tama_desk.services import audit

CLIENT_LABELS = {
    "name": "取引先名", "kana": "フリガナ", "department": "担当課", "contact_person": "担当者",
    "addressee": "宛名", "head_title": "首長の職名", "head_name": "首長の氏名", "postal_code": "郵便番号",
    "address": "住所", "phone": "電話番号", "email": "メール", "payer_name": "振込名義",
    "corporate_number": "法人番号", "notes": "備考",
}
ADDRESSEES = CLIENT_ADDRESSEES  # domain.choices: the one list (a CHECK constraint too)


def add_client(session: Session, values: Mapping[str, object]) -> Client:
    """Check every field first; save nothing unless all are valid."""
    clean = clean_client(values)
    client = Client(**clean)
    session.add(client)
    session.flush()
    audit.record(session, "create", "client", client.id, f"{client.name}")
    return client


def update_client(session: Session, client_id: int, values: Mapping[str, object]) -> Client:
    """`values` may carry the `version` the user was shown: a save over a newer change is refused."""
    client = get_client(session, client_id)
    values = dict(values)
    expect_version(client, values.pop("version", None))
    clean = clean_client({**{key: getattr(client, key) for key in CLIENT_LABELS}, **values})
    for key, value in clean.items():
        setattr(client, key, value)
    audit.record(session, "update", "client", client.id, client.name)
    return client


def clean_client(values: Mapping[str, object]) -> dict[str, str]:
    problems = ProblemList()
    clean: dict[str, str] = {}
    for key, raw in values.items():
        if key not in CLIENT_LABELS:
            raise KeyError(key)
        text = str(raw or "").strip()
        label, error = CLIENT_LABELS[key], None
        if shared := v.clean_field(key, text):
            text, error = shared
        elif key == "addressee" and text not in ADDRESSEES:
            error = "宛名は department（担当課 御中）か head（首長 様）です"
        if error:
            problems.add(error, label)
        clean[key] = text
    if not clean.get("name"):
        problems.add("入力してください", CLIENT_LABELS["name"])
    if not clean.get("kana"):
        problems.add("入力してください", CLIENT_LABELS["kana"])
    if clean.get("addressee") == "head" and not (clean.get("head_title") or "").strip():
        problems.add("首長 様の宛名には職名（例: 八王子市長）が必要です", CLIENT_LABELS["head_title"])
    problems.raise_if_any("取引先を保存できません")
    return clean


def get_client(session: Session, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise UserError("取引先（id {id}）が見つかりません", id=client_id)
    return client


def list_clients(session: Session) -> list[Client]:
    return list(session.scalars(select(Client).order_by(Client.kana, Client.id)))


@dataclass(frozen=True)
class Party:
    """Who a contract is with: a client or a member (exactly one is set)."""

    client: Client | None = None
    member: Member | None = None

    @property
    def name(self) -> str:
        return self.client.name if self.client else self.member.name if self.member else ""


def find_party(session: Session, spec: str) -> Party:
    """`12` (client id), `M:0123` (member number) or an exact name unique among clients and members."""
    text = spec.strip()
    if text.upper().startswith("M:"):
        number = text[2:].strip()
        member = session.scalar(select(Member).where(Member.number == number))
        if member is None:
            raise UserError("会員番号 {number} の会員が見つかりません", number=number)
        return Party(member=member)
    if text.isdigit():
        return Party(client=get_client(session, int(text)))
    clients = list(session.scalars(select(Client).where(Client.name == text)))
    members = list(session.scalars(select(Member).where(Member.name == text)))
    if len(clients) + len(members) == 1:
        return Party(client=clients[0]) if clients else Party(member=members[0])
    if not clients and not members:
        raise UserError("取引先「{name}」が見つかりません（id、M:会員番号、または正確な名称で指定してください）",
                        name=text)
    candidates = [f"{client.id} {client.name}" for client in clients] + [
        f"M:{member.number} {member.name}" for member in members]
    raise UserError("取引先「{name}」が複数あります。次のどれかで指定してください: {candidates}", name=text,
                    candidates="、".join(candidates))


def payer_names(client: Client) -> tuple[str, ...]:
    """The names a client pays under: its 振込名義, else its フリガナ in half-width kana; and its name."""
    return tuple(name for name in (client.payer_name, to_bank_kana(client.kana), client.name) if name)


def recipient_of(client: Client) -> Recipient:
    """`八王子市長 ○○ ○○ 様` (head) or `八王子市 産業振興課 御中` (department), as the client wants it."""
    if client.addressee == "head":
        name = " ".join(part for part in (client.head_title, client.head_name) if part)
        return Recipient(name=name, honorific="様", postal_code=client.postal_code, address=client.address,
                         contact=_contact(client))
    name = " ".join(part for part in (client.name, client.department) if part)
    return Recipient(name=name, honorific="御中", postal_code=client.postal_code, address=client.address,
                     contact=f"{client.contact_person} 様" if client.contact_person else "")


def _contact(client: Client) -> str:
    """Under 「○○市長 ○○ ○○ 様」: the department and person who handle it, without a second 様."""
    parts = [client.name if not client.head_title.startswith(client.name) else "", client.department,
             client.contact_person]
    text = " ".join(part for part in parts if part)
    return f"（ご担当: {text}）" if text else ""


def open_items(session: Session) -> list[OpenItem]:
    """Open invoices to clients, for the statement matcher (member invoices come from reconcile)."""
    from tama_desk.services import invoices

    rows = session.execute(select(Invoice, Client).join(Client, Invoice.client_id == Client.id).where(
        Invoice.kind == "invoice", Invoice.status == "issued", Invoice.member_id.is_(None))).all()
    owed = invoices.balances(session, [invoice.id for invoice, _client in rows])
    return [OpenItem(invoice.id, None, "", payer_names(client), owed[invoice.id].open, invoice.due_date,
                     invoice.number, client_id=client.id)
            for invoice, client in rows if owed[invoice.id].open > 0]
