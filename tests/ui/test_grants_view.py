import gc
import sys
import types
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import BudgetChange, Expenditure
from tama_desk.services import grants
from tama_desk.ui.views.grant_dialogs import (
    ExpenditureDialog,
    ExpenditureImportDialog,
    GrantDialog,
    ReallocationDialog,
    expand_short_date,
    next_voucher,
)
from tama_desk.ui.views.grants import GrantsView, grant_burn_rows
from tests import factories
from tests.ui.conftest import pump, toplevels

from .conftest import loaded


def make_grant(db) -> int:
    with db.transaction() as session:
        grant = factories.make_grant(
            session, name="多摩テスト交流事業", programme="", grantor="多摩市", period_end=date(2027, 3, 31),
            decided_amount=500_000, rate="1/2", budgets={"旅費": 500_000, "会議費": 300_000, "謝金": 200_000},
            decision_number="", decision_date=None, advance_paid=0, summary="")
        factories.spend(session, grant.id, "T-001", "旅費", 250_000, "2026-05-10", tax="", payee="JTB",
                        description="")
        return grant.id


@pytest.fixture(autouse=True)
def _free_tk_objects_on_the_main_thread():
    """Collect the destroyed window's Tk images here: collected later inside a worker thread, each one makes
    tkinter wait a second for a main loop and can stall a following test's background job."""
    yield
    gc.collect()


@pytest.fixture
def grant_id(demo_db):
    return make_grant(demo_db)


@pytest.fixture
def view(window, grant_id):
    view = GrantsView(window.content, window)
    window.views["dashboard"].pack_forget()
    view.pack(fill="both", expand=True)
    view.on_show()
    loaded(view)
    view.tree.selection_set(str(grant_id))
    pump(window)
    return view


def category_row(view, category: str) -> dict:
    return view.categories.set(category)


def test_the_list_shows_every_grant_with_its_spending_share(view, grant_id):
    assert len(view.tree.get_children()) == 3  # the two demo grants and ours
    row = view.tree.set(str(grant_id))
    assert row["name"] == "多摩テスト交流事業" and row["spent"] == "250,000"
    assert row["bar"].startswith("██░") and row["bar"].endswith(" 25%")  # 250,000 of a 1,000,000 budget
    assert all(view.tree.set(item, "bar").endswith("%") for item in view.tree.get_children())
    assert view.heading.cget("text") == "多摩テスト交流事業"
    assert category_row(view, "旅費")["rate"] == "50%"


def test_dashboard_rows_give_name_budget_and_spent(demo_db, grant_id):
    rows = grant_burn_rows(demo_db)
    assert ("多摩テスト交流事業", 1_000_000, 250_000) in rows and len(rows) == 3


def test_an_expenditure_typed_into_the_form_is_saved_and_the_table_follows(window, view, demo_db, grant_id):
    view.on_entry()
    dialog = toplevels(window, "支出を入力")[0]
    assert isinstance(dialog, ExpenditureDialog)
    assert dialog.form.get("voucher_number") == "T-002"  # the next number after the last voucher
    category = dialog.form.widgets["category"]
    dialog.form.vars["category"].set("3")  # the third category of the grant, typed as a number
    category.icursor("end")
    dialog.on_category_typed(SimpleNamespace(keysym="3"))
    assert dialog.form.get("category") == "謝金"
    for key, value in {"payment_date": "6/1", "payee": "多摩工科大学 佐藤 健一", "description": "セミナー講師謝金",
                       "amount": "30,000"}.items():
        dialog.form.vars[key].set(value)
    last = dialog.form.widgets["ineligible_reason"]
    last.focus_force()
    pump(window)
    last.event_generate("<Return>")  # Enter on the last field saves
    pump(window)

    with demo_db.reading() as session:
        saved = session.scalars(select(Expenditure).where(Expenditure.grant_id == grant_id,
                                                          Expenditure.voucher_number == "T-002")).one()
    assert (saved.category, saved.payment_date, saved.amount) == ("謝金", date(2026, 6, 1), 30_000)
    assert category_row(view, "謝金")["spent"] == "30,000"
    assert category_row(view, "謝金")["remaining"] == "170,000"
    assert view.tree.set(str(grant_id), "spent") == "280,000"  # its row in the list, settled again alone
    shown = {item: view.tree.set(item) for item in view.tree.get_children()}
    view.refresh()
    pump(window)
    assert {item: view.tree.set(item) for item in view.tree.get_children()} == shown  # as a full read shows it
    assert dialog.winfo_exists() and dialog.form.get("voucher_number") == "T-003"  # ready for the next one
    assert dialog.form.get("amount") == "" and dialog.form.get("payment_date") == "2026-06-01"
    assert "登録しました: T-002" in dialog.message.cget("text")
    assert len(dialog.recent.get_children()) == 1
    dialog.destroy()


