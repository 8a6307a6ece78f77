"""Dialogs of 会計連携: the 委託者 setup, a member's 口座振替依頼書, and the result of a debit file."""

from __future__ import annotations

from collections.abc import Callable

from tama_desk.domain import zengin
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import debits
from tama_desk.ui import feedback
from tama_desk.ui.widgets import Column, DataTable, Dialog, Form

ACCOUNT_TYPES = {"1": "普通", "2": "当座"}
OUTCOMES = {"paid": "入金を記録しました", "failed": "未入金のまま（お振込のお願いを送れます）",
            "already": "取込済み（変更なし）"}


def _bank_note(form: Form) -> None:
    """Show the bank and branch names the codes stand for (or why they are not found) as they are typed."""
    bank, branch = form.get("bank"), form.get("branch")
    if len(bank) < 4 or len(branch) < 3:
        form.show("branch", None)
        return
    try:
        bank_name, _kana, branch_name, _branch_kana = zengin.bank_and_branch(bank, branch)
    except zengin.ZenginError as error:
        form.show("branch", t(error.message, **error.params))
        return
    form.show("branch", f"{bank_name} {branch_name}", "success")


def _kana_note(form: Form, key: str) -> None:
    converted = zengin.bank_kana(form.get(key))
    bad = zengin.bad_characters(converted)
    if bad:
        form.show(key, t("全銀で使えない文字があります: {chars}", chars=bad))
    else:
        form.show(key, t("銀行には「{name}」と送ります", name=converted) if converted else None, "secondary")


class _AccountDialog(Dialog):
    """A form of bank, branch, 預金種目 and 口座番号, and a field of half-width kana."""

    name_key = "holder"

    def __init__(self, parent, db, title: str, on_saved: Callable[[], object] | None = None):
        super().__init__(parent, title)
        self.db, self.on_saved = db, on_saved
        self.form = Form(self.body, on_change=self.on_change, on_submit=self.on_save, scroll=False)
        self.add_button(t("保存") + " (Ctrl+S)", self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.close)

    def add_account_fields(self) -> None:
        self.form.add("bank", "金融機関コード", required=True, width=10, hint="4桁（例: 0001）")
        self.form.add("branch", "支店コード", required=True, width=10, hint="3桁")
        self.form.add("type", "預金種目", "choice", choices=ACCOUNT_TYPES, initial="1")
        self.form.add("account", "口座番号", required=True, width=12, hint="7桁まで")

    def on_change(self, key: str) -> None:
        if key in ("bank", "branch"):
            _bank_note(self.form)
        elif key == self.name_key:
            _kana_note(self.form, key)

    def on_save(self) -> None:
        if self.form.check():
            return
        try:
            with self.db.transaction() as session:
                message = self.save(session)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.close()
        feedback.notify(self.parent, message)
        if self.on_saved:
            self.on_saved()

    def save(self, session) -> str:
        raise NotImplementedError


class ClientDialog(_AccountDialog):
    name_key = "name"

    def __init__(self, parent, db, on_saved=None):
        super().__init__(parent, db, t("委託者（口座振替の契約）"), on_saved)
        self.form.add("client_code", "委託者コード", required=True, width=14, hint="銀行から通知された10桁")
        self.form.add("name", "委託者名（半角カナ）", required=True, width=40)
        self.add_account_fields()
        self.form.pack(fill="both", expand=True)
        self.show()

    def save(self, session) -> str:
        form = self.form
        debits.setup_client(session, form.get("client_code"), form.get("name"), form.get("bank"), form.get("branch"),
                            form.get("type"), form.get("account"))
        return t("委託者（口座振替）を保存しました: {code} {name}", code=form.get("client_code"), name=form.get("name"))


class MandateDialog(_AccountDialog):
    def __init__(self, parent, db, row: dict | None = None, on_saved=None):
        super().__init__(parent, db, t("預金口座振替依頼書"), on_saved)
        self.form.add("member", "会員番号", required=True, width=12)
        self.add_account_fields()
        self.form.add("holder", "預金者名（カナ）", required=True, width=34, hint="小さい文字は大きく、全角も半角に直します")
        self.form.pack(fill="both", expand=True)
        self.add_note(t("保存すると「申込中」になります。銀行の登録が済んだら「登録済にする」"))
        if row:
            self.form.set("member", row["number"])
            self.form.set("bank", row["bank"].split(" ")[0])
            self.form.set("branch", row["branch"].split(" ")[0])
            self.form.set("type", next(code for code, label in ACCOUNT_TYPES.items() if label == row["type"]))
            self.form.set("account", row["account"])
            self.form.set("holder", row["holder"])
        self.show()

    def save(self, session) -> str:
        form = self.form
        debits.save_mandate(session, form.get("member"), form.get("bank"), form.get("branch"), form.get("type"),
                            form.get("account"), form.get("holder"))
        return t("会員 {number} の口座振替依頼書を保存しました（申込中）: {holder}", number=form.get("member"),
                 holder=form.get("holder"))


class ResultDialog(Dialog):
    """What a result file did: one line per record; failed debits can get a お振込のお願い."""

    def __init__(self, parent, lines: list[debits.ResultLine], on_letters: Callable[[], object] | None = None):
        super().__init__(parent, t("振替結果"), scroll=False)
        failed = [line for line in lines if line.outcome == "failed"]
        self.add_button(t("閉じる"), self.close, main=True)
        if failed and on_letters:
            self.add_button(t("お振込のお願い…"), lambda: (self.close(), on_letters()), style="primary-outline")
        self.add_note(t("{count} 件（振替済 {paid}・振替不能 {failed}・取込済み {already}）", count=len(lines),
                        paid=sum(line.outcome == "paid" for line in lines), failed=len(failed),
                        already=sum(line.outcome == "already" for line in lines)))
        table = DataTable(self.body, [
            Column("member_number", "会員番号", 80), Column("member_name", "会員名", 220),
            Column("invoice_number", "請求書番号", 100), Column("amount", "金額", 90, format="yen"),
            Column("reason", "結果", 150, value=lambda line: t(line.reason)), Column("outcome", "処理", 260, choices=OUTCOMES, stretch=True)],
            key="customer_number", height=min(14, max(4, len(lines))),
            tag=lambda line: ("danger",) if line.outcome == "failed" else ("muted",) if line.outcome == "already"
            else ())
        table.set_rows(lines)
        table.pack(fill="both", expand=True)
        self.show()
