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
