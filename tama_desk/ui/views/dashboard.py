"""ダッシュボード: every area's cards, members by category, the grants' spending and what was done lately.

The figures are SQL aggregates computed off the Tk thread (services.dashboard.overview); the view is shown at
once and filled when they are ready. On an empty database it shows the first-start guide instead.
"""

from __future__ import annotations

from datetime import date
from tkinter import font as tkfont

import ttkbootstrap as ttk

from tama_desk.domain.choices import MEMBER_CATEGORIES
from tama_desk.i18n import t
from tama_desk.ui import feedback
from tama_desk.ui.background import run_in_thread
from tama_desk.ui.fresh import Freshness

ACTIONS = {"create": "登録", "update": "更新", "withdraw": "退会", "delete": "削除", "import": "インポート",
           "demo": "デモデータ", "save": "保存", "issue": "発行", "cancel": "取消", "payment": "入金",
           "reverse": "入金取消", "billing_run": "一括請求", "statement": "明細取込", "expenditure": "支出",
           "reallocation": "流用", "approved_change": "変更承認", "attach": "添付", "fee": "会費設定", "credit": "充当",
           "amend": "変更", "complete": "完了届", "cost": "経費", "cost_move": "経費の付替", "deliverable": "成果物",
           "expenditure_delete": "支出削除", "expenditure_update": "支出訂正", "inspect": "検査",
           "invoice": "請求", "milestone": "出来高", "refund": "返還", "remind": "督促", "settle": "精算",
           "sign": "契約", "status": "状態変更", "submit": "提出", "write_off": "差引", "export": "書き出し",
           "request": "振替依頼", "receive": "受取", "debit_failed": "振替不能"}
BAR_CELLS = 12
DEMO_COUNT = 300
MAX_GRANT_ROWS = 6
CARD_GAP = 10


def text_bar(share: float) -> str:
    """A bar drawn with block characters: fast in a Treeview and readable in any theme."""
    filled = max(0, min(BAR_CELLS, round(share * BAR_CELLS)))
    return "█" * filled + "░" * (BAR_CELLS - filled) + f" {share * 100:.0f}%"


SAMPLES = {"bar": text_bar(1.0), "at": "2026-12-31 23:59", "budget": "999,999,999", "spent": "999,999,999",
           "n": "99,999", "what": "デモデータ", "user": "tanaka"}


def warnings_of(db) -> list[str]:
    """What the office should know (already in the user's language): the database's own warnings (a file on a
    network share) and an old or missing copy in the second backup folder. Reads folders: off the Tk thread."""
    from tama_desk.services import backup

    found = [t(warning) for warning in getattr(db, "warnings", None) or []]
    try:
        offsite = backup.offsite_warning()
    except OSError as error:  # the settings or the folder cannot be read: not a reason to hide the figures
        offsite = t("バックアップの保存先を確認できません（{error}）", error=error)
    if offsite:
        found.append(offsite)
    daily = backup.daily_warning()
    if daily:
        found.append(daily)
    return found


