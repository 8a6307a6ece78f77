"""会議 view: the meetings (kind, date, status, open action items); the selected one's participants (attendance
ticked in bulk, the quorum shown as it changes), agenda and votes, the statutory check, the minutes and the
attendance list; a 商談会's pairing grid; and the action-item inbox of every source, overdue first."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk.domain import meetings as rules
from tama_desk.i18n import t
from tama_desk.services import actions, matching_sessions, meetings
from tama_desk.ui import feedback, loading
from tama_desk.ui.fresh import Freshness
from tama_desk.ui.views.meeting_dialogs import (
    ActionDialog,
    AmendmentDialog,
    ItemDialog,
    MeetingDialog,
    MeetingSettingsDialog,
    PairingDialog,
    ParticipantDialog,
)
from tama_desk.ui.widgets import ChoiceBox, Column, DataTable
from tama_desk.ui.widgets.flow import FlowFrame

MEETING_COLUMNS = [Column("day", "日付", 92, "center", format="date"), Column("kind", "種類", 80, format=t),
                   Column("title", "件名", 300, stretch=True), Column("status", "状態", 90, "center", format=t),
                   Column("open_actions", "未完了アクション", 110, "e")]
PARTICIPANT_COLUMNS = [Column("role", "役職", 110, format=t), Column("name", "氏名", 150), Column("title", "所属", 200, stretch=True),
                       Column("attendance", "出欠", 80, "center", format=t), Column("votes", "議決権数", 70, "e"),
                       Column("arrival", "入室", 60, "center", format=lambda v: v.strftime("%H:%M") if v else ""),
                       Column("departure", "退室", 60, "center", format=lambda v: v.strftime("%H:%M") if v else ""),
                       Column("note", "備考", 200)]
ITEM_COLUMNS = [Column("label", "番号", 90), Column("title", "議題", 240, stretch=True), Column("result", "結果", 70, "center", format=t),
                Column("quorum_text", "定足数", 300), Column("majority_text", "可決要件", 300)]
PAIR_COLUMNS = [Column("slot", "時刻", 56, "center", format=lambda v: v.strftime("%H:%M") if v else ""),
                Column("member_name", "会員企業", 180), Column("counterpart", "相手企業", 200, stretch=True),
                Column("country", "国", 70), Column("outcome", "結果", 140, format=t), Column("amount", "金額", 90, format="yen"),
                Column("next_follow_up", "次回フォロー", 96, "center", format="date"),
                Column("contract_date", "成約日", 96, "center", format="date")]
ACTION_COLUMNS = [Column("due", "期限", 92, "center", format="date"), Column("owner", "担当", 100),
                  Column("what", "内容", 320, stretch=True), Column("source", "出所", 300), Column("status", "状態", 70, format=t)]


def _file_part(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")[:60] or "meeting"


class MeetingsView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.fresh, self.loader = Freshness(), loading.Loader(self)
        self.meeting_id: int | None = None
        self.detail: meetings.MeetingDetail | None = None
        self.create_toolbar()
        self.create_list()
        self.create_detail()

    # -- building ---------------------------------------------------------------------------------
    def create_toolbar(self) -> None:
        bar = ttk.Frame(self)
        bar.pack(fill="x")
        ttk.Label(bar, text=t("会議"), font=(self.app.font_family, 15, "bold")).pack(side="left")
        self.count_label = ttk.Label(bar, bootstyle="secondary")
        self.count_label.pack(side="left", padx=12)
        ttk.Button(bar, text=t("新規") + " (Ctrl+N)", bootstyle="success", command=self.on_new).pack(side="right")
        self.kind_filter = ChoiceBox(bar, {"": t("すべての会議"), **{k: k for k in rules.KINDS}}, width=14)
        self.kind_filter.set("")
        self.kind_filter.pack(side="right", padx=8)
        self.kind_filter.bind("<<ComboboxSelected>>", lambda _e: self.refresh())

    def create_list(self) -> None:
        self.table = DataTable(self, MEETING_COLUMNS, height=5, on_select=lambda _k: self.on_select(),
                               tag=lambda row: ("muted",) if row.status == "予定" else ())
        self.table.pack(fill="x", pady=(8, 0))

    def create_detail(self) -> None:
        frame = ttk.Frame(self, padding=(0, 8, 0, 0))
        frame.pack(fill="both", expand=True)
        self.heading = ttk.Label(frame, font=(self.app.font_family, 13, "bold"))
        self.heading.pack(anchor="w")
        self.facts = ttk.Label(frame, bootstyle="secondary", justify="left")
        self.facts.pack(anchor="w", fill="x")
        bar = FlowFrame(frame, gap=6, padding=(0, 6))  # wraps on a narrow window instead of squeezing
        bar.pack(fill="x")
        for text, command, style in [(t("編集…"), self.on_edit, "secondary-outline"),
                                     (t("出席者の取込…"), self.on_import_attendees, "primary-outline"),
                                     (t("議題を追加"), self.on_add_item, "primary"),
                                     (t("前回からの継続事項…"), self.on_carry_over, "secondary-outline"),
                                     (t("アクション追加"), self.on_add_action, "secondary-outline"),
                                     (t("商談を追加"), self.on_add_pairing, "secondary-outline")]:
            ttk.Button(bar, text=text, command=command, bootstyle=style)
        for text, items in [
            (t("書類"), [(t("議事録 PDF…"), self.on_minutes), (t("出席者名簿 PDF…"), self.on_attendance),
                       (t("商談結果 PDF…"), lambda: self.on_matching("pdf")),
                       (t("商談結果 Excel…"), lambda: self.on_matching("xlsx"))]),
            (t("状態"), [(t(status), lambda s=status: self.on_status(s)) for status in rules.STATUSES]
             + [(t("訂正を記録…"), self.on_amend), (t("会議の設定（定款）…"), self.on_settings),
                (t("会議を削除…"), self.on_delete)]),
        ]:
            button = ttk.Menubutton(bar, text=text, bootstyle="secondary-outline")
            menu = ttk.Menu(button, tearoff=False)
            for label, command in items:
                menu.add_command(label=label, command=command)
            button.configure(menu=menu)
        bar.reflow()
        self.tabs = ttk.Notebook(frame)
        self.tabs.pack(fill="both", expand=True)
        self.create_participants_tab()
        self.create_items_tab()
        self.create_check_tab()
        self.create_pairs_tab()
        self.create_actions_tab()

    def create_participants_tab(self) -> None:
        tab = ttk.Frame(self.tabs, padding=6)
        self.tabs.add(tab, text=t("出席者"))
        self.quorum_label = ttk.Label(tab, font=(self.app.font_family, 10, "bold"))  # its own line: it can be long
        self.quorum_label.pack(anchor="w")
        top = ttk.Frame(tab)
        top.pack(fill="x")
        for attendance in reversed(rules.ATTENDANCE):
            ttk.Button(top, text=t(attendance), bootstyle="secondary-outline",
                       command=lambda a=attendance: self.on_tick(a)).pack(side="right", padx=(4, 0))
        ttk.Label(top, text=t("選んだ人の出欠:"), bootstyle="secondary").pack(side="right", padx=6)
        ttk.Button(top, text=t("追加…"), bootstyle="secondary-outline", command=self.on_add_participant).pack(
            side="right", padx=(0, 12))
        self.participants = DataTable(tab, PARTICIPANT_COLUMNS, height=5, selectmode="extended",
                                      tag=lambda row: ("muted",) if row.attendance == "欠席" else ())
        self.participants.pack(fill="both", expand=True, pady=(4, 0))
        self.participants.tree.bind("<space>", lambda _e: self.on_toggle())

    def create_items_tab(self) -> None:
        tab = ttk.Frame(self.tabs, padding=6)
        self.tabs.add(tab, text=t("議題と採決"))
        self.items = DataTable(tab, ITEM_COLUMNS, height=5, on_open=self.on_edit_item,
                               tag=lambda row: ("danger",) if row.passes is False and row.result in rules.PASSING
                               else ())
        self.items.pack(fill="both", expand=True)
        ttk.Label(tab, text=t("ダブルクリックで修正。採決の時刻を入れると、その時点の出席者で定足数を数えます。"),
                  bootstyle="secondary").pack(anchor="w")

    def create_check_tab(self) -> None:
        tab = ttk.Frame(self.tabs, padding=10)
        self.tabs.add(tab, text=t("議事録の確認"))
        self.check_label = ttk.Label(tab, justify="left", wraplength=1000)
        self.check_label.pack(anchor="nw", fill="both")

    def create_pairs_tab(self) -> None:
        tab = ttk.Frame(self.tabs, padding=6)
        self.tabs.add(tab, text=t("商談"))
        self.pairs_summary = ttk.Label(tab, bootstyle="secondary")
        self.pairs_summary.pack(anchor="w")
        self.pairs = DataTable(tab, PAIR_COLUMNS, height=5, on_open=self.on_edit_pairing, summary=True)
        self.pairs.pack(fill="both", expand=True)

    def create_actions_tab(self) -> None:
        tab = ttk.Frame(self.tabs, padding=6)
        self.tabs.add(tab, text=t("アクション一覧"))
        top = ttk.Frame(tab)
        top.pack(fill="x")
        ttk.Label(top, text=t("すべての会議・商談フォローの未完了（期限切れが先頭）"), bootstyle="secondary").pack(side="left")
        ttk.Button(top, text=t("完了にする"), bootstyle="success-outline", command=self.on_done).pack(side="right")
        self.inbox = DataTable(tab, ACTION_COLUMNS, height=5, key=lambda row: (row.kind, row.id), sortable=False,
                               tag=lambda row: ("overdue",) if row.overdue(date.today()) else ())
        self.inbox.pack(fill="both", expand=True, pady=(4, 0))

    # -- reacting ---------------------------------------------------------------------------------
    def on_show(self) -> None:
        loading.on_show(self)  # read in the background; shown again with nothing changed: the lists as they were

    def refresh(self) -> None:
        loading.refresh(self)

    def rows_query(self):
        kind, today = self.kind_filter.get() or None, date.today()
        return lambda session: (meetings.list_meetings(session, kind=kind), actions.list_actions(session, today))

    def present(self, data) -> None:
        rows, inbox = data
        self.table.set_rows(rows)
        self.count_label.configure(text=t("{n} 件", n=len(rows)))
        self.inbox.set_rows(inbox, keep_order=True)
        overdue = sum(row.overdue(date.today()) for row in inbox)
        self.tabs.tab(4, text=t("アクション一覧（期限切れ {n}）", n=overdue) if overdue else t("アクション一覧"))
        if rows and (self.meeting_id is None or not self.table.select(self.meeting_id)):
            self.table.select(rows[0].id)
        self.on_select()

    def on_select(self) -> None:
        self.meeting_id = self.table.selected()
        if self.meeting_id is None:
            self.detail = None
            self.heading.configure(text=t("会議を選んでください"))
            return
        with self.app.db.reading() as session:
            self.detail = detail = meetings.meeting_detail(session, self.meeting_id)
            pairs = matching_sessions.pairing_rows(session, detail.id) if detail.kind == "商談会" else []
            summary = matching_sessions.session_summary(session, detail.id) if detail.kind == "商談会" else None
        clock = f" {detail.start:%H:%M}" if detail.start else ""
        self.heading.configure(text=f"{t(detail.kind)}　{detail.title}（{t(detail.status)}）")
        facts = [f"{detail.day:%Y-%m-%d}{clock}　{detail.place}", detail.online,
                 t("議長 {chair}　議事録作成者 {recorder}", chair=detail.chair or "—", recorder=detail.recorder or "—")]
        self.facts.configure(text="　".join(part for part in facts if part))
        self.participants.set_rows(detail.participants, keep_order=True)
        counts = "　".join(detail.counts)
        self.quorum_label.configure(text=(detail.quorum_text or counts) or t("出席者 {n} 名", n=len(detail.participants)),
                                    bootstyle="success" if detail.quorum_ok else "danger")
        self.items.set_rows(detail.items, keep_order=True)
        if detail.missing:
            text = t("法定記載事項の不足（議事録は下書きとして出力できます）:") + "\n" + "\n".join(f"・{m}" for m in detail.missing)
            self.check_label.configure(text=text, bootstyle="danger")
        else:
            self.check_label.configure(text=t("議事録の法定記載事項はそろっています"), bootstyle="success")
        self.pairs.set_rows(pairs, keep_order=True)
        if summary is not None:
            self.pairs_summary.configure(text="　".join(f"{t(k)} {v}" for k, v in summary.counts.items()) + "　" + t(
                "会員企業 {m}・相手企業 {c}・商談 {n}", m=summary.member_firms, c=summary.counterpart_firms,
                n=summary.meetings))
        else:
            self.pairs_summary.configure(text=t("商談会ではありません"))

    def on_saved(self) -> None:
        """After a save in a dialog of the meeting shown (the meeting, a pairing, an action): its detail shown
        again at once; the list and the actions inbox read again in the background (on the Tk thread that read
        takes 0.1-0.2 s at ten-year scale)."""
        self.on_select()
        self.loader.start()

    def _need_meeting(self) -> bool:
        if self.meeting_id is None:
            feedback.inform(self, t("会議を選んでください"))
            return False
        return True

    def on_new(self) -> None:
        MeetingDialog(self, self.app, on_saved=self.refresh)

    def on_edit(self) -> None:
        if self._need_meeting() and self.detail is not None:
            MeetingDialog(self, self.app, on_saved=self.on_saved, detail=self.detail)

    def on_add_participant(self) -> None:
        if self._need_meeting():
            ParticipantDialog(self, self.app, self.meeting_id, on_saved=self.on_select)

    def on_delete(self) -> None:
        if self._need_meeting() and self.detail and feedback.confirm(
                self, t("「{title}」を削除します。出席者・議題・商談も削除されます。よろしいですか？", title=self.detail.title),
                ok_label="削除", danger=True):
            meeting_id, self.meeting_id, title = self.meeting_id, None, self.detail.title
            self._act(lambda s: meetings.delete_meeting(s, meeting_id), self.refresh,
                      t("会議「{title}」を削除しました", title=title))

    def on_settings(self) -> None:
        MeetingSettingsDialog(self, self.app, on_saved=self.on_select)

    def on_carry_over(self) -> None:
        """Open action items of earlier meetings of the same kind, offered as this meeting's agenda (報告事項)."""
        if not self._need_meeting():
            return
        with self.app.db.reading() as session:
            offered = actions.carry_over(session, self.meeting_id)
        if not offered:
            feedback.inform(self, t("前回までの未完了のアクションはありません"))
            return
        listed = "\n".join(f"・{row.due or '—'} {row.owner}: {row.what}（{row.source}）" for row in offered)
        if feedback.confirm(self, t("次の未完了のアクションを報告事項として議題に加えますか？") + "\n\n" + listed,
                            ok_label="議題に加える"):
            self._act(lambda s: actions.carry_to_agenda(s, self.meeting_id, [row.id for row in offered]),
                      message=t("未完了のアクション {n} 件を議題に加えました", n=len(offered)))

    def on_add_item(self) -> None:
        if self._need_meeting():
            ItemDialog(self, self.app, self.meeting_id, on_saved=self.on_select)

    def on_edit_item(self, item_id) -> None:
        row = next((item for item in self.detail.items if item.id == item_id), None) if self.detail else None
        if row is not None:
            ItemDialog(self, self.app, self.meeting_id, row, on_saved=self.on_select)

    def on_add_action(self) -> None:
        ActionDialog(self, self.app, self.meeting_id, on_saved=self.on_saved)

    def on_add_pairing(self) -> None:
        if self._need_meeting():
            PairingDialog(self, self.app, self.meeting_id, on_saved=self.on_saved)

    def on_edit_pairing(self, pairing_id) -> None:
        row = self.pairs.row(pairing_id)
        if row is not None:
            PairingDialog(self, self.app, self.meeting_id, row, on_saved=self.on_saved)

    def on_amend(self) -> None:
        if self._need_meeting():
            AmendmentDialog(self, self.app, self.meeting_id, on_saved=self.on_select)

    def _act(self, work, done=None, message: str = ""):
        """One user action: one transaction; errors shown in one place; then `message` in the status bar."""
        try:
            with self.app.db.transaction() as session:
                result = work(session)
        except Exception as error:  # noqa: BLE001 - every failure is shown, the UserError as it is
            feedback.show_error(self, error)
            return
        (done or self.on_select)()
        if message:
            feedback.notify(self, message)
        return result

    def on_tick(self, attendance: str) -> None:
        chosen = list(self.participants.tree.selection())
        keys = [self.participants.row(iid).id for iid in chosen]
        if self._need_meeting() and keys:
            self._act(lambda s: meetings.set_attendance(s, self.meeting_id, dict.fromkeys(keys, attendance)),
                      message=t("{n} 名を「{attendance}」にしました", n=len(keys), attendance=attendance))
            self.participants.tree.selection_set([iid for iid in chosen if self.participants.tree.exists(iid)])

    def on_toggle(self) -> str:
        row = self.participants.selected_row()
        if row is not None:
            self.on_tick("欠席" if row.attendance in rules.PRESENT else "出席")
        return "break"

    def on_status(self, status: str) -> None:
        if not self._need_meeting():
            return
        if status == "議事録確定" and not feedback.confirm(
                self, t("議事録を確定すると、以後は日付付きの訂正でしか変更できません。確定しますか？"), ok_label="確定する"):
            return
        self._act(lambda s: meetings.set_status(s, self.meeting_id, status), self.refresh,
                  t("{title} を「{status}」にしました", title=self.detail.title if self.detail else "", status=status))

    def on_done(self) -> None:
        row = self.inbox.selected_row()
        if row is None:
            return
        if row.kind == "action":
            self._act(lambda s: actions.set_action_status(s, row.id, "完了"), self.refresh,
                      t("アクションを完了にしました: {owner} {what}", owner=row.owner, what=row.what))
        elif row.kind == "follow_up":
            note = feedback.ask_text(self, t("フォローアップの記録"), t("結果のメモ（例: オンライン面談を実施）"))
            if note is not None:
                self._act(lambda s: matching_sessions.record_follow_up(s, row.id, done_on=date.today(), notes=note),
                          self.refresh, t("フォローアップを記録しました: {what}", what=row.what))

    def on_import_attendees(self) -> None:
        if not self._need_meeting():
            return
        name = filedialog.askopenfilename(parent=self, title=t("出席者の取込"),
                                          filetypes=[(t("CSV・Excel"), "*.csv *.xlsx"), (t("すべて"), "*.*")])
        if name:
            result = self._act(lambda s: meetings.import_attendees(s, self.meeting_id, Path(name)),
                               message=t("出席者を取り込みました: {file}", file=Path(name).name))
            if result is not None:
                notes = "\n".join(t("{line}行目: {note}", line=line, note=note) for line, note in result.notes)
                feedback.inform(self, t("出席者 {n} 名を取り込みました", n=result.count) + ("\n\n" + notes if notes else ""))

    def _save_as(self, suffix: str, label: str) -> Path | None:
        title = self.detail.title if self.detail else "meeting"
        name = filedialog.asksaveasfilename(parent=self, initialfile=f"{_file_part(title)}_{label}{suffix}",
                                            defaultextension=suffix, filetypes=[(suffix, f"*{suffix}")])
        return Path(name) if name else None

    def on_minutes(self) -> None:
        if self._need_meeting() and (path := self._save_as(".pdf", "議事録")):
            from tama_desk.documents.minutes import render

            meeting_id = self.meeting_id
            feedback.write_file_with_progress(self, self.app.db, path,
                                              lambda s: render(meetings.minutes_doc(s, meeting_id)), "議事録")

    def on_attendance(self) -> None:
        if self._need_meeting() and (path := self._save_as(".pdf", "出席者名簿")):
            from tama_desk.documents.attendance import render

            meeting_id = self.meeting_id
            feedback.write_file_with_progress(self, self.app.db, path,
                                              lambda s: render(meetings.attendance_doc(s, meeting_id)), "出席者名簿")

    def on_matching(self, kind: str) -> None:
        if not self._need_meeting() or (self.detail and self.detail.kind != "商談会"):
            feedback.inform(self, t("商談会を選んでください"))
            return
        if path := self._save_as(f".{kind}", "商談結果"):
            from tama_desk.documents.matching_report import render
            from tama_desk.exports.meetings_xlsx import matching_xlsx

            meeting_id, build = self.meeting_id, render if kind == "pdf" else matching_xlsx
            feedback.write_file_with_progress(self, self.app.db, path,
                                              lambda s: build(matching_sessions.matching_report(s, meeting_id)),
                                              "商談結果")
