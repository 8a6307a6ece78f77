"""委託事業 view: every contract with its status, next deadline and amounts; the selected contract's milestones,
deliverables, invoices and payments, costs and amendment history below, with the actions of its stage.

Everything comes from services (plain values); every action is one dialog → one transaction → refresh.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk.domain import contracts as rules
from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.domain.dates import format_date
from tama_desk.errors import UserError
from tama_desk.fileio import write_atomic
from tama_desk.i18n import t
from tama_desk.ui import feedback, loading
from tama_desk.ui.desktop import ask_voucher, open_file
from tama_desk.ui.fresh import Freshness
from tama_desk.ui.widgets import ChoiceBox, Column, DataTable

LIST_COLUMNS = [
    Column("fiscal_year", "年度", 55, "center"),
    Column("client", "取引先", 100),
    Column("title", "件名", 190, stretch=True),
    Column("payment_terms", "支払条件", 70, "center", choices=rules.PAYMENT_TERMS),
    Column("status", "状態", 70, "center", choices=rules.STATUSES),
    Column("deadline", "次の期限", 175),
    Column("amount", "契約金額", 90, format="yen", total=True),
    Column("final_amount", "確定額", 90, format="yen"),
    Column("invoiced", "請求済", 90, format="yen", total=True),
    Column("paid", "入金済", 90, format="yen", total=True),
    Column("open", "未収", 90, format="yen", total=True),
]


def dialogs():
    """The contract dialogs, imported when one is first opened (not with the view)."""
    from tama_desk.ui.views import contract_dialogs

    return contract_dialogs


def _deadline_text(deadline: rules.Deadline | None, today: date) -> str:
    if deadline is None:
        return ""
    text = f"{t(rules.DEADLINE_KINDS[deadline.kind])} {deadline.due:%m/%d}"
    if deadline.overdue(today):
        return text + t("（{n}日超過）", n=(today - deadline.due).days)
    return text + t("（あと{n}日）", n=deadline.days_left(today))


def amendment_lines(amendment: dict) -> list[str]:
    """The history lines of a 変更契約: amount and period, then one line per milestone it added, removed or changed."""
    text = t("変更契約: {before}円→{after}円、期間 {start_before}〜{end_before}→{start_after}〜{end_after}（{reason}）",
             before=f"{amendment['amount_before']:,}", after=f"{amendment['amount_after']:,}",
             start_before=format_date(amendment["period_start_before"]),
             end_before=format_date(amendment["period_end_before"]),
             start_after=format_date(amendment["period_start_after"]),
             end_after=format_date(amendment["period_end_after"]), reason=amendment["reason"])
    return [text, *("　" + t(change.text()) for change in amendment["changes"])]


class ContractsView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.fresh, self.loader = Freshness(), loading.Loader(self)
        self.today = date.today()
        self.current: int | None = None
        self.detail: dict | None = None
        self.create_toolbar()
        self.create_panes()

    # -- building ---------------------------------------------------------------------------------
    def create_toolbar(self) -> None:
        bar = ttk.Frame(self)
        bar.pack(fill="x", pady=(0, 8))
        ttk.Label(bar, text=t("委託事業"), font=(None, 14, "bold")).pack(side="left")
        ttk.Label(bar, text=t("対象年度")).pack(side="left", padx=(20, 4))
        self.year = ChoiceBox(bar, {}, blank="（すべて）", on_change=self.refresh, translate=False, width=10)
        self.year.pack(side="left")
        ttk.Button(bar, text=t("新規契約") + " (Ctrl+N)", bootstyle="primary", command=self.on_new).pack(side="right")
        ttk.Button(bar, text=t("取引先を追加"), bootstyle="secondary-outline", command=self.on_new_client).pack(
            side="right", padx=6)
        ttk.Button(bar, text=t("委託事業一覧（Excel）"), bootstyle="secondary-outline", command=self.on_export).pack(
            side="right")

    def create_panes(self) -> None:
        panes = ttk.Panedwindow(self, orient="vertical")
        panes.pack(fill="both", expand=True)
        top = ttk.Frame(panes)
        self.table = DataTable(top, LIST_COLUMNS, on_select=self.on_select, on_open=self.on_select, key="id",
                               height=7, summary=True,
                               tag=lambda row: ("overdue",) if row["overdue"] else ("muted",)
                               if row["status"] in ("cancelled", "estimate") else ())
        self.table.pack(fill="both", expand=True)
        panes.add(top, weight=2)
        bottom = ttk.Frame(panes, padding=(0, 8, 0, 0))
        panes.add(bottom, weight=3)
        self.create_detail(bottom)

    def create_detail(self, parent) -> None:
        head = ttk.Frame(parent)
        head.pack(fill="x")
        self.heading = ttk.Label(head, text=t("契約を選んでください"), font=(None, 12, "bold"))
        self.heading.pack(side="left")
        self.facts = ttk.Label(parent, text="", bootstyle="secondary", justify="left")
        self.facts.pack(fill="x", pady=(2, 6))
        self.facts.bind("<Configure>", lambda e: self.facts.configure(wraplength=max(200, e.width - 8)), add="+")
        actions = ttk.Frame(parent)
        actions.pack(fill="x", pady=(0, 6))
        self.buttons: dict[str, ttk.Button] = {}
        for key, label, command in (
                ("sign", "契約締結", self.on_sign),
                ("complete", "完了届", lambda: self.on_step("complete")), ("inspect", "検査", lambda: self.on_step("inspect")),
                ("invoice", "請求書を発行", self.on_invoice), ("settle", "精算", self.on_settle),
                ("amend", "変更契約", self.on_amend)):
            button = ttk.Button(actions, text=t(label), bootstyle="secondary-outline", command=command)
            button.pack(side="left", padx=(0, 4))
            self.buttons[key] = button
        self.add_menu = self._menu(actions, "追加", (
            ("milestone", "履行段階を追加", self.on_milestone), ("deliverable", "成果物を追加", self.on_deliverable),
            ("submit", "成果物を提出済みに", self.on_submit), ("cost", "経費を追加", self.on_cost),
            ("edit_cost", "選択した経費を修正…", self.on_edit_cost),
            ("attach", "経費の証ひょうを添付・差し替え…", self.on_attach),
            ("voucher", "経費の証ひょうを開く", self.on_open_voucher),
            ("import", "経費の取込…", self.on_import), ("cancel", "契約の中止…", self.on_cancel)))
        self.documents_button = self._menu(actions, "書類", (
            ("estimate", "見積書", lambda: self.on_document("estimate")),
            ("letter", "業務完了届", lambda: self.on_document("letter")),
            ("statement", "委託料精算書", lambda: self.on_document("statement")),
            ("report_pdf", "収支報告（PDF）", lambda: self.on_document("report_pdf")),
            ("report_xlsx", "収支報告（Excel）", lambda: self.on_document("report_xlsx"))))

        self.notebook = ttk.Notebook(parent)
        self.notebook.pack(fill="both", expand=True)
        self.tables: dict[str, DataTable] = {}
        for key, label, columns in (
            ("deadlines", "期限", [Column("kind", "種類", 120, choices=rules.DEADLINE_KINDS),
                                   Column("due", "期限", 100, format="date"),
                                   Column("what", "内容", 420, stretch=True),
                                   Column("state", "", 90)]),
            ("milestones", "履行段階", [Column("position", "回", 40, "center"), Column("name", "名称", 200, stretch=True),
                                        Column("due_date", "期限", 95, format="date"),
                                        Column("amount", "請求額", 100, format="yen", total=True),
                                        Column("completed_on", "完了届", 95, format="date"),
                                        Column("inspected_on", "検査", 95, format="date"),
                                        Column("result", "結果", 60, "center")]),
            ("deliverables", "成果物", [Column("name", "成果物", 240, stretch=True),
                                        Column("due_date", "提出期限", 100, format="date"),
                                        Column("submitted_on", "提出日", 100, format="date")]),
            ("invoices", "請求・入金", [Column("number", "請求書番号", 100), Column("kind", "種類", 110,
                                                                           choices={"invoice": "請求書",
                                                                                    "credit_note": "返還請求書"}),
                                        Column("issue_date", "発行日", 95, format="date"),
                                        Column("due_date", "支払期限", 95, format="date"),
                                        Column("total", "金額", 100, format="yen"),
                                        Column("paid", "入金済", 100, format="yen"),
                                        Column("open", "未入金", 100, format="yen"),
                                        Column("status", "状態", 80, stretch=True,
                                               choices={"unpaid": "未入金", "partial": "一部入金", "paid": "入金済",
                                                        "cancelled": "取消", "credit_note": "返還"})]),
            ("costs", "経費", [Column("voucher_number", "証ひょう番号", 95), Column("payment_date", "支払日", 95,
                                                                              format="date"),
                               Column("category", "費目", 90), Column("payee", "支払先", 170, stretch=True),
                               Column("description", "内容", 170), Column("amount", "支出額（税込）", 105, format="yen",
                                                                        total=True),
                               Column("net", "税抜", 95, format="yen", total=True), Column("split", "", 45),
                               Column("file", "証ひょう", 60, "center")]),
            ("history", "変更履歴", [Column("at", "日時", 140, format="datetime"), Column("user", "担当", 90),
                                     Column("summary", "内容", 600, stretch=True)]),
        ):
            frame = ttk.Frame(self.notebook, padding=4)
            table = DataTable(frame, columns, key="id", height=6, summary=key in ("milestones", "costs"),
                              on_open=(lambda _key: self.on_open_voucher()) if key == "costs" else None,
                              tag=(lambda row: ("overdue",) if row.get("overdue") else ()) if key == "deadlines"
                              else None)
            table.pack(fill="both", expand=True)
            self.notebook.add(frame, text=t(label))
            self.tables[key] = table
        self.payments_label = ttk.Label(self.tables["invoices"].master, text="", bootstyle="secondary")
        self.payments_label.pack(fill="x", pady=(4, 0))
        self.set_actions()

    def _menu(self, parent, label: str, entries) -> ttk.Menubutton:
        button = ttk.Menubutton(parent, text=t(label), bootstyle="secondary-outline")
        menu = ttk.Menu(button, tearoff=False)
        for _key, text, command in entries:
            menu.add_command(label=t(text), command=command)
        button["menu"] = menu
        button.pack(side="left", padx=(8, 0))
        button.entries = [key for key, _text, _command in entries]
        return button

    def commands(self) -> list[tuple[str, object, str]]:
        """The 委託事業 menu of the menu bar."""
        return [(t("新規契約"), self.on_new, "Ctrl+N"), (t("取引先を追加"), self.on_new_client, ""),
                (t("請求書を発行"), self.on_invoice, ""), (t("経費の取込…"), self.on_import, ""),
                (t("委託事業一覧（Excel）"), self.on_export, "Ctrl+E")]

    # -- data -------------------------------------------------------------------------------------
    def on_show(self) -> None:
        loading.on_show(self)  # read in the background; shown again with nothing changed: the lists as they were

    def refresh(self) -> None:
        loading.refresh(self)

    def rows_query(self):
        from tama_desk.services import contracts

        today, year = date.today(), self.year.get()

        def read(session):
            return today, year, contracts.fiscal_years(session), contracts.list_contracts(session, today, year)

        return read

    def present(self, data) -> None:
        self.today, year, years, rows = data
        self.year.set_choices([(y, t("{year}年度", year=y)) for y in years])
        self.year.set(year)
        self.table.set_rows([self.row_values(r) for r in rows])
        if self.current is not None and self.table.select(self.current):
            self.show_detail(self.current)
        elif rows:
            first = self.table.keys()[0]  # the first row shown (the table keeps its own sort order)
            self.table.select(first)
            self.show_detail(first)
        else:
            self.show_detail(None)

    def row_values(self, r) -> dict:
        return {"id": r.id, "fiscal_year": r.fiscal_year, "client": r.client, "title": r.title,
                "payment_terms": r.payment_terms, "status": r.status,
                "deadline": _deadline_text(r.next_deadline, self.today), "amount": r.amount,
                "final_amount": r.final_amount, "invoiced": r.invoiced, "paid": r.paid, "open": r.open,
                "overdue": r.overdue}

    def on_select(self, row) -> None:
        key = row["id"] if isinstance(row, dict) else row
        if key != self.current or self.detail is None:
            self.show_detail(key)

    def show_detail(self, contract_id: int | None) -> None:
        from tama_desk.services import contracts

        self.current = contract_id
        if contract_id is None:
            self.detail = None
            self.heading.configure(text=t("委託契約はまだありません。「新規契約」で登録してください。"))
            self.facts.configure(text="")
            for table in self.tables.values():
                table.set_rows([])
            self.set_actions()
            return
        with self.app.db.reading() as session:
            self.detail = contracts.detail_view(session, contract_id, self.today)
        head = self.detail["header"]
        self.heading.configure(text=f"{head['title']}　{head['client']}")
        final = f"{head['final_amount']:,}円" if head["final_amount"] is not None else t("未確定")
        self.facts.configure(text=t(
            "{status}・{terms}・{kind}　契約番号 {number}　契約日 {signed}　履行期間 {start}〜{end}\n"
            "契約金額 {amount}円（{category}・うち消費税 {tax}円）　確定額 {final}　請求済 {invoiced}円　入金済 {paid}円　"
            "原価（税抜）{cost}円　粗利 {margin}円",
            status=t(rules.STATUSES[head["status"]]), terms=t(rules.PAYMENT_TERMS[head["payment_terms"]]),
            kind=head["kind"], number=head["number"] or "—", signed=format_date(head["signed_on"]) or t("（見積）"),
            start=format_date(head["period_start"]), end=format_date(head["period_end"]),
            amount=f"{head['amount']:,}", category=t(TAX_CATEGORIES[head["tax_category"]]), tax=f"{head['tax_amount']:,}", final=final,
            invoiced=f"{head['invoiced']:,}", paid=f"{head['paid']:,}", cost=f"{head['cost']:,}",
            margin=f"{head['margin']:,}"))
        self.tables["deadlines"].set_rows([{**d, "what": t(d["label"], **d["params"]),
                                            "state": t("超過") if d["overdue"] else ""}
                                           for d in self.detail["deadlines"]])
        self.tables["milestones"].set_rows(self.detail["milestones"])
        self.tables["deliverables"].set_rows(self.detail["deliverables"])
        self.tables["invoices"].set_rows(self.detail["invoices"])
        self.tables["costs"].set_rows(self.detail["costs"])
        history = [{"id": f"a{a['id']}-{index}", "at": a["amended_on"], "user": "", "summary": line}
                   for a in self.detail["amendments"] for index, line in enumerate(amendment_lines(a))]
        self.tables["history"].set_rows(history + self.detail["history"])
        paid = "、".join(f"{p.received_on:%Y-%m-%d} {p.amount:,}円（{p.invoice_number}）"
                        for p in self.detail["payments"])
        self.payments_label.configure(text=t("入金: {list}", list=paid) if paid else t("入金はまだありません"))
        self.set_actions()

    def set_actions(self) -> None:
        """Only what the contract's stage allows is enabled."""
        head = self.detail["header"] if self.detail else None
        live = head is not None and head["cancelled_on"] is None
        signed = live and head["signed_on"] is not None
        enabled = {key: live for key in (*self.buttons, "milestone", "deliverable", "cost", "import", "cancel",
                                         "attach")}
        enabled["voucher"] = head is not None and any(c["file"] for c in self.detail["costs"])
        enabled["edit_cost"] = live and bool(self.detail["costs"])
        enabled.update(sign=live and head["signed_on"] is None, complete=signed, inspect=signed, invoice=signed,
                       settle=signed and head["payment_terms"] == "advance",
                       submit=live and any(d["submitted_on"] is None for d in self.detail["deliverables"]))
        for key, button in self.buttons.items():
            button.configure(state="normal" if enabled[key] else "disabled")
        menu = self.add_menu.nametowidget(self.add_menu["menu"])
        for index, key in enumerate(self.add_menu.entries):
            menu.entryconfigure(index, state="normal" if enabled[key] else "disabled")
        self.add_menu.configure(state="normal" if live else "disabled")
        self.documents_button.configure(state="normal" if head is not None else "disabled")

    # -- actions ----------------------------------------------------------------------------------
    def _after(self, _message: str = "") -> None:
        """After a save in a dialog of the contract shown: that contract's row read alone and put in place, and
        its detail shown again (the list is not read again: 0.4 s for ten years of contracts)."""
        from tama_desk.services import contracts

        key, year = self.current, self.year.get()
        found = []
        if key is not None:
            with self.app.db.reading() as session:
                found = contracts.list_contracts(session, date.today(), contract_id=key)
        row = found[0] if found else None
        if row is None or year not in (None, row.fiscal_year) or row.fiscal_year not in self.year.codes:
            self.refresh()  # gone, no longer in the year shown, or of a year not offered yet
            return
        self.table.put_row(self.row_values(row))
        self.table.select(key)
        self.show_detail(key)

    def _context(self) -> dict:
        head = self.detail["header"]
        return {"contract_id": head["id"], "title": head["title"], "milestones": self.detail["milestones"],
                "payment_terms": head["payment_terms"], "invoiced": head["invoiced"], "amount": head["amount"],
                "period_end": head["period_end"], "period_start": head["period_start"], "version": head["version"]}

    def on_new(self) -> None:
        dialog = dialogs().ContractDialog(self, self.app, on_saved=lambda _m: None)
        self.wait_window(dialog)
        created = dialog.context.get("created")
        if created:
            self.current = created
            self._after()

    def on_new_client(self) -> None:
        dialogs().ClientDialog(self, self.app, on_saved=self._after)

    def on_sign(self) -> None:
        dialogs().SignDialog(self, self.app, on_saved=self._after, **self._context())

    def on_cancel(self) -> None:
        dialogs().CancelDialog(self, self.app, on_saved=self._after, **self._context())

    def on_step(self, step: str) -> None:
        dialogs().StepDialog(self, self.app, on_saved=self._after, step=step, **self._context())

    def on_invoice(self) -> None:
        dialogs().InvoiceDialog(self, self.app, on_saved=self._after, **self._context())

    def on_settle(self) -> None:
        dialogs().SettleDialog(self, self.app, on_saved=self._after, **self._context())

    def on_amend(self) -> None:
        dialogs().AmendDialog(self, self.app, on_saved=self._after, **self._context())

    def on_milestone(self) -> None:
        dialogs().MilestoneDialog(self, self.app, on_saved=self._after, **self._context())

    def on_deliverable(self) -> None:
        dialogs().DeliverableDialog(self, self.app, on_saved=self._after, **self._context())

    def on_cost(self) -> None:
        from tama_desk.services import grants

        with self.app.db.reading() as session:
            categories = grants.categories(session)
        dialogs().CostDialog(self, self.app, on_saved=self._after, categories=categories, **self._context())

    def on_edit_cost(self):
        """経費を修正 for the cost selected in 経費: refused at once (named) when it can no longer be changed."""
        from tama_desk.services import cost_ledger, grants

        cost = self.selected_cost()
        if cost is None:
            self.notebook.select(self.tables["costs"].master)
            feedback.inform(self, t("修正する経費を「経費」の一覧で選んでください"))
            return
        try:
            with self.app.db.reading() as session:
                cost_ledger.editable_cost(session, cost["id"], self.today)
                categories = grants.categories(session)
        except UserError as error:
            feedback.show_error(self, error)
            return

        def saved(_message: str) -> None:
            self._after()
            self.tables["costs"].select(cost["id"])

        return dialogs().CostEditDialog(self, self.app, on_saved=saved, categories=categories, cost=cost,
                                        **self._context())

    def selected_cost(self) -> dict | None:
        chosen = self.tables["costs"].selected()
        return next((c for c in self.detail["costs"] if c["id"] == chosen), None) if self.detail else None

    def on_attach(self) -> None:
        """証ひょう for the cost selected in 経費: attached, or replaced (the earlier file stays in the data folder)."""
        cost = self.selected_cost()
        if cost is None:
            self.notebook.select(self.tables["costs"].master)
            feedback.inform(self, t("証ひょうを添付する経費を「経費」の一覧で選んでください"))
            return
        source = ask_voucher(self)
        if source is not None:
            self.attach(cost["id"], source)

    def attach(self, cost_id: int, source: Path) -> None:
        from tama_desk.services import cost_ledger

        if not feedback.act(self, self.app.db, lambda session: cost_ledger.attach_file(session, cost_id, source)):
            return
        self._after()
        self.tables["costs"].select(cost_id)
        feedback.notify(self, t("証ひょうを添付しました: {name}", name=source.name))

    def on_open_voucher(self) -> None:
        from tama_desk.services import cost_ledger

        cost = self.selected_cost()
        if cost is None:
            return
        with self.app.db.reading() as session:
            stored = cost_ledger.attachment_file(session, cost["id"])
        if stored is None:
            feedback.notify(self, t("この経費には証ひょうが添付されていません（「追加」→「経費の証ひょうを添付・差し替え…」）"))
        else:
            open_file(stored)

    def on_submit(self) -> None:
        """The deliverable selected in 成果物 (or the first one not yet handed in) was submitted today."""
        from tama_desk.services import contracts

        pending = [d for d in self.detail["deliverables"] if d["submitted_on"] is None]
        chosen = self.tables["deliverables"].selected()
        target = next((d for d in pending if d["id"] == chosen), pending[0] if pending else None)
        if target is None:
            return
        if not feedback.confirm(self, t("成果物「{name}」を本日 {date} 提出済みにしますか？", name=target["name"],
                                        date=f"{self.today:%Y-%m-%d}"), ok_label="提出済みにする"):
            return
        with self.app.db.transaction() as session:
            contracts.submit_deliverable(session, target["id"], self.today)
        feedback.notify(self, t("{title}: 成果物「{name}」を提出済みにしました", title=self.detail["header"]["title"],
                                name=target["name"]))
        self.refresh()

    def on_import(self) -> None:
        chosen = filedialog.askopenfilename(parent=self, title=t("経費の取込"),
                                            filetypes=[(t("CSV / Excel"), "*.csv *.xlsx"), (t("すべて"), "*")])
        if chosen:
            dialogs().CostImportDialog(self, self.app, self.current, Path(chosen), self.on_imported)

    def on_imported(self, message: str) -> None:
        self.refresh()
        feedback.notify(self, message)

    def on_export(self) -> None:
        from tama_desk.exports import contract_register
        from tama_desk.services import contract_documents, contracts

        year = self.year.get()
        if year is None:
            with self.app.db.reading() as session:
                years = contracts.fiscal_years(session)
            if not years:
                feedback.inform(self, t("委託契約はありません"))
                return
            year = years[0]
        path = filedialog.asksaveasfilename(parent=self, title=t("委託事業一覧"), defaultextension=".xlsx",
                                            initialfile=f"委託事業一覧_{year}年度.xlsx",
                                            filetypes=[("Excel", "*.xlsx"), ("CSV", "*.csv")])
        if not path:
            return

        def build(session) -> bytes:
            rows = contract_documents.register(session, date.today(), year)
            return (contract_register.register_csv(rows) if path.lower().endswith(".csv")
                    else contract_register.register_xlsx(rows, year))

        feedback.write_file_with_progress(self, self.app.db, Path(path), build, "委託事業一覧")

    def on_document(self, which: str) -> None:
        from tama_desk.services import contract_documents

        head = self.detail["header"]
        names = {"estimate": "見積書", "letter": "業務完了届", "statement": "委託料精算書", "report_pdf": "収支報告",
                 "report_xlsx": "収支報告"}
        suffix = ".xlsx" if which == "report_xlsx" else ".pdf"
        path = filedialog.asksaveasfilename(parent=self, title=t(names[which]), defaultextension=suffix,
                                            initialfile=f"{t(names[which])}_{head['title'][:30]}{suffix}")
        if not path:
            return
        try:
            with self.app.db.reading() as session:
                if which.startswith("report"):
                    report = contract_documents.balance_report(session, head["id"], self.today)
                    if which == "report_pdf":
                        from tama_desk.documents.contract_report import render

                        data = render(report)
                    else:
                        from tama_desk.exports.contract_register import report_xlsx

                        data = report_xlsx(report)
                else:
                    data, _what = contract_documents.render_document(session, which, head["id"], self.today)
        except Exception as error:  # a UserError (no 完了届 yet …) or anything else: shown in one place
            feedback.show_error(self, error)
            return
        write_atomic(Path(path), data)
        feedback.notify(self, feedback.written_message(names[which], path), toast=True)
