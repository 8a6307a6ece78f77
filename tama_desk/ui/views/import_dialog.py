"""Importing a file: a preview of what would happen (or every problem, by line and column), then the import
itself, both off the Tk thread. One dialog serves every importer; subclasses say what to call and show."""

from __future__ import annotations

from pathlib import Path

import ttkbootstrap as ttk

from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services.member_import import import_members
from tama_desk.ui import feedback
from tama_desk.ui.background import run_in_thread
from tama_desk.ui.layout import paint
from tama_desk.ui.widgets import Column, DataTable, Dialog


class ImportPreviewDialog(Dialog):
    COLUMNS = [Column("line", "行", 60, "e"), Column("what", "内容", 160), Column("detail", "詳細", 520, stretch=True)]
    ADVICE = "ファイルを直してから、もう一度インポートしてください。"

    def __init__(self, parent, app, path: Path, on_done, title: str):
        super().__init__(parent, f"{title} — {path.name}", scroll=False)
        self.app, self.path, self.on_done = app, path, on_done
        self.job = None
        self.create_widgets(sum(column.width for column in self.COLUMNS))
        self.show(focus=self.close_button)
        self.start_preview()

    # -- what each importer says ------------------------------------------------------------------
    def preview(self, session):
        """The dry run: returns what would be imported, or raises UserError with every problem."""
        raise NotImplementedError

    def run_import(self, session, job):
        raise NotImplementedError

    def fill_preview(self, result) -> None:
        """Show the rows and the summary, and enable the import button when there is something to import."""
        raise NotImplementedError

    def finish(self, result) -> None:
        """Tell the view what was imported (the dialog is already closed)."""
        raise NotImplementedError

    # -- shared -----------------------------------------------------------------------------------
    def create_widgets(self, wrap: int) -> None:
        self.summary = ttk.Label(self.body, text=t("ファイルを確認しています…"), font=(None, 11, "bold"),
                                 wraplength=wrap, justify="left")
        self.summary.pack(anchor="w")
        self.progress = ttk.Progressbar(self.body, mode="indeterminate")
        self.progress.pack(fill="x", pady=8)
        self.table = DataTable(self.body, self.COLUMNS, key=lambda row: row["id"], height=14,
                               tag=lambda row: row.get("tags", ()))
        self.table.pack(fill="both", expand=True)
        self.tree = self.table.tree
        self.rows: list[dict] = []
        self.import_button = self.add_button(t("取り込む"), self.on_import, main=True, state="disabled")
        self.close_button = self.add_button(t("キャンセル"), self.on_close)

    def add_row(self, line, what: str, detail: str, *tags: str) -> None:
        self.rows.append({"id": len(self.rows), "line": line, "what": what, "detail": detail, "tags": tags})

    def show_rows(self) -> None:
        self.table.set_rows(self.rows, keep_order=True)

    def start_preview(self) -> None:
        self.progress.start(15)

        def work(_job):
            with self.app.db.transaction() as session:
                return self.preview(session)

        self.job = run_in_thread(self, work, self.on_preview, self.on_preview_failed)

    def stop_progress(self) -> None:
        """Stopped, an indeterminate bar leaves its moving piece behind: show an empty bar instead."""
        self.progress.stop()
        self.progress.configure(mode="determinate", value=0)

    def on_preview(self, result) -> None:
        self.stop_progress()
        self.job = None
        self.fill_preview(result)
        self.show_rows()
        self.import_button.focus_set()

    def on_preview_failed(self, error: BaseException) -> None:
        self.stop_progress()
        self.job = None
        if not isinstance(error, UserError):
            self.close()
            feedback.show_error(self.master, error)
            return
        paint(self.summary, f"{error.text()}\n{t(self.ADVICE)}", "danger")
        for problem in error.problems:
            self.add_row(problem.row or "", t(problem.field), problem.text(), "danger")
        self.show_rows()
        self.close_button.configure(text=t("閉じる"))
        self.refit()

    def on_import(self) -> None:
        self.import_button.configure(state="disabled")
        self.progress.configure(mode="indeterminate")
        self.progress.start(15)

        def work(job):
            with self.app.db.transaction() as session:
                return self.run_import(session, job)

        self.job = run_in_thread(self, work, self.on_imported, self.on_import_failed, self.on_progress)

    def on_progress(self, done: int, total: int, _text: str = "") -> None:
        if str(self.progress.cget("mode")) != "determinate":
            self.progress.stop()
            self.progress.configure(mode="determinate")
        self.progress.configure(maximum=total, value=done)

    def on_imported(self, result) -> None:
        self.job = None
        self.close()
        self.finish(result)

    def on_import_failed(self, error: BaseException) -> None:
        self.job = None
        self.close()
        feedback.show_error(self.master, error)

    def on_close(self) -> None:
        """Closing while work runs cancels it: the transaction is rolled back, nothing is imported."""
        self.close()

    def close(self) -> None:
        if self.job is not None:
            self.job.cancel()
        super().close()


class MemberImportDialog(ImportPreviewDialog):
    def __init__(self, parent, app, path: Path, on_done):
        super().__init__(parent, app, path, on_done, t("会員のインポート"))

    def preview(self, session):
        return import_members(session, self.path, dry_run=True)

    def run_import(self, session, job):
        return import_members(session, self.path, progress=job.report)

    def fill_preview(self, plan) -> None:
        paint(self.summary, t("取り込むと: {summary}。よろしければ「取り込む」を押してください。",
                              summary=plan.summary()), "default")
        for line, number, name in plan.created:
            self.add_row(line, t("新規"), f"{number} {name}")
        for line, number, name in plan.updated:
            self.add_row(line, t("更新（会員番号が一致）"), f"{number} {name}")
        self.import_button.configure(state="normal")

    def finish(self, plan) -> None:
        self.on_done(None, t("会員を取り込みました: {summary}（{file}）", summary=plan.summary(), file=self.path.name))
