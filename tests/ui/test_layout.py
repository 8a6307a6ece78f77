"""Every view and every dialog, opened for real in a 1366×720 and a 1280×672 work area (a 1366×768 laptop,
and 1920×1080 at 150 %), with demo data, a member with a very long name and many contacts: each fits, every
button is shown whole inside it, and no label or entry is squeezed below what its text needs.

The dialog list is checked against `Dialog.registry`: a new dialog without a factory here fails the test."""

from __future__ import annotations

import importlib
import pkgutil
import tkinter
from datetime import date, timedelta

import pytest
import ttkbootstrap as ttk

import tama_desk.ui
from tama_desk import i18n
from tama_desk.domain.tax import Line
from tama_desk.services import contracts, debits, grants, invoices, matching_sessions, meetings, members
from tama_desk.ui import feedback
from tama_desk.ui.widgets import ScrollFrame
from tama_desk.ui.widgets import dialog as dialog_module
from tama_desk.ui.widgets.dialog import Dialog
from tama_desk.ui.widgets.form_dialog import FormDialog
from tests.ui.conftest import pump

for module in pkgutil.walk_packages(tama_desk.ui.__path__, "tama_desk.ui."):
    importlib.import_module(module.name)  # every dialog class registers itself

from tama_desk.ui.views import (  # noqa: E402
    account_mapping_dialog,
    accounting_dialogs,
    adhoc_dialog,
    column_map_dialog,
    contract_dialogs,
    fee_dialogs,
    fee_schedule_dialog,
    grant_dialogs,
    import_dialog,
    meeting_dialogs,
    member_dialog,
    reminder_dialog,
    statement_dialog,
)

SETTINGS = [((0, 0, 1366, 720), "ja"), ((0, 0, 1280, 672), "ja"), ((0, 0, 1280, 672), "en")]
LONG_NAME = "一般社団法人 多摩地域産業振興・技術交流ネットワーク推進協議会 八王子・日野・多摩・稲城地区合同事務局"
CONTACTS = 6
ABSTRACT = {import_dialog.ImportPreviewDialog, contract_dialogs.ContractFormDialog, meeting_dialogs._SavingDialog,
            accounting_dialogs._AccountDialog, FormDialog}


@pytest.fixture
def sample(demo_db, tmp_path):
    """Ids and files the dialogs open: the long-named member with many contacts and an open invoice of theirs."""
    with demo_db.transaction() as session:
        member = members.save_member(session, {
            "name": LONG_NAME, "kana": "タマチイキサンギョウシンコウギジュツコウリュウネットワークスイシンキョウギカイ",
            "category": "support", "membership_type": "正会員", "status": "active",
            "address": "東京都八王子市明神町四丁目七番一号 ネットワークビル三階 多摩産業振興センター内",
            "contacts": [{"name": f"担当 {i}郎", "department": "産業振興部 企画調整課", "title": "課長補佐",
                          "email": f"person{i}@tama-network.example.jp", "phone": "042-600-1234",
                          "is_primary": i == 0} for i in range(CONTACTS)]})
        invoice = invoices.issue_adhoc(session, member.id, "event", "海外展開セミナー 参加費", date.today(),
                                       date.today() + timedelta(days=30),
                                       [Line("海外展開セミナー 参加費（2名）", 2, 5000, "standard_10")])
        grant_id = grants.all_grants(session)[0].id
        ids = {"member": member.id, "invoice": invoice.id, "open": invoice.total, "grant": grant_id}
        # the demo's records of the newer areas: a contract of each payment term, meetings, pairings, mandates
        for row in contracts.list_contracts(session, date.today()):
            head = contracts.detail_view(session, row.id, date.today())
            ids.setdefault(head["header"]["payment_terms"], contract_context(head))
            if head["costs"]:
                ids.setdefault("cost", head["costs"][0])
        by_kind = {}
        for row in meetings.list_meetings(session):
            by_kind.setdefault(row.kind, meetings.meeting_detail(session, row.id))
        ids["meetings"] = by_kind
        ids["item"] = next(item for item in by_kind["社員総会"].items if item.kind == "決議")
        ids["pairing"] = matching_sessions.pairing_rows(session, by_kind["商談会"].id)[0]
        ids["mandates"] = debits.mandate_rows(session)
        ids["categories"] = grants.categories(session)
    members_csv = tmp_path / "members.csv"
    members_csv.write_text("会員名,フリガナ,会員区分,会員種別\n" + f"{LONG_NAME},タマ,企業,正会員\n", encoding="utf-8-sig")
    statement = tmp_path / "statement.csv"
    statement.write_text("取引日,摘要,お預り金額,残高\n2026/11/10,ﾀﾏｿﾌﾄｳｴｱ,70000,100000\n", encoding="utf-8")
    odd = tmp_path / "odd.csv"
    odd.write_text("いつ,だれ,いくら\n2026/11/10,ﾀﾏｿﾌﾄｳｴｱ,70000\n", encoding="utf-8")
    expenses = tmp_path / "expenses.csv"
    expenses.write_text("証ひょう番号,費目,支払日,支払先,内容,支出額（税込）\nX-1,旅費,2026-06-01,多摩交通,出張,12000\n",
                        encoding="utf-8")
    costs = tmp_path / "costs.csv"
    costs.write_text("証ひょう番号,費目,支払日,支払先,内容,支出額（税込）\nC-1,旅費,2026-06-01,多摩交通,出張,12000\n",
                     encoding="utf-8")
    return ids | {"members_csv": members_csv, "statement": statement, "odd": odd, "expenses": expenses, "costs": costs}


