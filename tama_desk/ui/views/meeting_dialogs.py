"""The meetings area's dialogs: a meeting, an agenda item (its quorum and majority shown as it is typed),
a correction of confirmed minutes, a pairing of a 商談会, an action item. Each saves in one transaction."""

from __future__ import annotations

from datetime import time

import ttkbootstrap as ttk

from tama_desk.domain import meetings as rules
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import actions, matching_sessions, meetings
from tama_desk.ui.widgets import Form
from tama_desk.ui.widgets.form_dialog import FormDialog

YES_NO = {"no": "いいえ", "yes": "はい"}


def _time_error(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        rules.parse_time(text)
    except ValueError as error:
        return t(str(error))
    return None


def _time(form: Form, key: str) -> time | None:
    text = form.get(key)
    return rules.parse_time(text) if text else None


def clock(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _count(form: Form, key: str) -> int | None:
    text = form.get(key)
    if not text:
        return None
    if not text.isdigit():
        raise UserError("0以上の整数で入力してください")
    return int(text)


class _SavingDialog(FormDialog):
    """A form dialog with 保存 / キャンセル; `save(session) -> message` runs in one transaction, then the message
    (what was saved, named) goes to the status bar and `on_saved()` is called."""

    def __init__(self, parent, app, title: str, on_saved=None):
        super().__init__(parent, title, app.db)
        self.app, self.on_saved = app, on_saved
        self.add_button(t("保存") + " (Ctrl+S)", self.on_save, main=True, save=True, style="primary")
        self.add_button(t("キャンセル"), self.on_escape)
        self.add_note(t("* は必須"))
        self.form.pack(fill="both", expand=True)

    def saved(self, message: object) -> None:
        super().saved(message)
        if self.on_saved:
            self.on_saved()


TEXT_FIELDS = ("place", "online", "chair", "recorder", "series", "country", "counterpart_body")


class MeetingDialog(_SavingDialog):
    """A new meeting, or (with `detail`) the one shown: its date, place, chair, minute-taker …"""

    def __init__(self, parent, app, on_saved=None, kind: str = "理事会", detail=None):
        super().__init__(parent, app, t("会議の編集") if detail else t("会議の登録"), on_saved)
        self.detail = detail
        form = self.form
        form.add("kind", "種類", "choice", choices={k: k for k in rules.KINDS}, required=True,
                 initial=detail.kind if detail else kind)
        if detail:
            form.widgets["kind"].configure(state="disabled")
        form.add("title", "件名", required=True, width=40, initial=detail.title if detail else "")
        form.add("day", "開催日", "date", required=True, initial=detail.day if detail else "")
        form.add("start", "開始時刻", validate=_time_error, hint="例: 14:00", width=10,
                 initial=clock(detail.start) if detail else "")
        form.add("end", "終了時刻", validate=_time_error, width=10, initial=clock(detail.end) if detail else "")
        form.add("place", "場所", width=40)
        form.add("online", "Web会議の方法", width=40, hint="例: Web会議システム（Zoom）")
        form.add("chair", "議長", width=20)
        form.add("recorder", "議事録作成者", width=20)
        form.add("series", "シリーズ", width=30, hint="研究会など: 上海ビジネス研究会")
        form.add("country", "国（商談会）", width=20)
        form.add("counterpart_body", "相手先団体（商談会）", width=30)
        for key in TEXT_FIELDS:
            if detail:
                form.set(key, getattr(detail, key))
        self.edited = False
        self.show(focus=form.widgets["title"])

    def save(self, session) -> str:
        form = self.form
        values = {key: form.get(key) for key in TEXT_FIELDS}
        if self.detail:
            meetings.update_meeting(session, self.detail.id, self.detail.version, title=form.get("title"),
                                    day=form.value("day"),
                                    start_time=_time(form, "start"), end_time=_time(form, "end"), **values)
            return t("会議「{title}」（{day}）を保存しました", title=form.get("title"), day=form.value("day"))
        meeting = meetings.create_meeting(session, kind=form.value("kind"), title=form.get("title"),
                                          day=form.value("day"), start=_time(form, "start"), end=_time(form, "end"),
                                          **values)
        self.created = meeting.id
        return t("{kind}「{title}」（{day}）を登録しました", kind=meeting.kind, title=meeting.title, day=meeting.day)


class MeetingSettingsDialog(_SavingDialog):
    """The 定款's rules: who signs the board minutes, the assembly's signers and quorum, who votes."""

    def __init__(self, parent, app, on_saved=None):
        super().__init__(parent, app, t("会議の設定（定款）"), on_saved)
        with app.db.reading() as session:
            current = meetings.get_settings(session)
            board, count, quorum, owner = (current.board_signers, current.assembly_signer_count,
                                           current.assembly_quorum, current.follow_up_owner)
            self.types = meetings.voting_types(session)
        form = self.form
        form.add("board_signers", "理事会議事録の署名者", "choice", choices=rules.BOARD_SIGNERS, initial=board)
        form.add("assembly_signer_count", "社員総会の議事録署名人（人数）", width=6, initial=count,
                 hint="議長のほかに記名押印する人数")
        form.add("assembly_quorum", "社員総会の定足数", width=8, initial=quorum,
                 hint="総議決権に対する割合（1/2 = 過半数、0 = 定めなし）")
        form.add("follow_up_owner", "商談フォローの担当（既定）", width=20, initial=owner)
        for name, voting in self.types.items():
            form.add(f"type:{name}", t("{type}は社員（議決権あり）", type=name), "choice", choices=YES_NO,
                     initial="yes" if voting else "no")
        self.edited = False
        self.show(focus=form.widgets["board_signers"])

    def save(self, session) -> str:
        form = self.form
        meetings.update_settings(session, board_signers=form.value("board_signers"),
                                 assembly_signer_count=_count(form, "assembly_signer_count") or 0,
                                 assembly_quorum=form.get("assembly_quorum") or "1/2",
                                 follow_up_owner=form.get("follow_up_owner"),
                                 voting_types={name: form.value(f"type:{name}") == "yes" for name in self.types})
        return t("会議の設定（定款）を保存しました")


class ItemDialog(_SavingDialog):
    """An agenda item; for a resolution the quorum and majority at its time are shown as the votes are typed."""

    def __init__(self, parent, app, meeting_id: int, item=None, on_saved=None):
        super().__init__(parent, app, t("議題の記録"), on_saved)
        self.meeting_id, self.item = meeting_id, item
        form = self.form
        form.add("kind", "種類", "choice", choices={"決議": "決議", "報告": "報告"}, initial=item.kind if item else "決議")
        form.add("title", "議題", required=True, width=44, initial=item.title if item else "")
        form.add("result", "結果", "choice", choices={"": "—", **{r: r for r in rules.RESULTS}},
                 initial=item.result if item else "")
        form.add("at", "採決の時刻", validate=_time_error, width=10, hint="途中入退室がある時に入力（例: 14:40）",
                 initial=clock(item.at) if item else "")
        form.add("votes_for", "賛成", width=8, hint="空欄: 全員異議なし",
                 initial="" if not item or item.votes_for is None else item.votes_for)
        form.add("votes_against", "反対", width=8, initial=item.votes_against if item else "")
        form.add("votes_abstain", "棄権", width=8, initial=item.votes_abstain if item else "")
        form.add("interested", "特別利害関係理事", width=44, hint="理事会: 議決に加わらない理事（、区切り）",
                 initial=item.interested if item else "")
        form.add("special", "特別決議（社員総会）", "choice", choices=YES_NO,
                 initial="yes" if item and item.special else "no")
        form.add("summary", "議事の経過の要領", "text", width=56, height=5, initial=item.summary if item else "")
        self.tally = ttk.Label(self.body, justify="left", wraplength=560)
        self.tally.pack(anchor="w", fill="x", pady=(10, 0))
        self.on_change("")
        self.edited = False
        self.show(focus=form.widgets["title"])

    def values(self) -> dict:
        form = self.form
        return {"title": form.get("title"), "kind": form.value("kind"), "result": form.value("result") or "",
                "votes_for": _count(form, "votes_for"), "votes_against": _count(form, "votes_against") or 0,
                "votes_abstain": _count(form, "votes_abstain") or 0,
                "interested": tuple(n.strip() for n in form.get("interested").split("、") if n.strip()),
                "special": form.value("special") == "yes", "at": _time(form, "at"), "summary": form.get("summary")}

    def on_change(self, key: str) -> None:
        if key:
            self.mark_edited()
        if not hasattr(self, "tally"):
            return
        try:
            values = self.values()
        except (UserError, ValueError):
            return
        if values["kind"] != "決議":
            self.tally.configure(text="", bootstyle="secondary")
            return
        with self.app.db.reading() as session:
            found = meetings.preview_tally(session, self.meeting_id, **values)
        if found is None:
            self.tally.configure(text=t("この会議では定足数を計算しません"), bootstyle="secondary")
            return
        self.tally.configure(text=f"{found.quorum_text}\n{found.majority_text}",
                             bootstyle="success" if found.passes else "danger")

    def save(self, session) -> str:
        item = meetings.save_item(session, self.meeting_id, item_id=self.item.id if self.item else None,
                                  **self.values())
        return t("議題「{title}」を記録しました（{result}）", title=item.title, result=item.result or item.kind)


class AmendmentDialog(_SavingDialog):
    def __init__(self, parent, app, meeting_id: int, on_saved=None):
        super().__init__(parent, app, t("確定済み議事録の訂正"), on_saved)
        self.meeting_id = meeting_id
        form = self.form
        form.add("on", "訂正日", "date", required=True)
        form.add("what", "訂正箇所", required=True, width=44, hint="例: 第2号議案 賛成数")
        form.add("before", "訂正前", width=44)
        form.add("after", "訂正後", required=True, width=44)
        form.add("reason", "理由", required=True, width=44)
        self.show(focus=form.widgets["on"])

    def save(self, session) -> str:
        form = self.form
        meetings.amend(session, self.meeting_id, on=form.value("on"), what=form.get("what"),
                       before=form.get("before"), after=form.get("after"), reason=form.get("reason"))
        return t("議事録の訂正を記録しました: {what}（{on}）", what=form.get("what"), on=form.value("on"))


class PairingDialog(_SavingDialog):
    def __init__(self, parent, app, meeting_id: int, row=None, on_saved=None):
        super().__init__(parent, app, t("商談の記録"), on_saved)
        self.meeting_id, self.row = meeting_id, row
        form = self.form
        form.add("member_number", "会員番号", required=True, width=12, initial=row.member_number if row else "")
        form.add("counterpart", "相手企業", required=True, width=40, initial=row.counterpart if row else "")
        form.add("country", "国", width=20, initial=row.country if row else "")
        form.add("industry", "業種", width=20, initial=row.industry if row else "")
        form.add("slot", "時刻", validate=_time_error, width=10,
                 initial=clock(row.slot) if row else "")
        form.add("interpreter", "通訳", width=20, initial=row.interpreter if row else "")
        form.add("outcome", "結果", "choice", choices={"": "—", **{o: o for o in rules.OUTCOMES}},
                 initial=row.outcome if row else "")
        form.add("amount", "金額（円）", "amount", initial=row.amount if row and row.amount else "")
        form.add("follow_up_date", "フォロー期限", "date", hint="空欄: 1か月後、以後1年間は四半期ごと",
                 initial=row.follow_up_date if row else "")
        form.add("notes", "メモ", "text", width=44, height=3, initial=row.notes if row else "")
        self.show(focus=form.widgets["member_number"])

    def save(self, session) -> str:
        form = self.form
        values = {key: form.get(key) for key in ("member_number", "counterpart", "country", "industry", "slot",
                                                 "interpreter", "notes", "follow_up_date", "amount")}
        values["outcome"] = form.value("outcome") or ""
        matching_sessions.save_pairing(session, self.meeting_id, values, self.row.id if self.row else None,
                                       self.row.version if self.row else None)
        return t("商談を記録しました: {member} × {counterpart}", member=values["member_number"],
                 counterpart=values["counterpart"])


class ActionDialog(_SavingDialog):
    def __init__(self, parent, app, meeting_id: int | None, on_saved=None):
        super().__init__(parent, app, t("アクションの登録"), on_saved)
        self.meeting_id = meeting_id
        form = self.form
        form.add("owner", "担当", required=True, width=20)
        form.add("what", "内容", required=True, width=44)
        form.add("due", "期限", "date")
        self.show(focus=form.widgets["owner"])

    def save(self, session) -> str:
        form = self.form
        actions.add_action(session, owner=form.get("owner"), what=form.get("what"), due=form.value("due"),
                           meeting_id=self.meeting_id)
        return t("アクションを登録しました: {owner} {what}", owner=form.get("owner"), what=form.get("what"))


class ParticipantDialog(_SavingDialog):
    """One participant typed in: name, role, member number (links the member), attendance, votes, times."""

    def __init__(self, parent, app, meeting_id: int, on_saved=None):
        super().__init__(parent, app, t("出席者の追加"), on_saved)
        self.meeting_id = meeting_id
        form = self.form
        form.add("name", "氏名", required=True, width=24)
        form.add("role", "役職", "choice", choices={r: r for r in rules.ROLES}, initial="理事")
        form.add("title", "所属", width=36)
        form.add("member_number", "会員番号", width=12, hint="社員総会の社員は会員番号で会員とつなぎます")
        form.add("attendance", "出欠", "choice", choices={a: a for a in rules.ATTENDANCE}, initial="出席")
        form.add("proxy_to", "委任先", width=24)
        form.add("votes", "議決権数", width=6, initial="1")
        form.add("arrival", "入室", validate=_time_error, width=10)
        form.add("departure", "退室", validate=_time_error, width=10)
        self.show(focus=form.widgets["name"])

    def save(self, session) -> str:
        form = self.form
        member_id = meetings.member_id_for(session, form.get("member_number")) if form.get("member_number") else None
        meetings.add_participant(session, self.meeting_id, name=form.get("name"), role=form.value("role"),
                                 attendance=form.value("attendance"), title=form.get("title"), member_id=member_id,
                                 votes=_count(form, "votes") if form.get("votes") else 1, arrival=_time(form, "arrival"),
                                 departure=_time(form, "departure"), proxy_to=form.get("proxy_to"))
        return t("出席者を追加しました: {name}（{attendance}）", name=form.get("name"), attendance=form.value("attendance"))
