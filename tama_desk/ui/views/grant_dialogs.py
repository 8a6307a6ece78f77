"""Dialogs of the 補助金 view: a new grant, the expenditure entry form, the import preview, reallocation."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import ttkbootstrap as ttk

from tama_desk.domain import subsidy
from tama_desk.domain.choices import GRANT_ROUNDING_UNITS
from tama_desk.domain.dates import parse_date
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.domain.money import parse_yen
from tama_desk.domain.validators import ascii_fold
from tama_desk.errors import Problem, UserError
from tama_desk.i18n import t
from tama_desk.services import grants, profile
from tama_desk.services.grant_import import import_expenditures
from tama_desk.ui import feedback
from tama_desk.ui.layout import paint
from tama_desk.ui.views.import_dialog import ImportPreviewDialog
from tama_desk.ui.widgets import Column, DataTable, Dialog, Form
from tama_desk.ui.widgets.form import tidy_yen
from tama_desk.ui.widgets.table import TAG_COLOURS

DANGER_COLOUR = TAG_COLOURS["danger"]
WARNING_COLOUR = TAG_COLOURS["warning"]
DONE_COLOUR = TAG_COLOURS["success"]


def expand_short_date(text: str, start: date, end: date) -> str:
    """'5/10' or '0510' → the date with that month and day inside the period (typing the year is slow)."""
    folded = ascii_fold(text)
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})", folded) or re.fullmatch(r"(\d{2})(\d{2})", folded)
    if not match:
        return text
    month, day = int(match.group(1)), int(match.group(2))
    candidates = []
    for year in range(start.year, end.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    inside = [day_ for day_ in candidates if start <= day_ <= end]
    chosen = (inside or candidates or [None])[0]
    return chosen.isoformat() if chosen else text


def next_voucher(last: str) -> str:
    """The voucher after `last`: its trailing number plus one, same width ('26-1-0041' → '26-1-0042')."""
    match = re.search(r"(\d+)$", last or "")
    if not match:
        return ""
    digits = match.group(1)
    return last[:match.start()] + str(int(digits) + 1).zfill(len(digits))


def tax_from(text: str, amount: int | None) -> str:
    """'10%' or '8%' in the tax field → the tax inside the tax-included amount, rounded down."""
    folded = ascii_fold(text).replace("％", "%")
    if folded.endswith("%") and folded[:-1].isdigit() and amount is not None:
        rate = int(folded[:-1])
        return str(amount * rate // (100 + rate))
    return text


def _problem_lines(error: UserError) -> str:
    return "\n".join([error.text(), *(f"・{problem}" for problem in error.problems[:8])])


# -- a new grant ------------------------------------------------------------------------------------
GRANT_LEFT = [("name", "事業名", True), ("programme", "補助金の名称", False), ("grantor", "補助元", True),
              ("fiscal_year", "年度", True), ("decision_number", "交付決定番号", False),
              ("decision_date", "交付決定日", False), ("period_start", "事業開始日", True),
              ("period_end", "事業終了日", True)]
GRANT_RIGHT = [("decided_amount", "交付決定額", True), ("rate", "補助率", True), ("formula", "算定方式", True),
               ("rounding_unit", "端数処理単位", True), ("decided_eligible_cost", "補助対象経費（交付決定時）", False),
               ("advance_paid", "概算払額", False)]
GRANT_DATES = {"decision_date", "period_start", "period_end"}
GRANT_AMOUNTS = {"decided_amount", "decided_eligible_cost", "advance_paid"}
GRANT_HINTS = {"rate": "例: 2/3、1/2、10/10（分数で）", "decision_date": "例: 2026-04-12",
               "decided_eligible_cost": "空欄なら予算の補助対象額の合計", "period_end": "例: 2027-02-28"}
# the service names some problems by a wider label: which field of the form to mark
GRANT_PROBLEM_FIELDS = {"事業期間": "period_end", "経費区分": None, "予算": None, "状態": None}


class GrantDialog(Dialog):
    """補助事業の新規登録: the decision's facts and the budget per 経費区分; every field checked as typed."""

    def __init__(self, parent, app, on_saved):
        super().__init__(parent, t("補助事業の新規登録"))
        self.app, self.on_saved = app, on_saved
        self.tried = False
        with app.db.reading() as session:
            self.category_names = grants.categories(session)
            self.start_month = profile.get_profile(session).fiscal_year_start_month
        self.form = Form(self.body, scroll=False, on_change=self.on_field_changed, on_submit=self.on_save,
                         on_last=lambda: self.budget_entries[self.category_names[0]][0].focus_set(), hint_wrap=240)
        self.form.pack(side="left", fill="both", expand=True, anchor="n")
        self.create_form()
        self.create_budget(self.body)
        self.create_buttons()
        self.show(focus=self.form.widgets["name"])

    # -- building ---------------------------------------------------------------------------------
    def create_form(self) -> None:
        year = fiscal_year_of(date.today(), self.start_month)
        initial = {"fiscal_year": str(year), "formula": "rate", "rounding_unit": 1, "advance_paid": 0}
        choices = {"formula": grants.FORMULAS, "rounding_unit": GRANT_ROUNDING_UNITS}
        for column, fields in ((0, GRANT_LEFT), (2, GRANT_RIGHT)):
            for key, label, required in fields:
                kind = "choice" if key in choices else "date" if key in GRANT_DATES else \
                    "amount" if key in GRANT_AMOUNTS else "entry"
                self.form.add(key, label, kind, column=column, initial=initial.get(key, ""), required=required,
                              choices=choices.get(key), hint=GRANT_HINTS.get(key, ""), width=22 if column else 26)
        self.form.add("summary", "事業の概要", "text", column=2, width=22, height=3)
        self.summary = self.form.widgets["summary"]

    def create_budget(self, body) -> None:
        box = ttk.Labelframe(body, text=t("経費区分ごとの予算（円）"), padding=(10, 6))
        box.pack(side="left", fill="y", padx=(20, 0), anchor="n")
        for column, heading in enumerate((t("経費区分"), t("計画額"), t("うち補助対象"))):
            ttk.Label(box, text=heading, bootstyle="secondary").grid(row=0, column=column, sticky="w", padx=(0, 6))
        self.budget_vars: dict[str, tuple[ttk.StringVar, ttk.StringVar]] = {}
        self.budget_entries: dict[str, tuple[ttk.Entry, ttk.Entry]] = {}
        for row, category in enumerate(self.category_names, start=1):
            ttk.Label(box, text=category).grid(row=row, column=0, sticky="w", padx=(0, 6))
            pair = (ttk.StringVar(), ttk.StringVar())
            entries = tuple(ttk.Entry(box, textvariable=variable, width=11, justify="right") for variable in pair)
            for column, (variable, entry) in enumerate(zip(pair, entries, strict=True), start=1):
                entry.grid(row=row, column=column, pady=1, padx=(0, 6))
                variable.trace_add("write", lambda *_: self.on_budget_changed())
                entry.bind("<FocusOut>", lambda _e, v=variable: tidy_yen(v), add="+")
                entry.bind("<Return>", lambda _e, w=entry: (w.tk_focusNext().focus_set(), "break")[1])
            self.budget_vars[category], self.budget_entries[category] = pair, entries
        self.budget_total = ttk.Label(box, font=(None, 10, "bold"))
        self.budget_total.grid(row=len(self.category_names) + 1, column=0, columnspan=3, sticky="w", pady=(6, 0))
        self.budget_note = ttk.Label(box, text=t("使う経費区分だけ入力。補助対象が空欄なら計画額と同じ"),
                                     bootstyle="secondary", font=(None, 8), wraplength=300)
        self.budget_note.grid(row=len(self.category_names) + 2, column=0, columnspan=3, sticky="w")
        self.on_budget_changed()

    def create_buttons(self) -> None:
        self.add_button(t("登録する") + " (Ctrl+S)", self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.on_escape)
        self.add_note(t("* は必須"))

    # -- reacting ---------------------------------------------------------------------------------
    def field_error(self, key: str) -> str | None:
        text = self.form.get(key)
        if not text:
            required = any(key == name and needed for name, _label, needed in GRANT_LEFT + GRANT_RIGHT)
            return "入力してください" if required and self.tried else None
        try:
            if key == "fiscal_year":
                if not (ascii_fold(text).isdigit() and 2000 <= int(ascii_fold(text)) <= 2100):
                    return "年度は西暦4桁で入力してください（例: 2026）"
            elif key in ("decision_date", "period_start", "period_end"):
                day = parse_date(text)
                if key == "period_end" and day < self._start_or(day):
                    return "終了日が開始日より前です"
            elif key in GRANT_AMOUNTS:
                if parse_yen(text) <= 0 and key == "decided_amount":
                    return "1円以上にしてください"
            elif key == "rate":
                subsidy.parse_rate(text)
        except ValueError as error:
            return str(error)
        return None

    def _start_or(self, default: date) -> date:
        try:
            return parse_date(self.form.get("period_start"))
        except ValueError:
            return default

    def on_field_changed(self, key: str) -> None:
        self.form.show(key, self.field_error(key))
        if key == "period_start" and self.form.get("period_end"):
            self.form.show("period_end", self.field_error("period_end"))

    def budgets(self) -> tuple[dict[str, int], dict[str, int], list[Problem]]:
        planned, eligible, problems = {}, {}, []
        for category, (plan_var, eligible_var) in self.budget_vars.items():
            plan_text, eligible_text = plan_var.get().strip(), eligible_var.get().strip()
            if not plan_text and not eligible_text:
                continue
            try:
                planned[category] = parse_yen(plan_text or "0")
                eligible[category] = parse_yen(eligible_text) if eligible_text else planned[category]
            except ValueError as error:
                problems.append(Problem(str(error), "予算", record=category))
                continue
            if eligible[category] > planned[category]:
                problems.append(Problem("補助対象額は計画額以下です", "予算", record=category))
        return planned, eligible, problems

    def on_budget_changed(self) -> None:
        planned, eligible, problems = self.budgets()
        bad = {problem.record for problem in problems}
        for category, entries in self.budget_entries.items():
            for entry in entries:
                entry.configure(bootstyle="danger" if category in bad else "default")
        self.budget_total.configure(text=t("合計 {planned:,}円（補助対象 {eligible:,}円）",
                                           planned=sum(planned.values()), eligible=sum(eligible.values())))
        if problems:
            self.budget_note.configure(text=str(problems[0]), bootstyle="danger")
        else:
            self.budget_note.configure(text=t("使う経費区分だけ入力。補助対象が空欄なら計画額と同じ"), bootstyle="secondary")

    def collect(self) -> dict:
        """The create_grant arguments; a UserError naming every wrong field when something cannot be read."""
        problems = []
        for key, label, _required in GRANT_LEFT + GRANT_RIGHT:
            error = self.field_error(key)
            if error:
                problems.append(Problem(error, label))
        planned, eligible, budget_problems = self.budgets()
        problems += budget_problems
        if problems:
            raise UserError("補助事業を登録できません", problems)
        get = self.form.get
        formula, rounding = get("formula"), get("rounding_unit")
        values = dict(name=get("name"), programme=get("programme"), grantor=get("grantor"),
                      fiscal_year=int(ascii_fold(get("fiscal_year"))), decision_number=get("decision_number"),
                      decision_date=parse_date(get("decision_date")) if get("decision_date") else None,
                      period_start=parse_date(get("period_start")), period_end=parse_date(get("period_end")),
                      decided_amount=parse_yen(get("decided_amount")), rate=ascii_fold(get("rate")), formula=formula,
                      rounding_unit=rounding, budgets=planned, eligible_budgets=eligible,
                      advance_paid=parse_yen(get("advance_paid")) if get("advance_paid") else 0,
                      summary=get("summary"))
        if get("decided_eligible_cost"):
            values["decided_eligible_cost"] = parse_yen(get("decided_eligible_cost"))
        return values

    def on_save(self) -> None:
        self.tried = True
        for key, _label, _required in GRANT_LEFT + GRANT_RIGHT:
            self.form.show(key, self.field_error(key))
        try:
            values = self.collect()
            with self.app.db.transaction() as session:
                grant = grants.create_grant(session, **values)
                saved_id, message = grant.id, t("補助金「{name}」を登録しました（交付決定額 {amount:,}円）", name=grant.name,
                                                amount=grant.decided_amount)
        except UserError as error:
            by_label = {label: key for key, label, _required in GRANT_LEFT + GRANT_RIGHT}
            for problem in error.problems:
                key = GRANT_PROBLEM_FIELDS.get(problem.field, by_label.get(problem.field))
                if key:
                    self.form.show(key, problem.text())
            feedback.show_error(self, error)
            return
        self.close()
        self.on_saved(saved_id, message)


