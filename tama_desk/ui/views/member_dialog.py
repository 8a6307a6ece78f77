"""The member edit dialog: every field checked as it is typed, the wrong one named; saved all at once.

The first member opened paid for building the dialog's ~90 widgets and for everything done the first time (the
styles, the database layer's statements, the PDF font's character map for the save's check): about twice a later
open. So the window's warm-up builds one edit dialog ahead, withdrawn and empty (`MemberDialog.prepare`, once the
members view has read its rows unseen), and `MemberDialog(parent, app, member_id, …)` takes it, fills it with the
member and shows it. A dialog is used once and destroyed when it closes, as every dialog is: nothing of one
member's editing is left for the next. (Later opens build their dialog: built ahead again after each close, it was
measured no quicker to open once the first-time work is done, and a hidden window was left about.)
"""

from __future__ import annotations

import time
import weakref
from datetime import date

import ttkbootstrap as ttk

from tama_desk import i18n
from tama_desk.domain.choices import MEMBER_CATEGORIES, MEMBER_STATUSES
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import invoices, members
from tama_desk.ui import feedback
from tama_desk.ui.widgets import Column, DataTable, Dialog, Form

LEFT = ["number", "name", "kana", "category", "membership_type", "status", "join_date", "withdrawal_date",
        "withdrawal_reason"]
RIGHT = ["corporate_number", "registration_number", "postal_code", "address", "phone", "email", "payer_name"]
DATES = {"join_date", "withdrawal_date"}
CONTACT_FIELDS = [("name", 14), ("department", 14), ("title", 10), ("email", 22), ("phone", 14)]
HINTS = {"number": "空欄なら自動で採番", "kana": "全角カタカナ（ひらがなは変換）", "join_date": "例: 2026-04-01",
         "payer_name": "例: ｶ)ﾀﾏｾｲｷ（全角でも可）", "postal_code": "例: 192-0046"}
SPARE_RETRY_MS = 1500  # the dialog built ahead waits for a pause of the user's …
PAUSE_S = 1.0          # … no key or click for this long (MainWindow.last_input)
_spares: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # app → an edit dialog built ahead, withdrawn


