"""収支報告 of one municipal contract: revenue (tax excluded), costs by 費目 (tax excluded), margin, the
management fee the contract allows, and the cost list behind it. Data in (`BalanceReport`), PDF bytes out."""

from __future__ import annotations

from io import BytesIO

from tama_desk.documents import letter
from tama_desk.documents.layout import Block, new_canvas
from tama_desk.documents.letter import LEFT, RIGHT
from tama_desk.documents.table import Column, Table, spacer, together, yen, yen_signed
from tama_desk.domain.contract_documents import BalanceReport
from tama_desk.domain.dates import format_date, format_date_ja

TITLE = "委託事業 収支報告書"


def _heading(text: str) -> Block:
    return Block(9.0, lambda pen, y: pen.text(LEFT + 1, y + 6.0, text, size=10.5, bold=True))


def render(report: BalanceReport) -> bytes:
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    canvas.setTitle(f"{TITLE} {report.contract.title}")
    canvas.setAuthor(report.issuer.name)
    canvas.setCreator("TAMA Desk")
    contract = report.contract

    def when(value) -> str:
        return format_date_ja(value, wareki=report.wareki)

    def first_page(pen) -> None:
        letter.letterhead(pen, "", "", when(report.date))
        letter.title_block(pen, TITLE, 34.0)
        pen.text(RIGHT - 1, 46.0, report.issuer.name, size=10, align="right", bold=True)

    label = (0.95, 0.955, 0.965)
    facts = Table(pen, [Column("項目", 40, fill=label), Column("内容", 140)], x=LEFT, width=RIGHT - LEFT,
                  show_header=False)
    blocks: list[Block] = [_heading("1. 契約の概要")]
    settled = f"{contract.final_amount:,}円" if contract.final_amount is not None else "未確定"
    rows = [("契約件名", contract.title), ("委託者", contract.client), ("契約番号", contract.number or "—"),
            ("契約の種類・支払条件", f"{contract.kind}・{contract.payment_terms}"),
            ("契約締結日", when(contract.signed_on) or "—"),
            ("履行期間", f"{when(contract.period_start)}〜{when(contract.period_end)}"),
            ("税区分", contract.tax_category),
            ("契約金額（税込）", f"{contract.amount:,}円（うち消費税額 {contract.tax_amount:,}円）"
             + (f"　当初 {contract.original_amount:,}円" if contract.amendments else "")),
            ("変更契約", f"{len(contract.amendments)}回（最終 {when(contract.amendments[-1].amended_on)}）"
             if contract.amendments else "なし"),
            ("確定額（税込）", settled), ("請求済・入金済", f"請求 {report.invoiced:,}円／入金 {report.paid:,}円"),
            ("状態", report.status or "—")]
    blocks += together([facts.row(row) for row in rows])
    number = 2
    if contract.amendments:
        blocks += [spacer(5.0), _heading("2. 変更契約")]
        changes = Table(pen, [Column("回", 12, "center"), Column("変更契約日", 24, "center"),
                              Column("契約金額（税込） 変更前→変更後", 48), Column("履行期間 変更前→変更後", 50),
                              Column("理由・履行段階の変更", 46)], x=LEFT, width=RIGHT - LEFT, size=8.0)
        blocks += together([changes.row([
            f"第{a.number}回", when(a.amended_on), a.amount_text(),
            a.period_text(when) if a.period_changed else "変更なし", "／".join(filter(None, [a.reason, *a.changes]))])
            for a in contract.amendments])
        number = 3
    blocks += [spacer(5.0), _heading(f"{number}. 収支（税抜）")]
    money = Table(pen, [Column("区分", 60), Column("費目", 50), Column("金額（円）", 40, "right", yen_signed),
                        Column("構成比", 30, "right")], x=LEFT, width=RIGHT - LEFT)

    def share(amount: int) -> str:
        return f"{amount * 100 / report.revenue_net:.1f}%" if report.revenue_net else "—"

    lines = [money.row(["収入　委託料（税抜）", "", report.revenue_net, "100.0%"], bold=True)]
    for category, amount in report.costs.items():
        lines.append(money.row(["支出", category, amount, share(amount)]))
    if not report.costs:
        lines.append(money.empty("（経費の登録なし）"))
    lines.append(money.subtotal(["支出合計", "", report.cost_total, share(report.cost_total)]))
    lines.append(money.total(["差引（粗利）", "", report.margin, share(report.margin)]))
    if report.management_fee_rate not in ("", "0"):
        lines.append(money.row([f"一般管理費（契約上の上限 {report.management_fee_rate}）", "",
                                report.management_fee, ""], keep_with_previous=True))
    blocks += together(lines)
    if report.lines:
        blocks += [spacer(5.0), _heading(f"{number + 1}. 経費の明細")]
        detail = Table(pen, [Column("証ひょう番号", 22), Column("支払日", 21, "center"), Column("費目", 20),
                             Column("支払先", 38), Column("内容", 39), Column("支出額（税込）", 22, "right", yen),
                             Column("税抜", 18, "right", yen)], x=LEFT, width=RIGHT - LEFT, size=8.0)
        blocks += [detail.row([line.voucher_number, format_date(line.payment_date, wareki=report.wareki),
                               line.category, line.payee, line.description, line.amount, line.net])
                   for line in report.lines]
        blocks.append(detail.total(["合計", "", "", "", "", sum(line.amount for line in report.lines),
                                    sum(line.net for line in report.lines)]))
    letter.draw_pages(canvas, pen, blocks, first_page=first_page, first_top=54.0,
                      continuation=lambda pen: letter.continuation_header(pen, f"{TITLE}（続き）", contract.title,
                                                                        "", when(report.date)),
                      footer=lambda pen, n, count: letter.footer(pen, n, count, contract.title))
    canvas.save()
    return buffer.getvalue()