def test_warnings_are_shown_in_the_form_and_do_not_block(window, view, demo_db, grant_id, dialogs):
    dialog = ExpenditureDialog(view, window, grant_id, on_saved=view.refresh)
    for key, value in {"category": "旅費", "payment_date": "2026-03-31", "payee": "JTB",
                       "amount": "300000"}.items():
        dialog.form.vars[key].set(value)
    dialog.on_save()
    pump(window)
    text = dialog.message.cget("text")
    assert "登録しました" in text and "事業期間" in text and "予算" in text
    assert not dialogs.shown  # no modal dialog in the way of the next voucher
    assert category_row(view, "旅費")["rate"] == "110%" and "danger" in view.categories.item("旅費", "tags")
    dialog.destroy()


def test_bad_input_in_the_form_names_the_field_and_saves_nothing(window, view, demo_db, grant_id):
    dialog = ExpenditureDialog(view, window, grant_id, on_saved=view.refresh)
    dialog.form.vars["amount"].set("12a")
    pump(window)
    assert "整数" in dialog.form.notes["amount"].cget("text")  # checked as typed
    dialog.form.vars["voucher_number"].set("T-001")
    assert "既に登録" in dialog.form.notes["voucher_number"].cget("text")
    dialog.on_save()
    pump(window)
    message = dialog.message.cget("text")
    assert "「支出額（税込）」" in message and "「支払先」" in message
    with demo_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Expenditure)
                              .where(Expenditure.grant_id == grant_id)) == 1
    dialog.destroy()


def test_a_reallocation_beyond_the_limit_is_refused_in_the_dialog_and_writes_nothing(window, view, demo_db,
                                                                                    grant_id, dialogs):
    view.on_reallocate()
    dialog = toplevels(window, "経費の流用")[0]
    assert isinstance(dialog, ReallocationDialog)
    dialog.form.vars["from"].set("旅費")
    dialog.form.vars["to"].set("謝金")
    dialog.form.vars["amount"].set("50,000")
    assert "上限 40,000円" in dialog.limit_label.cget("text")  # 20% of the lower planned amount, 200,000
    dialog.on_save()
    pump(window)
    refusal = dialog.error_label.cget("text")
    assert "上限 40,000円" in refusal and "変更承認" in refusal
    assert dialog.winfo_exists() and not dialogs.shown
    with demo_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(BudgetChange)
                              .where(BudgetChange.grant_id == grant_id)) == 0

    dialog.form.vars["reference"].set("多摩産第12号")  # an approved change is recorded
    dialog.on_save()
    pump(window)
    assert not dialog.winfo_exists()
    assert category_row(view, "謝金")["budget"] == "250,000"
    assert "変更承認を登録しました" in window.status.cget("text")


def test_a_new_grant_names_bad_fields_then_is_created_and_selected(window, view, demo_db, dialogs):
    view.on_new()
    dialog = toplevels(window, "補助事業の新規登録")[0]
    assert isinstance(dialog, GrantDialog)
    values = {"name": "新しい事業", "grantor": "東京都", "period_start": "2026-07-01", "period_end": "2027-02-28",
              "decided_amount": "400,000", "rate": "3/2"}
    for key, value in values.items():
        dialog.form.vars[key].set(value)
    dialog.budget_vars["広報費"][0].set("800,000")
    assert "1以下" in dialog.form.notes["rate"].cget("text")
    dialog.on_save()
    assert "「補助率」" in dialogs.messages[-1]
    dialog.form.vars["rate"].set("1/2")
    dialog.on_save()
    pump(window)
    assert not dialog.winfo_exists()
    with demo_db.reading() as session:
        created = next(grant for grant in grants.all_grants(session) if grant.name == "新しい事業")
        assert [(b.category, b.planned) for b in created.budgets] == [("広報費", 800_000)]
    assert view.grant_id == created.id and view.heading.cget("text") == "新しい事業"


