"""The member edit dialog: every field checked as it is typed, the wrong one named; saved all at once."""

from __future__ import annotations

from datetime import date

import ttkbootstrap as ttk

from tama_desk.domain.choices import MEMBER_CATEGORIES, MEMBER_STATUSES
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import members
from tama_desk.ui import feedback
from tama_desk.ui.layout import center_over

LEFT = ["number", "name", "kana", "category", "membership_type", "status", "join_date", "withdrawal_date",
        "withdrawal_reason"]
RIGHT = ["corporate_number", "registration_number", "postal_code", "address", "phone", "email", "payer_name"]
REQUIRED_MARK = " *"
CONTACT_FIELDS = [("name", 14), ("department", 14), ("title", 10), ("email", 22), ("phone", 14)]
HINTS = {"number": "空欄なら自動で採番", "kana": "全角カタカナ（ひらがなは変換）", "join_date": "例: 2026-04-01",
         "payer_name": "例: ｶ)ﾀﾏｾｲｷ（全角でも可）", "postal_code": "例: 192-0046"}


class MemberDialog(ttk.Toplevel):
    def __init__(self, parent, app, member_id: int | None, on_saved):
        title = t("会員の新規登録") if member_id is None else t("会員の編集")
        super().__init__(title=title, transient=parent.winfo_toplevel(), minsize=(980, 640))
        self.app, self.member_id, self.on_saved = app, member_id, on_saved
        self.vars: dict[str, ttk.StringVar] = {}
        self.entries: dict[str, ttk.Widget] = {}
        self.error_labels: dict[str, ttk.Label] = {}
        self.contact_rows: list[dict] = []
        with app.db.reading() as session:
            self.type_names = members.type_name_map(session)
            member = members.get_member(session, member_id) if member_id else None
            self.create_form(member)
            self.create_contacts(member)
            if member is not None:
                self.create_invoices(session, member)
            self.create_buttons(member)
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<Control-s>", lambda _e: self.on_save())
        center_over(self, parent)
        self.entries["name"].focus_set()
        self.grab_set()

    # -- building ---------------------------------------------------------------------------------
    def create_form(self, member) -> None:
        form = ttk.Frame(self, padding=(16, 12, 16, 0))
        form.pack(fill="x")
        for column, fields in enumerate((LEFT, RIGHT)):
            for row, field in enumerate(fields):
                self._field(form, field, row, column * 3, _initial(member, field))
        notes_row = len(RIGHT) * 2
        ttk.Label(form, text=t("備考")).grid(row=notes_row, column=3, sticky="nw", padx=(24, 8), pady=2)
        self.notes = ttk.Text(form, height=3, width=36, wrap="word")
        self.notes.grid(row=notes_row, column=4, rowspan=3, sticky="nsew", pady=(4, 0))
        self.notes.insert("1.0", member.notes if member else "")
        form.columnconfigure(1, weight=1)
        form.columnconfigure(4, weight=1)

    def _field(self, form, field: str, row: int, column: int, initial: str) -> None:
        label = t(members.FIELD_LABELS[field]) + (REQUIRED_MARK if field in members.REQUIRED else "")
        ttk.Label(form, text=label).grid(row=row * 2, column=column, sticky="w", padx=(24 if column else 0, 8))
        variable = ttk.StringVar(value=initial)
        choices = self._choices(field)
        if choices is not None:
            widget = ttk.Combobox(form, textvariable=variable, values=choices, state="readonly", width=30)
        else:
            widget = ttk.Entry(form, textvariable=variable, width=32)
        widget.grid(row=row * 2, column=column + 1, sticky="ew", pady=(2, 0))
        error = ttk.Label(form, text=t(HINTS.get(field, "")), bootstyle="secondary", font=(None, 8))
        error.grid(row=row * 2 + 1, column=column + 1, sticky="w")
        if field not in HINTS:
            error.grid_remove()  # shown only when there is something to say: the dialog fits a 768-pixel screen
        variable.trace_add("write", lambda *_: self.on_field_changed(field))
        widget.bind("<Return>", lambda _e: widget.tk_focusNext().focus_set())
        self.vars[field], self.entries[field], self.error_labels[field] = variable, widget, error

    def _choices(self, field: str) -> list[str] | None:
        if field == "category":
            return [t(label) for label in MEMBER_CATEGORIES.values()]
        if field == "status":
            return [t(label) for label in MEMBER_STATUSES.values()]
        if field == "membership_type":
            return list(self.type_names)
        return None

    def create_contacts(self, member) -> None:
        box = ttk.Labelframe(self, text=t("担当者"), padding=10)
        box.pack(fill="both", expand=True, padx=16, pady=6)
        self.contacts_frame = ttk.Frame(box)
        self.contacts_frame.pack(fill="x")
        for column, (field, _width) in enumerate(CONTACT_FIELDS):
            ttk.Label(self.contacts_frame, text=t(members.CONTACT_LABELS[field])).grid(row=0, column=column, sticky="w")
        ttk.Label(self.contacts_frame, text=t("主担当")).grid(row=0, column=len(CONTACT_FIELDS))
        self.primary_var = ttk.IntVar(value=0)
        for index, contact in enumerate(member.contacts if member else []):
            self.add_contact_row(contact)
            if contact.is_primary:
                self.primary_var.set(index)
        ttk.Button(box, text=t("＋ 担当者を追加"), bootstyle="link", command=self.add_contact_row).pack(anchor="w")

    def add_contact_row(self, contact=None) -> None:
        row = {"vars": {}, "widgets": []}
        grid_row = len(self.contact_rows) + 1
        for column, (field, width) in enumerate(CONTACT_FIELDS):
            variable = ttk.StringVar(value=getattr(contact, field, "") if contact else "")
            entry = ttk.Entry(self.contacts_frame, textvariable=variable, width=width)
            entry.grid(row=grid_row, column=column, sticky="ew", padx=(0, 4), pady=2)
            row["vars"][field] = variable
            row["widgets"].append(entry)
        radio = ttk.Radiobutton(self.contacts_frame, variable=self.primary_var, value=len(self.contact_rows))
        radio.grid(row=grid_row, column=len(CONTACT_FIELDS))
        remove = ttk.Button(self.contacts_frame, text="×", bootstyle="danger-link", width=2,
                            command=lambda r=row: self.remove_contact_row(r))
        remove.grid(row=grid_row, column=len(CONTACT_FIELDS) + 1)
        row["widgets"] += [radio, remove]
        self.contact_rows.append(row)
        if contact is None:
            row["widgets"][0].focus_set()

    def remove_contact_row(self, row) -> None:
        for widget in row["widgets"]:
            widget.grid_remove()
        row["removed"] = True

    def create_invoices(self, session, member) -> None:
        """The member's invoices, newest first; double-click opens one."""
        from tama_desk.services import invoices

        rows = invoices.list_invoices(session, member_id=member.id)[::-1]
        box = ttk.Labelframe(self, text=t("請求書") + f"（{len(rows)}）", padding=8)
        box.pack(fill="both", expand=True, padx=16, pady=(0, 10))
        tree = ttk.Treeview(box, columns=("number", "issue", "total", "open", "status"), show="headings", height=3)
        for key, heading, width, anchor in [("number", "請求書番号", 110, "w"), ("issue", "発行日", 100, "center"),
                                            ("total", "請求額", 100, "e"), ("open", "残高", 100, "e"),
                                            ("status", "状態", 90, "center")]:
            tree.heading(key, text=t(heading))
            tree.column(key, width=width, anchor=anchor)
        for row in rows:
            tree.insert("", "end", iid=str(row.id), values=(row.number, f"{row.issue_date:%Y-%m-%d}", f"{row.total:,}",
                                                           f"{row.open:,}", t(invoices.STATUS_LABELS[row.status])))
        tree.pack(fill="both", expand=True)
        tree.bind("<Double-1>", lambda _e: self.on_open_invoice(tree))
        self.invoice_tree = tree

    def on_open_invoice(self, tree) -> None:
        from tama_desk.ui.views.fee_dialogs import InvoiceDialog

        selection = tree.selection()
        if selection:
            InvoiceDialog(self, self.app, int(selection[0]), on_changed=lambda: None)

    def create_buttons(self, member) -> None:
        bar = ttk.Frame(self, padding=(16, 0, 16, 14))
        bar.pack(fill="x", side="bottom")
        ttk.Button(bar, text=t("保存") + " (Ctrl+S)", bootstyle="primary", command=self.on_save).pack(side="right")
        ttk.Button(bar, text=t("キャンセル"), bootstyle="secondary", command=self.destroy).pack(side="right", padx=8)
        if member is not None:
            if member.status != "withdrawn":
                ttk.Button(bar, text=t("退会手続き"), bootstyle="warning-outline", command=self.on_withdraw).pack(
                    side="left")
            ttk.Button(bar, text=t("削除"), bootstyle="danger-outline", command=self.on_delete).pack(
                side="left", padx=8)
            stamp = t("登録: {created:%Y-%m-%d %H:%M} {created_by}　更新: {updated:%Y-%m-%d %H:%M} {updated_by}",
                      created=member.created_at, created_by=member.created_by,
                      updated=member.updated_at, updated_by=member.updated_by)
            ttk.Label(bar, text=stamp, bootstyle="secondary").pack(side="left", padx=12)

    # -- reacting ---------------------------------------------------------------------------------
    def on_field_changed(self, field: str) -> None:
        _value, error = members.check_field(field, self.raw_value(field), self.type_names)
        self.show_field_error(field, error)

    def show_field_error(self, field: str, error: str | None) -> None:
        label, widget = self.error_labels[field], self.entries[field]
        if error:
            label.configure(text=t(error), bootstyle="danger")
            label.grid()
            widget.configure(bootstyle="danger")
        else:
            label.configure(text=t(HINTS.get(field, "")), bootstyle="secondary")
            if field not in HINTS:
                label.grid_remove()
            widget.configure(bootstyle="default")

    def raw_value(self, field: str) -> str:
        text = self.vars[field].get()
        if field == "category":
            return next((code for code, label in MEMBER_CATEGORIES.items() if t(label) == text), text)
        if field == "status":
            return next((code for code, label in MEMBER_STATUSES.items() if t(label) == text), text)
        return text

    def collect(self) -> dict:
        raw = {field: self.raw_value(field) for field in LEFT + RIGHT}
        raw["notes"] = self.notes.get("1.0", "end").strip()
        contacts = []
        for index, row in enumerate(self.contact_rows):
            if row.get("removed"):
                continue
            values = {field: variable.get() for field, variable in row["vars"].items()}
            if any(value.strip() for value in values.values()):
                contacts.append(values | {"is_primary": index == self.primary_var.get()})
        raw["contacts"] = contacts
        return raw

    def on_save(self) -> None:
        try:
            with self.app.db.transaction() as session:
                member = members.save_member(session, self.collect(), self.member_id)
                saved_id, message = member.id, t("保存しました: {number} {name}", number=member.number,
                                                 name=member.name)
        except UserError as error:
            by_label = {t(label): field for field, label in members.FIELD_LABELS.items()}
            for problem in error.problems:
                if problem.field in members.FIELD_LABELS.values():
                    self.show_field_error(by_label[t(problem.field)], problem.reason)
            feedback.show_error(self, error)
            return
        self.destroy()
        self.on_saved(saved_id, message)

    def on_withdraw(self) -> None:
        """Withdrawal is an edit the user sees and saves: status, date (today) and a reason."""
        self.vars["status"].set(t(MEMBER_STATUSES["withdrawn"]))
        if not self.vars["withdrawal_date"].get():
            self.vars["withdrawal_date"].set(date.today().isoformat())
        self.entries["withdrawal_reason"].focus_set()
        feedback.notify(self, t("退会日と退会理由を確認して「保存」を押してください"))

    def on_delete(self) -> None:
        name = self.vars["name"].get()
        question = t("「{name}」を削除します。よろしいですか？\n請求書などの記録がある会員は削除できません（退会にしてください）。",
                     name=name)
        if not feedback.confirm(self, question, ok_label="削除"):
            return
        try:
            with self.app.db.transaction() as session:
                members.delete_member(session, self.member_id)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.destroy()
        self.on_saved(None, t("削除しました: {name}", name=name))


def _initial(member, field: str) -> str:
    if member is None:
        return {"status": t(MEMBER_STATUSES["active"]), "join_date": date.today().isoformat()}.get(field, "")
    if field == "membership_type":
        return member.membership_type.name
    if field == "category":
        return t(MEMBER_CATEGORIES.get(member.category, member.category))
    if field == "status":
        return t(MEMBER_STATUSES.get(member.status, member.status))
    value = getattr(member, field)
    return value.isoformat() if isinstance(value, date) else (value or "")
