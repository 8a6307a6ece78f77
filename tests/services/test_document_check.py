"""Issued documents are re-checked against the hash recorded when they were issued before they are opened,
saved or printed: a snapshot changed in the database file is refused, naming the document, and the command
line exits 1."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from tama_desk import cli
from tama_desk.services import audit, fees, invoices, payments, printing
from tests.factories import make_member


@pytest.fixture
def billed(db):
    with db.transaction() as session:
        for index in range(3):
            make_member(session, name=f"株式会社チェック{index}")
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 1))
    return db


def _tamper(db, statement: str) -> None:
    with sqlite3.connect(db.engine.url.database) as raw:
        raw.execute("DROP TRIGGER IF EXISTS invoice_frozen")
        raw.execute(statement)


def _numbers(db) -> list[str]:
    with db.reading() as session:
        return [invoices.get_invoice(session, i).number for i in (1, 2, 3)]


def test_an_intact_year_prints(billed, tmp_path):
    documents = printing.year_documents(billed, 2026)
    assert len(printing.write_pdfs(documents, tmp_path / "out").files) == 3


def test_a_changed_snapshot_is_refused_naming_the_invoice(billed, tmp_path, capsys):
    first, second, _third = _numbers(billed)
    _tamper(billed, "UPDATE invoice SET snapshot = replace(snapshot, '70000', '7000') WHERE id = 2")
    with pytest.raises(audit.TamperedDocumentError) as error:
        printing.year_documents(billed, 2026)
    assert second in str(error.value) and first not in str(error.value) and "一致しません" in str(error.value)
    with pytest.raises(audit.TamperedDocumentError), billed.reading() as session:
        invoices.checked_snapshot(session, invoices.get_invoice(session, 2))
    with billed.reading() as session:
        assert invoices.checked_snapshot(session, invoices.get_invoice(session, 1)).number == first
    out = tmp_path / "pdf"
    code = cli.main(["--db", str(billed.engine.url.database), "invoices", "pdf", "--numbers", second,
                     "--out", str(out)])
    _out, err = capsys.readouterr()
    assert code == 1 and second in err and not (out.exists() and any(out.iterdir()))


def test_a_changed_receipt_is_refused_and_found_by_audit_verify(billed):
    with billed.transaction() as session:
        payment = payments.record_payment(session, 1, date(2026, 5, 1), 70_000)
        number = printing.issue_receipt(session, payment.id).number
    assert [snapshot.number for snapshot in _receipts(billed)] == [number]
    with sqlite3.connect(billed.engine.url.database) as raw:
        raw.execute("UPDATE receipt SET snapshot = replace(snapshot, '70000', '80000')")
    with pytest.raises(audit.TamperedDocumentError, match=number):
        _receipts(billed)
    with pytest.raises(audit.TamperedDocumentError, match=number), billed.transaction() as session:
        printing.issue_receipt(session, payment.id)  # the invoice window's 領収書 button: the stored copy
    with billed.reading() as session:
        assert audit.verify(session)[2].ident == number


def _receipts(db):
    with db.reading() as session:
        return printing.year_receipts(session, 2026)
