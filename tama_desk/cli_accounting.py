"""The accounting commands of `python -m tama_desk`: accounting (journal exports), debits (口座振替),
reports revenue (see cli.py for exit codes). Success is printed only after the commit."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from tama_desk.cli_fees import _date, _yen
from tama_desk.errors import UserError
from tama_desk.i18n import t


def _today() -> date:
    """The clock's date (tests replace it)."""
    return date.today()


def _pair(text: str) -> tuple[str, str]:
    role, sep, name = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(t("{text}: ROLE=勘定科目 の形で指定してください", text=text))
    return role.strip(), name.strip()


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    accounting = commands.add_parser("accounting", parents=[common],
                                     help="journal exports for the accounting software (仕訳)").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    export = accounting.add_parser("export", parents=[common], help="journal file for 弥生 / MoneyForward / freee")
    export.add_argument("--format", choices=("yayoi", "mf", "freee"), required=True)
    export.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE")
    export.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--again", action="store_true",
                        help="the period overlaps an earlier batch: export its records again, as a new batch")
    export.add_argument("--reason", default="", help="why it is exported again (kept with the batch)")
    accounting.add_parser("batches", parents=[common], help="the export batches so far")
    accounts = accounting.add_parser("accounts", parents=[common], help="show or change the account mapping")
    accounts.add_argument("--set", type=_pair, action="append", default=[], metavar="ROLE=勘定科目",
                          help="e.g. dues_revenue=受取会費, cost:旅費=旅費交通費 (blank name: back to the default)")
    accounts.add_argument("--known", type=Path, default=None, metavar="FILE",
                          help="the account names of the accounting software (one per line, UTF-8 or Shift_JIS)")
    accounts.add_argument("--department-in-memo", choices=("yes", "no"), default=None,
                          help="put 部門 (contract, grant) into 摘要 (弥生 スタンダード cannot import 部門)")
    accounts.add_argument("--fixed-costs", type=_yen, default=None, metavar="YEN", help="年間固定費 for the runway")
    receipt = accounting.add_parser("grant-receipt", parents=[common], help="record grant money received (受取補助金)")
    receipt.add_argument("grant", type=int, metavar="GRANT")
    receipt.add_argument("--amount", type=_yen, required=True, metavar="YEN")
    receipt.add_argument("--date", type=_date, required=True, metavar="DATE")
    receipt.add_argument("--note", default="")
    write_off = accounting.add_parser("write-off", parents=[common],
                                      help="settle what a payer kept back (e.g. the transfer fee) as 支払手数料")
    write_off.add_argument("number", metavar="INVOICE_NUMBER")
    write_off.add_argument("--amount", type=_yen, required=True, metavar="YEN")
    write_off.add_argument("--date", type=_date, required=True, metavar="DATE")
    write_off.add_argument("--reason", required=True)

    debits = commands.add_parser("debits", parents=[common], help="口座振替 (Zengin direct debit)").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    setup = debits.add_parser("setup", parents=[common], help="the association's 委託者 details from its bank")
    setup.add_argument("--client-code", required=True, metavar="NNNNNNNNNN")
    setup.add_argument("--name", required=True, metavar="ﾊﾝｶｸｶﾅ")
    _account_options(setup)
    mandate = debits.add_parser("mandate", parents=[common], help="a member's 預金口座振替依頼書 (status 申込中)")
    mandate.add_argument("member", metavar="MEMBER_NUMBER")
    _account_options(mandate)
    mandate.add_argument("--holder", required=True, metavar="ﾊﾝｶｸｶﾅ")
    status = debits.add_parser("status", parents=[common], help="申込中 → 登録済 → 停止")
    status.add_argument("member", metavar="MEMBER_NUMBER")
    status.add_argument("status", metavar="applied|registered|stopped")
    debits.add_parser("list", parents=[common], help="mandates and requests")
    request = debits.add_parser("request", parents=[common], help="the request file for a debit date")
    request.add_argument("--date", type=_date, required=True, metavar="DATE")
    request.add_argument("--out", type=Path, required=True, metavar="FILE")
    result = debits.add_parser("import-result", parents=[common], help="the bank's result file")
    result.add_argument("file", type=Path, metavar="FILE")
    letters = debits.add_parser("transfer-requests", parents=[common],
                                help="お振込のお願い (PDF) for every open invoice whose debit failed")
    letters.add_argument("--out", type=Path, required=True, metavar="DIR")
    letters.add_argument("--due-date", type=_date, default=None, metavar="DATE", help="default: +14 days")

    reports = commands.add_parser("reports", parents=[common], help="reports for the board").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    revenue = reports.add_parser("revenue", parents=[common],
                                 help="revenue by source, five years, collection, pipeline, runway without grants")
    revenue.add_argument("--fiscal-year", type=int, required=True, metavar="Y")
    revenue.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.pdf")


