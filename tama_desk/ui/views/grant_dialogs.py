"""Dialogs of the 補助金 view: a new grant, the expenditure entry form, the import preview, reallocation."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from pathlib import Path

import ttkbootstrap as ttk
from sqlalchemy import select

from tama_desk.db.models import BudgetChange
from tama_desk.domain import subsidy
from tama_desk.domain.dates import parse_date
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.domain.validators import ascii_fold
from tama_desk.errors import Problem, UserError
from tama_desk.i18n import t
from tama_desk.services import grants, profile
from tama_desk.services.grant_import import import_expenditures
from tama_desk.ui import feedback
from tama_desk.ui.layout import WARNING_COLOUR, center_over, paint
from tama_desk.ui.views.import_dialog import ImportPreviewDialog

DANGER_COLOUR = "#b02a37"
DONE_COLOUR = "#146c43"


def table(parent, columns, height: int = 8, stretch: tuple[str, ...] = ()) -> ttk.Treeview:
    """A Treeview with headings and a vertical scrollbar, packed to fill its parent."""
    frame = ttk.Frame(parent)
    frame.pack(fill="both", expand=True)
    tree = ttk.Treeview(frame, columns=[c[0] for c in columns], show="headings", height=height)
    for key, heading, width, anchor in columns:
        tree.heading(key, text=t(heading), anchor="center")
        tree.column(key, width=width, minwidth=min(width, 40), anchor=anchor, stretch=False)
    if stretch:
        tree.bind("<Configure>", lambda event: _fill_width(tree, columns, stretch, event.width), add="+")
    scroll = ttk.Scrollbar(frame, orient="vertical", command=tree.yview)
    tree.configure(yscrollcommand=scroll.set)
    scroll.pack(side="right", fill="y")  # packed first: it keeps its place when the window is narrow
    tree.pack(side="left", fill="both", expand=True)
    tree.tag_configure("warning", foreground=WARNING_COLOUR)
    tree.tag_configure("danger", foreground=DANGER_COLOUR)
    tree.tag_configure("muted", foreground="#8a8f98")
    return tree


def _fill_width(tree: ttk.Treeview, columns, stretch: tuple[str, ...], width: int) -> None:
    """Give the `stretch` columns whatever width the others leave. Tk's own stretching ignores the theme's
    border, so the last column would be cut off by a few pixels."""
    fixed = sum(natural for key, _heading, natural, _anchor in columns if key not in stretch)
    natural = {key: natural for key, _heading, natural, _anchor in columns if key in stretch}
    spare = width - fixed - 8
    for key, base in natural.items():
        tree.column(key, width=max(base * spare // sum(natural.values()), 40))


def yen(text: str) -> int:
    """'1,200,000' / '１２００円' → 1200000; ValueError with a message for anything else."""
    cleaned = ascii_fold(text).replace(",", "").replace("円", "").replace("¥", "").strip()
    if not cleaned.isdigit():
        raise ValueError("金額は0以上の整数（円）で入力してください")
    return int(cleaned)


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


class Form:
    """Label, entry and a hint line per field on a grid. Enter moves to the next field (on the last one it calls
    `on_last`, by default `on_submit`); Ctrl+Enter submits from any field.

    A field's hint line shows its advice, or its problem as soon as one is found (red, or orange for a warning).
    """

    def __init__(self, frame: ttk.Frame, hints: dict[str, str], on_change, on_submit, on_last=None):
        self.frame, self.hints, self.on_change, self.on_submit = frame, hints, on_change, on_submit
        self.on_last = on_last or on_submit
        self.vars: dict[str, ttk.StringVar] = {}
        self.widgets: dict[str, ttk.Widget] = {}
        self.notes: dict[str, ttk.Label] = {}
        self.order: list[str] = []

    def add(self, key: str, label: str, row: int, column: int = 0, *, initial: str = "", width: int = 28,
            values: list[str] | None = None, readonly: bool = False, required: bool = False) -> ttk.Widget:
        text = t(label) + (" *" if required else "")
        ttk.Label(self.frame, text=text).grid(row=row * 2, column=column, sticky="w",
                                              padx=(24 if column else 0, 8), pady=(2, 0))
        variable = ttk.StringVar(value=initial)
        if values is not None:
            widget = ttk.Combobox(self.frame, textvariable=variable, values=values, width=width - 2,
                                  state="readonly" if readonly else "normal")
        else:
            widget = ttk.Entry(self.frame, textvariable=variable, width=width)
        widget.grid(row=row * 2, column=column + 1, sticky="ew", pady=(2, 0))
        note = ttk.Label(self.frame, text=t(self.hints.get(key, "")), bootstyle="secondary", font=(None, 8),
                         wraplength=300, justify="left")
        note.grid(row=row * 2 + 1, column=column + 1, sticky="w")
        if key not in self.hints:
            note.grid_remove()
        variable.trace_add("write", lambda *_: self.on_change(key))
        widget.bind("<Return>", lambda _e: self.next_field(key))
        widget.bind("<KP_Enter>", lambda _e: self.next_field(key))
        widget.bind("<Control-Return>", lambda _e: (self.on_submit(), "break")[1])
        self.vars[key], self.widgets[key], self.notes[key] = variable, widget, note
        self.order.append(key)
        return widget

    def get(self, key: str) -> str:
        return self.vars[key].get().strip()

    def next_field(self, key: str) -> str:
        index = self.order.index(key)
        if index + 1 < len(self.order):
            following = self.widgets[self.order[index + 1]]
            following.focus_set()
            if isinstance(following, ttk.Entry):  # a Combobox is an Entry too: the text is selected to overwrite
                following.select_range(0, "end")
        else:
            self.on_last()
        return "break"

    def show(self, key: str, message: str | None, style: str = "danger") -> None:
        """A problem (red), a warning (orange), or back to the field's hint when `message` is empty."""
        note, widget = self.notes[key], self.widgets[key]
        if message:
            paint(note, t(message), style)
            note.grid()
            widget.configure(bootstyle=style)
            return
        paint(note, t(self.hints.get(key, "")), "secondary")
        if key not in self.hints:
            note.grid_remove()
        widget.configure(bootstyle="default")

    def hint(self, key: str, text: str) -> None:
        """Replace a field's advice (e.g. a computed amount) without marking it."""
        self.hints[key] = text
        paint(self.notes[key], text, "secondary")
        self.notes[key].grid()


