from datetime import date

import pytest
from sqlalchemy import func, select

from tama_desk import paths
from tama_desk.db.models import AuditLog, BudgetChange, Expenditure
from tama_desk.errors import UserError
from tama_desk.services import grant_import, grants
from tests import factories

SMALL = dict(name="海外展開支援事業", grantor="関東経済産業局", programme="", decision_number="", decision_date=None,
             advance_paid=0, summary="", decided_amount=1_000_000, budgets={"旅費": 500_000, "会議費": 300_000, "謝金": 700_000})


def make_grant(session, **overrides):
    return factories.make_grant(session, **(SMALL | overrides))


def expense(voucher="V1", **overrides):
    values = {"voucher_number": voucher, "category": "旅費", "payment_date": "2026-05-10", "payee": "JTB",
              "description": "渡航費", "amount": "110,000", "tax": "10000"}
    values.update(overrides)
    return values


def test_create_grant_validates_every_field(db):
    with pytest.raises(UserError) as error, db.transaction() as session:
        make_grant(session, name=" ", rate="3/2", period_end=date(2026, 3, 1), budgets={"宴会費": 10})
    fields = {problem.field for problem in error.value.problems}
    assert {"事業名", "補助率", "事業期間", "経費区分"} <= fields
    with db.reading() as session:
        assert grants.list_grants(session) == []


def test_expenditure_eligible_amount_defaults_to_tax_excluded(db):
    with db.transaction() as session:
        grant = make_grant(session)
        spent, warnings = grants.add_expenditure(session, grant.id, expense())
        assert (spent.amount, spent.tax, spent.eligible_amount, warnings) == (110_000, 10_000, 100_000, [])


def test_expenditure_warnings_are_listed_not_blocking(db):
    with db.transaction() as session:
        grant = make_grant(session)
        _spent, outside = grants.add_expenditure(session, grant.id, expense("V1", payment_date="2026-03-31"))
        _spent, unknown = grants.add_expenditure(session, grant.id, expense("V2", category="広報費"))
        _spent, over = grants.add_expenditure(session, grant.id, expense("V3", amount="600000", tax="0"))
        _spent, twin = grants.add_expenditure(session, grant.id, expense("V4", amount="600000", tax="0"))
    assert "事業期間" in outside[0]
    assert "交付決定の経費区分にありません" in unknown[0]
    assert any("予算" in warning for warning in over)
    assert any("同じ支払先・金額・支払日" in warning for warning in twin)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Expenditure)) == 4


@pytest.mark.parametrize(("changes", "field"), [
    ({"voucher_number": ""}, "証ひょう番号"), ({"payment_date": "2026-02-30"}, "支払日"),
    ({"amount": "abc"}, "支出額（税込）"), ({"eligible_amount": "200000"}, "補助対象額"),
])
def test_expenditure_errors_name_the_field_and_save_nothing(db, changes, field):
    with db.transaction() as session:
        grant_id = make_grant(session).id
    with pytest.raises(UserError) as error, db.transaction() as session:
        grants.add_expenditure(session, grant_id, expense(**changes))
    assert field in {problem.field for problem in error.value.problems}
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Expenditure)) == 0


def test_duplicate_voucher_refused(db):
    with db.transaction() as session:
        grant_id = make_grant(session).id
        grants.add_expenditure(session, grant_id, expense("V1"))
    with pytest.raises(UserError, match="V1"), db.transaction() as session:
        grants.add_expenditure(session, grant_id, expense("V1"))


def test_reallocation_within_limit_then_refused_beyond_it(db):
    with db.transaction() as session:
        grant_id = make_grant(session).id
        grants.reallocate(session, grant_id, "旅費", "会議費", 40_000, date(2026, 6, 1))
    limit = 60_000  # 20% of the lower planned amount (会議費 300,000)
    with pytest.raises(UserError) as error, db.transaction() as session:
        grants.reallocate(session, grant_id, "旅費", "会議費", limit - 40_000 + 1, date(2026, 7, 1))
    assert "上限 60,000円" in error.value.text() and "変更承認" in error.value.text()
    with db.transaction() as session:
        grants.reallocate(session, grant_id, "旅費", "会議費", 20_000, date(2026, 7, 1))
        approved = grants.reallocate(session, grant_id, "旅費", "会議費", 100_000, date(2026, 8, 1),
                                     approval_reference="関東第99号")
        assert approved.kind == "approved_change"
        assert grants.net_changes(session, grant_id) == {"旅費": -160_000, "会議費": 160_000}
        assert session.scalar(select(func.count()).select_from(BudgetChange)) == 3


