"""`invoices credit`: a credit note per rate, refused with the numbers (issue 12)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import Invoice
from tests.test_cli_fees import billed, db_path, query, run  # noqa: F401


def test_credit_prints_the_number_last_and_refuses_a_rate_the_invoice_never_had(capsys, billed):  # noqa: F811
    db = str(billed)
    code, out, err = run(capsys, "--db", db, "invoices", "credit", "2026-0001", "--rate", "standard_10",
                         "--amount", "11000", "--reason", "誤請求")
    assert code == 2 and "課税10%" in err and "不課税" in err and out == ""
    assert query(billed, select(func.count()).select_from(Invoice).where(Invoice.kind == "credit_note")) == 0
    code, out, err = run(capsys, "--db", db, "invoices", "credit", "2026-0001", "--rate", "out_of_scope",
                         "--amount", "20,000", "--reason", "退会に伴う減額", "--date", "2026-06-01")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "2026-0004"
    code, out, err = run(capsys, "--db", db, "invoices", "credit", "2026-0001", "--rate", "out_of_scope",
                         "--amount", "50001", "--reason", "x", "--date", "2026-06-02")
    assert code == 2 and "50,001" in err and "50,000" in err and "70,000" in err and "20,000" in err
    with pytest.raises(SystemExit) as exited:
        run(capsys, "--db", db, "invoices", "credit", "2026-0001", "--rate", "bogus", "--amount", "1", "--reason", "x")
    assert exited.value.code == 2 and "standard_10" in capsys.readouterr().err
