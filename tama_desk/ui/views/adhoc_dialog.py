"""請求書の作成: a one-off invoice (入会金, seminar or event fee …) to a member, with a live total."""

from __future__ import annotations

from datetime import date, timedelta

import ttkbootstrap as ttk

from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.domain.kana import search_key
from tama_desk.domain.money import parse_yen
from tama_desk.domain.tax import Line, grand_total, rate_totals
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import invoices, members
from tama_desk.ui import feedback
from tama_desk.ui.widgets import ChoiceBox, Dialog, Form
from tama_desk.ui.widgets.form import tidy_yen

LINE_ROWS = 5
LINE_PROBLEM = "明細 {n} 行目: 内容・数量（1以上の整数）・単価（0以上の整数）を入力してください"


class AdHocInvoiceDialog(Dialog):
    def __init__(self, parent, app, on_done):
        super().__init__(parent, t("請求書の作成"))
        self.app, self.on_done = app, on_done
        with app.db.reading() as session:
            self.choices = [(row.id, f"{row.number} {row.name}") for row in members.search_members(session)
                            if row.status != "withdrawn"]
        self.form = Form(self.body, scroll=False, on_submit=self.on_issue)
        self.member_box = self.form.add("member", "請求先（番号・名前で検索）", "combo", required=True, width=50,
                                        values=[text for _id, text in self.choices[:500]])
        self.member_box.bind("<KeyRelease>", lambda _e: self.on_member_typed(self.member_box), add="+")
        self.form.add("purpose", "種類", "choice", choices=invoices.PURPOSES, initial="event")
        self.form.add("subject", "件名", width=50)
        self.form.add("transaction", "取引日", "date", initial=date.today(), required=True, width=16)
        self.form.add("issue", "発行日", "date", initial=date.today(), required=True, width=16)
        self.form.add("due", "お支払期限", "date", initial=date.today() + timedelta(days=30), required=True, width=16)
        self.form.pack(fill="x")
        self.vars = self.form.vars
        self.create_lines()
        self.add_button(t("発行する"), self.on_issue, main=True)
        self.add_button(t("キャンセル"), self.on_escape)
        self.total_label = self.add_note(font=(None, 11, "bold"), bootstyle="default")
        self.show(focus=self.member_box)

    def create_lines(self) -> None:
        box = ttk.Labelframe(self.body, text=t("明細"), padding=(10, 6))
        box.pack(fill="x", pady=(10, 0))
        headings = [("内容", 34), ("数量", 6), ("単価（円）", 11), ("税区分", 10)]
        for column, (heading, _width) in enumerate(headings):
            ttk.Label(box, text=t(heading)).grid(row=0, column=column, sticky="w", pady=(0, 2))
        box.columnconfigure(0, weight=1)
        self.lines = []
        for index in range(LINE_ROWS):
            row = {"description": ttk.StringVar(), "quantity": ttk.StringVar(value="1" if index == 0 else ""),
                   "price": ttk.StringVar()}
            for column, key in enumerate(("description", "quantity", "price")):
                entry = ttk.Entry(box, textvariable=row[key], width=headings[column][1],
                                  justify="right" if key != "description" else "left")
                entry.grid(row=index + 1, column=column, sticky="ew", padx=(0, 4), pady=1)
                row[key].trace_add("write", lambda *_: self.update_total())
                if key == "price":
                    entry.bind("<FocusOut>", lambda _e, v=row[key]: tidy_yen(v), add="+")
            row["tax"] = ChoiceBox(box, TAX_CATEGORIES, value="standard_10", on_change=self.update_total)
            row["tax"].grid(row=index + 1, column=3, sticky="ew", pady=1)
            self.lines.append(row)

    def on_member_typed(self, box) -> None:
        words = [search_key(word) for word in self.vars["member"].get().split()]
        found = [text for _id, text in self.choices if all(word in search_key(text) for word in words)]
        box.configure(values=found[:500])

    def collect_lines(self) -> list[Line]:
        lines = []
        for index, row in enumerate(self.lines, start=1):
            description = row["description"].get().strip()
            quantity, price = row["quantity"].get().strip(), row["price"].get().strip()
            if not description and not price:
                continue
            try:
                count, unit = parse_yen(quantity), parse_yen(price)
            except ValueError:
                raise UserError(LINE_PROBLEM, n=index) from None
            if not description or count < 1:
                raise UserError(LINE_PROBLEM, n=index)
            lines.append(Line(description, count, unit, row["tax"].get()))
        if not lines:
            raise UserError("明細を1行以上入力してください")
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
            raise UserError("「請求先」: 一覧から会員を選んでください")
        return match

    def on_issue(self) -> None:
        try:
            values = self.form.read()
            member_id, lines = self.member_id(), self.collect_lines()
            if not feedback.confirm(self, t("請求書を発行します。発行後は変更できません（取消・再発行のみ）。"), ok_label="発行する"):
                return
            with self.app.db.transaction() as session:
                invoice = invoices.issue_adhoc(session, member_id, values["purpose"], values["subject"] or "",
                                               values["issue"], values["due"], lines, values["transaction"])
                number, total, name = invoice.number, invoice.total, invoice.recipient_name
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.close()
        self.on_done(t("請求書 {number} {name} {total:,}円を発行しました", number=number, name=name, total=total))