def test_settlement_follows_the_formula_and_the_budget_caps(db):
    with db.transaction() as session:
        grant = make_grant(session, advance_paid=500_000)
        grants.add_expenditure(session, grant.id, expense("V1", amount="660000", tax="60000"))  # 旅費 over 500,000
        grants.add_expenditure(session, grant.id, expense("V2", category="謝金", amount="300000", tax="0"))
        grants.add_expenditure(session, grant.id, expense("V3", category="会議費", amount="11000", tax="1000",
                                                          ineligible_reason="酒類"))
        settled = grants.settle(session, grant.id)
    by_category = {row.category: row for row in settled.categories}
    assert by_category["旅費"].eligible_cost == 500_000  # capped by its budget
    assert by_category["会議費"].eligible_actual == 0
    assert settled.eligible_cost == 800_000
    assert settled.subsidy == 533_333
    assert settled.to_return == 0


def test_status_as_of_counts_only_spending_until_then(db):
    with db.transaction() as session:
        grant = make_grant(session)
        grants.add_expenditure(session, grant.id, expense("V1", payment_date="2026-05-10"))
        grants.add_expenditure(session, grant.id, expense("V2", payment_date="2026-09-10"))
        early = grants.settle(session, grant.id, as_of=date(2026, 6, 30))
    assert early.total("actual") == 110_000


def test_attachment_is_copied_into_the_data_folder(db, tmp_path, _isolated_home):
    source = tmp_path / "receipt.pdf"
    source.write_bytes(b"%PDF-1.4 test")
    with db.transaction() as session:
        grant = make_grant(session)
        spent, _warnings = grants.add_expenditure(session, grant.id, expense())
        copy = grants.attach_file(session, spent.id, source)
    source.unlink()
    assert copy.read_bytes() == b"%PDF-1.4 test" and str(copy).startswith(str(_isolated_home))


def write_csv(path, lines, encoding="cp932"):
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


HEADER = "証ひょう番号,費目,契約日,支払日,支払先,内容,支出額(税込),消費税,補助対象額,対象外理由"


def test_import_all_or_nothing_with_every_error_listed(db, tmp_path):
    with db.transaction() as session:
        grant_id = make_grant(session).id
    bad = write_csv(tmp_path / "bad.csv", [HEADER, "V1,旅費,,2026/05/10,JTB,渡航,110000,10000,,",
                                           ",旅費,,2026/05/11,JTB,渡航,1000,0,,", "V1,旅費,,2026/05/12,JTB,渡航,1000,0,,",
                                           "V3,旅費,,2026/13/01,JTB,渡航,1000,0,,", "V4,旅費,,2026/05/12,JTB,渡航,1000,0,5000,"])
    with pytest.raises(UserError) as error, db.transaction() as session:
        grant_import.import_expenditures(session, grant_id, bad)
    where = {(problem.row, problem.field) for problem in error.value.problems}
    assert {(3, "証ひょう番号"), (4, "証ひょう番号"), (5, "支払日"), (6, "補助対象額")} <= where
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Expenditure)) == 0


def test_import_with_full_width_brackets_and_warnings(db, tmp_path):
    with db.transaction() as session:
        grant_id = make_grant(session).id
    good = write_csv(tmp_path / "good.csv", [HEADER.replace("(税込)", "（税込）"),
                                             "V1,旅費,,2026/05/10,JTB,渡航,110000,10000,,",
                                             "V2,広報費,,2026/03/10,印刷,チラシ,22000,2000,,"], "utf-8-sig")
    with db.transaction() as session:
        preview = grant_import.import_expenditures(session, grant_id, good, dry_run=True)
    assert len(preview.created) == 2 and {line for line, _w in preview.warnings} == {3}
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Expenditure)) == 0
    with db.transaction() as session:
        grant_import.import_expenditures(session, grant_id, good)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Expenditure)) == 2
        assert session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "import"))


def test_export_round_trip(db, tmp_path):
    from tama_desk.exports import grant_io

    with db.transaction() as session:
        grant = make_grant(session)
        grants.add_expenditure(session, grant.id, expense("V1"))
        grants.add_expenditure(session, grant.id, expense("V2", category="謝金", contract_date="2026-04-20"))
        data = grant_io.export_bytes(grants.expenditures(session, grant.id), "xlsx")
        other = make_grant(session, name="別事業")
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    with db.transaction() as session:
        grant_import.import_expenditures(session, other.id, path)
        copied = grants.expenditures(session, other.id)
    assert [(e.voucher_number, e.category, e.amount, e.eligible_amount, e.contract_date) for e in copied] == [
        ("V1", "旅費", 110_000, 100_000, None), ("V2", "謝金", 110_000, 100_000, date(2026, 4, 20))]


