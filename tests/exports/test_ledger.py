from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tama_desk.db.models import Invoice, Member, Payment, PaymentAllocation
from tama_desk.domain.tax import Line
from tama_desk.exports import ledger
from tama_desk.services import fees, invoices, payments

LABELS = invoices.STATUS_LABELS
HEADERS = ["会員番号", "会員名", "会員種別", "請求書番号", "発行日", "請求額", "税区分", "返還額", "入金額", "入金日", "残高",
           "状態", "手数料差引"]


def open_sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


@pytest.fixture
def year_db(demo_db):
    """The demo's latest billed fiscal year, with one invoice cancelled, one credited and one payment reversed."""
    with demo_db.transaction() as session:
        year = session.scalar(select(func.max(Invoice.billed_year)))
        owed = invoices.balances(session)
        dues = list(session.scalars(select(Invoice).where(Invoice.billed_year == year, Invoice.kind == "invoice")
                                    .order_by(Invoice.id)))
        unpaid = [i for i in dues if owed[i.id].paid == 0]
        paid = [i for i in dues if owed[i.id].open == 0 and owed[i.id].paid > 0]
        invoices.cancel(session, unpaid[0].id, "試験: 取消")
        invoices.credit_note(session, unpaid[1].id, [Line("返還", 1, 5000, "out_of_scope")], date(year, 6, 1), "減額")
        reversed_payment = session.scalar(select(PaymentAllocation.payment_id).where(
            PaymentAllocation.invoice_id == paid[0].id))
        payments.reverse_payment(session, reversed_payment, "試験: 誤入力")
    demo_db.year = year
    demo_db.changed = {"cancelled": unpaid[0].number, "credited": unpaid[1].number, "reversed": paid[0].number}
    return demo_db


def database_totals(session, year: int) -> tuple[int, int, int]:
    billed = session.scalar(select(func.sum(Invoice.total)).where(
        Invoice.billed_year == year, Invoice.kind == "invoice", Invoice.purpose == "annual_fee",
        Invoice.status == "issued"))
    paid = session.scalar(select(func.sum(PaymentAllocation.amount))
                          .join(Payment, PaymentAllocation.payment_id == Payment.id)
                          .join(Invoice, PaymentAllocation.invoice_id == Invoice.id)
                          .where(Invoice.billed_year == year, Payment.reversed.is_(False)))
    credited = session.scalar(select(func.sum(Invoice.total)).where(Invoice.kind == "credit_note",
                                                                     Invoice.status == "issued",
                                                                     Invoice.contract_id.is_(None)))  # fees only
    return billed, paid, credited


def test_ledger_rows_for_the_demo_year(year_db):
    year = year_db.year
    with year_db.reading() as session:
        rows = fees.ledger_rows(session, year)
        billed, paid, credited = database_totals(session, year)
        dues_count = session.scalar(select(func.count()).select_from(Invoice).where(
            Invoice.billed_year == year, Invoice.kind == "invoice"))
        names = dict(session.execute(select(Member.number, Member.name)).all())
    assert len(rows) == dues_count > 200
    assert [(r.member_number, r.invoice_number) for r in rows] == sorted((r.member_number, r.invoice_number)
                                                                         for r in rows)
    assert sum(r.billed for r in rows) == billed
    assert sum(r.paid for r in rows) == paid
    assert sum(r.credited for r in rows) == credited == 5000
    by_number = {r.invoice_number: r for r in rows}
    assert (by_number[year_db.changed["cancelled"]].billed, by_number[year_db.changed["cancelled"]].status) == (
        0, "cancelled")
    assert by_number[year_db.changed["credited"]].credited == 5000
    assert (by_number[year_db.changed["reversed"]].paid, by_number[year_db.changed["reversed"]].status) == (0, "unpaid")
    assert all(r.member_name == names[r.member_number] for r in rows)
    assert {r.tax_category for r in rows} == {"out_of_scope"}
    assert {r.type_name for r in rows} <= {"正会員", "賛助会員"}
    assert {r.status for r in rows} >= {"paid", "unpaid", "cancelled"}


