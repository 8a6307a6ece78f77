from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from tama_desk.domain import zengin
from tama_desk.services import accounting, debits
from tama_desk.ui.views import accounting as view_module
from tama_desk.ui.views.accounting import AccountingView
from tama_desk.ui.views.accounting_dialogs import MandateDialog, ResultDialog

from .conftest import loaded, pump, show, toplevels


@pytest.fixture
def view(window):
    shown = AccountingView(window, window)
    shown.pack(fill="both", expand=True)
    shown.on_show()
    loaded(shown)
    window.update()
    return shown


def test_the_revenue_picture_answers_both_questions(view):
    assert view.figure_labels["total"][0].cget("text").endswith("円")
    assert view.figure_labels["months"][0].cget("text").endswith("か月")  # the demo sets fixed costs
    assert len(view.sources.rows) == 7
    assert view.chart.find_all()
    view.year.set("2024")
    view.year.event_generate("<<Increment>>")  # the up arrow or key: 2025, read in the background
    assert view.loader.pending
    loaded(view)
    assert [c.label for c in view.sources.columns][-1] == "2025年度"


def test_export_records_a_batch_and_an_overlap_asks_for_a_reason(view, window, dialogs, tmp_path, monkeypatch):
    target = tmp_path / "yayoi.csv"
    monkeypatch.setattr(view_module.filedialog, "asksaveasfilename", lambda **_kw: str(target))
    view.journal_form.set("start", date(2025, 4, 1))
    view.journal_form.set("end", date(2025, 6, 30))
    view.on_export()
    assert target.exists() and len(view.batches.rows) == 1
    dialogs.texts = ["訂正のため"]
    view.on_export()
    assert len(view.batches.rows) == 2
    assert any("重なります" in message for message in dialogs.messages)
    with window.db.reading() as session:
        latest = accounting.list_batches(session)[0]
        assert latest.again and latest.reason == "訂正のため"


def test_a_mandate_from_the_dialog_shows_bank_names_and_lands_in_the_list(view, window):
    dialog = MandateDialog(view, window.db, on_saved=view.refresh)
    form = dialog.form
    form.set("member", "0002")
    form.set("bank", "0001")
    form.set("branch", "001")
    window.update()
    assert "みずほ" in form.notes["branch"].cget("text")
    form.set("account", "1234567")
    form.set("holder", "きって")
    dialog.on_save()
    window.update()
    row = next(row for row in view.mandates.rows if row["number"] == "0002")
    assert (row["holder"], row["status"]) == ("ｷﾂﾃ", "applied")


def test_a_result_file_opens_the_result_dialog(view, window, dialogs, tmp_path, monkeypatch):
    request = tmp_path / "request.txt"
    monkeypatch.setattr(view_module.filedialog, "asksaveasfilename", lambda **_kw: str(request))
    debit_day = date.today() + timedelta(days=30)
    dialogs.texts = [debit_day.isoformat()]
    view.on_request()
    assert request.exists() and len(view.requests.rows) == 1
    parsed = zengin.parse(request.read_bytes(), year=zengin.next_business_day(debit_day).year)
    records = tuple(replace(r, result_code="1" if i == 0 else "0") for i, r in enumerate(parsed.records))
    failed = records[0].amount
    result = tmp_path / "result.txt"
    result.write_bytes(zengin.write(replace(parsed, records=records, done_count=len(records) - 1,
                                            done_total=parsed.total - failed, failed_count=1, failed_total=failed)))
    monkeypatch.setattr(view_module.filedialog, "askopenfilename", lambda **_kw: str(result))
    view.on_result()
    pump(window, lambda: toplevels(window, "振替結果"))
    [shown] = [w for w in window.winfo_children() if isinstance(w, ResultDialog)]
    shown.close()
    with window.db.reading() as session:
        assert len(debits.failed_open_invoice_ids(session)) == 1
    assert view.requests.rows[0]["failed"] == 1 and Path(result).exists()


def test_a_debit_date_in_the_past_is_refused_before_a_file_is_asked_for(view, window, dialogs, monkeypatch):
    asked = []
    monkeypatch.setattr(view_module.filedialog, "asksaveasfilename", lambda **_kw: asked.append(1) or "")
    with window.db.reading() as session:
        before = len(debits.requests(session))
    dialogs.texts = [(date.today() - timedelta(days=10)).isoformat()]
    view.on_request()
    assert not asked and any("過ぎています" in message for message in dialogs.messages)
    with window.db.reading() as session:
        assert len(debits.requests(session)) == before


@pytest.mark.parametrize("tab", ["revenue", "journal", "debits"])
def test_each_tab_fits_the_smallest_window(window, tab):
    from tests.ui.test_window_fit import assert_fits, descendants

    window.attributes("-zoomed", False)
    window.geometry("1000x640+0+0")
    show(window, "accounting")
    shown = window.views["accounting"]
    shown.notebook.select(shown.tabs[tab])
    pump(window, until=lambda: window.winfo_width() < 1100)
    pump(window)
    buttons = [w for w in descendants(shown.tabs[tab]) if w.winfo_class() in ("TButton", "TLabel")
               and ".!canvas." not in str(w)]  # what is inside a scrolling form may scroll
    assert buttons
    assert_fits(window, buttons)
