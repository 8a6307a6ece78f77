"""The shared widgets through real events: keys and clicks generated on the widgets, not method calls."""

from __future__ import annotations

import time
from datetime import date

import pytest

from tama_desk.domain.choices import MEMBER_CATEGORIES
from tama_desk.ui import feedback
from tama_desk.ui.layout import tune_styles
from tama_desk.ui.widgets import ChoiceBox, Column, DataTable, Dialog, Form
from tama_desk.ui.widgets import dialog as dialog_module


def press(widget, sequence: str) -> None:
    widget.focus_force()
    widget.update()
    widget.event_generate(sequence)
    widget.update()


def type_into(widget, text: str) -> None:
    widget.focus_force()
    widget.update()
    for char in text:
        widget.event_generate("<KeyPress>", keysym=char if char.isalnum() else "minus" if char == "-" else char)
    widget.update()


def click_heading(table: DataTable, key: str) -> None:
    tree = table.tree
    x = 0
    for column in table.columns:
        width = int(tree.column(column.key, "width"))
        if column.key == key:
            x += width // 2
            break
        x += width
    tree.event_generate("<ButtonPress-1>", x=x, y=8)
    tree.event_generate("<ButtonRelease-1>", x=x, y=8)
    tree.update()


ROWS = [
    {"id": 1, "kana": "ワタナベ", "amount": 1200, "day": date(2026, 4, 1), "category": "company"},
    {"id": 2, "kana": "アオキ", "amount": 90, "day": date(2025, 12, 5), "category": "academic"},
    {"id": 3, "kana": "カトウ", "amount": 30000, "day": date(2026, 1, 20), "category": "company"},
]


def make_table(root, opened):
    table = DataTable(root, [Column("kana", "フリガナ", 120), Column("amount", "金額", 90, format="yen", total=True),
                             Column("day", "日付", 100, format="date"),
                             Column("category", "区分", 120, choices=MEMBER_CATEGORIES)],
                      on_open=opened.append, tag=lambda row: ("overdue",) if row["amount"] > 1000 else ())
    table.pack(fill="both", expand=True)
    table.set_rows(ROWS)
    root.update()
    return table


def test_table_sorts_every_column_by_its_kind_when_a_heading_is_clicked(root):
    table = make_table(root, [])
    click_heading(table, "kana")
    assert table.keys() == [2, 3, 1]  # 五十音: ア, カ, ワ
    click_heading(table, "kana")
    assert table.keys() == [1, 3, 2]  # a second click reverses
    click_heading(table, "amount")
    assert table.keys() == [2, 1, 3]  # numbers as numbers, not "1,200" < "90"
    click_heading(table, "day")
    assert table.keys() == [2, 3, 1]
    assert table.tree.heading("day", "text").endswith("▲")
    assert table.tree.set("2", "category") == "大学・研究機関" and table.tree.set("1", "amount") == "1,200"
    assert "overdue" in table.tree.item("3", "tags")
    assert table.summary_label.cget("text") == "3 件　金額 31,290円"


def test_table_opens_the_row_on_enter_and_moves_with_the_keys(root):
    opened = []
    table = make_table(root, opened)
    table.focus_first()
    press(table.tree, "<Down>")
    press(table.tree, "<Return>")
    assert opened == [2]
    press(table.tree, "<End>")
    press(table.tree, "<Return>")
    assert opened == [2, 3]


def test_choice_box_value_is_the_code_and_text_the_label(root):
    box = ChoiceBox(root, MEMBER_CATEGORIES, value="academic", blank="（すべて）")
    assert box.get() == "academic" and box.text() == "大学・研究機関"
    box.set(None)
    assert box.get() is None and box.text() == "（すべて）"
    box.var.set("自治体")
    assert box.get() == "municipality"