class DashboardView(ttk.Frame):
    def __init__(self, parent, app):
        super().__init__(parent)
        self.app = app
        self.generation = 0  # a newer refresh wins over a slower older one
        self.fresh = Freshness()
        self.overview = None
        ttk.Label(self, text=t("ダッシュボード"), font=(app.font_family, 15, "bold")).pack(anchor="w")
        # the second backup folder's copy is old, the database file is on a network share …: shown when there is one
        self.warning = ttk.Label(self, text="", bootstyle="danger", wraplength=900, justify="left")
        self.loading = ttk.Label(self, text=t("集計しています…"), bootstyle="secondary")
        self.loading.pack(anchor="w", pady=(12, 0))
        self.guide = ttk.Frame(self)
        self.board = ttk.Frame(self)
        self.create_board()

    # -- building ---------------------------------------------------------------------------------
    def create_board(self) -> None:
        """Cards on top; members by category on the left; grant spending (as many rows as grants) and the
        recent activity (taking the rest of the height) on the right."""
        self.cards = ttk.Frame(self.board, padding=(0, 8))
        self.cards.pack(fill="x")
        self.cards.bind("<Configure>", lambda _e: self.layout_cards())
        lower = self.lower = ttk.Frame(self.board)
        lower.pack(fill="both", expand=True)
        lower.bind("<Configure>", lambda _e: self.fit_categories(), add="+")
        left, right = ttk.Frame(lower), ttk.Frame(lower)
        left.pack(side="left", fill="y", padx=(0, 12))
        right.pack(side="left", fill="both", expand=True)
        self.categories = self.create_table(left, t("会員区分別（在籍）"), [("label", "区分", 170), ("n", "会員数", 80)],
                                            len(MEMBER_CATEGORIES), expand=True)
        self.burn = self.create_table(right, t("補助金の執行状況"), [("label", "補助事業", 240), ("budget", "予算", 110),
                                                               ("spent", "支出済", 110), ("bar", "執行率", 185)], 2)
        self.activity = self.create_table(right, t("最近の操作"), [("at", "日時", 130), ("user", "担当", 80),
                                                               ("what", "操作", 90), ("summary", "内容", 400)], 5,
                                          expand=True)

    def fit_categories(self) -> None:
        """When the cards take two rows or more (a large display scale, more areas' cards), the members-by-category
        table shows fewer rows (it scrolls) rather than being squeezed."""
        available = self.lower.winfo_height()
        tree = self.categories
        current = int(tree.cget("height"))
        if available <= 1 or current <= 0:
            return
        row = max(1, tree.winfo_reqheight() // (current + 1))  # the heading is about one row high
        chrome = tree.master.winfo_reqheight() - tree.winfo_reqheight() + 10  # the box's title, padding, pady
        height = max(1, min(len(MEMBER_CATEGORIES), (available - chrome) // row - 1))
        if height != current:
            tree.configure(height=height)

    def create_table(self, parent, title: str, columns, height: int, expand: bool = False) -> ttk.Treeview:
        box = ttk.Labelframe(parent, text=title, padding=8)
        box.pack(fill="both", expand=expand, pady=(0, 10))
        tree = ttk.Treeview(box, columns=[c[0] for c in columns], show="headings", height=height)
        for key, heading, width in columns:
            tree.heading(key, text=t(heading))
            if key in SAMPLES:  # wide enough for its longest text in this font at this display scale
                width = max(width, tkfont.nametofont("TkDefaultFont", self).measure(SAMPLES[key]) + 20)
            tree.column(key, width=width, minwidth=50, anchor="e" if key in ("n", "budget", "spent") else "w",
                        stretch=key in ("summary", "label"))
        tree.pack(fill="both", expand=True)
        return tree

    def create_guide(self, has_profile: bool) -> None:
        """First start: 団体情報 → 会員の取込 or 会員の登録, or the demo — each with its button."""
        for child in self.guide.winfo_children():
            child.destroy()
        font = self.app.font_family
        ttk.Label(self.guide, text=t("はじめに"), font=(font, 13, "bold")).pack(anchor="w", pady=(12, 2))
        ttk.Label(self.guide, text=t("データベースにはまだ会員がいません。次の順に始めてください。")).pack(anchor="w")
        steps = [
            ("1", t("団体情報を登録する"), t("請求書や報告書に印字する団体名・代表者・住所・登録番号・振込先口座。"),
             [(t("設定を開く") + " (Ctrl+,)", "primary", lambda: self.app.show_view("settings"))],
             t("登録済み") if has_profile else ""),
            ("2", t("会員を登録する"), t("今の会員名簿（Excel / CSV）を取り込むか、1件ずつ登録します。"),
             [(t("会員の取込…"), "primary", lambda: self.in_members("on_import")),
              (t("会員の登録…"), "primary-outline", lambda: self.in_members("on_new")),
              (t("取込用テンプレート…"), "secondary-outline", lambda: self.in_members("on_template"))], ""),
            ("", t("または、試してみる"), t("架空の団体（会員 {n} 件、2年度分の会費と入金、補助金 2 件）で操作を試せます。\n"
                                      "業務に使うデータベースには読み込まないでください。", n=DEMO_COUNT),
             [(t("デモデータを読み込む…"), "secondary", self.on_demo)], ""),
        ]
        for number, title, text, buttons, done in steps:
            box = ttk.Frame(self.guide, padding=(16, 12), bootstyle="light")
            box.pack(fill="x", pady=(12, 0))
            box.columnconfigure(1, weight=1)
            ttk.Label(box, text=number, font=(font, 18, "bold"), bootstyle="@primary" if number else "@light",
                      width=2, anchor="center").grid(row=0, column=0, rowspan=2, sticky="n", padx=(0, 14))
            heading = ttk.Frame(box, bootstyle="light")
            heading.grid(row=0, column=1, sticky="w")
            ttk.Label(heading, text=title, font=(font, 11, "bold"), bootstyle="@light").pack(side="left")
            if done:
                ttk.Label(heading, text="✔ " + done, bootstyle="success @light").pack(side="left", padx=10)
            ttk.Label(box, text=text, bootstyle="@light", wraplength=760, justify="left").grid(
                row=1, column=1, sticky="w", pady=(2, 8))
            bar = ttk.Frame(box, bootstyle="light")
            bar.grid(row=2, column=1, sticky="w")
            for label, style, command in buttons:
                ttk.Button(bar, text=label, bootstyle=style, command=command).pack(side="left", padx=(0, 8))

    # -- reacting ---------------------------------------------------------------------------------
    def on_show(self) -> None:
        if self.fresh.stale(self):  # shown again with nothing changed: the figures as they were
            self.refresh()

    def refresh(self) -> None:
        """Compute the figures in a worker thread (its own read session) and fill the board when ready: first
        the figures of services.dashboard itself (SQL aggregates), then the other areas' cards added."""
        from tama_desk.services import dashboard

        self.fresh.mark(self)
        self.generation += 1
        generation, db, today = self.generation, self.app.db, date.today()

        def first(_job):
            with db.reading() as session:
                overview = dashboard.overview(session, today, own_cards_only=True)
            return overview, warnings_of(db)

        def rest(_job):
            with db.reading() as session:
                return dashboard.area_cards(session, today, own=False)

        def current() -> bool:
            return generation == self.generation and self.winfo_exists()

        def first_done(result) -> None:
            if current():
                overview, warnings = result
                self.show_warnings(warnings)
                self.show(overview)
                if not overview.complete:
                    run_in_thread(self, rest, lambda more: current() and self.show(overview.with_cards(more)),
                                  failed)

        def failed(error: BaseException) -> None:
            self.loading.configure(text=t("集計できませんでした"))
            feedback.show_error(self, error)

        run_in_thread(self, first, first_done, failed)

    def show_warnings(self, warnings: list[str]) -> None:
        if warnings:
            self.warning.configure(text="\n".join(f"⚠ {warning}" for warning in warnings))
            self.warning.pack(anchor="w", pady=(8, 0), after=self.winfo_children()[0])
        else:
            self.warning.pack_forget()

    def show(self, overview) -> None:
        """Fill the board; `overview` is set once it is complete (the other areas' cards added)."""
        from tama_desk.services import audit  # loaded with the database, after the window is shown

        self.overview = overview if overview.complete or overview.empty else None
        self.loading.pack_forget()
        if overview.empty:
            self.board.pack_forget()
            self.create_guide(overview.has_profile)
            self.guide.pack(fill="both", expand=True)
            return
        self.guide.pack_forget()
        self.board.pack(fill="both", expand=True)
        for child in self.cards.winfo_children():
            child.destroy()
        for card in overview.cards:
            self.create_card(card)
        self.layout_cards()
        self.categories.delete(*self.categories.get_children())
        for code, label in MEMBER_CATEGORIES.items():
            self.categories.insert("", "end", values=(t(label), f"{overview.by_category.get(code, 0):,}"))
        self.burn.delete(*self.burn.get_children())
        self.burn.configure(height=max(1, min(MAX_GRANT_ROWS, len(overview.burn))))
        for name, budget, spent in overview.burn:
            self.burn.insert("", "end", values=(name, f"{budget:,}", f"{spent:,}",
                                                text_bar(spent / budget if budget else 0)))
        self.activity.delete(*self.activity.get_children())
        for at, user, action, summary in overview.recent:
            self.activity.insert("", "end", values=(f"{at:%Y-%m-%d %H:%M}", user, t(ACTIONS.get(action, action)),
                                                    audit.describe(summary)))

    def create_card(self, card) -> None:
        frame = ttk.Frame(self.cards, padding=(16, 8), bootstyle="light", cursor="hand2" if card.area else "")
        labels = [ttk.Label(frame, text=card.label, bootstyle="@light"),
                  ttk.Label(frame, text=card.figure, font=(self.app.font_family, 16, "bold"), bootstyle="@light"),
                  ttk.Label(frame, text=card.note, bootstyle="@light")]
        for label in labels:
            label.pack(anchor="w")
        if card.area:
            for widget in (frame, *labels):
                widget.bind("<Button-1>", lambda _e, key=card.area: self.app.show_view(key))

    def layout_cards(self) -> None:
        """Cards side by side, wrapping to another row when the window is narrow (or the text large)."""
        width = self.cards.winfo_width()
        if width <= 1:
            width = self.winfo_toplevel().winfo_width() - 200
        # Placed row by row (not a grid: a grid's columns are shared by every row, so a wide card in the second
        # row would push the first row past the edge); the cards of a row share its height.
        rows: list[list] = [[]]
        used = 0
        for card in self.cards.winfo_children():
            needed = card.winfo_reqwidth() + CARD_GAP
            if rows[-1] and used + needed > width:
                rows.append([])
                used = 0
            rows[-1].append(card)
            used += needed
        padding = (16, 8) if len(rows) == 1 else (16, 3)  # wrapped (large display scale): more compact
        for cards in rows:
            for card in cards:
                if str(card.cget("padding")) != str(padding):
                    card.configure(padding=padding)
        y = 0
        for cards in rows:
            height = max((card.winfo_reqheight() for card in cards), default=0)
            x = 0
            for card in cards:
                card.place(x=x, y=y, height=height)
                x += card.winfo_reqwidth() + CARD_GAP
            y += height + CARD_GAP
        self.cards.configure(height=max(1, y - CARD_GAP + 4))

    def in_members(self, handler: str) -> None:
        self.app.show_view("members")
        getattr(self.app.views["members"], handler)()

    def on_demo(self) -> None:
        """Load the demo data set (only into an empty database) behind a progress dialog."""
        from tama_desk.services.demo import describe, load_demo

        if not feedback.confirm(self, t("架空の団体のデモデータを読み込みます（会員 {n} 件ほか）。\n"
                                        "業務に使うデータベースには読み込まないでください。", n=DEMO_COUNT),
                                t("デモデータ"), "読み込む"):
            return
        db = self.app.db

        def work(_job):
            loaded: dict[str, int] = {}
            with db.transaction() as session:
                load_demo(session, DEMO_COUNT, loaded=loaded)
            return loaded

        def message(loaded) -> str:
            self.after_idle(self.on_demo_loaded)
            return describe(loaded)

        feedback.run_with_progress(self, t("デモデータ"), work, message)

    def on_demo_loaded(self) -> None:
        self.app.refresh_header()
        for key in [key for key in self.app.views if key != "dashboard"]:  # built on an empty database
            self.app.views.pop(key).destroy()
        self.refresh()
