"""設定: the association profile printed on documents, membership types, the language and how dates are shown.
The whole view scrolls: on a 1366×768 laptop everything down to 団体情報を保存 is reachable."""

from __future__ import annotations

from pathlib import Path
from tkinter import filedialog

import ttkbootstrap as ttk

from tama_desk import i18n, settings
from tama_desk.domain.choices import ROUNDING_MODES, STAMP_DUTY, TAX_CATEGORIES
from tama_desk.errors import Problem, UserError
from tama_desk.i18n import t
from tama_desk.services import accounting, profile
from tama_desk.ui import feedback, loading
from tama_desk.ui.fresh import Freshness
from tama_desk.ui.widgets import ChoiceBox, Column, DataTable, Form, ScrollFrame
from tama_desk.ui.widgets.flow import FlowFrame

CHOICES = {
    "tax_rounding": ROUNDING_MODES,
    "bank_account_type": {"普通": "普通", "当座": "当座"},
    "fiscal_year_start_month": {str(month): f"{month}月" for month in range(1, 13)},
    "write_off_auto": {"on": "する", "off": "しない"},  # 振込手数料の差額を入金の照合で自動的に差し引くか
    "stamp_duty": STAMP_DUTY,
}
AMOUNTS = {"write_off_limit"}
LEFT_FIELDS = ["name", "representative_title", "representative", "postal_code", "address", "phone", "email",
               "registration_number"]


