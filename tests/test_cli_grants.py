import pytest

from tama_desk.cli import main

CREATE = ["grants", "create", "--name", "海外展開支援事業", "--grantor", "関東経済産業局", "--fiscal-year", "2026",
          "--period", "2026-04-01:2027-02-28", "--decided", "1000000", "--rate", "2/3",
          "--budget", "旅費=500000", "--budget", "会議費=300000"]


@pytest.fixture
def dbfile(tmp_path):
    return str(tmp_path / "g.sqlite3")


def test_create_prints_the_new_id_and_list_shows_it(dbfile, capsys):
    assert main([*CREATE, "--db", dbfile]) == 0
    assert capsys.readouterr().out.strip() == "1"
    assert main(["grants", "list", "--db", dbfile]) == 0
    out = capsys.readouterr().out
    assert "海外展開支援事業" in out and "1,000,000円" in out


@pytest.mark.parametrize("bad", [["--rate", "3/2"], ["--budget", "宴会費=100"], ["--period", "2026-04-01"],
                                 ["--budget", "旅費=abc"]])
def test_bad_options_exit_2(dbfile, capsys, bad):
    args = list(CREATE)
    index = args.index(bad[0])
    args[index + 1] = bad[1]
    try:
        code = main([*args, "--db", dbfile])
    except SystemExit as exit_info:  # argparse rejects a malformed option itself
        code = exit_info.code
    assert code == 2
    assert capsys.readouterr().err


def test_import_expenses_dry_run_then_real_then_status(dbfile, tmp_path, capsys):
    main([*CREATE, "--db", dbfile])
    csv = tmp_path / "expenses.csv"
    csv.write_bytes("証ひょう番号,費目,支払日,支払先,内容,支出額（税込）,消費税\r\nV1,旅費,2026/05/10,JTB,渡航,110000,10000\r\n"
                    "V2,会議費,2026/03/10,会場,期間外,11000,1000\r\n".encode("cp932"))
    capsys.readouterr()
    assert main(["grants", "import-expenses", "1", str(csv), "--dry-run", "--db", dbfile]) == 0
    assert "3行目: 注意" in capsys.readouterr().out
    assert main(["grants", "status", "1", "--as-of", "2026-12-31", "--db", dbfile]) == 0
    assert "旅費\t500,000\t0\t" in capsys.readouterr().out  # the dry run wrote nothing
    assert main(["grants", "import-expenses", "1", str(csv), "--db", dbfile]) == 0
    capsys.readouterr()
    assert main(["grants", "status", "1", "--as-of", "2026-12-31", "--db", dbfile]) == 0
    out = capsys.readouterr().out
    assert "旅費\t500,000\t110,000\t390,000\t22.0%" in out
    assert "補助金見込 66,666円" in out  # 100,000 eligible (the out-of-period spend is not) × 2/3
    assert main(["grants", "import-expenses", "1", str(csv), "--db", dbfile]) == 2  # vouchers exist
    assert "V1" in capsys.readouterr().err


def test_unknown_grant_exits_2(dbfile, capsys):
    assert main(["grants", "status", "9", "--db", dbfile]) == 2
    assert "id 9" in capsys.readouterr().err
