"""年度別の会費: each membership type's annual fee, tax treatment, admission fee and mid-year rule for one
fiscal year (fees change between years; the billing run uses the year's row)."""

from __future__ import annotations

import ttkbootstrap as ttk

from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.domain.proration import PRORATIONS
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import fees
from tama_desk.ui import feedback
from tama_desk.ui.widgets import Column, DataTable, Dialog, Form


class FeeScheduleDialog(Dialog):
    def __init__(self, parent, app, year: int):
        super().__init__(parent, t("{year}年度の会費", year=year))
        self.app, self.year = app, year
        ttk.Label(self.body, text=t("一覧で種別を選び、下で変更して「保存」。保存しない年度は会員種別の年会費で請求します。"),
                  bootstyle="secondary", wraplength=620, justify="left").pack(anchor="w", pady=(0, 8))
        self.table = DataTable(self.body, [
            Column("type", "会員種別", 120, format=t), Column("fee", "年会費（円）", 100, format="yen"),
            Column("tax", "税区分", 90, "center", choices=TAX_CATEGORIES),
            Column("admission", "入会金（円）", 100, format="yen"),
            Column("proration", "年度途中の入会", 220, choices=PRORATIONS, stretch=True)],
            key="type", height=6, on_select=self.on_selected)
        self.table.pack(fill="x")
        self.tree = self.table.tree
        self.form = Form(self.body, scroll=False, on_submit=self.on_save)
        self.form.add("fee", "年会費（円）", "amount", width=14, required=True)
        self.form.add("tax", "税区分", "choice", choices=TAX_CATEGORIES)
        self.form.add("admission", "入会金（円）", "amount", width=14, column=2, row=0)
        self.form.add("proration", "年度途中の入会", "choice", choices=PRORATIONS, column=2, row=1)
        self.form.pack(fill="x", pady=(10, 0))
        self.vars = self.form.vars
        self.add_button(t("保存") + " (Ctrl+S)", self.on_save, main=True, save=True)
        self.add_button(t("閉じる"), self.on_escape)
        self.refresh()
        self.show(focus=self.table.tree)
        self.table.focus_first()  # the first type selected: its values below, ready to change

    def refresh(self) -> None:
        with self.app.db.reading() as session:
            rows = [{"type": row.membership_type.name, "fee": row.annual_fee, "tax": row.tax_category,
                     "admission": row.admission_fee, "proration": row.proration}
                    for row in fees.schedule_for(session, self.year).values()]
        self.table.set_rows(rows, keep_order=True)

    def on_selected(self, key) -> None:
        row = self.table.row(key) if key is not None else None
        if row:
            for field in ("fee", "tax", "admission", "proration"):
                self.form.set(field, row[field])
            self.edited = False

    def on_save(self) -> None:
        chosen = self.table.selected()
        if chosen is None:
            feedback.inform(self, t("会員種別を一覧で選んでください"))
            return
        try:
            values = self.form.read()
            with self.app.db.transaction() as session:
                fees.set_fee(session, self.year, chosen, values["fee"], values["tax"], values["admission"] or 0,
                             values["proration"])
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.edited = False
        self.refresh()
        feedback.notify(self.master, t("{year}年度の会費を保存しました: {type} {fee:,}円", year=self.year, type=chosen,
                                       fee=values["fee"]))
