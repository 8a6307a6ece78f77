"""`contracts create --tax CODE` and `contracts amend` with milestone changes: options, output, exit codes."""

from __future__ import annotations

from tama_desk.db.models import Invoice
from tama_desk.db.models_contracts import Contract
from tama_desk.domain.invoice import DocumentSnapshot
from tests.conftest import open_database
from tests.test_cli_contracts import CREATE, last_line, run  # noqa: F401  (run is the fixture)


def test_create_with_a_tax_category_and_its_invoice_follows(run, tmp_path):
    run("clients", "add", "--name", "八王子市", "--kana", "ハチオウジシ")
    create = [a if a != "advance" else "completion" for a in CREATE]
    code, out, _ = run(*create, "--client", "1", "--tax", "reduced_8")
    assert code == 0 and last_line(out) == "1"
    assert run("contracts", "complete", "1", "--date", "2027-02-20")[0] == 0
    assert run("contracts", "inspect", "1", "--date", "2027-02-25")[0] == 0
    code, out, _ = run("contracts", "invoice", "1", "--issue-date", "2027-03-01", "--final")
    assert code == 0
    db = open_database(str(tmp_path / "c.sqlite3"))
    with db.reading() as session:
        contract = session.get(Contract, 1)
        assert (contract.tax_category, contract.tax_amount) == ("reduced_8", 5_500_000 * 8 // 108)
        invoice = session.query(Invoice).one()
        [total] = DocumentSnapshot.from_json(invoice.snapshot).totals
        assert (total.tax_category, total.tax, total.gross) == ("reduced_8", 5_500_000 * 8 // 108, 5_500_000)


def test_tax_codes_default_and_bad_code(run, tmp_path):
    run("clients", "add", "--name", "立川市", "--kana", "タチカワシ")
    assert run(*CREATE, "--client", "1")[0] == 0  # default standard_10
    assert run(*CREATE, "--client", "1", "--tax", "out_of_scope")[0] == 0
    assert run(*CREATE, "--client", "1", "--tax", "exempt", "--tax-amount", "0")[0] == 0
    assert run(*CREATE, "--client", "1", "--tax", "500,000")[0] == 0  # a yen amount: the stated tax, as before
    code, _, err = run(*CREATE, "--client", "1", "--tax", "standard_8")
    assert code == 2 and "reduced_8" in err
    db = open_database(str(tmp_path / "c.sqlite3"))
    with db.reading() as session:
        found = [(c.tax_category, c.tax_amount) for c in session.query(Contract).order_by(Contract.id)]
    assert found == [("standard_10", 500_000), ("out_of_scope", 0), ("exempt", 0), ("standard_10", 500_000)]
