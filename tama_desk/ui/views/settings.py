"""設定: the association profile printed on documents, membership types, and the language."""

from __future__ import annotations

from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk import i18n, settings
from tama_desk.domain.choices import ROUNDING_MODES, TAX_CATEGORIES
from tama_desk.errors import UserError
from tama_desk.i18n import t
from tama_desk.services import profile
from tama_desk.ui import feedback

CHOICES = {
    "tax_rounding": ROUNDING_MODES,
    "bank_account_type": {"普通": "普通", "当座": "当座"},
    "fiscal_year_start_month": {str(month): f"{month}月" for month in range(1, 13)},
}


class SettingsView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.vars: dict[str, ttk.StringVar] = {}
        self.seal_png: bytes | None = None
        ttk.Label(self, text=t("設定"), font=(app.font_family, 15, "bold")).pack(anchor="w")
        columns = ttk.Frame(self, padding=(0, 10))
        columns.pack(fill="both", expand=True)
        self.create_profile(columns)
        right = ttk.Frame(columns)
        right.pack(side="left", fill="both", expand=True, padx=(16, 0))
        self.create_types(right)
        self.create_language(right)

    # -- building ---------------------------------------------------------------------------------
    def create_profile(self, parent) -> None:
        box = ttk.Labelframe(parent, text=t("団体情報（請求書などに印字）"), padding=12)
        box.pack(side="left", fill="y")
        for row, (key, label) in enumerate(profile.PROFILE_LABELS.items()):
            ttk.Label(box, text=t(label)).grid(row=row, column=0, sticky="w", padx=(0, 8), pady=2)
            variable = ttk.StringVar()
            if key in CHOICES:
                widget = ttk.Combobox(box, textvariable=variable, state="readonly", width=34,
                                      values=[t(label) for label in CHOICES[key].values()])
            else:
                widget = ttk.Entry(box, textvariable=variable, width=36)
            widget.grid(row=row, column=1, sticky="ew", pady=2)
            self.vars[key] = variable
        seal_row = len(profile.PROFILE_LABELS)
        ttk.Label(box, text=t("角印 (PNG)")).grid(row=seal_row, column=0, sticky="w")
        seal_bar = ttk.Frame(box)
        seal_bar.grid(row=seal_row, column=1, sticky="w", pady=4)
        self.seal_label = ttk.Label(seal_bar, bootstyle="secondary")
        self.seal_label.pack(side="left")
        ttk.Button(seal_bar, text=t("画像を選ぶ…"), bootstyle="secondary-outline", command=self.on_choose_seal).pack(
            side="left", padx=8)
        ttk.Button(box, text=t("団体情報を保存"), bootstyle="primary", command=self.on_save_profile).grid(
            row=seal_row + 1, column=1, sticky="e", pady=(10, 0))

    def create_types(self, parent) -> None:
        box = ttk.Labelframe(parent, text=t("会員種別と年会費"), padding=12)
        box.pack(fill="x")
        self.types = ttk.Treeview(box, columns=("name", "fee", "tax"), show="headings", height=5)
        for key, heading, width in [("name", "会員種別", 140), ("fee", "年会費（円）", 110), ("tax", "税区分", 100)]:
            self.types.heading(key, text=t(heading))
            self.types.column(key, width=width, anchor="e" if key == "fee" else "w")
        self.types.pack(fill="x")
        self.types.bind("<<TreeviewSelect>>", lambda _e: self.on_type_selected())
        form = ttk.Frame(box, padding=(0, 8, 0, 0))
        form.pack(fill="x")
        ttk.Label(box, text=t("一覧で選んで編集、または「新規」で追加: 名称・年会費（円）・税区分"), bootstyle="secondary").pack(
            anchor="w", pady=(4, 0))
        self.type_name, self.type_fee, self.type_tax = ttk.StringVar(), ttk.StringVar(), ttk.StringVar()
        ttk.Entry(form, textvariable=self.type_name, width=14).pack(side="left")
        ttk.Entry(form, textvariable=self.type_fee, width=10, justify="right").pack(side="left", padx=4)
        ttk.Combobox(form, textvariable=self.type_tax, state="readonly", width=10,
                     values=[t(label) for label in TAX_CATEGORIES.values()]).pack(side="left")
        ttk.Button(form, text=t("保存"), bootstyle="primary-outline", command=self.on_save_type).pack(
            side="left", padx=6)
        ttk.Button(form, text=t("新規"), bootstyle="secondary-outline", command=self.on_new_type).pack(side="left")
        self.type_id: int | None = None

    def create_language(self, parent) -> None:
        box = ttk.Labelframe(parent, text=t("表示言語"), padding=12)
        box.pack(fill="x", pady=(12, 0))
        self.language = ttk.StringVar(value=i18n.LANGUAGES[i18n.language()])
        chooser = ttk.Combobox(box, textvariable=self.language, state="readonly",
                               values=list(i18n.LANGUAGES.values()))
        chooser.pack(side="left")
        chooser.bind("<<ComboboxSelected>>", lambda _e: self.on_language())
        ttk.Label(box, text=t("データベース: {name}", name=self.app.db.display_name()), bootstyle="secondary",
                  wraplength=420).pack(side="left", padx=12)

    # -- reacting ---------------------------------------------------------------------------------
    def on_show(self) -> None:
        with self.app.db.reading() as session:
            current = profile.get_profile(session)
            kinds = profile.membership_types(session)
        for key, variable in self.vars.items():
            value = str(getattr(current, key))
            variable.set(t(CHOICES[key][value]) if key in CHOICES else value)
        self.seal_png = current.seal_png
        self.seal_label.configure(text=t("登録済み") if self.seal_png else t("未登録"))
        self.types.delete(*self.types.get_children())
        for kind in kinds:
            self.types.insert("", "end", iid=str(kind.id), values=(
                kind.name, f"{kind.annual_fee:,}", t(TAX_CATEGORIES.get(kind.tax_category, kind.tax_category))))

    def on_choose_seal(self) -> None:
        path = filedialog.askopenfilename(parent=self, title=t("角印の画像"), filetypes=[("PNG", "*.png")])
        if path:
            self.seal_png = Path(path).read_bytes()
            self.seal_label.configure(text=Path(path).name)

    def on_save_profile(self) -> None:
        values: dict[str, object] = {}
        for key, variable in self.vars.items():
            shown = variable.get()
            values[key] = next((code for code, label in CHOICES[key].items() if t(label) == shown), shown) \
                if key in CHOICES else shown
        values["seal_png"] = self.seal_png
        try:
            with self.app.db.transaction() as session:
                profile.update_profile(session, values)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.app.refresh_header()
        feedback.notify(self, t("団体情報を保存しました"))

    def on_type_selected(self) -> None:
        selection = self.types.selection()
        if selection:
            self.type_id = int(selection[0])
            name, fee, tax = self.types.item(selection[0], "values")
            self.type_name.set(name)
            self.type_fee.set(fee.replace(",", ""))
            self.type_tax.set(tax)

    def on_new_type(self) -> None:
        self.type_id = None
        self.types.selection_remove(*self.types.selection())
        for variable in (self.type_name, self.type_fee):
            variable.set("")
        self.type_tax.set(t(TAX_CATEGORIES["out_of_scope"]))

    def on_save_type(self) -> None:
        fee_text = self.type_fee.get().replace(",", "").strip()
        tax = next((code for code, label in TAX_CATEGORIES.items() if t(label) == self.type_tax.get()), "")
        try:
            if not fee_text.isdigit():
                raise UserError(t("年会費は0以上の整数（円）で入力してください"))
            with self.app.db.transaction() as session:
                profile.save_membership_type(session, self.type_name.get(), int(fee_text), tax, self.type_id)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.on_show()
        feedback.notify(self, t("会員種別を保存しました"))

    def on_language(self) -> None:
        code = next(code for code, name in i18n.LANGUAGES.items() if name == self.language.get())
        if code == i18n.language():
            return
        i18n.set_language(code)
        self.app.preferences.language = code
        settings.save(self.app.preferences)
        self.app.rebuild()
