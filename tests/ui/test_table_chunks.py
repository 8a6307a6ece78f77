"""DataTable at scale through real events: the first screen is inserted at once and the other rows in chunks,
yet sorting, selecting, opening and the totals line cover every row; a refresh keeps the first visible row and
the selection. The members view: typing in the search box filters after the debounce; a save keeps the view."""

from __future__ import annotations

import pytest

from tama_desk.ui.widgets import Column, DataTable
from tama_desk.ui.widgets import table as table_module
from tests.ui.conftest import pump, show, toplevels

COUNT = 2000  # far more than the first screen and than a table inserted in one go
COLUMNS = [Column("number", "番号", 80), Column("name", "名前", 200), Column("amount", "金額", 100, format="yen",
                                                                      total=True)]


def make_rows(count: int = COUNT, changed: int | None = None) -> list[dict]:
    return [{"id": i, "number": f"{i:05d}", "name": f"会員{i}" + ("（変更）" if i == changed else ""),
             "amount": (i * 7919) % 100_000} for i in range(count)]


ROOT_GEOMETRY = "800x600+0+0"  # the size the `root` fixture (conftest) gives the window


@pytest.fixture
def table(root):
    opened = []
    table = DataTable(root, COLUMNS, on_open=opened.append, sort_by="number")
    table.opened = opened
    table.pack(fill="both", expand=True)
    table.set_rows(make_rows())
    root.update_idletasks()
    return table


def filled(table) -> bool:
    return len(table.tree.get_children()) == len(table.rows)


def first_visible(tree) -> str:
    """The row drawn at the top of the list (found by looking, under the heading)."""
    tree.update()
    for y in range(0, 80):
        row = tree.identify_row(y)
        if row:
            return row
    raise AssertionError("no row shown")


def click(widget, x: int, y: int) -> None:
    widget.update()
    widget.event_generate("<Motion>", x=x, y=y)
    widget.event_generate("<ButtonPress-1>", x=x, y=y)
    widget.event_generate("<ButtonRelease-1>", x=x, y=y)
    widget.update()


def press(widget, sequence: str) -> None:
    widget.focus_force()
    widget.update()
    widget.event_generate(sequence)
    widget.update()


def test_first_screen_at_once_the_rest_in_chunks_and_the_totals_line_counts_every_row(root, table):
    inserted = len(table.tree.get_children())
    assert table_module.FIRST_ROWS <= inserted < COUNT  # not every row yet
    total = sum(row["amount"] for row in make_rows())
    text = table.summary_label.cget("text")
    assert f"{COUNT:,} 件" in text or f"{COUNT} 件" in text
    assert f"{total:,}円" in text
    pump(root, until=lambda: filled(table))
    assert [table.tree.set(iid, "number") for iid in table.tree.get_children()] == [f"{i:05d}" for i in range(COUNT)]


def test_heading_click_sorts_every_row_not_only_the_inserted_ones(root, table):
    x = int(table.tree.column("number", "width")) + int(table.tree.column("name", "width")) + 30
    click(table.tree, x, 8)  # the 金額 heading
    largest_first = sorted(make_rows(), key=lambda row: row["amount"])
    shown = table.tree.get_children()
    assert [table.tree.set(iid, "number") for iid in shown[:20]] == [row["number"] for row in largest_first[:20]]
    assert table.tree.heading("amount", "text").endswith("▲")
    click(table.tree, x, 8)  # again: descending, over every row
    assert table.tree.set(table.tree.get_children()[0], "number") == max(
        make_rows(), key=lambda row: (row["amount"], -row["id"]))["number"]
    pump(root, until=lambda: filled(table))
    amounts = [int(table.tree.set(iid, "amount").replace(",", "")) for iid in table.tree.get_children()]
    assert amounts == sorted(amounts, reverse=True)