def test_correcting_and_deleting_expenditures_is_audited_and_locked_after_reporting(db):
    with db.transaction() as session:
        grant = make_grant(session)
        spent, _warnings = grants.add_expenditure(session, grant.id, expense("V1"))
        other, _warnings = grants.add_expenditure(session, grant.id, expense("V2", category="謝金"))
        _fixed, warnings = grants.update_expenditure(session, spent.id, expense("V1", amount="220000", tax="20000"))
        assert warnings == []
        with pytest.raises(UserError, match="V2"):
            grants.update_expenditure(session, spent.id, expense("V2"))
        grant_id, spent_id, other_id = grant.id, spent.id, other.id
    # inside the retention period (ten years from the end of its fiscal year) an expenditure is corrected, not deleted
    with pytest.raises(UserError, match="V2.*2037年3月31日まで保存が必要"), db.transaction() as session:
        grants.delete_expenditure(session, other_id, "二重入力", today=date(2026, 12, 1))
    with db.reading() as session:  # (deleting once the period is over: tests/services/test_retention.py)
        assert [(e.voucher_number, e.amount, e.eligible_amount) for e in grants.expenditures(session, grant_id)] == [
            ("V1", 220_000, 200_000), ("V2", 110_000, 100_000)]
        actions = set(session.scalars(select(AuditLog.action).where(AuditLog.entity == "grant")))
        assert "expenditure_update" in actions
    with db.transaction() as session:
        grants.set_status(session, grant_id, "running")
        grants.set_status(session, grant_id, "reported")
    with pytest.raises(UserError, match="実績報告済"), db.transaction() as session:
        grants.delete_expenditure(session, spent_id, "x")
    with pytest.raises(UserError, match="状態"), db.transaction() as session:
        grants.set_status(session, grant_id, "unknown")


def _reported_grant(db, tmp_path):
    with db.transaction() as session:
        grant = make_grant(session)
        spent, _warnings = grants.add_expenditure(session, grant.id, expense("V1"))
        grants.set_status(session, grant.id, "running")
        grants.set_status(session, grant.id, "reported")
        return grant.id, spent.id


def test_every_writer_refuses_a_reported_grant(db, tmp_path):
    grant_id, spent_id = _reported_grant(db, tmp_path)
    voucher = tmp_path / "scan.pdf"
    voucher.write_bytes(b"%PDF-1.4")
    good = tmp_path / "good.csv"
    good.write_text("証ひょう番号,費目,支払日,支払先,支出額（税込）\nV9,旅費,2026-06-01,JTB,1000\n", encoding="utf-8")
    writers = [
        lambda session: grants.add_expenditure(session, grant_id, expense("V2")),
        lambda session: grant_import.import_expenditures(session, grant_id, good),
        lambda session: grants.reallocate(session, grant_id, "旅費", "会議費", 1000, date(2026, 6, 1)),
        lambda session: grants.attach_file(session, spent_id, voucher),
        lambda session: grants.update_expenditure(session, spent_id, expense("V1", amount="1000", tax="0")),
        lambda session: grants.delete_expenditure(session, spent_id, "x"),
    ]
    for write in writers:
        with pytest.raises(UserError, match="実績報告済のため変更できません"), db.transaction() as session:
            write(session)
    with db.reading() as session:
        assert [e.voucher_number for e in grants.expenditures(session, grant_id)] == ["V1"]
        assert session.scalar(select(func.count()).select_from(BudgetChange)) == 0
        assert not grants.expenditures(session, grant_id)[0].attachment_path
    assert not (paths.data_dir() / "attachments").exists()


@pytest.mark.parametrize(("start", "target", "reason", "allowed"), [
    ("decided", "running", "", True),
    ("running", "reported", "", True),
    ("running", "decided", "開始日の誤り", True),
    ("running", "decided", "", False),  # a step back needs a reason
    ("decided", "reported", "", False),  # two steps forward
    ("running", "applied", "x", False),  # two steps back
    ("decided", "settled", "", False),
    ("decided", "decided", "", False),
    ("decided", "unknown", "", False),
])
def test_status_moves_one_step_forward_or_back_with_a_reason(db, start, target, reason, allowed):
    with db.transaction() as session:
        grant_id = make_grant(session, status=start).id
    if allowed:
        with db.transaction() as session:
            grants.set_status(session, grant_id, target, reason)
    else:
        with pytest.raises(UserError, match="状態|変更できません|理由"), db.transaction() as session:
            grants.set_status(session, grant_id, target, reason)
    with db.reading() as session:
        assert grants.get_grant(session, grant_id).status == (target if allowed else start)
        summaries = list(session.scalars(select(AuditLog.summary).where(AuditLog.action == "status")))
        assert summaries == ([f"{grants.STATUSES[start]} → {grants.STATUSES[target]}"
                              + (f" 理由: {reason}" if reason else "")] if allowed else [])


