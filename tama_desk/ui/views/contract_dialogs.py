"""Entry dialogs of the 委託事業 area, on the shared Dialog and Form: each is one form whose main button runs
one service action in one transaction, then tells the view what changed.

    ContractDialog(parent, app, on_saved)                  新規契約
    ClientDialog(parent, app, on_saved)                    取引先を追加
    MilestoneDialog / DeliverableDialog / StepDialog / InvoiceDialog / SettleDialog / AmendDialog / CostDialog
        (parent, app, contract_id, on_saved, …)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from tama_desk.domain import contracts as rules
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.ui import feedback
from tama_desk.ui.layout import paint
from tama_desk.ui.views.import_dialog import ImportPreviewDialog
from tama_desk.ui.widgets import Column, Dialog, Form

KIND_CHOICES = {kind: kind for kind in rules.KINDS}
ADDRESSEES = {"department": "○○市 ○○課 御中", "head": "○○市長 ○○ ○○ 様"}


class ContractFormDialog(Dialog):
    """One form, one action. Subclasses set `title_text`, `button_text`, build the form in `create_form` and do
    the work in `save(session) -> message` (inside the transaction)."""

    title_text = ""
    button_text = "保存"

    def __init__(self, parent, app, on_saved: Callable[[str], object] | None = None, **context):
        super().__init__(parent, t(self.title_text))
        self.app, self.on_saved, self.context = app, on_saved, context
        self.today = date.today()
        self.form = Form(self.body, on_submit=self.on_save, on_change=self.on_change, scroll=False, today=self.today)
        self.create_form(self.form)
        self.form.pack(fill="both", expand=True)
        self.add_button(t(self.button_text), self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.on_escape)
        self.add_note(t("* は必須"))
        self.show(focus=self.form.widgets[self.form.order[0]])

    def create_form(self, form: Form) -> None:
        raise NotImplementedError

    def save(self, session) -> str:
        raise NotImplementedError

    def on_change(self, _key: str) -> None:
        pass

    def on_save(self) -> None:
        if self.form.check():
            return
        try:
            with self.app.db.transaction() as session:
                message = self.save(session)
        except (UserError, ValueError) as error:
            feedback.show_error(self, error if isinstance(error, UserError) else UserError(str(error)))
            return
        self.close()
        feedback.notify(self.parent, message)
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
        form.add("tax_amount", "うち消費税額", "amount", hint="空欄なら 10% で計算")
        form.add("management_fee_rate", "一般管理費率", initial="0", hint="契約が認める率 例: 10%")

    def on_change(self, key: str) -> None:
        if key == "amount":
            try:
                amount = self.form.value("amount")
            except ValueError:
                return
            if amount:
                self.form.hint("tax_amount", t("10% の内税: {tax}円", tax=f"{rules.tax_included_in(amount):,}"))

    def save(self, session) -> str:
        from tama_desk.services import clients, contracts

        party = clients.find_party(session, self._party_spec(session))
        contract = contracts.create_contract(
            session, party=party, title=self.form.get("title"), signed_on=self.form.value("signed_on"),
            period_start=self.form.value("period_start"), period_end=self.form.value("period_end"),
            amount=self.form.value("amount"), payment_terms=self.form.value("payment_terms"),
            number=self.form.get("number"), kind=self.form.value("kind"), reference=self.form.get("reference"),
            tax_amount=self.form.value("tax_amount"), management_fee_rate=self.form.get("management_fee_rate") or "0")
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
    title_text = "変更契約"
    button_text = "変更を記録する"

    def create_form(self, form: Form) -> None:
        form.add("date", "変更契約日", "date", required=True, initial=self.today)
        form.add("amount", "変更後の契約金額（税込）", "amount", initial=self.context.get("amount"))
        form.add("end", "変更後の履行期間（終了）", "date", initial=self.context.get("period_end"))
        form.add("reason", "理由", "text", required=True, width=40)

    def save(self, session) -> str:
        from tama_desk.services import contracts

        amendment = contracts.amend(session, self.context["contract_id"], self.form.value("date"),
                                    self.form.get("reason"), self.form.value("amount"), self.form.value("end"),
                                    version=self.context.get("version"))
        return t("変更契約を記録しました: {before}円→{after}円、期間の終わり {end}",
                 before=f"{amendment.amount_before:,}", after=f"{amendment.amount_after:,}",
                 end=f"{amendment.period_end_after:%Y-%m-%d}")


class CostDialog(ContractFormDialog):
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

    def save(self, session) -> str:
        from tama_desk.services import cost_ledger

        values = {key: self.form.value(key) for key in ("voucher_number", "category", "payment_date", "payee",
                                                         "description", "amount", "tax", "accounting_ref")}
        cost = cost_ledger.add_cost(session, self.context["contract_id"], values,
                                    split_total=self.form.value("split_total"), split_note=self.form.get("split_note"))
        return t("経費を登録しました: {voucher} {amount}円", voucher=cost.voucher_number, amount=f"{cost.amount:,}")


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
