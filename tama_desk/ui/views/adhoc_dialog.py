"""請求書の作成: a one-off invoice (入会金, seminar or event fee …) to a member, with a live total."""

from __future__ import annotations

from datetime import date, timedelta

import ttkbootstrap as ttk

from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.domain.kana import search_key
from tama_desk.domain.tax import Line, grand_total, rate_totals
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import invoices, members
from tama_desk.ui import feedback
from tama_desk.ui.layout import center_over
from tama_desk.ui.views.fee_dialogs import _date_from

LINE_ROWS = 5


class AdHocInvoiceDialog(ttk.Toplevel):
    def __init__(self, parent, app, on_done):
        super().__init__(title=t("請求書の作成"), transient=parent.winfo_toplevel(), resizable=(False, False))
        self.app, self.on_done = app, on_done
        with app.db.reading() as session:
            self.choices = [(row.id, f"{row.number} {row.name}") for row in members.search_members(session)
                            if row.status != "withdrawn"]
        frame = ttk.Frame(self, padding=16)
        frame.pack(fill="both", expand=True)
        self.vars = {"member": ttk.StringVar(), "purpose": ttk.StringVar(value=t(invoices.PURPOSES["event"])),
                     "subject": ttk.StringVar(), "issue": ttk.StringVar(value=date.today().isoformat()),
                     "due": ttk.StringVar(value=(date.today() + timedelta(days=30)).isoformat()),
                     "transaction": ttk.StringVar(value=date.today().isoformat())}
        labels = [("member", "請求先（番号・名前で検索）"), ("purpose", "種類"), ("subject", "件名"), ("transaction", "取引日"),
                  ("issue", "発行日"), ("due", "お支払期限")]
        for row, (key, label) in enumerate(labels):
            ttk.Label(frame, text=t(label)).grid(row=row, column=0, sticky="w", padx=(0, 8), pady=2)
            if key == "member":
                widget = ttk.Combobox(frame, textvariable=self.vars[key], width=48,
                                      values=[text for _id, text in self.choices[:500]])
                widget.bind("<KeyRelease>", lambda _e, w=widget: self.on_member_typed(w))
                self.member_box = widget
            elif key == "purpose":
                widget = ttk.Combobox(frame, textvariable=self.vars[key], state="readonly", width=48,
                                      values=[t(label) for label in invoices.PURPOSES.values()])
            else:
                widget = ttk.Entry(frame, textvariable=self.vars[key], width=50)
            widget.grid(row=row, column=1, columnspan=4, sticky="ew", pady=2)
        self.create_lines(frame, len(labels))
        bar = ttk.Frame(frame, padding=(0, 12, 0, 0))
        bar.grid(row=len(labels) + LINE_ROWS + 3, column=0, columnspan=5, sticky="ew")
        self.total_label = ttk.Label(bar, text="", font=(None, 11, "bold"))
        self.total_label.pack(side="left")
        ttk.Button(bar, text=t("発行する"), bootstyle="primary", command=self.on_issue).pack(side="right")
        ttk.Button(bar, text=t("キャンセル"), bootstyle="secondary", command=self.destroy).pack(side="right", padx=8)
        self.bind("<Escape>", lambda _e: self.destroy())
        center_over(self, parent)
        self.member_box.focus_set()
        self.grab_set()

    def create_lines(self, frame, first_row: int) -> None:
        headings = [("内容", 34), ("数量", 6), ("単価（円）", 11), ("税区分", 10)]
        for column, (heading, _width) in enumerate(headings, start=1):
            ttk.Label(frame, text=t(heading)).grid(row=first_row + 1, column=column, sticky="w", pady=(12, 2))
        ttk.Label(frame, text=t("明細")).grid(row=first_row + 1, column=0, sticky="w", pady=(12, 2))
        self.lines = []
        for index in range(LINE_ROWS):
            row = {"description": ttk.StringVar(), "quantity": ttk.StringVar(value="1" if index == 0 else ""),
                   "price": ttk.StringVar(), "tax": ttk.StringVar(value=t(TAX_CATEGORIES["standard_10"]))}
            for column, (key, (_heading, width)) in enumerate(zip(("description", "quantity", "price", "tax"),
                                                                  headings, strict=True), start=1):
                if key == "tax":
                    widget = ttk.Combobox(frame, textvariable=row[key], state="readonly", width=width,
                                          values=[t(label) for label in TAX_CATEGORIES.values()])
                else:
                    widget = ttk.Entry(frame, textvariable=row[key], width=width,
                                       justify="right" if key != "description" else "left")
                widget.grid(row=first_row + 2 + index, column=column, sticky="ew", padx=(0, 4), pady=1)
                row[key].trace_add("write", lambda *_: self.update_total())
            self.lines.append(row)

    def on_member_typed(self, box) -> None:
        words = [search_key(word) for word in self.vars["member"].get().split()]
        found = [text for _id, text in self.choices if all(word in search_key(text) for word in words)]
        box.configure(values=found[:500])

    def collect_lines(self) -> list[Line]:
        lines = []
        for index, row in enumerate(self.lines, start=1):
            description = row["description"].get().strip()
            quantity, price = row["quantity"].get().replace(",", "").strip(), row["price"].get().replace(",", "").strip()
            if not description and not price:
                continue
            if not description or not quantity.isdigit() or not price.isdigit() or int(quantity) < 1:
                raise UserError(t("明細 {n} 行目: 内容・数量（1以上の整数）・単価（0以上の整数）を入力してください", n=index))
            category = next(code for code, label in TAX_CATEGORIES.items() if t(label) == row["tax"].get())
            lines.append(Line(description, int(quantity), int(price), category))
        if not lines:
            raise UserError(t("明細を1行以上入力してください"))
        return lines

    def update_total(self) -> None:
        try:
            lines = self.collect_lines()
        except UserError:
            self.total_label.configure(text="")
            return
        total = grand_total(rate_totals(lines))
        self.total_label.configure(text=t("ご請求金額 {total:,}円（税込）", total=total))

    def member_id(self) -> int:
        shown = self.vars["member"].get().strip()
        match = next((member_id for member_id, text in self.choices if text == shown), None)
        if match is None:
            raise UserError(t("「請求先」: 一覧から会員を選んでください"))
        return match

    def on_issue(self) -> None:
        purpose = next(code for code, label in invoices.PURPOSES.items() if t(label) == self.vars["purpose"].get())
        try:
            member_id, lines = self.member_id(), self.collect_lines()
            issue_date = _date_from(self.vars["issue"], "発行日")
            due_date = _date_from(self.vars["due"], "お支払期限")
            transaction_date = _date_from(self.vars["transaction"], "取引日")
            if not feedback.confirm(self, t("請求書を発行します。発行後は変更できません（取消・再発行のみ）。"), ok_label="発行する"):
                return
            with self.app.db.transaction() as session:
                invoice = invoices.issue_adhoc(session, member_id, purpose, self.vars["subject"].get(), issue_date,
                                               due_date, lines, transaction_date)
                number = invoice.number
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.destroy()
        self.on_done(t("請求書 {number} を発行しました", number=number))
