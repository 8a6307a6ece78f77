"""The fee commands of `python -m tama_desk`: fees, invoices, payments (see cli.py for exit codes)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from tama_desk.domain.dates import parse_date
from tama_desk.domain.money import parse_yen
from tama_desk.errors import UserError
from tama_desk.i18n import t


def _date(text: str) -> date:
    """A DATE option: always with its year (ISO, slashes or 和暦), so a script means the same any day."""
    try:
        return parse_date(text, require_year=True)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text}: {t(str(error))}") from error


def _yen(text: str) -> int:
    """A YEN option: `70000`, `70,000` or `70000円`."""
    try:
        return parse_yen(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text}: {t(str(error))}") from error


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
    pdf = invoices.add_parser("pdf", parents=[common], help="one PDF per invoice of a fiscal year (+ combined)")
    pdf.add_argument("--fiscal-year", type=int, default=None, metavar="Y", help="every invoice of the year")
    pdf.add_argument("--numbers", default=None, metavar="N1,N2", help="only these invoice numbers (any year)")
    pdf.add_argument("--out", type=Path, required=True, metavar="DIR")
    pdf.add_argument("--combined", type=Path, default=None, metavar="FILE", help="also one PDF of all, for printing")
    pdf.add_argument("--include-cancelled", action="store_true", help="also cancelled ones (stamped 取消)")
    dunning = invoices.add_parser("dunning", parents=[common], help="payment reminders for overdue invoices (PDF)")
    dunning.add_argument("--out", type=Path, required=True, metavar="DIR")
    dunning.add_argument("--as-of", type=_date, default=None, metavar="DATE", help="default: today")
    dunning.add_argument("--new-due-date", type=_date, default=None, metavar="DATE", help="default: +14 days")
    dunning.add_argument("--strong", action="store_true",
                         help="督促状 for all (default: お支払いのお願い first, 督促状 after one was sent)")
    dunning.add_argument("--min-amount", type=_yen, default=1000, metavar="YEN",
                         help="leave out smaller balances (default 1,000円)")
    dunning.add_argument("--min-days", type=int, default=1, metavar="N", help="at least N days past due (default 1)")
    dunning.add_argument("--exclude", default="", metavar="NUMBERS",
                         help="invoice numbers to leave out, separated by commas")
    cancel = invoices.add_parser("cancel", parents=[common], help="cancel an issued invoice (取消) with a reason")
    cancel.add_argument("number", metavar="NUMBER")
    cancel.add_argument("--reason", required=True)
    from tama_desk.domain.choices import TAX_CATEGORIES

    credit = invoices.add_parser("credit", parents=[common],
                                 help="issue a credit note (適格返還請求書) for part of one rate of an invoice")
    credit.add_argument("number", metavar="NUMBER")
    credit.add_argument("--rate", required=True, choices=list(TAX_CATEGORIES), metavar="CODE",
                        help="tax category refunded: " + ", ".join(TAX_CATEGORIES))
    credit.add_argument("--amount", type=_yen, required=True, metavar="YEN", help="refund, tax included (税込)")
    credit.add_argument("--reason", required=True)
    credit.add_argument("--date", type=_date, default=None, metavar="DATE", help="default: today")


    pay = commands.add_parser("payments", parents=[common], help="payments (入金)").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    statement = pay.add_parser("import", parents=[common],
                               help="match a bank statement (CSV/XLSX) to open invoices; --apply records the sure ones")
    statement.add_argument("file", type=Path, metavar="FILE")
    statement.add_argument("--apply", action="store_true",
                           help="record the auto-accepted matches (the rest are listed for the window)")
    chosen = statement.add_mutually_exclusive_group()
    chosen.add_argument("--write-off", dest="write_off", action="store_true", default=None,
                        help="write off a small shortfall (振込手数料差引, up to the limit in 設定) this run")
    chosen.add_argument("--no-write-off", dest="write_off", action="store_false",
                        help="leave shortfalls open this run (whatever 設定 says)")
    statement.add_argument("--map", default=None, metavar="date=COL,amount=COL,payer=COL",
                           help="columns by header name or number, when the bank's headers are not recognised")
    listing = pay.add_parser("list", parents=[common], help="payments received in a period to .xlsx/.csv (入金一覧)")
    listing.add_argument("--out", type=Path, required=True, metavar="FILE")
    listing.add_argument("--from", dest="start", type=_date, default=None, metavar="DATE",
                         help="default: start of this fiscal year")
    listing.add_argument("--to", dest="end", type=_date, default=None, metavar="DATE", help="default: today")


def run(args, db) -> int:
    if args.command == "payments" and args.action == "import":
        return _statement(args, db)
    if args.command == "payments" and args.action == "list":
        return _payments(args, db)
    if args.command == "invoices" and args.action == "dunning":
        return _dunning(args, db)
    if args.command == "fees" and args.action == "bill":
        return _bill(args, db)
    if args.command == "fees" and args.action == "ledger":
        return _ledger(args, db)
    if args.command == "invoices" and args.action == "aging":
        return _aging(args, db)
    if args.command == "invoices" and args.action == "pdf":
        from tama_desk.services import printing

        if args.numbers:
            documents = printing.numbered_documents(db, [n.strip() for n in args.numbers.split(",") if n.strip()])
        elif args.fiscal_year is None:
            raise UserError("--fiscal-year Y か --numbers N1,N2 を指定してください")
        else:
            documents = printing.year_documents(db, args.fiscal_year, args.include_cancelled)
        if not documents:
            raise UserError("{year}年度の請求書はありません", year=args.fiscal_year)
        result = printing.write_pdfs(documents, args.out, args.combined)
        print(f"PDF {len(result.files)} 件を書き出しました: {args.out}")
        if result.combined:
            print(f"印刷用（まとめ）: {result.combined}")
        return 0
    if args.command == "invoices" and args.action == "cancel":
        from tama_desk.services import invoices

        with db.transaction() as session:
            invoice = invoices.cancel(session, invoices.find_by_number(session, args.number).id, args.reason)
        print(f"取り消しました: {invoice.number} {invoice.recipient_name}")  # only once committed
        return 0
    if args.command == "invoices" and args.action == "credit":
        return _credit(args, db)
    raise UserError("知らないコマンドです: {command}", command=f"{args.command} {args.action}")


def _credit(args, db) -> int:
    from tama_desk.services import invoices

    with db.transaction() as session:
        original = invoices.find_by_number(session, args.number)
        note = invoices.credit_note_for_amount(session, original.id, args.amount, args.date or date.today(),
                                               args.reason, args.rate, tax_included=True)
        number, total = note.number, note.total
    print(f"返還請求書を発行しました: {args.number} → {total:,}円（税込）")
    print(number)
    return 0


def _bill(args, db) -> int:
    from tama_desk.services import fees

    issue_date = args.issue_date or date.today()
    if not args.dry_run:
        from tama_desk.services import backup

        backup.before_batch(db, "billing")
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


def _statement(args, db) -> int:
    from tama_desk.services import payments, reconcile

    with db.transaction() as session:
        result = reconcile.preview(session, args.file, args.map)
        if result.problems:
            raise UserError("{file}: 読めない行があります。何も記録していません。", result.problems, file=args.file.name)
        setting, limit = payments.write_off_setting(session)
        chosen = reconcile.sure(result, setting if args.write_off is None else args.write_off, limit)
        shorts = {proposal.line.line: short for proposal, short in chosen}
        for line in result.already_imported:
            print(f"{line.line}行目\t{line.date:%Y-%m-%d}\t{line.amount:,}円\t{line.payer}\t取込済み（記録しません）")
        for proposal in result.proposals:
            line, best = proposal.line, proposal.best
            head = f"{line.line}行目\t{line.date:%Y-%m-%d}\t{line.amount:,}円\t{line.payer}"
            if best is None:
                print(f"{head}\t候補なし")
                continue
            numbers = "+".join(item.invoice_number for item in best.items)
            verdict = "自動" if line.line in shorts else "要確認"
            fee = f"\t手数料差引 {shorts[line.line]:,}円" if shorts.get(line.line) else ""
            print(f"{head}\t→ {best.item.member_number} {best.item.payer_names[-1]} {numbers}\t"
                  f"信頼度 {best.score:.2f}\t{verdict}\t{'・'.join(best.reasons)}{fee}")
        if args.apply:
            from tama_desk.services import backup

            backup.before_batch(db, "payments")
            recorded = reconcile.apply(session, [(p.line, p.best) for p, _short in chosen], args.file, args.map,
                                       shorts, result.match_keys)
            rest = len(result.proposals) - len(recorded)
            written = sum(1 for short in shorts.values() if short)
        else:
            print(f"確認のみ（記録していません）: 自動 {len(chosen)} 件、要確認 "
                  f"{len(result.proposals) - len(chosen)} 件、取込済み {len(result.already_imported)} 件")
    if args.apply:  # only once committed
        fee = f"（うち手数料差引 {written} 件）" if written else ""
        print(f"自動で消し込みました: {len(recorded)} 件{fee}。画面で確認が必要: {rest} 件")
    return 0


def _payments(args, db) -> int:
    from tama_desk.domain.fiscal import fiscal_year_bounds, fiscal_year_of
    from tama_desk.exports import ledger
    from tama_desk.services import payments

    end = args.end or date.today()
    start = args.start or fiscal_year_bounds(fiscal_year_of(end))[0]
    with db.reading() as session:
        rows = payments.list_payments(session, start, end)
        data = (ledger.payments_xlsx(rows, end, payments.METHODS) if _is_xlsx(args.out)
                else ledger.payments_csv(rows, payments.METHODS))
    return _write(args.out, data, f"入金 {len(rows)} 件（{start:%Y-%m-%d}〜{end:%Y-%m-%d}）")


def _dunning(args, db) -> int:
    from datetime import timedelta

    from tama_desk.services import printing, reminders

    as_of = args.as_of or date.today()
    new_due = args.new_due_date or as_of + timedelta(days=14)
    with db.transaction() as session:
        rows = reminders.review(session, as_of, args.min_amount, args.min_days, args.exclude.split(","))
        documents, result = reminders.send(
            session, rows, as_of, new_due,
            lambda found: printing.write_pdfs(found, args.out, args.out / f"督促_{as_of:%Y%m%d}_印刷用.pdf"),
            args.strong)
    if not documents:
        print("期限を過ぎた未入金の請求書はありません")
        return 0
    strong = sum(1 for snapshot, _reason in documents if snapshot.subject == "督促状")
    if strong:
        print(f"うち督促状 {strong} 件")
    print(f"お支払いのお願い {len(result.files)} 件を書き出しました: {args.out}")
    return 0


def _ledger(args, db) -> int:
    from tama_desk.exports import ledger
    from tama_desk.services import fees, invoices

    with db.reading() as session:
        rows = fees.ledger_rows(session, args.fiscal_year)
    labels = invoices.STATUS_LABELS
    data = (ledger.ledger_xlsx(rows, args.fiscal_year, labels) if _is_xlsx(args.out)
            else ledger.ledger_csv(rows, labels))
    return _write(args.out, data, f"会費台帳 {len(rows)} 行")


def _aging(args, db) -> int:
    from tama_desk.exports import ledger
    from tama_desk.services import payments

    as_of = args.as_of or date.today()
    with db.reading() as session:
        rows = payments.aging(session, as_of)
    data = ledger.aging_xlsx(rows, as_of) if _is_xlsx(args.out) else ledger.aging_csv(rows)
    return _write(args.out, data, f"売掛金年齢 {len(rows)} 件（{as_of:%Y-%m-%d} 現在）")


def _is_xlsx(path: Path) -> bool:
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise UserError("{file}: 拡張子は .xlsx か .csv にしてください", file=path.name)
    return path.suffix.lower() == ".xlsx"


def _write(path: Path, data: bytes, what: str) -> int:
    from tama_desk.fileio import write_atomic

    write_atomic(path, data)
    print(f"書き出しました: {path}（{what}）")
    return 0
