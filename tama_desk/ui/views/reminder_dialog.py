"""督促の確認: before reminders are printed, every overdue invoice — who, how much, how late, the last reminder
sent and the next letter — with a ✔ per row the user can take off, and a minimum amount and lateness that
filter the list; the new payment deadline the letters give and whether every letter is a 督促状 (the CLI's
`--new-due-date` and `--strong`). Printing covers the ✔ rows only and records each reminder sent
(services.reminders.send, as `invoices dunning` does)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk.domain.money import format_yen
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import printing, reminders
from tama_desk.ui import feedback
from tama_desk.ui.widgets import Column, DataTable, Dialog, Form

TICK = "✔"
NEW_DEADLINE_DAYS = 14


def _level(level: int | None) -> str:
    return t(reminders.LEVELS[level]) if level else ""


class ReminderReviewDialog(Dialog):
    def __init__(self, parent, app, on_done, as_of: date | None = None):
        super().__init__(parent, t("督促状（お支払いのお願い）の確認"), scroll=False)
        self.app, self.on_done = app, on_done
        self.as_of = as_of or date.today()
        with app.db.reading() as session:
            self.overdue = reminders.overdue(session, self.as_of)
        self.left_out: set[int] = set()  # invoice ids the user took the ✔ off
        self.create_widgets()
        self.on_filter()
        self.show(focus=self.tree)
        self.table.focus_first()

    def create_widgets(self) -> None:
        self.form = Form(self.body, scroll=False, today=self.as_of, on_change=lambda _key: self.on_filter(),
                         on_submit=self.on_print, on_last=self.table_focus)
        self.form.add("min_amount", "未入金額がこれ以上（円）", "amount", initial=reminders.MIN_AMOUNT, width=12,
                      validate=lambda text: None if self._amount(text) is not None else "0以上の整数で入力してください")
        self.form.add("min_days", "支払期限からの経過日数がこれ以上", initial=str(reminders.MIN_DAYS), width=12,
                      validate=lambda text: None if text.strip().isdigit() else "0以上の整数で入力してください")
        self.form.add("new_due", "新しいお支払い期限", "date", row=0, column=2, width=14, required=True,
                      initial=self.as_of + timedelta(days=NEW_DEADLINE_DAYS), validate=self.check_due)
        self.form.pack(anchor="w")
        self.strong_var = ttk.BooleanVar(value=False)  # Tab reaches it after the fields; Space ticks it
        self.strong_box = ttk.Checkbutton(self.body, text=t("すべて督促状にする（初回も強い文面。--strong と同じ）"),
                                          variable=self.strong_var, command=self.on_filter)
        self.strong_box.pack(anchor="w", pady=(4, 0))
        ttk.Label(self.body, text=t("✔ の行に印刷します。スペースキーまたは Enter（ダブルクリック）で ✔ を付け外しできます。"
                                    "印刷した督促は記録され、次は督促状になります。"),
                  bootstyle="secondary", wraplength=900, justify="left").pack(anchor="w", pady=(6, 6))
        self.summary = ttk.Label(self.body, anchor="e", bootstyle="secondary")
        self.summary.pack(side="bottom", fill="x", pady=(4, 0))
        self.table = DataTable(self.body, [
            Column("ok", "", 30, "center", value=lambda row: "" if row.invoice_id in self.left_out else TICK),
            Column("member_number", "会員番号", 80), Column("name", "請求先", 260, stretch=True),
            Column("number", "請求書番号", 100), Column("open", "未入金額", 95, format="yen"),
            Column("days_past_due", "経過日数", 70, "e"),
            Column("last_sent_on", "最終送付日", 100, "center", format="date"),
            Column("last_level", "最終送付", 120, "center", format=_level),
            Column("next_level", "今回の文書", 120, "center", value=self.letter_of, format=_level)],
            key="invoice_id", height=12, on_open=lambda _key: self.on_toggle(),
            tag=lambda row: ("muted",) if row.invoice_id in self.left_out else ("overdue",)
            if self.letter_of(row) == 2 else ())
        self.table.pack(fill="both", expand=True)
        self.tree = self.table.tree
        self.tree.bind("<space>", lambda _e: self.on_toggle())
        self.print_button = self.add_button(t("印刷する"), self.on_print, main=True)
        self.add_button(t("閉じる"), self.close)

    @staticmethod
    def _amount(text: str) -> int | None:
        from tama_desk.domain.money import parse_yen

        try:
            value = parse_yen(text) if text.strip() else 0
        except ValueError:
            return None
        return value if value >= 0 else None

    def check_due(self, _text: str) -> str | None:
        """The new deadline (read by the shared date parser) comes after the day the letters are dated."""
        due = self.form.value("new_due")
        return None if due > self.as_of else t("{date} より後の日付にしてください", date=self.as_of)

    @property
    def strong(self) -> bool:
        return bool(self.strong_var.get())

    def letter_of(self, row: reminders.ReviewRow) -> int:
        """The letter this row gets: 督促状 (2) for all when chosen, else the next after the last one sent."""
        return 2 if self.strong else row.next_level

    def table_focus(self) -> None:
        self.table.focus_first()

    # -- the list ---------------------------------------------------------------------------------
    def filters(self) -> tuple[int, int] | None:
        amount, days = self._amount(self.form.get("min_amount")), self.form.get("min_days")
        return (amount, int(days)) if amount is not None and days.isdigit() else None

    def shown_rows(self) -> list[reminders.ReviewRow]:
        """The rows the filters let through, ticked or not."""
        figures = self.filters()
        return reminders.select_rows(self.overdue, *figures) if figures else []

    def chosen(self) -> list[reminders.ReviewRow]:
        """The rows printing covers: shown and ticked."""
        figures = self.filters()
        return reminders.select_rows(self.overdue, *figures, left_out=self.left_out) if figures else []

    def on_filter(self) -> None:
        self.table.set_rows(self.shown_rows(), keep_order=self.table.sort_key is None)
        self.update_summary()

    def on_toggle(self) -> str:
        key = self.table.selected()
        if key is None:
            return "break"
        self.left_out.symmetric_difference_update({key})
        self.table.update_row(key, self.table.row(key))
        self.update_summary()
        return "break"

    def update_summary(self) -> None:
        chosen, shown = self.chosen(), self.table.rows
        strong = sum(1 for row in chosen if self.letter_of(row) == 2)
        self.summary.configure(text=t("表示 {shown} 件（期限超過 {all} 件）　✔ {n} 件 {total}円（うち督促状 {strong} 件）",
                                      shown=len(shown), all=len(self.overdue), n=len(chosen),
                                      total=format_yen(sum(row.open for row in chosen)), strong=strong))
        self.print_button.configure(text=t("✔ の {n} 件を印刷…", n=len(chosen)),
                                    state="normal" if chosen else "disabled")

    # -- printing ---------------------------------------------------------------------------------
    def on_print(self) -> None:
        chosen = self.chosen()
        if not chosen:
            return
        try:
            new_due, strong = self.form.read()["new_due"], self.strong
        except UserError as error:
            feedback.show_error(self, error)
            return
        folder = filedialog.askdirectory(parent=self, title=t("督促状（お支払いのお願い）の保存先フォルダ"))
        if not folder:
            return
        as_of = self.as_of
        target = Path(folder) / f"お支払いのお願い_{as_of:%Y%m%d}"
        combined = Path(folder) / f"お支払いのお願い_{as_of:%Y%m%d}_印刷用.pdf"

        def work(job):
            with self.app.db.transaction() as session:  # recorded only when every file was written
                _documents, result = reminders.send(
                    session, chosen, as_of, new_due,
                    lambda documents: printing.write_pdfs(documents, target, combined, progress=job.report), strong)
            return result

        feedback.run_with_progress(self, t("PDF出力"), work, self.on_printed)

    def on_printed(self, result) -> str:
        message = t("督促 {n} 件を印刷用に書き出し、送付を記録しました: {path}", n=len(result.files),
                    path=result.combined)
        self.after_idle(self.close)  # the status bar is told through this dialog first, then it closes
        self.on_done()
        return message
