"""The 委託事業 demo: four contracts with different payment terms at different stages, with costs.

- 八王子市 「八王子 City Sales in Shanghai」 (概算払い): advance invoiced and paid, settled below the advance,
  the refund issued as a credit note.
- 立川市 「ものづくり企業 展示会出展支援業務」 (部分払い, addressed to the mayor): milestone 1 paid, milestone 2
  completed and waiting for its inspection, a deliverable due within two weeks.
- a member municipality 「多摩地域 産業実態調査」 (完了払い): inspected and invoiced, payment overdue.
- 町田市 「創業支援セミナーシリーズ」: still a 見積.
Dates are relative to `today`, so the stages look the same whenever the demo is loaded.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from tama_desk.db.models import Member
from tama_desk.domain.contracts import MilestoneEdit
from tama_desk.services import clients, contracts, cost_ledger, payments

COSTS = {  # category → (payee, description, amount tax included)
    "shanghai": [("旅費", "株式会社JTB 多摩支店", "上海 渡航費（出展社9社・随行2名）", 1_650_000),
                 ("委託費", "上海国際展覧中心有限公司", "商談会会場・運営委託", 990_000),
                 ("会議費", "上海花園飯店", "投資誘致セミナー 会場・飲物", 286_000),
                 ("印刷製本費", "株式会社多摩印刷", "中国語パンフレット印刷", 165_000),
                 ("謝金", "通訳 王 麗華", "商談通訳謝金（3日間）", 180_000)],
    "tachikawa": [("借料及び損料", "株式会社東京ビッグサイト", "展示会 小間料", 660_000),
                  ("委託費", "株式会社多摩ディスプレイ", "ブース装飾・施工", 495_000),
                  ("旅費", "京王電鉄バス株式会社", "出展社 送迎バス借上げ", 132_000)],
    "survey": [("委託費", "株式会社多摩リサーチ", "アンケート集計委託", 550_000),
               ("通信運搬費", "日本郵便株式会社", "調査票郵送（1,200社）", 168_000),
               ("人件費", "（事務局）調査員人件費", "ヒアリング調査", 420_000)],
}


def load(session, rng: random.Random, today: date, count: int) -> dict[str, int]:
    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    hachioji = clients.add_client(session, {
        "name": "八王子市", "kana": "ハチオウジシ", "department": "産業振興部 産業政策課", "contact_person": "高橋 健",
        "postal_code": "192-8501", "address": "東京都八王子市元本郷町三丁目24番1号", "phone": "042-626-3111",
        "payer_name": "ﾊﾁｵｳｼﾞｼ", "addressee": "department"})
    tachikawa = clients.add_client(session, {
        "name": "立川市", "kana": "タチカワシ", "department": "産業文化スポーツ部 産業観光課", "contact_person": "佐藤 美咲",
        "postal_code": "190-8666", "address": "東京都立川市泉町1156番地の9", "addressee": "head",
        "head_title": "立川市長", "head_name": "酒井 大史"})
    machida = clients.add_client(session, {
        "name": "町田市", "kana": "マチダシ", "department": "経済観光部 産業政策課", "postal_code": "194-8520",
        "address": "東京都町田市森野2-2-22"})

    shanghai = contracts.create_contract(
        session, party=clients.Party(client=hachioji), title="八王子 City Sales in Shanghai", signed_on=day(-215),
        period_start=day(-210), period_end=day(-40), amount=5_500_000, payment_terms="advance",
        number="八産政第1187号", kind="準委任", reference="委-01", management_fee_rate="10%")
    contracts.add_deliverable(session, shanghai.id, "実施報告書", day(-30))
    contracts.add_deliverable(session, shanghai.id, "写真記録", day(-30))
    advance = contracts.issue_invoice(session, shanghai.id, day(-205), advance=4_400_000)
    payments.record_payment(session, None, day(-180), 4_400_000, "transfer", "ﾊﾁｵｳｼﾞｼ ｶｲｹｲｶﾝﾘｼﾔ",
                            [(advance.id, 4_400_000)], client_id=hachioji.id, note="概算払")
    for deliverable in shanghai.deliverables:
        contracts.submit_deliverable(session, deliverable.id, day(-33))
    contracts.complete(session, shanghai.id, day(-35))
    contracts.inspect(session, shanghai.id, day(-28))
    contracts.settle(session, shanghai.id, 4_180_000, day(-20))
    contracts.issue_invoice(session, shanghai.id, day(-18), final=True)

    fair = contracts.create_contract(
        session, party=clients.Party(client=tachikawa), title="ものづくり企業 展示会出展支援業務", signed_on=day(-150),
        period_start=day(-145), period_end=day(95), amount=3_300_000, payment_terms="partial",
        number="立産観第52号", kind="請負", reference="委-02")
    for name, offset in (("出展準備・出展社募集", -60), ("展示会出展・運営", -5), ("成果報告", 90)):
        contracts.add_milestone(session, fair.id, name, day(offset), 1_100_000)
    contracts.add_deliverable(session, fair.id, "出展社アンケート集計", day(10))
    contracts.add_deliverable(session, fair.id, "成果報告書", day(95))
    contracts.complete(session, fair.id, day(-58), milestone=1)
    contracts.inspect(session, fair.id, day(-52), milestone=1)
    first = contracts.issue_invoice(session, fair.id, day(-50), milestone=1)
    payments.record_payment(session, None, day(-25), 1_100_000, "transfer", "ﾀﾁｶﾜｼ ｶｲｹｲｶﾝﾘｼﾔ",
                            [(first.id, 1_100_000)], client_id=tachikawa.id)
    contracts.complete(session, fair.id, day(-4), milestone=2)
    contracts.amend(session, fair.id, day(-30), "成果報告会の日程変更（立川市の依頼）",  # 変更契約 in the history
                    milestones=[MilestoneEdit(3, due=day(92))])

    member = session.scalar(select(Member).where(Member.category == "municipality", Member.name.not_in(
        ["八王子市", "立川市", "町田市"])).order_by(Member.number))
    added = 3
    survey = None
    if member is not None:
        survey = contracts.create_contract(
            session, party=clients.Party(member=member), title="多摩地域 産業実態調査", signed_on=day(-160),
            period_start=day(-155), period_end=day(-55), amount=1_980_000, payment_terms="completion",
            number=f"{member.name[:2]}産第301号", kind="請負", reference="委-03")
        contracts.add_deliverable(session, survey.id, "調査報告書", day(-55))
        contracts.submit_deliverable(session, survey.deliverables[0].id, day(-56))
        contracts.complete(session, survey.id, day(-56))
        contracts.inspect(session, survey.id, day(-49))
        contracts.issue_invoice(session, survey.id, day(-45), final=True)
        added += 1
    contracts.create_contract(
        session, party=clients.Party(client=machida), title="創業支援セミナーシリーズ（全6回）", signed_on=None,
        period_start=day(30), period_end=day(150), amount=880_000, payment_terms="completion", kind="準委任",
        reference="見-04")

    costs = 0
    for contract, key in ((shanghai, "shanghai"), (fair, "tachikawa"), (survey, "survey")):
        if contract is None:
            continue
        for number, (category, payee, description, amount) in enumerate(COSTS[key], start=1):
            paid_on = min(contract.period_end, contract.period_start + timedelta(days=20 * number))
            cost_ledger.add_cost(session, contract.id, {
                "voucher_number": f"{contract.reference}-{number:03d}", "category": category,
                "payment_date": paid_on, "payee": payee, "description": description, "amount": amount,
                "tax": amount // 11 if category not in ("人件費", "謝金") else 0})
            costs += 1
    return {"取引先": 3, "委託契約": added, "委託事業の経費": costs}


# --- ten years of contracts (bench/scale.py), in bulk --------------------------------------------------------

WORKS = ["産業振興 調査業務", "展示会出展支援業務", "創業支援セミナー運営業務", "海外販路開拓支援業務", "ものづくり人材育成事業",
         "企業間連携促進事業", "DX導入支援業務", "産学連携コーディネート業務", "地域ブランド発信事業", "販路開拓商談会運営業務"]
COST_ROWS = [("委託費", "株式会社多摩リサーチ", "業務の一部委託"), ("旅費", "京王電鉄バス株式会社", "参加企業 送迎"),
             ("会議費", "八王子学園都市センター", "会場使用料"), ("印刷製本費", "株式会社多摩印刷", "報告書印刷"),
             ("謝金", "講師謝金", "セミナー講師")]


def load_history(session, rng: random.Random, today: date, count: int, years: int) -> dict[str, int]:
    """`count` contracts over the `years` fiscal years up to `today` for the cities of the Tama area: 完了払い,
    部分払い (three milestones) and 概算払い; the ones whose work ended before today completed, inspected,
    invoiced (through the invoice engine's bulk issue) and nearly all paid, the rest still under way; five
    costs each. A few bulk INSERTs per table, whatever the count."""
    from tama_desk.db.models import AuditLog
    from tama_desk.db.models_contracts import Client, Contract, ContractCost, Milestone
    from tama_desk.domain import contracts as rules
    from tama_desk.domain.fiscal import fiscal_year_of
    from tama_desk.domain.kana import to_bank_kana
    from tama_desk.services import invoices
    from tama_desk.services.demo import CITIES, _insert, _stamp, insert_payments, rows_of

    stamp = _stamp()
    known = {client.name: client for client in session.scalars(select(Client))}
    parties = [known.get(city) or clients.add_client(session, {
        "name": city, "kana": kana, "department": "産業振興課", "postal_code": f"{postal}-8501",
        "address": f"東京都{city}{towns[0]}1-1", "payer_name": to_bank_kana(kana)[:30]})
        for city, kana, postal, towns in CITIES]
    this_year = fiscal_year_of(today)
    planned = []
    for index in range(count):
        year = this_year - years + 1 + index * years // count
        client = parties[index % len(parties)]
        signed = date(year, 4, 20) + timedelta(days=rng.randint(0, 200))
        start, amount = signed + timedelta(days=5), rng.randint(20, 200) * 55_000
        end = min(start + timedelta(days=rng.randint(60, 200)), date(year + 1, 3, 20))
        terms = ("completion", "completion", "partial", "advance")[index % 4]
        planned.append((client, Contract(
            client_id=client.id, title=f"{client.name} {rng.choice(WORKS)}（{year}年度）", number=f"産第{index + 1}号",
            reference=f"委-{year % 100:02d}-{index + 1:04d}", fiscal_year=year, signed_on=signed, period_start=start,
            period_end=end, amount=amount, tax_amount=rules.tax_included_in(amount), tax_category="standard_10",
            kind=("準委任", "請負")[index % 2], payment_terms=terms, management_fee_rate="10%", inspection_passed=True,
            final_amount=amount if terms == "advance" and end < today - timedelta(days=40) else None)))
    for _client, contract in planned:
        done = contract.period_end < today - timedelta(days=40)
        contract.completed_on = contract.period_end - timedelta(days=2) if done and contract.payment_terms != "partial" \
            else None
        contract.inspected_on = contract.completed_on + timedelta(days=7) if contract.completed_on else None
        contract.settled_on = contract.inspected_on if contract.final_amount else None
    columns = [column.key for column in Contract.__table__.columns if not column.primary_key]
    contract_ids = _insert(session, Contract, rows_of(Contract, [
        {key: getattr(contract, key) for key in columns if getattr(contract, key) is not None}
        for _client, contract in planned], stamp))
    milestones = []
    for contract_id, (_client, contract) in zip(contract_ids, planned, strict=True):
        if contract.payment_terms == "partial":
            part, span = contract.amount // 3, (contract.period_end - contract.period_start).days // 3
            for position in (1, 2, 3):
                due = contract.period_start + timedelta(days=span * position)
                finished = due < today - timedelta(days=40)
                milestones.append((contract_id, Milestone(
                    contract_id=contract_id, position=position, name=("準備・募集", "実施・運営", "成果報告")[position - 1],
                    due_date=due, amount=part if position < 3 else contract.amount - 2 * part,
                    completed_on=due - timedelta(days=2) if finished else None,
                    inspected_on=due + timedelta(days=5) if finished else None, inspection_passed=True)))
    milestone_columns = [column.key for column in Milestone.__table__.columns if not column.primary_key]
    milestone_ids = _insert(session, Milestone, rows_of(Milestone, [
        {key: getattr(m, key) for key in milestone_columns if getattr(m, key) is not None} for _c, m in milestones],
        stamp))
    stages: dict[int, list] = {}
    for milestone_id, (contract_id, milestone) in zip(milestone_ids, milestones, strict=True):
        stages.setdefault(contract_id, []).append((milestone_id, milestone))
    to_issue: list[tuple] = []  # (issue date, ToIssue, client, amount)
    for contract_id, (client, contract) in zip(contract_ids, planned, strict=True):
        bill = _Biller(to_issue, contract, contract_id, client)
        if contract.payment_terms == "partial":
            for stage_id, stage in stages.get(contract_id, []):
                if stage.inspected_on:
                    bill(stage.inspected_on + timedelta(days=2), stage.amount, "milestone", stage, stage_id)
        elif contract.payment_terms == "advance":
            advance = contract.amount * 8 // 10 // 1000 * 1000
            bill(contract.period_start + timedelta(days=5), advance, "advance", advance=advance)
            if contract.final_amount:
                bill(contract.settled_on + timedelta(days=2), contract.final_amount - advance, "final")
        elif contract.inspected_on:
            bill(contract.inspected_on + timedelta(days=3), contract.amount, "completion")
    to_issue = [item for item in sorted(to_issue, key=lambda item: item[0]) if item[0] <= today]
    invoice_ids = invoices.issue_many(session, [item for _on, item, _client, _amount in to_issue])
    received = []
    for invoice_id, (on, _item, client, amount) in zip(invoice_ids, to_issue, strict=True):
        paid_on = on + timedelta(days=rng.randint(10, 40))
        if paid_on <= today and rng.random() < 0.97:
            received.append({"invoice_id": invoice_id, "number": "", "member_id": None, "client_id": client.id,
                             "payer": f"{client.payer_name} ｶｲｹｲｶﾝﾘｼﾔ"[:30], "on": paid_on, "amount": amount})
    insert_payments(session, received)
    costs = []
    for contract_id, (_client, contract) in zip(contract_ids, planned, strict=True):
        for number, (category, payee, description) in enumerate(COST_ROWS, start=1):
            amount = contract.amount * rng.randint(5, 12) // 100 // 100 * 100
            costs.append({"contract_id": contract_id, "voucher_number": f"{contract.reference}-{number:03d}",
                          "category": category, "payee": payee, "description": description, "amount": amount,
                          "payment_date": min(contract.period_end, contract.period_start + timedelta(days=20 * number)),
                          "tax": amount // 11 if category not in ("人件費", "謝金") else 0})
    _insert(session, ContractCost, rows_of(ContractCost, costs, stamp), returning=False)
    _insert(session, AuditLog, [{"at": stamp["created_at"], "user": stamp["created_by"], "action": "create",
                                 "entity": "contract", "entity_id": contract_id,
                                 "summary": f"{client.name} {contract.title} {contract.amount:,}円"}
                                for contract_id, (client, contract) in zip(contract_ids, planned, strict=True)],
            returning=False)
    return {"委託契約": len(contract_ids), "請求書": len(invoice_ids), "入金": len(received), "委託事業の経費": len(costs)}


class _Biller:
    """The invoices of one history contract, as contracts.issue_invoice words them (its line, notes, running
    total), collected for one bulk issue."""

    def __init__(self, to_issue: list, contract, contract_id: int, client):
        self.to_issue, self.contract, self.contract_id, self.client = to_issue, contract, contract_id, client
        self.recipient, self.references = clients.recipient_of(client), contracts._references(contract)
        self.invoiced = 0

    def __call__(self, on: date, amount: int, kind: str, stage=None, stage_id: int | None = None,
                 advance: int | None = None) -> None:
        from tama_desk.domain import contracts as rules
        from tama_desk.domain.tax import Line
        from tama_desk.services import invoices

        contract = self.contract
        description, notes = contracts._describe(contract, stage, advance, amount, self.invoiced)
        values = dict(kind="invoice", issue_date=on, due_date=rules.payment_due(on), recipient=self.recipient,
                      lines=[Line(description, 1, amount, contract.tax_category)], subject=contract.title,
                      period_start=contract.period_start, period_end=contract.period_end, prices_include_tax=True,
                      notes=notes, references=self.references)
        self.to_issue.append((on, invoices.ToIssue(values, None, "other", links={
            "client_id": self.client.id, "contract_id": self.contract_id, "milestone_id": stage_id,
            "contract_stage": kind}), self.client, amount))
        self.invoiced += amount
