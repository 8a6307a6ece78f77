"""補助金: grant projects, budgets per 経費区分, reallocations, expenditures with eligibility warnings,
and the figures of the 実績報告書."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tama_desk.db.guards import expect_version
from tama_desk.db.models import BudgetChange, Expenditure, ExpenseCategory, Grant, GrantBudget
from tama_desk.domain import grant_status, retention, subsidy
from tama_desk.domain.choices import GRANT_FORMULAS, GRANT_ROUNDING_UNITS, GRANT_STATUSES
from tama_desk.errors import ProblemList, UserError
from tama_desk.exports.grant_io import SPEC as EXPENDITURE_SPEC
from tama_desk.i18n import Message
from tama_desk.services import attachments, audit, profile

STATUSES = GRANT_STATUSES
FORMULAS = GRANT_FORMULAS


def categories(session: Session) -> list[str]:
    return list(session.scalars(select(ExpenseCategory.name).order_by(ExpenseCategory.sort_order)))


def get_grant(session: Session, grant_id: int) -> Grant:
    grant = session.get(Grant, grant_id)
    if grant is None:
        raise UserError("補助事業（id {id}）が見つかりません", id=grant_id)
    return grant


def writable_grant(session: Session, grant_id: int) -> Grant:
    """The grant, for a writer of its figures (expenditures, imports, reallocations, attachments).
    From 実績報告済 on they are locked: the one guard every writer passes through."""
    grant = get_grant(session, grant_id)
    if grant_status.is_locked(grant.status):
        raise UserError("{name} は{status}のため変更できません（変更するには、理由を付けて状態を戻してください）",
                        name=grant.name, status=STATUSES[grant.status])
    return grant


def terms_of(grant: Grant) -> subsidy.GrantTerms:
    return subsidy.GrantTerms(grant.decided_amount, Fraction(grant.rate), grant.formula,
                              grant.decided_eligible_cost, grant.rounding_unit)


def create_grant(session: Session, *, name: str, grantor: str, fiscal_year: int, period_start: date,
                 period_end: date, decided_amount: int, rate: str, budgets: Mapping[str, int],
                 eligible_budgets: Mapping[str, int] | None = None, formula: str = "rate", rounding_unit: int = 1,
                 programme: str = "", decision_number: str = "", decision_date: date | None = None,
                 applied_amount: int = 0, decided_eligible_cost: int | None = None, advance_paid: int = 0,
                 summary: str = "", status: str = "decided") -> Grant:
    problems = ProblemList()
    if not name.strip():
        problems.add("入力してください", "事業名")
    if not grantor.strip():
        problems.add("入力してください", "補助元")
    if period_end < period_start:
        problems.add("終了日が開始日より前です", "事業期間")
    try:
        exact_rate = subsidy.parse_rate(rate)
    except ValueError as error:
        problems.add(str(error), "補助率")
        exact_rate = Fraction(1)
    if formula not in FORMULAS:
        problems.add("rate（補助率）か ratio（按分）です", "算定方式")
    if rounding_unit not in GRANT_ROUNDING_UNITS:
        problems.add("1 か 1000 です", "端数処理単位")
    if decided_amount <= 0:
        problems.add("1円以上にしてください", "交付決定額")
    known = set(categories(session))
    eligible_budgets = dict(eligible_budgets or budgets)
    for category, amount in budgets.items():
        if category not in known:
            problems.add("経費区分「{category}」は登録されていません（{known}）", "経費区分", category=category,
                         known=tuple(sorted(known)))
        if amount < 0 or eligible_budgets.get(category, amount) > amount:
            problems.add("{category}: 計画額は0以上、補助対象額は計画額以下です", "予算", category=category)
    if not budgets:
        problems.add("経費区分ごとの予算を1つ以上入力してください", "予算")
    if status not in STATUSES:
        problems.add("状態が正しくありません", "状態")
    problems.raise_if_any("補助事業を登録できません")
    grant = Grant(name=name.strip(), grantor=grantor.strip(), programme=programme, fiscal_year=fiscal_year,
                  decision_number=decision_number, decision_date=decision_date, period_start=period_start,
                  period_end=period_end, applied_amount=applied_amount, decided_amount=decided_amount,
                  rate=str(exact_rate), formula=formula, rounding_unit=rounding_unit, advance_paid=advance_paid,
                  decided_eligible_cost=decided_eligible_cost if decided_eligible_cost is not None
                  else sum(eligible_budgets.get(c, a) for c, a in budgets.items()),
                  summary=summary, status=status)
    grant.budgets = [GrantBudget(category=category, position=index, planned=amount,
                                 eligible_planned=eligible_budgets.get(category, amount))
                     for index, (category, amount) in enumerate(budgets.items())]
    session.add(grant)
    session.flush()
    audit.record(session, "create", "grant", grant.id, f"{grant.name} 交付決定額 {decided_amount:,}円 補助率 {grant.rate}")
    return grant


@dataclass(frozen=True)
class GrantRow:
    id: int
    name: str
    grantor: str
    fiscal_year: int
    status: str
    decided_amount: int
    eligible_spent: int
    subsidy_now: int


def list_grants(session: Session) -> list[GrantRow]:
    rows = []
    for grant, settlement in settle_all(session):
        rows.append(GrantRow(grant.id, grant.name, grant.grantor, grant.fiscal_year, grant.status,
                             grant.decided_amount, settlement.eligible_cost, settlement.subsidy))
    return rows


def net_changes(session: Session, grant_id: int) -> dict[str, int]:
    """流用額 per category: what came in minus what went out, approved changes included."""
    return _net(session.scalars(select(BudgetChange).where(BudgetChange.grant_id == grant_id)))


def _net(changes) -> dict[str, int]:
    result: dict[str, int] = {}
    for change in changes:
        if change.from_category:
            result[change.from_category] = result.get(change.from_category, 0) - change.amount
        if change.to_category:
            result[change.to_category] = result.get(change.to_category, 0) + change.amount
    return result


def reallocate(session: Session, grant_id: int, from_category: str, to_category: str, amount: int, on: date,
               approval_reference: str = "", note: str = "") -> BudgetChange:
    """Move budget between categories. Without an approval reference the move must stay within the limit
    (20% of the lower of the two categories' planned amounts by default, counted cumulatively)."""
    grant = writable_grant(session, grant_id)
    budgets = {budget.category: budget for budget in grant.budgets}
    if from_category not in budgets or to_category not in budgets or from_category == to_category:
        raise UserError("{name}: 流用元・流用先は交付決定の異なる経費区分から選んでください", name=grant.name)
    if amount <= 0:
        raise UserError("{name}: 流用額は1円以上にしてください", name=grant.name)
    current = net_changes(session, grant_id)
    if budgets[from_category].planned + current.get(from_category, 0) - amount < 0:
        raise UserError("{name}: {category} の予算（流用後）が足りません", name=grant.name, category=from_category)
    kind = "approved_change" if approval_reference.strip() else "reallocation"
    if kind == "reallocation":
        limit_ratio = Fraction(grant.reallocation_limit)
        limit = subsidy.reallocation_limit(budgets[from_category].planned, budgets[to_category].planned, limit_ratio)
        moved = session.scalar(select(func.coalesce(func.sum(BudgetChange.amount), 0)).where(
            BudgetChange.grant_id == grant_id, BudgetChange.kind == "reallocation",
            BudgetChange.from_category == from_category, BudgetChange.to_category == to_category)) or 0
        if moved + amount > limit:
            lower = min(budgets[from_category].planned, budgets[to_category].planned)
            raise UserError(
                "{name}: {source} → {target} の流用 {total}円（今回 {amount}円を含む累計）は上限 {limit}円（低い方の計画額 "
                "{lower}円 の {percent}%）を超えます。事前に変更承認を受け、承認番号を付けて「変更承認」として登録してください。",
                name=grant.name, source=from_category, target=to_category, total=f"{moved + amount:,}",
                amount=f"{amount:,}", limit=f"{limit:,}", lower=f"{lower:,}", percent=str(limit_ratio * 100))
    change = BudgetChange(grant_id=grant_id, kind=kind, from_category=from_category, to_category=to_category,
                          amount=amount, change_date=on, reference=approval_reference.strip(), note=note)
    session.add(change)
    session.flush()
    label = "変更承認" if kind == "approved_change" else "流用"
    audit.record(session, kind, "grant", grant_id, f"{label} {from_category}→{to_category} {amount:,}円 {approval_reference}")
    return change


EXPENDITURE_LABELS = {column.key: column.header for column in EXPENDITURE_SPEC.columns}


def clean_expenditure(grant: Grant, raw: Mapping[str, Any], row: int | None = None
                      ) -> tuple[dict[str, Any], ProblemList]:
    """Check one expenditure (typed in the dialog or a row of a file: the same spec parses both);
    errors are problems (nothing is saved), eligibility is decided here."""
    problems = ProblemList()
    given = {key: raw.get(key) for key in EXPENDITURE_LABELS}
    clean = EXPENDITURE_SPEC.clean(given, problems, row)
    for key in ("voucher_number", "category", "payee", "description", "ineligible_reason"):
        clean[key] = clean[key] if isinstance(clean[key], str) else "" if clean[key] is None else str(clean[key])
    amount, tax = clean.get("amount"), clean.get("tax") or 0
    if isinstance(amount, int):
        clean["tax"] = tax
        if tax > amount:
            problems.add("消費税が支出額を超えています", EXPENDITURE_LABELS["tax"], row)
        default = amount - tax if grant.tax_basis == "excluded" else amount
        if clean.get("eligible_amount") is None:
            clean["eligible_amount"] = 0 if clean["ineligible_reason"] else default
        elif clean["eligible_amount"] > amount:
            problems.add("補助対象額が支出額を超えています", EXPENDITURE_LABELS["eligible_amount"], row)
    return clean, problems


def warnings_for(grant: Grant, clean: Mapping[str, Any], spent_by_category: Mapping[str, int],
                 budget_after: Mapping[str, int], seen: set[tuple]) -> list[Message]:
    """Eligibility warnings: shown, never silent, but they do not stop the entry (t() translates each)."""
    found = []
    for key in ("payment_date", "contract_date"):
        day = clean.get(key)
        if day and not grant.period_start <= day <= grant.period_end:
            found.append(Message("{field} {date} が事業期間（{start}〜{end}）の外です", field=EXPENDITURE_LABELS[key],
                                 date=f"{day:%Y-%m-%d}", start=f"{grant.period_start:%Y-%m-%d}",
                                 end=f"{grant.period_end:%Y-%m-%d}"))
    category = clean.get("category")
    if category not in budget_after:
        found.append(Message("費目「{category}」は交付決定の経費区分にありません", category=category))
    elif spent_by_category.get(category, 0) + (clean.get("amount") or 0) > budget_after[category]:
        found.append(Message("{category} の予算（流用後 {budget}円）を超えます（支出累計 {spent}円）", category=category,
                             budget=f"{budget_after[category]:,}",
                             spent=f"{spent_by_category.get(category, 0) + (clean.get('amount') or 0):,}"))
    twin = (clean.get("payee"), clean.get("amount"), clean.get("payment_date"))
    if twin in seen:
        found.append(Message("同じ支払先・金額・支払日の支出が既にあります（{payee} {amount}円 {date}）", payee=twin[0],
                             amount=f"{twin[1]:,}", date=f"{twin[2]:%Y-%m-%d}"))
    return found


def _context(session: Session, grant: Grant):
    existing = list(session.scalars(select(Expenditure).where(Expenditure.grant_id == grant.id)))
    spent: dict[str, int] = {}
    for expenditure in existing:
        spent[expenditure.category] = spent.get(expenditure.category, 0) + expenditure.amount
    changes = net_changes(session, grant.id)
    budget_after = {b.category: b.planned + changes.get(b.category, 0) for b in grant.budgets}
    seen = {(e.payee, e.amount, e.payment_date) for e in existing}
    vouchers = {e.voucher_number for e in existing}
    return spent, budget_after, seen, vouchers


def add_expenditure(session: Session, grant_id: int, raw: Mapping[str, Any]) -> tuple[Expenditure, list[str]]:
    """Save one expenditure; returns it with its warnings. Errors raise UserError and save nothing."""
    grant = writable_grant(session, grant_id)
    clean, problems = clean_expenditure(grant, raw)
    spent, budget_after, seen, vouchers = _context(session, grant)
    if clean["voucher_number"] in vouchers:
        problems.add("証ひょう番号 {voucher} は既に登録されています", "証ひょう番号", voucher=clean["voucher_number"])
    if not problems:  # one cost ledger: not already charged to a contract
        from tama_desk.services.cost_ledger import refuse_contract_charges
        refuse_contract_charges(session, clean, problems)
    problems.raise_if_any("{name}: 支出を登録できません", name=grant.name)
    warnings = warnings_for(grant, clean, spent, budget_after, seen)
    expenditure = Expenditure(grant_id=grant_id, **clean)
    session.add(expenditure)
    session.flush()
    audit.record(session, "expenditure", "grant", grant_id,
                 f"{clean['voucher_number']} {clean['category']} {clean['amount']:,}円 {clean['payee']}")
    return expenditure, warnings


def attach_file(session: Session, expenditure_id: int, source: Path) -> Path:
    """Copy the voucher file into the data folder (never a link to where it was) and remember it.
    The copy lands when the caller's transaction commits (services/attachments)."""
    expenditure = session.get(Expenditure, expenditure_id)
    if expenditure is None:
        raise UserError("支出（id {id}）が見つかりません", id=expenditure_id)
    writable_grant(session, expenditure.grant_id)
    source = Path(source)
    target = attachments.attach_voucher(session, expenditure, f"grant_{expenditure.grant_id}", source)
    audit.record(session, "attach", "grant", expenditure.grant_id, f"{expenditure.voucher_number}: {source.name}")
    return target


def attachment_file(session: Session, expenditure_id: int) -> Path | None:
    """The stored voucher file of an expenditure (to open it), or None when it has none."""
    expenditure = session.get(Expenditure, expenditure_id)
    return attachments.resolve(expenditure.attachment_path) if expenditure and expenditure.attachment_path else None


def expenditures(session: Session, grant_id: int) -> list[Expenditure]:
    return list(session.scalars(select(Expenditure).where(Expenditure.grant_id == grant_id)
                                .order_by(Expenditure.payment_date, Expenditure.voucher_number)))


def figures(session: Session, grant_id: int, as_of: date | None = None) -> list[subsidy.CategoryFigures]:
    """Per 経費区分: planned, reallocated, actual and eligible actual (up to `as_of` when given). Spending
    in categories outside the decision is listed after them, with no budget."""
    return _figures(get_grant(session, grant_id), net_changes(session, grant_id), expenditures(session, grant_id),
                    as_of)


def _figures(grant: Grant, changes: Mapping[str, int], spending, as_of: date | None = None
             ) -> list[subsidy.CategoryFigures]:
    """`figures` of one grant from its 流用額 and its expenditures (rows with category, amount,
    eligible_amount, payment_date)."""
    actual: dict[str, int] = {}
    eligible: dict[str, int] = {}
    decided = {b.category for b in grant.budgets}
    for expenditure in spending:
        if as_of and expenditure.payment_date > as_of:
            continue
        actual[expenditure.category] = actual.get(expenditure.category, 0) + expenditure.amount
        eligible[expenditure.category] = eligible.get(expenditure.category, 0) + subsidy.counted_eligible(
            expenditure.eligible_amount, expenditure.payment_date, grant.period_start, grant.period_end,
            expenditure.category in decided)
    rows = [subsidy.CategoryFigures(b.category, b.planned, b.eligible_planned, changes.get(b.category, 0),
                                    actual.get(b.category, 0), eligible.get(b.category, 0)) for b in grant.budgets]
    rows += [subsidy.CategoryFigures(category, 0, 0, 0, amount, 0)  # not in the decision: never eligible
             for category, amount in actual.items() if category not in decided]
    return rows


def settle(session: Session, grant_id: int, as_of: date | None = None) -> subsidy.Settlement:
    grant = get_grant(session, grant_id)
    return subsidy.settle(terms_of(grant), figures(session, grant_id, as_of), grant.advance_paid)


def build_report(session: Session, grant_id: int, report_date: date, as_of: date | None = None):
    """The 実績報告書 (or, with `as_of`, the interim status) of a grant, as plain values for the renderers."""
    from tama_desk.domain.grant_report import GrantReport, ReportExpense, ReportHeader
    from tama_desk.services.invoices import issuer_snapshot

    grant = get_grant(session, grant_id)
    terms = terms_of(grant)
    settlement = settle(session, grant_id, as_of)
    header = ReportHeader(
        grant.name, grant.programme, grant.grantor, grant.fiscal_year, grant.decision_number, grant.decision_date,
        grant.period_start, grant.period_end, grant.decided_amount, grant.rate, grant.formula,
        grant.decided_eligible_cost, grant.rounding_unit, issuer_snapshot(session, store=False),
        grant.summary, report_date)
    spent: dict[str, int] = {}
    seen: set[tuple] = set()
    budget_after = {budget.category: budget.planned + change for budget, change in _budget_changes(session, grant)}
    expenses = []
    for expenditure in expenditures(session, grant_id):
        if as_of and expenditure.payment_date > as_of:
            continue
        values = {key: getattr(expenditure, key) for key in EXPENDITURE_LABELS}
        warnings = tuple(warnings_for(grant, values, spent, budget_after, seen))
        spent[expenditure.category] = spent.get(expenditure.category, 0) + expenditure.amount
        seen.add((expenditure.payee, expenditure.amount, expenditure.payment_date))
        expenses.append(ReportExpense(expenditure.voucher_number, expenditure.category, expenditure.contract_date,
                                      expenditure.payment_date, expenditure.payee, expenditure.description,
                                      expenditure.amount, expenditure.eligible_amount, expenditure.ineligible_reason,
                                      warnings))
    decided = {b.category: subsidy.category_subsidy(terms, b.eligible_planned) for b in grant.budgets}
    actual = {f.category: subsidy.category_subsidy(terms, f.eligible_cost) for f in settlement.categories}
    return GrantReport(header, settlement, decided, actual, tuple(expenses), grant.advance_paid, as_of)


def _budget_changes(session: Session, grant: Grant):
    changes = net_changes(session, grant.id)
    return [(budget, changes.get(budget.category, 0)) for budget in grant.budgets]


def all_grants(session: Session) -> list[Grant]:
    return list(session.scalars(select(Grant).order_by(Grant.fiscal_year.desc(), Grant.id)))


def settle_all(session: Session, grant_ids: Iterable[int] | None = None) -> list[tuple[Grant, subsidy.Settlement]]:
    """Every grant (as `all_grants`), or those of `grant_ids`, with its settlement, as `settle` gives it, in four
    queries whatever the number of grants (the grants list: 200 grants with 20,000 expenditures, a second;
    one grant after a save: milliseconds)."""
    grants_query = select(Grant).options(selectinload(Grant.budgets)).order_by(Grant.fiscal_year.desc(), Grant.id)
    changes_query = select(BudgetChange)
    spending_query = (select(Expenditure.grant_id, Expenditure.category, Expenditure.amount,
                             Expenditure.eligible_amount, Expenditure.payment_date)
                      .order_by(Expenditure.payment_date, Expenditure.voucher_number))
    if grant_ids is not None:
        wanted = list(grant_ids)
        grants_query = grants_query.where(Grant.id.in_(wanted))
        changes_query = changes_query.where(BudgetChange.grant_id.in_(wanted))
        spending_query = spending_query.where(Expenditure.grant_id.in_(wanted))
    found = list(session.scalars(grants_query))
    changes: dict[int, list[BudgetChange]] = {}
    for change in session.scalars(changes_query):
        changes.setdefault(change.grant_id, []).append(change)
    spending: dict[int, list] = {}
    for row in session.execute(spending_query):
        spending.setdefault(row.grant_id, []).append(row)
    return [(grant, subsidy.settle(terms_of(grant), _figures(grant, _net(changes.get(grant.id, [])),
                                                             spending.get(grant.id, [])), grant.advance_paid))
            for grant in found]


def burn_rows(session: Session) -> list[tuple[str, int, int]]:
    """(name, budget, spent) per grant, newest year first: the budget is the total of the categories after
    reallocation (the decided amount when no budget was entered), spent is every expenditure as paid."""
    rows = []
    for grant in all_grants(session):
        settlement = settle(session, grant.id)
        budget = settlement.total("after_reallocation") or grant.decided_amount
        rows.append((grant.name, budget, settlement.total("actual")))
    return rows


LOCKED_STATUSES = grant_status.LOCKED


def set_status(session: Session, grant_id: int, status: str, reason: str = "") -> Grant:
    """One step forward, or one step back with a reason (e.g. a 実績報告 returned for correction); audited."""
    grant = get_grant(session, grant_id)
    direction = grant_status.check_transition(grant.status, status, reason)
    previous, grant.status = grant.status, status
    note = f" 理由: {reason.strip()}" if direction == "back" else ""
    audit.record(session, "status", "grant", grant_id, f"{STATUSES[previous]} → {STATUSES[status]}{note}")
    return grant


def status_choices(session: Session, grant_id: int) -> list[tuple[str, str, bool]]:
    """(code, label, needs a reason) of every status the grant may move to now: for the status menu."""
    grant = get_grant(session, grant_id)
    return [(code, STATUSES[code], back) for code, back in grant_status.next_statuses(grant.status).items()]


def _editable_expenditure(session: Session, expenditure_id: int) -> tuple[Grant, Expenditure]:
    expenditure = session.get(Expenditure, expenditure_id)
    if expenditure is None:
        raise UserError("支出（id {id}）が見つかりません", id=expenditure_id)
    return writable_grant(session, expenditure.grant_id), expenditure


def update_expenditure(session: Session, expenditure_id: int, raw: Mapping[str, Any]
                       ) -> tuple[Expenditure, list[str]]:
    """Correct an expenditure (all fields checked again; the change is audited with the old values)."""
    grant, expenditure = _editable_expenditure(session, expenditure_id)
    expect_version(expenditure, raw.get("version"))  # the version the user was shown
    clean, problems = clean_expenditure(grant, raw)
    clash = session.scalar(select(Expenditure.id).where(Expenditure.grant_id == grant.id,
                                                        Expenditure.voucher_number == clean["voucher_number"],
                                                        Expenditure.id != expenditure_id))
    if clash:
        problems.add("証ひょう番号 {voucher} は既に登録されています", "証ひょう番号", voucher=clean["voucher_number"])
    problems.raise_if_any("{name}: 支出を修正できません", name=grant.name)
    before = f"{expenditure.voucher_number} {expenditure.category} {expenditure.amount:,}円 {expenditure.payee}"
    spent, budget_after, seen, _vouchers = _context(session, grant)
    spent[expenditure.category] -= expenditure.amount
    seen.discard((expenditure.payee, expenditure.amount, expenditure.payment_date))
    for key, value in clean.items():
        setattr(expenditure, key, value)
    audit.record(session, "expenditure_update", "grant", grant.id,
                 f"{before} → {clean['voucher_number']} {clean['category']} {clean['amount']:,}円 {clean['payee']}")
    return expenditure, warnings_for(grant, clean, spent, budget_after, seen)


def check_deletable(session: Session, expenditure_id: int, today: date | None = None) -> tuple[Grant, Expenditure]:
    """Refuse (naming it and the date it must be kept until) an expenditure that may not be deleted."""
    grant, expenditure = _editable_expenditure(session, expenditure_id)
    start_month = profile.get_profile(session).fiscal_year_start_month
    retention.refuse_delete(Message("支出 {voucher}（{category} {amount}円）", voucher=expenditure.voucher_number,
                                    category=expenditure.category, amount=f"{expenditure.amount:,}"),
                            retention.accounting_kept_until(expenditure.payment_date, start_month),
                            today or date.today())
    return grant, expenditure


def delete_expenditure(session: Session, expenditure_id: int, reason: str, today: date | None = None) -> None:
    """Remove an expenditure, only once its retention period (ten years from the end of its fiscal year) is
    over: inside it, a mistake is corrected (`update_expenditure`, audited); the audit log keeps what it was
    and why it went."""
    grant, expenditure = check_deletable(session, expenditure_id, today)
    if not reason.strip():
        raise UserError("削除の理由を入力してください")
    audit.record(session, "expenditure_delete", "grant", grant.id,
                 f"{expenditure.voucher_number} {expenditure.category} {expenditure.payment_date:%Y-%m-%d} "
                 f"{expenditure.amount:,}円 {expenditure.payee}: {reason.strip()}")
    session.delete(expenditure)


# --- view data for the window ---------------------------------------------------------------------
@dataclass(frozen=True)
class ExpenditureRow:
    """One line of a grant's expenditure list, with the eligibility already decided here (not in the window)."""

    id: int
    voucher_number: str
    payment_date: date
    category: str
    payee: str
    amount: int
    eligible_amount: int
    counted: int  # what it adds to the eligible actual (0 outside the period or the decided categories)
    outside: bool  # paid outside the period, or under a category the decision does not include: a warning
    has_attachment: bool


def expenditure_rows(session: Session, grant_id: int) -> list[ExpenditureRow]:
    """The grant's expenditures (oldest payment first) as the detail view lists them."""
    grant = get_grant(session, grant_id)
    decided = {budget.category for budget in grant.budgets}
    rows = []
    for e in expenditures(session, grant_id):
        in_decision = e.category in decided
        counted = subsidy.counted_eligible(e.eligible_amount, e.payment_date, grant.period_start, grant.period_end,
                                           in_decision)
        outside = not in_decision or not grant.period_start <= e.payment_date <= grant.period_end
        rows.append(ExpenditureRow(e.id, e.voucher_number, e.payment_date, e.category, e.payee, e.amount,
                                   e.eligible_amount, counted, outside, bool(e.attachment_path)))
    return rows


@dataclass(frozen=True)
class BudgetChangeRow:
    kind: str  # reallocation | approved_change
    from_category: str
    to_category: str
    amount: int
    change_date: date
    reference: str
    note: str


@dataclass(frozen=True)
class ReallocationView:
    """What the 流用 dialog shows: the decided and post-reallocation budgets, the limit, the changes so far."""

    grant_name: str
    planned: dict[str, int]
    budget_after: dict[str, int]  # planned + every reallocation and approved change
    limit_ratio: Fraction
    changes: list[BudgetChangeRow]

    def limit(self, from_category: str, to_category: str) -> int:
        """How much may move between the two without approval, in total (what is already moved counts)."""
        return subsidy.reallocation_limit(self.planned[from_category], self.planned[to_category], self.limit_ratio)


def reallocation_view(session: Session, grant_id: int) -> ReallocationView:
    grant = get_grant(session, grant_id)
    planned = {budget.category: budget.planned for budget in grant.budgets}
    changes = net_changes(session, grant_id)
    rows = [BudgetChangeRow(c.kind, c.from_category, c.to_category, c.amount, c.change_date, c.reference, c.note)
            for c in session.scalars(select(BudgetChange).where(BudgetChange.grant_id == grant_id)
                                     .order_by(BudgetChange.change_date, BudgetChange.id))]
    return ReallocationView(grant.name, planned, {c: amount + changes.get(c, 0) for c, amount in planned.items()},
                            Fraction(grant.reallocation_limit), rows)


def budgets_after_reallocation(session: Session, grant_id: int) -> dict[str, int]:
    """Each decided category's budget after every reallocation and approved change."""
    return reallocation_view(session, grant_id).budget_after
