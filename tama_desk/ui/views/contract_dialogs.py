"""Entry dialogs of the 委託事業 area, on the shared Dialog and Form: each is one form whose main button runs
one service action in one transaction, then tells the view what changed.

    ContractDialog(parent, app, on_saved)                  新規契約
    ClientDialog(parent, app, on_saved)                    取引先を追加
    MilestoneDialog / DeliverableDialog / StepDialog / InvoiceDialog / SettleDialog / AmendDialog / CostDialog
        (parent, app, contract_id, on_saved, …)
    CostEditDialog(parent, app, on_saved, cost=…, categories=…, …)   経費を修正
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import ttkbootstrap as ttk

from tama_desk.domain import contracts as rules
from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.domain.dates import format_date, parse_date
from tama_desk.domain.money import parse_yen
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.ui import desktop
from tama_desk.ui.layout import paint
from tama_desk.ui.views.import_dialog import ImportPreviewDialog
from tama_desk.ui.widgets import Column, Form
from tama_desk.ui.widgets.form import tidy_yen
from tama_desk.ui.widgets.form_dialog import FormDialog

KIND_CHOICES = {kind: kind for kind in rules.KINDS}
COST_FIELDS = ("voucher_number", "category", "payment_date", "payee", "description", "amount", "tax", "accounting_ref")
ADDRESSEES = {"department": "○○市 ○○課 御中", "head": "○○市長 ○○ ○○ 様"}


class ContractFormDialog(FormDialog):
    """One form, one action. Subclasses set `title_text`, `button_text`, build the form in `create_form` and do
    the work in `save(session) -> message` (inside the transaction); the message is shown after the commit."""

    title_text = ""
    button_text = "保存"

    def __init__(self, parent, app, on_saved: Callable[[str], object] | None = None, **context):
        self.today = date.today()
        super().__init__(parent, t(self.title_text), app.db, today=self.today)
        self.app, self.on_saved, self.context = app, on_saved, context
        self.create_form(self.form)
        self.form.pack(fill="both", expand=True)
        self.create_extra()
        self.add_button(t(self.button_text) + " (Ctrl+S)", self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.on_escape)
        self.add_note(t("* は必須"))
        self.show(focus=self.form.widgets[self.form.order[0]])

    def create_form(self, form: Form) -> None:
        raise NotImplementedError

    def create_extra(self) -> None:
        """Anything below the form (the milestone grid of 変更契約)."""

    def on_change(self, _key: str) -> None:
        pass

    def saved(self, message: str) -> None:
        title = self.context.get("title")
        if title and message and title not in message:  # the contract the step, invoice or cost belongs to
            message = t("{title}: {message}", title=title, message=message)
        super().saved(message)
        if self.on_saved is not None:
            self.on_saved(message)


class ClientDialog(ContractFormDialog):
    title_text = "取引先を追加"

    def create_form(self, form: Form) -> None:
        form.add("name", "取引先名", required=True, hint="例: 八王子市")
        form.add("kana", "フリガナ", required=True, hint="全角カタカナ（振込名義がないときの照合にも使います）")
        form.add("department", "担当課", hint="例: 産業振興部 産業政策課")
        form.add("contact_person", "担当者")
        form.add("addressee", "宛名", "choice", choices=ADDRESSEES, initial="department")
        form.add("head_title", "首長の職名", hint="宛名が「首長 様」のとき 例: 八王子市長")
        form.add("head_name", "首長の氏名")
        form.add("postal_code", "郵便番号")
        form.add("address", "住所", width=40)
        form.add("phone", "電話番号")
        form.add("email", "メール")
        form.add("payer_name", "振込名義", hint="通帳に印字される名義（半角カナ）例: ﾊﾁｵｳｼﾞｼ")
        form.add("corporate_number", "法人番号")

    def save(self, session) -> str:
        from tama_desk.services import clients

        client = clients.add_client(session, {key: self.form.get(key) for key in self.form.order})
        return t("取引先を登録しました: {name}", name=client.name)


class ContractDialog(ContractFormDialog):
    title_text = "新規契約"
    button_text = "登録する"

    def create_form(self, form: Form) -> None:
        with self.app.db.reading() as session:
            from tama_desk.services import contracts

            parties = contracts.choices_for_new(session)
        form.add("party", "取引先", "choice", choices=parties, required=True, width=40)
        form.add("title", "件名", required=True, width=40, hint="例: 八王子 City Sales in Shanghai")
        form.add("number", "契約番号", hint="委託者の番号 例: 八産第123号")
        form.add("reference", "当会整理番号")
        form.add("kind", "契約の種類", "choice", choices=KIND_CHOICES, initial="準委任")
        form.add("payment_terms", "支払条件", "choice", choices=rules.PAYMENT_TERMS, initial="completion")
        form.add("signed_on", "契約日", "date", hint="空欄なら見積（未契約）")
        form.add("period_start", "履行期間（開始）", "date", required=True)
        form.add("period_end", "履行期間（終了）", "date", required=True)
        form.add("amount", "契約金額（税込）", "amount", required=True)
        form.add("tax_category", "税区分", "choice", choices=TAX_CATEGORIES, initial="standard_10",
                 hint="この契約の請求書・返還請求書・見積書の税区分")
        form.add("tax_amount", "うち消費税額", "amount", hint="空欄なら税区分の率で計算")
        form.add("management_fee_rate", "一般管理費率", initial="0", hint="契約が認める率 例: 10%")

    def on_change(self, key: str) -> None:
        if key in ("amount", "tax_category"):
            try:
                amount, category = self.form.value("amount"), self.form.value("tax_category") or "standard_10"
            except ValueError:
                return
            if amount:
                self.form.hint("tax_amount", t("{category} の内税: {tax}円", category=t(TAX_CATEGORIES[category]),
                                               tax=f"{rules.tax_included_in(amount, category):,}"))

    def save(self, session) -> str:
        from tama_desk.services import clients, contracts

        party = clients.find_party(session, self._party_spec(session))
        contract = contracts.create_contract(
            session, party=party, title=self.form.get("title"), signed_on=self.form.value("signed_on"),
            period_start=self.form.value("period_start"), period_end=self.form.value("period_end"),
            amount=self.form.value("amount"), payment_terms=self.form.value("payment_terms"),
            number=self.form.get("number"), kind=self.form.value("kind"), reference=self.form.get("reference"),
            tax_amount=self.form.value("tax_amount"), management_fee_rate=self.form.get("management_fee_rate") or "0",
            tax_category=self.form.value("tax_category") or "standard_10")
        self.context["created"] = contract.id
        return t("委託契約を登録しました: {title}", title=contract.title)

    def _party_spec(self, _session) -> str:
        code = self.form.value("party") or ""
        return code[2:] if code.startswith("C:") else code


class MilestoneDialog(ContractFormDialog):
    title_text = "履行段階を追加"

    def create_form(self, form: Form) -> None:
        form.add("name", "名称", required=True, hint="例: 中間報告")
        form.add("due", "期限", "date", required=True)
        form.add("amount", "この段階の請求額（税込）", "amount", required=True, hint="部分払いでないときは 0")

    def save(self, session) -> str:
        from tama_desk.services import contracts

        milestone = contracts.add_milestone(session, self.context["contract_id"], self.form.get("name"),
                                            self.form.value("due"), self.form.value("amount"))
        return t("第{n}回の履行段階を追加しました: {name}", n=milestone.position, name=milestone.name)


class DeliverableDialog(ContractFormDialog):
    title_text = "成果物を追加"

    def create_form(self, form: Form) -> None:
        form.add("name", "成果物", "combo", values=["実施報告書", "成果報告書", "写真記録", "業務完了報告書"],
                 required=True)
        form.add("due", "提出期限", "date", required=True)

    def save(self, session) -> str:
        from tama_desk.services import contracts

        deliverable = contracts.add_deliverable(session, self.context["contract_id"], self.form.get("name"),
                                                self.form.value("due"))
        return t("成果物を登録しました: {name}（期限 {due}）", name=deliverable.name, due=f"{deliverable.due_date:%Y-%m-%d}")


def _stage_choices(milestones: list[dict]) -> dict:
    return {0: "契約全体", **{m["position"]: f"第{m['position']}回 {m['name']}" for m in milestones}}


class StepDialog(ContractFormDialog):
    """完了届 (step "complete") or 検査 (step "inspect"), for the whole contract or one milestone."""

    button_text = "記録する"

    def __init__(self, parent, app, on_saved=None, **context):
        self.title_text = "完了届を記録" if context.get("step") == "complete" else "検査を記録"
        super().__init__(parent, app, on_saved, **context)

    def create_form(self, form: Form) -> None:
        milestones = self.context.get("milestones", [])
        if self.context.get("step") == "complete":
            waiting = [m for m in milestones if m["completed_on"] is None]
        else:
            waiting = [m for m in milestones if m["completed_on"] and (m["inspected_on"] is None or m["result"] == "不合格")]
        form.add("stage", "対象", "choice", choices=_stage_choices(milestones),
                 initial=waiting[0]["position"] if waiting else 0)
        form.add("date", "完了届の日付" if self.context.get("step") == "complete" else "検査日", "date", required=True,
                 initial=self.today)
        if self.context.get("step") == "inspect":
            form.add("result", "結果", "choice", choices={"passed": "合格", "failed": "不合格"}, initial="passed")

    def save(self, session) -> str:
        from tama_desk.services import contracts

        stage = self.form.value("stage") or None
        on = self.form.value("date")
        if self.context.get("step") == "complete":
            contracts.complete(session, self.context["contract_id"], on, stage)
            return t("完了届を記録しました: {date}（検査期限 {due}）", date=f"{on:%Y-%m-%d}",
                     due=f"{on + timedelta(days=rules.INSPECTION_DAYS):%Y-%m-%d}")
        passed = self.form.value("result") == "passed"
        contracts.inspect(session, self.context["contract_id"], on, stage, passed=passed)
        return t("検査を記録しました: {date} {result}", date=f"{on:%Y-%m-%d}", result=t("合格" if passed else "不合格"))


class InvoiceDialog(ContractFormDialog):
    """請求書を発行する: a milestone's part (部分払い), an advance (概算払い), or the final / whole amount."""

    title_text = "請求書を発行"
    button_text = "請求書を発行する"

    def create_form(self, form: Form) -> None:
        terms = self.context["payment_terms"]
        options = {"final": "精算（確定額 − 請求済み）" if terms == "advance" else "全額（残額）"}
        if terms == "partial":
            options = {f"m{m['position']}": f"第{m['position']}回 {m['name']}（{m['amount']:,}円）"
                       for m in self.context.get("milestones", [])} | options
        if terms == "advance":
            options = {"advance": "概算払"} | options
        ready = [f"m{m['position']}" for m in self.context.get("milestones", [])
                 if m["result"] == "合格" and not m["invoiced"]] if terms == "partial" else []
        form.add("which", "請求の種類", "choice", choices=options, initial=ready[0] if ready else next(iter(options)))
        if terms == "advance":
            form.add("advance", "概算払額（税込）", "amount", hint="概算払のときだけ")
        form.add("issue_date", "発行日", "date", required=True, initial=self.today,
                 hint="お支払期限は発行日の30日後（支払遅延防止法）")

    def save(self, session) -> str:
        from tama_desk.services import contracts

        which = self.form.value("which")
        kwargs: dict = {"final": which == "final"} if which == "final" else {}
        if which == "advance":
            if "advance" not in self.form.widgets or not self.form.value("advance"):
                raise UserError("概算払額を入力してください")
            kwargs = {"advance": self.form.value("advance")}
        elif which and which.startswith("m"):
            kwargs = {"milestone": int(which[1:])}
        invoice = contracts.issue_invoice(session, self.context["contract_id"], self.form.value("issue_date"),
                                          **kwargs)
        label = t("返還請求書") if invoice.kind == "credit_note" else t("請求書")
        return t("{label} {number} を発行しました: {amount}円", label=label, number=invoice.number,
                 amount=f"{invoice.total:,}")


