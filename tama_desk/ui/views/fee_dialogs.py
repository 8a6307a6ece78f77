"""Dialogs of the 会費 view: the billing run (preview → progress → result) and an invoice's detail."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import ttkbootstrap as ttk

from tama_desk.documents import invoice as invoice_pdf
from tama_desk.domain.dates import parse_date
from tama_desk.domain.tax import Line
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import audit, fees, invoices, payments, printing
from tama_desk.ui import feedback
from tama_desk.ui.background import run_in_thread
from tama_desk.ui.desktop import open_file
from tama_desk.ui.layout import center_over


def _table(parent, columns, height: int = 8) -> ttk.Treeview:
    frame = ttk.Frame(parent)
    frame.pack(fill="both", expand=True)
    tree = ttk.Treeview(frame, columns=[c[0] for c in columns], show="headings", height=height)
    for key, heading, width, anchor in columns:
        tree.heading(key, text=t(heading))
        tree.column(key, width=width, anchor=anchor, stretch=anchor == "w")
    scroll = ttk.Scrollbar(frame, orient="vertical", command=tree.yview)
    tree.configure(yscrollcommand=scroll.set)
    tree.pack(side="left", fill="both", expand=True)
    scroll.pack(side="right", fill="y")
    return tree


def _date_from(variable: ttk.StringVar, label: str) -> date:
    try:
        return parse_date(variable.get())
    except ValueError as error:
        raise UserError(t("「{label}」: {error}", label=t(label), error=t(str(error)))) from error


class BillingRunDialog(ttk.Toplevel):
    """年度会費一括請求: who is billed, how much and why, who is left out and why — then one transaction."""

    def __init__(self, parent, app, year: int, on_done):
        super().__init__(title=t("{year}年度 会費の一括請求", year=year), transient=parent.winfo_toplevel(),
                         size=(900, 600))
        self.app, self.year, self.on_done = app, year, on_done
        self.job = None
        frame = ttk.Frame(self, padding=16)
        frame.pack(fill="both", expand=True)
        dates = ttk.Frame(frame)
        dates.pack(fill="x")
        self.issue_var = ttk.StringVar(value=date.today().isoformat())
        self.due_var = ttk.StringVar(value=(date.today() + timedelta(days=fees.DEFAULT_PAYMENT_DAYS)).isoformat())
        for label, variable in ((t("発行日"), self.issue_var), (t("お支払期限"), self.due_var)):
            ttk.Label(dates, text=label).pack(side="left")
            ttk.Entry(dates, textvariable=variable, width=12).pack(side="left", padx=(6, 18))
        self.summary = ttk.Label(frame, text=t("対象を確認しています…"), font=(None, 11, "bold"), padding=(0, 10))
        self.summary.pack(anchor="w")
        self.tree = _table(frame, [("what", "区分", 70, "center"), ("number", "会員番号", 80, "center"),
                                   ("name", "会員名", 300, "w"), ("amount", "請求額", 100, "e"),
                                   ("reason", "内容・理由", 250, "w")], height=16)
        self.tree.tag_configure("excluded", foreground="#8a8f98")
        self.progress = ttk.Progressbar(frame, mode="determinate")
        self.progress.pack(fill="x", pady=8)
        bar = ttk.Frame(frame)
        bar.pack(fill="x")
        self.run_button = ttk.Button(bar, text=t("請求書を発行する"), bootstyle="primary", state="disabled",
                                     command=self.on_run)
        self.run_button.pack(side="right")
        ttk.Button(bar, text=t("閉じる"), bootstyle="secondary", command=self.on_close).pack(side="right", padx=8)
        self.protocol("WM_DELETE_WINDOW", self.on_close)
        self.bind("<Escape>", lambda _e: self.on_close())
        center_over(self, parent)
        self.grab_set()
        self.load_preview()

    def load_preview(self) -> None:
        def work(_job):
            with self.app.db.reading() as session:
                return fees.plan_billing(session, self.year)

        self.job = run_in_thread(self, work, self.on_preview, self.on_failed)

    def on_preview(self, plan) -> None:
        self.job = None
        self.plan = plan
        self.tree.delete(*self.tree.get_children())
        for item in plan.to_bill:
            self.tree.insert("", "end", values=(t("請求"), item.number, item.name, f"{item.amount:,}",
                                                f"{item.type_name} {t(item.reason)}"))
        for item in plan.excluded:
            self.tree.insert("", "end", values=(t("対象外"), item.number, item.name, "", item.reason),
                             tags=("excluded",))
        self.summary.configure(text=t("請求 {n} 件　合計 {total:,}円　／　対象外 {m} 件", n=len(plan.to_bill),
                                      total=plan.total, m=len(plan.excluded)))
        self.run_button.configure(state="normal" if plan.to_bill else "disabled")

    def on_run(self) -> None:
        try:
            issue_date = _date_from(self.issue_var, "発行日")
            due_date = _date_from(self.due_var, "お支払期限")
        except UserError as error:
            feedback.show_error(self, error)
            return
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
        self.destroy()
        self.on_done(t("{year}年度の会費請求書を {n} 件発行しました（{total:,}円）", year=self.year, n=len(created),
                       total=plan.total))

    def on_failed(self, error) -> None:
        self.job = None
        self.run_button.configure(state="normal")
        feedback.show_error(self, error)

    def on_close(self) -> None:
        if self.job is not None:
            self.job.cancel()  # the transaction rolls back: no invoice of the run remains
        self.destroy()


class InvoiceDialog(ttk.Toplevel):
    """An invoice with its lines, payments and history; payment, receipt, credit note, cancellation."""

    def __init__(self, parent, app, invoice_id: int, on_changed):
        super().__init__(title=t("請求書"), transient=parent.winfo_toplevel(), size=(860, 640))
        self.app, self.invoice_id, self.on_changed = app, invoice_id, on_changed
        self.frame = ttk.Frame(self, padding=16)
        self.frame.pack(fill="both", expand=True)
        self.bind("<Escape>", lambda _e: self.destroy())
        self.build()
        center_over(self, parent)
        self.grab_set()

    def build(self) -> None:
        for child in self.frame.winfo_children():
            child.destroy()
        with self.app.db.reading() as session:
            invoice = invoices.get_invoice(session, self.invoice_id)
            snapshot = invoices.snapshot_of(session, invoice)
            balance = invoices.balances(session, [invoice.id]).get(invoice.id)
            paid_rows = [(a.payment, a.amount) for a in invoice.allocations]
            history = audit.history(session, "invoice", invoice.id)
            self.member_id, self.status, self.number = invoice.member_id, invoice.status, invoice.number
            self.open_amount = balance.open if balance and invoice.status == "issued" else 0
            self.kind = invoice.kind
            cancel_reason = invoice.cancel_reason
            self.credit = payments.member_credit(session, invoice.member_id) if invoice.member_id else 0
        self.title(f"{t(snapshot.title)} {snapshot.number}")
        head = ttk.Frame(self.frame)
        head.pack(fill="x")
        ttk.Label(head, text=f"{snapshot.number}　{snapshot.recipient.name} {snapshot.recipient.honorific}",
                  font=(None, 13, "bold")).pack(anchor="w")
        status = t(invoices.STATUS_LABELS[invoices.status_of(invoice, balance)]) if self.kind == "invoice" \
            else t(snapshot.title)
        facts = t("発行日 {issue}　支払期限 {due}　請求額 {total:,}円　入金 {paid:,}円　残高 {open:,}円　状態 {status}",
                  issue=f"{snapshot.issue_date:%Y-%m-%d}",
                  due=f"{snapshot.due_date:%Y-%m-%d}" if snapshot.due_date else "—", total=snapshot.total,
                  paid=balance.paid if balance else 0, open=self.open_amount, status=status)
        ttk.Label(head, text=facts, bootstyle="secondary").pack(anchor="w", pady=(2, 0))
        if cancel_reason:
            ttk.Label(head, text=t("取消理由: {reason}", reason=cancel_reason), bootstyle="danger").pack(anchor="w")
        lines = _table(self.frame, [("description", "品目・内容", 330, "w"), ("quantity", "数量", 60, "e"),
                                    ("price", "単価", 100, "e"), ("amount", "金額", 100, "e"),
                                    ("tax", "税区分", 90, "center")], height=4)
        for line in snapshot.lines:
            lines.insert("", "end", values=(line.description, line.quantity, f"{line.unit_price:,}",
                                            f"{line.amount:,}", t({"standard_10": "10%", "reduced_8": "8%※",
                                                                   "exempt": "非課税", "out_of_scope": "不課税"}
                                                                  [line.tax_category])))
        ttk.Label(self.frame, text=t("入金"), font=(None, 11, "bold"), padding=(0, 10, 0, 2)).pack(anchor="w")
        self.payments = _table(self.frame, [("date", "入金日", 100, "center"), ("amount", "消込額", 100, "e"),
                                            ("method", "方法", 80, "center"), ("payer", "振込名義", 240, "w"),
                                            ("state", "取消", 200, "w")], height=4)
        for payment, amount in paid_rows:
            self.payments.insert("", "end", iid=str(payment.id), values=(
                f"{payment.received_on:%Y-%m-%d}", f"{amount:,}", t(payments.METHODS[payment.method]),
                payment.payer_name, t("取消: {reason}", reason=payment.reversal_reason) if payment.reversed else ""))
        ttk.Label(self.frame, text=t("履歴"), font=(None, 11, "bold"), padding=(0, 10, 0, 2)).pack(anchor="w")
        log = _table(self.frame, [("at", "日時", 140, "center"), ("user", "担当", 90, "center"),
                                  ("summary", "内容", 500, "w")], height=4)
        for entry in history:
            log.insert("", "end", values=(f"{entry.at:%Y-%m-%d %H:%M}", entry.user, entry.summary))
        self.create_buttons()

    def create_buttons(self) -> None:
        bar = ttk.Frame(self.frame, padding=(0, 12, 0, 0))
        bar.pack(fill="x")
        live = self.status == "issued" and self.kind == "invoice"
        ttk.Button(bar, text=t("閉じる"), bootstyle="secondary", command=self.destroy).pack(side="right")
        ttk.Button(bar, text=t("PDFを開く"), bootstyle="primary-outline", command=self.on_pdf).pack(
            side="right", padx=6)
        if live and self.open_amount > 0:
            ttk.Button(bar, text=t("入金を記録…"), bootstyle="success", command=self.on_payment).pack(side="right")
            if self.credit > 0:
                ttk.Button(bar, text=t("預り金 {credit:,}円を充当", credit=self.credit), bootstyle="success-outline",
                           command=self.on_apply_credit).pack(side="right", padx=6)
        if live:
            ttk.Button(bar, text=t("領収書"), bootstyle="secondary-outline", command=self.on_receipt).pack(
                side="left")
            ttk.Button(bar, text=t("入金の取消…"), bootstyle="secondary-outline", command=self.on_reverse).pack(
                side="left", padx=6)
            ttk.Button(bar, text=t("返還請求書…"), bootstyle="warning-outline", command=self.on_credit_note).pack(
                side="left")
            ttk.Button(bar, text=t("取消…"), bootstyle="danger-outline", command=self.on_cancel).pack(
                side="left", padx=6)

    def _run(self, action, message: str) -> None:
        """One user action = one transaction; a refusal is shown and nothing changes."""
        try:
            with self.app.db.transaction() as session:
                action(session)
        except UserError as error:
            feedback.show_error(self, error)
            return
        feedback.notify(self.master, message)
        self.on_changed()
        self.build()

    def on_pdf(self) -> None:
        with self.app.db.reading() as session:
            invoice = invoices.get_invoice(session, self.invoice_id)
            data = invoice_pdf.render(invoices.snapshot_of(session, invoice), invoice.cancel_reason or None)
        self._open_pdf(f"{self.number}.pdf", data)

    def _open_pdf(self, name: str, data: bytes) -> None:
        folder = Path(tempfile.mkdtemp(prefix="tama_desk_"))
        path = folder / name
        path.write_bytes(data)
        open_file(path)

    def on_payment(self) -> None:
        PaymentDialog(self, self.app, self.member_id, self.invoice_id, self.open_amount,
                      on_saved=lambda: (self.on_changed(), self.build()))

    def on_apply_credit(self) -> None:
        self._run(lambda s: payments.apply_credit(s, self.member_id), t("預り金を充当しました"))

    def on_receipt(self) -> None:
        selection = self.payments.selection() or self.payments.get_children()
        if not selection:
            feedback.inform(self, t("領収書を出す入金がありません"))
            return
        try:
            with self.app.db.reading() as session:
                data = invoice_pdf.render(printing.receipt_snapshot(session, int(selection[0])))
        except UserError as error:
            feedback.show_error(self, error)
            return
        self._open_pdf(f"領収書_{self.number}.pdf", data)

    def on_reverse(self) -> None:
        selection = self.payments.selection()
        if not selection:
            feedback.inform(self, t("取り消す入金を一覧で選んでください"))
            return
        reason = feedback.ask_text(self, t("入金の取消"), t("取消の理由（記録されます）"))
        if reason:
            self._run(lambda s: payments.reverse_payment(s, int(selection[0]), reason), t("入金を取り消しました"))

    def on_cancel(self) -> None:
        reason = feedback.ask_text(self, t("請求書の取消"),
                                   t("{number} を取り消します。理由（請求書に印字されます）:", number=self.number))
        if reason:
            self._run(lambda s: invoices.cancel(s, self.invoice_id, reason),
                      t("取り消しました: {number}", number=self.number))

    def on_credit_note(self) -> None:
        amount = feedback.ask_text(self, t("返還請求書"), t("返還する金額（円）:"))
        if not amount:
            return
        reason = feedback.ask_text(self, t("返還請求書"), t("返還の理由:")) or ""

        def issue(session):
            original = invoices.get_invoice(session, self.invoice_id)
            if not amount.replace(",", "").isdigit():
                raise UserError(t("返還額は1円以上の整数で入力してください"))
            category = original.lines[0].tax_category
            invoices.credit_note(session, self.invoice_id, [Line(f"返還: {reason or original.lines[0].description}",
                                                                 1, int(amount.replace(",", "")), category)],
                                 date.today(), reason)

        self._run(issue, t("返還請求書を発行しました"))


class PaymentDialog(ttk.Toplevel):
    """入金を記録: date, amount, method and payer; settles this invoice first, then the member's oldest."""

    def __init__(self, parent, app, member_id, invoice_id, open_amount: int, on_saved):
        super().__init__(title=t("入金を記録"), transient=parent.winfo_toplevel(), resizable=(False, False))
        self.app, self.member_id, self.invoice_id, self.on_saved = app, member_id, invoice_id, on_saved
        frame = ttk.Frame(self, padding=16)
        frame.pack(fill="both", expand=True)
        self.vars = {"date": ttk.StringVar(value=date.today().isoformat()), "amount": ttk.StringVar(
            value=str(open_amount)), "method": ttk.StringVar(value=t(payments.METHODS["transfer"])),
            "payer": ttk.StringVar(), "note": ttk.StringVar()}
        labels = {"date": "入金日", "amount": "入金額（円）", "method": "方法", "payer": "振込名義", "note": "メモ"}
        for row, (key, label) in enumerate(labels.items()):
            ttk.Label(frame, text=t(label)).grid(row=row, column=0, sticky="w", pady=3, padx=(0, 8))
            if key == "method":
                widget = ttk.Combobox(frame, textvariable=self.vars[key], state="readonly", width=28,
                                      values=[t(label) for label in payments.METHODS.values()])
            else:
                widget = ttk.Entry(frame, textvariable=self.vars[key], width=30)
            widget.grid(row=row, column=1, sticky="ew", pady=3)
            widget.bind("<Return>", lambda _e, w=widget: w.tk_focusNext().focus_set())
            if key == "amount":
                self.amount_entry = widget
        ttk.Label(frame, text=t("請求額を超える分は会員の預り金（次回以降に充当）になります"), bootstyle="secondary").grid(
            row=len(labels), column=0, columnspan=2, sticky="w", pady=(6, 0))
        bar = ttk.Frame(frame, padding=(0, 12, 0, 0))
        bar.grid(row=len(labels) + 1, column=0, columnspan=2, sticky="e")
        ttk.Button(bar, text=t("キャンセル"), bootstyle="secondary", command=self.destroy).pack(side="left", padx=6)
        ttk.Button(bar, text=t("記録する"), bootstyle="primary", command=self.on_save).pack(side="left")
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<Control-s>", lambda _e: self.on_save())
        center_over(self, parent)
        self.amount_entry.focus_set()
        self.amount_entry.select_range(0, "end")
        self.grab_set()

    def on_save(self) -> None:
        method = next(code for code, label in payments.METHODS.items() if t(label) == self.vars["method"].get())
        try:
            received = _date_from(self.vars["date"], "入金日")
            text = self.vars["amount"].get().replace(",", "").strip()
            if not text.isdigit():
                raise UserError(t("「{label}」: 1円以上の整数で入力してください", label=t("入金額（円）")))
            with self.app.db.transaction() as session:
                payments.record_payment(session, self.member_id, received, int(text), method,
                                        self.vars["payer"].get().strip(), note=self.vars["note"].get().strip(),
                                        first_invoice_id=self.invoice_id)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.destroy()
        self.on_saved()
