"""The meetings and actions commands: names, options, output and exit codes as the issue fixes them."""

import pytest

from tama_desk.cli import main
from tama_desk.db.engine import open_database
from tests.factories import make_member, pdf_text

BOARD = ("氏名,役職,会員番号,出欠,委任先,議決権数,入室,退室\n山本 一郎,代表理事,,出席,,,,\n佐藤 健一,理事,,出席,,,,\n"
         "鈴木 花子,理事,,Web出席,,,,\n高橋 誠,理事,,出席,,,10:30,\n田中 裕子,理事,,委任状,山本 一郎,,,\n"
         "伊藤 隆,理事,,出席,,,,\n加藤 浩二,監事,,出席,,,,\n")


@pytest.fixture
def dbfile(tmp_path):
    return str(tmp_path / "m.sqlite3")


def run(capsys, *args):
    try:
        code = main([*args])
    except SystemExit as exit_info:
        code = exit_info.code
    out = capsys.readouterr()
    return code, out.out, out.err


def create_board(dbfile, capsys, tmp_path):
    code, out, _ = run(capsys, "meetings", "create", "--db", dbfile, "--kind", "理事会", "--title", "第1回理事会",
                       "--start", "2026-05-20 10:00", "--end", "12:00", "--place", "本部会議室",
                       "--online", "Web会議システム（Zoom）", "--chair", "山本 一郎", "--recorder", "吉田 恵")
    assert code == 0
    meeting = out.strip().splitlines()[-1]
    assert meeting == "1"
    path = tmp_path / "board.csv"
    path.write_text(BOARD, encoding="utf-8")
    code, out, _ = run(capsys, "meetings", "import-attendees", "--db", dbfile, meeting, str(path))
    assert code == 0 and "田中 裕子: 理事会では委任状は出席にも議決にも数えません" in out and "7 名" in out
    return meeting


def test_board_from_create_to_minutes(dbfile, capsys, tmp_path):
    meeting = create_board(dbfile, capsys, tmp_path)
    code, out, _ = run(capsys, "meetings", "item", "--db", dbfile, meeting, "--title", "事業計画承認の件", "--kind", "決議",
                       "--result", "承認", "--summary", "議長より説明があった。")
    assert code == 0 and "理事 6名中 出席 5名" in out
    code, _out, err = run(capsys, "meetings", "item", "--db", dbfile, meeting, "--title", "取引承認の件", "--kind", "決議",
                          "--result", "可決", "--for", "1", "--interested", "佐藤 健一", "--at", "10:15")
    assert code == 2 and "5名中 出席 3名" in err and "賛成 1名" in err  # 高橋 not yet in, 佐藤 excluded
    code, out, _ = run(capsys, "meetings", "check", "--db", dbfile, meeting)
    assert code == 0 and "会議の定足数: 議決に加わることができる理事 6名中 出席 4名" in out
    assert "第1号議案 事業計画承認の件（承認）" in out
    pdf = tmp_path / "minutes.pdf"
    code, out, _ = run(capsys, "meetings", "minutes", "--db", dbfile, meeting, "--out", str(pdf))
    assert code == 0 and pdf.exists()
    text = pdf_text(pdf.read_bytes())
    for expected in ("第1回理事会 議事録", "理事総数 6名中 出席 5名", "Web会議システム（Zoom）", "Web出席: 鈴木 花子",
                     "事業計画承認の件", "出席理事全員異議なく、原案どおり承認した",
                     "以上の決議を明確にするため、議長及び出席理事・監事は次に記名押印する。", "保存期限 2036年5月20日"):
        assert expected in text, expected
    assert run(capsys, "meetings", "status", "--db", dbfile, meeting, "議事録確定")[0] == 0
    code, _out, err = run(capsys, "meetings", "item", "--db", dbfile, meeting, "--title", "追加", "--kind", "報告")
    assert code == 2 and "確定済み" in err


def test_check_exits_2_when_incomplete(dbfile, capsys, tmp_path):
    meeting = create_board(dbfile, capsys, tmp_path)
    run(capsys, "meetings", "item", "--db", dbfile, meeting, "--title", "報告", "--kind", "報告")
    code, out, _ = run(capsys, "meetings", "check", "--db", dbfile, meeting)
    assert code == 2 and "不足: 報告事項1 報告: 議事の経過の要領" in out


@pytest.mark.parametrize("bad", [["--kind", "飲み会"], ["--start", "2026-05-20"], ["--start", "5/20 10:00"],
                                 ["--end", "25:00"]])
def test_bad_create_options_exit_2(dbfile, capsys, bad):
    args = ["meetings", "create", "--db", dbfile, "--kind", "理事会", "--title", "x", "--start", "2026-05-20 10:00",
            "--place", "会議室"]
    if bad[0] in args:
        args[args.index(bad[0]) + 1] = bad[1]
    else:
        args += bad
    assert run(capsys, *args)[0] == 2


def test_unknown_meeting_exits_2(dbfile, capsys):
    code, _out, err = run(capsys, "meetings", "check", "--db", dbfile, "42")
    assert code == 2 and "見つかりません" in err