class SettleDialog(ContractFormDialog):
    """概算払いの精算: the 確定額, with the balance or the refund shown as it is typed."""

    title_text = "精算（確定額の登録）"
    button_text = "確定額を登録する"

    def create_form(self, form: Form) -> None:
        form.add("final_amount", "確定額（税込）", "amount", required=True,
                 hint=t("請求済み {amount}円", amount=f"{self.context.get('invoiced', 0):,}"))
        form.add("date", "精算日", "date", required=True, initial=self.today)

    def on_change(self, key: str) -> None:
        if key != "final_amount":
            return
        try:
            final = self.form.value("final_amount")
        except ValueError:
            return
        if final is None:
            return
        result = rules.settlement(final, self.context.get("invoiced", 0))
        text = (t("返還額 {amount}円（返還請求書を発行します）", amount=f"{result.refund:,}") if result.refund
                else t("差引請求額 {amount}円", amount=f"{result.balance:,}"))
        self.form.hint("final_amount", text)

    def save(self, session) -> str:
        from tama_desk.services import contracts

        result = contracts.settle(session, self.context["contract_id"], self.form.value("final_amount"),
                                  self.form.value("date"))
        if result.refund:
            return t("確定額を登録しました。返還額 {amount}円", amount=f"{result.refund:,}")
        return t("確定額を登録しました。差引請求額 {amount}円", amount=f"{result.balance:,}")