def contract_context(detail: dict) -> dict:
    """What the 委託事業 view passes its dialogs (ContractsView._context)."""
    head = detail["header"]
    return {"contract_id": head["id"], "milestones": detail["milestones"], "payment_terms": head["payment_terms"],
            "invoiced": head["invoiced"], "amount": head["amount"], "period_end": head["period_end"],
            "period_start": head["period_start"]}


def result_lines(mandates: list[dict]) -> list[debits.ResultLine]:
    """A result file's lines for the demo's mandates: paid, failed (資金不足) and already imported."""
    outcomes = [("0", "paid"), ("1", "failed"), ("0", "already")]
    return [debits.ResultLine(f"{index:020d}", row["number"], row["name"], f"2026-{index:04d}", 12000 + index,
                              *outcomes[index % 3]) for index, row in enumerate(mandates[:12], start=1)]


def noop(*_args, **_kwargs):
    return None


def shown(dialog):
    dialog.show()
    return dialog


def loaded(dialog) -> bool:
    return getattr(dialog, "job", None) is None


FACTORIES = {
    member_dialog.MemberDialog: lambda w, s: member_dialog.MemberDialog(w, w, s["member"], on_saved=noop),
    import_dialog.MemberImportDialog: lambda w, s: import_dialog.MemberImportDialog(w, w, s["members_csv"], noop),
    fee_dialogs.InvoiceDialog: lambda w, s: fee_dialogs.InvoiceDialog(w, w, s["invoice"], on_changed=noop),
    fee_dialogs.PaymentDialog: lambda w, s: fee_dialogs.PaymentDialog(w, w, s["member"], s["invoice"], s["open"],
                                                                      on_saved=noop),
    fee_dialogs.CreditNoteDialog: lambda w, s: fee_dialogs.CreditNoteDialog(w, w, s["invoice"], "2026-0001",
                                                                            on_saved=noop),
    fee_dialogs.BillingRunDialog: lambda w, s: fee_dialogs.BillingRunDialog(w, w, date.today().year + 1, noop),
    adhoc_dialog.AdHocInvoiceDialog: lambda w, s: adhoc_dialog.AdHocInvoiceDialog(w, w, on_done=noop),
    fee_schedule_dialog.FeeScheduleDialog: lambda w, s: fee_schedule_dialog.FeeScheduleDialog(w, w, 2026),
    statement_dialog.StatementImportDialog: lambda w, s: statement_dialog.StatementImportDialog(w, w, s["statement"],
                                                                                               noop),
    reminder_dialog.ReminderReviewDialog: lambda w, s: reminder_dialog.ReminderReviewDialog(w, w, on_done=noop),
    column_map_dialog.ColumnMapDialog: lambda w, s: column_map_dialog.ColumnMapDialog(
        w, s["odd"], column_map_dialog.preview_rows(s["odd"]), "入出金明細の見出し行が見つかりません。", noop),
    grant_dialogs.GrantDialog: lambda w, s: grant_dialogs.GrantDialog(w, w, on_saved=noop),
    grant_dialogs.ExpenditureDialog: lambda w, s: grant_dialogs.ExpenditureDialog(w, w, s["grant"], on_saved=noop),
    grant_dialogs.ExpenditureImportDialog: lambda w, s: grant_dialogs.ExpenditureImportDialog(w, w, s["grant"],
                                                                                             s["expenses"], noop),
    grant_dialogs.ReallocationDialog: lambda w, s: grant_dialogs.ReallocationDialog(w, w, s["grant"], noop),
    feedback.MessageBox: lambda w, s: shown(feedback.MessageBox(
        w, "「" + LONG_NAME + "」を削除します。よろしいですか？\n請求書などの記録がある会員は削除できません（退会にしてください）。",
        "確認", ["キャンセル:secondary", "削除:danger"])),
    feedback.PromptDialog: lambda w, s: shown(feedback.PromptDialog(w, "請求書の取消",
                                                                    "2026-0001 を取り消します。理由（請求書に印字されます）:")),
    feedback.ProgressDialog: lambda w, s: feedback.ProgressDialog(w, "PDF出力"),
    contract_dialogs.ClientDialog: lambda w, s: contract_dialogs.ClientDialog(w, w, on_saved=noop),
    contract_dialogs.ContractDialog: lambda w, s: contract_dialogs.ContractDialog(w, w, on_saved=noop),
    contract_dialogs.MilestoneDialog: lambda w, s: contract_dialogs.MilestoneDialog(w, w, noop, **s["partial"]),
    contract_dialogs.DeliverableDialog: lambda w, s: contract_dialogs.DeliverableDialog(w, w, noop, **s["partial"]),
    contract_dialogs.StepDialog: lambda w, s: contract_dialogs.StepDialog(w, w, noop, step="inspect", **s["partial"]),
    contract_dialogs.InvoiceDialog: lambda w, s: contract_dialogs.InvoiceDialog(w, w, noop, **s["partial"]),
    contract_dialogs.SettleDialog: lambda w, s: contract_dialogs.SettleDialog(w, w, noop, **s["advance"]),
    contract_dialogs.SignDialog: lambda w, s: contract_dialogs.SignDialog(w, w, noop, **s["completion"]),
    contract_dialogs.CancelDialog: lambda w, s: contract_dialogs.CancelDialog(w, w, noop, **s["completion"]),
    contract_dialogs.AmendDialog: lambda w, s: contract_dialogs.AmendDialog(w, w, noop, **s["partial"]),
    contract_dialogs.CostDialog: lambda w, s: contract_dialogs.CostDialog(w, w, noop, categories=s["categories"],
                                                                          **s["partial"]),
    contract_dialogs.CostEditDialog: lambda w, s: contract_dialogs.CostEditDialog(
        w, w, noop, categories=s["categories"], cost=s["cost"], **s["partial"]),
    contract_dialogs.CostImportDialog: lambda w, s: contract_dialogs.CostImportDialog(
        w, w, s["partial"]["contract_id"], s["costs"], noop),
    meeting_dialogs.MeetingDialog: lambda w, s: meeting_dialogs.MeetingDialog(w, w, noop,
                                                                              detail=s["meetings"]["商談会"]),
    meeting_dialogs.MeetingSettingsDialog: lambda w, s: meeting_dialogs.MeetingSettingsDialog(w, w, noop),
    meeting_dialogs.ItemDialog: lambda w, s: meeting_dialogs.ItemDialog(w, w, s["meetings"]["社員総会"].id, s["item"],
                                                                        noop),
    meeting_dialogs.AmendmentDialog: lambda w, s: meeting_dialogs.AmendmentDialog(w, w, s["meetings"]["社員総会"].id,
                                                                                  noop),
    meeting_dialogs.PairingDialog: lambda w, s: meeting_dialogs.PairingDialog(w, w, s["meetings"]["商談会"].id,
                                                                              s["pairing"], noop),
    meeting_dialogs.ActionDialog: lambda w, s: meeting_dialogs.ActionDialog(w, w, s["meetings"]["理事会"].id, noop),
    meeting_dialogs.ParticipantDialog: lambda w, s: meeting_dialogs.ParticipantDialog(w, w, s["meetings"]["理事会"].id,
                                                                                      noop),
    accounting_dialogs.ClientDialog: lambda w, s: accounting_dialogs.ClientDialog(w, w.db, noop),
    accounting_dialogs.MandateDialog: lambda w, s: accounting_dialogs.MandateDialog(w, w.db, s["mandates"][0], noop),
    accounting_dialogs.ResultDialog: lambda w, s: accounting_dialogs.ResultDialog(w, result_lines(s["mandates"]), noop),
    account_mapping_dialog.AccountMappingDialog: lambda w, s: account_mapping_dialog.AccountMappingDialog(w, w, noop),
}


