from datetime import date

from tama_desk.domain import journal

ACCOUNTS = journal.default_accounts()
DUES = journal.InvoiceFacts(1, "2026-0001", "invoice", "annual_fee", date(2026, 4, 10), date(2026, 5, 31),
                            "株式会社多摩精機", "2026年度 年会費", (("out_of_scope", 70000, 0),))
SEMINAR = journal.InvoiceFacts(2, "2026-0002", "invoice", "event", date(2026, 7, 1), date(2026, 7, 31),
                               "浅川電子株式会社", "セミナー参加費", (("standard_10", 10000, 1000), ("reduced_8", 2000, 160)))


def sides(entry):
    return [(row.debit.account, row.debit.amount, row.credit.account, row.credit.amount, row.credit.tax,
             row.credit.tax_amount) for row in entry.rows]


def test_dues_invoice_is_未収会費_against_受取会費_out_of_scope():
    [entry] = journal.invoice_entries(DUES, ACCOUNTS)
    assert (entry.key, entry.kind, entry.on, entry.due_date) == ("invoice:1:issue", "sale", date(2026, 4, 10),
                                                                 date(2026, 5, 31))
    assert sides(entry) == [("未収会費", 70000, "受取会費", 70000, "out_of_scope", 0)]
    assert entry.rows[0].debit.sub == entry.rows[0].credit.sub == "株式会社多摩精機"


def test_a_seminar_invoice_has_one_row_per_rate_tax_included():
    [entry] = journal.invoice_entries(SEMINAR, ACCOUNTS)
    assert sides(entry) == [("売掛金", 11000, "事業収益", 11000, "sales_10", 1000),
                            ("売掛金", 2160, "事業収益", 2160, "sales_8", 160)]
    assert entry.total == 13160


def test_contract_invoices_go_to_受託事業収益_with_the_contract_as_department():
    facts = journal.InvoiceFacts(3, "2026-0003", "invoice", "contract", date(2026, 8, 1), None, "八王子市",
                                 "委託料", (("standard_10", 1000000, 100000),), department="City Sales in Shanghai")
    [entry] = journal.invoice_entries(facts, ACCOUNTS)
    assert entry.rows[0].credit.account == "受託事業収益"
    assert entry.rows[0].credit.department == "City Sales in Shanghai"


def test_a_cancellation_is_the_reverse_on_its_own_date_and_a_credit_note_reverses_too():
    cancelled = journal.InvoiceFacts(**{**DUES.__dict__, "cancelled_on": date(2026, 5, 2)})
    issued, cancel = journal.invoice_entries(cancelled, ACCOUNTS)
    assert (cancel.key, cancel.kind, cancel.on) == ("invoice:1:cancel", "sale_reversal", date(2026, 5, 2))
    assert sides(cancel) == [("受取会費", 70000, "未収会費", 70000, "out_of_scope", 0)]
    note = journal.InvoiceFacts(4, "2026-0004", "credit_note", "event", date(2026, 7, 10), None, "浅川電子株式会社",
                                "返還", (("standard_10", 1000, 100),))
    [entry] = journal.invoice_entries(note, ACCOUNTS)
    assert entry.kind == "sale_reversal"
    assert (entry.rows[0].debit.account, entry.rows[0].debit.tax, entry.rows[0].credit.account) == (
        "事業収益", "sales_10", "売掛金")


def test_a_payment_settles_receivables_and_the_rest_is_前受金():
    facts = journal.PaymentFacts(7, date(2026, 5, 20), "株式会社多摩精機", "transfer", 80000,
                                 (("2026-0001", "annual_fee", 70000),))
    [entry] = journal.payment_entries(facts, ACCOUNTS)
    assert [(r.debit.account, r.credit.account, r.credit.amount) for r in entry.rows] == [
        ("普通預金", "未収会費", 70000), ("普通預金", "前受金", 10000)]


def test_a_write_off_is_支払手数料_and_a_voided_one_is_undone():
    facts = journal.WriteOffFacts(8, date(2026, 5, 20), "浅川電子株式会社", "2026-0002", "event", 440,
                                  void_on=date(2026, 6, 1))
    entry, reverse = journal.write_off_entries(facts, ACCOUNTS)
    assert (entry.kind, entry.rows[0].debit.account, entry.rows[0].debit.tax, entry.rows[0].credit.account) == (
        "write_off", "支払手数料", "purchase_10", "売掛金")
    assert (reverse.key, reverse.on, reverse.rows[0].debit.account) == ("write_off:8:reverse", date(2026, 6, 1),
                                                                        "売掛金")


def test_a_payment_kept_by_migration_0019_is_no_entry_of_its_own():
    """One record per write-off (issue 12): the WriteOff row; a payment that was a write-off (0019 left it to
    hold its cancelled receipt: reversed, 0円, settling nothing) adds nothing to the journal."""
    facts = journal.PaymentFacts(8, date(2026, 5, 20), "浅川電子株式会社", "transfer", 0, (), reversed_on=date(2026, 6, 1))
    assert journal.payment_entries(facts, ACCOUNTS) == []


def test_grant_receipt_and_cost_entries():
    receipt = journal.grant_receipt_entry(journal.GrantReceiptFacts(1, date(2026, 6, 1), "海外販路開拓", "関東経済産業局",
                                                                    500000), ACCOUNTS)
    assert sides(receipt) == [("普通預金", 500000, "受取補助金", 500000, "out_of_scope", 0)]
    assert receipt.rows[0].credit.department == "海外販路開拓"
    cost = journal.cost_entry(journal.CostFacts("expenditure:3", date(2026, 6, 2), "JTB", "旅費", 110000, 10000,
                                                "海外販路開拓", "渡航"), {**ACCOUNTS, "cost:旅費": "旅費交通費2"})
    assert (cost.rows[0].debit.account, cost.rows[0].debit.tax, cost.rows[0].credit.account) == (
        "旅費交通費2", "purchase_10", "普通預金")
    assert journal.cost_account(ACCOUNTS, "知らない費目") == "雑費"


def test_department_can_go_into_the_memo_instead():
    receipt = journal.grant_receipt_entry(journal.GrantReceiptFacts(1, date(2026, 6, 1), "海外販路開拓", "国", 5),
                                          ACCOUNTS)
    [moved] = journal.department_into_memo([receipt])
    assert moved.memo.startswith("【海外販路開拓】") and moved.rows[0].credit.department == ""


def test_names_are_checked_against_a_pasted_list():
    pasted = "普通預金\t売掛金\r\n受取会費, 未収会費\n\n"
    known = journal.parse_name_list(pasted)
    assert known == ["普通預金", "売掛金", "受取会費", "未収会費"]
    assert journal.unknown_accounts(["普通預金", "受取会費", "受取会費ひ"], known) == ["受取会費ひ"]
    assert journal.unknown_accounts(["なんでも"], []) == []
