"""補助金 view: every grant with its spending against budget; the selected grant's categories and
expenditures below, with entry, import, reallocation, vouchers, reports and exports."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk import paths
from tama_desk.domain.dates import parse_date
from tama_desk.errors import Problem, UserError
from tama_desk.fileio import write_atomic
from tama_desk.i18n import t
from tama_desk.services import grants
from tama_desk.ui import feedback, loading
from tama_desk.ui.desktop import ask_voucher, open_file
from tama_desk.ui.fresh import Freshness
from tama_desk.ui.widgets import Column, DataTable
from tama_desk.ui.widgets.flow import FlowFrame
from tama_desk.ui.widgets.table import TAG_COLOURS
from tama_desk.ui.widgets.values import show_date

COLUMNS = [
    Column("year", "年度", 55, "center"),
    Column("name", "事業名", 250, stretch=True),
    Column("grantor", "補助元", 140),
    Column("status", "状態", 80, "center", choices=grants.STATUSES),
    Column("decided", "交付決定額", 105, format="yen"),
    Column("budget", "予算（流用後）", 110, format="yen"),
    Column("spent", "支出済", 105, format="yen"),
    Column("bar", "執行率", 150, sort="number", value=lambda row: row["share"],
           format=lambda share: share_bar_of(share, LIST_CELLS)),
]
CATEGORY_COLUMNS = [Column("category", "費目", 96, stretch=True), Column("budget", "流用後予算", 100, format="yen"),
                    Column("spent", "支出済", 100, format="yen"), Column("remaining", "残額", 96, format="yen"),
                    Column("rate", "執行率", 56, "e")]
EXPENDITURE_COLUMNS = [Column("voucher_number", "証ひょう番号", 104), Column("payment_date", "支払日", 94, "center"),
                       Column("category", "費目", 84), Column("payee", "支払先", 130, stretch=True),
                       Column("amount", "支出額", 84, format="yen"),
                       Column("file", "証ひょう", 72, "center", value=lambda e: "✔" if e.attachment_path else "")]
WARNING_SHARE, DANGER_SHARE = 0.9, 1.0
LIST_CELLS = 10
MAX_LIST_ROWS = 5


def share_bar(spent: int, budget: int, cells: int) -> str:
    """'██████░░░░ 62%': block characters, fast in a Treeview and readable in any theme."""
    return share_bar_of(spent / budget if budget else 0.0, cells)


def share_bar_of(share: float, cells: int) -> str:
    filled = max(0, min(cells, round(share * cells)))
    return "█" * filled + "░" * (cells - filled) + f" {share * 100:.0f}%"


def share_percent(spent: int, budget: int) -> str:
    return f"{spent * 100 / budget:.0f}%" if budget else "—"


def share_tag(spent: int, budget: int) -> str:
    """'danger' over budget, 'warning' from 90%, '' otherwise."""
    if budget <= 0:
        return "danger" if spent > 0 else ""
    if spent > budget * DANGER_SHARE:
        return "danger"
    return "warning" if spent >= budget * WARNING_SHARE else ""


def grant_burn_rows(db) -> list[tuple[str, int, int]]:
    with db.reading() as session:
        return grants.burn_rows(session)


def _file_part(text: str) -> str:
    """A grant name made safe as part of a file name."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")[:60] or "grant"


def grant_rows(session, grant_ids=None) -> list[dict]:
    """The grants list (or these grants' rows): each grant settled (services.grants.settle_all), as plain
    values."""
    shown = []
    for grant, settlement in grants.settle_all(session, grant_ids):
        budget, spent = settlement.total("after_reallocation"), settlement.total("actual")
        shown.append({"id": grant.id, "year": grant.fiscal_year, "name": grant.name, "grantor": grant.grantor,
                      "status": grant.status, "decided": grant.decided_amount, "budget": budget, "spent": spent,
                      "share": spent / budget if budget else 0.0, "tag": share_tag(spent, budget)})
    return shown