def test_every_dialog_has_a_factory():
    dialogs = {cls for cls in Dialog.registry if cls.__module__.startswith("tama_desk.") and cls not in ABSTRACT}
    assert dialogs - set(FACTORIES) == set(), "add the new dialog to FACTORIES"


def descendants(widget):
    for child in widget.winfo_children():
        yield child
        yield from descendants(child)


def inside_scroll_body(widget) -> bool:
    parent = widget.master
    while parent is not None:
        if isinstance(parent, ScrollFrame):
            return True
        parent = parent.master
    return False


def check_contents(top, box: tuple[int, int, int, int], area) -> list[str]:
    """What is wrong inside `top` whose usable rectangle is `box` (x, y, width, height on the screen)."""
    x0, y0, width, height = box
    problems = []
    for widget in descendants(top):
        if isinstance(widget, tkinter.Toplevel) or not widget.winfo_ismapped():
            continue
        text = widget.cget("text") if "text" in widget.keys() else ""  # noqa: SIM118 - a Tk widget, not a dict
        name = f"{widget.winfo_class()} {text!s:.30}"
        if isinstance(widget, ttk.Button | ttk.Menubutton | ttk.Checkbutton):
            x, y = widget.winfo_rootx(), widget.winfo_rooty()
            if widget.winfo_height() < widget.winfo_reqheight() or widget.winfo_width() < widget.winfo_reqwidth():
                problems.append(f"{name}: squeezed {widget.winfo_width()}x{widget.winfo_height()} "
                                f"< {widget.winfo_reqwidth()}x{widget.winfo_reqheight()}")
            if x < x0 or x + widget.winfo_width() > x0 + width or x + widget.winfo_width() > area[2]:
                problems.append(f"{name}: outside horizontally ({x}..{x + widget.winfo_width()})")
            if not inside_scroll_body(widget) and (y < y0 or y + widget.winfo_height() > y0 + height
                                                   or y + widget.winfo_height() > area[3]):
                problems.append(f"{name}: outside vertically ({y}..{y + widget.winfo_height()})")
        elif isinstance(widget, ttk.Label | ttk.Entry | ttk.Combobox) \
                and widget.winfo_width() < widget.winfo_reqwidth() - 1:
            problems.append(f"{name}: narrower than its text needs ({widget.winfo_width()} < "
                            f"{widget.winfo_reqwidth()})")
    return problems