class MemberDialog(Dialog):
    def __new__(cls, parent, app, member_id: int | None, on_saved):
        spare = _spares.pop(app, None) if member_id is not None else None
        if spare is not None and spare.winfo_exists() and spare.language == i18n.language():
            return spare  # built ahead: __init__ fills it
        return super().__new__(cls)

    def __init__(self, parent, app, member_id: int | None, on_saved):
        if self.__dict__.get("built"):
            self.title(t("会員の編集"))
        else:
            self.build(parent, app, editing=member_id is not None)
        self.parent, self.member_id, self.on_saved = parent, member_id, on_saved
        try:
            with app.db.reading() as session:
                member = members.get_member(session, member_id) if member_id else None
                self.load(session, member)
        except BaseException:
            self.destroy()  # not left withdrawn
            raise
        self.show(focus=self.entries["name"])

    @classmethod
    def prepare(cls, parent, app, member_id: int | None = None) -> None:
        """An edit dialog built ahead for the next member opened: laid out, not shown (see the module's note).
        `member_id`: a member whose reads an open makes are run once, so the database layer has them ready (and
        its texts checked as a save checks them: the PDF font's character map is read then, once)."""
        if app in _spares or not app.winfo_exists() or getattr(app, "db", None) is None:
            return
        dialog = super().__new__(cls)
        try:
            dialog.build(parent, app, editing=True, title="")  # untitled: never taken for an open dialog
            if member_id is not None:
                with app.db.reading() as session:
                    member = members.get_member(session, member_id)
                    _ = member.membership_type.name, list(member.contacts)
                    invoices.list_invoices(session, member_id=member_id)
                    members.character_warnings(member)
        except BaseException:
            if "_w" in dialog.__dict__:  # the window was made: not left withdrawn
                dialog.destroy()
            raise
        dialog.update_idletasks()
        _spares[app] = dialog

    @classmethod
    def prepare_later(cls, parent, app, member_id: int | None = None) -> None:
        """`prepare` once the user pauses: building takes about a tenth of a second of the Tk thread."""
        def when_paused() -> None:
            if not app.winfo_exists() or not parent.winfo_exists():
                return
            if time.monotonic() - getattr(app, "last_input", 0.0) < PAUSE_S:
                app.after(SPARE_RETRY_MS, when_paused)
                return
            cls.prepare(parent, app, member_id)

        app.after(0, when_paused)

    # -- building ---------------------------------------------------------------------------------
    def build(self, parent, app, *, editing: bool, title: str | None = None) -> None:
        """Everything but the member's values (`load`): the same for every member."""
        super().__init__(parent, (t("会員の編集") if editing else t("会員の新規登録")) if title is None else title)
        self.app, self.editing, self.language = app, editing, i18n.language()
        self.contact_rows: list[dict] = []
        with app.db.reading() as session:
            self.type_names = members.type_name_map(session)
        self.create_form()
        self.create_contacts()
        if editing:
            self.create_invoices()
        self.create_buttons()
        self.built = True

    def load(self, session, member) -> None:
        """The member's values (None: a new member's defaults), as read now."""
        type_names = members.type_name_map(session)
        if type_names != self.type_names:  # the types were edited since the dialog was built
            self.type_names = type_names
            self.form.widgets["membership_type"].set_choices({name: name for name in type_names})
        self.version = member.version if member is not None else None  # a newer save elsewhere is refused
        self.form.load({field: _initial(member, field) for field in [*LEFT, *RIGHT]}
                       | {"notes": member.notes if member else ""})
        for index, contact in enumerate(member.contacts if member else []):
            self.add_contact_row(contact)
            if contact.is_primary:
                self.primary_var.set(index)
        if member is not None:
            self.load_invoices(session, member)
            if member.status == "withdrawn":
                self.withdraw_button.pack_forget()
            self.stamp.configure(text=t(
                "登録: {created:%Y-%m-%d %H:%M} {created_by}\n更新: {updated:%Y-%m-%d %H:%M} {updated_by}",
                created=member.created_at, created_by=member.created_by,
                updated=member.updated_at, updated_by=member.updated_by))

    def create_form(self) -> None:
        self.form = Form(self.body, scroll=False, on_change=self.on_field_changed, on_submit=self.on_save,
                         hint_wrap=260)
        for column, fields in ((0, LEFT), (2, RIGHT)):
            for field in fields:
                self._field(field, column)
        self.form.add("notes", "備考", "text", column=2, width=36, height=3)
        self.form.pack(fill="x")
        self.vars, self.entries, self.error_labels = self.form.vars, self.form.widgets, self.form.notes
        self.notes = self.form.widgets["notes"]

    def _field(self, field: str, column: int) -> None:
        kind, choices = "entry", None
        if field == "category":
            kind, choices = "choice", MEMBER_CATEGORIES
        elif field == "status":
            kind, choices = "choice", MEMBER_STATUSES
        elif field == "membership_type":
            kind, choices = "choice", {name: name for name in self.type_names}
        elif field in DATES:
            kind = "date"
        self.form.add(field, members.FIELD_LABELS[field], kind, column=column, choices=choices,
                      hint=HINTS.get(field, ""), required=field in members.REQUIRED,
                      width=32, validate=None if kind == "date" else lambda _text, f=field: self.field_error(f))

    def create_contacts(self) -> None:
        box = ttk.Labelframe(self.body, text=t("担当者"), padding=(10, 4, 10, 2))
        box.pack(fill="x", pady=(8, 0))
        self.contacts_frame = ttk.Frame(box)
        self.contacts_frame.pack(fill="x")
        for column, (field, _width) in enumerate(CONTACT_FIELDS):
            ttk.Label(self.contacts_frame, text=t(members.CONTACT_LABELS[field])).grid(row=0, column=column, sticky="w")
            self.contacts_frame.columnconfigure(column, weight=1)
        ttk.Label(self.contacts_frame, text=t("主担当")).grid(row=0, column=len(CONTACT_FIELDS), padx=4)
        self.primary_var = ttk.IntVar(value=0)
        ttk.Button(box, text=t("＋ 担当者を追加"), bootstyle="link", command=self.add_contact_row).pack(anchor="w")

    # -- building ---------------------------------------------------------------------------------
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
            self.refit()

    def remove_contact_row(self, row) -> None:
        for widget in row["widgets"]:
            widget.grid_remove()
        row["removed"] = True
        self.mark_edited()

    def create_invoices(self) -> None:
        """The member's invoices, newest first; Enter or double-click opens one."""
        self.invoice_box = ttk.Labelframe(self.body, text=t("請求書（{n}）", n=0), padding=(8, 4))
        self.invoice_box.pack(fill="x", pady=(8, 0))
        self.invoice_table = DataTable(self.invoice_box, [
            Column("number", "請求書番号", 110), Column("issue_date", "発行日", 100, "center", format="date"),
            Column("total", "請求額", 100, format="yen"), Column("open", "残高", 100, format="yen"),
            Column("status", "状態", 90, "center", choices=invoices.STATUS_LABELS)],
            height=1, on_open=self.on_open_invoice)
        self.invoice_table.pack(fill="x")
        self.invoice_tree = self.invoice_table.tree

    def load_invoices(self, session, member) -> None:
        rows = invoices.list_invoices(session, member_id=member.id)[::-1]
        self.invoice_box.configure(text=t("請求書（{n}）", n=len(rows)))
        self.invoice_tree.configure(height=min(3, max(1, len(rows))))
        self.invoice_table.set_rows(rows, keep_order=True)

    def on_open_invoice(self, invoice_id: int) -> None:
        from tama_desk.ui.views.fee_dialogs import InvoiceDialog

        InvoiceDialog(self, self.app, invoice_id, on_changed=lambda: None)

    def create_buttons(self) -> None:
        self.add_button(t("保存") + " (Ctrl+S)", self.on_save, main=True, save=True)
        self.add_button(t("キャンセル"), self.on_escape)
        if self.editing:
            self.withdraw_button = self.add_button(t("退会手続き"), self.on_withdraw, style="warning-outline",
                                                   side="left")
            self.add_button(t("削除"), self.on_delete, style="danger-outline", side="left")
            self.stamp = self.add_note(font=(None, 8), justify="left")  # 登録 / 更新: when and by whom

    # -- reacting ---------------------------------------------------------------------------------
    def field_error(self, field: str) -> str | None:
        return members.check_field(field, self.raw_value(field), self.type_names)[1]

    def on_field_changed(self, field: str) -> None:
        if field in DATES and not self.form.error(field) and self.form.get(field):
            self.form.show(field, self.field_error(field))

    def show_field_error(self, field: str, error: str | None) -> None:
        self.form.show(field, error)

    def raw_value(self, field: str):
        """What the service checks: a choice's code, a date as read, else the text."""
        if field in DATES:
            try:
                return self.form.value(field)
            except ValueError:
                return self.form.get(field)
        return self.form.get(field) or ""

    def collect(self) -> dict:
        raw = {field: self.raw_value(field) for field in LEFT + RIGHT}
        raw["notes"] = self.form.get("notes")
        contacts = []
        for index, row in enumerate(self.contact_rows):
            if row.get("removed"):
                continue
            values = {field: variable.get() for field, variable in row["vars"].items()}
            if any(value.strip() for value in values.values()):
                contacts.append(values | {"is_primary": index == self.primary_var.get()})
        raw["contacts"] = contacts
        raw["version"] = self.version
        return raw

    def on_save(self) -> None:
        try:
            with self.app.db.transaction() as session:
                member, warnings = members.save_member_with_warnings(session, self.collect(), self.member_id)
                saved_id, message = member.id, t("会員 {number} {name} を保存しました", number=member.number,
                                                 name=member.name)
        except UserError as error:
            by_label = {label: field for field, label in members.FIELD_LABELS.items()}
            for problem in error.problems:
                if problem.field in by_label:
                    self.form.show(by_label[problem.field], problem.text())
            feedback.show_error(self, error)
            return
        self.close()
        self.on_saved(saved_id, message)
        if warnings:
            feedback.inform(self.parent, t("保存しました。次の文字に注意してください:") + "\n\n"
                            + "\n".join(f"・{t(warning)}" for warning in warnings))

    def on_withdraw(self) -> None:
        """Withdrawal is an edit the user sees and saves: status, date (today) and a reason."""
        self.form.set("status", "withdrawn")
        if not self.form.get("withdrawal_date"):
            self.form.set("withdrawal_date", date.today())
        self.entries["withdrawal_reason"].focus_set()
        self.mark_edited()
        feedback.notify(self, t("退会日と退会理由を確認して「保存」を押してください"))

    def on_delete(self) -> None:
        name, number = self.form.get("name"), self.form.get("number")
        question = t("「{name}」を削除します。よろしいですか？\n請求書などの記録がある会員は削除できません（退会にしてください）。",
                     name=name)
        if not feedback.confirm(self, question, ok_label="削除", danger=True):
            return
        try:
            with self.app.db.transaction() as session:
                members.delete_member(session, self.member_id)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.close()
        self.on_saved(None, t("会員 {number} {name} を削除しました", number=number, name=name))


def _initial(member, field: str):
    if member is None:
        return {"status": "active", "join_date": date.today()}.get(field, "")
    if field == "membership_type":
        return member.membership_type.name
    value = getattr(member, field)
    return "" if value is None else value
