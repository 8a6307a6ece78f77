"""The fee commands of `python -m tama_desk`: fees, invoices, payments (see cli.py for exit codes)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from tama_desk.domain.validators import parse_date
from tama_desk.errors import UserError


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text}: {error}") from error


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    fees = commands.add_parser("fees", parents=[common], help="membership fees").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    bill = fees.add_parser("bill", parents=[common], help="annual billing run for a fiscal year (年度会費一括請求)")
    bill.add_argument("--fiscal-year", type=int, required=True, metavar="Y")
    bill.add_argument("--issue-date", type=_date, default=None, metavar="DATE", help="default: today")
    bill.add_argument("--due-date", type=_date, default=None, metavar="DATE", help="default: issue date + 30 days")
    bill.add_argument("--dry-run", action="store_true", help="show who would be billed and why; write nothing")
    ledger = fees.add_parser("ledger", parents=[common], help="会費台帳 for a fiscal year (.xlsx, or .csv in cp932)")
    ledger.add_argument("--fiscal-year", type=int, required=True, metavar="Y")
    ledger.add_argument("--out", type=Path, required=True, metavar="FILE")

    invoices = commands.add_parser("invoices", parents=[common], help="issued invoices").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    aging = invoices.add_parser("aging", parents=[common], help="aging of open invoices (売掛金年齢) to .xlsx/.csv")
    aging.add_argument("--out", type=Path, required=True, metavar="FILE")
    aging.add_argument("--as-of", type=_date, default=None, metavar="DATE", help="default: today")
    cancel = invoices.add_parser("cancel", parents=[common], help="cancel an issued invoice (取消) with a reason")
    cancel.add_argument("number", metavar="NUMBER")
    cancel.add_argument("--reason", required=True)


def run(args, db) -> int:
    if args.command == "fees" and args.action == "bill":
        return _bill(args, db)
    if args.command == "fees" and args.action == "ledger":
        return _ledger(args, db)
    if args.command == "invoices" and args.action == "aging":
        return _aging(args, db)
    if args.command == "invoices" and args.action == "cancel":
        from tama_desk.services import invoices

        with db.transaction() as session:
            invoice = invoices.cancel(session, invoices.find_by_number(session, args.number).id, args.reason)
            print(f"取り消しました: {invoice.number} {invoice.recipient_name}")
        return 0
    raise UserError(f"unknown command: {args.command} {args.action}")


def _bill(args, db) -> int:
    from tama_desk.services import fees

    issue_date = args.issue_date or date.today()
    with db.transaction() as session:
        if args.dry_run:
            plan = fees.plan_billing(session, args.fiscal_year)
        else:
            plan, created = fees.bill_fiscal_year(session, args.fiscal_year, issue_date, args.due_date)
    for item in plan.to_bill:
        print(f"請求\t{item.number}\t{item.name}\t{item.type_name}\t{item.amount:,}円\t{item.reason}")
    for item in plan.excluded:
        print(f"対象外\t{item.number}\t{item.name}\t{item.reason}")
    verb = "請求します（確認のみ・書き込みなし）" if args.dry_run else "請求しました"
    print(f"{args.fiscal_year}年度: {len(plan.to_bill)} 件 {plan.total:,}円 を{verb}。対象外 {len(plan.excluded)} 件")
    return 0


def _ledger(args, db) -> int:
    from tama_desk.exports import ledger
    from tama_desk.services import fees

    with db.reading() as session:
        rows = fees.ledger_rows(session, args.fiscal_year)
    data = ledger.ledger_xlsx(rows, args.fiscal_year) if _is_xlsx(args.out) else ledger.ledger_csv(rows)
    return _write(args.out, data, f"会費台帳 {len(rows)} 行")


def _aging(args, db) -> int:
    from tama_desk.exports import ledger
    from tama_desk.exports.tables import write_csv
    from tama_desk.services import payments

    as_of = args.as_of or date.today()
    with db.reading() as session:
        rows = payments.aging(session, as_of)
    if _is_xlsx(args.out):
        data = ledger.aging_xlsx(rows, as_of)
    else:
        data = write_csv(["請求書番号", "会員番号", "請求先", "発行日", "支払期限", "経過日数", "区分", "未入金額"],
                         [[r.number, r.member_number, r.name, r.issue_date, r.due_date, r.days_past_due,
                           dict(payments.AGING_BUCKETS)[r.bucket], r.open] for r in rows], "cp932")
    return _write(args.out, data, f"売掛金年齢 {len(rows)} 件（{as_of:%Y-%m-%d} 現在）")


def _is_xlsx(path: Path) -> bool:
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise UserError(f"{path.name}: 拡張子は .xlsx か .csv にしてください")
    return path.suffix.lower() == ".xlsx"


def _write(path: Path, data: bytes, what: str) -> int:
    from tama_desk.fileio import write_atomic

    write_atomic(path, data)
    print(f"書き出しました: {path}（{what}）")
    return 0
