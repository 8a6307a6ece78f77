"""Letters about a municipal contract, on the shared letter frame and ruled table:

- 業務完了届 (completion notice and cover letter of the 業務完了報告書): the contract's particulars under 記, the
  completion date and the deliverables handed in;
- 委託料精算書 (概算払い): 確定額, 概算払額, and 差引請求額 — or 返還額 when the advance exceeds the 確定額.

Data in (`LetterData`), PDF bytes out; 和暦 dates when `wareki` is set (municipalities expect them).
"""

from __future__ import annotations

from io import BytesIO

from tama_desk.documents import letter
from tama_desk.documents.layout import Block, new_canvas
from tama_desk.documents.letter import LEFT, RIGHT
from tama_desk.documents.table import Column, Table, spacer, together, yen
from tama_desk.domain.contract_documents import LetterData
from tama_desk.domain.dates import format_date_ja

TITLES = {"completion": "業務完了届", "settlement": "委託料精算書"}


def render(data: LetterData) -> bytes:
    buffer = BytesIO()
    canvas, pen = new_canvas(buffer)
    title = TITLES[data.kind]
    canvas.setTitle(f"{title} {data.contract.title}")
    canvas.setAuthor(data.issuer.name)
    canvas.setCreator("TAMA Desk")

    def when(value) -> str:
        return format_date_ja(value, wareki=data.wareki)

    contract = data.contract
    right_top = letter.measure(pen, lambda p: letter.recipient_block(p, data.recipient, 34.0))
    issuer_y = max(right_top + 8.0, 58.0)
    body_top = letter.measure(pen, lambda p: letter.issuer_block(p, data.issuer, issuer_y)) + 18.0

    def first_page(pen) -> None:
        letter.letterhead(pen, "", "", when(data.date))
        letter.recipient_block(pen, data.recipient, 34.0)
        letter.issuer_block(pen, data.issuer, issuer_y, seal_top_limit=issuer_y - 8)
        letter.title_block(pen, title, body_top - 9.0)

    is_person = data.recipient.honorific.strip() == "様"
    if data.kind == "completion":
        intro = [letter.greeting(is_person),
                 f"さて、{when(contract.signed_on)}付けで契約を締結いたしました下記業務が"
                 f"{when(data.completed_on)}に完了いたしましたので、業務完了報告書を添えてお届けいたします。",
                 "ご査収のうえ、ご検査くださいますようお願い申し上げます。"]
    else:
        intro = [letter.greeting(is_person),
                 f"さて、{when(contract.signed_on)}付けで契約を締結いたしました下記業務について、"
                 "委託料を下記のとおり精算いたします。"]
    blocks: list[Block] = [*letter.paragraph_blocks(pen, intro, LEFT + 1, RIGHT - LEFT - 2),
                           letter.closing("敬具"), letter.ki()]
    table = Table(pen, [Column("項目", 45, fill=(0.95, 0.955, 0.965)), Column("内容", 135)], x=LEFT + 10,
                  width=RIGHT - LEFT - 20, show_header=False)
    rows = [("契約件名", contract.title), ("契約番号", contract.number or "—"),
            ("契約締結日", when(contract.signed_on) or "—"),
            ("履行期間", f"{when(contract.period_start)}〜{when(contract.period_end)}"),
            ("契約金額", f"{contract.amount:,}円（うち消費税及び地方消費税の額 {contract.tax_amount:,}円）")]
    if data.kind == "completion":
        rows.append(("完了年月日", when(data.completed_on) or "—"))
        rows.append(("成果物", "、".join(data.deliverables) or "業務完了報告書"))
    blocks += [table.row(row) for row in rows]
    if data.kind == "settlement":
        blocks.append(spacer(6.0))
        money = Table(pen, [Column("区分", 70), Column("金額（円・税込）", 50, "right", yen), Column("備考", 60)],
                      x=LEFT + 10, width=RIGHT - LEFT - 20)
        lines = [money.row(["確定額（A）", contract.final_amount or 0, "実績報告に基づき確定した額"]),
                 money.row(["概算払額（B）", data.advance, "受領済みの概算払"])]
        if data.refund:
            lines.append(money.total(["返還額（B）−（A）", data.refund, "適格返還請求書を発行します"]))
        else:
            lines.append(money.total(["差引請求額（A）−（B）", data.balance, "別途請求書を発行します"]))
        blocks += together(lines)
    blocks.append(letter.ijou())
    letter.draw_pages(canvas, pen, blocks, first_page=first_page, first_top=body_top,
                      continuation=lambda pen: letter.continuation_header(pen, f"{title}（続き）",
                                                                        data.recipient.name, "", when(data.date)),
                      footer=lambda pen, n, count: letter.footer(pen, n, count, contract.title))
    canvas.save()
    return buffer.getvalue()
