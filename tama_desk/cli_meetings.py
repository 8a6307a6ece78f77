"""`python -m tama_desk meetings …` and `actions list` (see cli.py for exit codes)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from pathlib import Path

from tama_desk.domain import meetings as rules
from tama_desk.domain.dates import parse_date
from tama_desk.errors import UserError
from tama_desk.i18n import t


def _date(text: str) -> date:
    try:
        return parse_date(text, require_year=True)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text}: {t(str(error))}") from error


def _time(text: str) -> time:
    try:
        return rules.parse_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text}: {t(str(error))}") from error


def _start(text: str) -> datetime:
    day, _sep, clock = text.strip().partition(" ")
    if not clock.strip():
        raise argparse.ArgumentTypeError(t("{value}: 開始は \"YYYY-MM-DD HH:MM\" で指定してください", value=text))
    return datetime.combine(_date(day), _time(clock.strip()))


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    meetings = commands.add_parser("meetings", parents=[common], help="meetings, minutes, business matching").\
        add_subparsers(dest="action", metavar="ACTION", required=True)
    create = meetings.add_parser("create", parents=[common], help="register a meeting; prints its id last")
    create.add_argument("--kind", choices=rules.KINDS, required=True)
    create.add_argument("--title", required=True)
    create.add_argument("--start", type=_start, required=True, metavar='"YYYY-MM-DD HH:MM"')
    create.add_argument("--end", type=_time, default=None, metavar="HH:MM")
    create.add_argument("--place", required=True)
    create.add_argument("--online", default="", help="how remote participants take part (Web会議 and its tool)")
    create.add_argument("--chair", default="", metavar="NAME", help="議長")
    create.add_argument("--recorder", default="", metavar="NAME", help="議事録作成者")
    create.add_argument("--series", default="", help="a series the meeting belongs to (研究会 …)")
    create.add_argument("--country", default="", help="商談会: the counterparts' country")
    create.add_argument("--counterpart-body", default="", help="商談会: e.g. 上海市工商業連合会")
    create.add_argument("--signers", default="", metavar="NAME、NAME", help="社員総会: 議事録署名人")
    create.add_argument("--without-meeting", action="store_true",
                        help="resolution without a meeting (法96条/58条): record consents with `meetings consent`")
    create.add_argument("--deemed", type=_date, default=None, metavar="DATE", help="the date it is deemed resolved")
    create.add_argument("--proposer", default="", metavar="NAME")
    consent = meetings.add_parser("consent", parents=[common],
                                  help="without a meeting: a director's (member's) consent, or an auditor's statement")
    consent.add_argument("meeting", type=int, metavar="MEETING")
    consent.add_argument("--name", required=True)
    consent.add_argument("--role", choices=rules.ROLES, required=True)
    consent.add_argument("--date", type=_date, required=True, metavar="DATE")
    consent.add_argument("--objection", action="store_true", help="an auditor objected (法96条)")
    follow = meetings.add_parser("follow-up", parents=[common], help="record a pairing's follow-up as done")
    follow.add_argument("follow_up", type=int, metavar="FOLLOW_UP")
    follow.add_argument("--date", type=_date, required=True, metavar="DATE")
    follow.add_argument("--outcome", choices=rules.OUTCOMES, default="")
    follow.add_argument("--notes", default="")
    contract = meetings.add_parser("contract", parents=[common], help="a contract signed later, against its pairing")
    contract.add_argument("pairing", type=int, metavar="PAIRING")
    contract.add_argument("--date", type=_date, required=True, metavar="DATE")
    contract.add_argument("--amount", type=int, required=True, metavar="YEN")
    contract.add_argument("--note", default="")
    meetings.add_parser("list", parents=[common], help="every meeting: id, date, kind, title, status, open actions")
    attendees = meetings.add_parser("import-attendees", parents=[common],
                                    help="participants and attendance from CSV/XLSX (all or nothing)")
    attendees.add_argument("meeting", type=int, metavar="MEETING")
    attendees.add_argument("file", type=Path, metavar="FILE")
    item = meetings.add_parser("item", parents=[common], help="add an agenda item with its result and votes")
    item.add_argument("meeting", type=int, metavar="MEETING")
    item.add_argument("--title", required=True)
    item.add_argument("--kind", choices=rules.ITEM_KINDS, required=True)
    item.add_argument("--result", choices=rules.RESULTS, default="")
    item.add_argument("--for", dest="votes_for", type=int, default=None, metavar="N")
    item.add_argument("--against", type=int, default=0, metavar="N")
    item.add_argument("--abstain", type=int, default=0, metavar="N")
    item.add_argument("--for-members", type=int, default=None, metavar="N",
                      help="社員総会 special resolution: members for (default: one vote each)")
    item.add_argument("--interested", action="append", default=[], metavar="NAME",
                      help="a director with a special interest (does not vote, not counted)")
    item.add_argument("--special", action="store_true", help="特別決議 (社員総会)")
    item.add_argument("--at", type=_time, default=None, metavar="HH:MM", help="when it was put to the vote")
    item.add_argument("--summary", default="", metavar="TEXT", help="議事の経過の要領")
    do_check = meetings.add_parser("check", parents=[common], help="statutory check of the minutes; exit 2 if not")
    do_check.add_argument("meeting", type=int, metavar="MEETING")
    status = meetings.add_parser("status", parents=[common], help="予定 → 開催済 → 議事録確定 (then frozen)")
    status.add_argument("meeting", type=int, metavar="MEETING")
    status.add_argument("status", choices=rules.STATUSES)
    amend = meetings.add_parser("amend", parents=[common], help="a dated correction of confirmed minutes")
    amend.add_argument("meeting", type=int, metavar="MEETING")
    amend.add_argument("--date", type=_date, required=True, metavar="DATE")
    amend.add_argument("--what", required=True, help="訂正箇所")
    amend.add_argument("--before", default="")
    amend.add_argument("--after", required=True)
    amend.add_argument("--reason", required=True)
    minutes = meetings.add_parser("minutes", parents=[common], help="議事録 as PDF")
    minutes.add_argument("meeting", type=int, metavar="MEETING")
    minutes.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    attendance = meetings.add_parser("attendance", parents=[common], help="出席者名簿 with a signature column (PDF)")
    attendance.add_argument("meeting", type=int, metavar="MEETING")
    attendance.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    action = meetings.add_parser("action", parents=[common], help="add an action item to a meeting")
    action.add_argument("meeting", type=int, metavar="MEETING")
    action.add_argument("--owner", required=True)
    action.add_argument("--what", required=True)
    action.add_argument("--due", type=_date, default=None, metavar="DATE")
    action.add_argument("--item", type=int, default=None, metavar="N", help="the 議案 number that created it")
    pairs = meetings.add_parser("import-pairs", parents=[common], help="商談会 pairings from CSV/XLSX (all or nothing)")
    pairs.add_argument("meeting", type=int, metavar="MEETING")
    pairs.add_argument("file", type=Path, metavar="FILE")
    listing = meetings.add_parser("pairs", parents=[common], help="a 商談会's pairings with their next follow-up")
    listing.add_argument("meeting", type=int, metavar="MEETING")
    summary = meetings.add_parser("summary", parents=[common], help="商談会 results per outcome")
    summary.add_argument("meeting", type=int, metavar="MEETING")
    summary.add_argument("--out", type=Path, default=None, metavar="FILE.xlsx|FILE.csv|FILE.pdf")

    overall = meetings.add_parser("matching-summary", parents=[common],
                                  help="every 商談会 summed per session, country or fiscal year (grant/contract reports)")
    overall.add_argument("--by", choices=("session", "country", "fiscal-year"), default="session")
    overall.add_argument("--out", type=Path, default=None, metavar="FILE.xlsx",
                         help="a workbook with one sheet per grouping (session, country, fiscal year)")

    actions = commands.add_parser("actions", parents=[common], help="action items and follow-ups").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="open items: due date, owner, what, source")
    listing.add_argument("--overdue", action="store_true")
    listing.add_argument("--as-of", type=_date, default=None, metavar="DATE")


def run(args, db) -> int:
    if args.command == "actions":
        return _actions(args, db)
    handler = {"create": _create, "list": _list, "import-attendees": _import_attendees, "item": _item,
               "check": _check, "status": _status, "amend": _amend, "minutes": _minutes, "attendance": _attendance,
               "action": _action, "import-pairs": _import_pairs, "summary": _summary, "consent": _consent,
               "follow-up": _follow_up, "contract": _contract, "pairs": _pairs,
               "matching-summary": _matching_summary}[args.action]
    return handler(args, db)


def _create(args, db) -> int:
    from tama_desk.services import meetings

    with db.transaction() as session:
        meeting = meetings.create_meeting(
            session, kind=args.kind, title=args.title, day=args.start.date(), start=args.start.time(),
            end=args.end, place=args.place, online=args.online, chair=args.chair, recorder=args.recorder,
            series=args.series, country=args.country, counterpart_body=args.counterpart_body,
            minute_signers=args.signers, without_meeting=args.without_meeting, deemed_date=args.deemed,
            proposer=args.proposer)
        meeting_id = meeting.id
    print(t("{kind}「{title}」を登録しました", kind=args.kind, title=args.title))
    print(meeting_id)
    return 0


def _list(args, db) -> int:
    from tama_desk.services import meetings

    with db.reading() as session:
        for row in meetings.list_meetings(session):
            clock = f" {row.start:%H:%M}" if row.start else ""
            print(f"{row.id}\t{row.day:%Y-%m-%d}{clock}\t{row.kind}\t{row.title}\t{row.status}\t"
                  + t("未完了アクション {n}", n=row.open_actions))
    return 0


def _import_attendees(args, db) -> int:
    from tama_desk.services import meetings

    with db.transaction() as session:
        result = meetings.import_attendees(session, args.meeting, args.file)
    for line, note in result.notes:
        print(t("{line}行目: {note}", line=line, note=note))
    if result.totals:
        print(t("総社員 {members}名・総議決権 {votes}個", members=result.totals[0], votes=result.totals[1]))
    print(t("出席者 {n} 名を取り込みました", n=result.count))
    return 0


def _item(args, db) -> int:
    from tama_desk.services import meetings

    with db.transaction() as session:
        item = meetings.save_item(
            session, args.meeting, title=args.title, kind=args.kind, result=args.result, votes_for=args.votes_for,
            votes_against=args.against, votes_abstain=args.abstain, interested=tuple(args.interested),
            special=args.special, at=args.at, summary=args.summary, members_for=args.for_members)
        meeting = meetings.get_meeting(session, args.meeting)
        found = meetings.item_tally(session, meeting, item)
        label = rules.item_label(item.kind, item.number)
    if found is not None:
        print(found.quorum_text)
        print(found.majority_text)
    print(t("{label}「{title}」を記録しました（{result}）", label=label, title=args.title, result=item.result or "—"))
    return 0


def _check(args, db) -> int:
    from tama_desk.services import meetings

    with db.reading() as session:
        result = meetings.check(session, args.meeting)
    for missing in result.missing:
        print(t("不足: {item}", item=missing))
    if result.quorum is not None:
        print(t("会議の定足数: {quorum}", quorum=result.quorum.quorum_text))
    failed = result.quorum is not None and not result.quorum.quorum_ok
    for item in result.items:
        if item.tally is None:
            print(f"{item.label} {item.title}（{t(item.result) if item.result else '—'}）")
            continue
        print(f"{item.label} {item.title}（{t(item.result) if item.result else '—'}）: {item.tally.quorum_text}")
        print(f"    {item.tally.majority_text}")
        failed = failed or not item.tally.quorum_ok
    if result.missing or failed:
        print(t("議事録に不足があります（下書きとしては保存できます）"))
        return 2
    print(t("議事録の法定記載事項はそろっています"))
    return 0


def _status(args, db) -> int:
    from tama_desk.services import meetings

    with db.transaction() as session:
        meeting = meetings.set_status(session, args.meeting, args.status)
        title = meeting.title
    print(t("「{title}」: {status}", title=title, status=args.status))
    return 0


def _amend(args, db) -> int:
    from tama_desk.services import meetings

    with db.transaction() as session:
        meetings.amend(session, args.meeting, on=args.date, what=args.what, before=args.before, after=args.after,
                       reason=args.reason)
    print(t("訂正を記録しました: {what}", what=args.what))
    return 0


def _pdf_out(path: Path) -> None:
    if path.suffix.lower() != ".pdf":
        raise UserError("{name}: 拡張子は .pdf にしてください", name=path.name)


def _minutes(args, db) -> int:
    from tama_desk.documents.minutes import render
    from tama_desk.services import meetings

    _pdf_out(args.out)
    with db.reading() as session:
        doc = meetings.minutes_doc(session, args.meeting)
    _write(args.out, render(doc))
    for missing in doc.missing:
        print(t("注意（下書き）: 不足 {item}", item=missing), file=sys.stderr)
    return 0


def _attendance(args, db) -> int:
    from tama_desk.documents.attendance import render
    from tama_desk.services import meetings

    _pdf_out(args.out)
    with db.reading() as session:
        doc = meetings.attendance_doc(session, args.meeting)
    return _write(args.out, render(doc))


def _action(args, db) -> int:
    from tama_desk.services import actions, meetings

    with db.transaction() as session:
        meeting = meetings.get_meeting(session, args.meeting)
        item_id = None
        if args.item is not None:
            found = [i for i in meeting.items if i.kind == "決議" and i.number == args.item]
            if not found:
                raise UserError("第{n}号議案はありません", n=args.item)
            item_id = found[0].id
        action = actions.add_action(session, owner=args.owner, what=args.what, due=args.due, meeting_id=meeting.id,
                                    item_id=item_id)
        action_id = action.id
    print(t("アクションを登録しました"))
    print(action_id)
    return 0


def _import_pairs(args, db) -> int:
    from tama_desk.services import matching_sessions

    with db.transaction() as session:
        result = matching_sessions.import_pairs(session, args.meeting, args.file)
    for line, warning in result.clashes:
        print(t("{line}行目: 注意: {note}", line=line, note=warning))
    print(t("商談 {n} 件を取り込みました（フォローアップ {f} 件を予定）", n=result.count, f=result.follow_ups))
    return 0


def _pairs(args, db) -> int:
    from tama_desk.services import matching_sessions

    with db.reading() as session:
        rows = matching_sessions.pairing_rows(session, args.meeting)
    for row in rows:
        follow = t("次回フォロー {due}（id {id}）", due=row.next_follow_up.isoformat(), id=row.next_follow_up_id) \
            if row.next_follow_up else t("フォローなし")
        slot = row.slot.strftime("%H:%M") if row.slot else "—"
        print(f"{row.id}\t{slot}\t{row.member_number} {row.member_name}\t{row.counterpart}\t{row.outcome or '—'}\t"
              f"{row.amount:,}\t{follow}")
    return 0


def _summary(args, db) -> int:
    from tama_desk.services import matching_sessions

    with db.reading() as session:
        summary = matching_sessions.session_summary(session, args.meeting)
        report = matching_sessions.matching_report(session, args.meeting) if args.out else None
    for outcome, count in summary.counts.items():
        print(f"{t(outcome)}\t{count}")
    print(f"{t('参加会員企業')}\t{summary.member_firms}")
    print(f"{t('相手企業')}\t{summary.counterpart_firms}")
    print(f"{t('商談件数')}\t{summary.meetings}")
    if args.out is None:
        return 0
    suffix = args.out.suffix.lower()
    if suffix == ".pdf":
        from tama_desk.documents.matching_report import render

        data = render(report)
    elif suffix in (".xlsx", ".csv"):
        from tama_desk.exports.meetings_xlsx import matching_csv, matching_xlsx

        data = matching_xlsx(report) if suffix == ".xlsx" else matching_csv(report)
    else:
        raise UserError("{name}: 拡張子は .xlsx・.csv・.pdf のいずれかにしてください", name=args.out.name)
    return _write(args.out, data)


def _consent(args, db) -> int:
    from tama_desk.services import meetings

    with db.transaction() as session:
        meetings.record_consent(session, args.meeting, name=args.name, role=args.role, on=args.date,
                                objection=args.objection)
    print(t("{name}（{role}）: {what}を記録しました", name=args.name, role=args.role,
            what=t("異議") if args.objection else t("同意")))
    return 0


def _follow_up(args, db) -> int:
    from tama_desk.services import matching_sessions

    with db.transaction() as session:
        matching_sessions.record_follow_up(session, args.follow_up, done_on=args.date, outcome=args.outcome,
                                           notes=args.notes)
    print(t("フォローアップを記録しました"))
    return 0


def _contract(args, db) -> int:
    from tama_desk.services import matching_sessions

    with db.transaction() as session:
        matching_sessions.record_contract(session, args.pairing, signed_on=args.date, amount=args.amount,
                                          note=args.note)
    print(t("成約を記録しました: {amount}円", amount=f"{args.amount:,}"))
    return 0


GROUPINGS = {"session": "商談会別", "country": "国別", "fiscal-year": "年度別"}


def _matching_summary(args, db) -> int:
    from tama_desk.services import matching_sessions

    with db.reading() as session:
        groups = {t(label): matching_sessions.summaries(session, key.replace("-", "_"))
                  for key, label in GROUPINGS.items()}
    print("\t".join([t("区分"), t("会員企業"), t("相手企業"), t("商談件数"), *map(t, rules.OUTCOMES), t("金額")]))
    for row in groups[t(GROUPINGS[args.by])]:
        print("\t".join(map(str, [row.label, row.member_firms, row.counterpart_firms, row.meetings,
                                  *row.counts.values(), f"{row.amount + row.contract_amount:,}"])))
    if args.out is None:
        return 0
    if args.out.suffix.lower() != ".xlsx":
        raise UserError("{name}: 拡張子は .xlsx にしてください", name=args.out.name)
    from tama_desk.exports.meetings_xlsx import summaries_xlsx

    return _write(args.out, summaries_xlsx(groups))


def _actions(args, db) -> int:
    from tama_desk.services import actions

    as_of = args.as_of or date.today()
    with db.reading() as session:
        rows = actions.list_actions(session, as_of, overdue_only=args.overdue)
    for row in rows:
        due = row.due.isoformat() if row.due else t("期限なし")
        print(f"{due}\t{row.owner}\t{row.what}\t{row.source}")
    return 0


def _write(path: Path, data: bytes) -> int:
    from tama_desk.fileio import write_atomic

    write_atomic(path, data)
    print(t("書き出しました: {path}", path=path))
    return 0
