"""A realistic fictional data set for trying the app: members across every category in the Tama area.

Deterministic (seeded), so screenshots and tests see the same data every time.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tama_desk.db import bulk
from tama_desk.db.engine import current_user
from tama_desk.db.models import AuditLog, Contact, Invoice, Member, Payment, PaymentAllocation
from tama_desk.domain.checkdigits import with_check_digit
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.domain.kana import to_bank_kana, to_fullwidth_katakana
from tama_desk.errors import UserError
from tama_desk.services import audit, fees, payments, profile
from tama_desk.services.demo_grants import load_demo_grants
from tama_desk.services.members import apply_values, type_name_map

CITIES = [  # (city, kana, postal prefix, towns)
    ("八王子市", "ハチオウジシ", "192", ["明神町", "旭町", "元本郷町", "石川町", "高倉町", "小宮町"]),
    ("立川市", "タチカワシ", "190", ["曙町", "錦町", "柴崎町", "高松町", "泉町"]),
    ("武蔵野市", "ムサシノシ", "180", ["吉祥寺本町", "中町", "境", "緑町"]),
    ("三鷹市", "ミタカシ", "181", ["下連雀", "上連雀", "野崎", "大沢"]),
    ("府中市", "フチュウシ", "183", ["宮町", "府中町", "日鋼町", "四谷"]),
    ("昭島市", "アキシマシ", "196", ["田中町", "武蔵野", "拝島町"]),
    ("調布市", "チョウフシ", "182", ["小島町", "国領町", "深大寺東町"]),
    ("町田市", "マチダシ", "194", ["原町田", "森野", "鶴間", "小山ヶ丘"]),
    ("日野市", "ヒノシ", "191", ["旭が丘", "日野本町", "多摩平"]),
    ("青梅市", "オウメシ", "198", ["新町", "末広町", "今井"]),
    ("多摩市", "タマシ", "206", ["関戸", "落合", "鶴牧"]),
    ("小平市", "コダイラシ", "187", ["花小金井", "小川町", "天神町"]),
    ("国分寺市", "コクブンジシ", "185", ["南町", "本町", "光町"]),
    ("羽村市", "ハムラシ", "205", ["神明台", "栄町", "川崎"]),
    ("相模原市", "サガミハラシ", "252", ["中央区淵野辺", "緑区橋本", "南区相模大野"]),
]
PREFIXES = [("多摩", "タマ"), ("武蔵", "ムサシ"), ("高尾", "タカオ"), ("浅川", "アサカワ"), ("玉川", "タマガワ"),
            ("秋川", "アキカワ"), ("相模", "サガミ"), ("昭和", "ショウワ"), ("三栄", "サンエイ"), ("共立", "キョウリツ"),
            ("富士見", "フジミ"), ("明星", "ミョウジョウ"), ("協和", "キョウワ"), ("旭", "アサヒ"), ("陣馬", "ジンバ"),
            ("桑都", "ソウト"), ("みなみ野", "ミナミノ"), ("西東京", "ニシトウキョウ"), ("光陽", "コウヨウ"), ("大和", "ヤマト")]
INDUSTRIES = [("精機", "セイキ"), ("製作所", "セイサクショ"), ("電子", "デンシ"), ("工業", "コウギョウ"), ("技研", "ギケン"),
              ("光学", "コウガク"), ("精密", "セイミツ"), ("システムズ", "システムズ"), ("化成", "カセイ"), ("測器", "ソッキ"),
              ("エンジニアリング", "エンジニアリング"), ("メディカル", "メディカル"), ("ソフトウェア", "ソフトウェア"),
              ("金型", "カナガタ"), ("電機", "デンキ"), ("マテリアル", "マテリアル")]
SURNAMES = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
            ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
            ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"),
            ("清水", "シミズ"), ("石井", "イシイ"), ("長谷川", "ハセガワ"), ("村上", "ムラカミ"), ("近藤", "コンドウ")]
MIDDLES = [("", ""), ("テック", "テック"), ("総合", "ソウゴウ"), ("ファイン", "ファイン"), ("中央", "チュウオウ"), ("第一", "ダイイチ"),
           ("ネクスト", "ネクスト"), ("アドバンス", "アドバンス"), ("ユニオン", "ユニオン"), ("東", "ヒガシ"), ("西", "ニシ"),
           ("南", "ミナミ"), ("北", "キタ"), ("新", "シン"), ("産業", "サンギョウ"), ("工機", "コウキ"), ("プラス", "プラス"),
           ("グローバル", "グローバル"), ("ラボ", "ラボ"), ("日本", "ニホン"), ("国際", "コクサイ"), ("先端", "センタン"),
           ("フロンティア", "フロンティア"), ("クリエイト", "クリエイト"), ("テクノ", "テクノ"), ("サイエンス", "サイエンス"),
           ("ソリューション", "ソリューション"), ("デザイン", "デザイン"), ("ワークス", "ワークス"), ("ロボ", "ロボ"),
           ("エコ", "エコ"), ("オプト", "オプト"), ("ナノ", "ナノ"), ("ハイテク", "ハイテク"), ("マイクロ", "マイクロ")]
GIVEN = ["太郎", "花子", "健一", "美咲", "大輔", "陽子", "誠", "裕子", "翔太", "直樹", "恵", "隆", "由美", "浩二"]
FIXED = {  # category → (name, kana) of organisations that are not companies
    "academic": [("多摩工科大学", "タマコウカダイガク"), ("武蔵野理工大学", "ムサシノリコウダイガク"),
                 ("八王子情報大学", "ハチオウジジョウホウダイガク"), ("西東京医療大学", "ニシトウキョウイリョウダイガク"),
                 ("相模原産業技術研究所", "サガミハラサンギョウギジュツケンキュウジョ"), ("多摩先端材料研究センター", "タマセンタンザイリョウケンキュウセンター"),
                 ("高尾国際大学", "タカオコクサイダイガク"), ("東京多摩工業高等専門学校", "トウキョウタマコウギョウコウトウセンモンガッコウ")],
    "municipality": [(c[0], c[1]) for c in CITIES],
    "financial": [("多摩みらい信用金庫", "タマミライシンヨウキンコ"), ("武蔵中央銀行", "ムサシチュウオウギンコウ"),
                  ("八王子商工信用組合", "ハチオウジショウコウシンヨウクミアイ"), ("相模野銀行", "サガミノギンコウ"),
                  ("西多摩信用金庫", "ニシタマシンヨウキンコ"), ("日本政策産業金融公庫 立川支店", "ニホンセイサクサンギョウキンユウコウコ　タチカワシテン")],
    "support": [("多摩地域中小企業振興センター", "タマチイキチュウショウキギョウシンコウセンター"), ("八王子産業支援機構", "ハチオウジサンギョウシエンキコウ"),
                ("立川商工会議所", "タチカワショウコウカイギショ"), ("相模原ものづくり振興財団", "サガミハラモノヅクリシンコウザイダン"),
                ("多摩知的財産支援センター", "タマチテキザイサンシエンセンター")],
    "overseas": [("上海市工商業連合会", "シャンハイシコウショウギョウレンゴウカイ"), ("ロンバルディア生産振興センター", "ロンバルディアセイサンシンコウセンター"),
                 ("京畿テクノパーク", "キョンギテクノパーク"), ("新竹産業協会", "シンチクサンギョウキョウカイ"),
                 ("シアトル日米ビジネス協議会", "シアトルニチベイビジネスキョウギカイ")],
}
DEPARTMENTS = {"company": ["総務部", "経営企画室", "営業部", "技術部", "管理部"], "academic": ["産学連携課", "研究推進課"],
               "municipality": ["産業振興課", "商工観光課"], "financial": ["法人営業部", "地域創生部"],
               "support": ["事業推進課", "企業支援課"], "overseas": ["国際部"], "individual": [""]}
TITLES = ["代表取締役", "部長", "課長", "係長", "主任", "担当"]
PAYER_PREFIX = {"company": "ｶ)", "academic": "ｶﾞｸ)", "support": "ｻﾞｲ)"}


def load_demo(session: Session, count: int = 300, today: date | None = None,
              loaded: dict[str, int] | None = None) -> int:
    """Add the demo association profile, `count` members and every area's demo records (the area registry's
    demo loaders, in navigation order); refuses a database that has members. `loaded` receives what was added
    (label → number of records, labels are i18n keys)."""
    from tama_desk import areas

    if session.scalar(select(func.count()).select_from(Member)):
        raise UserError("会員が既に登録されています。デモデータは空のデータベースにだけ読み込めます。")
    rng = random.Random(20260401)
    today = today or date.today()
    profile.update_profile(session, DEMO_PROFILE)
    for area in areas.AREAS:
        if area.demo:
            added = areas.load(area.demo)(session, rng=rng, today=today, count=count)
            if loaded is not None:
                loaded.update(added or {})
    return count


def describe(loaded: dict[str, int]) -> str:
    """「デモデータを読み込みました: 会員 300 件、請求書 580 件、…」 from what load_demo reported."""
    from tama_desk.i18n import t

    return t("デモデータを読み込みました: {what}",
             what="、".join(t("{label} {n:,} 件", label=t(label), n=n) for label, n in loaded.items()))


DEMO_PROFILE = {
    "name": "一般社団法人 多摩産業ネットワーク協会", "representative_title": "会長", "representative": "山本 一郎",
    "postal_code": "192-0046", "address": "東京都八王子市明神町4-7-1 ネットワークビル3階", "phone": "042-600-1234",
    "email": "office@tama-network.example.jp", "registration_number": "T" + with_check_digit("011005001234"),
    "bank_name": "多摩みらい信用金庫", "bank_branch": "八王子支店", "bank_account_type": "普通",
    "bank_account_number": "1234567", "bank_account_holder": "ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳﾈﾂﾄﾜ-ｸｷﾖｳｶｲ",
}


def load_members(session: Session, rng: random.Random, today: date, count: int) -> dict[str, int]:
    """The members area's demo: `count` organisations and people with their contacts, in two bulk inserts
    (values built by the same apply_values as a saved member, so the search text is what saving writes)."""
    types = type_name_map(session)
    stamp = _stamp()
    rows, contacts = [], []
    for index, (category, name, kana) in enumerate(_organisations(rng, count), start=1):
        member = Member(status="active")  # transient: only a place for apply_values to write
        apply_values(member, _member_values(rng, index, category, name, kana, types, today))
        people = _contacts(rng, category)
        for order, contact in enumerate(people):
            member.contacts.append(Contact(sort_order=order, is_primary=order == 0, **contact))
        apply_values(member, {})  # the search text now that contacts exist
        rows.append(_row(member, Member) | stamp)
        contacts.append([_row(contact, Contact, skip=("member_id",)) | stamp for contact in member.contacts])
    ids = _insert(session, Member, rows)
    _insert(session, Contact, [contact | {"member_id": member_id} for member_id, people in zip(ids, contacts,
                                                                                             strict=True)
                               for contact in people], returning=False)
    audit.record(session, "demo", "member", None, f"会員 {count} 件")
    return {"会員": count}


def load_fees(session: Session, rng: random.Random, today: date, count: int, years: int = 2) -> dict[str, int]:
    """The fees area's demo: the past fiscal years (one by default; bench/scale.py asks for ten years in
    all) billed and nearly all paid; this year billed with some paid, some partly paid and some overdue —
    what the office sees in November. Billed by the billing run; the payments (each settling its one
    invoice, as record_payment would) in bulk, with their audit lines."""
    this_year = fiscal_year_of(today)
    invoices = paid = 0
    stamp = _stamp()
    for year in range(this_year - years + 1, this_year + 1):
        issue_date = date(year, 4, 10)
        if issue_date > today:
            continue
        _plan, ids = fees.bill_fiscal_year(session, year, issue_date, date(year, 5, 31))
        invoices += len(ids)
        created = session.execute(select(Invoice.id, Invoice.number, Invoice.total, Member.id, Member.payer_name)
                                  .join(Member, Invoice.member_id == Member.id).where(Invoice.id.in_(ids))
                                  .order_by(Invoice.id))
        paid_share, partial_share = (0.96, 0.0) if year < this_year else (0.72, 0.06)
        received = []
        for invoice_id, number, total, member_id, payer in created:
            luck = rng.random()
            if luck >= paid_share + partial_share:
                continue
            amount = total if luck < paid_share else total // 2
            on = min(today, issue_date + timedelta(days=rng.randint(7, 80)))
            received.append({"invoice_id": invoice_id, "number": number, "member_id": member_id, "client_id": None,
                             "payer": payer, "on": on, "amount": amount})
        insert_payments(session, received, stamp)
        paid += len(received)
    return {"請求書": invoices, "入金": paid}


def insert_payments(session: Session, received: list[dict], stamp: dict | None = None) -> None:
    """Bank transfers each settling its one invoice, as record_payment would store and audit them, in three bulk
    INSERTs; `received` holds invoice_id, number, member_id, client_id, payer, on, amount."""
    stamp = stamp or _stamp()
    if received and not all(row["number"] for row in received):
        numbers = dict(session.execute(select(Invoice.id, Invoice.number).where(
            Invoice.id.in_([row["invoice_id"] for row in received]))).all())
        received = [row | {"number": row["number"] or numbers[row["invoice_id"]]} for row in received]
    payment_ids = _insert(session, Payment, [
        {"member_id": row["member_id"], "client_id": row["client_id"], "received_on": row["on"],
         "amount": row["amount"], "method": "transfer", "payer_name": row["payer"], "statement_ref": None, "note": "",
         "reversed": False, "reversed_at": None, "reversed_by": "", "reversal_reason": ""} | stamp
        for row in received])
    _insert(session, PaymentAllocation, [
        {"payment_id": payment_id, "invoice_id": row["invoice_id"], "amount": row["amount"]}
        for payment_id, row in zip(payment_ids, received, strict=True)], returning=False)
    _insert(session, AuditLog, [
        {"at": stamp["created_at"], "user": stamp["created_by"], "action": "payment", "entity": "payment",
         "entity_id": payment_id, "summary": f"{row['on']:%Y-%m-%d} {row['amount']:,}円 {payments.METHODS['transfer']} "
                                             f"{row['payer']} → {row['number']}:{row['amount']:,}"}
        for payment_id, row in zip(payment_ids, received, strict=True)], returning=False)


def _stamp() -> dict:
    now, user = datetime.now(), current_user()
    return {"created_at": now, "updated_at": now, "created_by": user, "updated_by": user}


def _row(obj, model, skip: tuple[str, ...] = ()) -> dict:
    """A transient object's column values for a bulk insert, the columns' defaults where it has none."""
    row = {}
    for column in model.__table__.columns:
        if column.primary_key or column.key in skip or column.key in ("created_at", "updated_at", "created_by",
                                                                      "updated_by"):
            continue
        value = getattr(obj, column.key)
        if value is None and column.default is not None and column.default.is_scalar:
            value = column.default.arg
        row[column.key] = value
    return row


def rows_of(model, values: list[dict], stamp: dict | None = None) -> list[dict]:
    """Full rows for a bulk insert of `model`: every column (its scalar default, else None) under `values`, with
    the audit columns; every row has the same keys, as one multi-row INSERT needs."""
    base = {column.key: column.default.arg if column.default is not None and column.default.is_scalar else None
            for column in model.__table__.columns if not column.primary_key} | (stamp or _stamp())
    return [base | row for row in values]


def _insert(session: Session, model, rows: list[dict], returning: bool = True) -> list[int]:
    """Batched multi-row INSERTs (db.bulk); the new ids in the order of `rows`."""
    if not returning:
        bulk.insert_rows(session, model, rows)
        return []
    return bulk.insert_ids(session, model, rows)


def load_grants(session: Session, rng: random.Random, today: date, count: int) -> dict[str, int]:
    """The grants area's demo: two grants with a few hundred expenditures."""
    from tama_desk.db.models import Expenditure, Grant

    load_demo_grants(session, rng, today)
    return {"補助事業": session.scalar(select(func.count()).select_from(Grant)),
            "支出": session.scalar(select(func.count()).select_from(Expenditure))}


