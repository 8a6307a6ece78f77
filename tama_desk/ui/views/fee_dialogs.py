"""Dialogs of the 会費 view: the billing run (preview → progress → result), an invoice's detail, a payment."""

from __future__ import annotations

from datetime import date, timedelta

import ttkbootstrap as ttk

from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.domain.money import parse_yen
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import audit, fees, invoices, payments
from tama_desk.ui import feedback
from tama_desk.ui.background import run_in_thread
from tama_desk.ui.widgets import Column, DataTable, Dialog, Form
from tama_desk.ui.widgets.document import DocumentButtons
from tama_desk.ui.widgets.values import show_date

TAX_SHORT = {"standard_10": "10%", "reduced_8": "8%※", "exempt": "非課税", "out_of_scope": "不課税"}


class BillingRunDialog(Dialog):
    """年度会費一括請求: who is billed, how much and why, who is left out and why — then one transaction."""

    def __init__(self, parent, app, year: int, on_done):
        super().__init__(parent, t("{year}年度 会費の一括請求", year=year), scroll=False)
        self.app, self.year, self.on_done = app, year, on_done
        self.job = None
        self.plan = None
        self.form = Form(self.body, scroll=False, on_submit=self.on_run)
        self.form.add("issue", "発行日", "date", initial=date.today(), width=16, required=True)
        self.form.add("due", "お支払期限", "date", initial=date.today() + timedelta(days=fees.DEFAULT_PAYMENT_DAYS),
                      width=16, required=True, row=0, column=2)
        self.form.pack(fill="x")
        self.issue_var, self.due_var = self.form.vars["issue"], self.form.vars["due"]
        self.summary = ttk.Label(self.body, text=t("対象を確認しています…"), font=(None, 11, "bold"), padding=(0, 10))
        self.summary.pack(anchor="w")
        self.progress = ttk.Progressbar(self.body, mode="determinate")
        self.progress.pack(side="bottom", fill="x", pady=(8, 0))
        self.table = DataTable(self.body, [
            Column("what", "区分", 70, "center"), Column("number", "会員番号", 80, "center"),
            Column("name", "会員名", 300, stretch=True), Column("amount", "請求額", 100, format="yen", total=True),
            Column("reason", "内容・理由", 260)], tag=lambda row: ("excluded",) if row["excluded"] else (), height=14)
        self.table.pack(fill="both", expand=True)
        self.tree = self.table.tree
        self.run_button = self.add_button(t("請求書を発行する"), self.on_run, main=True, state="disabled")
        self.add_button(t("閉じる"), self.on_escape)
        self.show(focus=self.form.widgets["issue"])
        self.load_preview()

    def load_preview(self) -> None:
        def work(_job):
            with self.app.db.reading() as session:
                return fees.plan_billing(session, self.year)

        self.job = run_in_thread(self, work, self.on_preview, self.on_failed)

    def on_preview(self, plan) -> None:
        self.job = None
        self.plan = plan
        rows = [{"what": t("請求"), "number": item.number, "name": item.name, "amount": item.amount,
                 "reason": f"{item.type_name} {t(item.reason)}", "excluded": False} for item in plan.to_bill]
        rows += [{"what": t("対象外"), "number": item.number, "name": item.name, "amount": None,
                  "reason": t(item.reason), "excluded": True} for item in plan.excluded]
        self.table.set_rows(rows)
        self.summary.configure(text=t("請求 {n} 件　合計 {total:,}円　／　対象外 {m} 件", n=len(plan.to_bill),
                                      total=plan.total, m=len(plan.excluded)))
        self.run_button.configure(state="normal" if plan.to_bill else "disabled")

    def on_run(self) -> None:
        if self.plan is None or not self.plan.to_bill:
            return
        try:
            values = self.form.read()
        except UserError as error:
            feedback.show_error(self, error)
            return
        issue_date, due_date = values["issue"], values["due"]
        question = t("{year}年度の会費請求書を {n} 件発行します。発行後は変更できません（取消・再発行のみ）。よろしいですか？",
                     year=self.year, n=len(self.plan.to_bill))
        if not feedback.confirm(self, question, ok_label="発行する"):
            return
        self.run_button.configure(state="disabled")
        year = self.year

        def work(job):
            with self.app.db.transaction() as session:
                return fees.bill_fiscal_year(session, year, issue_date, due_date, progress=job.report)

        self.job = run_in_thread(self, work, self.on_billed, self.on_failed, self.on_progress)

    def on_progress(self, done: int, total: int, _text: str = "") -> None:
        self.progress.configure(maximum=total, value=done)

    def on_billed(self, result) -> None:
        plan, created = result
        self.job = None
        self.close()
        self.on_done(t("{year}年度の一括請求: {n}件 {total:,}円を発行しました", year=self.year, n=len(created),
                       total=plan.total))

    def on_failed(self, error) -> None:
        self.job = None
        self.run_button.configure(state="normal")
        feedback.show_error(self, error)

    def close(self) -> None:
        if self.job is not None:
            self.job.cancel()  # the transaction rolls back: no invoice of the run remains
        super().close()