@pytest.fixture(params=SETTINGS, ids=["1366x720", "1280x672", "1280x672-en"])
def area(request, monkeypatch):
    """The work area (and the language: English labels are longer, checked in the tighter area)."""
    work_area, language = request.param
    monkeypatch.setattr(dialog_module, "WORK_AREA", work_area)
    i18n.set_language(language)
    return work_area


@pytest.fixture
def laptop(window, area):
    window.geometry(f"{area[2]}x{area[3] - dialog_module.TITLE_BAR}+0+0")
    pump(window)
    return window


@pytest.mark.parametrize("dialog_class", list(FACTORIES), ids=lambda cls: f"{cls.__module__.rsplit('.', 1)[1]}.{cls.__name__}")
def test_dialog_fits_the_work_area(laptop, sample, area, dialog_class):
    dialog = FACTORIES[dialog_class](laptop, sample)
    pump(laptop, until=lambda: loaded(dialog) and dialog.winfo_ismapped())
    pump(laptop)
    x, y, width, height = dialog.winfo_rootx(), dialog.winfo_rooty(), dialog.winfo_width(), dialog.winfo_height()
    assert width <= area[2] and height <= area[3] - dialog_module.TITLE_BAR, (width, height)
    assert area[0] <= x and x + width <= area[0] + area[2] and area[1] <= y and y + height <= area[1] + area[3]
    problems = check_contents(dialog, (x, y, width, height), area)
    assert not problems, "\n".join(problems)
    assert dialog.main_button is None or dialog.main_button.winfo_ismapped()
    if hasattr(dialog, "job") and dialog.job is not None:
        dialog.job.cancel()
    dialog.destroy()


OWN_FIT_TEST = {"dashboard"}  # the window shell's dashboard has its own fit test (tests/ui/test_window_fit.py)


def area_keys(window) -> list[str]:
    try:
        from tama_desk.areas import all_areas  # the shell's area registry, 設定 included
    except ImportError:
        from tama_desk.ui.main_window import AREAS as LISTED

        keys = [key for key, *_rest in LISTED]
    else:
        keys = [area.key for area in all_areas()]
    return [key for key in keys if key not in OWN_FIT_TEST]


@pytest.mark.parametrize("narrow", [False, True], ids=["full", "min-width"])
def test_every_view_fits_the_window(laptop, area, narrow):
    if i18n.language() != "ja":
        laptop.rebuild()  # every label again, in English
    if narrow:
        laptop.geometry(f"1000x{area[3] - dialog_module.TITLE_BAR}+0+0")
    pump(laptop)
    for key in area_keys(laptop):
        laptop.show_view(key)
        pump(laptop)
        box = (laptop.winfo_rootx(), laptop.winfo_rooty(), laptop.winfo_width(), laptop.winfo_height())
        problems = check_contents(laptop.views[key], box, area)
        assert not problems, f"{key}:\n" + "\n".join(problems)
