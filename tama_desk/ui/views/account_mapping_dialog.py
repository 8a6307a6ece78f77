"""設定 → 会計ソフトとの連携: the account mapping (勘定科目 per role and per 費目), checked as it is typed against
the list of account names pasted from the accountant's software, so a typo is seen before any export.

Opened from the 設定 view and from 会計連携 (a shortcut to the same dialog)."""

from __future__ import annotations

from collections.abc import Callable

import ttkbootstrap as ttk

from tama_desk.domain.journal import unknown_accounts
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import accounting
from tama_desk.ui import feedback
from tama_desk.ui.widgets import Dialog, Form

NOT_KNOWN = "科目一覧にありません"  # short: it fits under a field
IN_MEMO = {"no": "部門欄に入れる", "yes": "摘要に入れる（弥生 スタンダード）"}


class AccountMappingDialog(Dialog):
    def __init__(self, parent, app, on_saved: Callable[[], object] | None = None):
        super().__init__(parent, t("勘定科目の対応（会計ソフト）"))
        self.app, self.on_saved = app, on_saved
        with app.db.reading() as session:
            self.rows = accounting.mapping_rows(session)
            options = accounting.settings(session)
            known, in_memo, fixed = options.known_accounts, options.department_in_memo, options.annual_fixed_costs
        columns = ttk.Frame(self.body)
        columns.pack(fill="both", expand=True)
        self.form = form = Form(columns, scroll=False, on_change=self.on_change, on_submit=self.on_save)
        for row in self.rows:
            cost = row["role"].startswith("cost:")
            label = t("経費: {category}", category=row["label"]) if cost else row["label"]
            form.add(row["role"], label, column=2 if cost else 0, width=16, initial=row["account"])
        form.pack(side="left", fill="y", anchor="n")
        # the pasted list and the options: a form of their own, so its tall text does not stretch the rows
        self.options = options_form = Form(columns, scroll=False, on_change=self.on_change, on_submit=self.on_save,
                                           hint_wrap=230)
        options_form.add("known", "科目一覧（貼り付け）", "text", height=12, width=26, initial=known,
                         hint="会計ソフトから科目名をコピーして貼り付けると、綴りの違いを書き出し前に見つけます")
        options_form.add("in_memo", "部門の扱い", "choice", choices=IN_MEMO, initial="yes" if in_memo else "no")
        options_form.add("fixed", "年間固定費（円）", "amount", initial=fixed,
                         hint="自立化の月数の計算に使います（人件費・家賃など毎年かかる費用）")
        options_form.pack(side="left", fill="both", expand=True, padx=(24, 0), anchor="n")
        self.add_button(t("保存"), self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.close)
        self.summary = self.add_note()
        self.on_change("known")
        self.edited = False
        self.show(focus=form.widgets[self.rows[0]["role"]])

    def roles(self) -> list[str]:
        return [row["role"] for row in self.rows]

    def typed(self, role: str, default: str) -> str:
        return self.form.get(role) or default

    def unknown(self) -> list[str]:
        """The names typed that the pasted list lacks (none when nothing is pasted)."""
        names = [self.typed(row["role"], row["default"]) for row in self.rows]
        return unknown_accounts(names, self.options.get("known").splitlines())

    def on_change(self, key: str) -> None:
        if key in ("in_memo", "fixed"):
            return
        self.mark_edited()
        missing = set(self.unknown())
        for row in self.rows:
            role, name = row["role"], self.typed(row["role"], row["default"])
            # the default is named under a field once it differs from it
            self.form.hints[role] = t("既定: {name}", name=row["default"]) if name != row["default"] else ""
            self.form.show(role, NOT_KNOWN if name in missing else None)
        if not self.options.get("known"):
            self.summary.configure(text=t("科目一覧を貼り付けると、ない科目を赤で示します"), bootstyle="secondary")
        elif missing:
            names = sorted(missing)
            shown = "、".join(names[:4]) + ("…" if len(names) > 4 else "")
            self.summary.configure(text=t("科目一覧にない科目 {count} 件: {names}", count=len(names), names=shown),
                                   bootstyle="danger")
        else:
            self.summary.configure(text=t("すべての科目が科目一覧にあります"), bootstyle="success")

    def on_save(self) -> None:
        if self.form.check() or self.options.check():
            return
        form, options = self.form, self.options
        try:
            with self.app.db.transaction() as session:
                accounting.set_accounts(session, {role: form.get(role) for role in self.roles()},
                                        {row["role"]: row["account"] for row in self.rows})  # what was shown
                accounting.set_options(session, known_accounts=options.get("known"),
                                       department_in_memo=options.value("in_memo") == "yes",
                                       annual_fixed_costs=options.value("fixed") or 0)
                unknown = accounting.check_accounts(session)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.close()
        if unknown:
            feedback.inform(self.parent, t("会計ソフトの科目一覧にない勘定科目があります: {names}（設定で直してください）",
                                           names="、".join(unknown)))
        else:
            feedback.notify(self.parent, t("勘定科目を保存しました: {n} 科目", n=len(self.roles())))
        if self.on_saved:
            self.on_saved()