def _account_options(parser) -> None:
    parser.add_argument("--bank", required=True, metavar="CODE")
    parser.add_argument("--branch", required=True, metavar="CODE")
    parser.add_argument("--type", required=True, choices=("1", "2"), help="1 普通, 2 当座")
    parser.add_argument("--account", required=True, metavar="NNNNNNN")


def _writer(path: Path):
    from tama_desk.fileio import write_atomic

    return lambda data: write_atomic(path, data)


def run(args, db) -> int:
    handler = {"accounting": _accounting, "debits": _debits, "reports": _reports}[args.command]
    return handler(args, db)


def _accounting(args, db) -> int:
    from tama_desk.services import accounting

    if args.action == "export":
        with db.transaction() as session:
            result = accounting.export(session, args.format, args.start, args.end, again=args.again,
                                       reason=args.reason, file_name=args.out.name, write=_writer(args.out))
            batch = result.batch
            summary = (batch.id, batch.entry_count, batch.row_count, batch.debit_total)
        for warning in result.warnings:
            print(t("注意: {detail}", detail=str(warning)))
        print(t("書き出しました: {path}（バッチ {batch}、仕訳 {entries} 件、{rows} 行、借方合計 {total}円）",
                path=args.out, batch=summary[0], entries=summary[1], rows=summary[2], total=f"{summary[3]:,}"))
        return 0
    if args.action == "batches":
        with db.reading() as session:
            for batch in accounting.list_batches(session):
                again = t("再出力") if batch.again else ""
                print(f"{batch.id}\t{batch.format}\t{batch.period_start}〜{batch.period_end}\t{batch.entry_count}\t"
                      f"{batch.row_count}\t{batch.debit_total:,}\t{batch.created_at:%Y-%m-%d %H:%M}\t"
                      f"{batch.created_by}\t{batch.file_name}\t{batch.file_sha256[:12]}\t{again} {batch.reason}")
        return 0
    if args.action == "accounts":
        return _accounts(args, db)
    if args.action == "grant-receipt":
        with db.transaction() as session:
            receipt = accounting.record_grant_receipt(session, args.grant, args.date, args.amount, args.note)
            receipt_id = receipt.id
        print(t("補助金の受取を記録しました: {id}", id=receipt_id))
        return 0
    if args.action == "write-off":
        with db.transaction() as session:
            accounting.write_off(session, args.number, args.amount, args.date, args.reason)
        print(t("差引を記録しました: {number} {amount}円", number=args.number, amount=f"{args.amount:,}"))
        return 0
    raise UserError("unknown command: accounting {action}", action=args.action)


def _accounts(args, db) -> int:
    from tama_desk.domain.journal import ACCOUNT_ROLES
    from tama_desk.exports.tables import decode_text
    from tama_desk.services import accounting

    known = decode_text(args.known.read_bytes(), args.known.name) if args.known else None
    with db.transaction() as session:
        if args.set:
            accounting.set_accounts(session, dict(args.set))
        accounting.set_options(session, known_accounts=known, annual_fixed_costs=args.fixed_costs,
                               department_in_memo=None if args.department_in_memo is None
                               else args.department_in_memo == "yes")
        rows, unknown = accounting.mapping_rows(session), accounting.check_accounts(session)
        options = accounting.settings(session)
        in_memo, fixed = options.department_in_memo, options.annual_fixed_costs
    for row in rows:  # the roles, then every 費目's account (cost:旅費 …)
        flag = "\t" + t("会計ソフトの科目一覧にありません") if row["unknown"] else ""
        label = t(row["label"]) if row["role"] in ACCOUNT_ROLES else row["label"]
        print(f"{row['role']}\t{label}\t{row['account']}{flag}")
    print(t("部門を摘要に入れる: {value}", value=t("はい") if in_memo else t("いいえ")))
    print(t("年間固定費: {amount}円", amount=f"{fixed:,}"))
    if unknown:
        import sys

        print(t("会計ソフトの科目一覧にない勘定科目があります: {names}（設定で直してください）", names="、".join(unknown)),
              file=sys.stderr)
    return 0