class SignDialog(ContractFormDialog):
    """見積 → 契約済."""

    title_text = "契約締結"
    button_text = "記録する"

    def create_form(self, form: Form) -> None:
        form.add("date", "契約日", "date", required=True, initial=self.today)

    def save(self, session) -> str:
        from tama_desk.services import contracts

        contract = contracts.sign(session, self.context["contract_id"], self.form.value("date"),
                                  version=self.context.get("version"))
        return t("契約日を記録しました: {title} {date}", title=contract.title, date=f"{contract.signed_on:%Y-%m-%d}")


class CancelDialog(ContractFormDialog):
    """中止: kept in the list, greyed, with its reason."""

    title_text = "契約の中止"
    button_text = "中止を記録する"

    def create_form(self, form: Form) -> None:
        form.add("date", "中止日", "date", required=True, initial=self.today)
        form.add("reason", "理由", "text", required=True, width=40)

    def save(self, session) -> str:
        from tama_desk.services import contracts

        contract = contracts.cancel_contract(session, self.context["contract_id"], self.form.value("date"),
                                             self.form.get("reason"), version=self.context.get("version"))
        return t("中止を記録しました: {title}", title=contract.title)


class AmendDialog(ContractFormDialog):
    """変更契約: the new amount and period, and — below — the milestones to change, remove (削除) or add
    (empty rows at the end). A milestone already invoiced keeps its amount and cannot be removed."""

    title_text = "変更契約"
    button_text = "変更を記録する"
    NEW_ROWS = 2

    def create_form(self, form: Form) -> None:
        form.add("date", "変更契約日", "date", required=True, initial=self.today)
        form.add("amount", "変更後の契約金額（税込）", "amount", initial=self.context.get("amount"))
        form.add("start", "変更後の履行期間（開始）", "date", initial=self.context.get("period_start"))
        form.add("end", "変更後の履行期間（終了）", "date", initial=self.context.get("period_end"))
        form.add("reason", "理由", "text", required=True, width=40)

    def create_extra(self) -> None:
        self.rows: list[dict] = []
        milestones = self.context.get("milestones", [])
        if not milestones and self.context.get("payment_terms") != "partial":
            return
        box = ttk.Labelframe(self.body, text=t("履行段階（変更・削除・追加）"), padding=(10, 6))
        box.pack(fill="x", pady=(10, 0))
        for column, heading in enumerate(("回", "名称", "期限", "請求額（税込）", "削除", "")):
            ttk.Label(box, text=t(heading), bootstyle="secondary").grid(row=0, column=column, sticky="w", padx=(0, 6))
        box.columnconfigure(1, weight=1)
        for milestone in milestones:
            self.add_row(box, milestone)
        for _ in range(self.NEW_ROWS):
            self.add_row(box, None)
        ttk.Label(box, text=t("追加するときは空の行に名称・期限・金額を入力。請求済みの段階は金額の変更・削除ができません"),
                  bootstyle="secondary", font=(None, 8), wraplength=520, justify="left").grid(
            row=len(self.rows) + 1, column=0, columnspan=6, sticky="w", pady=(4, 0))

    def add_row(self, box, milestone: dict | None) -> None:
        index = len(self.rows) + 1
        row = {"milestone": milestone, "name": ttk.StringVar(value=milestone["name"] if milestone else ""),
               "due": ttk.StringVar(value=format_date(milestone["due_date"]) if milestone else ""),
               "amount": ttk.StringVar(value=f"{milestone['amount']:,}" if milestone else ""),
               "remove": ttk.BooleanVar(value=False)}
        invoiced = bool(milestone and milestone.get("invoiced"))
        ttk.Label(box, text=t("第{n}回", n=milestone["position"]) if milestone else t("追加")).grid(
            row=index, column=0, sticky="w", padx=(0, 6))
        for column, (key, width) in enumerate((("name", 28), ("due", 12), ("amount", 13)), start=1):
            entry = ttk.Entry(box, textvariable=row[key], width=width, justify="right" if key == "amount" else "left",
                              state="disabled" if invoiced and key == "amount" else "normal")
            entry.grid(row=index, column=column, sticky="ew", padx=(0, 6), pady=1)
            if key == "amount":
                entry.bind("<FocusOut>", lambda _e, v=row[key]: tidy_yen(v), add="+")
        if milestone is not None:
            ttk.Checkbutton(box, variable=row["remove"], state="disabled" if invoiced else "normal").grid(
                row=index, column=4)
        if invoiced:
            ttk.Label(box, text=t("請求済"), bootstyle="secondary").grid(row=index, column=5, sticky="w")
        self.rows.append(row)

    def milestone_edits(self) -> list[rules.MilestoneEdit]:
        """The grid as edits: only rows that differ from the milestone, and filled new rows."""
        edits = []
        for row in self.rows:
            milestone = row["milestone"]
            name, due_text, amount_text = (row[key].get().strip() for key in ("name", "due", "amount"))
            label = t("第{n}回", n=milestone["position"]) if milestone else t("追加の行")
            if milestone is None and not (name or due_text or amount_text):
                continue
            if milestone is not None and row["remove"].get():
                edits.append(rules.MilestoneEdit(milestone["position"], remove=True))
                continue
            try:
                due = parse_date(due_text, today=self.today) if due_text else None
                amount = parse_yen(amount_text) if amount_text else None
            except ValueError as error:
                raise UserError("{row}: {problem}", row=label, problem=t(str(error))) from None
            if milestone is None:
                edits.append(rules.MilestoneEdit(None, name, due, amount))
            elif (name, due, amount) != (milestone["name"], milestone["due_date"], milestone["amount"]):
                edits.append(rules.MilestoneEdit(milestone["position"], name or None, due, amount))
        return edits

    def save(self, session) -> str:
        from tama_desk.services import contracts

        amendment = contracts.amend(session, self.context["contract_id"], self.form.value("date"),
                                    self.form.get("reason"), self.form.value("amount"), self.form.value("end"),
                                    period_start=self.form.value("start"), milestones=self.milestone_edits(),
                                    version=self.context.get("version"))
        return t("変更契約を記録しました: {before}円→{after}円、期間の終わり {end}",
                 before=f"{amendment.amount_before:,}", after=f"{amendment.amount_after:,}",
                 end=f"{amendment.period_end_after:%Y-%m-%d}")


