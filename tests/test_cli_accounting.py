from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tama_desk.cli import main
from tama_desk.db.engine import open_database
from tama_desk.domain import zengin
from tama_desk.services import fees, members


@pytest.fixture
def dbfile(tmp_path):
    path = str(tmp_path / "a.sqlite3")
    database = open_database(path)
    with database.transaction() as session:
        for number, name, kana in (("0001", "株式会社多摩精機", "タマセイキ"), ("0002", "浅川電子株式会社", "アサカワデンシ")):
            members.save_member(session, {"number": number, "name": name, "kana": kana, "category": "企業",
                                          "membership_type": "正会員"})
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10), date(2026, 5, 31))
    database.close()
    return path


def run(*args) -> int:
    try:
        return main([*args])
    except SystemExit as exit_info:
        return exit_info.code


def test_export_then_overlap_refused_then_again(dbfile, tmp_path, capsys):
    out = tmp_path / "yayoi.csv"
    assert run("accounting", "export", "--format", "yayoi", "--from", "2026-04-01", "--to", "2026-04-30",
               "--out", str(out), "--db", dbfile) == 0
    printed = capsys.readouterr().out
    assert "バッチ 1" in printed and "仕訳 2 件" in printed and "140,000円" in printed
    assert out.read_bytes().decode("cp932").count("\r\n") == 2
    assert run("accounting", "export", "--format", "yayoi", "--from", "2026-04-10", "--to", "2026-05-31",
               "--out", str(tmp_path / "second.csv"), "--db", dbfile) == 2
    assert "バッチ 1" in capsys.readouterr().err and not (tmp_path / "second.csv").exists()
    assert run("accounting", "export", "--format", "yayoi", "--from", "2026-04-10", "--to", "2026-05-31",
               "--out", str(tmp_path / "second.csv"), "--again", "--db", dbfile) == 0
    assert "バッチ 2" in capsys.readouterr().out
    assert run("accounting", "batches", "--db", dbfile) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2


@pytest.mark.parametrize("bad", [["--format", "csv"], ["--from", "4/1"], ["--to", "2026-13-01"]])
def test_bad_options_exit_2(dbfile, tmp_path, bad):
    args = ["accounting", "export", "--format", "mf", "--from", "2026-04-01", "--to", "2026-04-30",
            "--out", str(tmp_path / "x.csv"), "--db", dbfile]
    args[args.index(bad[0]) + 1] = bad[1]
    assert run(*args) == 2


def test_the_accounts_command_flags_names_missing_from_the_software(dbfile, tmp_path, capsys):
    known = tmp_path / "known.txt"
    known.write_bytes("普通預金\r\n未収会費\r\n".encode("cp932"))
    assert run("accounting", "accounts", "--known", str(known), "--fixed-costs", "60,000,000", "--db", dbfile) == 0
    printed = capsys.readouterr()
    assert "受取会費\t会計ソフトの科目一覧にありません" in printed.out and "60,000,000円" in printed.out
    assert "受取会費" in printed.err
    assert run("accounting", "export", "--format", "mf", "--from", "2026-04-01", "--to", "2026-04-30",
               "--out", str(tmp_path / "mf.csv"), "--db", dbfile) == 2
    assert "受取会費" in capsys.readouterr().err and not (tmp_path / "mf.csv").exists()


def test_a_debit_date_in_the_past_is_refused_with_exit_2(dbfile, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("tama_desk.cli_accounting._today", lambda: date(2026, 12, 1))
    assert run("debits", "setup", "--client-code", "1234567890", "--name", "ｼﾔ)ﾀﾏｷﾖｳｶｲ", "--bank", "0001",
               "--branch", "001", "--type", "1", "--account", "1234567", "--db", dbfile) == 0
    out = tmp_path / "request.txt"
    # 2026-11-28 is a Saturday: it moves to Monday 11-30, still before today
    assert run("debits", "request", "--date", "2026-11-28", "--out", str(out), "--db", dbfile) == 2
    error = capsys.readouterr().err
    assert "2026-11-30" in error and "過ぎています" in error and not out.exists()


def test_a_debit_cycle_from_the_command_line(dbfile, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("tama_desk.cli_accounting._today", lambda: date(2026, 12, 1))
    assert run("debits", "setup", "--client-code", "1234567890", "--name", "ｼﾔ)ﾀﾏｷﾖｳｶｲ", "--bank", "0001",
               "--branch", "001", "--type", "1", "--account", "1234567", "--db", dbfile) == 0
    assert run("debits", "mandate", "0001", "--bank", "0005", "--branch", "001", "--type", "1",
               "--account", "1234", "--holder", "ｶ)ﾀﾏｾｲｷ", "--db", dbfile) == 0
    assert run("debits", "mandate", "0002", "--bank", "0009", "--branch", "015", "--type", "2",
               "--account", "7654321", "--holder", "ｱｻｶﾜﾃﾞﾝｼ(ｶ", "--db", dbfile) == 0
    assert run("debits", "mandate", "0002", "--bank", "9999", "--branch", "001", "--type", "1",
               "--account", "1", "--holder", "ﾀﾏ", "--db", dbfile) == 2
    for number in ("0001", "0002"):
        assert run("debits", "status", number, "registered", "--db", dbfile) == 0
    capsys.readouterr()
    request = tmp_path / "request.txt"
    assert run("debits", "request", "--date", "2027-01-01", "--out", str(request), "--db", dbfile) == 0
    out = capsys.readouterr().out
    assert "2027-01-04" in out and "2 件" in out and "140,000円" in out
    parsed = zengin.parse(request.read_bytes(), year=2027)
    records = (parsed.records[0], replace(parsed.records[1], result_code="1"))
    result = tmp_path / "result.txt"
    result.write_bytes(zengin.write(replace(parsed, records=records, done_count=1, done_total=70000,
                                            failed_count=1, failed_total=70000)))
    assert run("debits", "import-result", str(result), "--db", dbfile) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "入金を記録しました" in lines[0] and "資金不足" in lines[1] and "未入金のまま" in lines[1]
    assert run("debits", "import-result", str(result), "--db", dbfile) == 0
    assert capsys.readouterr().out.count("取込済み（変更なし）") == 2
    letters = tmp_path / "letters"
    assert run("debits", "transfer-requests", "--out", str(letters), "--db", dbfile) == 0
    [pdf] = list(letters.glob("*.pdf"))
    assert "浅川電子" in PdfReader(pdf).pages[0].extract_text()
    assert run("debits", "list", "--db", dbfile) == 0
    assert "登録済" in capsys.readouterr().out


def test_revenue_report_to_xlsx_and_pdf(dbfile, tmp_path, capsys):
    assert run("accounting", "accounts", "--fixed-costs", "1680000", "--db", dbfile) == 0
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    assert run("reports", "revenue", "--fiscal-year", "2026", "--out", str(xlsx), "--db", dbfile) == 0
    assert run("reports", "revenue", "--fiscal-year", "2026", "--out", str(pdf), "--db", dbfile) == 0
    sheet = load_workbook(xlsx)["収入の状況"]
    values = {row[0].value: [cell.value for cell in row[1:]] for row in sheet.iter_rows() if row[0].value}
    assert values["会費"][-1] == 140000 and values["年間固定費"][0] == 1680000
    text = PdfReader(pdf).pages[0].extract_text()
    assert "収入の状況" in text and "1.0か月" in text
    assert run("reports", "revenue", "--fiscal-year", "2026", "--out", str(tmp_path / "r.txt"), "--db", dbfile) == 2
