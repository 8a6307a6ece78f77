from __future__ import annotations

import io
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tama_desk import __version__, cli, i18n
from tama_desk.db.engine import open_database
from tama_desk.db.models import Member
from tama_desk.exports.members_io import COLUMNS

HEADERS = [column.header for column in COLUMNS]
GOOD_CSV = "会員番号,会員名,フリガナ,会員区分,会員種別,入会日\r\n,株式会社テスト,てすと,企業,正会員,2026-04-01\r\n"
BAD_CSV = GOOD_CSV + ",浅川電子,あさかわでんし,企業,正会員,2026-13-01\r\n"
REPO = Path(__file__).resolve().parent.parent


def member_count(path: Path) -> int:
    database = open_database(str(path))
    try:
        with database.reading() as session:
            return session.scalar(select(func.count()).select_from(Member))
    finally:
        database.close()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "cli.sqlite3"


@pytest.fixture
def demo_path(db_path, capsys) -> Path:
    assert run(capsys, "--db", str(db_path), "demo", "--count", "20")[0] == 0
    return db_path


def test_init_creates_the_default_database(capsys, _isolated_home):
    code, out, err = run(capsys, "init")
    default = Path(_isolated_home) / "tama_desk.sqlite3"
    assert (code, err) == (0, "")
    assert out == f"データベース: sqlite:///{default.resolve()}\n"
    assert default.is_file()


def test_demo_twice(capsys, db_path):
    code, out, _ = run(capsys, "--db", str(db_path), "demo", "--count", "12")
    assert code == 0 and out.startswith("デモデータを読み込みました: 会員 12 件、請求書 ")
    for label in ("入金", "補助事業", "支出"):  # every area's records are named, with their numbers
        assert f"、{label} " in out
    code, out, err = run(capsys, "--db", str(db_path), "demo")
    assert (code, out) == (2, "")
    assert "既に登録" in err
    assert member_count(db_path) == 12


def test_import_bad_file_names_line_and_field(capsys, db_path, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV, encoding="utf-8-sig")
    code, out, err = run(capsys, "members", "import", str(path), "--db", str(db_path))
    assert (code, out) == (2, "")
    assert "3行目" in err and "「入会日」" in err
    assert "2行目" not in err
    assert member_count(db_path) == 0