class CostDialog(ContractFormDialog):
    """経費を追加, with its voucher file (証ひょう) attached in the same transaction."""

    title_text = "経費を追加"
    button_text = "追加する"

    def create_form(self, form: Form) -> None:
        form.add("voucher_number", "証ひょう番号", required=True)
        form.add("category", "費目", "combo", values=self.context.get("categories", []), required=True)
        form.add("payment_date", "支払日", "date", required=True)
        form.add("payee", "支払先", required=True, width=40)
        form.add("description", "内容", width=40)
        form.add("amount", "支出額（税込）", "amount", required=True)
        form.add("tax", "消費税", "amount", initial=0)
        form.add("accounting_ref", "会計伝票番号", hint="同じ伝票を二つの財源に計上しないための照合に使います")
        form.add("split_total", "按分: 支出全体の額", "amount", hint="二つの財源で按分するときだけ")
        form.add("split_note", "按分の理由")
        entry = form.add("voucher_file", "証ひょうファイル", width=40, hint="PDF・画像（保存時にデータフォルダへコピー）")
        ttk.Button(form.frame, text=t("参照…"), bootstyle="secondary-outline", command=self.on_browse).grid(
            row=int(entry.grid_info()["row"]), column=2, padx=(6, 0), pady=(3, 0), sticky="w")

    def on_browse(self) -> None:
        chosen = desktop.ask_voucher(self)
        if chosen is not None:
            self.form.set("voucher_file", str(chosen))

    def values(self) -> dict:
        return {key: self.form.value(key) for key in COST_FIELDS}

    def voucher(self) -> Path | None:
        chosen = self.form.get("voucher_file").strip()
        return Path(chosen) if chosen else None

    def save(self, session) -> str:
        from tama_desk.services import cost_ledger

        cost = cost_ledger.add_cost(session, self.context["contract_id"], self.values(),
                                    split_total=self.form.value("split_total"), split_note=self.form.get("split_note"),
                                    voucher=self.voucher())
        return t("経費を登録しました: {voucher} {amount}円", voucher=cost.voucher_number, amount=f"{cost.amount:,}")