def test_a_returned_report_unlocks_the_grant(db, tmp_path):
    grant_id, _spent_id = _reported_grant(db, tmp_path)
    with db.transaction() as session:
        assert [code for code, _label, _back in grants.status_choices(session, grant_id)] == ["confirmed", "running"]
        grants.set_status(session, grant_id, "running", "実績報告の差戻し")
        grants.add_expenditure(session, grant_id, expense("V2"))


def test_attachment_lands_on_commit_and_never_on_rollback(db, tmp_path):
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.4 voucher")
    with db.transaction() as session:
        grant = make_grant(session)
        spent, _ = grants.add_expenditure(session, grant.id, expense("V/1"))
        ids = grant.id, spent.id
    with pytest.raises(RuntimeError), db.transaction() as session:
        target = grants.attach_file(session, ids[1], source)
        assert not target.exists()  # not before the commit
        raise RuntimeError("the action failed after attaching")
    assert not target.exists() and not list(target.parent.iterdir())
    with db.transaction() as session:
        target = grants.attach_file(session, ids[1], source)
    assert target.read_bytes() == b"%PDF-1.4 voucher" and [p.name for p in target.parent.iterdir()] == [target.name]
    with db.reading() as session:
        assert grants.attachment_file(session, ids[1]) == target


def test_view_data_for_the_detail_and_reallocation(db):
    with db.transaction() as session:
        grant = make_grant(session)
        grants.add_expenditure(session, grant.id, expense("V1"))
        grants.add_expenditure(session, grant.id, expense("V2", payment_date="2026-03-31"))
        grants.add_expenditure(session, grant.id, expense("V3", category="広報費"))
        grants.reallocate(session, grant.id, "謝金", "旅費", 60_000, date(2026, 6, 1))
        grant_id = grant.id
    with db.reading() as session:
        rows = grants.expenditure_rows(session, grant_id)
        view = grants.reallocation_view(session, grant_id)
    assert [(r.voucher_number, r.outside, r.counted) for r in rows] == [
        ("V2", True, 0), ("V1", False, 100_000), ("V3", True, 0)]
    assert view.budget_after == {"旅費": 560_000, "会議費": 300_000, "謝金": 640_000}
    assert view.limit("謝金", "旅費") == 100_000  # 20% of the lower planned amount (500,000)
    assert [(c.kind, c.from_category, c.to_category, c.amount) for c in view.changes] == [
        ("reallocation", "謝金", "旅費", 60_000)]


def test_building_a_report_writes_nothing(db):
    from tama_desk.db.models import DocumentAsset
    from tama_desk.services import profile

    with db.transaction() as session:
        profile.update_profile(session, {"seal_png": factories.seal_png()})
        grant_id = make_grant(session).id
    with db.transaction() as session:
        report = grants.build_report(session, grant_id, date(2027, 3, 10))
        assert report.header.association.seal_png.startswith(b"\x89PNG")
        assert not session.new and not session.dirty
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(DocumentAsset)) == 0


def test_settle_all_gives_every_grant_the_settlement_settle_gives_it_in_a_few_queries(demo_db):
    from sqlalchemy import event

    with demo_db.transaction() as session:
        grant = grants.all_grants(session)[0]
        budget = grant.budgets[0].category
        other = grant.budgets[1].category
        grants.reallocate(session, grant.id, budget, other, 10_000, grant.period_start, "承認第1号")
    with demo_db.reading() as session:
        one_by_one = [(grant.id, grants.settle(session, grant.id)) for grant in grants.all_grants(session)]
        statements = []
        event.listen(session.bind, "before_cursor_execute", lambda *args: statements.append(args[2]))
        together = [(grant.id, settlement) for grant, settlement in grants.settle_all(session)]
    assert together == one_by_one and len(together) >= 2
    assert any(figure.reallocated for _id, settlement in together for figure in settlement.categories)
    assert len(statements) <= 5
    with demo_db.reading() as session:  # one grant alone (the list after a save): the same settlement
        alone = [(grant.id, settlement) for grant, settlement in grants.settle_all(session, [grant.id])]
    assert alone == [entry for entry in one_by_one if entry[0] == grant.id]