def test_import_dry_run_writes_nothing(capsys, db_path, tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    code, out, err = run(capsys, "--db", str(db_path), "members", "import", "--dry-run", str(path))
    assert (code, err) == (0, "")
    assert out == "2行目: 新規 0001 株式会社テスト\n確認のみ（書き込みなし）: 新規 1 件、更新 0 件\n"
    assert member_count(db_path) == 0


def test_import_then_reimport(capsys, db_path, tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(GOOD_CSV, encoding="cp932")
    code, out, _ = run(capsys, "--db", str(db_path), "members", "import", str(path))
    assert (code, out) == (0, "2行目: 新規 0001 株式会社テスト\n取り込みました: 新規 1 件、更新 0 件\n")
    path.write_text(GOOD_CSV.replace("\r\n,", "\r\n0001,"), encoding="cp932")
    code, out, _ = run(capsys, "--db", str(db_path), "members", "import", str(path))
    assert (code, out) == (0, "2行目: 更新 0001 株式会社テスト\n取り込みました: 新規 0 件、更新 1 件\n")
    assert member_count(db_path) == 1


def test_import_missing_file(capsys, db_path, tmp_path):
    code, _, err = run(capsys, "--db", str(db_path), "members", "import", str(tmp_path / "none.csv"))
    assert code == 2 and "ファイルが見つかりません" in err


@pytest.mark.parametrize("where", ["before", "middle", "after"])
def test_db_option_anywhere(capsys, demo_path, tmp_path, where):
    target = str(tmp_path / "out.xlsx")
    argv = {"before": ["--db", str(demo_path), "members", "export", target],
            "middle": ["members", "--db", str(demo_path), "export", target],
            "after": ["members", "export", target, "--db", str(demo_path)]}[where]
    code, out, _ = run(capsys, *argv)
    assert (code, out) == (0, f"書き出しました: {target}\n")
    sheet = load_workbook(target).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 21


def test_export_csv_encodings(capsys, demo_path, tmp_path):
    utf8, sjis = tmp_path / "m.csv", tmp_path / "m-sjis.csv"
    assert run(capsys, "--db", str(demo_path), "members", "export", str(utf8))[0] == 0
    assert run(capsys, "--db", str(demo_path), "members", "export", "--cp932", str(sjis))[0] == 0
    assert utf8.read_bytes().startswith(b"\xef\xbb\xbf")
    text = utf8.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADERS)
    assert len(text.splitlines()) == 21
    assert sjis.read_bytes().decode("cp932") == text


def test_export_bad_extension(capsys, demo_path, tmp_path):
    code, _, err = run(capsys, "--db", str(demo_path), "members", "export", str(tmp_path / "m.ods"))
    assert code == 2 and "拡張子" in err
    assert not (tmp_path / "m.ods").exists()


def test_tama_desk_db_env(capsys, demo_path, tmp_path, monkeypatch, _isolated_home):
    monkeypatch.setenv("TAMA_DESK_DB", str(demo_path))
    target = tmp_path / "env.csv"
    assert run(capsys, "members", "export", str(target))[0] == 0
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 21
    assert not (Path(_isolated_home) / "tama_desk.sqlite3").exists()


def test_template(capsys, tmp_path, _isolated_home):
    xlsx, csv_file = tmp_path / "t.xlsx", tmp_path / "t.csv"
    assert run(capsys, "members", "template", str(xlsx))[0] == 0
    assert run(capsys, "members", "template", str(csv_file))[0] == 0
    sheet = load_workbook(xlsx).active
    assert [cell.value for cell in sheet[1]] == HEADERS and sheet.max_row == 1
    assert csv_file.read_bytes().decode("utf-8-sig") == ",".join(HEADERS) + "\r\n"
    assert not (Path(_isolated_home) / "tama_desk.sqlite3").exists()  # no database needed


SELF_TEST_OUTPUT = ("self-test xlsx: ok\nself-test bank codes: ok\n"
                    "self-test pool: 8 PDFs by 2 worker processes, same bytes\nself-test ok\n")


def test_self_test_in_process(capsys, _isolated_home):
    code, out, _ = run(capsys, "self-test")
    assert (code, out) == (0, SELF_TEST_OUTPUT)
    assert not (Path(_isolated_home) / "tama_desk.sqlite3").exists()


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["bogus"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_members_needs_an_action(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["members"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    "argv", [[], ["gui"], ["init"], ["demo"], ["self-test"], ["members"], ["members", "import"], ["members", "export"],
             ["members", "template"]],
)
def test_help(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*argv, "--help"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("usage: python -m tama_desk")


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"TAMA Desk {__version__}\n"


@pytest.mark.logs_errors
def test_internal_error_exits_1(capsys, db_path, monkeypatch):
    def broken(session, count, **_options):
        raise RuntimeError("boom")

    monkeypatch.setattr("tama_desk.services.demo.load_demo", broken)
    code, out, err = run(capsys, "--db", str(db_path), "demo")
    assert (code, out) == (1, "")
    assert "エラー: boom" in err


def test_interrupt_exits_1(capsys, db_path, monkeypatch):
    def interrupted(session, count, **_options):
        raise KeyboardInterrupt

    monkeypatch.setattr("tama_desk.services.demo.load_demo", interrupted)
    code, _, err = run(capsys, "--db", str(db_path), "demo")
    assert code == 1 and "中断しました" in err


def test_lang_option_sets_the_language(capsys, db_path):
    assert run(capsys, "--lang", "en", "--db", str(db_path), "init")[0] == 0
    assert i18n.language() == "en"  # the autouse fixture puts it back


@pytest.mark.parametrize("argv", [[], ["gui"]])
def test_no_command_opens_the_window(monkeypatch, argv):
    calls = []
    fake = types.ModuleType("tama_desk.app")
    fake.run_app = lambda db: calls.append(db) or 0
    monkeypatch.setitem(sys.modules, "tama_desk.app", fake)
    assert cli.main([*argv, "--db", "x.sqlite3"]) == 0
    assert calls == ["x.sqlite3"]


# --- as a separate process, the way users and the installer run it --------------------------------------


def python_m(home: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "TAMA_DESK_DB"}
    env |= {"TAMA_DESK_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "tama_desk", *argv], cwd=REPO, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_subprocess_import_and_export(tmp_path):
    home = tmp_path / "home"
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8-sig")
    result = python_m(home, "members", "import", str(bad))
    assert result.returncode == 2, result.stderr
    assert "3行目" in result.stderr and "「入会日」" in result.stderr
    assert "Traceback" not in result.stderr

    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8-sig")
    assert python_m(home, "members", "import", str(good)).returncode == 0
    out = tmp_path / "out.csv"
    result = python_m(home, "members", "export", str(out))
    assert result.returncode == 0, result.stderr
    assert "株式会社テスト" in out.read_text(encoding="utf-8-sig")
    assert (home / "tama_desk.sqlite3").is_file()


def test_subprocess_self_test(tmp_path):
    result = python_m(tmp_path / "home", "self-test")  # the pool's workers are started by `python -m tama_desk`
    assert (result.returncode, result.stdout) == (0, SELF_TEST_OUTPUT), result.stderr


def test_subprocess_usage_error(tmp_path):
    result = python_m(tmp_path / "home", "bogus")
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_export_reads_back_as_a_table(capsys, demo_path, tmp_path):
    target = tmp_path / "m.xlsx"
    run(capsys, "--db", str(demo_path), "members", "export", str(target))
    rows = list(load_workbook(io.BytesIO(target.read_bytes())).active.iter_rows(min_row=2, values_only=True))
    assert sorted(row[0] for row in rows) == [f"{n:04d}" for n in range(1, 21)]