def test_ledger_xlsx(year_db):
    year = year_db.year
    with year_db.reading() as session:
        rows = fees.ledger_rows(session, year)
        billed, paid, credited = database_totals(session, year)
    sheet = open_sheet(ledger.ledger_xlsx(rows, year, LABELS))
    assert sheet.title == f"{year}年度 会費台帳"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    last = len(rows) + 1
    assert sheet.auto_filter.ref == f"A1:M{last}"
    assert sheet.max_row == last + 1  # the totals row below the filtered rows

    data = list(sheet.iter_rows(min_row=2, max_row=last))
    by_number = {row[3].value: row for row in data}
    for index, (cells, row) in enumerate(zip(data, rows, strict=True), start=2):
        assert [c.value for c in cells[:4]] == [row.member_number, row.member_name, row.type_name, row.invoice_number]
        assert isinstance(cells[4].value, datetime) and cells[4].value.date() == row.issue_date
        assert cells[4].is_date
        for column in (5, 7, 8, 10):
            assert cells[column].number_format == "#,##0"
        assert (cells[5].value, cells[7].value, cells[8].value) == (row.billed, row.credited, row.paid)
        assert cells[10].value == f'=IF(L{index}="取消",0,F{index}-H{index}-I{index}-M{index})'
        if row.last_paid_on:
            assert cells[9].is_date and cells[9].value.date() == row.last_paid_on
        else:
            assert cells[9].value is None
        assert cells[6].value == "不課税"
    assert sum(row[5].value for row in data) == billed
    assert sum(row[8].value for row in data) == paid
    assert sum(row[7].value for row in data) == credited
    assert by_number[year_db.changed["cancelled"]][11].value == "取消"
    assert {row[11].value for row in data} >= {"入金済", "未入金", "取消"}

    totals = [cell.value for cell in sheet[last + 1]]
    assert totals[0] == "合計" and totals[3] == f"{len(rows)} 件"
    assert totals[5] == f"=SUBTOTAL(9,F2:F{last})"
    assert totals[7] == f"=SUBTOTAL(9,H2:H{last})"
    assert totals[8] == f"=SUBTOTAL(9,I2:I{last})"
    assert totals[10] == f"=SUBTOTAL(9,K2:K{last})"
    assert sheet.cell(last + 1, 6).number_format == "#,##0" and sheet.cell(last + 1, 1).font.bold


def test_ledger_csv_is_cp932_with_the_same_rows(year_db):
    year = year_db.year
    with year_db.reading() as session:
        rows = fees.ledger_rows(session, year)
    data = ledger.ledger_csv(rows, LABELS)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))
    assert table[0] == HEADERS
    assert len(table) == len(rows) + 1
    for line, row in zip(table[1:], rows, strict=True):
        assert line[:5] == [row.member_number, row.member_name, row.type_name, row.invoice_number,
                            row.issue_date.isoformat()]
        assert [int(line[5]), int(line[7]), int(line[8])] == [row.billed, row.credited, row.paid]
        expected_balance = 0 if row.status == "cancelled" else row.billed - row.credited - row.paid
        assert int(line[10]) == expected_balance
        assert line[9] == (row.last_paid_on.isoformat() if row.last_paid_on else "")
    sheet = open_sheet(ledger.ledger_xlsx(rows, year, LABELS))  # the same rows as the workbook
    assert [line[3] for line in table[1:]] == [c.value for c in sheet["D"][1:len(rows) + 1]]