def test_import_preview_lists_errors_by_row_then_a_good_file_is_imported(window, view, demo_db, grant_id,
                                                                         tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("証ひょう番号,費目,支払日,支払先,支出額（税込）\nT-010,旅費,2026-13-01,JTB,1000\n", encoding="utf-8")
    dialog = ExpenditureImportDialog(view, window, grant_id, bad, on_done=view.on_changed)
    pump(window, until=lambda: dialog.job is None)
    rows = [dialog.tree.item(item, "values") for item in dialog.tree.get_children()]
    assert rows and rows[0][0] == "2" and rows[0][1] == "支払日"
    assert str(dialog.import_button.cget("state")) == "disabled"
    dialog.on_close()

    good = tmp_path / "good.csv"
    good.write_text("証ひょう番号,費目,支払日,支払先,支出額（税込）\nT-010,会議費,2026-06-01,京王プラザ,55000\n"
                    "T-011,広報費,2026-06-02,多摩広告社,22000\n", encoding="utf-8")
    dialog = ExpenditureImportDialog(view, window, grant_id, good, on_done=view.on_changed)
    pump(window, until=lambda: dialog.job is None)
    assert len(dialog.tree.get_children()) == 2 and "注意 1 件" in dialog.summary.cget("text")
    dialog.on_import()
    pump(window, until=lambda: not dialog.winfo_exists())
    assert category_row(view, "会議費")["spent"] == "55,000"
    assert "支出 2 件 77,000円を取り込みました" in window.status.cget("text")


def test_voucher_file_is_attached_and_marked(window, view, demo_db, grant_id, tmp_path):
    scan = tmp_path / "receipt.pdf"
    scan.write_bytes(b"%PDF-1.4 receipt")
    expenditure_id = int(view.expenditures.get_children()[0])
    view.attach(expenditure_id, scan)
    assert view.expenditures.set(str(expenditure_id), "file") == "✔"
    with demo_db.reading() as session:
        assert session.get(Expenditure, expenditure_id).attachment_name == "receipt.pdf"


def test_exports_and_reports_are_written_in_the_background(window, view, grant_id, tmp_path, monkeypatch):
    listing = tmp_path / "list.csv"
    view.write_expenditures(listing, "csv")
    pump(window, until=listing.exists)
    assert "T-001" in listing.read_text(encoding="utf-8-sig")

    rendered = []
    fake = types.ModuleType("tama_desk.documents.grant_report")
    fake.render = lambda report: rendered.append(report) or b"%PDF-fake"
    monkeypatch.setitem(sys.modules, "tama_desk.documents.grant_report", fake)
    interim = tmp_path / "interim.pdf"
    view.write_report(interim, "pdf", as_of=date(2026, 5, 31))
    pump(window, until=interim.exists)
    assert interim.read_bytes() == b"%PDF-fake"
    assert rendered[0].as_of == date(2026, 5, 31) and rendered[0].header.grant_name == "多摩テスト交流事業"
    pump(window, until=lambda: not toplevels(window))
    assert "書き出しました" in window.status.cget("text")


def test_short_dates_and_voucher_numbers():
    assert expand_short_date("5/10", date(2026, 4, 1), date(2027, 3, 31)) == "2026-05-10"
    assert expand_short_date("0215", date(2026, 4, 1), date(2027, 3, 31)) == "2027-02-15"
    assert expand_short_date("2026-05-10", date(2026, 4, 1), date(2027, 3, 31)) == "2026-05-10"
    assert next_voucher("26-1-0099") == "26-1-0100" and next_voucher("領収書") == ""
