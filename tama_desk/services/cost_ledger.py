"""One cost ledger for grants and contracts: each expense is charged to one funding source.

Contract costs live in `contract_cost`, grant expenditures in `grant_expenditure`; this module checks across
both. 証ひょう番号 is unique per funding source (each project numbers its vouchers). The same expense — the
same accounting voucher (会計伝票番号), or the same payee, payment date and amount — cannot be charged to a
second source unless the charge is an explicit split (按分: `split_total` = the whole expense, with a reason)
and the shares stay within it. Splits and moves between sources are audited.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from tama_desk.db import guards
from tama_desk.db.guards import expect_version
from tama_desk.db.models import Expenditure, Grant
from tama_desk.db.models_contracts import Contract, ContractCost
from tama_desk.domain.dates import parse_date
from tama_desk.domain.money import parse_yen
from tama_desk.errors import ProblemList, UserError
from tama_desk.exports.tables import Column, TableSpec, read_table
from tama_desk.services import attachments, audit
from tama_desk.services.importing import REFUSED, clean_rows

COLUMNS = [  # field, Japanese header, English header, required
    ("voucher_number", "証ひょう番号", "Voucher No", True),
    ("category", "費目", "Category", True),
    ("payment_date", "支払日", "Payment Date", True),
    ("payee", "支払先", "Payee", True),
    ("description", "内容", "Description", False),
    ("amount", "支出額（税込）", "Amount", True),
    ("tax", "消費税", "Tax", False),
    ("accounting_ref", "会計伝票番号", "Accounting Ref", False),
    ("voucher_file", "証ひょうファイル", "Voucher File", False),  # import only: relative to the file, or absolute
]
LABELS = {key: japanese for key, japanese, _english, _required in COLUMNS}


@dataclass(frozen=True)
class Charge:
    """An expense already charged somewhere: which source and what it is."""

    source: str  # 「帯広 City Sales」（委託） / 「ものづくり補助金」（補助金）
    voucher_number: str
    payee: str
    payment_date: date
    amount: int
    split_total: int | None = None


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "").replace("　", "").casefold()


@dataclass
class Ledger:
    """The charges of a range of payment days (and of some accounting vouchers) in both tables, read with two
    queries: what `charges` answers for one expense or for every row of an import."""

    by_day: dict[tuple[date, int], list[tuple]] = field(default_factory=dict)  # (day, amount) → costs
    by_ref: dict[str, list[tuple]] = field(default_factory=dict)  # 会計伝票番号 → costs
    grants_by_day: dict[tuple[date, int], list[tuple]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, days: Iterable[date], refs: Iterable[str] = ()) -> Ledger:
        days, refs = sorted(set(days)), sorted({ref for ref in refs if ref})
        ledger = cls()
        if not days and not refs:
            return ledger
        condition = ContractCost.payment_date.between(days[0], days[-1]) if days else None
        if refs:
            by_ref = ContractCost.accounting_ref.in_(refs)
            condition = by_ref if condition is None else or_(condition, by_ref)
        for row in session.execute(select(ContractCost.id, ContractCost.voucher_number, ContractCost.payee,
                                          ContractCost.payment_date, ContractCost.amount, ContractCost.accounting_ref,
                                          ContractCost.split_total, Contract.title)
                                   .join(Contract, ContractCost.contract_id == Contract.id).where(condition)):
            ledger.by_day.setdefault((row.payment_date, row.amount), []).append(row)
            if row.accounting_ref:
                ledger.by_ref.setdefault(row.accounting_ref, []).append(row)
        if days:
            for row in session.execute(select(Expenditure.id, Expenditure.voucher_number, Expenditure.payee,
                                              Expenditure.payment_date, Expenditure.amount, Grant.name)
                                       .join(Grant, Expenditure.grant_id == Grant.id)
                                       .where(Expenditure.payment_date.between(days[0], days[-1]))):
                ledger.grants_by_day.setdefault((row.payment_date, row.amount), []).append(row)
        return ledger

    def charges(self, *, payee: str, payment_date: date, amount: int, accounting_ref: str = "",
                exclude_cost: int | None = None, exclude_expenditure: int | None = None) -> list[Charge]:
        """Charges that are the same expense: the same accounting voucher, or the same payee (spaces and width
        folded), payment date and amount."""
        found, seen, key = [], set(), _key(payee)
        candidates = [*self.by_day.get((payment_date, amount), ()), *self.by_ref.get(accounting_ref, ())] \
            if accounting_ref else self.by_day.get((payment_date, amount), ())
        for cost in candidates:
            if cost.id in seen or cost.id == exclude_cost:
                continue
            seen.add(cost.id)
            if (accounting_ref and cost.accounting_ref == accounting_ref) or _key(cost.payee) == key:
                found.append(Charge(f"「{cost.title}」（委託）", cost.voucher_number, cost.payee, cost.payment_date,
                                    cost.amount, cost.split_total))
        for expenditure in self.grants_by_day.get((payment_date, amount), ()):
            if expenditure.id != exclude_expenditure and _key(expenditure.payee) == key:
                found.append(Charge(f"「{expenditure.name}」（補助金）", expenditure.voucher_number, expenditure.payee,
                                    expenditure.payment_date, expenditure.amount))
        return found


def charges_like(session: Session, *, payee: str, payment_date: date, amount: int, accounting_ref: str = "",
                 exclude_cost: int | None = None, exclude_expenditure: int | None = None) -> list[Charge]:
    """Charges in either table that are the same expense as this one (see `Ledger.charges`)."""
    return Ledger.load(session, [payment_date], [accounting_ref]).charges(
        payee=payee, payment_date=payment_date, amount=amount, accounting_ref=accounting_ref,
        exclude_cost=exclude_cost, exclude_expenditure=exclude_expenditure)


def _charged(problems: ProblemList, charge: Charge, row: int | None, field: str = LABELS["voucher_number"]) -> None:
    problems.add("同じ支出が {source} に計上済みです（証ひょう番号 {voucher}、{payee} {date} {amount}円）。"
                 "二つの財源に計上するには按分を指定してください", field, row,
                 source=charge.source, voucher=charge.voucher_number, payee=charge.payee,
                 date=f"{charge.payment_date:%Y-%m-%d}", amount=f"{charge.amount:,}")


def refuse_contract_charges(session: Session, clean: Mapping[str, Any], problems: ProblemList,
                            row: int | None = None) -> None:
    """For a grant expenditure: the same expense must not already be charged to a contract, unless the
    contract's charge is a split share and the grant's share keeps the shares within the whole."""
    payee, paid_on, amount = clean.get("payee") or "", clean.get("payment_date"), clean.get("amount") or 0
    splits = [cost for cost in session.scalars(select(ContractCost).where(
        ContractCost.payment_date == paid_on, ContractCost.split_total.is_not(None))) if _key(cost.payee) == _key(payee)]
    if splits:
        whole = max(cost.split_total for cost in splits)
        shares = split_shares(session, payee=payee, payment_date=paid_on) + amount
        if shares > whole:
            problems.add("按分の合計 {total}円 が支出全体 {whole}円 を超えます", "支出額（税込）", row,
                         total=f"{shares:,}", whole=f"{whole:,}")
        return
    for charge in charges_like(session, payee=payee, payment_date=paid_on, amount=amount, exclude_expenditure=-1):
        if charge.source.endswith("（委託）"):
            _charged(problems, charge, row, "証ひょう番号")


def split_shares(session: Session, *, payee: str, payment_date: date, accounting_ref: str = "",
                 exclude_cost: int | None = None) -> int:
    """What is already charged of one split expense: the contract shares (same voucher, or same payee and date)
    and the grant expenditures of the same payee and date (a grant's share carries no split mark)."""
    query = select(ContractCost).where(ContractCost.split_total.is_not(None))
    query = query.where(ContractCost.accounting_ref == accounting_ref) if accounting_ref else query.where(
        ContractCost.payment_date == payment_date)
    shares = sum(cost.amount for cost in session.scalars(query)
                 if cost.id != exclude_cost and (accounting_ref or _key(cost.payee) == _key(payee)))
    grant_shares = session.scalars(select(Expenditure).where(Expenditure.payment_date == payment_date))
    return shares + sum(e.amount for e in grant_shares if _key(e.payee) == _key(payee))


def check_not_charged(session: Session, clean: Mapping[str, Any], *, split_total: int | None = None,
                      exclude_cost: int | None = None, problems: ProblemList | None = None,
                      row: int | None = None) -> None:
    """Refuse an expense already charged to a source (UserError, or a problem added to `problems`)."""
    own = problems if problems is not None else ProblemList()
    if split_total is not None:
        shares = split_shares(session, payee=clean["payee"], payment_date=clean["payment_date"],
                              accounting_ref=clean.get("accounting_ref", ""), exclude_cost=exclude_cost)
        if shares + clean["amount"] > split_total:
            own.add("按分の合計 {total}円 が支出全体 {whole}円 を超えます", LABELS["amount"], row,
                    total=f"{shares + clean['amount']:,}", whole=f"{split_total:,}")
    else:
        for charge in charges_like(session, payee=clean["payee"], payment_date=clean["payment_date"],
                                   amount=clean["amount"], accounting_ref=clean.get("accounting_ref", ""),
                                   exclude_cost=exclude_cost):
            _charged(own, charge, row)
    if problems is None:
        own.raise_if_any("この支出は計上できません")


def clean_cost(raw: Mapping[str, Any], row: int | None = None) -> tuple[dict[str, Any], ProblemList]:
    problems = ProblemList()
    clean: dict[str, Any] = {}

    def text(key: str) -> str:
        value = raw.get(key)
        return "" if value is None else str(value).strip()

    for key in ("voucher_number", "category", "payee", "description", "accounting_ref"):
        clean[key] = text(key)
    for key in ("voucher_number", "category", "payee"):
        if not clean[key]:
            problems.add("入力してください", LABELS[key], row)
    try:
        clean["payment_date"] = parse_date(raw.get("payment_date"), require_year=True)
    except ValueError as error:
        problems.add(str(error), LABELS["payment_date"], row)
    for key in ("amount", "tax"):
        try:
            clean[key] = parse_yen(raw.get(key), blank=None if key == "amount" else 0)
        except ValueError as error:
            problems.add(str(error), LABELS[key], row)
    if isinstance(clean.get("amount"), int) and isinstance(clean.get("tax"), int) and clean["tax"] > clean["amount"]:
        problems.add("消費税が支出額を超えています", LABELS["tax"], row)
    guards.check_row(ContractCost, clean, problems, row, LABELS)
    return clean, problems


def add_cost(session: Session, contract_id: int, raw: Mapping[str, Any], split_total: int | None = None,
             split_note: str = "", voucher: Path | None = None) -> ContractCost:
    """Charge one expense to a contract. A split (按分) needs the whole amount and a reason; `voucher` is its
    file (attached with the same transaction)."""
    contract = _contract(session, contract_id)
    clean, problems = clean_cost(raw)
    if split_total is not None and not split_note.strip():
        problems.add("按分の理由を入力してください", "按分")
    problems.raise_if_any("{title}: 経費を登録できません", title=contract.title)
    _check_voucher(session, contract.id, clean["voucher_number"], None, problems)
    check_not_charged(session, clean, split_total=split_total, problems=problems)
    problems.raise_if_any("{title}: 経費を登録できません", title=contract.title)
    cost = ContractCost(contract_id=contract.id, split_total=split_total, split_note=split_note.strip(), **clean)
    session.add(cost)
    session.flush()
    audit.record(session, "cost", "contract", contract.id,
                 f"{cost.voucher_number} {cost.category} {cost.amount:,}円 {cost.payee}"
                 + (f"（按分: 全体 {split_total:,}円 {split_note.strip()}）" if split_total is not None else ""))
    if voucher is not None:
        attach_file(session, cost.id, voucher)
    return cost


EDITABLE = ("voucher_number", "category", "payment_date", "payee", "description", "amount", "tax", "accounting_ref")
SPLIT_LABELS = {"split_total": "按分: 支出全体の額", "split_note": "按分の理由"}


@dataclass(frozen=True)
class CostEdit:
    cost: ContractCost
    changes: list[tuple[str, str, str]]  # label, before, after (as shown)


def editable_cost(session: Session, cost_id: int, today: date | None = None) -> tuple[Contract, ContractCost]:
    """A saved cost that may still be corrected, with its contract; refused (naming the contract and the cost)
    when the contract is cancelled, settled (概算払いの確定額) or paid in full (入金済: closed), or when the cost
    is already in a journal handed to the accountant (会計連携: correct it there first, then here)."""
    from tama_desk.db.models_accounting import ExportBatch, ExportMark
    from tama_desk.domain import contracts as rules
    from tama_desk.services import contracts

    cost = session.get(ContractCost, cost_id)
    if cost is None:
        raise UserError("経費（id {id}）が見つかりません", id=cost_id)
    contract = _contract(session, cost.contract_id)
    named = dict(title=contract.title, voucher=cost.voucher_number)
    if contract.cancelled_on:
        raise UserError("{title} は中止されているため、経費 {voucher} は修正できません", **named)
    if contract.settled_on is not None:
        raise UserError("{title} は精算済み（{date}、確定額 {amount}円）のため、経費 {voucher} は修正できません", **named,
                        date=contract.settled_on, amount=f"{contract.final_amount or 0:,}")
    money = contracts.money_of(session, [contract.id]).get(contract.id, contracts.Money())
    if rules.status_of(contracts.facts_of(contract, money), today or date.today()) == "paid":
        raise UserError("{title} は入金済み（完了）のため、経費 {voucher} は修正できません", **named)
    batch = session.execute(select(ExportBatch.id, ExportBatch.format).join(ExportMark)
                            .where(ExportMark.record_key == f"contract_cost:{cost.id}")).first()
    if batch is not None:
        raise UserError("経費 {voucher} は会計ソフトへ書き出し済み（バッチ {batch}、{format}）のため修正できません",
                        voucher=cost.voucher_number, batch=batch.id, format=batch.format)
    return contract, cost


def update_cost(session: Session, cost_id: int, changes: Mapping[str, Any], *, version: int | None = None,
                voucher: Path | None = None, today: date | None = None) -> CostEdit:
    """Correct a saved cost: `changes` (any of EDITABLE, split_total and split_note) over its current values,
    checked again as when it was added (voucher unique in the contract, no double charge); audited with every
    field's before and after. `version`: the cost's as the user was shown it (a newer change → StaleEditError).
    `voucher`: a file that replaces its voucher in the same transaction."""
    contract, cost = editable_cost(session, cost_id, today)
    expect_version(cost, version)
    raw = {key: changes.get(key, getattr(cost, key)) for key in EDITABLE}
    split_total = changes.get("split_total", cost.split_total)
    split_note = str(changes.get("split_note", cost.split_note) or "").strip()
    clean, problems = clean_cost(raw)
    if split_total is not None and not split_note:
        problems.add("按分の理由を入力してください", "按分")
    refused = "{title}: 経費 {voucher} を修正できません"
    problems.raise_if_any(refused, title=contract.title, voucher=cost.voucher_number)
    _check_voucher(session, contract.id, clean["voucher_number"], cost.id, problems)
    check_not_charged(session, clean, split_total=split_total, exclude_cost=cost.id, problems=problems)
    problems.raise_if_any(refused, title=contract.title, voucher=cost.voucher_number)
    after = {**clean, "split_total": split_total, "split_note": split_note}
    named, shown = cost.voucher_number, []
    for key in (*EDITABLE, "split_total", "split_note"):
        before, value = getattr(cost, key), after[key]
        if before != value:
            shown.append((LABELS.get(key) or SPLIT_LABELS[key], _shown(before), _shown(value)))
            setattr(cost, key, value)
    if shown:
        audit.record(session, "cost_update", "contract", contract.id,
                     f"{named} 修正: "
                     + "、".join(f"{label} {before}→{after}" for label, before, after in shown))
    if voucher is not None:
        attach_file(session, cost.id, voucher)
    session.flush()
    return CostEdit(cost, shown)


def _shown(value: object) -> str:
    if value is None or value == "":
        return "（なし）"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return f"{value:,}円" if isinstance(value, int) else str(value)


def find_cost(session: Session, contract_id: int, voucher_number: str) -> ContractCost:
    """A contract's cost by its 証ひょう番号 (unique in the contract)."""
    contract = _contract(session, contract_id)
    cost = session.scalar(select(ContractCost).where(ContractCost.contract_id == contract.id,
                                                     ContractCost.voucher_number == voucher_number.strip()))
    if cost is None:
        raise UserError("{title} に証ひょう番号 {voucher} の経費はありません", title=contract.title,
                        voucher=voucher_number)
    return cost


def attach_file(session: Session, cost_id: int, source: Path) -> Path:
    """The voucher (PDF, image) of a contract cost, attached or replaced: copied into the data folder when the
    caller's transaction commits (services/attachments); the earlier file of a replaced voucher stays on disk."""
    cost = session.get(ContractCost, cost_id)
    if cost is None:
        raise UserError("経費（id {id}）が見つかりません", id=cost_id)
    contract = _contract(session, cost.contract_id)
    if contract.cancelled_on:
        raise UserError("{title} は中止されています", title=contract.title)
    before = cost.attachment_name
    target = attachments.attach_voucher(session, cost, f"contract_{cost.contract_id}", Path(source))
    audit.record(session, "attach", "contract", cost.contract_id,
                 f"{cost.voucher_number}: {cost.attachment_name}" + (f"（差し替え前 {before}）" if before else ""))
    return target


def attachment_file(session: Session, cost_id: int) -> Path | None:
    """The stored voucher file of a contract cost (to open it), or None when it has none."""
    cost = session.get(ContractCost, cost_id)
    return attachments.resolve(cost.attachment_path) if cost and cost.attachment_path else None


def _contract(session: Session, contract_id: int) -> Contract:
    from tama_desk.services.contracts import get_contract

    return get_contract(session, contract_id)


def _check_voucher(session: Session, contract_id: int, voucher: str, exclude: int | None,
                   problems: ProblemList, row: int | None = None) -> None:
    clash = session.scalar(select(ContractCost.id).where(ContractCost.contract_id == contract_id,
                                                         ContractCost.voucher_number == voucher))
    if clash and clash != exclude:
        problems.add("証ひょう番号 {voucher} は既に登録されています", LABELS["voucher_number"], row, voucher=voucher)


def move_cost(session: Session, cost_id: int, *, to_contract: int | None = None, to_grant: int | None = None,
              reason: str) -> object:
    """Move an expense to another funding source (a contract or a grant); audited on both sides."""
    cost = session.get(ContractCost, cost_id)
    if cost is None:
        raise UserError("経費（id {id}）が見つかりません", id=cost_id)
    if not reason.strip() or (to_contract is None) == (to_grant is None):
        raise UserError("移動先（委託契約か補助金のどちらか一つ）と理由を指定してください")
    problems = ProblemList()
    what = f"{cost.voucher_number} {cost.payee} {cost.payment_date:%Y-%m-%d} {cost.amount:,}円"
    if to_contract is not None:
        target = _contract(session, to_contract)
        _check_voucher(session, target.id, cost.voucher_number, cost.id, problems)
        problems.raise_if_any("経費を移動できません")
        source = cost.contract_id
        cost.contract_id = target.id
        audit.record(session, "cost_move", "contract", source, f"{what} → 委託 {target.title}: {reason.strip()}")
        audit.record(session, "cost_move", "contract", target.id, f"{what} ← 委託 id {source}: {reason.strip()}")
        return cost
    grant = session.get(Grant, to_grant)
    if grant is None:
        raise UserError("補助金（id {id}）が見つかりません", id=to_grant)
    if session.scalar(select(Expenditure.id).where(Expenditure.grant_id == grant.id,
                                                   Expenditure.voucher_number == cost.voucher_number)):
        raise UserError("証ひょう番号 {voucher} は {name} に既にあります", voucher=cost.voucher_number, name=grant.name)
    eligible = cost.amount - cost.tax if grant.tax_basis == "excluded" else cost.amount
    expenditure = Expenditure(grant_id=grant.id, voucher_number=cost.voucher_number, category=cost.category,
                              payment_date=cost.payment_date, payee=cost.payee, description=cost.description,
                              amount=cost.amount, tax=cost.tax, eligible_amount=eligible,
                              attachment_path=cost.attachment_path, attachment_name=cost.attachment_name)
    session.add(expenditure)
    audit.record(session, "cost_move", "contract", cost.contract_id, f"{what} → 補助金 {grant.name}: {reason.strip()}")
    audit.record(session, "cost_move", "grant", grant.id, f"{what} ← 委託 id {cost.contract_id}: {reason.strip()}")
    session.delete(cost)
    session.flush()
    return expenditure


# --- import --------------------------------------------------------------------------------------

SPEC = TableSpec("経費", [Column(key, japanese, english, required)
                        for key, japanese, english, required in COLUMNS])


@dataclass
class CostImport:
    created: list[tuple[int, str, int]] = field(default_factory=list)  # line, voucher, amount


def import_costs(session: Session, contract_id: int, path: Path, dry_run: bool = False) -> CostImport:
    """Costs from the accountant's CSV/XLSX (the shared import runner's reading and cleaning): every row
    checked, every problem named by line and column, all or nothing. 証ひょうファイル (optional) names each
    row's voucher file, relative to the import file's folder or absolute; the files are copied when the
    caller's transaction commits. A constant number of queries whatever the number of rows: the contract's
    vouchers and the ledger of the file's payment days are read once, the rows written in one INSERT."""
    contract = _contract(session, contract_id)
    path = Path(path)
    rows, problems = clean_rows(read_table(path), SPEC)
    read_wrong = {(problem.row, problem.field) for problem in problems.items}  # said once: not again below
    checked: dict[int, dict[str, Any]] = {}
    files: dict[int, Path] = {}
    first_line: dict[str, int] = {}
    twins: dict[tuple, int] = {}
    for row in rows:
        line = row.line
        clean, row_problems = clean_cost(row.raw, row=line)
        problems.items += [problem for problem in row_problems.items if (problem.row, problem.field) not in read_wrong]
        named = str(row.raw.get("voucher_file") or "").strip()
        if named:
            source = Path(named) if Path(named).is_absolute() else path.parent / named
            if source.is_file():
                files[line] = source
            else:
                problems.add("ファイルが見つかりません: {path}", LABELS["voucher_file"], line, path=named)
        voucher = clean["voucher_number"]
        if voucher in first_line:  # said even when either line has problems of its own
            problems.add("証ひょう番号 {voucher} が{first}行目と重複しています", LABELS["voucher_number"], line,
                         voucher=voucher, first=first_line[voucher])
        if voucher:
            first_line.setdefault(voucher, line)
        if row_problems:
            continue
        twin = (_key(clean["payee"]), clean["payment_date"], clean["amount"])
        if twin in twins:
            problems.add("{first}行目と同じ支出です（支払先・支払日・金額が同じ）", LABELS["amount"], line,
                         first=twins[twin])
        twins.setdefault(twin, line)
        checked[line] = clean
    taken = set(session.scalars(select(ContractCost.voucher_number).where(ContractCost.contract_id == contract.id)))
    ledger = Ledger.load(session, [c["payment_date"] for c in checked.values()],
                         [c["accounting_ref"] for c in checked.values()])
    for line, clean in checked.items():
        if clean["voucher_number"] in taken and first_line[clean["voucher_number"]] == line:
            problems.add("証ひょう番号 {voucher} は既に登録されています", LABELS["voucher_number"], line,
                         voucher=clean["voucher_number"])
        for charge in ledger.charges(payee=clean["payee"], payment_date=clean["payment_date"],
                                     amount=clean["amount"], accounting_ref=clean["accounting_ref"]):
            _charged(problems, charge, line)
    problems.items = sorted(dict.fromkeys(problems.items), key=lambda problem: problem.row or 0)
    problems.raise_if_any(REFUSED, file=path.name)
    if not dry_run and checked:
        _insert_costs(session, contract.id, checked, files)
        audit.record(session, "import", "contract", contract.id, f"{path.name}: 経費 {len(checked)} 件")
    return CostImport([(line, clean["voucher_number"], clean["amount"]) for line, clean in checked.items()])


def _insert_costs(session: Session, contract_id: int, rows: dict[int, dict[str, Any]], files: dict[int, Path]) -> None:
    """One INSERT for every row, then (when rows name files) one read of the new ids and one UPDATE of where
    their vouchers will be (staged: copied in at the commit, like `attach_file`)."""
    from tama_desk.db.engine import current_user

    user, now = current_user(), datetime.now()
    stamp = {"created_by": user, "updated_by": user, "created_at": now, "updated_at": now, "version": 1}
    session.execute(insert(ContractCost), [{"contract_id": contract_id, **row, **stamp} for row in rows.values()])
    if not files:
        return
    ids = dict(session.execute(select(ContractCost.voucher_number, ContractCost.id)
                               .where(ContractCost.contract_id == contract_id)).all())
    table, changes = ContractCost.__table__, []
    for line, source in files.items():
        voucher = rows[line]["voucher_number"]
        record = SimpleNamespace(id=ids[voucher], voucher_number=voucher, attachment_path="", attachment_name="")
        attachments.attach_voucher(session, record, f"contract_{contract_id}", source)
        changes.append({"cost_id": record.id, "path": record.attachment_path, "name": record.attachment_name})
    session.execute(update(table).where(table.c.id == bindparam("cost_id"))
                    .values(attachment_path=bindparam("path"), attachment_name=bindparam("name")), changes)