def test_choice_box_makes_its_list_when_first_opened_styled_by_the_theme(root):
    tune_styles(root)  # as the main window does: lists made on first opening
    box = ChoiceBox(root, MEMBER_CATEGORIES, value="academic")
    box.pack()
    root.update()
    assert not int(root.tk.call("winfo", "exists", f"{box}.popdown"))
    press(box, "<Down>")  # opens the list (ttk::combobox::Post)
    listbox = f"{box}.popdown.f.l"
    assert int(root.tk.call("winfo", "ismapped", f"{box}.popdown"))
    colours = root.style.colors
    assert str(root.tk.call(listbox, "cget", "-background")) == colours.inputbg
    assert str(root.tk.call(listbox, "cget", "-selectbackground")) == colours.selectbg
    assert str(root.tk.call(f"{box}.popdown.f.sb", "cget", "-style")) == "Thin.Vertical.TScrollbar"
    root.tk.call(listbox, "selection", "clear", 0, "end")
    root.tk.call(listbox, "selection", "set", 0)
    root.tk.call(listbox, "activate", 0)
    root.tk.call("event", "generate", listbox, "<Return>")  # the list has the focus while open
    root.update()
    assert box.get() == "company" and not int(root.tk.call("winfo", "ismapped", f"{box}.popdown"))
    assert str(box.cget("postcommand")) == ""


def test_form_checks_as_typed_and_reads_dates_and_amounts_with_the_shared_parsers(root):
    form = Form(root, today=date(2026, 4, 15))
    form.add("day", "入金日", "date", required=True)
    form.add("amount", "金額", "amount", initial=70000)
    form.add("category", "区分", "choice", choices=MEMBER_CATEGORIES, initial="company")
    form.pack(fill="both", expand=True)
    root.update()
    assert form.get("amount") == "70,000"
    form.vars["day"].set("3/31")
    assert form.value("day") == date(2026, 3, 31)  # the March just past
    form.vars["day"].set("R8.12.5")
    assert form.value("day") == date(2026, 12, 5)
    form.vars["day"].set("2026-13-01")
    root.update()
    assert "日付は" in form.notes["day"].cget("text") and form.notes["day"].winfo_ismapped()
    form.vars["amount"].set("１２００００円")
    form.widgets["amount"].focus_force()
    root.update()
    form.widgets["day"].focus_force()
    root.update()
    assert form.get("amount") == "120,000" and form.value("amount") == 120000
    form.vars["day"].set("")
    assert [p.field for p in form.check()] == ["入金日"]
    assert form.value("category") == "company"


def test_form_scrolls_when_taller_than_its_space(root):
    form = Form(root)
    for index in range(40):
        form.add(f"f{index}", f"項目{index}")
    form.place(x=0, y=0, width=500, height=300)
    root.update()
    assert form.scroll.scrollable() and form.scroll.scrollbar.winfo_ismapped()
    form.widgets["f39"].focus_force()
    root.update()
    assert form.scroll.canvas.canvasy(0) > 0  # scrolled to the focused field


class Sample(Dialog):
    def __init__(self, parent, rows: int = 5):
        super().__init__(parent, "テスト")
        self.saved = 0
        self.form = Form(self.body, scroll=False, on_submit=self.on_save)
        for index in range(rows):
            self.form.add(f"f{index}", f"項目{index}")
        self.form.pack(fill="both", expand=True)
        self.add_button("保存", self.on_save, main=True, save=True)
        self.add_button("キャンセル", self.close)
        self.show(focus=self.form.widgets["f0"])

    def on_save(self) -> None:
        self.saved += 1


def test_dialog_keys_run_the_main_button_and_ask_before_discarding(root, dialogs):
    dialog = Sample(root)
    entry = dialog.form.widgets["f0"]
    press(entry, "<Control-Return>")
    press(entry, "<Control-s>")
    assert dialog.saved == 2
    press(entry, "<Escape>")  # nothing typed: closes without asking
    assert not dialog.winfo_exists() and not dialogs.shown

    dialog = Sample(root)
    entry = dialog.form.widgets["f0"]
    type_into(entry, "a")
    assert dialog.edited
    dialogs.answer = "キャンセル"
    press(entry, "<Escape>")
    assert dialog.winfo_exists() and dialogs.messages == ["変更を破棄しますか？"]
    dialogs.answer = "破棄する"
    press(entry, "<Escape>")
    assert not dialog.winfo_exists()


@pytest.mark.parametrize("area", [(0, 0, 1366, 720), (0, 0, 1280, 672)])
def test_dialog_is_clamped_to_the_work_area_and_its_buttons_keep_their_height(root, monkeypatch, area):
    monkeypatch.setattr(dialog_module, "WORK_AREA", area)
    dialog = Sample(root, rows=60)
    dialog.update()
    assert dialog.winfo_height() <= area[3] - dialog_module.TITLE_BAR
    assert dialog.winfo_rooty() + dialog.winfo_height() <= area[3]
    for button in dialog.button_bar.winfo_children():
        assert button.winfo_ismapped() and button.winfo_height() >= button.winfo_reqheight()
    assert dialog.scroll.scrollable()
    dialog.close()


