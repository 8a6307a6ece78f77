"""設定 → 会計ソフトとの連携: the account mapping (勘定科目 per role and per 費目), checked as it is typed against
the list of account names pasted from the accountant's software, so a typo is seen before any export.

Opened from the 設定 view and from 会計連携 (a shortcut to the same dialog)."""

from __future__ import annotations

from collections.abc import Callable

from tama_desk.domain.journal import unknown_accounts
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import accounting
from tama_desk.ui import feedback
from tama_desk.ui.widgets import Dialog, Form

NOT_KNOWN = "会計ソフトの科目一覧にありません"
IN_MEMO = {"no": "部門欄に入れる", "yes": "摘要に入れる（弥生 スタンダード）"}


class AccountMappingDialog(Dialog):
    def __init__(self, parent, app, on_saved: Callable[[], object] | None = None):
        super().__init__(parent, t("勘定科目の対応（会計ソフト）"))
        self.app, self.on_saved = app, on_saved
        with app.db.reading() as session:
            self.rows = accounting.mapping_rows(session)
            options = accounting.settings(session)
            known, in_memo, fixed = options.known_accounts, options.department_in_memo, options.annual_fixed_costs
        self.form = form = Form(self.body, scroll=False, on_change=self.on_change, on_submit=self.on_save,
                                hint_wrap=200)
        for row in self.rows:
            cost = row["role"].startswith("cost:")
            label = t("経費: {category}", category=row["label"]) if cost else row["label"]
            form.add(row["role"], label, column=2 if cost else 0, width=16, initial=row["account"],
                     hint=t("既定: {name}", name=row["default"]))
        form.add("known", "科目一覧（貼り付け）", "text", column=4, height=9, width=26, initial=known,
                 hint="会計ソフトから科目名をコピーして貼り付けると、綴りの違いを書き出し前に見つけます")
        form.add("in_memo", "部門の扱い", "choice", column=4, choices=IN_MEMO, initial="yes" if in_memo else "no")
        form.add("fixed", "年間固定費（円）", "amount", column=4, initial=fixed,
                 hint="自立化の月数の計算に使います（人件費・家賃など毎年かかる費用）")
        form.pack(fill="both", expand=True)
        self.add_button(t("保存"), self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.close)
        self.summary = self.add_note()
        self.on_change("known")
        self.edited = False
        self.show(focus=form.widgets[self.rows[0]["role"]])

    def roles(self) -> list[str]:
        return [row["role"] for row in self.rows]

    def unknown(self) -> list[str]:
        """The names typed that the pasted list lacks (none when nothing is pasted)."""
        names = [self.form.get(role) or row["default"] for role, row in zip(self.roles(), self.rows, strict=True)]
        return unknown_accounts(names, self.form.get("known").splitlines())

    def on_change(self, key: str) -> None:
        if key in ("in_memo", "fixed"):
            return
        self.mark_edited()
        missing = set(self.unknown())
        for role, row in zip(self.roles(), self.rows, strict=True):
            self.form.show(role, NOT_KNOWN if (self.form.get(role) or row["default"]) in missing else None)
        pasted = self.form.get("known")
        if not pasted:
            self.summary.configure(text=t("科目一覧を貼り付けると、ない科目を赤で示します"), bootstyle="secondary")
        elif missing:
            self.summary.configure(text=t("科目一覧にない科目: {names}", names="、".join(sorted(missing))),
                                   bootstyle="danger")
        else:
            self.summary.configure(text=t("すべての科目が科目一覧にあります"), bootstyle="success")

    def on_save(self) -> None:
        if self.form.check():
            return
        form = self.form
        try:
            with self.app.db.transaction() as session:
                accounting.set_accounts(session, {role: form.get(role) for role in self.roles()})
                accounting.set_options(session, known_accounts=form.get("known"),
                                       department_in_memo=form.value("in_memo") == "yes",
                                       annual_fixed_costs=form.value("fixed") or 0)
                unknown = accounting.check_accounts(session)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.close()
        if unknown:
            feedback.inform(self.parent, t("会計ソフトの科目一覧にない勘定科目があります: {names}（設定で直してください）",
                                           names="、".join(unknown)))
        else:
            feedback.notify(self.parent, t("勘定科目を保存しました"))
        if self.on_saved:
            self.on_saved()