def circular_formulas(sheet) -> list[str]:
    """Formulas of the last (totals) row whose range covers that row itself: a circular reference."""
    row = sheet.max_row
    found = []
    for cell in sheet[row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            for first, second in re.findall(r"[A-Z]+(\d+):[A-Z]+(\d+)", cell.value):
                low, high = sorted((int(first), int(second)))
                if low <= row <= high:
                    found.append(cell.value)
    return found


def test_totals_formulas_do_not_cover_their_own_row(year_db):
    with year_db.reading() as session:
        rows = fees.ledger_rows(session, year_db.year)
        aging = payments.aging(session, date(year_db.year, 12, 31))
    assert circular_formulas(open_sheet(ledger.ledger_xlsx(rows, year_db.year, LABELS))) == []
    assert circular_formulas(open_sheet(ledger.aging_xlsx(aging, date(year_db.year, 12, 31)))) == []


def test_empty_ledger_csv_and_sheet_shape():
    sheet = open_sheet(ledger.ledger_xlsx([], 2030, LABELS))
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.auto_filter.ref == "A1:M2"
    assert (sheet.max_row, sheet.cell(2, 1).value, sheet.cell(2, 4).value) == (2, "合計", "0 件")
    assert ledger.ledger_csv([], LABELS).decode("cp932").splitlines() == [",".join(HEADERS)]


@pytest.mark.parametrize("sheet", ["ledger", "aging", "payments"])
def test_empty_sheets_have_no_circular_totals(sheet):
    data = {"ledger": lambda: ledger.ledger_xlsx([], 2030, LABELS), "aging": lambda: ledger.aging_xlsx([], date(2030, 1, 1)),
            "payments": lambda: ledger.payments_xlsx([], date(2030, 1, 1), payments.METHODS)}[sheet]()
    assert circular_formulas(open_sheet(data)) == []


def test_aging_xlsx(year_db):
    as_of = date(year_db.year, 12, 31)
    with year_db.reading() as session:
        rows = payments.aging(session, as_of)
    assert rows
    sheet = open_sheet(ledger.aging_xlsx(rows, as_of))
    assert sheet.title == f"売掛金年齢 {as_of:%Y-%m-%d}"
    headers = [c.value for c in sheet[1]]
    assert headers == ["請求書番号", "会員番号", "請求先", "発行日", "支払期限", "経過日数", "未入金額", "期限内", "1〜30日",
                       "31〜60日", "61〜90日", "90日超"]
    assert sheet.freeze_panes == "A2"
    last = len(rows) + 1
    assert sheet.max_row == last + 1
    for cells, row in zip(sheet.iter_rows(min_row=2, max_row=last), rows, strict=True):
        assert (cells[0].value, cells[1].value, cells[2].value) == (row.number, row.member_number, row.name)
        assert cells[3].is_date and cells[5].value == max(0, row.days_past_due)
        assert cells[6].value == row.open  # the total-open column
        amounts = [cells[c].value for c in range(7, 12)]
        assert sum(a for a in amounts if a) == row.open and len([a for a in amounts if a]) == 1
        column = 7 if row.days_past_due <= 0 else 8 if row.days_past_due <= 30 else 9 if row.days_past_due <= 60 \
            else 10 if row.days_past_due <= 90 else 11
        assert cells[column].value == row.open and cells[column].number_format == "#,##0"
    totals = [c.value for c in sheet[last + 1]]
    assert totals[2] == f"{len(rows)} 件"
    assert totals[6:] == [f"=SUBTOTAL(9,{letter}2:{letter}{last})" for letter in "GHIJKL"]  # follows the filter


@pytest.mark.parametrize(("days", "heading"), [(-3, "期限内"), (0, "期限内"), (1, "1〜30日"), (30, "1〜30日"),
                                               (31, "31〜60日"), (90, "61〜90日"), (91, "90日超")])
def test_aging_buckets_day_zero_is_not_yet_late(days, heading):
    assert ledger.aging_bucket(days) == heading


def test_payments_xlsx(year_db):
    with year_db.reading() as session:
        found = list(session.scalars(select(Payment).where(Payment.member_id.is_not(None))  # fee payments
                                     .order_by(Payment.received_on, Payment.id)))
        members = {m.id: m for m in session.scalars(select(Member))}
        rows = [(p, members[p.member_id].number, members[p.member_id].name,
                 [(a.invoice.number, a.amount) for a in p.allocations]) for p in found]
    sheet = open_sheet(ledger.payments_xlsx(rows, date(year_db.year, 12, 31), payments.METHODS))
    assert [c.value for c in sheet[1]] == ["入金日", "会員番号", "会員名", "振込名義", "方法", "入金額", "消込額",
                                           "未消込（預り）", "消込先", "取消"]
    last = len(rows) + 1
    assert sheet.max_row == last + 1
    data = list(sheet.iter_rows(min_row=2, max_row=last))
    assert sum(r[5].value for r in data) == sum(p.amount for p in found)
    reversed_rows = [r for r in data if r[9].value]
    assert [r[9].value for r in reversed_rows] == ["取消: 試験: 誤入力"]
    assert all(r[0].is_date and r[5].number_format == "#,##0" for r in data)
    assert data[0][7].value == '=IF(J2="",F2-G2,0)'
    totals = [c.value for c in sheet[last + 1]]
    assert totals[5] == f'=SUMIF(J2:J{last},"",F2:F{last})' and totals[7] == f"=SUM(H2:H{last})"
