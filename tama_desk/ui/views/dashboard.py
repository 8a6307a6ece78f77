"""ダッシュボード: the registry at a glance and what was done lately."""

from __future__ import annotations

import ttkbootstrap as ttk
from sqlalchemy import func, select

from tama_desk.db.models import AuditLog, Member
from tama_desk.domain.choices import MEMBER_CATEGORIES, MEMBER_STATUSES
from tama_desk.i18n import t
from tama_desk.services import members

ACTIONS = {"create": "登録", "update": "更新", "withdraw": "退会", "delete": "削除", "import": "インポート",
           "demo": "デモデータ", "save": "保存"}


class DashboardView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        ttk.Label(self, text=t("ダッシュボード"), font=(app.font_family, 15, "bold")).pack(anchor="w")
        self.cards = ttk.Frame(self, padding=(0, 12))
        self.cards.pack(fill="x")
        lower = ttk.Frame(self)
        lower.pack(fill="both", expand=True)
        self.categories = self.create_table(lower, t("会員区分別（在籍）"), [("label", "区分", 180), ("n", "会員数", 80)])
        self.activity = self.create_table(lower, t("最近の操作"), [("at", "日時", 140), ("user", "担当", 90),
                                                                ("what", "操作", 90), ("summary", "内容", 320)])

    def create_table(self, parent, title: str, columns) -> ttk.Treeview:
        box = ttk.Labelframe(parent, text=title, padding=8)
        box.pack(side="left", fill="both", expand=True, padx=(0, 12))
        tree = ttk.Treeview(box, columns=[c[0] for c in columns], show="headings", height=12)
        for key, heading, width in columns:
            tree.heading(key, text=t(heading))
            tree.column(key, width=width, anchor="e" if key == "n" else "w", stretch=key in ("summary", "label"))
        tree.pack(fill="both", expand=True)
        return tree

    def on_show(self) -> None:
        with self.app.db.reading() as session:
            by_status = members.count_by_status(session)
            active = select(Member.category, func.count()).where(Member.status == "active")
            by_category = dict(session.execute(active.group_by(Member.category)).all())
            recent = list(session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(15)))
        for child in self.cards.winfo_children():
            child.destroy()
        for code, label in MEMBER_STATUSES.items():
            card = ttk.Frame(self.cards, padding=(18, 10), bootstyle="light")
            card.pack(side="left", padx=(0, 12))
            ttk.Label(card, text=t(label), bootstyle="@light").pack(anchor="w")
            ttk.Label(card, text=f"{by_status.get(code, 0):,}", font=(self.app.font_family, 20, "bold"),
                      bootstyle="@light").pack(anchor="w")
        self.categories.delete(*self.categories.get_children())
        for code, label in MEMBER_CATEGORIES.items():
            self.categories.insert("", "end", values=(t(label), f"{by_category.get(code, 0):,}"))
        self.activity.delete(*self.activity.get_children())
        for entry in recent:
            self.activity.insert("", "end", values=(f"{entry.at:%Y-%m-%d %H:%M}", entry.user,
                                                    t(ACTIONS.get(entry.action, entry.action)), entry.summary))
