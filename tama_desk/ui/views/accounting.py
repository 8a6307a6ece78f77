"""会計連携: the revenue picture (where the money comes from, how long without grants), journal exports for the
accountant, 口座振替, and the account mapping. Every figure comes from services; no db.models here."""

from __future__ import annotations

from datetime import date
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import accounting, debits, profile, revenue
from tama_desk.ui import feedback, loading
from tama_desk.ui.fresh import Freshness
from tama_desk.ui.widgets import Column, DataTable, Form

FORMAT_CHOICES = {key: label for key, (label, _module) in accounting.FORMATS.items()}
FORMAT_SUFFIX = {"yayoi": ".csv", "mf": ".csv", "freee": ".csv"}
SOURCE_COLOURS = {"dues": "#3366b3", "contracts": "#4d9e66", "grants": "#e69933", "business": "#8c8c99"}
CHART_HEIGHT = 200
CARD_WRAP = 170


def lists_of(session) -> tuple:
    """The journal batches, the 口座振替 mandates and requests, and the 委託者 (present_lists' arguments)."""
    return (accounting.batch_rows(session), debits.mandate_rows(session), debits.request_rows(session),
            debits.client_text(session))


class AccountingView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.fresh, self.loader = Freshness(), loading.Loader(self)
        self.picture: revenue.RevenuePicture | None = None
        ttk.Label(self, text=t("会計連携"), font=(getattr(app, "font_family", None), 15, "bold")).pack(anchor="w")
        self.notebook = ttk.Notebook(self)
        self.notebook.pack(fill="both", expand=True, pady=(8, 0))
        self.tabs: dict[str, ttk.Frame] = {}
        for key, label in (("revenue", "収入の状況"), ("journal", "仕訳の書き出し"), ("debits", "口座振替")):
            frame = ttk.Frame(self.notebook, padding=12)
            self.notebook.add(frame, text=t(label))
            self.tabs[key] = frame
        self.create_revenue(self.tabs["revenue"])
        self.create_journal(self.tabs["journal"])
        self.create_debits(self.tabs["debits"])

    # -- building ---------------------------------------------------------------------------------
    def create_revenue(self, parent) -> None:
        bar = ttk.Frame(parent)
        bar.pack(fill="x")
        ttk.Label(bar, text=t("年度")).pack(side="left")
        self.year = ttk.Spinbox(bar, from_=2000, to=2100, width=6, command=self.refresh_revenue)
        self.year.pack(side="left", padx=(6, 12))
        self.year.bind("<Return>", lambda _e: self.refresh_revenue())
        ttk.Button(bar, text=t("Excel…"), bootstyle="secondary-outline", command=lambda: self.on_report(".xlsx")).pack(
            side="right")
        ttk.Button(bar, text=t("PDF…"), bootstyle="secondary-outline", command=lambda: self.on_report(".pdf")).pack(
            side="right", padx=6)
        figures = ttk.Frame(parent, padding=(0, 10))
        figures.pack(fill="x")
        figures.rowconfigure(0, weight=1)
        self.figure_labels: dict[str, tuple[ttk.Label, ttk.Label]] = {}
        self.card_labels: list[ttk.Label] = []
        for column, (key, caption) in enumerate((
                ("total", "収入合計"), ("own", "会費＋委託事業"), ("months", "補助金なしで賄える月数"),
                ("next", "翌年度（補助金が予定どおり終わる場合）"), ("collection", "会費の回収率"))):
            card = ttk.Frame(figures, padding=(12, 8), bootstyle="light")
            card.grid(row=0, column=column, sticky="nsew", padx=(0, 8))
            figures.columnconfigure(column, weight=1, uniform="card")
            title = ttk.Label(card, text=t(caption), bootstyle="@light", wraplength=CARD_WRAP)
            title.pack(anchor="w")
            figure = ttk.Label(card, text="—", font=(getattr(self.app, "font_family", None), 13, "bold"),
                               bootstyle="@light")
            figure.pack(anchor="w")
            note = ttk.Label(card, text="", bootstyle="@light", wraplength=CARD_WRAP)
            note.pack(anchor="w")
            self.figure_labels[key] = (figure, note)
            card.bind("<Configure>", lambda event, labels=(title, note): [
                label.configure(wraplength=max(80, event.width - 32)) for label in labels])
        lower = ttk.Notebook(parent, bootstyle="light")
        lower.pack(fill="both", expand=True)
        self.chart = ttk.Canvas(lower, height=CHART_HEIGHT, width=360, highlightthickness=0, background="white")
        self.chart.bind("<Configure>", lambda _e: self.draw_chart())
        self.sources_box = ttk.Frame(lower, padding=4)
        lower.add(self.chart, text=t("グラフ"))
        lower.add(self.sources_box, text=t("表"))
        funds = ttk.Frame(lower, padding=4)
        lower.add(funds, text=t("補助金・委託事業"))
        self.grant_table = DataTable(funds, [
            Column("name", "補助金", 160, stretch=True), Column("decided", "交付決定額", 95, format="yen"),
            Column("received", "受取済", 95, format="yen"), Column("period_end", "終了日", 90, format="date"),
            Column("next", "翌年度", 90)], key="name", height=4, sortable=False)
        self.grant_table.pack(side="left", fill="both", expand=True)
        self.pipeline_table = DataTable(funds, [
            Column("name", "委託事業", 160, stretch=True), Column("client", "委託元", 80),
            Column("status", "状態", 60), Column("amount", "金額", 95, format="yen")], key="name", height=4,
            sortable=False)
        self.pipeline_table.pack(side="left", fill="both", expand=True, padx=(8, 0))
        self.sources: DataTable | None = None

    def create_journal(self, parent) -> None:
        self.journal_form = Form(parent, scroll=False, on_submit=self.on_export)
        self.journal_form.add("format", "形式", "choice", choices=FORMAT_CHOICES, initial="yayoi", width=30)
        self.journal_form.add("start", "期間の始め", "date", required=True, column=2, row=0, width=14)
        self.journal_form.add("end", "期間の終わり", "date", required=True, column=4, row=0, width=14)
        self.journal_form.pack(fill="x")
        bar = ttk.Frame(parent, padding=(0, 8))
        bar.pack(fill="x")
        ttk.Button(bar, text=t("書き出す…"), bootstyle="primary", command=self.on_export).pack(side="left")
        ttk.Button(bar, text=t("勘定科目の対応…"), bootstyle="secondary-outline",
                   command=self.on_account_mapping).pack(side="right")  # the same dialog as 設定's
        ttk.Label(bar, text=t("書き出した記録は印が付き、同じ形式で重なる期間はもう一度書き出すか確かめます"),
                  bootstyle="secondary", wraplength=420, justify="left").pack(side="left", padx=12)
        ttk.Label(parent, text=t("書き出しの記録"), font=(getattr(self.app, "font_family", None), 11, "bold")).pack(
            anchor="w", pady=(8, 2))
        self.batches = DataTable(parent, [
            Column("id", "バッチ", 60, anchor="e"), Column("format", "形式", 180),
            Column("start", "期間の始め", 100, format="date"), Column("end", "期間の終わり", 100, format="date"),
            Column("entries", "仕訳", 60, anchor="e"), Column("rows", "行", 60, anchor="e"),
            Column("total", "借方合計", 120, format="yen"), Column("at", "日時", 140, format="datetime"),
            Column("who", "担当", 90), Column("again", "再出力", 70, choices={"再出力": "再出力", "": ""}),
            Column("reason", "理由", 160), Column("file", "ファイル", 180, stretch=True)], height=12)
        self.batches.pack(fill="both", expand=True)

    def create_debits(self, parent) -> None:
        top = ttk.Frame(parent)
        top.pack(fill="x")
        ttk.Label(top, text=t("委託者")).pack(side="left")
        self.client_label = ttk.Label(top, text="", bootstyle="secondary")
        self.client_label.pack(side="left", padx=8)
        ttk.Button(top, text=t("委託者を設定…"), bootstyle="secondary-outline", command=self.on_client).pack(
            side="right")
        bar = ttk.Frame(parent, padding=(0, 8))
        bar.pack(fill="x")
        for label, command, style, side in (
                ("依頼書を登録…", self.on_mandate, "primary", "left"),
                ("登録済にする", lambda: self.on_status("registered"), "secondary", "left"),
                ("停止にする", lambda: self.on_status("stopped"), "secondary", "left"),
                ("結果を取り込む…", self.on_result, "primary-outline", "right"),
                ("依頼ファイルを作成…", self.on_request, "primary-outline", "right")):
            ttk.Button(bar, text=t(label), bootstyle=style, command=command).pack(
                side=side, padx=(0, 6) if side == "left" else (6, 0))
        files = ttk.Frame(parent)  # packed before the mandates so it is never squeezed out
        files.pack(side="bottom", fill="x")
        head = ttk.Frame(files)
        head.pack(fill="x", pady=(8, 2))
        ttk.Label(head, text=t("依頼ファイル"), font=(getattr(self.app, "font_family", None), 11, "bold")).pack(
            side="left")
        ttk.Button(head, text=t("お振込のお願い…"), bootstyle="secondary-outline",
                   command=self.on_transfer_letters).pack(side="right")
        self.requests = DataTable(files, [
            Column("id", "番号", 50, anchor="e"), Column("date", "引落日", 100, format="date"),
            Column("count", "件数", 60, anchor="e"), Column("total", "金額", 120, format="yen"),
            Column("answered", "回答", 60, anchor="e"), Column("failed", "振替不能", 70, anchor="e"),
            Column("state", "状態", 100, choices={"回答済": "回答済", "回答待ち": "回答待ち"}),
            Column("at", "作成", 140, format="datetime", stretch=True)], height=4)
        self.requests.pack(fill="x")
        self.mandates = DataTable(parent, [
            Column("number", "会員番号", 80), Column("name", "会員名", 220, stretch=True),
            Column("status", "状態", 90, choices=debits.STATUSES),
            Column("bank", "金融機関", 150), Column("branch", "支店", 130),
            Column("type", "種目", 50, value=lambda row: t(row["type"])),
            Column("account", "口座番号", 80), Column("holder", "預金者名", 170)],
            height=6, tag=lambda row: ("muted",) if row["status"] == "stopped" else
            ("warning",) if row["status"] == "applied" else ())
        self.mandates.pack(fill="both", expand=True)

    def commands(self) -> list[tuple[str, object, str]]:
        """The 会計連携 menu of the menu bar."""
        return [(t("仕訳を書き出す…"), self.on_export, "Ctrl+E"), (t("口座振替の依頼ファイルを作成…"), self.on_request, ""),
                (t("振替結果を取り込む…"), self.on_result, ""), (t("勘定科目の対応…"), self.on_account_mapping, ""), (t("収入の状況（Excel）…"), lambda: self.on_report(".xlsx"), ""),
                (t("収入の状況（PDF）…"), lambda: self.on_report(".pdf"), "")]

    # -- loading ----------------------------------------------------------------------------------
    def on_show(self) -> None:
        loading.on_show(self)  # read in the background; shown again with nothing changed: the lists as they were

    def set_first_year(self) -> None:
        """The current fiscal year and its journal period, the first time the view reads."""
        with self.app.db.reading() as session:
            start = profile.get_profile(session).fiscal_year_start_month
        year = fiscal_year_of(date.today(), start)
        self.year.set(str(year))
        self.journal_form.set("start", date(year, start, 1))
        self.journal_form.set("end", date.today())

    def refresh(self) -> None:
        loading.refresh(self)

    def rows_query(self):
        if not self.year.get():
            self.set_first_year()
        year = self.selected_year()

        def read(session):
            return (revenue.picture(session, year), *lists_of(session))

        return read

    def present(self, data) -> None:
        picture, *lists = data
        self.present_revenue(picture)
        self.present_lists(*lists)

    def present_lists(self, batches, mandates, requests, client) -> None:
        self.batches.set_rows(batches)
        self.mandates.set_rows(mandates)
        self.requests.set_rows(requests)
        self.client_label.configure(text=client or t("未設定"))

    def refresh_lists(self) -> None:
        """The journal batches and the 口座振替 lists read again, not the year's revenue picture (0.8 s at
        ten-year scale), which a journal export, a mandate, its status or a debit request does not change."""
        with self.app.db.reading() as session:
            lists = lists_of(session)
        self.present_lists(*lists)

    def selected_year(self) -> int:
        try:
            return int(self.year.get())
        except ValueError:
            return fiscal_year_of(date.today())

    def refresh_revenue(self) -> None:
        """Another year chosen: read in the background (the year's revenue picture takes 0.8 s at ten-year
        scale); the newest choice wins."""
        self.loader.start()

    def present_revenue(self, picture) -> None:
        self.picture = picture
        this, runway = picture.this_year, picture.runway
        rate = picture.collection_rate
        values = {
            "total": (t("{amount}円", amount=f"{this.total:,}"), t("補助金 {amount}円", amount=f"{this.grants:,}")),
            "own": (t("{amount}円", amount=f"{runway.this_year_own:,}"), t("年間固定費 {amount}円", amount=f"{runway.fixed_costs:,}")),
            "months": (t("{months}か月", months=runway.months) if runway.months is not None else "—",
                       t("年間固定費を設定してください") if runway.months is None else ""),
            "next": (t("{months}か月", months=runway.next_year_months) if runway.next_year_months is not None
                     else "—", t("継続する補助金を含めて {months}か月", months=runway.next_year_months_with_grants)
                     if runway.next_year_months_with_grants is not None else ""),
            "collection": ("—" if rate is None else f"{rate}%",
                           t("入金 {paid}円 / 請求 {billed}円", paid=f"{picture.collection_paid:,}",
                             billed=f"{picture.collection_billed:,}")),
        }
        for key, (figure, note) in values.items():
            self.figure_labels[key][0].configure(text=figure)
            self.figure_labels[key][1].configure(text=note)
        if self.sources is not None:
            self.sources.destroy()
        columns = [Column("label", "収入源", 120)]
        columns += [Column(f"y{year.year}", t("{year}年度", year=year.year), 92, format="yen") for year in picture.years]
        self.sources = DataTable(self.sources_box, columns, key="label", height=7, sortable=False)
        rows = [{"label": t(label), **{f"y{year.year}": year.by_source()[key] for year in picture.years}}
                for key, label in revenue.SOURCES.items()]
        rows.append({"label": t("合計"), **{f"y{year.year}": year.total for year in picture.years}})
        rows.append({"label": t("補助金を除く"), **{f"y{year.year}": year.without_grants for year in picture.years}})
        rows.append({"label": t("会員数（年度末）"), **{f"y{year}": count for year, count in picture.members}})
        self.sources.set_rows(rows, keep_order=True)
        self.grant_table.set_rows([{"name": grant.name, "decided": grant.decided, "received": grant.received,
                                    "period_end": grant.period_end,
                                    "next": t("継続") if grant.continues_next_year else t("今年度で終了")}
                                   for grant in picture.grants], keep_order=True)
        self.pipeline_table.set_rows([{"name": item.name, "client": item.client, "status": t(item.status),
                                       "amount": item.amount} for item in picture.pipeline], keep_order=True)
        self.sources.pack(fill="both", expand=True)
        self.draw_chart()

    def draw_chart(self) -> None:
        """Five years of revenue stacked by source; beside it (or below, when narrow) fixed costs against
        own income — the two questions of the board in one picture."""
        canvas, picture = self.chart, self.picture
        canvas.delete("all")
        if picture is None:
            return
        width, height = max(canvas.winfo_width(), 300), max(canvas.winfo_height(), 140)
        if width >= 640:
            years_box, runway_box = (0, 0, width * 0.5, height), (width * 0.5, 0, width, height)
        else:
            years_box, runway_box = (0, 0, width, height * 0.58), (0, height * 0.58, width, height)
        self._draw_years(*years_box)
        self._draw_runway(*runway_box)

    def _draw_years(self, left: float, top: float, right: float, bottom: float) -> None:
        canvas, years = self.chart, self.picture.years
        legend_x = left + 10
        for key, label in revenue.SOURCES.items():
            canvas.create_rectangle(legend_x, top + 6, legend_x + 10, top + 16, fill=SOURCE_COLOURS[key], width=0)
            canvas.create_text(legend_x + 14, top + 11, text=t(label), anchor="w", font=("", 8))
            legend_x += 76
        plot_top, plot_bottom = top + 40, bottom - 20
        highest = max([year.total for year in years] + [1])
        slot = (right - left - 20) / len(years)
        for index, year in enumerate(years):
            x = left + 10 + index * slot + slot * 0.2
            y = plot_bottom
            for key, amount in year.by_source().items():
                bar = (plot_bottom - plot_top) * amount / highest
                if bar > 0:
                    canvas.create_rectangle(x, y - bar, x + slot * 0.6, y, fill=SOURCE_COLOURS[key], width=0)
                y -= bar
            canvas.create_text(x + slot * 0.3, plot_bottom + 10, text=t("{year}年度", year=year.year), font=("", 8))
            canvas.create_text(x + slot * 0.3, y - 8, text=t("{amount}万円", amount=f"{year.total / 10000:,.0f}"), font=("", 8))

    def _draw_runway(self, left: float, top: float, right: float, bottom: float) -> None:
        canvas, runway = self.chart, self.picture.runway
        bars = [(t("年間固定費"), runway.fixed_costs, "#c04040"),
                (t("今年度 会費＋委託"), runway.this_year_own, SOURCE_COLOURS["dues"]),
                (t("翌年度 会費＋委託"), runway.next_year_own, SOURCE_COLOURS["dues"]),
                (t("翌年度 ＋継続する補助金"), runway.next_year_own + runway.next_year_grants, SOURCE_COLOURS["grants"])]
        most = max([amount for _l, amount, _c in bars] + [1])
        x0, x1 = left + 150, right - 70
        canvas.create_text(left + 10, top + 11, text=t("補助金がなかったら"), anchor="w", font=("", 9, "bold"))
        row = (bottom - top - 30) / len(bars)
        for index, (label, amount, colour) in enumerate(bars):
            y = top + 26 + index * row
            length = max(0, (x1 - x0) * amount / most)
            canvas.create_text(x0 - 8, y + row * 0.35, text=label, anchor="e", font=("", 8))
            canvas.create_rectangle(x0, y, x0 + length, y + row * 0.7, fill=colour, width=0)
            canvas.create_text(x0 + length + 4, y + row * 0.35, text=t("{amount}万円", amount=f"{amount / 10000:,.0f}"), anchor="w",
                               font=("", 8))

    # -- actions ----------------------------------------------------------------------------------
    def on_report(self, suffix: str) -> None:
        year = self.selected_year()
        path = filedialog.asksaveasfilename(parent=self, defaultextension=suffix,
                                            initialfile=f"収入の状況_{year}年度{suffix}")
        if not path:
            return
        if suffix == ".xlsx":
            from tama_desk.exports.revenue_xlsx import render
        else:
            from tama_desk.documents.revenue_report import render
        feedback.write_file_with_progress(self, self.app.db, path, lambda session: render(revenue.picture(session, year)),
                                          "収入の状況")

    def on_export(self) -> None:
        problems = self.journal_form.check()
        if problems:
            return
        file_format = self.journal_form.value("format") or "yayoi"
        start, end = self.journal_form.value("start"), self.journal_form.value("end")
        again, reason = False, ""
        with self.app.db.reading() as session:
            earlier = accounting.overlapping(session, file_format, start, end)
            earlier_text = ", ".join(f"#{b.id} {b.period_start}〜{b.period_end}" for b in earlier)
        if earlier:
            if not feedback.confirm(self, t("この期間は書き出し済みのバッチ {batches} と重なります。もう一度書き出しますか？"
                                            "（会計ソフトに二重に取り込まないよう注意してください）",
                                            batches=earlier_text), t("もう一度書き出す")):
                return
            reason = feedback.ask_reason(self, t("もう一度書き出す"), t("もう一度書き出す理由"))
            if reason is None:
                return
            again = True
        path = filedialog.asksaveasfilename(parent=self, defaultextension=FORMAT_SUFFIX[file_format],
                                            initialfile=f"仕訳_{file_format}_{start:%Y%m%d}-{end:%Y%m%d}.csv")
        if not path:
            return
        from pathlib import Path

        from tama_desk.fileio import write_atomic

        try:
            with self.app.db.transaction() as session:
                result = accounting.export(session, file_format, start, end, again=again, reason=reason,
                                           file_name=Path(path).name, write=lambda data: write_atomic(Path(path), data))
                summary = (result.batch.id, result.batch.entry_count, result.batch.debit_total)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.refresh_lists()
        message = t("仕訳を書き出しました（{format}）: {path}（バッチ {batch}、仕訳 {entries} 件、借方合計 {total}円）",
                    format=FORMAT_CHOICES.get(file_format, file_format), path=path, batch=summary[0], entries=summary[1],
                    total=f"{summary[2]:,}")
        if result.warnings:
            shown = "\n".join(str(warning) for warning in result.warnings[:12])
            more = t("ほか {n} 件", n=len(result.warnings) - 12) if len(result.warnings) > 12 else ""
            feedback.inform(self, f"{message}\n\n{t('切り詰めた名前')}:\n{shown}\n{more}".strip())
        else:
            feedback.notify(self, message, toast=True)

    def on_client(self) -> None:
        from tama_desk.ui.views.accounting_dialogs import ClientDialog

        ClientDialog(self, self.app.db, on_saved=self.refresh_lists)

    def on_mandate(self) -> None:
        from tama_desk.ui.views.accounting_dialogs import MandateDialog

        row = self.mandates.selected_row()
        MandateDialog(self, self.app.db, row, on_saved=self.refresh_lists)

    def on_status(self, status: str) -> None:
        row = self.mandates.selected_row()
        if row is None:
            feedback.inform(self, t("一覧で会員を選んでください"))
            return
        try:
            with self.app.db.transaction() as session:
                debits.set_status(session, row["number"], status)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.refresh_lists()
        feedback.notify(self, t("{member}: {status}", member=row["name"], status=t(debits.STATUSES[status])))

    def on_request(self) -> None:
        text = feedback.ask_text(self, t("依頼ファイルを作成"), t("引落日（銀行休業日なら翌営業日になります）"))
        if text is None:
            return
        from pathlib import Path

        from tama_desk.domain.dates import parse_date
        from tama_desk.fileio import write_atomic

        try:
            asked = parse_date(text, today=date.today())
            debits.debit_date_for(asked, date.today())
        except ValueError as error:
            feedback.show_error(self, UserError(str(error)))
            return
        except UserError as error:
            feedback.show_error(self, error)
            return
        path = filedialog.asksaveasfilename(parent=self, defaultextension=".txt",
                                            initialfile=f"口座振替依頼_{asked:%Y%m%d}.txt")
        if not path:
            return
        try:
            with self.app.db.transaction() as session:
                request = debits.create_request(session, asked, write=lambda data: write_atomic(Path(path), data),
                                                today=date.today()).request
                figures = (request.debit_date, request.record_count, request.total)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.refresh_lists()
        message = t("引落日 {date}、{count} 件、合計 {total}円: {path}", date=figures[0], count=figures[1],
                    total=f"{figures[2]:,}", path=path)
        feedback.notify(self, t("口座振替依頼ファイルを作成しました: {message}", message=message))
        feedback.inform(self, message)

    def on_result(self) -> None:
        path = filedialog.askopenfilename(parent=self, title=t("振替結果ファイル"))
        if not path:
            return
        from pathlib import Path

        try:
            with self.app.db.transaction() as session:
                lines = debits.import_result(session, Path(path).read_bytes())
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.refresh()
        paid = [line for line in lines if line.outcome == "paid"]
        feedback.notify(self, t("振替結果を取り込みました: {count} 件、振替済 {paid} 件 {total:,}円（{file}）", count=len(lines),
                                paid=len(paid), total=sum(line.amount or 0 for line in paid), file=Path(path).name),
                        toast=True)
        from tama_desk.ui.views.accounting_dialogs import ResultDialog

        ResultDialog(self, lines, on_letters=self.on_transfer_letters)

    def on_transfer_letters(self) -> None:
        folder = filedialog.askdirectory(parent=self, title=t("お振込のお願いの保存先"))
        if not folder:
            return
        from datetime import timedelta
        from pathlib import Path

        from tama_desk.services import printing

        def work(_job):
            today = date.today()
            with self.app.db.reading() as session:
                documents = [(printing.dunning_snapshot(session, invoice_id, today, today + timedelta(days=14)), None)
                             for invoice_id in debits.failed_open_invoice_ids(session)]
            if not documents:
                raise UserError("振替不能で未入金の請求はありません")
            return printing.write_pdfs(documents, Path(folder))

        feedback.run_with_progress(self, t("お振込のお願い"), work,
                                   lambda result: t("PDF {count} 件を書き出しました: {path}", count=len(result.files),
                                                    path=folder))

    def on_account_mapping(self) -> None:
        """A shortcut to 設定's 勘定科目の対応."""
        from tama_desk.ui.views.account_mapping_dialog import AccountMappingDialog

        AccountMappingDialog(self, self.app, on_saved=self.refresh)
