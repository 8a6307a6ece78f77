"""`python -m tama_desk clients …` and `contracts …`: municipal contracts (委託事業) without the window.

Output is part of the contract scripts rely on: `clients add`, `contracts create` and `contracts milestone`
print the new id (number) on their last line, `contracts invoice` the new invoice's number; `contracts amend`
prints its line, then one line per milestone it added, removed or changed; `contracts edit-cost` its line, then
one line per field it changed (`field: before → after`).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from tama_desk.cli_fees import _date, _yen
from tama_desk.domain.money import parse_yen
from tama_desk.errors import UserError
from tama_desk.i18n import t


def _period(text: str) -> tuple[date, date]:
    start, sep, end = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(t("{text}: 期間は START:END（例 2026-04-01:2027-03-31）で指定してください",
                                           text=text))
    return _date(start), _date(end)


def _tax(text: str) -> str | int:
    """`--tax CODE` (an invoice-engine tax category); a yen amount is still taken as the stated うち消費税額
    (what `--tax` meant before `--tax-amount`)."""
    from tama_desk.domain.choices import TAX_CATEGORIES

    if text.strip() in TAX_CATEGORIES:
        return text.strip()
    try:
        return parse_yen(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("{value}: 税区分は {codes} のいずれかです", value=text,
                                           codes=", ".join(TAX_CATEGORIES))) from None


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    from tama_desk import cli_settings

    cli_settings.add_commands(commands, common)  # the profile a scripted set-up of contracts needs first
    clients = commands.add_parser("clients", parents=[common], help="clients of municipal contracts (取引先)"
                                  ).add_subparsers(dest="action", metavar="ACTION", required=True)
    add = clients.add_parser("add", parents=[common], help="add a client; prints its id on the last line")
    add.add_argument("--name", required=True)
    add.add_argument("--kana", required=True, help="フリガナ")
    add.add_argument("--department", default="", help="担当課")
    add.add_argument("--contact", default="", help="担当者")
    add.add_argument("--postal-code", default="", metavar="NNN-NNNN")
    add.add_argument("--address", default="")
    add.add_argument("--phone", default="")
    add.add_argument("--email", default="")
    add.add_argument("--payer", default="", metavar="振込名義", help="the name on bank statements (half-width kana)")
    add.add_argument("--corporate-number", default="", metavar="法人番号")
    add.add_argument("--addressee", choices=("department", "head"), default="department",
                     help="documents addressed to 「○○市 ○○課 御中」 (department) or 「○○市長 ○○ ○○ 様」 (head)")
    add.add_argument("--head-title", default="", metavar="八王子市長")
    add.add_argument("--head-name", default="", metavar="氏名")
    clients.add_parser("list", parents=[common], help="every client")

    contracts = commands.add_parser("contracts", parents=[common], help="municipal contracts (委託事業)"
                                    ).add_subparsers(dest="action", metavar="ACTION", required=True)
    create = contracts.add_parser("create", parents=[common], help="register a contract; prints its id")
    create.add_argument("--client", required=True, metavar="CLIENT", help="client id, M:NUMBER, or an exact name")
    create.add_argument("--title", required=True)
    create.add_argument("--signed", type=_date, required=True, metavar="DATE", help="契約日")
    create.add_argument("--period", type=_period, required=True, metavar="START:END")
    create.add_argument("--amount", type=_yen, required=True, metavar="YEN", help="契約金額 (tax included)")
    create.add_argument("--payment", choices=("completion", "partial", "advance"), required=True,
                        help="完了払い / 部分払い / 概算払い")
    create.add_argument("--number", default="", help="the client's contract number")
    create.add_argument("--kind", choices=("委任", "準委任", "請負"), default="準委任")
    create.add_argument("--reference", default="", help="our own reference")
    create.add_argument("--tax", type=_tax, default="standard_10", metavar="CODE",
                        help="tax category of the contract and its invoices: standard_10 (default), reduced_8, "
                             "exempt, out_of_scope (a yen amount here is taken as --tax-amount)")
    create.add_argument("--tax-amount", type=_yen, default=None, metavar="YEN",
                        help="うち消費税額 as the contract states it (default: the tax inside --amount)")
    create.add_argument("--management-fee", default="0", metavar="RATE", help="一般管理費率 the contract allows (10%%)")

    milestone = contracts.add_parser("milestone", parents=[common], help="add a milestone; prints its number N")
    milestone.add_argument("contract", type=int, metavar="CONTRACT")
    milestone.add_argument("--name", required=True)
    milestone.add_argument("--due", type=_date, required=True, metavar="DATE")
    milestone.add_argument("--amount", type=_yen, required=True, metavar="YEN", help="invoiced at it, tax included")
    deliverable = contracts.add_parser("deliverable", parents=[common], help="add a deliverable (成果物)")
    deliverable.add_argument("contract", type=int, metavar="CONTRACT")
    deliverable.add_argument("--name", required=True)
    deliverable.add_argument("--due", type=_date, required=True, metavar="DATE")
    for name, text in (("complete", "record the completion notice (完了届)"), ("inspect", "record the inspection (検査)")):
        step = contracts.add_parser(name, parents=[common], help=text)
        step.add_argument("contract", type=int, metavar="CONTRACT")
        step.add_argument("--date", type=_date, required=True, metavar="DATE")
        step.add_argument("--milestone", type=int, default=None, metavar="N")
        if name == "inspect":
            step.add_argument("--failed", action="store_true", help="the inspection was not passed")

    invoice = contracts.add_parser("invoice", parents=[common], help="issue an invoice; prints its number")
    invoice.add_argument("contract", type=int, metavar="CONTRACT")
    invoice.add_argument("--issue-date", type=_date, required=True, metavar="DATE")
    which = invoice.add_mutually_exclusive_group(required=True)
    which.add_argument("--milestone", type=int, metavar="N", help="部分払い: the milestone's part")
    which.add_argument("--advance", type=_yen, metavar="YEN", help="概算払い: an advance")
    which.add_argument("--final", action="store_true",
                       help="完了払い: the whole amount; 概算払い: the balance after settle (or the credit note)")
    settle = contracts.add_parser("settle", parents=[common], help="概算払い: fix the 確定額")
    settle.add_argument("contract", type=int, metavar="CONTRACT")
    settle.add_argument("--final-amount", type=_yen, required=True, metavar="YEN")
    settle.add_argument("--date", type=_date, required=True, metavar="DATE")
    sign = contracts.add_parser("sign", parents=[common], help="a 見積 becomes a signed contract (契約日)")
    sign.add_argument("contract", type=int, metavar="CONTRACT")
    sign.add_argument("--date", type=_date, required=True, metavar="DATE")
    cancel = contracts.add_parser("cancel", parents=[common], help="中止: the contract will not be carried out")
    cancel.add_argument("contract", type=int, metavar="CONTRACT")
    cancel.add_argument("--date", type=_date, required=True, metavar="DATE")
    cancel.add_argument("--reason", required=True)
    amend = contracts.add_parser("amend", parents=[common],
                                 help="変更契約: change amount, period and milestones (kept in the history)")
    amend.add_argument("contract", type=int, metavar="CONTRACT")
    amend.add_argument("--date", type=_date, required=True, metavar="DATE")
    amend.add_argument("--reason", required=True)
    amend.add_argument("--amount", type=_yen, default=None, metavar="YEN", help="the new 契約金額 (tax included)")
    amend.add_argument("--period", type=_period, default=None, metavar="START:END", help="the new period")
    amend.add_argument("--end", type=_date, default=None, metavar="DATE", help="the new end only")
    amend.add_argument("--add-milestone", action="append", nargs="+", default=[], metavar="KEY=VALUE",
                       help="a new milestone: name=TEXT due=DATE amount=YEN (repeat the option for more)")
    amend.add_argument("--change-milestone", action="append", nargs="+", default=[], metavar="N [KEY=VALUE",
                       help="milestone N changes: N then any of name=TEXT due=DATE amount=YEN")
    amend.add_argument("--remove-milestone", action="append", type=int, default=[], metavar="N",
                       help="milestone N is removed (refused once invoiced)")

    costs = contracts.add_parser("import-costs", parents=[common], help="import costs from CSV/XLSX (all or nothing)")
    costs.add_argument("contract", type=int, metavar="CONTRACT")
    costs.add_argument("file", type=Path, metavar="FILE")
    costs.add_argument("--dry-run", action="store_true")
    cost_list = contracts.add_parser("costs", parents=[common], help="a contract's costs (証ひょう番号 first)")
    cost_list.add_argument("contract", type=int, metavar="CONTRACT")
    edit = contracts.add_parser("edit-cost", parents=[common],
                                help="correct a saved cost (audited; refused once the contract is closed or settled, "
                                     "or the cost exported to the accountant)")
    edit.add_argument("contract", type=int, metavar="CONTRACT")
    edit.add_argument("voucher", metavar="VOUCHER", help="the cost's 証ひょう番号")
    edit.add_argument("--voucher-number", default=None, metavar="TEXT", help="a new 証ひょう番号")
    edit.add_argument("--category", default=None, metavar="TEXT", help="費目")
    edit.add_argument("--date", type=_date, default=None, metavar="DATE", help="支払日")
    edit.add_argument("--payee", default=None, metavar="TEXT", help="支払先")
    edit.add_argument("--description", default=None, metavar="TEXT", help="内容")
    edit.add_argument("--amount", type=_yen, default=None, metavar="YEN", help="支出額（税込）")
    edit.add_argument("--tax", type=_yen, default=None, metavar="YEN", help="消費税")
    edit.add_argument("--accounting-ref", default=None, metavar="TEXT", help="会計伝票番号")
    edit.add_argument("--split-total", type=_yen, default=None, metavar="YEN", help="按分: the whole expense")
    edit.add_argument("--split-note", default=None, metavar="TEXT", help="按分の理由")
    edit.add_argument("--file", type=Path, default=None, metavar="PATH", help="a voucher file that replaces its voucher")
    listing = contracts.add_parser("list", parents=[common], help="contracts with status, amounts, next deadline")
    listing.add_argument("--fiscal-year", type=int, default=None, metavar="Y")
    listing.add_argument("--as-of", type=_date, default=None, metavar="DATE", help="default: today")
    margin = contracts.add_parser("margin", parents=[common], help="粗利 per client (tax excluded)")
    margin.add_argument("--fiscal-year", type=int, default=None, metavar="Y")
    report = contracts.add_parser("report", parents=[common], help="収支報告 of one contract (.pdf or .xlsx)")
    report.add_argument("contract", type=int, metavar="CONTRACT")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.xlsx")
    register = contracts.add_parser("register", parents=[common], help="委託事業一覧 of a fiscal year (.xlsx or .csv)")
    register.add_argument("--fiscal-year", type=int, required=True, metavar="Y")
    register.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.csv")
    for name, text in (("estimate", "見積書 (PDF)"), ("letter", "完了届 / 業務完了報告書 cover letter (PDF)"),
                       ("statement", "精算書 of a 概算払い contract (PDF)")):
        document = contracts.add_parser(name, parents=[common], help=text)
        document.add_argument("contract", type=int, metavar="CONTRACT")
        document.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
        document.add_argument("--date", type=_date, default=None, metavar="DATE", help="default: today")


def run(args, db) -> int:
    if args.command == "settings":
        from tama_desk import cli_settings

        return cli_settings.run(args, db)
    if args.command == "clients":
        return _clients(args, db)
    handler = {"create": _create, "milestone": _milestone, "deliverable": _deliverable, "complete": _step,
               "inspect": _step, "invoice": _invoice, "settle": _settle, "amend": _amend, "sign": _sign, "cancel": _cancel,
               "import-costs": _import_costs, "costs": _costs, "edit-cost": _edit_cost, "list": _list, "margin": _margin, "report": _report, "register": _register,
               "estimate": _document, "letter": _document, "statement": _document}.get(args.action)
    if handler is None:
        raise UserError("unknown command: contracts {action}", action=args.action)
    return handler(args, db)


def _clients(args, db) -> int:
    from tama_desk.services import clients

    if args.action == "list":
        with db.reading() as session:
            for client in clients.list_clients(session):
                print(f"{client.id}\t{client.name}\t{client.department}\t{client.payer_name}")
        return 0
    values = {"name": args.name, "kana": args.kana, "department": args.department, "contact_person": args.contact,
              "postal_code": args.postal_code, "address": args.address, "phone": args.phone, "email": args.email,
              "payer_name": args.payer, "corporate_number": args.corporate_number, "addressee": args.addressee,
              "head_title": args.head_title, "head_name": args.head_name}
    with db.transaction() as session:
        client = clients.add_client(session, values)
        client_id, name = client.id, client.name
    print(t("取引先を登録しました: {name}", name=name))
    print(client_id)
    return 0


def _create(args, db) -> int:
    from tama_desk.services import clients, contracts

    category, stated = (args.tax, args.tax_amount) if isinstance(args.tax, str) else ("standard_10", args.tax)
    with db.transaction() as session:
        party = clients.find_party(session, args.client)
        contract = contracts.create_contract(
            session, party=party, title=args.title, signed_on=args.signed, period_start=args.period[0],
            period_end=args.period[1], amount=args.amount, payment_terms=args.payment, number=args.number,
            kind=args.kind, reference=args.reference, tax_amount=stated, management_fee_rate=args.management_fee,
            tax_category=category)
        contract_id, title = contract.id, contract.title
    print(t("委託契約を登録しました: {title}", title=title))
    print(contract_id)
    return 0


def _milestone(args, db) -> int:
    from tama_desk.services import contracts

    with db.transaction() as session:
        position = contracts.add_milestone(session, args.contract, args.name, args.due, args.amount).position
    print(position)
    return 0


def _deliverable(args, db) -> int:
    from tama_desk.services import contracts

    with db.transaction() as session:
        deliverable = contracts.add_deliverable(session, args.contract, args.name, args.due)
        text = t("成果物を登録しました: {name}（期限 {due}）", name=deliverable.name, due=f"{args.due:%Y-%m-%d}")
    print(text)
    return 0


def _step(args, db) -> int:
    from tama_desk.services import contracts

    with db.transaction() as session:
        if args.action == "complete":
            contracts.complete(session, args.contract, args.date, args.milestone)
        else:
            contracts.inspect(session, args.contract, args.date, args.milestone, passed=not args.failed)
    what = t("完了届") if args.action == "complete" else t("検査（不合格）") if args.failed else t("検査")
    where = t("第{n}回", n=args.milestone) if args.milestone else ""
    print(t("{what}を記録しました: {date} {where}", what=what, date=f"{args.date:%Y-%m-%d}", where=where).rstrip())
    return 0


def _invoice(args, db) -> int:
    from tama_desk.services import contracts

    with db.transaction() as session:
        invoice = contracts.issue_invoice(session, args.contract, args.issue_date, milestone=args.milestone,
                                          advance=args.advance, final=args.final)
        number, total, kind = invoice.number, invoice.total, invoice.kind
    label = t("返還請求書") if kind == "credit_note" else t("請求書")
    print(t("{label}を発行しました: {amount}円", label=label, amount=f"{total:,}"))
    print(number)
    return 0


def _settle(args, db) -> int:
    from tama_desk.services import contracts

    with db.transaction() as session:
        result = contracts.settle(session, args.contract, args.final_amount, args.date)
    print(t("確定額 {final}円／概算払額 {advance}円", final=f"{result.final_amount:,}", advance=f"{result.advance:,}"))
    if result.refund:
        print(t("返還額 {amount}円（contracts invoice --final で返還請求書を発行します）", amount=f"{result.refund:,}"))
    else:
        print(t("差引請求額 {amount}円（contracts invoice --final で請求書を発行します）", amount=f"{result.balance:,}"))
    return 0


def _sign(args, db) -> int:
    from tama_desk.services import contracts

    with db.transaction() as session:
        title = contracts.sign(session, args.contract, args.date).title
    print(t("契約日を記録しました: {title} {date}", title=title, date=f"{args.date:%Y-%m-%d}"))
    return 0


def _cancel(args, db) -> int:
    from tama_desk.services import contracts

    with db.transaction() as session:
        title = contracts.cancel_contract(session, args.contract, args.date, args.reason).title
    print(t("中止を記録しました: {title}", title=title))
    return 0


def _milestone_edit(words: list[str], position: int | None, option: str):
    """`name=… due=DATE amount=YEN` of --add-milestone / --change-milestone as a MilestoneEdit."""
    from tama_desk.domain.contracts import MilestoneEdit

    values: dict = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or key not in ("name", "due", "amount") or key in values:
            raise UserError("{option} {word}: name=… due=DATE amount=YEN の形で指定してください", option=option,
                            word=word)
        try:
            values[key] = (_date(value) if key == "due" else _yen(value) if key == "amount" else value)
        except argparse.ArgumentTypeError as error:
            raise UserError("{option}: {error}", option=option, error=str(error)) from None
    return MilestoneEdit(position, values.get("name"), values.get("due"), values.get("amount"))


def _amend(args, db) -> int:
    from tama_desk.domain.contracts import MilestoneEdit
    from tama_desk.services import contracts

    if args.period and args.end:
        raise UserError("--period と --end はどちらか一つを指定してください")
    start, end = args.period or (None, args.end)
    edits = []  # changes, removals, then additions (numbered after every existing milestone)
    for words in args.change_milestone:
        if not words[0].isdigit():
            raise UserError("--change-milestone {word}: 最初に履行段階の番号 N を指定してください", word=words[0])
        edits.append(_milestone_edit(words[1:], int(words[0]), "--change-milestone"))
    edits += [MilestoneEdit(position, remove=True) for position in args.remove_milestone]
    edits += [_milestone_edit(words, None, "--add-milestone") for words in args.add_milestone]
    with db.transaction() as session:
        amendment = contracts.amend(session, args.contract, args.date, args.reason, args.amount, end,
                                    period_start=start, milestones=edits)
        text = t("変更契約を記録しました: {before}円→{after}円、期間の終わり {end}",
                 before=f"{amendment.amount_before:,}", after=f"{amendment.amount_after:,}",
                 end=f"{amendment.period_end_after:%Y-%m-%d}")
        changes = [t(contracts.change_of(row).text()) for row in amendment.milestone_changes]
    print(text)
    for line in changes:
        print(line)
    return 0


def _import_costs(args, db) -> int:
    from tama_desk.services import cost_ledger

    with db.transaction() as session:
        result = cost_ledger.import_costs(session, args.contract, args.file, args.dry_run)
    total = sum(amount for _line, _voucher, amount in result.created)
    verb = t("取り込みます（確認のみ・書き込みなし）") if args.dry_run else t("取り込みました")
    print(t("経費 {n} 件 {total}円 を{verb}", n=len(result.created), total=f"{total:,}", verb=verb))
    return 0


def _costs(args, db) -> int:
    from tama_desk.services import contracts

    with db.reading() as session:
        costs = contracts.detail_view(session, args.contract, date.today())["costs"]
    for cost in costs:
        print("\t".join([cost["voucher_number"], f"{cost['payment_date']:%Y-%m-%d}", cost["category"], cost["payee"],
                         t("{amount}円", amount=f"{cost['amount']:,}"), t("消費税 {tax}円", tax=f"{cost['tax']:,}"),
                         cost["split"] and t(cost["split"]), cost["file"] and t("証ひょうあり")]).rstrip())
    if not costs:
        print(t("経費はまだありません"))
    return 0


def _edit_cost(args, db) -> int:
    from tama_desk.services import cost_ledger

    options = {"voucher_number": args.voucher_number, "category": args.category, "payment_date": args.date,
               "payee": args.payee, "description": args.description, "amount": args.amount, "tax": args.tax,
               "accounting_ref": args.accounting_ref, "split_total": args.split_total, "split_note": args.split_note}
    changes = {key: value for key, value in options.items() if value is not None}
    with db.transaction() as session:
        cost = cost_ledger.find_cost(session, args.contract, args.voucher)
        edit = cost_ledger.update_cost(session, cost.id, changes, voucher=args.file)
        voucher, shown = edit.cost.voucher_number, edit.changes
    if not shown and args.file is None:
        print(t("経費 {voucher} に変更はありません", voucher=voucher))
        return 0
    print(t("経費 {voucher} を修正しました", voucher=voucher))
    for label, before, after in shown:
        print(t("{field}: {before} → {after}", field=t(label), before=before, after=after))
    if args.file is not None:
        print(t("証ひょうを添付しました: {name}", name=args.file.name))
    return 0


def _list(args, db) -> int:
    from tama_desk.domain.contracts import DEADLINE_KINDS, PAYMENT_TERMS, STATUSES
    from tama_desk.services import contracts

    today = args.as_of or date.today()
    with db.reading() as session:
        rows = contracts.list_contracts(session, today, args.fiscal_year)
    for row in rows:
        deadline = ""
        if row.next_deadline:
            d = row.next_deadline
            deadline = t("{kind} {date}", kind=t(DEADLINE_KINDS[d.kind]), date=f"{d.due:%Y-%m-%d}")
            if d.overdue(today):
                deadline += " " + t("（超過）")
        final = f"{row.final_amount:,}" if row.final_amount is not None else "—"
        print("\t".join([str(row.id), t("{year}年度", year=row.fiscal_year), row.client, row.title,
                         t(PAYMENT_TERMS[row.payment_terms]), t(STATUSES[row.status]),
                         t("契約 {amount}円", amount=f"{row.amount:,}"), t("確定 {amount}", amount=final),
                         t("請求 {amount}円", amount=f"{row.invoiced:,}"), t("入金 {amount}円", amount=f"{row.paid:,}"),
                         t("未収 {amount}円", amount=f"{row.open:,}"), deadline]).rstrip())
    if not rows:
        print(t("委託契約はありません"))
    return 0


def _margin(args, db) -> int:
    from tama_desk.services import contracts

    with db.reading() as session:
        rows = contracts.margins_by_client(session, date.today(), args.fiscal_year)
    print("\t".join([t("取引先"), t("件数"), t("収入（税抜）"), t("原価（税抜）"), t("粗利")]))
    for row in rows:
        print(f"{row.client}\t{row.contracts}\t{row.revenue:,}\t{row.cost:,}\t{row.margin:,}")
    print("\t".join([t("合計"), str(sum(r.contracts for r in rows)), f"{sum(r.revenue for r in rows):,}",
                     f"{sum(r.cost for r in rows):,}", f"{sum(r.margin for r in rows):,}"]))
    return 0


def _report(args, db) -> int:
    from tama_desk.cli_fees import _write
    from tama_desk.services import contract_documents

    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise UserError("{name}: 拡張子は .pdf か .xlsx にしてください", name=args.out.name)
    with db.reading() as session:
        report = contract_documents.balance_report(session, args.contract, date.today())
    if suffix == ".pdf":
        from tama_desk.documents.contract_report import render

        data = render(report)
    else:
        from tama_desk.exports.contract_register import report_xlsx

        data = report_xlsx(report)
    return _write(args.out, data, t("収支報告"))


def _register(args, db) -> int:
    from tama_desk.cli_fees import _write
    from tama_desk.exports import contract_register
    from tama_desk.services import contract_documents

    suffix = args.out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError("{name}: 拡張子は .xlsx か .csv にしてください", name=args.out.name)
    with db.reading() as session:
        rows = contract_documents.register(session, date.today(), args.fiscal_year)
    data = (contract_register.register_xlsx(rows, args.fiscal_year) if suffix == ".xlsx"
            else contract_register.register_csv(rows))
    return _write(args.out, data, t("委託事業一覧 {n} 件", n=len(rows)))


def _document(args, db) -> int:
    from tama_desk.cli_fees import _write
    from tama_desk.services import contract_documents

    if args.out.suffix.lower() != ".pdf":
        raise UserError("{name}: 拡張子は .pdf にしてください", name=args.out.name)
    on = args.date or date.today()
    with db.reading() as session:
        data, what = contract_documents.render_document(session, args.action, args.contract, on)
    return _write(args.out, data, t(what))
