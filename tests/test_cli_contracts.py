"""The settings / clients / contracts commands: names, options, last-line output and exit codes 0 / 2 / 1."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from tama_desk.cli import main
from tama_desk.db.engine import open_database
from tama_desk.db.models import Invoice
from tama_desk.db.models_contracts import Contract
from tama_desk.domain.invoice import DocumentSnapshot


@pytest.fixture
def run(tmp_path, capsys):
    dbfile = str(tmp_path / "c.sqlite3")

    def call(*args: str) -> tuple[int, str, str]:
        try:
            code = main([*args, "--db", dbfile])
        except SystemExit as exit_info:  # argparse rejects a malformed option itself
            code = exit_info.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call


def last_line(out: str) -> str:
    return out.strip().splitlines()[-1]


CREATE = ["contracts", "create", "--title", "八王子 City Sales in Shanghai", "--signed", "2026-04-20",
          "--period", "2026-05-01:2027-02-28", "--amount", "5,500,000", "--payment", "advance",
          "--number", "八産第123号", "--kind", "準委任"]


def test_settings_set_and_show(run):
    assert run("settings", "set", "--name", "一般社団法人 多摩産業ネットワーク協会", "--postal-code", "1920046",
               "--phone", "042-600-1234")[0] == 0
    code, out, _ = run("settings", "show")
    assert code == 0 and "一般社団法人 多摩産業ネットワーク協会" in out and "192-0046" in out
    code, _, err = run("settings", "set", "--registration-number", "T123")
    assert code == 2 and "登録番号" in err
    assert run("settings", "set")[0] == 2


def test_full_advance_flow_prints_ids_and_numbers(run, tmp_path):
    code, out, _ = run("clients", "add", "--name", "八王子市", "--kana", "ハチオウジシ", "--department", "産業振興課",
                       "--postal-code", "192-8501", "--address", "東京都八王子市元本郷町3-24-1", "--payer", "ﾊﾁｵｳｼﾞｼ")
    assert code == 0 and last_line(out) == "1"
    code, out, _ = run(*CREATE, "--client", "八王子市")
    assert code == 0 and last_line(out) == "1"
    code, out, _ = run("contracts", "milestone", "1", "--name", "中間報告", "--due", "2026-10-31", "--amount", "0")
    assert code == 0 and last_line(out) == "1"
    assert run("contracts", "deliverable", "1", "--name", "実施報告書", "--due", "2027-02-28")[0] == 0
    code, out, _ = run("contracts", "invoice", "1", "--issue-date", "2026-05-10", "--advance", "4400000")
    assert code == 0 and last_line(out) == "2026-0001"
    statement = tmp_path / "bank.csv"
    statement.write_text("取引日,摘要,お預り金額\n2026/06/01,ﾊﾁｵｳｼﾞｼ ｶｲｹｲｶﾝﾘｼﾔ,4400000\n", encoding="cp932")
    code, out, _ = run("payments", "import", str(statement), "--apply")
    assert code == 0 and "2026-0001" in out and "自動で消し込みました: 1 件" in out
    assert run("contracts", "complete", "1", "--date", "2027-02-20")[0] == 0
    code, out, _ = run("contracts", "settle", "1", "--final-amount", "4180000", "--date", "2027-03-05")
    assert code == 0 and "返還額 220,000円" in out
    code, out, _ = run("contracts", "invoice", "1", "--issue-date", "2027-03-06", "--final")
    assert code == 0 and last_line(out) == "2026-0002" and "返還請求書" in out
    code, _, err = run("contracts", "invoice", "1", "--issue-date", "2027-03-07", "--final")
    assert code == 2 and "残額がありません" in err
    code, out, _ = run("contracts", "list", "--fiscal-year", "2026")
    assert code == 0 and "八王子 City Sales in Shanghai" in out and "入金済" in out and "確定 4,180,000" in out
    out_dir = tmp_path / "pdf"
    code, out, _ = run("invoices", "pdf", "--numbers", "2026-0001,2026-0002", "--out", str(out_dir))
    assert code == 0 and len(list(out_dir.glob("*.pdf"))) == 2
    assert run("invoices", "pdf", "--numbers", "9999-0001", "--out", str(out_dir))[0] == 2
    register = tmp_path / "register.xlsx"
    assert run("contracts", "register", "--fiscal-year", "2026", "--out", str(register))[0] == 0
    assert load_workbook(register).active["J2"].value == 4_180_000  # 確定額
    for name in ("report.pdf", "report.xlsx"):
        assert run("contracts", "report", "1", "--out", str(tmp_path / name))[0] == 0
    for action in ("letter", "statement", "estimate"):
        assert run("contracts", action, "1", "--out", str(tmp_path / f"{action}.pdf"))[0] == 0
        assert (tmp_path / f"{action}.pdf").read_bytes().startswith(b"%PDF")


def test_import_costs_dry_run_and_bad_rows(run, tmp_path):
    run("clients", "add", "--name", "立川市", "--kana", "タチカワシ")
    run(*CREATE, "--client", "1")
    good = tmp_path / "costs.csv"
    good.write_text("証ひょう番号,費目,支払日,支払先,内容,支出額（税込）,消費税\nV1,旅費,2026/06/10,JTB,渡航,110000,10000\n",
                    encoding="utf-8")
    code, out, _ = run("contracts", "import-costs", "1", str(good), "--dry-run")
    assert code == 0 and "確認のみ" in out and "110,000円" in out
    assert run("contracts", "import-costs", "1", str(good))[0] == 0
    code, _, err = run("contracts", "import-costs", "1", str(good))
    assert code == 2 and "2行目" in err and "証ひょう番号" in err


def test_client_resolution_and_bad_input_exit_2(run):
    run("clients", "add", "--name", "八王子市", "--kana", "ハチオウジシ")
    run("clients", "add", "--name", "八王子市", "--kana", "ハチオウジシ", "--department", "観光課")
    code, _, err = run(*CREATE, "--client", "八王子市")
    assert code == 2 and "1 八王子市" in err and "2 八王子市" in err
    assert run(*CREATE, "--client", "M:9999")[0] == 2
    assert run(*CREATE, "--client", "どこか")[0] == 2
    assert run("clients", "add", "--name", "x", "--kana", "abc")[0] == 2  # フリガナ must be katakana
    assert run(*CREATE[:-2], "--kind", "雇用", "--client", "1")[0] == 2
    code, _, err = run(*[a if a != "2026-04-20" else "4/20" for a in CREATE], "--client", "1")
    assert code == 2 and "年から" in err  # a CLI date carries its year
    assert run(*[a if a != "5,500,000" else "5.5万" for a in CREATE], "--client", "1")[0] == 2
    assert run("contracts", "invoice", "1", "--issue-date", "2026-05-10")[0] == 2  # one of the three
    assert run("contracts", "invoice", "99", "--issue-date", "2026-05-10", "--final")[0] == 2
    assert run("contracts", "register", "--fiscal-year", "2026", "--out", "x.txt")[0] == 2


def test_a_quotation_is_signed_and_a_contract_cancelled(run):
    run("clients", "add", "--name", "町田市", "--kana", "マチダシ")
    run(*CREATE, "--client", "1")
    code, out, _ = run("contracts", "sign", "1", "--date", "2026-05-01")
    assert code == 2 or "契約済み" in out  # created with --signed: already signed
    assert run("contracts", "cancel", "1", "--date", "2026-06-01", "--reason", " ")[0] == 2
    code, out, _ = run("contracts", "cancel", "1", "--date", "2026-06-01", "--reason", "予算の不成立")
    assert code == 0 and "中止" in out
    code, out, _ = run("contracts", "list")
    assert "中止" in out
    assert run("contracts", "invoice", "1", "--issue-date", "2026-06-02", "--advance", "1000")[0] == 2


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


def test_amend_changes_amount_period_and_milestones(run, tmp_path):
    run("clients", "add", "--name", "八王子市", "--kana", "ハチオウジシ")
    create = [a if a != "advance" else "partial" for a in CREATE]
    assert run(*create, "--client", "1")[0] == 0
    for name, due in (("準備", "2026-06-30"), ("実施", "2026-10-31"), ("報告", "2027-02-28")):
        assert run("contracts", "milestone", "1", "--name", name, "--due", due, "--amount", "1,500,000")[0] == 0
    assert run("contracts", "complete", "1", "--date", "2026-06-30", "--milestone", "1")[0] == 0
    assert run("contracts", "inspect", "1", "--date", "2026-07-02", "--milestone", "1")[0] == 0
    code, out, _ = run("contracts", "invoice", "1", "--issue-date", "2026-07-05", "--milestone", "1")
    number = last_line(out)
    code, _, err = run("contracts", "amend", "1", "--date", "2026-08-01", "--reason", "見直し",
                       "--remove-milestone", "1")
    assert code == 2 and f"第1回「準備」は請求書 {number} があるため削除できません" in err
    code, out, err = run("contracts", "amend", "1", "--date", "2026-08-01", "--reason", "商談会の追加",
                         "--amount", "6,600,000", "--period", "2026-04-25:2027-03-15",
                         "--change-milestone", "2", "due=2026-11-30", "amount=2,000,000",
                         "--remove-milestone", "3",
                         "--add-milestone", "name=最終報告", "due=2027-03-15", "amount=3,100,000")
    assert code == 0, err
    assert out.splitlines()[0] == "変更契約を記録しました: 5,500,000円→6,600,000円、期間の終わり 2027-03-15"
    assert out.splitlines()[1:] == ["第2回「実施」を変更（期限 2026-10-31→2026-11-30、金額 1,500,000円→2,000,000円）",
                                    "第3回「報告」を削除（期限 2027-02-28、1,500,000円）",
                                    "第4回「最終報告」を追加（期限 2027-03-15、3,100,000円）"]
    db = open_database(str(tmp_path / "c.sqlite3"))
    with db.reading() as session:
        contract = session.get(Contract, 1)
        assert [(m.position, m.amount) for m in contract.milestones] == [(1, 1_500_000), (2, 2_000_000),
                                                                         (4, 3_100_000)]
        assert (contract.period_start, contract.amount) == (date(2026, 4, 25), 6_600_000)
    for bad in (["--add-milestone", "name=x"], ["--add-milestone", "size=3"], ["--change-milestone", "x", "name=y"],
                ["--period", "2026-04-01:2027-03-31", "--end", "2027-03-31"],
                ["--change-milestone", "2", "due=12/1"]):
        code, _, err = run("contracts", "amend", "1", "--date", "2026-08-02", "--reason", "x", *bad)
        assert code == 2, bad


def test_costs_are_listed_corrected_and_refused_once_settled(run, tmp_path):
    assert run("clients", "add", "--name", "八王子市", "--kana", "ハチオウジシ")[0] == 0
    assert run(*CREATE, "--client", "八王子市")[0] == 0
    costs = tmp_path / "costs.csv"
    (tmp_path / "scan.pdf").write_bytes(b"%PDF")
    costs.write_text("証ひょう番号,費目,支払日,支払先,支出額（税込）,消費税,証ひょうファイル\n"
                     "V-1,旅費,2026-06-01,JTB,110000,10000,scan.pdf\n", encoding="utf-8")
    assert run("contracts", "import-costs", "1", str(costs))[0] == 0
    code, out, _ = run("contracts", "costs", "1")
    assert code == 0 and out.split("\t")[:5] == ["V-1", "2026-06-01", "旅費", "JTB", "110,000円"]
    assert "証ひょうあり" in out
    code, out, _ = run("contracts", "edit-cost", "1", "V-1", "--amount", "121,000", "--tax", "11000",
                       "--payee", "JTB 多摩")
    assert code == 0 and out.splitlines() == ["経費 V-1 を修正しました", "支払先: JTB → JTB 多摩",
                                              "支出額（税込）: 110,000円 → 121,000円", "消費税: 10,000円 → 11,000円"]
    code, _, err = run("contracts", "edit-cost", "1", "V-9", "--amount", "1")
    assert code == 2 and "V-9 の経費はありません" in err
    assert run("contracts", "complete", "1", "--date", "2027-02-20")[0] == 0
    assert run("contracts", "settle", "1", "--final-amount", "5,000,000", "--date", "2027-03-01")[0] == 0
    code, _, err = run("contracts", "edit-cost", "1", "V-1", "--amount", "1")
    assert code == 2 and "精算済み（2027-03-01、確定額 5,000,000円）のため、経費 V-1 は修正できません" in err
    code, out, _ = run("contracts", "costs", "1")
    assert "121,000円" in out


def test_register_and_report_show_the_amendment_and_the_tax_category(run, tmp_path):
    assert run("clients", "add", "--name", "八王子市", "--kana", "ハチオウジシ")[0] == 0
    assert run(*CREATE, "--client", "八王子市", "--tax", "reduced_8")[0] == 0
    assert run("contracts", "amend", "1", "--date", "2026-09-01", "--reason", "対象企業の追加", "--amount",
               "6,050,000")[0] == 0
    assert run("contracts", "register", "--fiscal-year", "2026", "--out", str(tmp_path / "r.xlsx"))[0] == 0
    book = load_workbook(tmp_path / "r.xlsx")
    sheet = book.active
    assert (sheet["E2"].value, sheet["H2"].value, sheet["I2"].value) == ("軽減8%", 5_500_000, 6_050_000)
    assert sheet["Q2"].value.startswith("第1回 2026-09-01: 契約金額 5,500,000円→6,050,000円")
    assert book["変更契約"]["J2"].value == "対象企業の追加"
    assert run("contracts", "report", "1", "--out", str(tmp_path / "r.pdf"))[0] == 0
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages)
    assert "軽減8%" in text and "変更契約" in text and "対象企業の追加" in text