def _with_commas(variable: ttk.StringVar) -> None:
    """Show a typed amount with thousands separators once the field is left (100000 → 100,000)."""
    try:
        variable.set(f"{yen(variable.get()):,}")
    except ValueError:
        pass


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
GRANT_HINTS = {"rate": "例: 2/3、1/2、10/10（分数で）", "decision_date": "例: 2026-04-12",
               "decided_eligible_cost": "空欄なら予算の補助対象額の合計", "period_end": "例: 2027-02-28"}
ROUNDING = {1: "1円未満切捨", 1000: "1,000円未満切捨"}
# the service names some problems by a wider label: which field of the form to mark
GRANT_PROBLEM_FIELDS = {"事業期間": "period_end", "経費区分": None, "予算": None, "状態": None}


class GrantDialog(ttk.Toplevel):
    """補助事業の新規登録: the decision's facts and the budget per 経費区分; every field checked as typed."""

    def __init__(self, parent, app, on_saved):
        super().__init__(title=t("補助事業の新規登録"), transient=parent.winfo_toplevel(), minsize=(1040, 560))
        self.app, self.on_saved = app, on_saved
        self.tried = False
        with app.db.reading() as session:
            self.category_names = grants.categories(session)
            self.start_month = profile.get_profile(session).fiscal_year_start_month
        body = ttk.Frame(self, padding=(16, 12, 16, 0))
        body.pack(fill="both", expand=True)
        form_frame = ttk.Frame(body)
        form_frame.pack(side="left", fill="both", expand=True)
        self.form = Form(form_frame, dict(GRANT_HINTS), self.on_field_changed, self.on_save,
                         on_last=lambda: self.budget_entries[self.category_names[0]][0].focus_set())
        self.create_form()
        self.create_budget(body)
        self.create_buttons()
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<Control-s>", lambda _e: self.on_save())
        center_over(self, parent)
        self.form.widgets["name"].focus_set()
        self.grab_set()

    # -- building ---------------------------------------------------------------------------------
    def create_form(self) -> None:
        year = fiscal_year_of(date.today(), self.start_month)
        initial = {"fiscal_year": str(year), "formula": t(grants.FORMULAS["rate"]), "rounding_unit": t(ROUNDING[1]),
                   "advance_paid": "0"}
        choices = {"formula": [t(label) for label in grants.FORMULAS.values()],
                   "rounding_unit": [t(label) for label in ROUNDING.values()]}
        for column, fields in ((0, GRANT_LEFT), (2, GRANT_RIGHT)):
            for row, (key, label, required) in enumerate(fields):
                self.form.add(key, label, row, column, initial=initial.get(key, ""), required=required,
                              values=choices.get(key), readonly=key in choices, width=22 if column else 26)
        row = len(GRANT_RIGHT) * 2
        ttk.Label(self.form.frame, text=t("事業の概要")).grid(row=row, column=2, sticky="nw", padx=(24, 8), pady=4)
        self.summary = ttk.Text(self.form.frame, height=4, width=22, wrap="char")
        self.summary.grid(row=row, column=3, rowspan=4, sticky="nsew", pady=4)
        self.form.frame.columnconfigure(1, weight=1)
        self.form.frame.columnconfigure(3, weight=1)

    def create_budget(self, body) -> None:
        box = ttk.Labelframe(body, text=t("経費区分ごとの予算（円）"), padding=(10, 6))
        box.pack(side="left", fill="y", padx=(20, 0))
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
                entry.bind("<FocusOut>", lambda _e, v=variable: _with_commas(v), add="+")
                entry.bind("<Return>", lambda _e, w=entry: (w.tk_focusNext().focus_set(), "break")[1])
            self.budget_vars[category], self.budget_entries[category] = pair, entries
        self.budget_total = ttk.Label(box, font=(None, 10, "bold"))
        self.budget_total.grid(row=len(self.category_names) + 1, column=0, columnspan=3, sticky="w", pady=(6, 0))
        self.budget_note = ttk.Label(box, text=t("使う経費区分だけ入力。補助対象が空欄なら計画額と同じ"),
                                     bootstyle="secondary", font=(None, 8), wraplength=300)
        self.budget_note.grid(row=len(self.category_names) + 2, column=0, columnspan=3, sticky="w")
        self.on_budget_changed()

    def create_buttons(self) -> None:
        bar = ttk.Frame(self, padding=(16, 10, 16, 14))
        bar.pack(fill="x", side="bottom")
        ttk.Button(bar, text=t("登録する") + " (Ctrl+S)", bootstyle="primary", command=self.on_save).pack(side="right")
        ttk.Button(bar, text=t("キャンセル"), bootstyle="secondary", command=self.destroy).pack(side="right", padx=8)
        ttk.Label(bar, text=t("* は必須"), bootstyle="secondary").pack(side="left")

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
            elif key in ("decided_amount", "decided_eligible_cost", "advance_paid"):
                if yen(text) <= 0 and key == "decided_amount":
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
                planned[category] = yen(plan_text or "0")
                eligible[category] = yen(eligible_text) if eligible_text else planned[category]
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
            raise UserError(t("補助事業を登録できません"), problems)
        get = self.form.get
        formula = next(code for code, label in grants.FORMULAS.items() if t(label) == get("formula"))
        rounding = next(unit for unit, label in ROUNDING.items() if t(label) == get("rounding_unit"))
        values = dict(name=get("name"), programme=get("programme"), grantor=get("grantor"),
                      fiscal_year=int(ascii_fold(get("fiscal_year"))), decision_number=get("decision_number"),
                      decision_date=parse_date(get("decision_date")) if get("decision_date") else None,
                      period_start=parse_date(get("period_start")), period_end=parse_date(get("period_end")),
                      decided_amount=yen(get("decided_amount")), rate=ascii_fold(get("rate")), formula=formula,
                      rounding_unit=rounding, budgets=planned, eligible_budgets=eligible,
                      advance_paid=yen(get("advance_paid")) if get("advance_paid") else 0,
                      summary=self.summary.get("1.0", "end").strip())
        if get("decided_eligible_cost"):
            values["decided_eligible_cost"] = yen(get("decided_eligible_cost"))
        return values

    def on_save(self) -> None:
        self.tried = True
        for key in self.form.order:
            self.form.show(key, self.field_error(key))
        try:
            values = self.collect()
            with self.app.db.transaction() as session:
                grant = grants.create_grant(session, **values)
                saved_id, message = grant.id, t("登録しました: {name}", name=grant.name)
        except UserError as error:
            by_label = {label: key for key, label, _required in GRANT_LEFT + GRANT_RIGHT}
            for problem in error.problems:
                key = GRANT_PROBLEM_FIELDS.get(problem.field, by_label.get(problem.field))
                if key:
                    self.form.show(key, problem.reason)
            feedback.show_error(self, error)
            return
        self.destroy()
        self.on_saved(saved_id, message)