# -- the expenditure entry form ----------------------------------------------------------------------
ENTRY_LEFT = ["voucher_number", "category", "payment_date", "contract_date", "payee"]
ENTRY_RIGHT = ["description", "amount", "tax", "eligible_amount", "ineligible_reason"]
ENTRY_AMOUNTS = {"amount", "eligible_amount"}
ENTRY_HINTS = {"voucher_number": "前回の続きの番号を表示しています", "payment_date": "例: 2026-05-10、5/10 でも可",
               "contract_date": "50万円を超える契約のとき", "tax": "空欄は0円。「10%」で税込額から計算",
               "eligible_amount": "空欄なら税抜額", "ineligible_reason": "補助対象外の支出のとき（対象額は0円）"}
REQUIRED_ENTRY = {"voucher_number", "category", "payment_date", "payee", "amount"}


class ExpenditureDialog(Dialog):
    """支出を入力: one voucher after another from the keyboard. Enter moves on, the last field (or Ctrl+Enter)
    saves; the form then clears for the next voucher. Warnings are shown here and never block."""

    def __init__(self, parent, app, grant_id: int, on_saved, expenditure_id: int | None = None):
        """With `expenditure_id` the form corrects that expenditure instead, and closes when saved."""
        super().__init__(parent, t("支出を入力"))
        self.app, self.grant_id, self.on_saved = app, grant_id, on_saved
        self.expenditure_id = expenditure_id
        self.tried = False
        with app.db.reading() as session:
            self.grant = grants.get_grant(session, grant_id)
            self.grant_categories = [budget.category for budget in self.grant.budgets]
            self.all_categories = grants.categories(session)
            existing = grants.expenditures(session, grant_id)
        editing = next((e for e in existing if e.id == expenditure_id), None)
        self.vouchers = {e.voucher_number for e in existing if e is not editing}
        last = max(existing, key=lambda expenditure: expenditure.id).voucher_number if existing else ""
        self.title(t("支出の修正" if editing else "支出を入力") + f" — {self.grant.name}")
        self.create_form(editing.voucher_number if editing else next_voucher(last))
        if editing:
            for key in ENTRY_LEFT + ENTRY_RIGHT:
                value = getattr(editing, key)
                self.form.vars[key].set("" if value is None else value.isoformat() if isinstance(value, date)
                                        else str(value))
        self.create_messages()
        self.create_recent()
        self.create_buttons()
        self.show()
        self.focus_first()

    # -- building ---------------------------------------------------------------------------------
    def create_form(self, voucher: str) -> None:
        hints = dict(ENTRY_HINTS, category=self.category_hint())
        if not voucher:
            hints["voucher_number"] = "例: 26-001（次からは自動で続きの番号）"
        self.form = Form(self.body, scroll=False, on_change=self.on_field_changed, on_submit=self.on_save,
                         hint_wrap=280)
        self.form.pack(fill="x")
        for column, fields in ((0, ENTRY_LEFT), (2, ENTRY_RIGHT)):
            for key in fields:
                self.form.add(key, grants.EXPENDITURE_LABELS[key], "amount" if key in ENTRY_AMOUNTS else "entry",
                              column=column, required=key in REQUIRED_ENTRY, hint=hints.get(key, ""),
                              values=self.grant_categories if key == "category" else None,
                              initial=voucher if key == "voucher_number" else "", width=24)
        category = self.form.widgets["category"]
        category.bind("<KeyRelease>", self.on_category_typed)
        category.bind("<FocusOut>", lambda _e: self.resolve_category(), add="+")
        for key in ("payment_date", "contract_date"):
            self.form.widgets[key].bind("<FocusOut>", lambda _e, k=key: self.expand_date(k), add="+")
        self.form.widgets["tax"].bind("<FocusOut>", lambda _e: self.resolve_tax(), add="+")

    def category_hint(self) -> str:
        numbered = "　".join(f"{index}\u00a0{name}" for index, name in enumerate(self.grant_categories, start=1))
        return t("文字か番号で選べます: {list}", list=numbered)

    def create_messages(self) -> None:
        self.message = ttk.Label(self.body, text=t("Enter で次の項目へ、最後の項目か Ctrl+Enter で登録します。"),
                                 bootstyle="secondary", padding=(0, 10, 0, 4), wraplength=820, justify="left")
        self.message.pack(fill="x")

    def create_recent(self) -> None:
        box = ttk.Labelframe(self.body, text=t("この画面で登録した支出"), padding=8)
        box.pack(fill="both", expand=True, pady=(4, 0))
        self.recent_table = DataTable(box, [
            Column("voucher", "証ひょう番号", 100), Column("category", "費目", 90),
            Column("date", "支払日", 92, "center", format="date"), Column("payee", "支払先", 180),
            Column("amount", "支出額", 90, format="yen", total=True), Column("note", "注意", 200, stretch=True)],
            key="voucher", height=4, tag=lambda row: ("warning",) if row["note"] else ())
        self.recent_table.pack(fill="both", expand=True)
        self.recent = self.recent_table.tree
        self.recent_rows: list[dict] = []

    def create_buttons(self) -> None:
        self.save_button = self.add_button(t("登録する") + " (Ctrl+Enter)", self.on_save, main=True, save=True)
        self.add_button(t("閉じる"), self.on_escape)
        self.add_button(t("クリア"), self.clear, style="secondary-outline", side="left")

    def focus_first(self) -> None:
        first = "category" if self.form.get("voucher_number") else "voucher_number"
        self.form.widgets[first].focus_set()

    # -- reacting ---------------------------------------------------------------------------------
    def on_category_typed(self, event) -> None:
        """Type-to-complete: a number picks the category of that line; letters complete the first match."""
        widget = self.form.widgets["category"]
        if event.keysym in ("BackSpace", "Delete", "Left", "Right", "Return", "KP_Enter", "Tab", "Escape",
                            "Up", "Down", "Shift_L", "Shift_R", "Control_L", "Control_R"):
            return
        typed = widget.get()[:widget.index("insert")]
        folded = ascii_fold(typed)
        if folded.isdigit():
            if int(folded) * 10 > len(self.grant_categories):  # no longer number starts with these digits
                self.resolve_category()
                widget.icursor("end")
                widget.selection_clear()
            return
        if not typed:
            return
        match = next((name for name in self.grant_categories if name.startswith(typed)), None)
        if match and match != typed:
            self.form.vars["category"].set(match)
            widget.icursor(len(typed))
            widget.selection_range(len(typed), "end")

    def category_of(self, text: str) -> str:
        """A category typed as its number in the list ('3' → the third category) becomes its name."""
        folded = ascii_fold(text)
        if folded.isdigit() and 1 <= int(folded) <= len(self.grant_categories):
            return self.grant_categories[int(folded) - 1]
        return text

    def resolve_category(self) -> None:
        text = self.form.vars["category"].get()
        if self.category_of(text) != text:
            self.form.vars["category"].set(self.category_of(text))

    def expand_date(self, key: str) -> None:
        text = self.form.vars[key].get()
        expanded = expand_short_date(text, self.grant.period_start, self.grant.period_end)
        if expanded != text:
            self.form.vars[key].set(expanded)

    def resolve_tax(self) -> None:
        amount = self._amount_or_none()
        text = self.form.vars["tax"].get()
        resolved = tax_from(text, amount)
        if resolved != text:
            self.form.vars["tax"].set(resolved)

    def _amount_or_none(self) -> int | None:
        try:
            return parse_yen(self.form.get("amount"))
        except ValueError:
            return None

    def raw(self) -> dict[str, str]:
        values = {key: self.form.get(key) for key in ENTRY_LEFT + ENTRY_RIGHT}
        values["category"] = self.category_of(values["category"])
        for key in ("payment_date", "contract_date"):
            if values[key]:
                values[key] = expand_short_date(values[key], self.grant.period_start, self.grant.period_end)
                try:
                    values[key] = parse_date(values[key]).isoformat()  # 和暦 and the other forms, read once
                except ValueError:
                    pass
        values["tax"] = tax_from(values["tax"], self._amount_or_none())
        for key in ("amount", "tax", "eligible_amount"):
            values[key] = ascii_fold(values[key])
        return values

    def on_field_changed(self, _key: str = "") -> None:
        """Check the whole voucher with the service's own rules; a field is judged once it has text."""
        raw = self.raw()
        clean, problems = grants.clean_expenditure(self.grant, raw)
        by_label = {label: key for key, label in grants.EXPENDITURE_LABELS.items()}
        errors: dict[str, str] = {}
        for problem in problems.items:
            key = by_label.get(problem.field)
            if key and key not in errors and (raw.get(key) or self.tried):
                errors[key] = problem.reason
        if raw["voucher_number"] in self.vouchers:
            errors.setdefault("voucher_number", "この証ひょう番号は既に登録されています")
        for key in ENTRY_LEFT + ENTRY_RIGHT:
            self.form.show(key, errors.get(key))
        category = raw["category"]
        if category and "category" not in errors and category not in self.grant_categories:
            self.form.show("category", "交付決定の経費区分にありません（登録はできます）", "warning")
        if "eligible_amount" not in errors and not raw["eligible_amount"] and isinstance(clean.get("eligible_amount"),
                                                                                       int):
            self.form.hint("eligible_amount", t("空欄なら {amount:,}円", amount=clean["eligible_amount"]))
        if "tax" not in errors and raw["tax"] != self.form.get("tax") and raw["tax"].isdigit():
            self.form.hint("tax", t("= {amount:,}円", amount=int(raw["tax"])))

    def on_save(self) -> str:
        self.tried = True
        self.on_field_changed()
        raw = self.raw()
        try:
            with self.app.db.transaction() as session:
                if self.expenditure_id:
                    grants.update_expenditure(session, self.expenditure_id, raw)
                else:
                    expenditure, warnings = grants.add_expenditure(session, self.grant_id, raw)
                    saved = (expenditure.voucher_number, expenditure.category, expenditure.payment_date,
                             expenditure.payee, expenditure.amount)
        except UserError as error:
            self.show_refusal(error)
            return "break"
        if self.expenditure_id:
            self.edited = False
            self.close()
            self.on_saved()
            feedback.notify(self.master, t("支出 {voucher} {amount:,}円を修正しました", voucher=raw["voucher_number"],
                                           amount=parse_yen(raw["amount"])))
            return "break"
        self.vouchers.add(saved[0])
        self.recent_rows.insert(0, {"voucher": saved[0], "category": saved[1], "date": saved[2], "payee": saved[3],
                                    "amount": saved[4], "note": "／".join(t(w) for w in warnings)})
        self.recent_table.set_rows(self.recent_rows, keep_order=True)
        text = t("登録しました: {voucher} {category} {amount:,}円 {payee}", voucher=saved[0], category=saved[1],
                 amount=saved[4], payee=saved[3])
        if warnings:
            text += "\n" + "\n".join("⚠ " + t(warning) for warning in warnings)
        paint(self.message, text, "warning" if warnings else "success")
        self.clear(next_voucher(saved[0]))
        self.edited = False  # saved: Esc closes without asking
        self.on_saved()
        feedback.notify(self.master, t("支出を登録しました: {voucher} {category} {amount:,}円 {payee}", voucher=saved[0],
                                       category=saved[1], amount=saved[4], payee=saved[3]))
        return "break"

    def show_refusal(self, error: UserError) -> None:
        by_label = {label: key for key, label in grants.EXPENDITURE_LABELS.items()}
        first = None
        for problem in error.problems:
            key = by_label.get(problem.field)
            if key:
                self.form.show(key, problem.text())
                first = first or key
        paint(self.message, _problem_lines(error), "danger")
        if first:
            self.form.widgets[first].focus_set()

    def clear(self, voucher: str = "") -> None:
        """Empty the form for the next voucher; the payment date stays (vouchers come in batches by day)."""
        kept = self.raw()["payment_date"]
        for key in ENTRY_LEFT + ENTRY_RIGHT:
            self.form.vars[key].set("")
        self.form.vars["voucher_number"].set(voucher)
        self.form.vars["payment_date"].set(kept)
        self.tried = False
        for key in ENTRY_LEFT + ENTRY_RIGHT:
            self.form.show(key, None)
        self.form.hint("eligible_amount", ENTRY_HINTS["eligible_amount"])
        self.form.hint("tax", ENTRY_HINTS["tax"])
        self.focus_first()


