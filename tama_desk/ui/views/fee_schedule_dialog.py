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
from tama_desk.ui.layout import center_over


class FeeScheduleDialog(ttk.Toplevel):
    def __init__(self, parent, app, year: int):
        super().__init__(title=t("{year}年度の会費", year=year), transient=parent.winfo_toplevel(),
                         resizable=(False, False))
        self.app, self.year = app, year
        frame = ttk.Frame(self, padding=16)
        frame.pack(fill="both", expand=True)
        ttk.Label(frame, text=t("一覧で種別を選び、下で変更して「保存」。保存しない年度は会員種別の年会費で請求します。"),
                  bootstyle="secondary").pack(anchor="w", pady=(0, 8))
        self.tree = ttk.Treeview(frame, columns=("type", "fee", "tax", "admission", "proration"), show="headings",
                                 height=6)
        for key, heading, width, anchor in [("type", "会員種別", 110, "w"), ("fee", "年会費（円）", 100, "e"),
                                            ("tax", "税区分", 90, "center"), ("admission", "入会金（円）", 100, "e"),
                                            ("proration", "年度途中の入会", 200, "w")]:
            self.tree.heading(key, text=t(heading))
            self.tree.column(key, width=width, anchor=anchor)
        self.tree.pack(fill="x")
        self.tree.bind("<<TreeviewSelect>>", lambda _e: self.on_selected())
        form = ttk.Frame(frame, padding=(0, 10, 0, 0))
        form.pack(fill="x")
        self.vars = {key: ttk.StringVar() for key in ("fee", "tax", "admission", "proration")}
        widgets = [("年会費（円）", ttk.Entry(form, textvariable=self.vars["fee"], width=10, justify="right")),
                   ("税区分", ttk.Combobox(form, textvariable=self.vars["tax"], state="readonly", width=9,
                                        values=[t(label) for label in TAX_CATEGORIES.values()])),
                   ("入会金（円）", ttk.Entry(form, textvariable=self.vars["admission"], width=9, justify="right")),
                   ("年度途中の入会", ttk.Combobox(form, textvariable=self.vars["proration"], state="readonly", width=22,
                                            values=[t(label) for label in PRORATIONS.values()]))]
        for label, widget in widgets:
            ttk.Label(form, text=t(label)).pack(side="left", padx=(0, 4))
            widget.pack(side="left", padx=(0, 10))
        bar = ttk.Frame(frame, padding=(0, 12, 0, 0))
        bar.pack(fill="x")
        ttk.Button(bar, text=t("閉じる"), bootstyle="secondary", command=self.destroy).pack(side="right")
        ttk.Button(bar, text=t("保存"), bootstyle="primary", command=self.on_save).pack(side="right", padx=8)
        self.bind("<Escape>", lambda _e: self.destroy())
        self.refresh()
        center_over(self, parent)
        self.grab_set()

    def refresh(self) -> None:
        selected = self.tree.selection()
        self.tree.delete(*self.tree.get_children())
        with self.app.db.reading() as session:
            for row in fees.schedule_for(session, self.year).values():
                self.tree.insert("", "end", iid=row.membership_type.name, values=(
                    row.membership_type.name, f"{row.annual_fee:,}", t(TAX_CATEGORIES[row.tax_category]),
                    f"{row.admission_fee:,}", t(PRORATIONS[row.proration])))
        if selected and self.tree.exists(selected[0]):
            self.tree.selection_set(selected[0])

    def on_selected(self) -> None:
        selection = self.tree.selection()
        if selection:
            _type, fee, tax, admission, proration = self.tree.item(selection[0], "values")
            for key, value in (("fee", fee), ("tax", tax), ("admission", admission), ("proration", proration)):
                self.vars[key].set(str(value).replace(",", "") if key in ("fee", "admission") else value)

    def on_save(self) -> None:
        selection = self.tree.selection()
        if not selection:
            feedback.inform(self, t("会員種別を一覧で選んでください"))
            return
        fee, admission = self.vars["fee"].get().replace(",", "").strip(), self.vars["admission"].get().replace(",", "")
        try:
            if not fee.isdigit() or not (admission.strip() or "0").isdigit():
                raise UserError(t("年会費と入会金は0以上の整数（円）で入力してください"))
            tax = next(code for code, label in TAX_CATEGORIES.items() if t(label) == self.vars["tax"].get())
            rule = next(code for code, label in PRORATIONS.items() if t(label) == self.vars["proration"].get())
            with self.app.db.transaction() as session:
                fees.set_fee(session, self.year, selection[0], int(fee), tax, int(admission.strip() or 0), rule)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.refresh()
        feedback.notify(self.master, t("{year}年度の会費を保存しました", year=self.year))
