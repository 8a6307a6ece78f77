"""`receipts pdf`: issues what is not yet issued, one PDF per receipt, named like the invoices."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tama_desk.db.engine import open_database
from tama_desk.db.models import Member
from tama_desk.db.models_receipts import Receipt
from tama_desk.services import payments
from tests.test_cli_fees import billed, db_path, query, run  # noqa: F401  (fixtures)


def pay(path, number: str, amount: int, day: date) -> None:
    database = open_database(str(path))
    try:
        with database.transaction() as session:
            member = session.scalar(select(Member).where(Member.number == number))
            payments.record_payment(session, member.id, day, amount)
    finally:
        database.close()


def test_receipts_pdf_issues_once_and_writes_one_file_each(capsys, billed, tmp_path):  # noqa: F811
    pay(billed, "0001", 70000, date(2026, 5, 1))
    pay(billed, "0002", 35000, date(2026, 5, 2))
    out = tmp_path / "receipts"
    code, text, err = run(capsys, "--db", str(billed), "receipts", "pdf", "--fiscal-year", "2026", "--out", str(out))
    assert (code, err) == (0, "")
    assert text == f"領収書を新たに 2 件発行しました。PDF 2 件を書き出しました: {out}\n"
    assert sorted(path.name for path in out.iterdir()) == ["20260501_株式会社多摩精機_70000.pdf",
                                                            "20260502_浅川電子株式会社_35000.pdf"]
    code, text, _err = run(capsys, "--db", str(billed), "receipts", "pdf", "--fiscal-year", "2026", "--out",
                           str(tmp_path / "again"), "--member", "0002")
    assert code == 0 and "新たに 0 件" in text and "PDF 1 件" in text
    assert query(billed, select(func.count()).select_from(Receipt)) == 2
    code, _text, err = run(capsys, "--db", str(billed), "receipts", "pdf", "--fiscal-year", "2026", "--out",
                           str(tmp_path / "x"), "--member", "9999")
    assert code == 2 and "9999" in err


def test_a_receipt_issued_before_receipts_were_hashed_is_named_as_unchecked(capsys, billed, tmp_path):  # noqa: F811
    from tama_desk.db.models import Payment
    from tama_desk.services import audit, printing

    pay(billed, "0001", 70000, date(2026, 5, 1))
    pay(billed, "0002", 35000, date(2026, 5, 2))
    code, text, _err = run(capsys, "--db", str(billed), "receipts", "pdf", "--fiscal-year", "2026", "--member", "0001",
                           "--out", str(tmp_path / "first"))
    assert code == 0 and "発行時の記録なし" not in text  # hashed when issued
    database = open_database(str(billed))
    try:
        with database.transaction() as session:  # what an older version wrote: a receipt without its issue entry
            first = session.scalar(select(Receipt))
            second = session.scalar(select(Payment).where(Payment.amount == 35000))
            session.add(Receipt(number="R2026-0002", fiscal_year=2026, sequence=2, payment_id=second.id,
                                member_id=second.member_id, issue_date=date(2026, 5, 2), amount=35000,
                                snapshot=first.snapshot.replace("R2026-0001", "R2026-0002")))
        with database.reading() as session:
            assert printing.unchecked_receipts(session, fiscal_year=2026) == ["R2026-0002"]
            assert printing.unchecked_receipts(session, payment_id=second.id) == ["R2026-0002"]
            assert audit.tampered(session, "receipt", [first.id]) == []
    finally:
        database.close()
    code, text, _err = run(capsys, "--db", str(billed), "receipts", "pdf", "--fiscal-year", "2026", "--out",
                           str(tmp_path / "all"))
    assert code == 0
    assert "うち発行時の記録なし（この版より前の発行で、改ざんの確認ができません） 1 件: R2026-0002" in text