# -- the expenditure entry form ----------------------------------------------------------------------
ENTRY_LEFT = ["voucher_number", "category", "payment_date", "contract_date", "payee"]
ENTRY_RIGHT = ["description", "amount", "tax", "eligible_amount", "ineligible_reason"]
ENTRY_HINTS = {"voucher_number": "前回の続きの番号を表示しています", "payment_date": "例: 2026-05-10、5/10 でも可",
               "contract_date": "50万円を超える契約のとき", "tax": "空欄は0円。「10%」で税込額から計算",
               "eligible_amount": "空欄なら税抜額", "ineligible_reason": "補助対象外の支出のとき（対象額は0円）"}
REQUIRED_ENTRY = {"voucher_number", "category", "payment_date", "payee", "amount"}


class ExpenditureDialog(ttk.Toplevel):
    """支出を入力: one voucher after another from the keyboard. Enter moves on, the last field (or Ctrl+Enter)
    saves; the form then clears for the next voucher. Warnings are shown here and never block."""

    def __init__(self, parent, app, grant_id: int, on_saved, expenditure_id: int | None = None):
        """With `expenditure_id` the form corrects that expenditure instead, and closes when saved."""
        super().__init__(title=t("支出を入力"), transient=parent.winfo_toplevel(), minsize=(860, 560))
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
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<Control-Return>", lambda _e: self.on_save())
        self.bind("<Control-s>", lambda _e: self.on_save())
        center_over(self, parent)
        self.focus_first()
        self.grab_set()

    # -- building ---------------------------------------------------------------------------------
    def create_form(self, voucher: str) -> None:
        frame = ttk.Frame(self, padding=(16, 12, 16, 0))
        frame.pack(fill="x")
        hints = dict(ENTRY_HINTS, category=self.category_hint())
        if not voucher:
            hints["voucher_number"] = "例: 26-001（次からは自動で続きの番号）"
        self.form = Form(frame, hints, self.on_field_changed, self.on_save)
        for column, fields in ((0, ENTRY_LEFT), (2, ENTRY_RIGHT)):
            for row, key in enumerate(fields):
                self.form.add(key, grants.EXPENDITURE_LABELS[key], row, column, required=key in REQUIRED_ENTRY,
                              values=self.grant_categories if key == "category" else None,
                              initial=voucher if key == "voucher_number" else "", width=24)
        frame.columnconfigure(1, weight=1)
        frame.columnconfigure(3, weight=1)
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
        self.message = ttk.Label(self, text=t("Enter で次の項目へ、最後の項目か Ctrl+Enter で登録します。"),
                                 bootstyle="secondary", padding=(16, 10, 16, 4), wraplength=820, justify="left")
        self.message.pack(fill="x")

    def create_recent(self) -> None:
        box = ttk.Labelframe(self, text=t("この画面で登録した支出"), padding=8)
        box.pack(fill="both", expand=True, padx=16, pady=(4, 0))
        self.recent = table(box, [("voucher", "証ひょう番号", 100, "w"), ("category", "費目", 90, "w"),
                                  ("date", "支払日", 92, "center"), ("payee", "支払先", 180, "w"),
                                  ("amount", "支出額", 90, "e"), ("note", "注意", 200, "w")], height=5,
                            stretch=("note",))

    def create_buttons(self) -> None:
        bar = ttk.Frame(self, padding=(16, 10, 16, 14))
        bar.pack(fill="x", side="bottom")
        self.save_button = ttk.Button(bar, text=t("登録する") + " (Ctrl+Enter)", bootstyle="primary",
                                      command=self.on_save)
        self.save_button.pack(side="right")
        ttk.Button(bar, text=t("閉じる"), bootstyle="secondary", command=self.destroy).pack(side="right", padx=8)
        ttk.Button(bar, text=t("クリア"), bootstyle="secondary-outline", command=self.clear).pack(side="left")

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
            return yen(self.form.get("amount"))
        except ValueError:
            return None

    def raw(self) -> dict[str, str]:
        values = {key: self.form.get(key) for key in ENTRY_LEFT + ENTRY_RIGHT}
        values["category"] = self.category_of(values["category"])
        for key in ("payment_date", "contract_date"):
            if values[key]:
                values[key] = expand_short_date(values[key], self.grant.period_start, self.grant.period_end)
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
            self.destroy()
            self.on_saved()
            return "break"
        self.vouchers.add(saved[0])
        self.recent.insert("", 0, values=(saved[0], saved[1], f"{saved[2]:%Y-%m-%d}", saved[3], f"{saved[4]:,}",
                                          "／".join(warnings)), tags=("warning",) if warnings else ())
        text = t("登録しました: {voucher} {category} {amount:,}円 {payee}", voucher=saved[0], category=saved[1],
                 amount=saved[4], payee=saved[3])
        if warnings:
            text += "\n" + "\n".join("⚠ " + t(warning) for warning in warnings)
        paint(self.message, text, "warning" if warnings else "success")
        self.clear(next_voucher(saved[0]))
        self.on_saved()
        return "break"

    def show_refusal(self, error: UserError) -> None:
        by_label = {label: key for key, label in grants.EXPENDITURE_LABELS.items()}
        first = None
        for problem in error.problems:
            key = by_label.get(problem.field)
            if key:
                self.form.show(key, problem.reason)
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
        self.form.hint("eligible_amount", t(ENTRY_HINTS["eligible_amount"]))
        self.form.hint("tax", t(ENTRY_HINTS["tax"]))
        self.focus_first()


