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
from tama_desk.ui.layout import WARNING_COLOUR, center_over, paint

DANGER_COLOUR = "#b02a37"


class ImportPreviewDialog(ttk.Toplevel):
    COLUMNS = [("line", "行", 60, "e"), ("what", "内容", 140, "w"), ("detail", "詳細", 500, "w")]
    ADVICE = "ファイルを直してから、もう一度インポートしてください。"

    def __init__(self, parent, app, path: Path, on_done, title: str, size: tuple[int, int]):
        super().__init__(title=f"{title} — {path.name}", transient=parent.winfo_toplevel(), size=size)
        self.app, self.path, self.on_done = app, path, on_done
        self.job = None
        self.create_widgets(size[0] - 60)
        self.bind("<Escape>", lambda _e: self.on_close())
        self.protocol("WM_DELETE_WINDOW", self.on_close)
        center_over(self, parent)
        self.grab_set()
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
        frame = ttk.Frame(self, padding=16)
        frame.pack(fill="both", expand=True)
        self.summary = ttk.Label(frame, text=t("ファイルを確認しています…"), font=(None, 11, "bold"), wraplength=wrap,
                                 justify="left")
        self.summary.pack(anchor="w")
        self.progress = ttk.Progressbar(frame, mode="indeterminate")
        self.progress.pack(fill="x", pady=8)
        table = ttk.Frame(frame)
        table.pack(fill="both", expand=True)
        self.tree = ttk.Treeview(table, columns=[c[0] for c in self.COLUMNS], show="headings", height=14)
        for key, heading, width, anchor in self.COLUMNS:
            self.tree.heading(key, text=t(heading))
            self.tree.column(key, width=width, anchor=anchor, stretch=key == self.COLUMNS[-1][0])
        self.tree.tag_configure("warning", foreground=WARNING_COLOUR)
        self.tree.tag_configure("danger", foreground=DANGER_COLOUR)
        scroll = ttk.Scrollbar(table, orient="vertical", command=self.tree.yview)
        self.tree.configure(yscrollcommand=scroll.set)
        scroll.pack(side="right", fill="y")
        self.tree.pack(side="left", fill="both", expand=True)
        bar = ttk.Frame(frame, padding=(0, 10, 0, 0))
        bar.pack(fill="x")
        self.import_button = ttk.Button(bar, text=t("取り込む"), bootstyle="primary", state="disabled",
                                        command=self.on_import)
        self.import_button.pack(side="right")
        self.close_button = ttk.Button(bar, text=t("キャンセル"), bootstyle="secondary", command=self.on_close)
        self.close_button.pack(side="right", padx=8)

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
        self.import_button.focus_set()

    def on_preview_failed(self, error: BaseException) -> None:
        self.stop_progress()
        self.job = None
        if not isinstance(error, UserError):
            self.destroy()
            feedback.show_error(self.master, error)
            return
        paint(self.summary, f"{error.text()}\n{t(self.ADVICE)}", "danger")
        for problem in error.problems:
            self.tree.insert("", "end", values=(problem.row or "", t(problem.field), t(problem.reason)),
                             tags=("danger",))
        self.close_button.configure(text=t("閉じる"))

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
        self.destroy()
        self.finish(result)

    def on_import_failed(self, error: BaseException) -> None:
        self.job = None
        self.destroy()
        feedback.show_error(self.master, error)

    def on_close(self) -> None:
        """Closing while work runs cancels it: the transaction is rolled back, nothing is imported."""
        if self.job is not None:
            self.job.cancel()
        self.destroy()


class MemberImportDialog(ImportPreviewDialog):
    def __init__(self, parent, app, path: Path, on_done):
        super().__init__(parent, app, path, on_done, t("会員のインポート"), (760, 520))

    def preview(self, session):
        return import_members(session, self.path, dry_run=True)

    def run_import(self, session, job):
        return import_members(session, self.path, progress=job.report)

    def fill_preview(self, plan) -> None:
        paint(self.summary, t("取り込むと: {summary}。よろしければ「取り込む」を押してください。",
                              summary=plan.summary()), "default")
        for line, number, name in plan.created:
            self.tree.insert("", "end", values=(line, t("新規"), f"{number} {name}"))
        for line, number, name in plan.updated:
            self.tree.insert("", "end", values=(line, t("更新（会員番号が一致）"), f"{number} {name}"))
        self.import_button.configure(state="normal")

    def finish(self, plan) -> None:
        self.on_done(None, t("取り込みました: {summary}", summary=plan.summary()))
