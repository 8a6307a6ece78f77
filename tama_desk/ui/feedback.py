"""The only place that shows dialogs to the user: errors, confirmations, notices, one-line questions — in the
app's own language (no toolkit dialog with English buttons). `_dialog` and `_prompt` are the two seams tests
replace."""

from __future__ import annotations

import logging
import tkinter

import ttkbootstrap as ttk

from tama_desk import paths
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.ui.background import Cancelled
from tama_desk.ui.widgets.dialog import Dialog
from tama_desk.ui.widgets.measure import wrap

log = logging.getLogger(__name__)
ICONS = {"danger": "⛔", "warning": "⚠", "primary": "ℹ", "question": "？"}
MESSAGE_WRAP = 460


class MessageBox(Dialog):
    """A message with buttons given as "label:style"; the last one is the default (Enter, Ctrl+Enter)."""

    def __init__(self, parent: tkinter.Misc, message: str, title: str, buttons: list[str], icon: str | None = None):
        super().__init__(parent, title, scroll=False, padding=(20, 18, 20, 10))
        self.result: str | None = None
        styles = [button.partition(":")[2] or "secondary" for button in buttons]
        mark = ICONS.get(icon or ("question" if len(buttons) > 1 else styles[-1]), "ℹ")
        ttk.Label(self.body, text=mark, font=(None, 22), bootstyle=styles[-1] if styles[-1] != "secondary" else
                  "primary").pack(side="left", anchor="n", padx=(0, 14))
        self.message = ttk.Label(self.body, text=wrap(self, message, MESSAGE_WRAP), justify="left")
        self.message.pack(side="left", fill="both", expand=True)
        for index, button in reversed(list(enumerate(buttons))):
            label = button.partition(":")[0]
            self.add_button(label, lambda text=label: self.answer(text), style=styles[index],
                            main=index == len(buttons) - 1)
        self.bind("<Return>", self._on_return)
        self.bind("<KP_Enter>", self._on_return)

    def _on_return(self, event) -> str:
        widget = event.widget
        (widget if isinstance(widget, ttk.Button) else self.main_button).invoke()
        return "break"

    def answer(self, text: str | None) -> None:
        self.result = text
        self.close()

    def on_escape(self) -> None:
        self.answer(None)


class PromptDialog(Dialog):
    """A one-line question (a reason, an amount, a date) with OK and キャンセル."""

    def __init__(self, parent: tkinter.Misc, title: str, prompt: str, initial: str = ""):
        super().__init__(parent, title, scroll=False, padding=(20, 16, 20, 8))
        self.result: str | None = None
        ttk.Label(self.body, text=wrap(self, prompt, MESSAGE_WRAP), justify="left").pack(anchor="w")
        self.var = ttk.StringVar(value=initial)
        self.entry = ttk.Entry(self.body, textvariable=self.var, width=52)
        self.entry.pack(fill="x", pady=(8, 0))
        self.entry.bind("<Return>", lambda _e: self.on_ok())
        self.entry.bind("<KP_Enter>", lambda _e: self.on_ok())
        self.add_button(t("OK"), self.on_ok, main=True)
        self.add_button(t("キャンセル"), self.on_escape)

    def on_ok(self) -> None:
        self.result = self.var.get()
        self.close()

    def on_escape(self) -> None:
        self.result = None
        self.close()


def _dialog(parent, message: str, title: str, buttons: list[str], icon: str | None = None) -> str | None:
    box = MessageBox(parent, message, title, buttons, icon)
    box.show()
    box.wait_window()
    return box.result


def _prompt(parent, title: str, prompt: str, initial: str = "") -> str | None:
    dialog = PromptDialog(parent, title, prompt, initial)
    dialog.show(focus=dialog.entry)
    dialog.entry.select_range(0, "end")
    dialog.wait_window()
    return dialog.result


def show_error(parent: tkinter.Misc, error: BaseException) -> None:
    """A UserError is shown as it is; anything else is logged and shown with the log's path."""
    if isinstance(error, Cancelled):
        notify(parent, t("中止しました。何も変更していません。"))
        return
    if getattr(error, "offers_reload", False):
        _offer_reload(parent, error.text())
        return
    if isinstance(error, UserError):
        message = error.text()
        if error.problems:
            shown = [f"・{problem}" for problem in error.problems[:30]]
            if len(error.problems) > 30:
                shown.append(t("ほか {n} 件", n=len(error.problems) - 30))
            message += "\n\n" + "\n".join(shown)
        _dialog(parent, message, t(getattr(error, "title", "") or "入力を確認してください"), [t("OK") + ":primary"])
        return
    log.error("unexpected error", exc_info=error)
    _dialog(parent, t("予期しないエラーが発生しました。\n{error}\n\n詳細はログに記録しました:\n{path}",
                      error=error, path=paths.log_dir()), t("エラー"), [t("OK") + ":danger"])


