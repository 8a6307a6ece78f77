"""The only place that shows dialogs to the user: errors, confirmations, notices."""

from __future__ import annotations

import logging
import tkinter

import ttkbootstrap as ttk
from ttkbootstrap.dialogs import MessageDialog

from tama_desk import paths
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.ui.background import Cancelled

log = logging.getLogger(__name__)


def _dialog(parent, message: str, title: str, buttons: list[str], icon: str | None = None) -> str | None:
    dialog = MessageDialog(message=message, title=title, parent=parent, buttons=buttons, localize=False,
                           icon=icon, width=60)
    dialog.show()
    return dialog.result


def show_error(parent: tkinter.Misc, error: BaseException) -> None:
    """A UserError is shown as it is; anything else is logged and shown with the log's path."""
    if isinstance(error, Cancelled):
        notify(parent, t("中止しました。何も変更していません。"))
        return
    if isinstance(error, UserError):
        message = error.text()
        if error.problems:
            shown = [f"・{problem}" for problem in error.problems[:30]]
            if len(error.problems) > 30:
                shown.append(t("ほか {n} 件", n=len(error.problems) - 30))
            message += "\n\n" + "\n".join(shown)
        _dialog(parent, message, t("入力を確認してください"), [t("OK") + ":primary"])
        return
    log.error("unexpected error", exc_info=error)
    _dialog(parent, t("予期しないエラーが発生しました。\n{error}\n\n詳細はログに記録しました:\n{path}",
                      error=error, path=paths.log_dir()), t("エラー"), [t("OK") + ":danger"])


def confirm(parent: tkinter.Misc, message: str, title: str = "", ok_label: str = "OK") -> bool:
    ok = t(ok_label)
    return _dialog(parent, message, title or t("確認"), [t("キャンセル") + ":secondary", ok + ":primary"]) == ok


def inform(parent: tkinter.Misc, message: str, title: str = "") -> None:
    _dialog(parent, message, title or t("お知らせ"), [t("OK") + ":primary"])


def notify(parent: tkinter.Misc, message: str) -> None:
    """A short notice in the status bar of the main window (no click needed)."""
    window = parent.winfo_toplevel()
    while not hasattr(window, "set_status") and window.master is not None:
        window = window.master.winfo_toplevel()
    if hasattr(window, "set_status"):
        window.set_status(message)


class ProgressDialog(ttk.Toplevel):
    """A modal progress bar with Cancel, for work started with run_in_thread."""

    def __init__(self, parent: tkinter.Misc, title: str):
        super().__init__(title=title, transient=parent.winfo_toplevel(), resizable=(False, False))
        self.job = None
        frame = ttk.Frame(self, padding=20)
        frame.pack(fill="both", expand=True)
        self.label = ttk.Label(frame, text=t("処理しています…"), width=50)
        self.label.pack(anchor="w")
        self.bar = ttk.Progressbar(frame, mode="indeterminate", length=420)
        self.bar.pack(fill="x", pady=12)
        self.bar.start(15)
        self.cancel_button = ttk.Button(frame, text=t("キャンセル"), bootstyle="secondary", command=self.on_cancel)
        self.cancel_button.pack(anchor="e")
        self.protocol("WM_DELETE_WINDOW", self.on_cancel)
        self.bind("<Escape>", lambda _e: self.on_cancel())
        self.grab_set()

    def on_progress(self, done: int, total: int, text: str = "") -> None:
        if total:
            if str(self.bar.cget("mode")) != "determinate":
                self.bar.stop()
                self.bar.configure(mode="determinate", maximum=total)
            self.bar.configure(value=done)
        self.label.configure(text=text or t("{done} / {total} 件", done=done, total=total))

    def on_cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.configure(state="disabled")
            self.label.configure(text=t("中止しています…"))

    def close(self) -> None:
        self.grab_release()
        self.destroy()


def ask_text(parent: tkinter.Misc, title: str, prompt: str, initial: str = "") -> str | None:
    """A one-line question (a reason, a date). None when cancelled."""
    from ttkbootstrap.dialogs import QueryDialog

    dialog = QueryDialog(prompt=prompt, title=title, initialvalue=initial, parent=parent)
    dialog.show()
    result = dialog.result
    return str(result).strip() if result not in (None, "") else None


def run_with_progress(parent: tkinter.Misc, title: str, work, message) -> None:
    """Slow work off the Tk thread behind a cancellable progress dialog; then `message(result)` in the status
    bar, or the error shown. `work(job)` may call job.report(done, total) and stops at Cancel."""
    from tama_desk.ui.background import run_in_thread

    dialog = ProgressDialog(parent, title)

    def done(result) -> None:
        dialog.close()
        notify(parent, message(result))

    def failed(error: BaseException) -> None:
        dialog.close()
        show_error(parent, error)

    dialog.job = run_in_thread(parent, work, done, failed, dialog.on_progress)


def write_file_with_progress(parent: tkinter.Misc, db, path, build) -> None:
    """Build bytes from a read-only session (`build(session)`) and write them atomically to `path`."""
    from tama_desk.fileio import write_atomic

    def work(_job):
        with db.reading() as session:
            data = build(session)
        write_atomic(path, data)
        return path

    run_with_progress(parent, t("エクスポート"), work, lambda written: t("書き出しました: {path}", path=written))
