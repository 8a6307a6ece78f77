"""The grant commands of `python -m tama_desk grants …` (see cli.py for exit codes)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from tama_desk.cli_fees import _date, _write, _yen
from tama_desk.domain.choices import GRANT_ROUNDING_UNITS
from tama_desk.errors import UserError
from tama_desk.i18n import t


def _period(text: str) -> tuple[date, date]:
    start, sep, end = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text}: {t('期間は START:END（例 2026-04-01:2027-03-31）で指定してください')}")
    return _date(start), _date(end)


def _budget(text: str) -> tuple[str, int]:
    category, sep, amount = text.partition("=")
    if not sep or not category.strip():
        raise argparse.ArgumentTypeError(f"{text}: {t('予算は 費目=円（例 旅費=500000）で指定してください')}")
    return category.strip(), _yen(amount)


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    grants = commands.add_parser("grants", parents=[common], help="grant budgets and reports (補助金)").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    create = grants.add_parser("create", parents=[common], help="register a grant decision; prints its id")
    create.add_argument("--name", required=True)
    create.add_argument("--grantor", required=True)
    create.add_argument("--programme", default="")
    create.add_argument("--fiscal-year", type=int, required=True, metavar="Y")
    create.add_argument("--period", type=_period, required=True, metavar="START:END")
    create.add_argument("--decided", type=_yen, required=True, metavar="YEN", help="交付決定額")
    create.add_argument("--rate", required=True, help="subsidy rate as a fraction, e.g. 2/3")
    create.add_argument("--formula", choices=("rate", "ratio"), default="rate")
    create.add_argument("--rounding", type=int, choices=tuple(GRANT_ROUNDING_UNITS), default=1)
    create.add_argument("--budget", type=_budget, action="append", required=True, metavar="費目=YEN")
    create.add_argument("--decision-number", default="")
    create.add_argument("--decision-date", type=_date, default=None, metavar="DATE")
    create.add_argument("--advance", type=_yen, default=0, metavar="YEN", help="概算払で受け取った額")
    grants.add_parser("list", parents=[common], help="every grant with its spend and subsidy so far")
    do_import = grants.add_parser("import-expenses", parents=[common], help="import expenditures (all or nothing)")
    do_import.add_argument("grant", type=int, metavar="GRANT")
    do_import.add_argument("file", type=Path, metavar="FILE")
    do_import.add_argument("--dry-run", action="store_true")
    report = grants.add_parser("report", parents=[common], help="実績報告書 as PDF or Excel")
    report.add_argument("grant", type=int, metavar="GRANT")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.xlsx")
    report.add_argument("--date", type=_date, default=None, metavar="DATE", help="report date (default today)")
    status = grants.add_parser("status", parents=[common], help="spent so far vs plan per category (中間報告)")
    status.add_argument("grant", type=int, metavar="GRANT")
    status.add_argument("--as-of", type=_date, default=None, metavar="DATE")
    status.add_argument("--out", type=Path, default=None, metavar="FILE.pdf|FILE.xlsx")
    status.add_argument("--date", type=_date, default=None, metavar="DATE", help="date printed on it (default today)")


def run(args, db) -> int:
    from tama_desk.services import grant_import, grants

    if args.action == "create":
        with db.transaction() as session:
            grant = grants.create_grant(
                session, name=args.name, grantor=args.grantor, programme=args.programme,
                fiscal_year=args.fiscal_year, period_start=args.period[0], period_end=args.period[1],
                decided_amount=args.decided, rate=args.rate, formula=args.formula, rounding_unit=args.rounding,
                budgets=dict(args.budget), decision_number=args.decision_number, decision_date=args.decision_date,
                advance_paid=args.advance)
            print(grant.id)
        return 0
    if args.action == "list":
        with db.reading() as session:
            for row in grants.list_grants(session):
                print(f"{row.id}\t{row.fiscal_year}年度\t{row.name}\t{row.grantor}\t{grants.STATUSES[row.status]}\t"
                      f"交付決定 {row.decided_amount:,}円\t補助対象支出 {row.eligible_spent:,}円\t補助金見込 {row.subsidy_now:,}円")
        return 0
    if args.action == "import-expenses":
        if not args.dry_run:
            from tama_desk.services import backup

            backup.before_batch(db, "expenses")
        with db.transaction() as session:
            result = grant_import.import_expenditures(session, args.grant, args.file, args.dry_run)
        for line, warning in result.warnings:
            print(f"{line}行目: 注意: {warning}")
        verb = "取り込みます（確認のみ・書き込みなし）" if args.dry_run else "取り込みました"
        print(f"支出 {len(result.created)} 件を{verb}。注意 {len(result.warnings)} 件")
        return 0
    if args.action in ("report", "status"):
        return _report(args, db)
    raise UserError("知らないコマンドです: {command}", command=f"grants {args.action}")


def _report(args, db) -> int:
    from tama_desk.services import grants

    as_of = getattr(args, "as_of", None) or (date.today() if args.action == "status" else None)
    with db.reading() as session:
        report = grants.build_report(session, args.grant, getattr(args, "date", None) or date.today(), as_of)
    if args.action == "status":
        _print_status(report)
    out = args.out
    if out is None:
        return 0
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        from tama_desk.documents.grant_report import render

        data = render(report)
    elif suffix == ".xlsx":
        from tama_desk.exports.grant_excel import report_xlsx

        data = report_xlsx(report)
    else:
        raise UserError("{file}: 拡張子は .pdf か .xlsx にしてください", file=out.name)
    return _write(out, data, "実績報告書" if args.action == "report" else "中間報告")


def _print_status(report) -> None:
    header, settlement = report.header, report.settlement
    total_days = (header.period_end - header.period_start).days + 1
    elapsed = min(total_days, max(0, (report.as_of - header.period_start).days + 1))
    print(f"{header.grant_name}（{report.as_of:%Y-%m-%d} 現在、期間経過 {elapsed * 100 // total_days}%）")
    print("費目\t流用後予算\t支出済\t残額\t執行率")
    for row in settlement.categories:
        rate = f"{row.actual * 100 / row.after_reallocation:.1f}%" if row.after_reallocation else "—"
        flag = "　予算超過" if row.over_budget else ""
        print(f"{row.category}\t{row.after_reallocation:,}\t{row.actual:,}\t{row.remaining:,}\t{rate}{flag}")
    print(f"合計\t{settlement.total('after_reallocation'):,}\t{settlement.total('actual'):,}\t"
          f"{settlement.total('remaining'):,}")
    print(f"補助対象経費 {settlement.eligible_cost:,}円 → 補助金見込 {settlement.subsidy:,}円"
          f"（交付決定額 {header.decided_amount:,}円）")