class InvoiceDialog(Dialog):
    """An invoice with its lines, payments and history; payment, receipt, credit note, cancellation; its PDF
    opened, saved or printed."""

    def __init__(self, parent, app, invoice_id: int, on_changed):
        super().__init__(parent, t("請求書"))
        self.app, self.invoice_id, self.on_changed = app, invoice_id, on_changed
        self.build()
        self.show()
        if self.tampered is not None:  # opened: the user is told at once, and its PDF is refused
            feedback.show_error(self, self.tampered)

    def build(self) -> None:
        for frame in (self.body, self.button_bar):
            for child in frame.winfo_children():
                child.destroy()
        self.main_button = None
        with self.app.db.reading() as session:
            invoice = invoices.get_invoice(session, self.invoice_id)
            snapshot = invoices.snapshot_of(session, invoice)
            try:
                audit.refuse_tampered(session, invoices=[invoice.id])
                self.tampered = None
            except audit.TamperedDocumentError as error:
                self.tampered = error
            balance = invoices.balances(session, [invoice.id]).get(invoice.id)
            paid_rows = [{"id": a.payment.id, "date": a.payment.received_on, "amount": a.amount,
                          "method": a.payment.method, "payer": a.payment.payer_name,
                          "state": t("取消: {reason}", reason=a.payment.reversal_reason) if a.payment.reversed else "",
                          "reversed": a.payment.reversed} for a in invoice.allocations]
            paid_rows += [dict(row, state=t("取消") if row["reversed"] else "",  # 手数料差引, not money received
                               payer=f"{t(row['kind'])}（{t(row['account'])}）{row['note']}")
                          for row in payments.write_off_rows(session, invoice.id)]
            history = [{"at": entry.at, "user": entry.user, "summary": audit.describe(entry.summary)}
                       for entry in audit.history(session, "invoice", invoice.id)]
            self.member_id, self.status, self.number = invoice.member_id, invoice.status, invoice.number
            self.open_amount = balance.open if balance and invoice.status == "issued" else 0
            self.kind = invoice.kind
            cancel_reason = invoice.cancel_reason
            self.credit = payments.member_credit(session, invoice.member_id) if invoice.member_id else 0
            status = t(invoices.STATUS_LABELS[invoices.status_of(invoice, balance)]) if self.kind == "invoice" \
                else t(snapshot.title)
        self.snapshot = snapshot
        self.title(f"{t(snapshot.title)} {snapshot.number}")
        head = ttk.Frame(self.body)
        head.pack(fill="x")
        ttk.Label(head, text=f"{snapshot.number}　{snapshot.recipient.name} {snapshot.recipient.honorific}",
                  font=(None, 13, "bold"), wraplength=900, justify="left").pack(anchor="w")
        facts = t("発行日 {issue}　支払期限 {due}　請求額 {total:,}円　入金 {paid:,}円　残高 {open:,}円　状態 {status}",
                  issue=show_date(self, snapshot.issue_date), due=show_date(self, snapshot.due_date) or "—",
                  total=snapshot.total, paid=balance.paid if balance else 0, open=self.open_amount, status=status)
        ttk.Label(head, text=facts, bootstyle="secondary").pack(anchor="w", pady=(2, 0))
        if cancel_reason:
            ttk.Label(head, text=t("取消理由: {reason}", reason=cancel_reason), bootstyle="danger").pack(anchor="w")
        self.documents = DocumentButtons(head, self.pdf_name, self.render_pdf)
        self.documents.pack(anchor="w", pady=(8, 0))
        lines = DataTable(self.body, [Column("description", "品目・内容", 330, stretch=True),
                                      Column("quantity", "数量", 60, "e"),
                                      Column("unit_price", "単価", 100, format="yen"),
                                      Column("amount", "金額", 100, format="yen"),
                                      Column("tax_category", "税区分", 90, "center", choices=TAX_SHORT)],
                          height=min(4, max(2, len(snapshot.lines))), sortable=False)
        lines.pack(fill="x", pady=(10, 0))
        lines.set_rows(snapshot.lines)
        ttk.Label(self.body, text=t("入金"), font=(None, 11, "bold"), padding=(0, 10, 0, 2)).pack(anchor="w")
        self.payment_table = DataTable(self.body, [
            Column("date", "入金日", 100, "center"), Column("amount", "消込額", 100, format="yen"),
            Column("method", "方法", 100, "center", choices=payments.METHODS), Column("payer", "振込名義", 240),
            Column("state", "取消", 200, stretch=True)], height=3, sortable=False,
            tag=lambda row: ("cancelled",) if row["reversed"] else ())
        self.payment_table.pack(fill="x")
        self.payment_table.set_rows(paid_rows)
        self.payments = self.payment_table.tree
        ttk.Label(self.body, text=t("履歴"), font=(None, 11, "bold"), padding=(0, 10, 0, 2)).pack(anchor="w")
        log = DataTable(self.body, [Column("at", "日時", 140, "center", format="datetime"),
                                    Column("user", "担当", 90, "center"), Column("summary", "内容", 500, stretch=True)],
                        height=3, sortable=False)
        log.pack(fill="x")
        log.set_rows(history, keep_order=True)
        self.create_buttons()
        self.refit()

    def create_buttons(self) -> None:
        live = self.status == "issued" and self.kind == "invoice"
        if live and self.open_amount > 0:
            self.add_button(t("入金を記録…"), self.on_payment, main=True, style="success")
            if self.credit > 0:
                self.add_button(t("預り金 {credit:,}円を充当", credit=self.credit), self.on_apply_credit,
                                style="success-outline")
        self.add_button(t("閉じる"), self.on_escape, main=self.main_button is None)
        if live:
            self.add_button(t("領収書"), self.on_receipt, style="secondary-outline", side="left")
            self.add_button(t("入金の取消…"), self.on_reverse, style="secondary-outline", side="left")
            self.add_button(t("返還請求書…"), self.on_credit_note, style="warning-outline", side="left")
            self.add_button(t("取消…"), self.on_cancel, style="danger-outline", side="left")

    def _run(self, action, message: str) -> None:
        """One user action = one transaction; a refusal is shown and nothing changes."""
        if not feedback.act(self, self.app.db, action):
            return
        feedback.notify(self.master, message)
        self.on_changed()
        self.build()

    def pdf_name(self) -> str:
        from tama_desk.documents import invoice as invoice_pdf  # reportlab: when a PDF is made, not with the dialog

        return invoice_pdf.file_name(self.snapshot)

    def render_pdf(self) -> bytes:
        from tama_desk.documents import invoice as invoice_pdf

        with self.app.db.reading() as session:
            invoice = invoices.get_invoice(session, self.invoice_id)
            return invoice_pdf.render(invoices.checked_snapshot(session, invoice), invoice.cancel_reason or None)

    def on_pdf(self) -> None:
        self.documents.on_open()

    def on_payment(self) -> None:
        PaymentDialog(self, self.app, self.member_id, self.invoice_id, self.open_amount,
                      on_saved=lambda: (self.on_changed(), self.build()))

    def on_apply_credit(self) -> None:
        self._run(lambda s: payments.apply_credit(s, self.member_id),
                  t("預り金を充当しました: {number} {name} {amount:,}円", number=self.number,
                    name=self.snapshot.recipient.name, amount=min(self.credit, self.open_amount)))

    def selected_payment(self) -> int | None:
        """The payment chosen in the list (a 手数料差引 line is not a payment)."""
        payment_id = self.payment_table.selected()
        return payment_id if isinstance(payment_id, int) else None

    def on_receipt(self) -> None:
        payment_id = self.selected_payment()
        if payment_id is None:
            listed = self.payment_table.keys()
            payment_id = next((key for key in listed if isinstance(key, int)), None)
        if payment_id is None:
            feedback.inform(self, t("領収書を出す入金がありません"))
            return

        from tama_desk.documents import invoice as invoice_pdf
        from tama_desk.services import printing

        def render() -> bytes:
            """Issued (numbered and frozen) the first time, in one transaction; the stored copy after that."""
            with self.app.db.transaction() as session:
                return invoice_pdf.render(*printing.receipt_document(session, payment_id))

        DocumentButtons(self.body, lambda: f"領収書_{self.number}.pdf", render).on_open()
        with self.app.db.reading() as session:
            unchecked = printing.unchecked_receipts(session, payment_id=payment_id)
        if unchecked:  # issued before receipts were hashed: said, not silently let through
            feedback.notify(self, t("{numbers}: 発行時の記録なし（この版より前に発行されたため、改ざんの確認ができません）",
                                    numbers=tuple(unchecked)))

    def on_reverse(self) -> None:
        payment_id = self.selected_payment()
        if payment_id is None:
            feedback.inform(self, t("取り消す入金を一覧で選んでください"))
            return
        reason = feedback.ask_reason(self, t("入金の取消"), t("取消の理由（記録されます）"))
        if reason:
            self._run(lambda s: payments.reverse_payment(s, payment_id, reason),
                      t("入金を取り消しました: {number} {name} {amount:,}円", number=self.number,
                        name=self.snapshot.recipient.name, amount=self.payment_table.row(payment_id)["amount"]))

    def on_cancel(self) -> None:
        reason = feedback.ask_reason(self, t("請求書の取消"),
                                     t("{number} を取り消します。理由（請求書に印字されます）:", number=self.number))
        if reason:
            self._run(lambda s: invoices.cancel(s, self.invoice_id, reason),
                      t("請求書 {number} {name}（{amount:,}円）を取り消しました", number=self.number,
                        name=self.snapshot.recipient.name, amount=self.snapshot.total))

    def on_credit_note(self) -> None:
        CreditNoteDialog(self, self.app, self.invoice_id, self.number,
                         on_saved=lambda: (self.on_changed(), self.build()))