# -- importing expenditures ------------------------------------------------------------------------
class ExpenditureImportDialog(ImportPreviewDialog):
    """支出の取込: a preview (every error with its row and column, or every row and its warnings), then all
    rows in one transaction."""

    COLUMNS = [("line", "行", 60, "e"), ("what", "列・証ひょう番号", 170, "w"), ("detail", "内容", 560, "w")]
    ADVICE = "ファイルを直してから、もう一度取り込んでください。"

    def __init__(self, parent, app, grant_id: int, path: Path, on_done):
        self.grant_id = grant_id
        super().__init__(parent, app, path, on_done, t("支出の取込"), (900, 560))

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
            detail = t("{amount:,}円", amount=amount) + ("　⚠ " + "／".join(notes) if notes else "")
            self.tree.insert("", "end", values=(line, voucher, detail), tags=("warning",) if notes else ())
        paint(self.summary, t("支出 {n} 件を取り込みます（注意 {w} 件）。よろしければ「取り込む」を押してください。",
                              n=len(result.created), w=len(result.warnings)), "warning" if result.warnings else "default")
        self.import_button.configure(state="normal" if result.created else "disabled")

    def finish(self, result) -> None:
        self.on_done(t("支出 {n} 件を取り込みました（注意 {w} 件）", n=len(result.created), w=len(result.warnings)))