# -- importing expenditures ------------------------------------------------------------------------
class ExpenditureImportDialog(ImportPreviewDialog):
    """支出の取込: a preview (every error with its row and column, or every row and its warnings), then all
    rows in one transaction."""

    COLUMNS = [Column("line", "行", 60, "e"), Column("what", "列・証ひょう番号", 170),
               Column("detail", "内容", 560, stretch=True)]
    ADVICE = "ファイルを直してから、もう一度取り込んでください。"

    def __init__(self, parent, app, grant_id: int, path: Path, on_done):
        self.grant_id = grant_id
        super().__init__(parent, app, path, on_done, t("支出の取込"))

    def preview(self, session):
        return import_expenditures(session, self.grant_id, self.path, dry_run=True)

    def run_import(self, session, _job):
        return import_expenditures(session, self.grant_id, self.path)

    def fill_preview(self, result) -> None:
        warned: dict[int, list[str]] = {}
        for line, warning in result.warnings:
            warned.setdefault(line, []).append(warning)
        for line, voucher, amount in result.created:
            notes = warned.get(line, [])
            detail = t("{amount:,}円", amount=amount) + ("　⚠ " + "／".join(t(n) for n in notes) if notes else "")
            self.add_row(line, voucher, detail, *(("warning",) if notes else ()))
        paint(self.summary, t("支出 {n} 件を取り込みます（注意 {w} 件）。よろしければ「取り込む」を押してください。",
                              n=len(result.created), w=len(result.warnings)), "warning" if result.warnings else "default")
        self.import_button.configure(state="normal" if result.created else "disabled")

    def finish(self, result) -> None:
        self.on_done(t("支出 {n} 件 {total:,}円を取り込みました（注意 {w} 件）: {file}", n=len(result.created),
                       total=sum(amount for _line, _voucher, amount in result.created), w=len(result.warnings),
                       file=self.path.name))