class CreditNoteDialog(Dialog):
    """返還請求書: the tax rate (one the invoice has, with what is left of it), the amount 税込 or 税抜, a reason."""

    INCLUDED = {"included": "税込", "excluded": "税抜"}

    def __init__(self, parent, app, invoice_id: int, number: str, on_saved):
        super().__init__(parent, t("返還請求書"))
        self.app, self.invoice_id, self.number, self.on_saved = app, invoice_id, number, on_saved
        with app.db.reading() as session:
            original = invoices.get_invoice(session, invoice_id)
            self.left = {code: billed - credited
                         for code, (billed, credited) in invoices.refundable_by_rate(session, original).items()}
            included = invoices.snapshot_of(session, original).prices_include_tax
        self.form = Form(self.body, scroll=False, on_submit=self.on_save)
        self.form.add("rate", "税区分", "choice", choices={code: TAX_CATEGORIES[code] for code in self.left},
                      initial=next(iter(self.left), None), required=True)
        self.form.add("amount", "返還額（円）", "amount", required=True,
                      validate=lambda text: None if parse_yen(text) > 0 else "1円以上の整数で入力してください")
        self.form.add("included", "税込・税抜", "choice", choices=self.INCLUDED,
                      initial="included" if included else "excluded")
        self.form.add("reason", "返還の理由")
        self.form.pack(fill="both", expand=True)
        self.add_button(t("発行する") + " (Ctrl+S)", self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.on_escape)
        self.show(focus=self.form.widgets["amount"])

    def on_save(self) -> None:
        try:
            with self.app.db.transaction() as session:
                invoices.credit_note_for_amount(
                    session, self.invoice_id, self.form.get("amount"), date.today(), self.form.get("reason"),
                    tax_category=self.form.get("rate"), tax_included=self.form.get("included") == "included")
            amount = parse_yen(self.form.get("amount"))
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.close()
        feedback.notify(self.parent, t("返還請求書を発行しました: {number} {amount:,}円", number=self.number,
                                       amount=amount))
        self.on_saved()


