"""The fee commands of the CLI: fees bill/ledger, invoices pdf/aging/cancel/dunning, payments import."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tama_desk import cli
from tama_desk.db.engine import open_database
from tama_desk.db.models import AuditLog, BankMapping, Invoice, Member, Payment
from tama_desk.services import invoices, members, profile

REPO = Path(__file__).resolve().parent.parent
REGISTRATION = "T9234567890123"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                   reason="poppler-utils is not installed")
MEMBERS = [  # number, name, kana, category, type, payer name, extra
    ("0001", "株式会社多摩精機", "タマセイキ", "企業", "正会員", "ｶ)ﾀﾏｾｲｷ", {}),
    ("0002", "浅川電子株式会社", "アサカワデンシ", "企業", "正会員", "ｱｻｶﾜﾃﾞﾝｼ(ｶ", {}),
    ("0003", "佐藤 花子", "サトウハナコ", "個人", "賛助会員", "ｻﾄｳ ﾊﾅｺ", {}),
    ("0004", "多摩市", "タマシ", "自治体", "特別会員", "", {}),
    ("0005", "株式会社高尾技研", "タカオギケン", "企業", "正会員", "ｶ)ﾀｶｵｷﾞｹﾝ", {"status": "休会"}),
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def query(path: Path, statement):
    database = open_database(str(path))
    try:
        with database.reading() as session:
            return session.scalar(statement)
    finally:
        database.close()


def query_all(path: Path, statement) -> list:
    database = open_database(str(path))
    try:
        with database.reading() as session:
            return list(session.scalars(statement))
    finally:
        database.close()


def counts(path: Path) -> tuple[int, int, int]:
    return (query(path, select(func.count()).select_from(Invoice)),
            query(path, select(func.count()).select_from(Payment)),
            query(path, select(func.count()).select_from(AuditLog)))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "fees.sqlite3"
    database = open_database(str(path))
    with database.transaction() as session:
        profile.update_profile(session, {"name": "一般社団法人 多摩産業ネットワーク協会",
                                         "registration_number": REGISTRATION})
        for number, name, kana, category, kind, payer, extra in MEMBERS:
            members.save_member(session, {"number": number, "name": name, "kana": kana, "category": category,
                                          "membership_type": kind, "payer_name": payer, "join_date": "2020-04-01",
                                          **extra})
    database.close()
    return path


@pytest.fixture
def billed(db_path, capsys) -> Path:
    code, _out, err = run(capsys, "--db", str(db_path), "fees", "bill", "--fiscal-year", "2026",
                          "--issue-date", "2026-04-10", "--due-date", "2026-05-31")
    assert code == 0, err
    return db_path


def statement(path: Path, rows: list[tuple], header=("取引日", "振込依頼人名", "入金金額", "出金金額", "残高")) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode("cp932"))
    return path


DEPOSITS = [("2026/05/20", "ｶ)ﾀﾏｾｲｷ", "70,000", "", "1,070,000"),  # exact name and amount → 自動
            ("2026/05/21", "ｱｻｶﾜﾃﾞﾝｼ(ｶ", "69,340", "", "1,139,340"),  # transfer fee deducted → 要確認
            ("2026/05/22", "ｽｽﾞｷ ｲﾁﾛｳ", "12,345", "", "1,151,685")]  # nobody → 候補なし


# --- fees bill ------------------------------------------------------------------------------------


def test_bill_dry_run_writes_nothing(capsys, db_path):
    before = counts(db_path)
    code, out, err = run(capsys, "--db", str(db_path), "fees", "bill", "--fiscal-year", "2026", "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "請求\t0001\t株式会社多摩精機\t正会員\t70,000円\t年額",
        "請求\t0002\t浅川電子株式会社\t正会員\t70,000円\t年額",
        "請求\t0003\t佐藤 花子\t賛助会員\t30,000円\t年額",
        "対象外\t0004\t多摩市\t特別会員は年会費0円",
        "対象外\t0005\t株式会社高尾技研\t休会中",
        "2026年度: 3 件 170,000円 を請求します（確認のみ・書き込みなし）。対象外 2 件",
    ]
    assert counts(db_path) == before


def test_bill_then_bill_again(capsys, db_path):
    code, out, err = run(capsys, "--db", str(db_path), "fees", "bill", "--fiscal-year", "2026",
                         "--issue-date", "2026-04-10")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "2026年度: 3 件 170,000円 を請求しました。対象外 2 件"
    assert query_all(db_path, select(Invoice.number).order_by(Invoice.id)) == ["2026-0001", "2026-0002", "2026-0003"]
    assert query(db_path, select(func.max(Invoice.due_date))).isoformat() == "2026-05-10"

    code, out, _ = run(capsys, "--db", str(db_path), "fees", "bill", "--fiscal-year", "2026", "--issue-date",
                       "2026-04-10")
    assert code == 0
    assert out.splitlines()[-1] == "2026年度: 0 件 0円 を請求しました。対象外 5 件"
    assert out.count("請求済み") == 3
    assert query(db_path, select(func.count()).select_from(Invoice)) == 3


def test_bill_refuses_bad_input(capsys, db_path):
    before = counts(db_path)
    code, out, err = run(capsys, "--db", str(db_path), "fees", "bill", "--fiscal-year", "2026",
                         "--issue-date", "2026-04-10", "--due-date", "2026-04-01")
    assert (code, out) == (2, "") and "お支払期限" in err
    for option in ("--issue-date", "--due-date"):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(["--db", str(db_path), "fees", "bill", "--fiscal-year", "2026", option, "2026-13-01"])
        assert exit_info.value.code == 2
        assert "2026-13-01" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--db", str(db_path), "fees", "bill", "--fiscal-year", "二〇二六"])
    assert exit_info.value.code == 2
    capsys.readouterr()
    assert counts(db_path) == before


# --- invoices pdf ---------------------------------------------------------------------------------


@needs_poppler
def test_invoices_pdf(capsys, billed, tmp_path):
    out_dir, combined = tmp_path / "pdf", tmp_path / "all.pdf"
    code, out, err = run(capsys, "--db", str(billed), "invoices", "pdf", "--fiscal-year", "2026",
                         "--out", str(out_dir), "--combined", str(combined))
    assert (code, err) == (0, "")
    assert out == f"PDF 3 件を書き出しました: {out_dir}\n印刷用（まとめ）: {combined}\n"
    assert sorted(p.name for p in out_dir.iterdir()) == sorted([
        "20260410_株式会社多摩精機_70000.pdf", "20260410_浅川電子株式会社_70000.pdf", "20260410_佐藤 花子_30000.pdf"])
    text = pdf_text(combined)
    assert text.count("請求書") >= 3 and REGISTRATION in text
    for number in ("2026-0001", "2026-0002", "2026-0003"):
        assert number in text
    assert "この会費は、資産の譲渡等の対価に該当しないため消費税は不課税です。" in text
    fonts = subprocess.run(["pdffonts", str(out_dir / "20260410_株式会社多摩精機_70000.pdf")], capture_output=True,
                           text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(re.fullmatch(r"[A-Z]{6}\+IPAexGothic", row[0]) and row[-5] == "yes" for row in rows), fonts


def test_invoices_pdf_of_an_empty_year(capsys, billed, tmp_path):
    code, out, err = run(capsys, "--db", str(billed), "invoices", "pdf", "--fiscal-year", "2030", "--out",
                         str(tmp_path / "none"))
    assert (code, out) == (2, "") and "2030年度の請求書はありません" in err
    assert not (tmp_path / "none").exists()


# --- payments import ------------------------------------------------------------------------------


def test_payments_import_preview_apply_and_again(capsys, billed, tmp_path):
    file = statement(tmp_path / "meisai.csv", DEPOSITS)
    before = counts(billed)
    code, out, err = run(capsys, "--db", str(billed), "payments", "import", str(file), "--no-write-off")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("2行目\t2026-05-20\t70,000円\tｶ)ﾀﾏｾｲｷ\t→ 0001 株式会社多摩精機 2026-0001\t")
    assert lines[0].split("\t")[6] == "自動"
    assert lines[1].startswith("3行目\t2026-05-21\t69,340円\tｱｻｶﾜﾃﾞﾝｼ(ｶ\t→ 0002 浅川電子株式会社 2026-0002\t")
    assert lines[1].split("\t")[6] == "要確認"
    assert lines[2] == "4行目\t2026-05-22\t12,345円\tｽｽﾞｷ ｲﾁﾛｳ\t候補なし"
    assert lines[3] == "確認のみ（記録していません）: 自動 1 件、要確認 2 件、取込済み 0 件"
    assert counts(billed) == before

    code, out, err = run(capsys, "--db", str(billed), "payments", "import", str(file), "--apply", "--no-write-off")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "自動で消し込みました: 1 件。画面で確認が必要: 2 件"
    assert query(billed, select(func.count()).select_from(Payment)) == 1
    assert query(billed, select(Payment.amount).where(Payment.statement_ref.is_not(None))) == 70000
    with_balance = open_database(str(billed))
    with with_balance.reading() as session:
        assert invoices.balances(session, [invoices.find_by_number(session, "2026-0001").id]).popitem()[1].open == 0
    with_balance.close()

    code, out, err = run(capsys, "--db", str(billed), "payments", "import", str(file), "--apply", "--no-write-off")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "2行目\t2026-05-20\t70,000円\tｶ)ﾀﾏｾｲｷ\t取込済み（記録しません）"
    assert out.splitlines()[-1] == "自動で消し込みました: 0 件。画面で確認が必要: 2 件"
    assert query(billed, select(func.count()).select_from(Payment)) == 1


def test_payments_import_unknown_headers_needs_map(capsys, billed, tmp_path):
    rows = [("2026-05-20", "ｶ)ﾀﾏｾｲｷ", "70000")]
    file = statement(tmp_path / "bank.csv", rows, header=("処理日", "相手", "受取"))
    code, out, err = run(capsys, "--db", str(billed), "payments", "import", str(file))
    assert (code, out) == (2, "")
    assert "--map" in err and "処理日" in err

    spec = "date=処理日,amount=受取,payer=相手"
    code, out, err = run(capsys, "--db", str(billed), "payments", "import", str(file), "--map", spec)
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split("\t")[6] == "自動"
    assert query(billed, select(func.count()).select_from(BankMapping)) == 0  # a preview remembers nothing

    code, out, err = run(capsys, "--db", str(billed), "payments", "import", str(file), "--map", spec, "--apply")
    assert (code, err) == (0, "")
    assert query(billed, select(BankMapping.mapping)) == spec
    assert query(billed, select(func.count()).select_from(Payment)) == 1

    later = statement(tmp_path / "bank-next.csv", [("2026-05-25", "ｻﾄｳ ﾊﾅｺ", "30000")], header=("処理日", "相手", "受取"))
    code, out, err = run(capsys, "--db", str(billed), "payments", "import", str(later), "--apply")
    assert (code, err) == (0, "")  # the remembered mapping reads the next download of that bank
    assert out.splitlines()[0].startswith("2行目\t2026-05-25\t30,000円\tｻﾄｳ ﾊﾅｺ\t→ 0003 佐藤 花子 2026-0003")
    assert query(billed, select(func.count()).select_from(Payment)) == 2


def test_payments_import_bad_map_and_bad_rows(capsys, billed, tmp_path):
    file = statement(tmp_path / "bank.csv", [("2026-05-20", "ｶ)ﾀﾏｾｲｷ", "70000")], header=("処理日", "相手", "受取"))
    code, _out, err = run(capsys, "--db", str(billed), "payments", "import", str(file), "--map", "date=処理日,when=3")
    assert code == 2 and "date=列,amount=列,payer=列" in err
    broken = statement(tmp_path / "broken.csv", [*DEPOSITS, ("2026/05/23", "ｶ)ﾀﾏｾｲｷ", "7万", "", "")])
    code, out, err = run(capsys, "--db", str(billed), "payments", "import", str(broken), "--apply")
    assert (code, out) == (2, "")
    assert "5行目" in err and "何も記録していません" in err
    assert query(billed, select(func.count()).select_from(Payment)) == 0
    code, _out, err = run(capsys, "--db", str(billed), "payments", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "見つかりません" in err


# --- ledger, aging, cancel, dunning ---------------------------------------------------------------


def test_fees_ledger_xlsx_and_csv(capsys, billed, tmp_path):
    xlsx, csv_path = tmp_path / "ledger.xlsx", tmp_path / "ledger.csv"
    code, out, err = run(capsys, "--db", str(billed), "fees", "ledger", "--fiscal-year", "2026", "--out", str(xlsx))
    assert (code, err, out) == (0, "", f"書き出しました: {xlsx}（会費台帳 3 行）\n")
    sheet = load_workbook(xlsx).worksheets[0]
    assert [c.value for c in sheet["D"]] == ["請求書番号", "2026-0001", "2026-0002", "2026-0003", "3 件"]
    assert [c.value for c in sheet["F"]][1:4] == [70000, 70000, 30000]
    assert sheet["F5"].value == "=SUBTOTAL(9,F2:F4)"
    assert run(capsys, "--db", str(billed), "fees", "ledger", "--fiscal-year", "2026", "--out", str(csv_path))[0] == 0
    rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("cp932"))))
    assert [row[3] for row in rows] == ["請求書番号", "2026-0001", "2026-0002", "2026-0003"]
    assert [row[11] for row in rows[1:]] == ["未入金"] * 3
    code, _out, err = run(capsys, "--db", str(billed), "fees", "ledger", "--fiscal-year", "2026", "--out",
                          str(tmp_path / "ledger.ods"))
    assert code == 2 and "拡張子" in err
    assert not (tmp_path / "ledger.ods").exists()


def test_invoices_aging(capsys, billed, tmp_path):
    xlsx, csv_path = tmp_path / "aging.xlsx", tmp_path / "aging.csv"
    code, out, err = run(capsys, "--db", str(billed), "invoices", "aging", "--out", str(xlsx), "--as-of", "2026-07-15")
    assert (code, err) == (0, "")
    assert out == f"書き出しました: {xlsx}（売掛金年齢 3 件（2026-07-15 現在））\n"
    sheet = load_workbook(xlsx).worksheets[0]
    assert sheet.max_row == 5
    assert [sheet.cell(row, 6).value for row in (2, 3, 4)] == [45, 45, 45]
    assert [sheet.cell(row, 7).value for row in (2, 3, 4)] == [70000, 70000, 30000]  # 未入金額
    assert [sheet.cell(row, 10).value for row in (2, 3, 4)] == [70000, 70000, 30000]  # 31〜60日
    assert run(capsys, "--db", str(billed), "invoices", "aging", "--out", str(csv_path), "--as-of", "2026-05-01")[0] == 0
    rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("cp932"))))
    assert rows[0] == ["請求書番号", "会員番号", "請求先", "発行日", "支払期限", "経過日数", "区分", "未入金額"]
    assert rows[1] == ["2026-0001", "0001", "株式会社多摩精機", "2026-04-10", "2026-05-31", "-30", "期限内", "70000"]


def test_invoices_cancel_then_again(capsys, billed):
    code, out, err = run(capsys, "--db", str(billed), "invoices", "cancel", "2026-0002", "--reason", "宛名誤り")
    assert (code, err, out) == (0, "", "取り消しました: 2026-0002 浅川電子株式会社\n")
    assert query(billed, select(Invoice.cancel_reason).where(Invoice.number == "2026-0002")) == "宛名誤り"
    code, out, err = run(capsys, "--db", str(billed), "invoices", "cancel", "2026-0002", "--reason", "もう一度")
    assert (code, out) == (2, "") and "既に取り消され" in err
    code, _out, err = run(capsys, "--db", str(billed), "invoices", "cancel", "2026-9999", "--reason", "x")
    assert code == 2 and "2026-9999" in err
    code, _out, err = run(capsys, "--db", str(billed), "invoices", "cancel", "2026-0001", "--reason", " ")
    assert code == 2 and "理由" in err
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--db", str(billed), "invoices", "cancel", "2026-0001"])  # --reason is required
    assert exit_info.value.code == 2
    capsys.readouterr()
    assert query(billed, select(func.count()).select_from(Invoice).where(Invoice.status == "cancelled")) == 1
    # the member of the cancelled invoice is billed again by the next run, with a new number
    code, out, _ = run(capsys, "--db", str(billed), "fees", "bill", "--fiscal-year", "2026", "--issue-date",
                       "2026-04-20")
    assert code == 0 and out.splitlines()[0] == "請求\t0002\t浅川電子株式会社\t正会員\t70,000円\t年額"
    assert query_all(billed, select(Invoice.number).join(Member).where(Member.number == "0002").order_by(Invoice.id)) == [
        "2026-0002", "2026-0004"]


@needs_poppler
def test_invoices_dunning(capsys, billed, tmp_path):
    file = statement(tmp_path / "meisai.csv", DEPOSITS[:1])
    assert run(capsys, "--db", str(billed), "payments", "import", str(file), "--apply")[0] == 0
    out_dir = tmp_path / "dunning"
    code, out, err = run(capsys, "--db", str(billed), "invoices", "dunning", "--out", str(out_dir),
                         "--as-of", "2026-06-10", "--new-due-date", "2026-06-30")
    assert (code, err) == (0, "")
    assert out == f"お支払いのお願い 2 件を書き出しました: {out_dir}\n"
    files = sorted(p.name for p in out_dir.iterdir())
    assert files == ["20260610_佐藤 花子_30000.pdf", "20260610_浅川電子株式会社_70000.pdf", "督促_20260610_印刷用.pdf"]
    text = pdf_text(out_dir / "20260610_浅川電子株式会社_70000.pdf")
    assert "お支払いのお願い" in text and "2026-0002" in text and "70,000" in text
    assert "株式会社多摩精機" not in pdf_text(out_dir / "督促_20260610_印刷用.pdf")  # paid: no letter

    code, out, _ = run(capsys, "--db", str(billed), "invoices", "dunning", "--out", str(tmp_path / "early"),
                       "--as-of", "2026-05-31")
    assert (code, out) == (0, "期限を過ぎた未入金の請求書はありません\n")
    assert not (tmp_path / "early").exists()


# --- as a separate process ------------------------------------------------------------------------


def test_subprocess_bill_dry_run_and_run(db_path, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "TAMA_DESK_DB"}
    env |= {"TAMA_DESK_HOME": str(tmp_path / "home"), "PYTHONIOENCODING": "utf-8"}

    def python_m(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "tama_desk", "--db", str(db_path), *argv], cwd=REPO, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=120)

    result = python_m("fees", "bill", "--fiscal-year", "2026", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "請求\t0001\t株式会社多摩精機" in result.stdout and "対象外\t0005" in result.stdout
    assert query(db_path, select(func.count()).select_from(Invoice)) == 0
    result = python_m("fees", "bill", "--fiscal-year", "2026", "--issue-date", "2026年4月10日")
    assert result.returncode == 0, result.stderr
    assert query(db_path, select(func.count()).select_from(Invoice)) == 3
    result = python_m("invoices", "cancel", "2026-0009", "--reason", "x")
    assert result.returncode == 2 and "2026-0009" in result.stderr and "Traceback" not in result.stderr


def test_invoices_dunning_records_each_letter_and_rises_to_tokusokujo(capsys, billed, tmp_path):
    from tama_desk.db.models_feedocs import ReminderSent

    db = str(billed)
    code, out, err = run(capsys, "--db", db, "invoices", "dunning", "--out", str(tmp_path / "a"), "--as-of",
                         "2026-06-10", "--exclude", "2026-0003", "--min-amount", "1,000")
    assert (code, err, out) == (0, "", f"お支払いのお願い 2 件を書き出しました: {tmp_path / 'a'}\n")
    rows = query_all(billed, select(ReminderSent).order_by(ReminderSent.id))
    assert [(r.level, r.amount, r.sent_on.isoformat()) for r in rows] == [(1, 70000, "2026-06-10")] * 2
    code, out, err = run(capsys, "--db", db, "invoices", "dunning", "--out", str(tmp_path / "b"), "--as-of",
                         "2026-07-10", "--min-days", "20")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["うち督促状 2 件", f"お支払いのお願い 3 件を書き出しました: {tmp_path / 'b'}"]
    text = re.sub(r"\s", "", pdf_text(tmp_path / "b" / "20260710_株式会社多摩精機_70000.pdf"))
    assert "督促状" in text and "先にお支払いのお願いをお送りいたしましたが" in text
    plain = re.sub(r"\s", "", pdf_text(tmp_path / "b" / "20260710_佐藤 花子_30000.pdf".replace(" ", " ")))
    assert "督促状" not in plain
    code, out, _err = run(capsys, "--db", db, "invoices", "dunning", "--out", str(tmp_path / "c"), "--as-of",
                          "2026-07-10", "--min-amount", "100000")
    assert (code, out) == (0, "期限を過ぎた未入金の請求書はありません\n")
