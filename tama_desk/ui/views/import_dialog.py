"""Member import: a preview of what would happen (or every problem), then the import itself."""

from __future__ import annotations

from pathlib import Path

import ttkbootstrap as ttk

from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services.member_import import import_members
from tama_desk.ui import feedback
from tama_desk.ui.background import run_in_thread
from tama_desk.ui.layout import center_over


class MemberImportDialog(ttk.Toplevel):
    def __init__(self, parent, app, path: Path, on_done):
        super().__init__(title=t("会員のインポート") + f" — {path.name}", transient=parent.winfo_toplevel(),
                         size=(760, 520))
        self.app, self.path, self.on_done = app, path, on_done
        self.job = None
        self.create_widgets()
        self.bind("<Escape>", lambda _e: self.on_close())
        self.protocol("WM_DELETE_WINDOW", self.on_close)
        center_over(self, parent)
        self.grab_set()
        self.start_preview()

    def create_widgets(self) -> None:
        frame = ttk.Frame(self, padding=16)
        frame.pack(fill="both", expand=True)
        self.summary = ttk.Label(frame, text=t("ファイルを確認しています…"), font=(None, 11, "bold"), wraplength=700)
        self.summary.pack(anchor="w")
        self.progress = ttk.Progressbar(frame, mode="indeterminate")
        self.progress.pack(fill="x", pady=8)
        self.tree = ttk.Treeview(frame, columns=("line", "what", "detail"), show="headings", height=14)
        for key, heading, width in [("line", "行", 60), ("what", "内容", 140), ("detail", "詳細", 500)]:
            self.tree.heading(key, text=t(heading))
            self.tree.column(key, width=width, stretch=key == "detail")
        self.tree.pack(fill="both", expand=True)
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
                return import_members(session, self.path, dry_run=True)

        self.job = run_in_thread(self, work, self.on_preview, self.on_preview_failed)

    def on_preview(self, plan) -> None:
        self.progress.stop()
        self.job = None
        self.summary.configure(text=t("取り込むと: {summary}。よろしければ「取り込む」を押してください。",
                                      summary=plan.summary()), bootstyle="default")
        for line, number, name in plan.created:
            self.tree.insert("", "end", values=(line, t("新規"), f"{number} {name}"))
        for line, number, name in plan.updated:
            self.tree.insert("", "end", values=(line, t("更新（会員番号が一致）"), f"{number} {name}"))
        self.import_button.configure(state="normal")
        self.import_button.focus_set()

    def on_preview_failed(self, error: BaseException) -> None:
        self.progress.stop()
        self.job = None
        if not isinstance(error, UserError):
            self.destroy()
            feedback.show_error(self.master, error)
            return
        advice = t("ファイルを直してから、もう一度インポートしてください。")
        self.summary.configure(text=f"{t(error.message)}\n{advice}", bootstyle="danger")
        for problem in error.problems or []:
            where = f"{problem.field}"
            self.tree.insert("", "end", values=(problem.row or "", where, t(problem.reason)))
        self.close_button.configure(text=t("閉じる"))

    def on_import(self) -> None:
        self.import_button.configure(state="disabled")
        self.progress.configure(mode="determinate", value=0)

        def work(job):
            with self.app.db.transaction() as session:
                return import_members(session, self.path, progress=job.report)

        self.job = run_in_thread(self, work, self.on_imported, self.on_import_failed, self.on_progress)

    def on_progress(self, done: int, total: int, _text: str = "") -> None:
        self.progress.configure(maximum=total, value=done)

    def on_imported(self, plan) -> None:
        self.job = None
        self.destroy()
        self.on_done(None, t("取り込みました: {summary}", summary=plan.summary()))

    def on_import_failed(self, error: BaseException) -> None:
        self.job = None
        self.destroy()
        feedback.show_error(self.master, error)

    def on_close(self) -> None:
        """Closing while work runs cancels it: the transaction is rolled back, nothing is imported."""
        if self.job is not None:
            self.job.cancel()
        self.destroy()