class CostEditDialog(CostDialog):
    """経費を修正: the saved cost's fields, its voucher replaced only when a file is chosen. The service refuses a
    cost of a cancelled, settled or paid contract, or one already exported to the accountant; a change another
    PC saved meanwhile offers to load the latest (`cost["version"]`)."""

    title_text = "経費を修正"
    button_text = "保存する"

    def create_form(self, form: Form) -> None:
        super().create_form(form)
        cost = self.context["cost"]
        for key in (*COST_FIELDS, "split_total", "split_note"):
            form.set(key, cost.get(key))
        form.hint("voucher_file", t("差し替えるときだけ選択（現在: {name}）",
                                    name=cost.get("attachment_name") or t("なし")))

    def save(self, session) -> str:
        from tama_desk.services import cost_ledger

        cost = self.context["cost"]
        edit = cost_ledger.update_cost(session, cost["id"], {**self.values(), "split_total": self.form.value(
            "split_total"), "split_note": self.form.get("split_note")}, version=cost.get("version"),
            voucher=self.voucher())
        if not edit.changes and self.voucher() is None:
            return t("経費 {voucher} に変更はありません", voucher=edit.cost.voucher_number)
        return t("経費 {voucher} を修正しました: {amount}円（{n} 項目）", voucher=edit.cost.voucher_number,
                 amount=f"{edit.cost.amount:,}", n=len(edit.changes))


