"""入金明細の取込: every deposit with its proposed match; sure ones are ticked, the rest one click away."""

from __future__ import annotations

from pathlib import Path

import ttkbootstrap as ttk

from tama_desk.domain.money import format_yen
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import payments, reconcile
from tama_desk.ui import feedback
from tama_desk.ui.background import run_in_thread
from tama_desk.ui.views.column_map_dialog import ColumnMapDialog, preview_rows
from tama_desk.ui.widgets import Column, DataTable, Dialog
from tama_desk.ui.widgets.values import show_date

TICK = "✔"


class StatementImportDialog(Dialog):
    def __init__(self, parent, app, path: Path, on_done, mapping: str | None = None):
        super().__init__(parent, t("入金明細の取込") + f" — {path.name}", scroll=False)
        self.app, self.path, self.on_done, self.mapping = app, path, on_done, mapping
        self.proposals: dict[str, object] = {}
        self.match_keys: dict = {}  # the name keys the preview worked out, kept by the apply
        self.chosen: dict[str, object] = {}  # row id → the candidate to record
        self.shorts: dict[str, int] = {}  # row id → 手数料差引 offered (written off when its best is recorded)
        self.job = None
        self.create_widgets()
        self.show(focus=self.tree)
        self.load()

    def create_widgets(self) -> None:
        self.summary = ttk.Label(self.body, text=t("明細を読み込んでいます…"), font=(None, 11, "bold"), wraplength=940)
        self.summary.pack(anchor="w")
        ttk.Label(self.body, text=t("✔ の行を消し込みます。行をダブルクリック（またはスペース）で ✔ を付け外し、下の候補で相手を選べます。"),
                  bootstyle="secondary", wraplength=940, justify="left").pack(anchor="w", pady=(2, 8))
        # the candidates are packed before the statement lines: when space is short, the long list gives way
        self.candidate_table = DataTable(self.body, [
            Column("who", "会員", 330, stretch=True), Column("invoices", "請求書", 200),
            Column("due", "請求残高", 100, format="yen"), Column("score", "信頼度", 70, "e"),
            Column("why", "根拠", 220)], height=4, sortable=False, on_open=lambda _key: self.on_candidate())
        self.candidate_table.pack(side="bottom", fill="x")
        self.candidates = self.candidate_table.tree
        ttk.Label(self.body, text=t("候補"), font=(None, 10, "bold"), padding=(0, 8, 0, 2)).pack(side="bottom",
                                                                                            anchor="w")
        self.table = DataTable(self.body, [
            Column("ok", "", 30, "center"), Column("line", "行", 50, "e"), Column("date", "日付", 95, "center"),
            Column("amount", "金額", 90, format="yen"), Column("payer", "振込人", 190, stretch=True),
            Column("match", "候補", 290, stretch=True), Column("score", "信頼度", 60, "e"),
            Column("verdict", "判定", 130, "center")], key="iid", height=12, on_select=lambda _k: self.on_row_selected(),
            on_open=lambda _key: self.on_toggle(), tag=lambda row: row["tags"])
        self.table.pack(fill="both", expand=True)
        self.tree = self.table.tree
        self.tree.bind("<space>", lambda _e: self.on_toggle())
        self.apply_button = self.add_button(t("消し込む"), self.on_apply, main=True, state="disabled")
        self.add_button(t("閉じる"), self.close)

    def load(self) -> None:
        mapping = self.mapping

        def work(_job):
            with self.app.db.transaction() as session:
                result = reconcile.preview(session, self.path, mapping)
                automatic, limit = payments.write_off_setting(session)
                return result, reconcile.shortfalls(result, limit), automatic

        self.job = run_in_thread(self, work, self.on_loaded, self.on_load_failed)

    def on_load_failed(self, error) -> None:
        self.job = None
        if isinstance(error, UserError) and not error.problems:
            try:
                rows = preview_rows(self.path)
            except UserError:
                rows = []
            if rows:  # the file reads, its header does not: let the user point at the columns
                ColumnMapDialog(self, self.path, rows, error.text(), on_mapped=self.on_mapped)
                return
        self.close()
        feedback.show_error(self.master, error)

    def on_mapped(self, spec: str | None) -> None:
        self.mapping = spec
        self.load()

    def on_loaded(self, loaded) -> None:
        self.job = None
        result, shorts, automatic = loaded
        self.match_keys = result.match_keys
        if result.problems:
            self.close()
            feedback.show_error(self.master, UserError("読めない行があります。何も記録していません。", result.problems))
            return
        rows = []
        for proposal in result.proposals:
            iid = str(proposal.line.line)
            self.proposals[iid] = proposal
            if proposal.line.line in shorts:
                self.shorts[iid] = shorts[proposal.line.line]
            if proposal.auto or automatic and iid in self.shorts:  # 手数料差引を自動で処理する: ticked
                self.chosen[iid] = proposal.best
            rows.append(self._row(proposal))
        for line in result.already_imported:
            rows.append({"iid": f"done-{line.line}", "ok": "", "line": line.line, "date": line.date,
                         "amount": line.amount, "payer": line.payer, "match": "", "score": "",
                         "verdict": t("取込済み"), "tags": ("none",)})
        self.table.set_rows(rows, keep_order=True)
        self.summary.configure(text=t("入金 {n} 件: 自動 {auto} 件、手数料差引 {fees} 件、要確認 {check} 件、取込済み {done} 件",
                                      n=len(result.proposals) + len(result.already_imported), auto=len(result.auto),
                                      fees=len(self.shorts), check=len(result.proposals) - len(result.auto)
                                      - len(self.shorts), done=len(result.already_imported)))
        self.update_button()
        self.table.focus_first()  # the first line's candidates shown at once

    def _row(self, proposal) -> dict:
        iid = str(proposal.line.line)
        tag = "auto" if proposal.auto or iid in self.shorts else "none" if not proposal.best else ""
        values = self._row_values(proposal)
        keys = ("ok", "line", "date", "amount", "payer", "match", "score", "verdict")
        return {"iid": iid, **dict(zip(keys, values, strict=True)), "date": proposal.line.date,
                "amount": proposal.line.amount, "tags": (tag,)}

    def _row_values(self, proposal) -> tuple:
        iid = str(proposal.line.line)
        candidate = self.chosen.get(iid) or proposal.best
        match = self._describe(candidate) if candidate else t("候補なし")
        verdict = (t("自動") if proposal.auto else self._fee_text(iid, candidate) if iid in self.shorts
                   else t("要確認") if proposal.best else t("候補なし"))
        return (TICK if iid in self.chosen else "", proposal.line.line, show_date(self, proposal.line.date),
                format_yen(proposal.line.amount), proposal.line.payer, match,
                f"{candidate.score:.2f}" if candidate else "", verdict)

    def _fee_text(self, iid: str, candidate) -> str:
        """「手数料差引 440円」 while the line's best candidate is the one to record."""
        if candidate is not self.proposals[iid].best:
            return t("要確認")
        return t("手数料差引 {amount}円", amount=format_yen(self.shorts[iid]))

    def write_offs(self) -> dict[int, int]:
        """{statement line: yen} of the ticked lines whose 手数料差引 is accepted (their best candidate kept)."""
        return {self.proposals[iid].line.line: short for iid, short in self.shorts.items()
                if self.chosen.get(iid) is not None and self.chosen[iid] is self.proposals[iid].best}

    @staticmethod
    def _describe(candidate) -> str:
        numbers = "+".join(item.invoice_number for item in candidate.items)
        return f"{candidate.item.member_number} {candidate.item.payer_names[-1]}（{numbers}）"

    def on_row_selected(self) -> None:
        proposal = self.proposals.get(str(self.table.selected()))
        self.candidate_table.set_rows([
            {"id": index, "who": f"{candidate.item.member_number} {candidate.item.payer_names[-1]}",
             "invoices": "+".join(item.invoice_number for item in candidate.items), "due": candidate.total,
             "score": f"{candidate.score:.2f}", "why": "・".join(t(reason) for reason in candidate.reasons)}
            for index, candidate in enumerate(proposal.candidates if proposal else ())])

    def on_toggle(self) -> None:
        selection = self.tree.selection()
        proposal = self.proposals.get(selection[0]) if selection else None
        if proposal is None or proposal.best is None:
            return
        iid = selection[0]
        if iid in self.chosen:
            del self.chosen[iid]
        else:
            self.chosen[iid] = proposal.best
        self.table.update_row(iid, self._row(proposal))
        self.update_button()

    def on_candidate(self) -> None:
        selection, picked = self.tree.selection(), self.candidates.selection()
        if not selection or not picked or selection[0] not in self.proposals:
            return
        proposal = self.proposals[selection[0]]
        self.chosen[selection[0]] = proposal.candidates[int(picked[0])]
        self.table.update_row(selection[0], self._row(proposal))
        self.update_button()

    def update_button(self) -> None:
        self.apply_button.configure(text=t("✔ の {n} 件を消し込む", n=len(self.chosen)),
                                    state="normal" if self.chosen else "disabled")

    def on_apply(self) -> None:
        accepted = [(self.proposals[iid].line, candidate) for iid, candidate in self.chosen.items()]
        try:
            with self.app.db.transaction() as session:
                recorded = reconcile.apply(session, accepted, self.path, self.mapping, self.write_offs(),
                                           self.match_keys)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.close()
        fees = self.write_offs()
        total, file = sum(payment.amount for payment in recorded), Path(self.path).name
        self.on_done(t("入金明細 {file} から {n} 件を消し込みました（{total:,}円、うち手数料差引 {fees} 件 {fee_total}円）",
                       file=file, n=len(recorded), total=total, fees=len(fees),
                       fee_total=format_yen(sum(fees.values()))) if fees else
                     t("入金明細 {file} から {n} 件を消し込みました（{total:,}円）", file=file, n=len(recorded),
                       total=total))

    def close(self) -> None:
        if self.job is not None:
            self.job.cancel()
        super().close()

    def on_close(self) -> None:
        self.close()