# -- reallocation -----------------------------------------------------------------------------------
REALLOCATION_FIELDS = [("from", "流用元", True), ("to", "流用先", True), ("amount", "金額（円）", True),
                       ("date", "流用日", True), ("reference", "変更承認番号", False), ("note", "メモ", False)]
CHANGE_KINDS = {"reallocation": "流用", "approved_change": "変更承認"}


class ReallocationDialog(Dialog):
    """流用: move budget between two 経費区分 within the limit, or record an approved change (承認番号)."""

    def __init__(self, parent, app, grant_id: int, on_saved):
        super().__init__(parent, t("経費の流用"))
        self.app, self.grant_id, self.on_saved = app, grant_id, on_saved
        with app.db.reading() as session:
            view = grants.reallocation_view(session, grant_id)
        self.view = view
        self.grant_name, self.planned, self.budget_after = view.grant_name, view.planned, view.budget_after
        self.limit_ratio, self.changes = view.limit_ratio, view.changes
        self.title(t("経費の流用") + f" — {self.grant_name}")
        hints = {"reference": "承認を受けた変更のときだけ（上限の対象外になります）", "date": "例: 2026-09-30"}
        self.form = Form(self.body, scroll=False, on_change=self.on_field_changed, on_submit=self.on_save)
        self.form.pack(fill="x")
        choices = {category: category for category in self.planned}
        for key, label, required in REALLOCATION_FIELDS:
            kind = "choice" if key in ("from", "to") else "date" if key == "date" else \
                "amount" if key == "amount" else "entry"
            self.form.add(key, label, kind, initial=date.today() if key == "date" else "", choices=choices,
                          required=required, width=26, hint=hints.get(key, ""))
        self.limit_label = ttk.Label(self.body, text=t("流用元と流用先を選ぶと、承認なしで流用できる上限を表示します。"),
                                     bootstyle="secondary", padding=(0, 8, 0, 0), wraplength=580, justify="left")
        self.limit_label.pack(fill="x")
        self.error_label = ttk.Label(self.body, bootstyle="danger", padding=(0, 6, 0, 0), wraplength=580,
                                     justify="left", font=(None, 10, "bold"))
        self.error_label.pack(fill="x")
        self.create_history()
        self.add_button(t("登録する") + " (Ctrl+S)", self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.on_escape)
        self.show(focus=self.form.widgets["from"])

    def create_history(self) -> None:
        box = ttk.Labelframe(self.body, text=t("これまでの流用・変更承認"), padding=8)
        box.pack(fill="both", expand=True, pady=(8, 0))
        history = DataTable(box, [
            Column("change_date", "日付", 95, "center", format="date"),
            Column("kind", "区分", 80, "center", choices=CHANGE_KINDS),
            Column("move", "流用元 → 流用先", 220, stretch=True,
                   value=lambda c: f"{c.from_category or '—'} → {c.to_category or '—'}"),
            Column("amount", "金額", 95, format="yen"), Column("reference", "承認番号", 110)], height=4)
        history.pack(fill="both", expand=True)
        history.set_rows(self.changes, keep_order=True)

    def on_field_changed(self, key: str) -> None:
        self.error_label.configure(text="")
        if key == "amount":
            text = self.form.get("amount")
            self.form.show("amount", self._amount_error(text) if text else None)
        self.show_limit()

    @staticmethod
    def _amount_error(text: str) -> str | None:
        try:
            return None if parse_yen(text) > 0 else "1円以上にしてください"
        except ValueError as error:
            return str(error)

    def show_limit(self) -> None:
        source, target = self.form.get("from"), self.form.get("to")
        if not (source and target) or source == target:
            if source and source == target:
                self.form.show("to", "流用元と違う経費区分を選んでください")
            return
        self.form.show("to", None)
        limit = self.view.limit(source, target)
        moved = sum(change.amount for change in self.changes if change.kind == "reallocation"
                    and change.from_category == source and change.to_category == target)
        self.limit_label.configure(text=t(
            "{source}（流用後 {source_after:,}円）→ {target}（流用後 {target_after:,}円）\n"
            "承認なしの上限 {limit:,}円（低い方の計画額の {percent}%）\nこれまでの流用 {moved:,}円、残り {left:,}円",
            source=source, source_after=self.budget_after[source], target=target, target_after=self.budget_after[target],
            limit=limit, percent=f"{float(self.limit_ratio * 100):g}", moved=moved, left=max(0, limit - moved)))

    def on_save(self) -> None:
        problems = []
        values = {}
        for key, label, required in REALLOCATION_FIELDS:
            if required and not self.form.get(key):
                problems.append(Problem("入力してください", label))
        try:
            values["amount"] = parse_yen(self.form.get("amount")) if self.form.get("amount") else 0
        except ValueError as error:
            problems.append(Problem(str(error), "金額（円）"))
        try:
            values["on"] = self.form.value("date")
        except ValueError as error:
            problems.append(Problem(str(error), "流用日"))
        if problems:
            error = UserError("流用を登録できません", problems)
            self.error_label.configure(text=_problem_lines(error))
            return
        try:
            with self.app.db.transaction() as session:
                change = grants.reallocate(session, self.grant_id, self.form.get("from"), self.form.get("to"),
                                           values["amount"], values["on"], self.form.get("reference"),
                                           self.form.get("note"))
                message = t("{kind}を登録しました: {source} → {target} {amount:,}円",
                            kind=t(CHANGE_KINDS[change.kind]), source=change.from_category,
                            target=change.to_category, amount=change.amount)
        except UserError as error:
            self.error_label.configure(text=_problem_lines(error))  # the limit and what to do instead
            self.bell()
            return
        self.close()
        self.on_saved(message)
