"""Two demo grants with realistic budgets and a few hundred expenditures, one category close to overrun."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tama_desk.db.models import Expenditure
from tama_desk.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from tama_desk.services import audit, grants

PAYEES = {
    "旅費": [("株式会社JTB 多摩支店", "上海商談会 渡航費"), ("日本航空株式会社", "航空券（羽田−上海）"), ("京王電鉄バス株式会社", "視察バス借上げ"),
           ("株式会社HIS 立川支店", "ミラノ展示会 渡航費"), ("大韓航空", "航空券（羽田−ソウル）")],
    "会議費": [("京王プラザホテル八王子", "商談会 会場・飲物"), ("立川グランドホテル", "産学官金交流会 会場"), ("株式会社多摩ケータリング", "会議用弁当")],
    "謝金": [("多摩工科大学 教授 佐藤 健一", "セミナー講師謝金"), ("中小企業診断士 田中 美咲", "専門家派遣謝金"), ("弁理士 鈴木 誠", "知財相談謝金")],
    "委託費": [("上海国際展覧中心有限公司", "商談会運営委託"), ("株式会社多摩リサーチ", "海外市場調査委託"), ("株式会社ミラノ・ビジネス・リンク", "現地商談アレンジ委託")],
    "広報費": [("株式会社多摩広告社", "Web広告掲載"), ("株式会社八王子デザイン", "出展社パンフレット制作")],
    "印刷製本費": [("株式会社多摩印刷", "報告書印刷"), ("株式会社立川プリント", "チラシ印刷")],
    "通信運搬費": [("ヤマト運輸株式会社", "展示品輸送"), ("日本郵便株式会社", "案内状郵送")],
    "人件費": [("（事務局）コーディネーター人件費", "月額人件費")],
    "消耗品費": [("アスクル株式会社", "事務用品"), ("株式会社多摩文具", "名札・資料ファイル")],
    "借料及び損料": [("株式会社多摩レンタル", "展示ブース備品借上げ"), ("立川市 女性総合センター", "会議室使用料")],
}


def load_demo_grants(session, rng: random.Random, today: date) -> None:
    year = fiscal_year_of(today)
    start, end = fiscal_year_bounds(year)
    export = grants.create_grant(
        session, name="多摩ものづくり企業 海外販路開拓支援事業", programme="地域企業海外展開支援補助金",
        grantor="関東経済産業局長", fiscal_year=year, decision_number=f"{year}0412関東第18号",
        decision_date=date(year, 4, 12), period_start=date(year, 4, 15), period_end=date(year + 1, 2, 28),
        decided_amount=10_600_000, rate="2/3", advance_paid=5_000_000,
        budgets={"旅費": 4_500_000, "会議費": 1_200_000, "謝金": 1_800_000, "委託費": 6_000_000,
                 "広報費": 1_500_000, "印刷製本費": 600_000, "通信運搬費": 300_000},
        summary="上海・ミラノ・ソウルでの商談会を開催し、会員企業9社と海外企業60社の商談機会を設けた。"
                "事前セミナー、現地市場調査、出展社パンフレットの制作を行い、見積・サンプル依頼5件、"
                "自社ブランド販売依頼2件、継続連絡希望19件の成果を得た。")
    innovation = grants.create_grant(
        session, name="産学官金連携によるイノベーション創出事業", programme="地域産業活性化補助金", grantor="東京都知事",
        fiscal_year=year, decision_number=f"{year}産労商第305号", decision_date=date(year, 5, 20),
        period_start=date(year, 6, 1), period_end=end, decided_amount=5_800_000, rate="1/2", formula="ratio",
        rounding_unit=1000, budgets={"謝金": 2_400_000, "会議費": 800_000, "委託費": 3_000_000, "人件費": 4_000_000,
                                     "消耗品費": 500_000, "借料及び損料": 900_000},
        decided_eligible_cost=11_600_000,
        summary="大学・研究機関と会員企業のマッチング会を開催し、共同研究の立ち上げを支援した。")
    _spend(session, rng, export, today, share=0.62, hot="旅費")
    _spend(session, rng, innovation, today, share=0.55, hot=None)
    session.flush()
    audit.record(session, "demo", "grant", None, "補助事業 2 件")


def _spend(session, rng, grant, today: date, share: float, hot: str | None) -> None:
    """Spend about `share` of each category's budget by today (the `hot` one up to 96%)."""
    last = min(today, grant.period_end)
    if last <= grant.period_start:
        return
    days = (last - grant.period_start).days
    voucher = 0
    for budget in grant.budgets:
        target = int(budget.planned * (0.96 if budget.category == hot else share * rng.uniform(0.8, 1.15)))
        spent = 0
        while spent < target:
            amount = min(target - spent, _amount(rng, budget.planned))
            if amount < 1000:
                break
            voucher += 1
            payee, what = rng.choice(PAYEES[budget.category])
            paid = grant.period_start + timedelta(days=rng.randint(0, days))
            taxable = budget.category not in ("謝金", "人件費")
            tax = amount * 10 // 110 if taxable else 0
            ineligible = budget.category == "会議費" and rng.random() < 0.08
            session.add(Expenditure(
                grant_id=grant.id, voucher_number=f"{grant.fiscal_year % 100:02d}-{grant.id}-{voucher:04d}",
                category=budget.category, contract_date=paid - timedelta(days=rng.randint(0, 20)) if amount > 500_000
                else None, payment_date=paid, payee=payee, description=what, amount=amount, tax=tax,
                eligible_amount=0 if ineligible else amount - tax,
                ineligible_reason="酒類代は補助対象外" if ineligible else ""))
            spent += amount


def _amount(rng: random.Random, planned: int) -> int:
    """A plausible single payment: a few percent of the category budget, rounded to 100 yen."""
    return max(1100, int(planned * rng.uniform(0.005, 0.05)) // 100 * 100)
