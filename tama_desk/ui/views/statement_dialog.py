"""入金明細の取込: every deposit with its proposed match; sure ones are ticked, the rest one click away."""

from __future__ import annotations

from pathlib import Path

import ttkbootstrap as ttk

from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import reconcile
from tama_desk.ui import feedback
from tama_desk.ui.background import run_in_thread
from tama_desk.ui.layout import center_over

TICK = "✔"


class StatementImportDialog(ttk.Toplevel):
    def __init__(self, parent, app, path: Path, on_done, mapping: str | None = None):
        super().__init__(title=t("入金明細の取込") + f" — {path.name}", transient=parent.winfo_toplevel(),
                         size=(1000, 640))
        self.app, self.path, self.on_done, self.mapping = app, path, on_done, mapping
        self.proposals: dict[str, object] = {}
        self.chosen: dict[str, object] = {}  # row id → the candidate to record
        self.job = None
        self.create_widgets()
        self.protocol("WM_DELETE_WINDOW", self.on_close)
        self.bind("<Escape>", lambda _e: self.on_close())
        center_over(self, parent)
        self.grab_set()
        self.load()

    def create_widgets(self) -> None:
        frame = ttk.Frame(self, padding=16)
        frame.pack(fill="both", expand=True)
        self.summary = ttk.Label(frame, text=t("明細を読み込んでいます…"), font=(None, 11, "bold"), wraplength=940)
        self.summary.pack(anchor="w")
        ttk.Label(frame, text=t("✔ の行を消し込みます。行をダブルクリック（またはスペース）で ✔ を付け外し、下の候補で相手を選べます。"),
                  bootstyle="secondary").pack(anchor="w", pady=(2, 8))
        columns = [("ok", "", 30, "center"), ("line", "行", 50, "e"), ("date", "日付", 95, "center"),
                   ("amount", "金額", 90, "e"), ("payer", "振込人", 190, "w"), ("match", "候補", 330, "w"),
                   ("score", "信頼度", 60, "e"), ("verdict", "判定", 80, "center")]
        self.tree = self._tree(frame, columns, 14)
        self.tree.tag_configure("auto", foreground="#146c43")
        self.tree.tag_configure("none", foreground="#8a8f98")
        self.tree.bind("<Double-1>", lambda _e: self.on_toggle())
        self.tree.bind("<space>", lambda _e: self.on_toggle())
        self.tree.bind("<<TreeviewSelect>>", lambda _e: self.on_row_selected())
        ttk.Label(frame, text=t("候補"), font=(None, 10, "bold"), padding=(0, 8, 0, 2)).pack(anchor="w")
        self.candidates = self._tree(frame, [("who", "会員", 330, "w"), ("invoices", "請求書", 200, "w"),
                                             ("due", "請求残高", 100, "e"), ("score", "信頼度", 70, "e"),
                                             ("why", "根拠", 220, "w")], 4)
        self.candidates.bind("<Double-1>", lambda _e: self.on_candidate())
        bar = ttk.Frame(frame, padding=(0, 10, 0, 0))
        bar.pack(fill="x")
        self.apply_button = ttk.Button(bar, text=t("消し込む"), bootstyle="primary", state="disabled",
                                       command=self.on_apply)
        self.apply_button.pack(side="right")
        ttk.Button(bar, text=t("閉じる"), bootstyle="secondary", command=self.on_close).pack(side="right", padx=8)

    def _tree(self, parent, columns, height) -> ttk.Treeview:
        tree = ttk.Treeview(parent, columns=[c[0] for c in columns], show="headings", height=height)
        for key, heading, width, anchor in columns:
            tree.heading(key, text=t(heading))
            tree.column(key, width=width, anchor=anchor, stretch=key in ("payer", "match", "who"))
        tree.pack(fill="both", expand=True)
        return tree

    def load(self) -> None:
        mapping = self.mapping

        def work(_job):
            with self.app.db.transaction() as session:
                return reconcile.preview(session, self.path, mapping)

        self.job = run_in_thread(self, work, self.on_loaded, self.on_load_failed)

    def on_load_failed(self, error) -> None:
        self.job = None
        if isinstance(error, UserError) and not error.problems:
            spec = feedback.ask_text(self, t("列の対応"), t("{message}\n\n列を指定してください（例: date=取引日,amount=お預り金額,payer=摘要）",
                                                            message=error.text()), self.mapping or "")
            if spec:
                self.mapping = spec
                self.load()
                return
        self.destroy()
        feedback.show_error(self.master, error)

    def on_loaded(self, result) -> None:
        self.job = None
        if result.problems:
            self.destroy()
            feedback.show_error(self.master, UserError(t("読めない行があります。何も記録していません。"), result.problems))
            return
        for proposal in result.proposals:
            iid = str(proposal.line.line)
            self.proposals[iid] = proposal
            if proposal.auto:
                self.chosen[iid] = proposal.best
            self.tree.insert("", "end", iid=iid, tags=("auto" if proposal.auto else "none" if not proposal.best
                                                       else "",), values=self._row_values(proposal))
        for line in result.already_imported:
            self.tree.insert("", "end", values=("", line.line, f"{line.date:%Y-%m-%d}", f"{line.amount:,}",
                                                line.payer, "", "", t("取込済み")), tags=("none",))
        self.summary.configure(text=t("入金 {n} 件: 自動 {auto} 件、要確認 {check} 件、取込済み {done} 件",
                                      n=len(result.proposals) + len(result.already_imported), auto=len(result.auto),
                                      check=len(result.proposals) - len(result.auto),
                                      done=len(result.already_imported)))
        self.update_button()

    def _row_values(self, proposal) -> tuple:
        iid = str(proposal.line.line)
        candidate = self.chosen.get(iid) or proposal.best
        match = self._describe(candidate) if candidate else t("候補なし")
        verdict = t("自動") if proposal.auto else t("要確認") if proposal.best else t("候補なし")
        return (TICK if iid in self.chosen else "", proposal.line.line, f"{proposal.line.date:%Y-%m-%d}",
                f"{proposal.line.amount:,}", proposal.line.payer, match,
                f"{candidate.score:.2f}" if candidate else "", verdict)

    @staticmethod
    def _describe(candidate) -> str:
        numbers = "+".join(item.invoice_number for item in candidate.items)
        return f"{candidate.item.member_number} {candidate.item.payer_names[-1]}（{numbers}）"

    def on_row_selected(self) -> None:
        self.candidates.delete(*self.candidates.get_children())
        selection = self.tree.selection()
        proposal = self.proposals.get(selection[0]) if selection else None
        for index, candidate in enumerate(proposal.candidates if proposal else ()):
            self.candidates.insert("", "end", iid=str(index), values=(
                f"{candidate.item.member_number} {candidate.item.payer_names[-1]}",
                "+".join(item.invoice_number for item in candidate.items), f"{candidate.total:,}",
                f"{candidate.score:.2f}", "・".join(t(reason) for reason in candidate.reasons)))

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
        self.tree.item(iid, values=self._row_values(proposal))
        self.update_button()

    def on_candidate(self) -> None:
        selection, picked = self.tree.selection(), self.candidates.selection()
        if not selection or not picked or selection[0] not in self.proposals:
            return
        proposal = self.proposals[selection[0]]
        self.chosen[selection[0]] = proposal.candidates[int(picked[0])]
        self.tree.item(selection[0], values=self._row_values(proposal))
        self.update_button()

    def update_button(self) -> None:
        self.apply_button.configure(text=t("✔ の {n} 件を消し込む", n=len(self.chosen)),
                                    state="normal" if self.chosen else "disabled")

    def on_apply(self) -> None:
        accepted = [(self.proposals[iid].line, candidate) for iid, candidate in self.chosen.items()]
        try:
            with self.app.db.transaction() as session:
                recorded = reconcile.apply(session, accepted, self.path, self.mapping)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.destroy()
        self.on_done(t("入金明細から {n} 件を消し込みました", n=len(recorded)))

    def on_close(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.destroy()