class CostImportDialog(ImportPreviewDialog):
    """経費の取込: a preview (every problem with its line and column), then all rows in one transaction."""

    COLUMNS = [Column("line", "行", 60, "e"), Column("what", "列・証ひょう番号", 170),
               Column("detail", "内容", 560, stretch=True)]
    ADVICE = "ファイルを直してから、もう一度取り込んでください。"

    def __init__(self, parent, app, contract_id: int, path: Path, on_done):
        self.contract_id = contract_id
        super().__init__(parent, app, path, on_done, t("経費の取込"))

    def preview(self, session):
        from tama_desk.services.cost_ledger import import_costs

        return import_costs(session, self.contract_id, self.path, dry_run=True)

    def run_import(self, session, _job):
        from tama_desk.services.cost_ledger import import_costs

        return import_costs(session, self.contract_id, self.path)

    def fill_preview(self, result) -> None:
        for line, voucher, amount in result.created:
            self.add_row(line, voucher, t("{amount}円", amount=f"{amount:,}"))
        paint(self.summary, t("経費 {n} 件を取り込みます。よろしければ「取り込む」を押してください。",
                              n=len(result.created)), "default")
        self.import_button.configure(state="normal" if result.created else "disabled")

    def finish(self, result) -> None:
        self.on_done(t("経費 {n} 件を取り込みました", n=len(result.created)))