# -- reallocation -----------------------------------------------------------------------------------
REALLOCATION_FIELDS = [("from", "流用元", True), ("to", "流用先", True), ("amount", "金額（円）", True),
                       ("date", "流用日", True), ("reference", "変更承認番号", False), ("note", "メモ", False)]
CHANGE_KINDS = {"reallocation": "流用", "approved_change": "変更承認"}


class ReallocationDialog(ttk.Toplevel):
    """流用: move budget between two 経費区分 within the limit, or record an approved change (承認番号)."""

    def __init__(self, parent, app, grant_id: int, on_saved):
        super().__init__(title=t("経費の流用"), transient=parent.winfo_toplevel(), minsize=(620, 520))
        self.app, self.grant_id, self.on_saved = app, grant_id, on_saved
        with app.db.reading() as session:
            grant = grants.get_grant(session, grant_id)
            self.grant_name = grant.name
            self.planned = {budget.category: budget.planned for budget in grant.budgets}
            self.limit_ratio = Fraction(grant.reallocation_limit)
            self.changes = list(session.scalars(select(BudgetChange).where(BudgetChange.grant_id == grant_id)
                                                .order_by(BudgetChange.change_date, BudgetChange.id)))
            changes = grants.net_changes(session, grant_id)
            self.budget_after = {category: planned + changes.get(category, 0) for category, planned in self.planned.items()}
        self.title(t("経費の流用") + f" — {self.grant_name}")
        frame = ttk.Frame(self, padding=(16, 12, 16, 0))
        frame.pack(fill="x")
        hints = {"reference": "承認を受けた変更のときだけ（上限の対象外になります）", "date": "例: 2026-09-30"}
        self.form = Form(frame, hints, self.on_field_changed, self.on_save)
        choices = list(self.planned)
        for row, (key, label, required) in enumerate(REALLOCATION_FIELDS):
            self.form.add(key, label, row, initial=date.today().isoformat() if key == "date" else "",
                          values=choices if key in ("from", "to") else None, readonly=key in ("from", "to"),
                          required=required, width=26)
        frame.columnconfigure(1, weight=1)
        self.form.widgets["amount"].bind("<FocusOut>", lambda _e: _with_commas(self.form.vars["amount"]), add="+")
        self.limit_label = ttk.Label(self, text=t("流用元と流用先を選ぶと、承認なしで流用できる上限を表示します。"),
                                     bootstyle="secondary", padding=(16, 8, 16, 0), wraplength=580, justify="left")
        self.limit_label.pack(fill="x")
        self.error_label = ttk.Label(self, bootstyle="danger", padding=(16, 6, 16, 0), wraplength=580,
                                     justify="left", font=(None, 10, "bold"))
        self.error_label.pack(fill="x")
        self.create_history()
        bar = ttk.Frame(self, padding=(16, 10, 16, 14))
        bar.pack(fill="x", side="bottom")
        ttk.Button(bar, text=t("登録する"), bootstyle="primary", command=self.on_save).pack(side="right")
        ttk.Button(bar, text=t("キャンセル"), bootstyle="secondary", command=self.destroy).pack(side="right", padx=8)
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<Control-s>", lambda _e: self.on_save())
        center_over(self, parent)
        self.form.widgets["from"].focus_set()
        self.grab_set()

    def create_history(self) -> None:
        box = ttk.Labelframe(self, text=t("これまでの流用・変更承認"), padding=8)
        box.pack(fill="both", expand=True, padx=16, pady=(8, 0))
        history = table(box, [("date", "日付", 95, "center"), ("kind", "区分", 80, "center"),
                              ("move", "流用元 → 流用先", 220, "w"), ("amount", "金額", 95, "e"),
                              ("reference", "承認番号", 110, "w")], height=4, stretch=("move",))
        for change in self.changes:
            history.insert("", "end", values=(f"{change.change_date:%Y-%m-%d}", t(CHANGE_KINDS.get(change.kind,
                                                                                                change.kind)),
                                              f"{change.from_category or '—'} → {change.to_category or '—'}",
                                              f"{change.amount:,}", change.reference))

    def on_field_changed(self, key: str) -> None:
        self.error_label.configure(text="")
        if key == "amount":
            text = self.form.get("amount")
            self.form.show("amount", self._amount_error(text) if text else None)
        elif key == "date":
            text = self.form.get("date")
            try:
                if text:
                    parse_date(text)
                self.form.show("date", None)
            except ValueError as error:
                self.form.show("date", str(error))
        self.show_limit()

    @staticmethod
    def _amount_error(text: str) -> str | None:
        try:
            return None if yen(text) > 0 else "1円以上にしてください"
        except ValueError as error:
            return str(error)

    def show_limit(self) -> None:
        source, target = self.form.get("from"), self.form.get("to")
        if not (source and target) or source == target:
            if source and source == target:
                self.form.show("to", "流用元と違う経費区分を選んでください")
            return
        self.form.show("to", None)
        limit = subsidy.reallocation_limit(self.planned[source], self.planned[target], self.limit_ratio)
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
            values["amount"] = yen(self.form.get("amount")) if self.form.get("amount") else 0
        except ValueError as error:
            problems.append(Problem(str(error), "金額（円）"))
        try:
            values["on"] = parse_date(self.form.get("date")) if self.form.get("date") else None
        except ValueError as error:
            problems.append(Problem(str(error), "流用日"))
        if problems:
            error = UserError(t("流用を登録できません"), problems)
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
        self.destroy()
        self.on_saved(message)
