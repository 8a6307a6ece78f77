"""商談会 results as Excel, CSV and PDF, reopened and read back."""

import io
from datetime import date, time

from openpyxl import load_workbook

from tama_desk.documents.matching_report import render
from tama_desk.exports.meetings_xlsx import matching_csv, matching_xlsx, summaries_xlsx
from tama_desk.services import matching_sessions, meetings
from tests.factories import make_member, pdf_text


def report(db):
    with db.transaction() as session:
        firms = [make_member(session, name=f"株式会社多摩精機{i}").number for i in range(2)]
        fair = meetings.create_meeting(session, kind="商談会", title="ミラノ商談会", day=date(2026, 10, 20),
                                       place="ミラノ", country="イタリア", counterpart_body="ロンバルディア州生産センター")
        for number, counterpart, outcome, amount in [(firms[0], "=Meccanica", "見積・サンプル依頼", 300_000),
                                                     (firms[0], "Ottica", "連携継続希望", 0),
                                                     (firms[1], "Ceramica", "成約", 800_000)]:
            matching_sessions.save_pairing(session, fair.id, {"member_number": number, "counterpart": counterpart,
                                                              "slot": time(10), "outcome": outcome, "amount": amount})
        return matching_sessions.matching_report(session, fair.id), matching_sessions.summaries(session, "country")


def test_xlsx_has_pairings_summary_and_chart(db):
    data, _ = report(db)
    book = load_workbook(io.BytesIO(matching_xlsx(data)))
    pairs, totals = book["商談一覧"], book["集計"]
    assert [c.value for c in pairs[1]][:8] == ["時刻", "会員番号", "会員企業", "相手企業", "国", "業種", "通訳", "結果"]
    assert pairs["D2"].value == "=Meccanica" and pairs["D2"].data_type == "s"  # text, never a formula
    assert pairs["I4"].value == 800_000 and pairs["I4"].number_format == "#,##0"
    assert {row[0].value: row[1].value for row in totals.iter_rows(min_row=2)}["商談件数"] == 3
    assert totals._charts


def test_csv_and_summaries(db):
    data, by_country = report(db)
    assert matching_csv(data).decode("utf-8-sig").splitlines()[0].startswith("時刻,会員番号,会員企業,相手企業")
    sheet = load_workbook(io.BytesIO(summaries_xlsx({"国別": by_country})))["国別"]
    assert [c.value for c in sheet[2]][:4] == ["イタリア", 2, 3, 3]


def test_pdf_report(db):
    data, _ = report(db)
    text = pdf_text(render(data))
    for expected in ("ミラノ商談会 商談結果報告", "ロンバルディア州生産センター", "見積・サンプル依頼", "商談件数", "3件",
                     "商談スケジュール", "株式会社多摩精機0", "Ceramica", "800,000"):
        assert expected in text, expected