class GrantsView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.fresh, self.loader = Freshness(), loading.Loader(self)
        self.grant_id: int | None = None
        self.grant_name = ""
        self.actions: list[ttk.Widget] = []
        self.create_toolbar()
        self.create_list()
        self.create_detail()

    # -- building ---------------------------------------------------------------------------------
    def create_toolbar(self) -> None:
        bar = ttk.Frame(self)
        bar.pack(fill="x")
        ttk.Label(bar, text=t("補助金"), font=(self.app.font_family, 15, "bold")).pack(side="left")
        self.count_label = ttk.Label(bar, bootstyle="secondary")
        self.count_label.pack(side="left", padx=12)
        ttk.Button(bar, text=t("新規") + " (Ctrl+N)", bootstyle="success", command=self.on_new).pack(side="right")

    def create_list(self) -> None:
        frame = ttk.Frame(self, padding=(0, 10, 0, 0))
        frame.pack(fill="x")
        self.table = DataTable(frame, COLUMNS, height=2, on_select=lambda _key: self.on_select(),
                               on_open=lambda _key: self.on_entry(), tag=lambda row: (row["tag"],))
        self.table.pack(fill="x")
        self.tree = self.table.tree

    def create_detail(self) -> None:
        self.detail = ttk.Frame(self, padding=(0, 12, 0, 0))
        self.detail.pack(fill="both", expand=True)
        self.heading = ttk.Label(self.detail, font=(self.app.font_family, 13, "bold"))
        self.heading.pack(anchor="w")
        self.facts = ttk.Label(self.detail, bootstyle="secondary", justify="left")
        self.facts.pack(anchor="w", fill="x", pady=(2, 0))
        self.detail.bind("<Configure>", lambda e: self.facts.configure(wraplength=max(300, e.width - 10)))
        self.cards = FlowFrame(self.detail, padding=(0, 8, 0, 0))
        self.cards.pack(fill="x")
        self.create_actions()
        panes = ttk.Panedwindow(self.detail, orient="horizontal")
        panes.pack(fill="both", expand=True, pady=(10, 0))
        left, right = ttk.Frame(panes), ttk.Frame(panes, padding=(8, 0, 0, 0))
        panes.add(left, weight=0)
        panes.add(right, weight=1)
        ttk.Label(left, text=t("経費区分"), font=(self.app.font_family, 10, "bold")).pack(anchor="w", pady=(0, 2))
        self.category_table = DataTable(left, CATEGORY_COLUMNS, key="category", height=10, sortable=False,
                                        tag=lambda row: row["tags"])
        self.category_table.pack(fill="both", expand=True)
        self.categories = self.category_table.tree
        self.categories.tag_configure("total", font=(self.app.font_family, 10, "bold"))
        self.expenditure_title = ttk.Label(right, text=t("支出"), font=(self.app.font_family, 10, "bold"))
        self.expenditure_title.pack(anchor="w", pady=(0, 2))
        self.expenditure_table = DataTable(right, EXPENDITURE_COLUMNS, height=10, tag=self.expenditure_tags,
                                           on_open=lambda _key: self.on_open_attachment())
        self.expenditure_table.pack(fill="both", expand=True)
        self.expenditures = self.expenditure_table.tree
        ttk.Label(right, text=t("橙: 事業期間外・交付決定にない費目　灰: 補助対象外　✔: 証ひょう添付済（ダブルクリックで開く）"),
                  bootstyle="secondary", font=(self.app.font_family, 8)).pack(anchor="w", pady=(2, 0))

    def show_cards(self, cards: list[tuple[str, str, str]]) -> None:
        """Key figures side by side: label, amount, and the bootstyle of the amount."""
        for child in self.cards.winfo_children():
            child.destroy()
        for label, figure, style in cards:
            card = ttk.Frame(self.cards, padding=(12, 5), bootstyle="light")
            ttk.Label(card, text=label, bootstyle="@light", font=(self.app.font_family, 9)).pack(anchor="w")
            value = ttk.Label(card, text=figure, bootstyle=f"{style} @light" if style else "@light",
                              font=(self.app.font_family, 12, "bold"))
            value.pack(anchor="w")
            if style == "warning":  # the theme's warning yellow is too pale for text
                value.configure(bootstyle="@light", foreground=TAG_COLOURS["warning"])
        self.cards.reflow()

    def create_actions(self) -> None:
        bar = FlowFrame(self.detail, gap=6)  # wraps on a narrow window (or in English)
        bar.pack(fill="x")
        for text, command, style in [
            (t("支出を入力"), self.on_entry, "primary"),
            (t("支出の取込…"), self.on_import, "primary-outline"),
            (t("流用…"), self.on_reallocate, "secondary-outline"),
        ]:
            button = ttk.Button(bar, text=text, command=command, bootstyle=style)
            self.actions.append(button)
        for text, items in [
            (t("選択した支出"), [(t("修正…"), self.on_edit_expenditure), (t("証ひょう添付…"), self.on_attach),
                            (t("削除…"), self.on_delete_expenditure)]),
            (t("支出一覧"), [(t("Excel で保存…"), lambda: self.on_export("xlsx")),
                          (t("CSV で保存…"), lambda: self.on_export("csv"))]),
            (t("報告書"), [(t("実績報告書 PDF…"), lambda: self.on_report("pdf")),
                         (t("実績報告書 Excel…"), lambda: self.on_report("xlsx")),
                         (t("中間報告 PDF…"), self.on_interim)]),
            (t("状態"), [(t(label), lambda code=code: self.on_status(code)) for code, label in grants.STATUSES.items()]),
        ]:
            button = ttk.Menubutton(bar, text=text, bootstyle="secondary-outline")
            menu = ttk.Menu(button, tearoff=False)
            for label, command in items:
                menu.add_command(label=label, command=command)
            button.configure(menu=menu)
            self.actions.append(button)
        bar.reflow()

    # -- reacting ---------------------------------------------------------------------------------
    def on_show(self) -> None:
        loading.on_show(self)  # read in the background; shown again with nothing changed: the lists as they were

    def refresh(self) -> None:
        """The list of grants, keeping the selection (the first grant when none was chosen)."""
        loading.refresh(self)

    def rows_query(self):
        return grant_rows

    def present(self, rows: list[dict]) -> None:
        self.table.set_rows(rows, keep_order=self.table.sort_key is None)
        self.show_count()
        chosen = self.grant_id if self.grant_id is not None and self.table.row(self.grant_id) else None
        chosen = chosen if chosen is not None else (self.table.keys() or [None])[0]
        self.grant_id = chosen
        if chosen is not None:
            self.table.select(chosen)
        self.show_detail()

    def show_count(self) -> None:
        """The list as tall as its grants (up to MAX_LIST_ROWS) and their number beside the title."""
        count = len(self.table.rows)
        self.tree.configure(height=max(2, min(MAX_LIST_ROWS, count)))
        self.count_label.configure(text=t("{n} 事業", n=count))

    def on_select(self) -> None:
        chosen = self.table.selected()
        if chosen != self.grant_id:
            self.grant_id = chosen
            self.show_detail()

    def show_detail(self) -> None:
        self.category_table.clear()
        self.expenditure_table.clear()
        if self.grant_id is None:
            self.heading.configure(text=t("補助事業はまだありません"))
            self.facts.configure(text=t("「新規」で交付決定の内容と経費区分ごとの予算を登録してください。"))
            self.show_cards([])
            for widget in self.actions:
                widget.configure(state="disabled")
            return
        with self.app.db.reading() as session:
            grant = grants.get_grant(session, self.grant_id)
            settlement = grants.settle(session, self.grant_id)
            spending = grants.expenditures(session, self.grant_id)
        for widget in self.actions:
            widget.configure(state="normal")
        self.grant_name = grant.name
        self.heading.configure(text=grant.name)
        self.facts.configure(text=self.describe(grant))
        budget, spent = settlement.total("after_reallocation"), settlement.total("actual")
        cards = [(t("交付決定額"), f"{grant.decided_amount:,}円", ""),
                 (t("予算（流用後）"), f"{budget:,}円", ""),
                 (t("支出済"), f"{spent:,}円（{share_percent(spent, budget)}）", share_tag(spent, budget)),
                 (t("補助対象経費"), f"{settlement.eligible_cost:,}円", ""),
                 (t("補助金見込"), f"{settlement.subsidy:,}円", "primary")]
        if grant.advance_paid:
            cards.append((t("概算払（返還見込）"), f"{grant.advance_paid:,}円（{settlement.to_return:,}円）",
                          "danger" if settlement.to_return else ""))
        self.show_cards(cards)
        rows = []
        for row in settlement.categories:
            budget_after = row.after_reallocation
            rows.append({"category": row.category, "budget": budget_after, "spent": row.actual,
                         "remaining": row.remaining, "tags": (share_tag(row.actual, budget_after),),
                         "rate": share_percent(row.actual, budget_after) if budget_after else t("予算なし")})
        rows.append({"category": "__total__", "budget": budget, "spent": spent, "remaining": budget - spent,
                     "rate": share_percent(spent, budget), "tags": ("total", share_tag(spent, budget))})
        self.category_table.set_rows(rows)
        self.categories.set("__total__", "category", t("合計"))
        self.decided = {budget_row.category for budget_row in grant.budgets}
        self.period = (grant.period_start, grant.period_end)
        self.expenditure_table.set_rows(list(reversed(spending)), keep_order=self.expenditure_table.sort_key is None)
        self.expenditure_title.configure(text=t("支出（{n} 件）", n=len(spending)))

    def expenditure_tags(self, expenditure) -> tuple[str, ...]:
        """Orange outside the period or the decided categories, grey when nothing of it is eligible."""
        start, end = self.period
        if expenditure.category not in self.decided or not start <= expenditure.payment_date <= end:
            return ("warning",)
        return ("muted",) if not expenditure.eligible_amount else ()

    def describe(self, grant) -> str:
        decision = t("交付決定 {date}", date=show_date(self, grant.decision_date)) if grant.decision_date else ""
        if grant.decision_number:
            decision += f"（{grant.decision_number}）"
        first = [t("{year}年度", year=grant.fiscal_year), grant.grantor, grant.programme, decision]
        second = [t("事業期間 {start}〜{end}", start=show_date(self, grant.period_start),
                    end=show_date(self, grant.period_end)),
                  t("補助率 {rate}（{formula}、{unit}円未満切捨）", rate=grant.rate,
                    formula=t(grants.FORMULAS.get(grant.formula, grant.formula)), unit=f"{grant.rounding_unit:,}"),
                  t("状態: {status}", status=t(grants.STATUSES.get(grant.status, grant.status)))]
        return "\n".join("　".join(part for part in parts if part) for parts in (first, second))

    def on_changed(self, message: str = "") -> None:
        """After a change to the grant shown (an expenditure saved, imported or deleted, a reallocation, its
        status, a new grant): that grant's row settled again and put in place, and its detail shown again. Not
        every grant settled again: that takes a second at ten-year scale, and a save must not."""
        grant_id = self.grant_id
        with self.app.db.reading() as session:
            found = grant_rows(session, [grant_id]) if grant_id is not None else []
        if found:
            self.table.put_row(found[0])
            self.show_count()
            self.table.select(grant_id)
            self.show_detail()
        else:
            self.refresh()
        if message:
            feedback.notify(self, message)

    def on_new(self) -> None:
        from tama_desk.ui.views.grant_dialogs import GrantDialog  # the dialogs are imported when first opened

        GrantDialog(self, self.app, on_saved=self.on_created)

    def on_created(self, grant_id: int, message: str) -> None:
        self.grant_id = grant_id
        self.on_changed(message)

    def on_entry(self) -> None:
        if self.grant_id is not None:
            from tama_desk.ui.views.grant_dialogs import ExpenditureDialog

            ExpenditureDialog(self, self.app, self.grant_id, on_saved=self.on_changed)

    def on_import(self) -> None:
        if self.grant_id is None:
            return
        path = filedialog.askopenfilename(parent=self, title=t("支出の取込"),
                                          filetypes=[(t("Excel / CSV"), "*.xlsx *.csv"), (t("すべてのファイル"), "*.*")])
        if path:
            from tama_desk.ui.views.grant_dialogs import ExpenditureImportDialog

            ExpenditureImportDialog(self, self.app, self.grant_id, Path(path), on_done=self.on_changed)

    def on_reallocate(self) -> None:
        if self.grant_id is not None:
            from tama_desk.ui.views.grant_dialogs import ReallocationDialog

            ReallocationDialog(self, self.app, self.grant_id, on_saved=self.on_changed)

    def selected_expenditure(self) -> int | None:
        return self.expenditure_table.selected()

    def on_edit_expenditure(self) -> None:
        expenditure_id = self.selected_expenditure()
        if expenditure_id is None:
            feedback.inform(self, t("修正する支出を一覧で選んでください"))
            return
        from tama_desk.ui.views.grant_dialogs import ExpenditureDialog

        ExpenditureDialog(self, self.app, self.grant_id, on_saved=self.on_changed, expenditure_id=expenditure_id)

    def on_delete_expenditure(self) -> None:
        expenditure_id = self.selected_expenditure()
        if expenditure_id is None:
            feedback.inform(self, t("削除する支出を一覧で選んでください"))
            return
        try:  # said before the reason is asked for: inside its retention period it cannot go
            with self.app.db.reading() as session:
                grants.check_deletable(session, expenditure_id)
        except UserError as error:
            feedback.show_error(self, error)
            return
        reason = feedback.ask_reason(self, t("支出の削除"), t("削除の理由（記録されます）:"))
        if reason:
            row = self.expenditure_table.row(expenditure_id)
            self.run_action(lambda session: grants.delete_expenditure(session, expenditure_id, reason),
                            t("支出 {voucher} {payee} {amount:,}円を削除しました", voucher=row.voucher_number,
                              payee=row.payee, amount=row.amount))

    def on_status(self, status: str) -> None:
        if self.grant_id is not None:
            grant_id = self.grant_id
            self.run_action(lambda session: grants.set_status(session, grant_id, status),
                            t("{name} の状態を「{status}」にしました", name=self.grant_name,
                              status=t(grants.STATUSES[status])))

    def run_action(self, action, message: str) -> None:
        """One user action, one transaction; a refusal is shown and nothing changes."""
        if feedback.act(self, self.app.db, action):
            self.on_changed(message)

    def on_attach(self) -> None:
        expenditure_id = self.selected_expenditure()
        if expenditure_id is None:
            feedback.inform(self, t("証ひょうを添付する支出を一覧で選んでください"))
            return
        path = ask_voucher(self)
        if path:
            self.attach(expenditure_id, path)

    def attach(self, expenditure_id: int, source: Path) -> None:
        if not feedback.act(self, self.app.db, lambda session: grants.attach_file(session, expenditure_id, source)):
            return
        self.show_detail()
        self.expenditure_table.select(expenditure_id)
        row = self.expenditure_table.row(expenditure_id)
        feedback.notify(self, t("支出 {voucher} に証ひょうを添付しました: {name}",
                                voucher=row.voucher_number if row else "", name=source.name))

    def on_open_attachment(self) -> None:
        expenditure_id = self.selected_expenditure()
        if expenditure_id is None:
            return
        with self.app.db.reading() as session:
            stored = next((e.attachment_path for e in grants.expenditures(session, self.grant_id)
                           if e.id == expenditure_id), "")
        if stored:
            open_file(paths.data_dir() / stored)
        else:
            feedback.notify(self, t("この支出には証ひょうが添付されていません（「証ひょう添付…」で添付）"))

    def on_export(self, file_format: str = "xlsx") -> None:
        """支出一覧 as Excel or CSV (Ctrl+E: Excel)."""
        if self.grant_id is None:
            return
        suffix = ".xlsx" if file_format == "xlsx" else ".csv"
        kinds = [(t("Excel ブック"), "*.xlsx")] if file_format == "xlsx" else [(t("CSV (UTF-8)"), "*.csv")]
        path = filedialog.asksaveasfilename(parent=self, title=t("支出一覧"), defaultextension=suffix,
                                            initialfile=f"{_file_part(self.grant_name)}_経費支出一覧{suffix}",
                                            filetypes=kinds)
        if path:
            self.write_expenditures(Path(path), file_format)

    def write_expenditures(self, path: Path, file_format: str) -> None:
        from tama_desk.exports import grant_io  # openpyxl: imported on the first export, not with the view

        grant_id = self.grant_id

        def build() -> bytes:
            with self.app.db.reading() as session:
                return grant_io.export_bytes(grants.expenditures(session, grant_id), file_format)

        self.write_file(path, build, "支出一覧")

    def on_report(self, file_format: str) -> None:
        suffix = f".{file_format}"
        kinds = [(t("PDF"), "*.pdf")] if file_format == "pdf" else [(t("Excel ブック"), "*.xlsx")]
        path = filedialog.asksaveasfilename(parent=self, title=t("実績報告書"), defaultextension=suffix,
                                            initialfile=f"{_file_part(self.grant_name)}_実績報告書{suffix}",
                                            filetypes=kinds)
        if path:
            self.write_report(Path(path), file_format)

    def on_interim(self) -> None:
        answer = feedback.ask_text(self, t("中間報告"), t("何日現在の支出で作りますか（例: 2026-09-30）"),
                                   date.today().isoformat())
        if not answer:
            return
        try:
            as_of = parse_date(answer)
        except ValueError as error:
            feedback.show_error(self, UserError("入力を確認してください", [Problem(str(error), "基準日")]))
            return
        path = filedialog.asksaveasfilename(parent=self, title=t("中間報告"), defaultextension=".pdf",
                                            initialfile=f"{_file_part(self.grant_name)}_中間報告_{as_of:%Y%m%d}.pdf",
                                            filetypes=[(t("PDF"), "*.pdf")])
        if path:
            self.write_report(Path(path), "pdf", as_of)

    def write_report(self, path: Path, file_format: str, as_of: date | None = None) -> None:
        """The 実績報告書 (or with `as_of` the 中間報告), gathered and rendered off the Tk thread."""
        grant_id, today = self.grant_id, date.today()

        def build() -> bytes:
            with self.app.db.reading() as session:
                report = grants.build_report(session, grant_id, today, as_of)
            if file_format == "pdf":
                from tama_desk.documents.grant_report import render

                return render(report)
            from tama_desk.exports.grant_excel import report_xlsx

            return report_xlsx(report)

        self.write_file(path, build, "中間報告" if as_of else "実績報告書")

    def write_file(self, path: Path, build, what: str) -> None:
        def work(_job):
            write_atomic(path, build())
            return path

        feedback.run_with_progress(self, t(what), work, lambda written: feedback.written_message(what, written))