class SettingsView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.fresh, self.loader = Freshness(), loading.Loader(self)
        self.seal_png: bytes | None = None
        ttk.Label(self, text=t("設定"), font=(app.font_family, 15, "bold")).pack(anchor="w")
        self.scroll = ScrollFrame(self, padding=(0, 10, 12, 10))
        self.scroll.pack(fill="both", expand=True)
        body = self.scroll.inner
        self.create_profile(body)
        lower = FlowFrame(body, gap=16, padding=(0, 12, 0, 0))  # side by side, or one under the other
        lower.pack(fill="x")
        self.create_types(ttk.Frame(lower))
        self.create_language(ttk.Frame(lower))
        self.create_accounting(ttk.Frame(lower))
        lower.reflow()

    # -- building ---------------------------------------------------------------------------------
    def create_profile(self, parent) -> None:
        box = ttk.Labelframe(parent, text=t("団体情報（請求書などに印字）"), padding=12)
        box.pack(fill="x")
        self.form = Form(box, scroll=False, on_submit=self.on_save_profile)
        self.form.pack(fill="x")
        right = [key for key in profile.PROFILE_LABELS if key not in LEFT_FIELDS]
        for column, keys in ((0, LEFT_FIELDS), (2, right)):
            for key in keys:
                kind = "choice" if key in CHOICES else "amount" if key in AMOUNTS else "entry"
                self.form.add(key, profile.PROFILE_LABELS[key], kind,
                              column=column, choices=CHOICES.get(key), width=20)
        self.vars = self.form.vars
        bar = ttk.Frame(box, padding=(0, 10, 0, 0))
        bar.pack(fill="x")
        ttk.Label(bar, text=t("角印 (PNG)")).pack(side="left")
        self.seal_label = ttk.Label(bar, bootstyle="secondary")
        self.seal_label.pack(side="left", padx=8)
        ttk.Button(bar, text=t("画像を選ぶ…"), bootstyle="secondary-outline", command=self.on_choose_seal).pack(
            side="left")
        self.save_button = ttk.Button(bar, text=t("団体情報を保存"), bootstyle="primary", command=self.on_save_profile)
        self.save_button.pack(side="right")

    def create_types(self, parent) -> None:
        box = ttk.Labelframe(parent, text=t("会員種別と年会費"), padding=12)
        box.pack(fill="both", expand=True)
        self.type_table = DataTable(box, [Column("name", "会員種別", 140), Column("annual_fee", "年会費（円）", 110,
                                                                              format="yen"),
                                          Column("tax_category", "税区分", 100, choices=TAX_CATEGORIES)],
                                    height=5, on_select=self.on_type_selected)
        self.type_table.pack(fill="x")
        self.types = self.type_table.tree
        ttk.Label(box, text=t("一覧で選んで編集、または「新規」で追加: 名称・年会費（円）・税区分"), bootstyle="secondary",
                  wraplength=300, justify="left").pack(anchor="w", pady=(4, 0))
        self.type_form = Form(box, scroll=False, on_submit=self.on_save_type)
        self.type_form.add("name", "名称", width=16)
        self.type_form.add("fee", "年会費（円）", "amount", width=12)
        self.type_form.add("tax", "税区分", "choice", choices=TAX_CATEGORIES, initial="out_of_scope")
        self.type_form.pack(fill="x", pady=(6, 0))
        self.type_name, self.type_fee = self.type_form.vars["name"], self.type_form.vars["fee"]
        self.type_tax = self.type_form.vars["tax"]
        buttons = ttk.Frame(box)
        buttons.pack(fill="x", pady=(6, 0))
        ttk.Button(buttons, text=t("保存"), bootstyle="primary-outline", command=self.on_save_type).pack(side="right")
        ttk.Button(buttons, text=t("新規"), bootstyle="secondary-outline", command=self.on_new_type).pack(
            side="right", padx=6)
        self.type_id: int | None = None

    def create_language(self, parent) -> None:
        box = ttk.Labelframe(parent, text=t("表示"), padding=12)
        box.pack(fill="x")
        row = ttk.Frame(box)
        row.pack(fill="x")
        ttk.Label(row, text=t("表示言語")).pack(side="left")
        self.language_box = ChoiceBox(row, i18n.LANGUAGES, value=i18n.language(), translate=False,
                                      on_change=self.on_language)
        self.language_box.pack(side="left", padx=8)
        self.language = self.language_box.var
        self.wareki_var = ttk.BooleanVar(value=bool(getattr(self.app.preferences, "wareki", False)))
        ttk.Checkbutton(box, text=t("和暦で表示（令和8年12月5日）"), variable=self.wareki_var, bootstyle="round-toggle",
                        command=self.on_wareki).pack(anchor="w", pady=(10, 0))
        ttk.Label(box, text=t("画面の日付を和暦で表示します。入力は西暦・和暦のどちらでもできます。"), bootstyle="secondary",
                  wraplength=300, justify="left").pack(anchor="w", pady=(2, 0))
        ttk.Label(box, text=t("データベース: {name}", name=self.app.db.display_name()), bootstyle="secondary",
                  wraplength=300, justify="left").pack(anchor="w", pady=(10, 0))

    def create_accounting(self, parent) -> None:
        """会計ソフトとの連携: the account mapping, edited in its own dialog (also reached from 会計連携)."""
        box = ttk.Labelframe(parent, text=t("会計ソフトとの連携"), padding=12)
        box.pack(fill="x")
        self.accounting_label = ttk.Label(box, text="", bootstyle="secondary", wraplength=300, justify="left")
        self.accounting_label.pack(anchor="w")
        self.mapping_button = ttk.Button(box, text=t("勘定科目の対応…"), bootstyle="primary-outline",
                                         command=self.on_account_mapping)
        self.mapping_button.pack(anchor="w", pady=(8, 0))

    def on_account_mapping(self) -> None:
        from tama_desk.ui.views.account_mapping_dialog import AccountMappingDialog

        AccountMappingDialog(self, self.app, on_saved=self.refresh)

    # -- reacting ---------------------------------------------------------------------------------
    def on_show(self) -> None:
        loading.on_show(self)  # read in the background (the first time, or after a change), shown when it arrives

    def refresh(self) -> None:
        loading.refresh(self)

    def rows_query(self):
        def read(session) -> dict:
            current = profile.get_profile(session)
            values = {}
            for key in profile.PROFILE_LABELS:
                value = getattr(current, key)
                if key == "write_off_auto":
                    value = "on" if value else "off"
                values[key] = str(value) if key in CHOICES else value
            return {"values": values, "seal_png": current.seal_png,
                    "kinds": [{"id": kind.id, "name": kind.name, "annual_fee": kind.annual_fee,
                               "tax_category": kind.tax_category} for kind in profile.membership_types(session)],
                    "accounts": len(accounting.mapping_rows(session)), "unknown": accounting.check_accounts(session),
                    "pasted": bool(accounting.settings(session).known_accounts)}

        return read

    def present(self, data: dict) -> None:
        for key, value in data["values"].items():
            self.form.set(key, value)
        self.seal_png = data["seal_png"]
        unknown = data["unknown"]
        self.accounting_label.configure(text=t("勘定科目 {count} 件（弥生・MoneyForward・freee への書き出しに使います）",
                                               count=data["accounts"]) + "\n" + (
            t("科目一覧にない科目: {names}", names="、".join(unknown)) if unknown else
            t("すべての科目が科目一覧にあります") if data["pasted"] else t("会計ソフトの科目一覧は未登録です")),
            bootstyle="danger" if unknown else "secondary")
        self.seal_label.configure(text=t("登録済み") if self.seal_png else t("未登録"))
        self.type_table.set_rows(data["kinds"], keep_order=True)

    def on_choose_seal(self) -> None:
        path = filedialog.askopenfilename(parent=self, title=t("角印の画像"), filetypes=[("PNG", "*.png")])
        if path:
            self.seal_png = Path(path).read_bytes()
            self.seal_label.configure(text=Path(path).name)

    def on_save_profile(self) -> None:
        values: dict[str, object] = {key: self.form.get(key) for key in profile.PROFILE_LABELS}
        values["seal_png"] = self.seal_png
        try:
            with self.app.db.transaction() as session:
                profile.update_profile(session, values)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.app.refresh_header()
        feedback.notify(self, t("団体情報を保存しました: {name}", name=values["name"]))

    def on_type_selected(self, type_id) -> None:
        row = self.type_table.row(type_id) if type_id is not None else None
        if row:
            self.type_id = type_id
            self.type_form.set("name", row["name"])
            self.type_form.set("fee", row["annual_fee"])
            self.type_form.set("tax", row["tax_category"])

    def on_new_type(self) -> None:
        self.type_id = None
        self.types.selection_remove(*self.types.selection())
        self.type_form.set("name", "")
        self.type_form.set("fee", "")
        self.type_form.set("tax", "out_of_scope")
        self.type_form.focus("name")

    def on_save_type(self) -> None:
        try:
            fee = self.type_form.value("fee")
            if fee is None:
                raise ValueError("年会費は0以上の整数（円）で入力してください")
        except ValueError as error:
            feedback.show_error(self, UserError("入力を確認してください", [Problem(str(error), "年会費（円）")]))
            return
        name = self.type_form.get("name")
        try:
            with self.app.db.transaction() as session:
                profile.save_membership_type(session, name, fee, self.type_form.get("tax"), self.type_id)
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.refresh()
        feedback.notify(self, t("会員種別を保存しました: {name} {fee:,}円", name=name, fee=fee))

    def on_language(self) -> None:
        code = self.language_box.get()
        if code is None or code == i18n.language():
            return
        i18n.set_language(code)
        self.app.preferences.language = code
        settings.save(self.app.preferences)
        self.app.rebuild()

    def on_wareki(self) -> None:
        """和暦で表示: kept per user (Preferences), read by every table and form when it shows a date."""
        self.app.preferences.wareki = bool(self.wareki_var.get())
        settings.save(self.app.preferences)
        feedback.notify(self, t("和暦で表示します") if self.app.preferences.wareki else t("西暦で表示します"))

