"""A year of meetings for the demo: two 理事会 (and the next one planned), the 定時社員総会 with proxies and
written votes, the 上海ビジネス研究会 series, and the Shanghai and Italian business-matching sessions with their
pairings, follow-ups and a contract signed later. Deterministic (the demo's seeded random)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from tama_desk.db.engine import current_user
from tama_desk.db.models import AuditLog, Member, MembershipType
from tama_desk.db.models_meetings import ActionItem, AgendaItem, FollowUp, Meeting, Pairing, Participant
from tama_desk.domain import meetings as rules
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.domain.meetings import OUTCOMES
from tama_desk.services import actions, matching_sessions, meetings
from tama_desk.services.demo import GIVEN, SURNAMES, _insert, _row, _stamp, rows_of

ITALIAN = ["Meccanica", "Ottica", "Ceramiche", "Tessitura", "Alimentari", "Arredamenti", "Automazione", "Stampi",
           "Elettronica", "Pelletteria"]
REGIONS = ["Lombarda", "Veneta", "Emiliana", "Toscana", "Piemontese", "Marchigiana"]
CHINESE = ["上海华东精密机械", "上海申达电子", "上海浦江光学", "上海联华医疗器械", "上海东方材料", "上海金桥自动化", "上海虹桥贸易",
           "上海嘉定模具", "上海松江机电", "上海闵行新材料"]
INDUSTRIES = ["精密機械", "電子部品", "光学機器", "医療機器", "素材", "食品", "自動化設備"]


def _people(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(SURNAMES)[0]} {rng.choice(GIVEN)}"
        if name not in names:
            names.append(name)
    return names


def _pick(items: list, start: int, count: int) -> list:
    """`count` items from `start` on, wrapping round a short list (a small demo), each once."""
    return list(dict.fromkeys(items[(start + i) % len(items)] for i in range(count))) if items else []


def _year(today: date) -> int:
    """The fiscal year whose meetings (May to November) have all taken place."""
    year = fiscal_year_of(today)
    return year if today >= date(year, 12, 1) else year - 1


def load(session: Session, rng: random.Random, today: date, count: int) -> dict[str, int]:
    year = _year(today)
    officers = _people(rng, 12)
    directors, auditors, recorder = officers[:9], officers[9:11], officers[11]
    chair = directors[0]
    companies = list(session.scalars(select(Member).where(Member.category == "company", Member.status == "active")
                                     .order_by(Member.number)))
    _board_may(session, year, directors, auditors, chair, recorder)
    _assembly(session, rng, year, directors, auditors, chair, recorder)
    _board_november(session, year, directors, auditors, chair, recorder, today)
    _study_group(session, rng, year, companies, recorder, today)
    _matching(session, rng, year, companies, today)
    return {"会議": session.scalar(select(func.count()).select_from(Meeting)),
            "商談": session.scalar(select(func.count()).select_from(Pairing))}


def add_participants(session: Session, meeting: Meeting, rows: list[dict]) -> None:
    """Participants in one bulk INSERT (a 社員総会 of thousands), numbered after those already there; the values
    are add_participant's (the demo's names are unique and its codes valid)."""
    stamp, start = _stamp(), len(meeting.participants)
    _insert(session, Participant, [_row(Participant(**{"votes": 1, "arrival": None, "departure": None, "note": "",
                                                       "proxy_to": "", "title": ""} | values), Participant)
                                   | {"meeting_id": meeting.id, "position": start + index} | stamp
                                   for index, values in enumerate(rows)], returning=False)
    session.expire(meeting, ["participants"])


def _officers(session: Session, meeting: Meeting, directors: list[str], auditors: list[str],
              attendance: dict[str, str], arrival: dict[str, time] | None = None) -> None:
    for index, name in enumerate(directors):
        meetings.add_participant(session, meeting.id, name=name, role="代表理事" if index == 0 else "理事",
                                 attendance=attendance.get(name, "出席"), arrival=(arrival or {}).get(name))
    for name in auditors:
        meetings.add_participant(session, meeting.id, name=name, role="監事", attendance=attendance.get(name, "出席"))


def _board_may(session, year, directors, auditors, chair, recorder) -> None:
    meeting = meetings.create_meeting(
        session, kind="理事会", title=f"令和{year - 2018}年度 第1回理事会", day=date(year, 5, 20), start=time(14),
        end=time(16), place="協会本部 会議室", online="Web会議システム（Zoom）", chair=chair, recorder=recorder)
    _officers(session, meeting, directors, auditors,
              {directors[3]: "Web出席", directors[7]: "委任状", directors[8]: "欠席", auditors[1]: "欠席"},
              {directors[5]: time(14, 40)})
    say = meetings.save_item
    say(session, meeting.id, title="代表理事及び業務執行理事の職務執行状況の報告", kind="報告", at=time(14, 5),
        summary=f"代表理事 {chair} 及び業務執行理事より、前年度の職務執行の状況について報告があった。")
    first = say(session, meeting.id, title=f"令和{year - 2019}年度事業報告及び決算承認の件", kind="決議", result="承認",
                at=time(14, 20), summary=f"議長より前年度の事業報告及び計算書類等について説明があり、監事 {auditors[0]} より"
                "監査の結果いずれも適正である旨の報告があった。")
    say(session, meeting.id, title="定時社員総会招集の件", kind="決議", result="可決", at=time(14, 50),
        summary=f"議長より、{year}年6月15日に定時社員総会を招集すること及びその議題について提案があった。")
    say(session, meeting.id, title="理事との取引（業務委託契約）承認の件", kind="決議", result="承認", votes_for=5,
        votes_against=1, interested=(directors[2],), at=time(15, 10),
        summary=f"理事 {directors[2]} が代表取締役を務める会社と展示会ブースの施工に関する業務委託契約を締結することについて、"
        "見積の比較と契約条件の説明があり、審議した。")
    meetings.update_meeting(session, meeting.id, statements=f"理事 {directors[2]} より、当該取引についての重要な事実の"
                            "開示があった（法92条・84条）。")
    done = actions.add_action(session, owner="事務局", what="定時社員総会の招集通知と議決権行使書の発送", item_id=first.id,
                              due=date(year, 5, 29))
    actions.set_action_status(session, done.id, "完了", date(year, 5, 28))
    actions.add_action(session, owner=directors[1], what="会員向け海外展開説明会の日程案", meeting_id=meeting.id,
                       due=date(year, 7, 31))
    meetings.set_status(session, meeting.id, "開催済")
    meetings.set_status(session, meeting.id, "議事録確定")


def _assembly(session, rng, year, directors, auditors, chair, recorder) -> None:
    voters = list(session.scalars(select(Member).join(MembershipType).where(
        Member.status == "active", MembershipType.voting.is_(True)).order_by(Member.number)
        .options(selectinload(Member.contacts))))
    if len(voters) < 10:  # a tiny demo: no assembly to speak of
        return
    meeting = meetings.create_meeting(
        session, kind="社員総会", title=f"第{year - 2014}回 定時社員総会", day=date(year, 6, 15), start=time(14),
        end=time(15, 30), place="八王子市学園都市センター イベントホール", chair=chair, recorder=recorder)
    for name in directors[:6] + auditors[:1]:
        meetings.add_participant(session, meeting.id, name=name, role="代表理事" if name == chair else
                                 "監事" if name in auditors else "理事")
    signers, rows = [], []
    for member in voters:
        roll = rng.random()
        attendance = "出席" if roll < 0.16 else "委任状" if roll < 0.62 else "書面表決" if roll < 0.84 else "欠席"
        contact = member.primary_contact
        person = f"{member.name} {contact.name}" if contact else member.name
        rows.append({"name": person, "role": "社員", "title": member.name, "member_id": member.id,
                     "attendance": attendance, "proxy_to": chair if attendance == "委任状" else ""})
        if attendance == "出席" and len(signers) < 2:
            signers.append(person)
    add_participants(session, meeting, rows)
    total = len(voters)
    meetings.update_meeting(session, meeting.id, total_members=total, total_votes=total,
                            minute_signers="、".join(signers + directors[1:3 - len(signers)]))
    present = meetings.meeting_quorum(session, meeting).present
    say = meetings.save_item
    say(session, meeting.id, title=f"令和{year - 2019}年度事業報告の件", kind="報告",
        summary="議長の指名により事務局長が前年度の事業報告の内容を報告した。")
    say(session, meeting.id, title=f"令和{year - 2019}年度決算承認の件", kind="決議", result="承認",
        votes_for=present - present // 60 - present // 90, votes_against=present // 60, votes_abstain=present // 90,
        summary="事務局長より貸借対照表、正味財産増減計算書及び附属明細書について説明があり、監事より監査報告があった。")
    say(session, meeting.id, title="理事選任の件", kind="決議", result="可決", votes_for=present - present // 80,
        votes_against=present // 80,
        summary="任期満了に伴い、理事9名を選任することについて諮った。")
    say(session, meeting.id, title="定款一部変更の件（会員種別の新設）", kind="決議", result="可決", special=True,
        votes_for=present - present // 60 - present // 150, votes_against=present // 60,
        votes_abstain=present // 150,
        summary="個人会員の種別を新設するため定款第5条を変更することについて説明があり、特別決議として諮った。")
    meetings.set_status(session, meeting.id, "開催済")
    meetings.set_status(session, meeting.id, "議事録確定")


def _board_november(session, year, directors, auditors, chair, recorder, today) -> None:
    meeting = meetings.create_meeting(
        session, kind="理事会", title=f"令和{year - 2018}年度 第2回理事会", day=date(year, 11, 18), start=time(15),
        end=time(16, 30), place="協会本部 会議室", online="Web会議システム（Microsoft Teams）", chair=chair,
        recorder=recorder)
    _officers(session, meeting, directors, auditors, {directors[4]: "Web出席", directors[6]: "欠席"})
    meetings.save_item(session, meeting.id, title="上半期の事業進捗及び予算執行状況の報告", kind="報告",
                       summary="事務局長より上半期の事業進捗と予算執行状況（執行率48%）について報告があった。")
    meetings.save_item(session, meeting.id, title="次年度会費改定の件", kind="決議", result="継続審議",
                       summary="正会員年会費の改定案について意見交換を行い、会員アンケートの結果を踏まえて次回再審議とした。")
    meetings.set_status(session, meeting.id, "開催済")  # the minutes are still a draft
    actions.add_action(session, owner="事務局", what="会費改定に関する会員アンケートの実施", meeting_id=meeting.id,
                       due=date(year, 12, 20))
    planned = meetings.create_meeting(
        session, kind="理事会", title=f"令和{year - 2018}年度 第3回理事会", day=date(year + 1, 3, 18), start=time(15),
        end=time(17), place="協会本部 会議室", online="Web会議システム（Microsoft Teams）", chair=chair, recorder=recorder)
    _officers(session, planned, directors, auditors, {})


def _study_group(session, rng, year, companies, recorder, today) -> None:
    members = _pick(companies, 0, 8)
    topics = ["中国市場の最新動向と越境EC", "上海での販路開拓の実務（現地代理店の選び方）", "知的財産と模倣品対策",
              "上海商談会の準備と振り返り"]
    for number, (month, day, topic) in enumerate(zip((5, 7, 9, 11), (28, 16, 17, 19), topics, strict=True), start=1):
        meeting = meetings.create_meeting(
            session, kind="研究会", title=f"上海ビジネス研究会 第{number}回", series="上海ビジネス研究会",
            day=date(year, month, day), start=time(18), end=time(19, 30), place="協会本部 セミナールーム",
            online="Zoom", recorder=recorder)
        meetings.add_participant(session, meeting.id, name="周 明", role="コーディネーター", title="上海駐在コーディネーター",
                                 attendance="Web出席")
        names = set()
        for member in rng.sample(members, min(5, len(members))):
            contact = member.primary_contact
            name = contact.name if contact else member.name
            if name not in names:
                names.add(name)
                meetings.add_participant(session, meeting.id, name=name, role="社員", title=member.name,
                                         member_id=member.id)
        meetings.save_item(session, meeting.id, title=topic, kind="報告",
                           summary=f"コーディネーターより「{topic}」について講義があり、参加企業と質疑応答を行った。")
        if number < 4:
            action = actions.add_action(session, owner="事務局", what=f"第{number}回の資料を参加企業へ送付",
                                        meeting_id=meeting.id, due=date(year, month, day) + timedelta(days=7))
            actions.set_action_status(session, action.id, "完了", date(year, month, day) + timedelta(days=3))
        else:
            actions.add_action(session, owner="事務局", what="次年度の研究会テーマ案の取りまとめ", meeting_id=meeting.id,
                               due=date(year + 1, 1, 31))
        meetings.set_status(session, meeting.id, "開催済")


def _matching(session, rng, year, companies, today) -> None:
    shanghai = meetings.create_meeting(
        session, kind="商談会", title="上海 多摩ものづくり商談会", day=date(year, 9, 10), start=time(10), end=time(17),
        place="上海国際会議センター", city="上海", country="中国", counterpart_body="上海市工商業連合会",
        coordinator="周 明")
    firms = _pick(companies, 8, 6)
    if not firms:
        return
    outcomes = ["見積・サンプル依頼"] * 3 + ["自社ブランド販売希望"] + ["連携継続希望"] * 8 + ["成約"] + ["見送り"] * 5 + ["その他"] * 2
    _pairs(session, rng, shanghai, firms, CHINESE * 2, outcomes, "中国", "王 麗（通訳）")
    italy = meetings.create_meeting(
        session, kind="商談会", title="イタリア 多摩テクノロジー商談会", day=date(year, 10, 20), start=time(9, 30),
        end=time(18), place="ミラノ見本市会場 会議棟", city="ミラノ", country="イタリア",
        counterpart_body="ロンバルディア州生産センター", coordinator="Marco Bianchi")
    firms = _pick(companies, 14, 9)
    names = [f"{kind} {region} S.r.l." for kind in ITALIAN for region in REGIONS][:60]
    outcomes = ["見積・サンプル依頼"] * 5 + ["自社ブランド販売希望"] * 2 + ["連携継続希望"] * 19 + ["見送り"] * 30 + ["その他"] * 4
    _pairs(session, rng, italy, firms, names, outcomes, "イタリア", "Giulia Rossi（通訳）")
    for meeting in (shanghai, italy):
        meetings.set_status(session, meeting.id, "開催済")
    # what the office recorded since: the first follow-ups that are due, and a contract from Shanghai
    for follow_up in session.scalars(select(FollowUp).where(FollowUp.due < today - timedelta(days=10))
                                     .order_by(FollowUp.id)):
        if rng.random() < 0.7:
            matching_sessions.record_follow_up(session, follow_up.id, done_on=follow_up.due + timedelta(days=3),
                                               notes=rng.choice(["メールで近況確認", "オンライン面談を実施", "サンプルを発送済",
                                                                 "見積を再提出"]))
    lead = next(p for p in shanghai.pairings if p.outcome == "見積・サンプル依頼")
    signed = date(year, 11, 25)
    if signed <= today:
        matching_sessions.record_contract(session, lead.id, signed_on=signed, amount=4_800_000,
                                          note="精密部品の年間供給契約（初回発注）")


def _pairs(session, rng, meeting, firms, counterparts, outcomes, country, interpreter) -> None:
    rng.shuffle(outcomes)
    slots = [time(10 + minutes // 60, minutes % 60) for minutes in range(0, 7 * 60, 40)]
    for index, (counterpart, outcome) in enumerate(zip(counterparts, outcomes, strict=False)):
        firm = firms[index % len(firms)]
        amount = rng.choice([300_000, 800_000, 1_200_000, 2_500_000]) if outcome in ("見積・サンプル依頼", "成約") else 0
        matching_sessions.save_pairing(session, meeting.id, {
            "member_number": firm.number, "counterpart": counterpart, "country": country,
            "slot": slots[(index // len(firms)) % len(slots)], "outcome": outcome, "amount": amount,
            "industry": rng.choice(INDUSTRIES), "interpreter": interpreter,
            "notes": {"見積・サンプル依頼": "サンプル送付の依頼あり", "自社ブランド販売希望": "現地での自社ブランド展開を希望",
                      "成約": "その場で初回発注の合意"}.get(outcome, "")})


# --- ten years of meetings (bench/scale.py), in bulk ----------------------------------------------------------

TOPICS = ["海外展開の最新動向", "DX推進と生産管理", "人材育成と技能承継", "産学連携の進め方", "知的財産の活用",
          "脱炭素と省エネ設備", "展示会出展の成果共有", "新製品開発の事例紹介", "資金調達と補助金活用", "品質保証の実務"]
OTHER_KINDS = ("委員会", "研究会", "交流会")


def load_history(session: Session, rng: random.Random, today: date, count: int, years: int) -> dict[str, int]:
    """`count` meetings over the `years` fiscal years up to `today`, every one already held: 理事会 six times a
    year with the officers' attendance and minutes confirmed, the 社員総会 with every voting member's attendance
    (出席・委任状・書面表決・欠席) and its resolutions, 商談会 with their pairings and follow-ups (the due ones
    mostly done), committees, study groups and networking events with a dozen members each. A few bulk INSERTs
    per table, whatever the count; the values are those the services would store."""
    stamp, user = _stamp(), current_user()
    officers = _people(rng, 12)
    directors, auditors, recorder = officers[:9], officers[9:11], officers[11]
    voters = [(member.id, member.name, member.primary_contact) for member in session.scalars(
        select(Member).join(MembershipType).where(Member.status == "active", MembershipType.voting.is_(True))
        .order_by(Member.number).options(selectinload(Member.contacts)))]
    companies = [(member.id, member.name, member.primary_contact) for member in session.scalars(
        select(Member).where(Member.category == "company", Member.status == "active").order_by(Member.number)
        .options(selectinload(Member.contacts)))]
    this_year = fiscal_year_of(today)
    meetings_, plans = [], []
    for offset, year in enumerate(range(this_year - years + 1, this_year + 1)):
        start, end = date(year, 4, 1), min(date(year + 1, 3, 31), today - timedelta(days=1))
        share = count // years + (1 if offset >= years - count % years else 0)
        kinds = (["社員総会", *["理事会"] * 6, *["商談会"] * 3] + [OTHER_KINDS[i % 3] for i in range(share)])[:share]
        rng.shuffle(kinds)
        boards = assemblies = 0
        for index, kind in enumerate(kinds):
            day = start + timedelta(days=(end - start).days * index // max(1, share))
            boards += kind == "理事会"
            assemblies += kind == "社員総会"
            title = (f"令和{year - 2018}年度 第{boards}回理事会" if kind == "理事会" else
                     f"第{year - 2014}回 定時社員総会" if kind == "社員総会" and assemblies == 1 else
                     f"{kind} {day:%Y年%m月} {rng.choice(TOPICS)}" if kind != "商談会" else
                     f"{rng.choice(['上海', 'ミラノ', '台北', 'ソウル', 'シアトル'])} 多摩ものづくり商談会 {day:%Y年%m月}")
            confirmed = kind in ("理事会", "社員総会")
            meetings_.append({
                "kind": kind, "title": title, "day": day, "start_time": time(14), "end_time": time(16),
                "place": "協会本部 会議室" if kind != "商談会" else "海外商談会場",
                "online": "Web会議システム（Zoom）" if kind != "商談会" else "", "chair": directors[0]
                if confirmed else "", "recorder": recorder, "status": "議事録確定" if confirmed else "開催済",
                "confirmed_at": datetime.combine(day + timedelta(days=14), time(10)) if confirmed else None,
                "confirmed_by": user if confirmed else "", "retention_until": rules.retention_until(day),
                "country": "海外" if kind == "商談会" else ""})
            plans.append((kind, day))
    meeting_ids = _insert(session, Meeting, rows_of(Meeting, meetings_, stamp))
    participants, items, pairings, actions_, totals = [], [], [], [], {}
    for meeting_id, (kind, day) in zip(meeting_ids, plans, strict=True):
        people: list[dict] = []
        if kind in ("理事会", "社員総会"):
            for index, name in enumerate(directors + auditors):
                absent = kind == "理事会" and rng.random() < 0.08
                people.append({"name": name, "role": "代表理事" if index == 0 else "監事" if name in auditors else "理事",
                               "attendance": "欠席" if absent else "Web出席" if rng.random() < 0.2 else "出席"})
        if kind == "理事会":
            items += [{"meeting_id": meeting_id, "number": 1, "kind": "報告", "result": "報告",
                       "title": "代表理事及び業務執行理事の職務執行状況の報告", "summary": "代表理事より職務執行の状況について報告があった。"},
                      {"meeting_id": meeting_id, "number": 1, "kind": "決議", "result": "承認",
                       "title": "事業計画の進捗及び予算執行の件", "summary": "事務局長より説明があり、審議の結果、全員異議なく承認した。"}]
            actions_.append({"meeting_id": meeting_id, "owner": "事務局", "what": "理事会資料の会員向け公開",
                             "due": day + timedelta(days=14), "status": "完了", "done_on": day + timedelta(days=10)})
        elif kind == "社員総会":
            present, signers = 0, []
            for member_id, name, contact in voters:
                roll = rng.random()
                attendance = "出席" if roll < 0.16 else "委任状" if roll < 0.62 else "書面表決" if roll < 0.84 else "欠席"
                present += attendance != "欠席"
                people.append({"name": f"{name} {contact.name}" if contact else name, "role": "社員", "title": name,
                               "member_id": member_id, "attendance": attendance,
                               "proxy_to": directors[0] if attendance == "委任状" else ""})
                if attendance == "出席" and len(signers) < 2:
                    signers.append(people[-1]["name"])
            totals[meeting_id] = {"total_members": len(voters), "total_votes": len(voters),
                                  "minute_signers": "、".join(signers + directors[1:3 - len(signers)])}
            items += [{"meeting_id": meeting_id, "number": 1, "kind": "報告", "result": "報告", "title": "事業報告の件",
                       "summary": "議長の指名により事務局長が前年度の事業報告の内容を報告した。"},
                      {"meeting_id": meeting_id, "number": 1, "kind": "決議", "result": "承認", "title": "決算承認の件",
                       "votes_for": present - present // 60, "votes_against": present // 60,
                       "summary": "貸借対照表及び正味財産増減計算書について説明があり、監事より監査報告があった。"}]
        elif kind == "商談会":
            items.append({"meeting_id": meeting_id, "number": 1, "kind": "報告", "result": "報告", "title": "商談結果の報告",
                          "summary": "コーディネーターより商談の結果と今後のフォローについて報告があった。"})
            firms = rng.sample(companies, min(len(companies), 8))
            for index in range(rng.randint(20, 60) if firms else 0):
                outcome = rng.choice(OUTCOMES)
                pairings.append((meeting_id, day, {
                    "meeting_id": meeting_id, "position": index, "member_id": firms[index % len(firms)][0],
                    "counterpart": f"{rng.choice(CHINESE + ITALIAN)} {index + 1:02d}", "country": "海外",
                    "industry": rng.choice(INDUSTRIES), "slot": time(10 + index % 7, 40 * (index // 7 % 2)),
                    "outcome": outcome, "amount": rng.choice([300_000, 800_000, 1_200_000]) if outcome in
                    ("見積・サンプル依頼", "成約") else 0}))
        else:
            for member_id, name, contact in rng.sample(companies, min(len(companies), rng.randint(8, 15))):
                people.append({"name": contact.name if contact else name, "role": "社員", "title": name,
                               "member_id": member_id, "attendance": "出席" if rng.random() < 0.85 else "欠席"})
            items.append({"meeting_id": meeting_id, "number": 1, "kind": "報告", "result": "報告",
                          "title": rng.choice(TOPICS), "summary": "講師より説明があり、参加者と意見交換を行った。"})
        seen: set[str] = set()
        for position, person in enumerate(people):
            if person["name"] not in seen:  # a name once per meeting, as add_participant checks
                seen.add(person["name"])
                participants.append({"meeting_id": meeting_id, "position": position} | person)
    for meeting_id, values in totals.items():
        session.execute(update(Meeting.__table__).where(Meeting.__table__.c.id == meeting_id).values(**values))
    _insert(session, Participant, rows_of(Participant, participants, stamp), returning=False)
    _insert(session, AgendaItem, rows_of(AgendaItem, items, stamp), returning=False)
    _insert(session, ActionItem, rows_of(ActionItem, actions_, stamp), returning=False)
    pairing_ids = _insert(session, Pairing, rows_of(Pairing, [row for *_rest, row in pairings], stamp))
    follow_ups = []
    owner = meetings.get_settings(session).follow_up_owner
    for pairing_id, (_meeting, day, row) in zip(pairing_ids, pairings, strict=True):
        if row["outcome"] in matching_sessions.NO_FOLLOW_UP:
            continue
        for due in rules.follow_up_schedule(day):
            done = due < today - timedelta(days=10) and rng.random() < 0.7
            follow_ups.append({"pairing_id": pairing_id, "due": due, "owner": owner,
                               "done_on": due + timedelta(days=3) if done else None,
                               "notes": rng.choice(["メールで近況確認", "オンライン面談を実施", "サンプルを発送済"]) if done else ""})
    _insert(session, FollowUp, rows_of(FollowUp, follow_ups, stamp), returning=False)
    _insert(session, AuditLog, [{"at": stamp["created_at"], "user": user, "action": "create", "entity": "meeting",
                                 "entity_id": meeting_id, "summary": f"{row['kind']} {row['title']} {row['day']}"}
                                for meeting_id, row in zip(meeting_ids, meetings_, strict=True)], returning=False)
    return {"会議": len(meeting_ids), "出席者名簿": len(participants), "商談": len(pairing_ids),
            "フォロー期限": len(follow_ups)}