def _organisations(rng: random.Random, count: int):
    fixed = [(category, name, kana) for category, items in FIXED.items() for name, kana in items]
    individuals = max(5, count // 30)
    companies = max(0, count - len(fixed) - individuals)
    names = [(p + m + i, pk + mk + ik) for m, mk in MIDDLES for p, pk in PREFIXES for i, ik in INDUSTRIES]
    if companies > len(names):
        raise UserError("デモデータの会員数は {n} 件までです", n=len(names) + len(fixed) + individuals)
    for key, kana in rng.sample(names[: max(companies, len(PREFIXES) * len(INDUSTRIES))], companies):
        legal = "株式会社" if rng.random() < 0.85 else "有限会社"
        name = f"{legal}{key}" if rng.random() < 0.6 else f"{key}{legal}"
        yield "company", name, kana
    yield from fixed[: max(0, count - companies - individuals)]
    for _ in range(min(individuals, count)):
        (surname, surname_kana), given = rng.choice(SURNAMES), rng.choice(GIVEN)
        yield "individual", f"{surname} {given}", surname_kana


def _member_values(rng, index, category, name, kana, types, today):
    city, city_kana, postal, towns = rng.choice(CITIES)
    type_name = {"company": "正会員" if rng.random() < 0.8 else "賛助会員", "individual": "賛助会員"}.get(
        category, "特別会員" if category in ("municipality", "overseas") else "正会員")
    join = date(rng.randint(2001, today.year - 1), rng.randint(1, 12), 1)
    values = {
        "number": f"{index:04d}", "name": name, "kana": to_fullwidth_katakana(kana), "category": category,
        "membership_type": types[type_name], "postal_code": f"{postal}-{rng.randint(0, 9999):04d}",
        "address": f"東京都{city}{rng.choice(towns)}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
        if category != "overseas" else "",
        "phone": f"042-{rng.randint(500, 799)}-{rng.randint(0, 9999):04d}" if category != "overseas" else "",
        "email": f"info{index:04d}@example.jp", "join_date": join, "status": "active", "notes": "",
    }
    if city == "相模原市" and category != "overseas":
        values["address"] = values["address"].replace("東京都", "神奈川県")
    if category in ("company", "academic", "support", "financial"):
        number = with_check_digit(f"{rng.randint(10**11, 10**12 - 1)}")
        values["corporate_number"] = number
        if category == "company" and rng.random() < 0.7:
            values["registration_number"] = "T" + number
    if category != "overseas":
        prefix = "ﾕ)" if "有限会社" in name else PAYER_PREFIX.get(category, "")
        values["payer_name"] = (prefix + to_bank_kana(kana))[:30]
    if index % 37 == 0:
        left = max(join + timedelta(days=30), today - timedelta(days=rng.randint(30, 700)))
        values.update(status="withdrawn", withdrawal_date=left,
                      withdrawal_reason=rng.choice(["事業縮小のため", "廃業", "他団体へ統合", "担当者不在のため"]))
    return values


def _contacts(rng: random.Random, category: str) -> list[dict]:
    contacts = []
    for _ in range(1 if category == "individual" else rng.choice([1, 1, 2, 2, 3])):
        (surname, _kana), given = rng.choice(SURNAMES), rng.choice(GIVEN)
        contacts.append({
            "name": f"{surname} {given}", "department": rng.choice(DEPARTMENTS[category]),
            "title": rng.choice(TITLES) if category != "individual" else "",
            "email": f"{rng.choice(['tanto', 'office', 'sales', 'kikaku'])}{rng.randint(1, 999)}@example.jp",
            "phone": f"042-{rng.randint(500, 799)}-{rng.randint(0, 9999):04d}",
        })
    return contacts
