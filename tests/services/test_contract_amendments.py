"""変更契約 as data: amount, period and milestones change, the amendment keeps before/after, and what an
invoice has fixed cannot change. Also the contract's tax category carried to its invoices."""

from __future__ import annotations

from datetime import date

import pytest

from tama_desk.db.models_contracts import Milestone
from tama_desk.domain.contracts import MilestoneEdit
from tama_desk.errors import UserError
from tama_desk.services import contracts
from tests.factories import make_contract
from tests.services.test_contracts import snapshot


def partial(session):
    contract = make_contract(session, "partial", amount=3_300_000)
    for name, due, amount in (("準備", date(2026, 6, 30), 1_100_000), ("実施", date(2026, 10, 31), 1_100_000),
                              ("報告", date(2027, 2, 28), 1_100_000)):
        contracts.add_milestone(session, contract.id, name, due, amount)
    return contract


def test_an_amendment_changes_amount_period_and_milestones_and_keeps_before_after(db):
    with db.transaction() as session:
        contract = partial(session)
        amendment = contracts.amend(
            session, contract.id, date(2026, 9, 1), "商談会の追加", amount=3_850_000,
            period_start=date(2026, 4, 25), period_end=date(2027, 3, 15),
            milestones=[MilestoneEdit(2, due=date(2026, 11, 30), amount=1_300_000),
                        MilestoneEdit(3, remove=True),
                        MilestoneEdit(name="追加商談会", due=date(2027, 1, 31), amount=1_000_000),
                        MilestoneEdit(name="最終報告", due=date(2027, 3, 15), amount=450_000)])
        assert (contract.amount, contract.period_start, contract.period_end) == (
            3_850_000, date(2026, 4, 25), date(2027, 3, 15))
        assert [(m.position, m.name, m.due_date, m.amount) for m in contract.milestones] == [
            (1, "準備", date(2026, 6, 30), 1_100_000), (2, "実施", date(2026, 11, 30), 1_300_000),
            (4, "追加商談会", date(2027, 1, 31), 1_000_000), (5, "最終報告", date(2027, 3, 15), 450_000)]
        assert [(c.position, c.change, c.amount_before, c.amount_after) for c in amendment.milestone_changes] == [
            (2, "changed", 1_100_000, 1_300_000), (3, "removed", 1_100_000, None), (4, "added", None, 1_000_000),
            (5, "added", None, 450_000)]
        assert (amendment.period_start_before, amendment.period_end_before) == (date(2026, 5, 1), date(2027, 2, 28))
        contract_id = contract.id
    with db.reading() as session:
        [row] = contracts.detail_view(session, contract_id, date(2026, 12, 1))["amendments"]
        texts = [change.text() for change in row["changes"]]
        assert texts[1] == "第3回「報告」を削除（期限 2027-02-28、1,100,000円）"
        assert texts[0] == "第2回「実施」を変更（期限 2026-10-31→2026-11-30、金額 1,100,000円→1,300,000円）"
        assert session.query(Milestone).count() == 4
        [entry] = [h for h in contracts.detail_view(session, contract_id, date(2026, 12, 1))["history"]
                   if h["summary"].startswith("変更契約")]
        assert "第4回「追加商談会」を追加" in entry["summary"]


def test_an_invoiced_milestone_cannot_be_removed_or_changed_in_amount(db):
    with db.transaction() as session:
        contract = partial(session)
        contracts.complete(session, contract.id, date(2026, 6, 30), milestone=1)
        contracts.inspect(session, contract.id, date(2026, 7, 3), milestone=1)
        number = contracts.issue_invoice(session, contract.id, date(2026, 7, 5), milestone=1).number
        contract_id = contract.id
    for edit, words in ((MilestoneEdit(1, remove=True), "削除できません"),
                        (MilestoneEdit(1, amount=900_000), "金額を変更できません")):
        with pytest.raises(UserError) as error, db.transaction() as session:
            contracts.amend(session, contract_id, date(2026, 8, 1), "見直し", amount=3_000_000, milestones=[edit])
        assert f"第1回「準備」は請求書 {number}" in str(error.value) and words in str(error.value)
    with db.transaction() as session:  # nothing of the refused amendments stayed; a rename is fine
        contract = contracts.get_contract(session, contract_id)
        assert (contract.amount, len(contract.milestones), contract.amendments) == (3_300_000, 3, [])
        contracts.amend(session, contract_id, date(2026, 8, 1), "名称の変更",
                        milestones=[MilestoneEdit(1, name="準備・調査", due=date(2026, 7, 1))])
        assert contract.milestones[0].name == "準備・調査" and contract.milestones[0].amount == 1_100_000


def test_amendment_milestones_stay_within_the_amount_and_need_name_due_amount(db):
    with db.transaction() as session:
        contract = partial(session)
        with pytest.raises(UserError, match="契約金額 3,300,000円 を超えます"):
            contracts.amend(session, contract.id, date(2026, 8, 1), "増額",
                            milestones=[MilestoneEdit(3, amount=1_200_000)])
    with db.transaction() as session:
        contract = partial(session)
        with pytest.raises(UserError, match="名称・期限・金額"):
            contracts.amend(session, contract.id, date(2026, 8, 1), "追加", milestones=[MilestoneEdit(name="x")])
        with pytest.raises(UserError, match="第9回"):
            contracts.amend(session, contract.id, date(2026, 8, 1), "x", milestones=[MilestoneEdit(9, remove=True)])


@pytest.mark.parametrize(("code", "tax"), [("standard_10", 500_000), ("reduced_8", 407_407), ("exempt", 0),
                                           ("out_of_scope", 0)])
def test_the_contract_tax_category_goes_to_its_invoices(db, code, tax):
    with db.transaction() as session:
        contract = make_contract(session, "completion", tax_category=code)
        assert contract.tax_amount == tax
        contracts.complete(session, contract.id, date(2027, 2, 20))
        contracts.inspect(session, contract.id, date(2027, 2, 25))
        invoice = contracts.issue_invoice(session, contract.id, date(2027, 3, 1), final=True)
        [total] = snapshot(invoice).totals
        assert (total.tax_category, total.tax, total.gross) == (code, tax, 5_500_000)
        with pytest.raises(UserError, match="税区分"):
            make_contract(session, "completion", tax_category="zero")