class PaymentDialog(Dialog):
    """入金を記録: date, amount, method and payer; settles this invoice first, then the member's oldest."""

    def __init__(self, parent, app, member_id, invoice_id, open_amount: int, on_saved):
        super().__init__(parent, t("入金を記録"))
        self.app, self.member_id, self.invoice_id, self.on_saved = app, member_id, invoice_id, on_saved
        self.form = Form(self.body, scroll=False, on_submit=self.on_save)
        self.form.add("date", "入金日", "date", initial=date.today(), required=True)
        self.form.add("amount", "入金額（円）", "amount", initial=open_amount, required=True,
                      validate=lambda text: None if parse_yen(text) > 0 else "1円以上の整数で入力してください")
        self.form.add("method", "方法", "choice", choices=payments.ENTRY_METHODS, initial="transfer")
        self.form.add("payer", "振込名義")
        self.form.add("note", "メモ")
        self.form.pack(fill="both", expand=True)
        self.vars = self.form.vars
        ttk.Label(self.body, text=t("請求額を超える分は会員の預り金（次回以降に充当）になります"), bootstyle="secondary",
                  wraplength=420, justify="left").pack(anchor="w", pady=(8, 0))
        self.add_button(t("記録する") + " (Ctrl+S)", self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.on_escape)
        self.show(focus=self.form.widgets["amount"])
        self.form.widgets["amount"].select_range(0, "end")

    def on_save(self) -> None:
        try:
            values = self.form.read()
            with self.app.db.transaction() as session:
                payments.record_payment(session, self.member_id, values["date"], values["amount"],
                                        values["method"], values["payer"] or "", note=values["note"] or "",
                                        first_invoice_id=self.invoice_id)
                invoice = invoices.get_invoice(session, self.invoice_id)
                number, name = invoice.number, invoice.recipient_name
        except UserError as error:
            feedback.show_error(self, error)
            return
        amount = values["amount"]
        self.close()
        feedback.notify(self.parent, t("入金を記録しました: {number} {name} {amount:,}円", number=number, name=name,
                                       amount=amount))
        self.on_saved()