def _debits(args, db) -> int:
    from tama_desk.services import debits

    if args.action == "setup":
        with db.transaction() as session:
            row = debits.setup_client(session, args.client_code, args.name, args.bank, args.branch, args.type,
                                      args.account)
            text = f"{row.client_code} {row.name} {row.bank_code} {row.bank_name} {row.branch_code} {row.branch_name}"
        print(t("委託者を登録しました: {detail}", detail=text))
        return 0
    if args.action == "mandate":
        with db.transaction() as session:
            mandate = debits.save_mandate(session, args.member, args.bank, args.branch, args.type, args.account,
                                          args.holder)
            text = (f"{args.member} {mandate.bank_name} {mandate.branch_name} {mandate.account_type} "
                    f"{mandate.account_number} {mandate.holder}")
        print(t("口座振替依頼書を登録しました（申込中）: {detail}", detail=text))
        return 0
    if args.action == "status":
        with db.transaction() as session:
            status = debits.set_status(session, args.member, args.status).status
        print(f"{args.member}: {t(debits.STATUSES[status])}")
        return 0
    if args.action == "list":
        with db.reading() as session:
            for mandate in debits.mandates(session):
                print(f"{mandate.member.number}\t{mandate.member.name}\t{t(debits.STATUSES[mandate.status])}\t"
                      f"{mandate.bank_code}-{mandate.branch_code}\t{mandate.account_type}\t{mandate.account_number}\t"
                      f"{mandate.holder}")
            for request in debits.requests(session):
                state = t("回答済") if request.answered_at else t("回答待ち")
                print(f"#{request.id}\t{request.debit_date}\t{request.record_count}\t{request.total:,}\t{state}")
        return 0
    if args.action == "request":
        with db.transaction() as session:
            outcome = debits.create_request(session, args.date, write=_writer(args.out), today=_today())
            request = outcome.request
            debit_date, count, total = request.debit_date, request.record_count, request.total
        if debit_date != args.date:
            print(t("引落日 {asked} は銀行休業日のため {date} にしました", asked=args.date, date=debit_date))
        print(t("引落日 {date}、{count} 件、合計 {total}円: {path}", date=debit_date, count=count,
                total=f"{total:,}", path=args.out))
        return 0
    if args.action == "import-result":
        with db.transaction() as session:
            lines = debits.import_result(session, args.file.read_bytes())
        outcomes = {"paid": "入金を記録しました", "failed": "未入金のまま（お振込のお願いを送れます）",
                    "already": "取込済み（変更なし）"}
        for line in lines:
            print(f"{line.customer_number}\t{line.member_number}\t{line.member_name}\t{line.invoice_number}\t"
                  f"{line.amount:,}\t{line.code} {t(line.reason)}\t{t(outcomes[line.outcome])}")
        failed = sum(1 for line in lines if line.outcome == "failed")
        if failed:
            print(t("振替不能 {count} 件: debits transfer-requests --out DIR でお振込のお願いを作れます", count=failed))
        return 0
    if args.action == "transfer-requests":
        return _transfer_requests(args, db)
    raise UserError("unknown command: debits {action}", action=args.action)


def _transfer_requests(args, db) -> int:
    from datetime import timedelta

    from tama_desk.services import debits, printing

    today = date.today()
    due = args.due_date or today + timedelta(days=14)
    with db.reading() as session:
        documents = [(printing.dunning_snapshot(session, invoice_id, today, due), None)
                     for invoice_id in debits.failed_open_invoice_ids(session)]
    if not documents:
        raise UserError("振替不能で未入金の請求はありません")
    result = printing.write_pdfs(documents, args.out)
    print(t("PDF {count} 件を書き出しました: {path}", count=len(result.files), path=args.out))
    return 0


def _reports(args, db) -> int:
    from tama_desk.services import revenue

    suffix = args.out.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise UserError("{name}: 拡張子は .xlsx か .pdf にしてください", name=args.out.name)
    with db.reading() as session:
        picture = revenue.picture(session, args.fiscal_year)
    if suffix == ".xlsx":
        from tama_desk.exports.revenue_xlsx import render
    else:
        from tama_desk.documents.revenue_report import render
    _writer(args.out)(render(picture))
    print(t("収入の状況を書き出しました: {path}", path=args.out))
    return 0