def test_a_row_beyond_the_first_chunk_is_selected_and_opened(root, table):
    assert not table.tree.exists("1500") or "1500" not in table.tree.get_children()
    assert table.select(1500)
    assert table.tree.selection() == ("1500",) and table.selected() == 1500
    press(table.tree, "<Return>")
    assert table.opened == [1500]
    press(table.tree, "<End>")  # the last row of all, inserted for it
    assert table.selected() == COUNT - 1
    press(table.tree, "<Return>")
    assert table.opened == [1500, COUNT - 1]
    assert table.row(1999)["number"] == "01999" and table.keys()[:3] == [0, 1, 2]


def test_a_refresh_keeps_the_first_visible_row_and_the_selection(root, table):
    pump(root, until=lambda: filled(table))
    table.tree.yview_scroll(700, "units")
    top = first_visible(table.tree)
    assert top not in ("0", "")
    row = str(int(top) + 3)
    _x, y, _w, height = table.tree.bbox(row)
    click(table.tree, 40, y + height // 2)  # the user clicks a row
    assert table.tree.selection() == (row,)
    table.set_rows(make_rows(changed=int(row)))  # saved: the same rows, one changed
    assert first_visible(table.tree) == top and table.tree.selection() == (row,)
    assert table.tree.set(row, "name").endswith("（変更）")
    table.set_rows([{"id": -1, "number": "00000-", "name": "新規", "amount": 1}, *make_rows()])  # one more row
    assert first_visible(table.tree) == top and table.tree.selection() == (row,)
    pump(root, until=lambda: filled(table))
    assert first_visible(table.tree) == top and len(table.tree.get_children()) == COUNT + 1


def test_typing_in_the_member_search_filters_after_the_debounce(window):
    show(window, "members")
    pump(window)
    view = window.views["members"]
    entry = view.search_entry
    entry.focus_force()
    entry.update()
    for char in "0042":
        entry.event_generate("<KeyPress>", keysym=char)
    assert view.search.pending is not None  # waiting for the pause
    pump(window, until=lambda: view.search.pending is None)
    numbers = [view.tree.set(iid, "number") for iid in view.tree.get_children()]
    assert numbers == ["0042"] and view.count_label.cget("text") == "1 件"


def test_saving_a_member_keeps_the_first_visible_row_and_the_selection(window):
    show(window, "members")
    pump(window)
    view = window.views["members"]
    view.tree.yview_scroll(120, "units")
    top = first_visible(view.tree)
    children = view.tree.get_children()
    row = children[children.index(top) + 2]
    _x, y, _w, height = view.tree.bbox(row)
    click(view.tree, 40, y + height // 2)
    press(view.tree, "<Return>")  # opens it
    pump(window, until=lambda: toplevels(window, "会員の編集"))
    dialog = toplevels(window, "会員の編集")[0]
    dialog.on_save()
    pump(window, until=lambda: not toplevels(window, "会員の編集"))
    assert first_visible(view.tree) == top and view.tree.selection() == (row,)


def test_a_table_filled_and_selected_before_it_is_shown_opens_at_its_first_row(root):
    """A view builds its table and selects the first row before the window shows it; Tk's `see` on an
    unmapped Treeview used to scroll one row past, so the list opened with its (selected) first row hidden."""
    table = DataTable(root, COLUMNS, sort_by="number")
    table.set_rows(make_rows(500))
    assert table.select(table.keys()[0])
    table.pack(fill="both", expand=True)
    pump(root, until=lambda: table.tree.winfo_ismapped())
    assert first_visible(table.tree) == str(table.keys()[0]) == table.tree.selection()[0]
    assert table.tree.yview()[0] == 0.0


def shown_numbers(table) -> list[str]:
    table.flush()
    return [table.tree.set(iid, "number") for iid in table.tree.get_children()]


@pytest.mark.parametrize("reverse", [False, True])
def test_put_row_and_remove_row_show_what_setting_every_row_again_would(root, table, reverse):
    """A saved row put in place (moved by its new sort key, or new), rows removed, inserted or not yet in the
    Treeview: the table ends as set_rows of the changed rows shows them, texts, order and totals line alike."""
    table.sort_by("amount", reverse)
    rows = {row["id"]: row for row in make_rows()}
    order = table.keys()
    shown_first, not_yet = order[3], order[1500]
    assert table.tree.exists(str(shown_first)) and str(not_yet) not in table.tree.get_children()
    changes = [{**rows[shown_first], "amount": 50_000, "name": "移動"}, {**rows[not_yet], "amount": 0},
               {"id": 5000, "number": "05000", "name": "新規", "amount": 12_345}, {**rows[order[10]], "name": "改名"}]
    for row in changes:
        rows[row["id"]] = row
        table.put_row(row)
    for gone in (order[5], order[1800], 5000):
        del rows[gone]
        table.remove_row(gone)
    expected = DataTable(root, COLUMNS, sort_by="amount")
    expected.sort_by("amount", reverse)
    expected.set_rows(list(rows.values()))
    assert table.rows == expected.rows and table.keys() == expected.keys()
    assert shown_numbers(table) == shown_numbers(expected)
    assert table.tree.set(str(order[10]), "name") == "改名" and table.tree.set(str(not_yet), "amount") == "0"
    assert table.summary_label.cget("text") == expected.summary_label.cget("text")
    table.on_heading("number")  # the sort keys kept for the changed rows too
    expected.on_heading("number")
    assert shown_numbers(table) == shown_numbers(expected)


def test_put_row_keeps_the_first_visible_row_and_the_selection(root, table):
    pump(root, until=lambda: filled(table))
    table.tree.yview_scroll(700, "units")
    top = first_visible(table.tree)
    row = str(int(top) + 3)
    table.select(int(row))
    table.put_row({**make_rows()[int(row)], "name": "保存した"})  # the selected row, its place unchanged
    table.put_row({**make_rows()[1900], "number": "01900", "name": "下の行"})  # a row below the screen
    table.put_row({"id": 4000, "number": "04000", "name": "新規", "amount": 1})  # a new row at the end
    assert first_visible(table.tree) == top and table.tree.selection() == (row,)
    assert table.tree.set(row, "name") == "保存した" and table.tree.get_children()[-1] == "4000"


def test_put_row_in_a_table_kept_in_the_order_given(root):
    table = DataTable(root, COLUMNS, sort_by="number")
    table.set_rows(make_rows(5)[::-1], keep_order=True)
    table.put_row({**make_rows(5)[3], "name": "変更"})
    table.put_row({"id": 9, "number": "00009", "name": "新規", "amount": 1})
    assert table.keys() == [4, 3, 2, 1, 0, 9] and table.tree.set("3", "name") == "変更"


def test_put_row_and_remove_row_above_the_rows_inserted_after_a_refresh_scrolled_down(root, table):
    pump(root, until=lambda: filled(table))
    table.tree.yview_scroll(700, "units")
    top = first_visible(table.tree)
    rows = [{"id": -1, "number": "00000-", "name": "新規", "amount": 1}, *make_rows()]
    table.set_rows(rows)  # inserted again from the row at the top of the screen; the rows above it follow
    assert "0" not in table.tree.get_children()
    table.put_row({**rows[3], "name": "上の行"})
    table.put_row({"id": -2, "number": "00000--", "name": "もう一つ", "amount": 2})
    table.remove_row(1)
    assert first_visible(table.tree) == top
    expected = sorted([{**rows[3], "name": "上の行"}, {"id": -2, "number": "00000--", "name": "もう一つ", "amount": 2},
                       *(row for row in rows if row["id"] not in (1, 2))], key=lambda row: row["number"])
    assert shown_numbers(table) == [row["number"] for row in expected]
    assert table.tree.set("2", "name") == "上の行"