def _offer_reload(parent: tkinter.Misc, message: str) -> None:
    """A save over another PC's newer change was refused: 閉じない (keep what was typed, to copy it) or load the
    latest — the edit dialog closes without asking and the view is read again (F5)."""
    reload = t("最新の内容を読み込む")
    answer = _dialog(parent, message, t("他のPCで変更されています"),
                     [t("このまま閉じない") + ":secondary", reload + ":primary"], icon="question")
    if answer != reload:
        return
    top, window = parent.winfo_toplevel(), _window_with(parent, "on_refresh")
    if isinstance(top, Dialog):
        top.edited = False
        top.close()
    if hasattr(window, "on_refresh"):
        window.on_refresh()


def act(parent: tkinter.Misc, db, action) -> bool:
    """One user action = one transaction, `action(session)`; a refusal is shown and nothing is written.
    True once it committed (only then may the caller say it is done)."""
    try:
        with db.transaction() as session:
            action(session)
    except UserError as error:
        show_error(parent, error)
        return False
    return True


def confirm(parent: tkinter.Misc, message: str, title: str = "", ok_label: str = "OK", danger: bool = False) -> bool:
    """キャンセル / `ok_label` (the default). True when the user chose `ok_label`."""
    ok = t(ok_label)
    style = "danger" if danger else "primary"
    return _dialog(parent, message, title or t("確認"), [t("キャンセル") + ":secondary", f"{ok}:{style}"],
                   icon="question") == ok


def inform(parent: tkinter.Misc, message: str, title: str = "") -> None:
    _dialog(parent, message, title or t("お知らせ"), [t("OK") + ":primary"])


def notify(parent: tkinter.Misc, message: str, toast: bool | None = None) -> None:
    """What an action did, in the status bar of the main window (no click needed) — and as a toast when
    `toast` is true, or (None) when the user waited for it (see MainWindow.announce)."""
    window = _window_with(parent, "set_status")
    if hasattr(window, "announce"):
        window.announce(message, toast)
    elif hasattr(window, "set_status"):
        window.set_status(message)


def _window_with(widget: tkinter.Misc, attribute: str) -> tkinter.Misc:
    """The nearest toplevel up the chain of masters that has `attribute` (the main window, from a dialog or a
    dialog's dialog), or the outermost one."""
    window = widget.winfo_toplevel()
    while not hasattr(window, attribute) and window.master is not None:
        window = window.master.winfo_toplevel()
    return window


class ProgressDialog(Dialog):
    """A modal progress bar with Cancel, for work started with run_in_thread."""

    def __init__(self, parent: tkinter.Misc, title: str):
        super().__init__(parent, title, scroll=False, padding=(20, 18, 20, 6))
        self.job = None
        self.label = ttk.Label(self.body, text=t("処理しています…"), width=50)
        self.label.pack(anchor="w")
        self.bar = ttk.Progressbar(self.body, mode="indeterminate", length=420)
        self.bar.pack(fill="x", pady=(12, 0))
        self.bar.start(15)
        self.cancel_button = self.add_button(t("キャンセル"), self.on_cancel)
        self.show(focus=self.cancel_button)

    def on_escape(self) -> None:
        self.on_cancel()

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



def ask_text(parent: tkinter.Misc, title: str, prompt: str, initial: str = "") -> str | None:
    """A one-line question (a reason, a date). None when cancelled or left empty."""
    result = _prompt(parent, title, prompt, initial)
    return str(result).strip() if result not in (None, "") and str(result).strip() else None


def ask_reason(parent: tkinter.Misc, title: str, prompt: str) -> str | None:
    """A reason that is recorded (a cancellation, a deletion): asked again while left empty, None on キャンセル."""
    while True:
        result = _prompt(parent, title, prompt, "")
        if result is None:
            return None
        if str(result).strip():
            return str(result).strip()
        inform(parent, t("理由を入力してください"))


def run_with_progress(parent: tkinter.Misc, title: str, work, message) -> None:
    """Slow work off the Tk thread behind a cancellable progress dialog; then `message(result)` in the status
    bar, or the error shown. `work(job)` may call job.report(done, total) and stops at Cancel."""
    from tama_desk.ui.background import run_in_thread

    dialog = ProgressDialog(parent, title)

    def done(result) -> None:
        dialog.close()
        notify(parent, message(result), toast=True)  # long work: said where the user looks, too

    def failed(error: BaseException) -> None:
        dialog.close()
        show_error(parent, error)

    dialog.job = run_in_thread(parent, work, done, failed, dialog.on_progress)


def write_file_with_progress(parent: tkinter.Misc, db, path, build, what: str = "") -> None:
    """Build bytes from a read-only session (`build(session)`) and write them atomically to `path`; then
    「{what}を書き出しました: path」 (`what`: the Japanese name of what was written, e.g. "会員名簿")."""
    from tama_desk.fileio import write_atomic

    def work(_job):
        with db.reading() as session:
            data = build(session)
        write_atomic(path, data)
        return path

    run_with_progress(parent, t("エクスポート"), work, lambda written: written_message(what, written))


def written_message(what: str, path) -> str:
    """「会員名簿を書き出しました: C:\\…\\会員名簿.xlsx」 (`what` translated by t() as a field value)."""
    if what:
        return t("{what}を書き出しました: {path}", what=what, path=path)
    return t("書き出しました: {path}", path=path)