def test_messages_have_japanese_buttons(root, monkeypatch):
    monkeypatch.undo()  # the real dialogs, answered by clicks
    shown = []

    def answer(box):
        shown.append([button.cget("text") for button in box.button_bar.winfo_children()])
        box.main_button.invoke()

    original = feedback.MessageBox.show

    def show(self, focus=None):
        original(self, focus)
        self.after(10, lambda: answer(self))

    monkeypatch.setattr(feedback.MessageBox, "show", show)
    assert feedback.confirm(root, "よろしいですか？", ok_label="発行する")
    assert shown == [["発行する", "キャンセル"]]


def test_japanese_wrapping_never_starts_a_line_with_a_closing_mark(root):
    from tama_desk.ui.widgets.measure import wrap

    text = "請求書などの記録がある会員は削除できません（退会にしてください）。よろしいですか？" * 3
    for width in range(120, 400, 7):
        lines = wrap(root, text, width).split("\n")
        assert "".join(lines) == text
        assert not any(line[0] in "。、）？" for line in lines[1:])
    assert wrap(root, "TAMA Desk 2026-0001", 60).split("\n")[0] in ("TAMA", "TAMA Desk")


def test_a_cell_cut_by_its_column_shows_its_whole_text_on_hover(root):
    long_name = "株式会社多摩精密機械製作所 八王子第二工場 品質保証部"
    table = DataTable(root, [Column("number", "番号", 70), Column("name", "会員名", 120)])
    table.pack(fill="both", expand=True)
    table.set_rows([{"id": 1, "number": "0001", "name": long_name}, {"id": 2, "number": "0002", "name": "短い"}])
    root.update()

    def hover(key: str, row: int) -> None:
        x = int(table.tree.column("number", "width")) // 2 if key == "number" else \
            int(table.tree.column("number", "width")) + 30
        _x, y, _w, height = table.tree.bbox(table.tree.get_children()[row], key)
        table.tree.event_generate("<Motion>", x=x, y=y + height // 2)

    hover("name", 0)
    deadline = time.monotonic() + 10
    while not table.tip.text and time.monotonic() < deadline:
        root.update()
        time.sleep(0.02)
    assert table.tip.text == long_name
    assert table.tip.window.winfo_ismapped()

    hover("name", 1)  # fits its column: no tip
    root.update()
    assert table.tip.text == "" and table.tip.cell == ("2", "name") and table.tip.pending is None
    hover("number", 0)
    assert table.tip.pending is None
    table.tree.event_generate("<Leave>")
    assert table.tip.cell is None


def test_table_sorts_labels_empties_first_and_rows_of_any_shape(root):
    """Sorted by the label a code shows, empty cells first; dicts, objects and a row lacking the attribute."""
    from collections import namedtuple

    Row = namedtuple("Row", "id kana category")
    rows = [Row(1, "ワ", "company"), {"id": 2, "kana": "ア", "category": "academic"}, Row(3, "", None),
            Row(4, "カ", "company"), type("Bare", (), {"id": 5})()]
    table = DataTable(root, [Column("kana", "フリガナ", 120), Column("category", "区分", 120, choices=MEMBER_CATEGORIES),
                             Column("size", "長さ", 60, value=lambda row: len(getattr(row, "kana", "") or ""))])
    table.set_rows(rows)
    table.sort_by("category")
    labels = {code: label for code, label in MEMBER_CATEGORIES.items()}
    named = sorted([(1, labels["company"]), (2, labels["academic"]), (4, labels["company"])], key=lambda pair: pair[1])
    assert table.keys() == [3, 5] + [key for key, _label in named]
    table.sort_by("kana")
    assert table.keys() == [3, 5, 2, 4, 1]
    table.sort_by("size", reverse=True)
    assert table.keys() == [4, 1, 3, 5, 2] and table.rows[1] is rows[0]  # equals keep their order


def test_a_measured_font_is_kept_in_use_once_per_window_and_measures_as_a_fresh_one(root):
    from tkinter import font as tkfont

    from tama_desk.ui.widgets.measure import held_font

    spec = "{Noto Sans CJK JP} 10 bold"
    font = held_font(root, spec)
    assert held_font(root, spec) is font  # one font (and one holder) for the window, not one per table
    assert font.measure("会員番号 ▲") == tkfont.Font(root, font=spec).measure("会員番号 ▲")
    holders = [w for w in root.winfo_children() if w.winfo_name().startswith("tama_font_holder")]
    assert len(holders) == 1 and holders[0].cget("font") == font.name and not holders[0].winfo_ismapped()
    holders[0].destroy()  # the window's widgets rebuilt (a language change): kept in use again
    again = held_font(root, spec)
    assert [w for w in root.winfo_children() if w.winfo_name().startswith("tama_font_holder")]
    assert again.measure("会員番号 ▲") == font.measure("会員番号 ▲")
    assert held_font(root, "TkHeadingFont").name == "TkHeadingFont"  # a named font is measured by its name


def test_a_flow_frame_built_before_it_is_shown_wraps_by_the_width_it_gets(root):
    import ttkbootstrap as ttk

    from tama_desk.ui.widgets.flow import FlowFrame

    holder = ttk.Frame(root)  # a view being built: not packed yet
    flow = FlowFrame(holder, gap=4)
    flow.pack(fill="x")
    for number in range(4):
        group = ttk.Frame(flow)  # its size is known only once Tk has laid it out
        ttk.Label(group, text=f"状態 {number}").pack(side="left")
        ttk.Combobox(group, width=12).pack(side="left")
    flow.reflow()

    def rows() -> list[int]:
        return [int(child.grid_info()["row"]) for child in flow.winfo_children()]

    def expected() -> list[int]:  # as many a row as the frame's width holds
        shown, row, used = [], 0, 0
        for child in flow.winfo_children():
            needed = child.winfo_reqwidth() + 4
            if used and used + needed > flow.winfo_width():
                row, used = row + 1, 0
            shown.append(row)
            used += needed
        return shown

    holder.pack(fill="x")
    root.update()
    assert flow.winfo_width() > 1 and rows() == expected()
    widths = [child.winfo_reqwidth() + 4 for child in flow.winfo_children()]
    root.geometry(f"{widths[0] + widths[1] + 10}x700")  # room for two a row
    root.update()
    assert rows() == [0, 0, 1, 1]
    assert flow.winfo_children()[2].winfo_y() > flow.winfo_children()[0].winfo_y()
    root.geometry(f"{sum(widths) + 40}x700")
    root.update()
    assert rows() == [0, 0, 0, 0]


def test_the_window_bindings_run_python_for_the_window_itself_not_for_each_widget(root):
    import ttkbootstrap as ttk

    from tama_desk.ui.widgets import rootbind

    seen = []

    def _on_shown(event) -> None:  # a Python call bound on the window, as ttkbootstrap's
        seen.append(str(event.widget))

    root.bind("<Configure>", _on_shown, add="+")
    rootbind.install(root)
    rootbind.install(root)  # twice: the same
    assert root.bind("<Configure>").count('"%W" eq "."') == root.bind("<Configure>").count("_on_shown")
    assert "on_map_child" not in root.bind_all("<Map>")
    frame = ttk.Frame(root)
    for number in range(10):
        ttk.Label(frame, text=f"会員 {number}").pack()
    frame.pack()
    root.update()
    assert seen == []  # the widgets mapped and laid out: no call
    root.geometry("900x650")
    root.update()
    assert seen and set(seen) == {"."}  # the window resized: its own call still runs


def test_a_dialog_runs_no_python_of_ttkbootstraps_for_each_widget_laid_out(root):
    """ttkbootstrap's Toplevel watches <Map>/<Configure> (and <Visibility> on X11) on the window, which every widget
    in it carries: a Dialog sizes itself and is opaque, so they are dropped; its own keys stay."""
    dialog = Dialog(root, "確認")
    for number in range(5):
        Form(dialog.body).add(f"field{number}", "会員名")
    dialog.add_button("保存", dialog.close, main=True)
    dialog.show()
    root.update()
    assert dialog.bind("<Map>") == "" and dialog.bind("<Configure>") == "" and dialog.bind("<Visibility>") == ""
    assert dialog.bind("<Escape>") and dialog.bind("<Control-s>")
    dialog.close()
