"""会費 view: the fiscal year's invoices with their payment state; billing run, payments, statements,
PDFs and Excel for the accountant."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import fees, invoices, payments, profile
from tama_desk.ui import feedback, loading
from tama_desk.ui.fresh import Freshness
from tama_desk.ui.widgets import ChoiceBox, Column, DataTable, SearchBox
from tama_desk.ui.widgets.flow import FlowFrame

STATUS_FILTER = {"unpaid": "未入金", "partial": "一部入金", "paid": "入金済", "cancelled": "取消", "credit_note": "返還"}
STATUS_STYLE = {"unpaid": "unpaid", "partial": "partial", "cancelled": "cancelled", "credit_note": "cancelled"}
COLUMNS = [
    Column("number", "請求書番号", 100),
    Column("member_number", "会員番号", 80),
    Column("recipient", "請求先", 260, stretch=True),
    Column("issue_date", "発行日", 95, "center", format="date"),
    Column("due_date", "支払期限", 95, "center", format="date"),
    Column("total", "請求額", 95, format="yen"),
    Column("paid", "入金額", 95, format="yen"),
    Column("open", "残高", 95, format="yen"),
    Column("status", "状態", 80, "center", choices=invoices.STATUS_LABELS),
]


class FeesView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.fresh, self.loader = Freshness(), loading.Loader(self)
        self.rows: list[invoices.InvoiceRow] = []
        with app.db.reading() as session:
            self.start_month = profile.get_profile(session).fiscal_year_start_month
        self.create_toolbar()
        self.create_filters()
        self.create_table()

    # -- building ---------------------------------------------------------------------------------
    def create_toolbar(self) -> None:
        """The main actions are packed first: at the narrowest window they keep their labels."""
        bar = ttk.Frame(self)
        bar.pack(fill="x")
        for text, command, style in [
            (t("一括請求") + " (Ctrl+B)", self.on_bill_year, "success"),
            (t("請求書の作成") + " (Ctrl+N)", self.on_adhoc, "primary-outline"),
            (t("入金明細の取込"), self.on_statement, "primary-outline"),
        ]:
            ttk.Button(bar, text=text, command=command, bootstyle=style).pack(side="right", padx=(6, 0))
        self.bill_button = bar.winfo_children()[0]
        output = ttk.Menubutton(bar, text=t("出力"), bootstyle="secondary-outline")
        menu = ttk.Menu(output, tearoff=False)
        menu.add_command(label=t("請求書 PDF（年度分）…"), command=self.on_pdfs)
        menu.add_command(label=t("督促状（お支払いのお願い）…"), command=self.on_dunning)
        menu.add_separator()
        menu.add_command(label=t("会費台帳（Excel）…"), command=self.on_ledger)
        menu.add_command(label=t("売掛金年齢表（Excel）…"), command=self.on_aging)
        menu.add_command(label=t("入金一覧（Excel）…"), command=self.on_payments)
        output.configure(menu=menu)
        output.pack(side="right", padx=(6, 0))
        ttk.Label(bar, text=t("会費"), font=(self.app.font_family, 15, "bold")).pack(side="left")
        current = fiscal_year_of(date.today(), self.start_month)
        self.year_var = ttk.StringVar(value=str(current))
        years = [str(year) for year in range(current + 1, current - 6, -1)]
        before, _, after = t("{year}年度").partition("{year}")  # 「2026 年度」, "FY 2026": the language's order
        ttk.Label(bar, text=before.strip()).pack(side="left", padx=(16, 2) if before.strip() else (16, 0))
        box = ttk.Combobox(bar, textvariable=self.year_var, values=years, width=6, state="readonly")
        box.pack(side="left", padx=(0, 2))
        box.bind("<<ComboboxSelected>>", lambda _e: self.refresh())
        ttk.Label(bar, text=after.strip()).pack(side="left")

    def create_filters(self) -> None:
        bar = FlowFrame(self, gap=4, padding=(0, 10, 0, 6))
        bar.pack(fill="x")
        self.search = SearchBox(ttk.Frame(bar), self.refresh, self.focus_table, on_enter=self.open_first)
        self.search_var, self.search_entry = self.search.var, self.search.entry
        group = ttk.Frame(bar)
        ttk.Label(group, text=t("状態")).pack(side="left")
        self.status_box = ChoiceBox(group, STATUS_FILTER, blank="（すべて）", on_change=self.refresh)
        self.status_box.pack(side="left", padx=6)
        self.status_var = self.status_box.var
        ttk.Button(bar, text=t("会費設定…"), bootstyle="link", command=self.on_schedule)  # the year's fees
        bar.reflow()

    def create_table(self) -> None:
        self.summary = ttk.Label(self, bootstyle="secondary", anchor="e", padding=(0, 4, 0, 0))
        self.summary.pack(side="bottom", fill="x")  # the totals line under the table
        self.table = DataTable(self, COLUMNS, on_open=self.on_open,
                               tag=lambda row: (STATUS_STYLE.get(row.status, ""),))
        self.table.pack(fill="both", expand=True)
        self.tree = self.table.tree

    # -- reacting ---------------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return int(self.year_var.get())

    def open_first(self) -> None:
        """Enter in the search box: the first match opens."""
        self.table.open_first()

    def focus_table(self) -> None:
        """↓ in the search box: into the table, on the first row."""
        self.table.focus_first()

    def on_show(self) -> None:
        loading.on_show(self)  # read in the background; shown again with nothing changed: the table as it was

    def on_find(self) -> None:
        self.search.focus()

    def refresh(self) -> None:
        loading.refresh(self)

    def filters(self) -> tuple:
        """The year, the status and the search text shown: what the list is read with."""
        return self.year, self.status_box.get(), self.search_var.get()

    def rows_query(self):
        year, status, text = self.filters()
        return lambda session: invoices.list_invoices(session, year, status, text)

    def present(self, rows: list[invoices.InvoiceRow]) -> None:
        self.rows = rows
        self.table.set_rows(self.rows, keep_order=self.table.sort_key is None)
        live = [row for row in self.rows if row.kind == "invoice" and row.status != "cancelled"]
        self.summary.configure(text=t("{n} 件　請求 {billed:,}円　入金 {paid:,}円　残高 {open:,}円", n=len(self.rows),
                                      billed=sum(r.total for r in live), paid=sum(r.paid for r in live),
                                      open=sum(r.open for r in live)))

    def on_open(self, invoice_id: int | None = None) -> None:
        invoice_id = self.table.selected() if invoice_id is None else invoice_id
        if invoice_id is not None:
            from tama_desk.ui.views.fee_dialogs import InvoiceDialog  # the dialogs are imported when first opened

            InvoiceDialog(self, self.app, invoice_id, on_changed=lambda: self.on_invoice_changed(invoice_id))

    def on_invoice_changed(self, invoice_id: int) -> None:
        """After a change in an invoice's dialog (a payment, a credit applied, a cancellation): its row read alone
        and put in place at once; the whole list (a credit note the change made, the totals) read again in the
        background — on the Tk thread that read takes 0.4 s for a year of 10,000 invoices."""
        with self.app.db.reading() as session:
            found = invoices.list_invoices(session, *self.filters(), invoice_ids=[invoice_id])
        if found:
            self.table.put_row(found[0])
        else:
            self.table.remove_row(invoice_id)
        self.loader.start()

    def on_schedule(self) -> None:
        from tama_desk.ui.views.fee_schedule_dialog import FeeScheduleDialog

        FeeScheduleDialog(self, self.app, self.year)

    def on_adhoc(self) -> None:
        from tama_desk.ui.views.adhoc_dialog import AdHocInvoiceDialog

        AdHocInvoiceDialog(self, self.app, on_done=self.on_billed)

    def on_bill_year(self) -> None:
        from tama_desk.ui.views.fee_dialogs import BillingRunDialog

        BillingRunDialog(self, self.app, self.year, on_done=self.on_billed)

    def on_billed(self, message: str, toast: bool | None = None) -> None:
        self.refresh()
        feedback.notify(self, message, toast)

    def on_statement(self) -> None:
        path = filedialog.askopenfilename(parent=self, title=t("入金明細の取込"),
                                          filetypes=[(t("CSV / Excel"), "*.csv *.xlsx"), (t("すべてのファイル"), "*.*")])
        if path:
            from tama_desk.ui.views.statement_dialog import StatementImportDialog

            StatementImportDialog(self, self.app, Path(path),
                                  on_done=lambda message: self.on_billed(message, toast=True))  # an import

    def on_pdfs(self) -> None:
        folder = filedialog.askdirectory(parent=self, title=t("PDFの保存先フォルダ"))
        if folder:
            self.write_pdfs(Path(folder))

    def on_dunning(self) -> None:
        """The review list first (who, how much, how late, the last reminder); only the ✔ rows are printed."""
        from tama_desk.ui.views.reminder_dialog import ReminderReviewDialog

        ReminderReviewDialog(self, self.app, on_done=self.refresh)

    def write_pdfs(self, folder: Path) -> None:
        """All invoices of the year as PDFs plus one combined file, off the Tk thread, cancellable."""
        from tama_desk.services import printing  # reportlab: imported when first printing, not with the view

        year = self.year
        self.print_documents(lambda: printing.year_documents(self.app.db, year), folder / f"{year}年度_請求書",
                             folder / f"{year}年度_請求書_印刷用.pdf", "請求書")

    def print_documents(self, documents, target: Path, combined: Path, what: str = "書類") -> None:
        from tama_desk.services import printing

        def work(job):
            found = documents()
            if not found:
                raise UserError("出力する書類はありません")
            return printing.write_pdfs(found, target, combined, progress=job.report)

        feedback.run_with_progress(self, t("PDF出力"), work,
                                   lambda result: t("{what} PDF {n} 件を書き出しました: {path}", what=what, n=len(result.files),
                                                    path=target))

    def on_ledger(self) -> None:
        from tama_desk.exports import ledger  # openpyxl: imported on the first export, not with the view

        path = filedialog.asksaveasfilename(parent=self, title=t("会費台帳"), defaultextension=".xlsx",
                                            initialfile=f"{self.year}年度_会費台帳.xlsx",
                                            filetypes=[(t("Excel ブック"), "*.xlsx")])
        if path:
            year = self.year
            self.export(Path(path), lambda session: ledger.ledger_xlsx(fees.ledger_rows(session, year), year,
                                                                         invoices.STATUS_LABELS), "会費台帳")

    def on_aging(self) -> None:
        from tama_desk.exports import ledger

        path = filedialog.asksaveasfilename(parent=self, title=t("売掛金年齢表"), defaultextension=".xlsx",
                                            initialfile=f"売掛金年齢_{date.today():%Y%m%d}.xlsx",
                                            filetypes=[(t("Excel ブック"), "*.xlsx")])
        if path:
            today = date.today()
            self.export(Path(path), lambda session: ledger.aging_xlsx(payments.aging(session, today), today),
                        "売掛金年齢表")

    def on_payments(self) -> None:
        from tama_desk.exports import ledger

        path = filedialog.asksaveasfilename(parent=self, title=t("入金一覧"), defaultextension=".xlsx",
                                            initialfile=f"{self.year}年度_入金一覧.xlsx",
                                            filetypes=[(t("Excel ブック"), "*.xlsx")])
        if path:
            start, end = fiscal_year_bounds(self.year, self.start_month)
            self.export(Path(path), lambda session: ledger.payments_xlsx(payments.list_payments(session, start, end),
                                                                           end, payments.METHODS), "入金一覧")

    def export(self, path: Path, build, what: str) -> None:
        feedback.write_file_with_progress(self, self.app.db, path, build, what)

    def on_new(self) -> None:  # Ctrl+N: the new-record dialog of 会費 is a one-off invoice
        self.on_adhoc()