def test_pairs_summary_and_actions(dbfile, capsys, tmp_path):
    db = open_database(dbfile)
    with db.transaction() as session:
        numbers = [make_member(session).number for _ in range(2)]
    db.close()
    code, out, _ = run(capsys, "meetings", "create", "--db", dbfile, "--kind", "商談会", "--title", "ミラノ商談会",
                       "--start", "2026-10-20 10:00", "--place", "ミラノ", "--country", "イタリア")
    meeting = out.strip().splitlines()[-1]
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("会員番号,相手企業,国,時刻,結果,金額,フォロー期限,メモ\n"
                     f"{numbers[0]},Meccanica,,10:00,見積・サンプル依頼,,2026-11-05,\n"
                     f"{numbers[0]},Ottica,,10:40,連携継続希望,,,\n{numbers[1]},Ceramica,,10:00,成約,800000,,\n",
                     encoding="utf-8")
    code, out, _ = run(capsys, "meetings", "import-pairs", "--db", dbfile, meeting, str(pairs))
    assert code == 0 and "商談 3 件" in out
    xlsx = tmp_path / "summary.xlsx"
    code, out, _ = run(capsys, "meetings", "summary", "--db", dbfile, meeting, "--out", str(xlsx))
    lines = out.splitlines()
    assert code == 0
    assert lines[:9] == ["見積・サンプル依頼\t1", "自社ブランド販売希望\t0", "連携継続希望\t1", "成約\t1", "見送り\t0",
                         "その他\t0", "参加会員企業\t2", "相手企業\t3", "商談件数\t3"]
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    assert book["商談一覧"]["D2"].value == "Meccanica" and book["集計"]["B5"].value == 1
    code, out, _ = run(capsys, "actions", "list", "--db", dbfile, "--as-of", "2026-11-10", "--overdue")
    assert code == 0
    (line,) = out.splitlines()
    due, owner, what, source = line.split("\t")
    assert (due, owner, source) == ("2026-11-05", "事務局", "商談会 2026-10-20 ミラノ商談会")
    assert what.startswith("フォローアップ: ") and what.endswith("× Meccanica（見積・サンプル依頼）")
    code, out, _ = run(capsys, "actions", "list", "--db", dbfile, "--as-of", "2026-11-10")
    assert len(out.splitlines()) == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("会員番号,相手企業\n0000,\n", encoding="utf-8")
    code, _out, err = run(capsys, "meetings", "import-pairs", "--db", dbfile, meeting, str(bad))
    assert code == 2 and "2行目 「会員番号」" in err and "2行目 「相手企業」" in err


def test_resolution_without_a_meeting_from_the_command_line(dbfile, capsys, tmp_path):
    code, out, _ = run(capsys, "meetings", "create", "--db", dbfile, "--kind", "理事会", "--title", "書面決議",
                       "--start", "2026-07-01 09:00", "--place", "（決議の省略）", "--without-meeting",
                       "--deemed", "2026-07-10", "--proposer", "山本 一郎", "--recorder", "吉田 恵")
    meeting = out.strip().splitlines()[-1]
    path = tmp_path / "board.csv"
    path.write_text("氏名,役職,出欠\n山本 一郎,代表理事,出席\n佐藤 健一,理事,出席\n加藤 浩二,監事,出席\n", encoding="utf-8")
    assert run(capsys, "meetings", "import-attendees", "--db", dbfile, meeting, str(path))[0] == 0
    assert run(capsys, "meetings", "item", "--db", dbfile, meeting, "--title", "規程改定の件", "--kind", "決議",
               "--result", "可決", "--summary", "提案書のとおり")[0] == 0
    run(capsys, "meetings", "consent", "--db", dbfile, meeting, "--name", "山本 一郎", "--role", "代表理事",
        "--date", "2026-07-05")
    code, out, _ = run(capsys, "meetings", "check", "--db", dbfile, meeting)
    assert code == 2 and "佐藤 健一 の同意" in out
    run(capsys, "meetings", "consent", "--db", dbfile, meeting, "--name", "佐藤 健一", "--role", "理事",
        "--date", "2026-07-06")
    assert run(capsys, "meetings", "check", "--db", dbfile, meeting)[0] == 0
    code, _out, err = run(capsys, "meetings", "consent", "--db", dbfile, meeting, "--name", "x", "--role", "理事",
                          "--date", "7/6")
    assert code == 2 and err


def test_matching_summary_by_country(dbfile, capsys, tmp_path):
    db = open_database(dbfile)
    with db.transaction() as session:
        number = make_member(session).number
    db.close()
    for title, country, day in (("上海商談会", "中国", "2026-09-10 10:00"), ("ミラノ商談会", "イタリア", "2026-10-20 10:00")):
        meeting = run(capsys, "meetings", "create", "--db", dbfile, "--kind", "商談会", "--title", title, "--start", day,
                      "--place", "会場", "--country", country)[1].strip().splitlines()[-1]
        pairs = tmp_path / f"{meeting}.csv"
        pairs.write_text(f"会員番号,相手企業,結果,金額\n{number},A社,成約,100000\n{number},B社,見送り,\n", encoding="utf-8")
        assert run(capsys, "meetings", "import-pairs", "--db", dbfile, meeting, str(pairs))[0] == 0
    out_file = tmp_path / "all.xlsx"
    code, out, _ = run(capsys, "meetings", "matching-summary", "--db", dbfile, "--by", "country", "--out", str(out_file))
    assert code == 0
    assert out.splitlines()[1:3] == ["中国\t1\t2\t2\t0\t0\t0\t1\t1\t0\t100,000", "イタリア\t1\t2\t2\t0\t0\t0\t1\t1\t0\t100,000"]
    from openpyxl import load_workbook

    assert load_workbook(out_file).sheetnames == ["商談会別", "国別", "年度別"]
