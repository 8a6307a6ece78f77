from openpyxl import load_workbook
from sqlalchemy import select

from tama_desk.db.models import Member
from tama_desk.domain.kana import gojuon_key
from tama_desk.services import members as members_service
from tests.ui.conftest import pump, toplevels

from .conftest import show


def members_view(window):
    show(window, "members")
    pump(window)
    return window.views["members"]


def shown_kana(view):
    return [view.tree.set(item, "kana") for item in view.tree.get_children()]


def test_lists_all_members_in_gojuon_order_with_count(window):
    view = members_view(window)
    assert len(view.tree.get_children()) == 300
    assert view.count_label.cget("text") == "300 件"
    kana = shown_kana(view)
    assert kana == sorted(kana, key=gojuon_key) and kana[0].startswith("ア")


def test_search_as_you_type_ignores_width_and_kana_kind(window):
    view = members_view(window)
    view.search_var.set("たま せいき")
    pump(window, until=lambda: len(view.tree.get_children()) < 300)
    assert shown_kana(view) and all("タマ" in k and "セイキ" in k for k in shown_kana(view))
    view.search_var.set("ﾀﾏｾｲｷ")
    pump(window, until=lambda: view.search.pending is None)
    assert "タマセイキ" in shown_kana(view)


def test_category_filter_and_sorting(window):
    view = members_view(window)
    view.category_var.set("自治体")
    view.refresh()
    names = [view.tree.set(item, "name") for item in view.tree.get_children()]
    assert len(names) == 15 and all(name.endswith("市") for name in names)
    view.on_sort("number")
    numbers = [view.tree.set(item, "number") for item in view.tree.get_children()]
    assert numbers == sorted(numbers)
    view.on_sort("number")
    assert [view.tree.set(item, "number") for item in view.tree.get_children()] == sorted(numbers, reverse=True)


def open_with_enter(window, view, member_id):
    """Enter on the member's row in the table, as the user opens one; the dialog shown."""
    view.table.select(member_id)
    window.focus_force()
    view.tree.focus_set()
    pump(window)
    view.tree.event_generate("<Return>")
    pump(window, until=lambda: toplevels(window, "会員の編集"))
    (dialog,) = toplevels(window, "会員の編集")
    return dialog


def test_edit_dialog_names_the_wrong_field_and_saves_nothing(window, demo_db, dialogs):
    view = members_view(window)
    first = view.tree.get_children()[0]
    dialog = open_with_enter(window, view, int(first))
    original_postal = dialog.vars["postal_code"].get()

    dialog.vars["postal_code"].set("12-34")
    pump(window)
    assert "郵便番号" in dialog.error_labels["postal_code"].cget("text")
    dialog.vars["address"].set("東京都八王子市 変更後")
    dialog.on_save()
    pump(window)
    assert dialogs.shown and "「郵便番号」" in dialogs.messages[-1]
    assert dialog.winfo_exists()
    with demo_db.reading() as session:
        member = session.get(Member, int(first))
        assert member.postal_code == original_postal and "変更後" not in member.address

    dialog.vars["postal_code"].set("1920046")
    pump(window)
    assert "郵便番号" not in dialog.error_labels["postal_code"].cget("text")
    dialog.on_save()
    pump(window)
    assert not dialog.winfo_exists()
    with demo_db.reading() as session:
        member = session.get(Member, int(first))
        assert member.postal_code == "192-0046" and member.address == "東京都八王子市 変更後"


def test_new_member_with_ctrl_n(window, demo_db):
    view = members_view(window)
    window.focus_force()
    view.search_entry.focus_set()
    pump(window)
    view.search_entry.event_generate("<Control-n>")
    pump(window, until=lambda: toplevels(window, "新規登録"))
    dialog = toplevels(window, "新規登録")[0]
    dialog.vars["name"].set("株式会社テスト精工")
    dialog.vars["kana"].set("てすとせいこう")
    dialog.vars["category"].set("企業")
    dialog.vars["membership_type"].set("正会員")
    dialog.add_contact_row()
    dialog.contact_rows[0]["vars"]["name"].set("試験 花子")
    dialog.on_save()
    pump(window)
    with demo_db.reading() as session:
        member = session.scalar(select(Member).where(Member.name == "株式会社テスト精工"))
        assert member.kana == "テストセイコウ" and member.number == "0301"
        assert [c.name for c in member.contacts] == ["試験 花子"] and member.contacts[0].is_primary
    assert view.selected_id() == member.id


def test_export_runs_in_background_and_writes_a_workbook(window, tmp_path):
    view = members_view(window)
    target = tmp_path / "会員名簿.xlsx"
    view.export_to(target)
    pump(window, until=target.exists)
    pump(window, until=lambda: not toplevels(window, "エクスポート"))
    sheet = load_workbook(target).active
    assert sheet.max_row == 301 and sheet["A1"].value == "会員番号"


def test_import_preview_lists_problems_and_imports_nothing(window, demo_db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("会員名,フリガナ,会員区分,会員種別,入会日\nA社,エーシャ,企業,正会員,2026/13/40\n", encoding="utf-8")
    view = members_view(window)
    from tama_desk.ui.views.import_dialog import MemberImportDialog

    dialog = MemberImportDialog(view, window, bad, on_done=view.on_saved)
    pump(window, until=lambda: dialog.job is None)
    rows = [dialog.tree.item(item, "values") for item in dialog.tree.get_children()]
    assert rows and rows[0][0] == "2" and rows[0][1] == "入会日"
    assert str(dialog.import_button.cget("state")) == "disabled"
    dialog.on_close()
    with demo_db.reading() as session:
        assert session.scalar(select(Member).where(Member.name == "A社")) is None


def test_import_preview_then_import(window, demo_db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("会員名,フリガナ,会員区分,会員種別\nB社,ビーシャ,企業,賛助会員\n", encoding="utf-8-sig")
    view = members_view(window)
    from tama_desk.ui.views.import_dialog import MemberImportDialog

    dialog = MemberImportDialog(view, window, good, on_done=view.on_saved)
    pump(window, until=lambda: str(dialog.import_button.cget("state")) == "normal")
    assert "新規 1 件" in dialog.summary.cget("text")
    dialog.on_import()
    pump(window, until=lambda: not dialog.winfo_exists())
    with demo_db.reading() as session:
        assert session.scalar(select(Member).where(Member.name == "B社")).membership_type.name == "賛助会員"
    assert "取り込みました" in window.status.cget("text")


def test_enter_in_the_search_box_runs_the_waiting_search_and_opens_the_first_match(window):
    view = members_view(window)
    window.focus_force()
    view.search_entry.focus_set()
    pump(window)
    view.search_var.set("たま せいき")  # typed: the search still waits for its pause
    assert view.search.pending is not None
    view.search_entry.event_generate("<Return>")
    pump(window, until=lambda: toplevels(window, "会員の編集"))
    dialog = toplevels(window, "会員の編集")[0]
    assert "タマ" in dialog.form.get("kana") and "セイキ" in dialog.form.get("kana")
    dialog.close()
    view.search_entry.focus_set()
    pump(window)
    view.search_entry.event_generate("<Down>")
    pump(window)
    assert window.focus_get() is view.tree


def shown_rows(view):
    view.table.flush()
    return [view.tree.item(item, "values") for item in view.tree.get_children()]


def fresh_view_rows(view):
    """What reading every row again shows: the same view's rows set anew."""
    view.refresh()
    return shown_rows(view), view.count_label.cget("text")


def test_a_saved_member_is_put_in_place_as_a_full_read_shows_it(window, demo_db):
    from tama_desk.ui.views.member_dialog import MemberDialog

    view = members_view(window)
    view.on_sort("phone")
    member_id = view.table.keys()[5]
    dialog = MemberDialog(view, window, member_id, on_saved=view.on_saved)
    dialog.vars["kana"].set("ンンテスト")  # moves to the end in 五十音 order…
    dialog.vars["phone"].set("090-0000-0000")  # …and by the phone the table is sorted by
    dialog.vars["category"].set("自治体")
    dialog.on_save()
    pump(window)
    assert view.selected_id() == member_id and view.count_label.cget("text") == "300 件"
    after_save = shown_rows(view), view.count_label.cget("text")
    assert view.tree.set(str(member_id), "kana") == "ンンテスト" and view.tree.set(str(member_id), "category") == "自治体"
    assert after_save == fresh_view_rows(view)

    view.search_var.set("たま")
    view.search.flush()
    shown = view.table.keys()
    dialog = MemberDialog(view, window, shown[0], on_saved=view.on_saved)
    dialog.vars["name"].set("株式会社改名")
    dialog.vars["kana"].set("カイメイ")
    dialog.vars["payer_name"].set("ｶｲﾒｲ")
    dialog.on_save()  # no longer matches the search: gone from the list
    pump(window)
    assert view.table.row(shown[0]) is None and len(view.rows) == len(shown) - 1
    after_save = shown_rows(view), view.count_label.cget("text")
    assert after_save == fresh_view_rows(view)

    dialog = MemberDialog(view, window, None, on_saved=view.on_saved)
    for field, value in {"name": "たま新規工業", "kana": "タマシンキコウギョウ", "category": "企業",
                         "membership_type": "正会員"}.items():
        dialog.vars[field].set(value)
    dialog.on_save()  # a new member matching the search
    pump(window)
    with demo_db.reading() as session:
        new_id = session.scalar(select(Member.id).where(Member.name == "たま新規工業"))
    assert view.selected_id() == new_id and len(view.rows) == len(shown)
    assert (shown_rows(view), view.count_label.cget("text")) == fresh_view_rows(view)


def test_clearing_the_search_shows_the_whole_list_as_read_and_reads_again_after_a_change(window, demo_db, monkeypatch):
    view = show(window, "members")
    everyone = [row.id for row in view.rows]
    view.search_var.set("株式会社")
    view.refresh()
    assert 0 < len(view.rows) < len(everyone)
    reads = []
    real = members_service.search_members
    monkeypatch.setattr(members_service, "search_members", lambda *args, **kwargs: reads.append(args) or real(*args, **kwargs))
    view.search_var.set("")
    view.refresh()
    assert [row.id for row in view.rows] == everyone and reads == []  # nothing read: the list as it was
    with demo_db.transaction() as session:
        members_service.save_member(session, {"name": "株式会社クリアテスト", "kana": "クリアテスト", "category": "企業",
                                              "membership_type": "正会員"})
    view.search_var.set("株式会社")
    view.refresh()
    view.search_var.set("")
    view.refresh()  # a commit came in between: read again, the new member in it
    assert len(reads) == 2 and len(view.rows) == len(everyone) + 1


def test_a_member_dialog_built_ahead_opens_each_member_fresh(window, demo_db, dialogs):
    """The dialog built ahead (as in the warm-up) is what Enter opens, filled with that member; typed into and
    cancelled, nothing of it is in the next member's dialog (built at the Enter), which keys drive as before."""
    from tama_desk.ui.views import member_dialog

    view = members_view(window)
    first, second = view.rows[0], view.rows[1]
    member_dialog.MemberDialog.prepare(view, window, first.id)
    spare = member_dialog._spares[window]
    assert spare.title() == "" and not spare.winfo_viewable() and not toplevels(window, "会員")

    dialog = open_with_enter(window, view, first.id)
    assert dialog is spare and dialog.winfo_viewable() and window not in member_dialog._spares
    assert dialog.member_id == first.id and dialog.vars["name"].get() == first.name
    assert window.focus_get() is dialog.entries["name"]
    postal = dialog.entries["postal_code"]
    postal.focus_set()
    postal.event_generate("<Control-a>")
    for key in ("1", "2", "minus"):
        postal.event_generate(f"<KeyPress-{key}>")
    pump(window)
    assert dialog.vars["postal_code"].get().endswith("12-") and dialog.edited
    assert "郵便番号" in dialog.error_labels["postal_code"].cget("text")
    dialogs.answer = "破棄する"
    postal.event_generate("<Escape>")  # 変更を破棄しますか？ → 破棄する
    pump(window)
    assert dialogs.shown[-1][1] == "変更を破棄しますか？" and not dialog.winfo_exists()
    with demo_db.reading() as session:
        assert session.get(Member, first.id).postal_code != dialog.vars["postal_code"].get()

    assert window not in member_dialog._spares  # one dialog built ahead, for the first member opened
    dialog = open_with_enter(window, view, second.id)
    assert dialog is not spare
    with demo_db.reading() as session:
        member = members_service.get_member(session, second.id)
        assert dialog.vars["name"].get() == member.name and dialog.vars["postal_code"].get() == member.postal_code
        assert [row["vars"]["name"].get() for row in dialog.contact_rows] == [c.name for c in member.contacts]
        shown_invoices = len(dialog.invoice_tree.get_children())
    assert not dialog.edited and window.focus_get() is dialog.entries["name"]
    assert "郵便番号" not in dialog.error_labels["postal_code"].cget("text")
    assert str(dialog.entries["postal_code"].cget("style")) in ("", "TEntry")  # no red mark left
    assert shown_invoices == len(dialog.invoice_table.rows)
    dialog.entries["name"].event_generate("<Tab>")
    pump(window)
    assert window.focus_get() is dialog.entries["kana"]
    dialog.entries["kana"].event_generate("<Control-s>")  # saved unchanged: closes, the row put in place
    pump(window)
    assert not dialog.winfo_exists() and view.table.selected() == second.id


def test_the_members_view_read_unseen_builds_a_member_dialog_ahead(window):
    from tama_desk.ui.views import member_dialog

    window.prepare("members")  # the warm-up's step: built hidden, rows read in the background
    view = window.views["members"]
    pump(window, until=lambda: window in member_dialog._spares)
    assert view.rows and not toplevels(window, "会員")
