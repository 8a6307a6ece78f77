from dataclasses import replace
from datetime import date

import pytest

from tama_desk.domain import zengin

HEADER = zengin.Header("1234567890", "ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳﾈﾂﾄﾜ-ｸ", date(2026, 6, 26), "0001", "ﾐｽﾞﾎ", "001", "ﾄｳｷﾖｳ", "1", "1234567")
DEBITS = [zengin.Debit("0005", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ", "001", "ﾎﾝﾃﾝ", "1", "0000123", "ｶ)ﾀﾏｾｲｷ", 70000,
                       zengin.customer_number(12), "1"),
          zengin.Debit("0009", "ﾐﾂｲｽﾐﾄﾓ", "015", "ﾄｳｷﾖｳﾁﾕｳｵｳ", "2", "7654321", "ｼﾖｳｼﾞ ﾀﾛｳ", 30000,
                       zengin.customer_number(345))]


def fields(line: bytes, layout) -> dict[str, bytes]:
    values, position = {}, 0
    for name, width, _kind in layout:
        values[name] = line[position:position + width]
        position += width
    return values


def test_request_file_is_120_byte_records_by_the_published_layout():
    data = zengin.write(zengin.request_file(HEADER, DEBITS))
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert [len(line) for line in lines] == [120] * 5
    assert [line[:1] for line in lines] == [b"1", b"2", b"2", b"8", b"9"]
    head = lines[0]
    assert head[1:3] == b"91" and head[3:4] == b"0" and head[4:14] == b"1234567890"
    assert head[14:54].decode("cp932") == "ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳﾈﾂﾄﾜ-ｸ".ljust(40)
    assert head[54:58] == b"0626" and head[58:62] == b"0001" and head[77:80] == b"001"
    assert head[95:96] == b"1" and head[96:103] == b"1234567" and head[103:] == b" " * 17
    first = fields(lines[1], zengin.DATA)
    assert first["bank_code"] == b"0005" and first["branch_code"] == b"001" and first["dummy1"] == b"    "
    assert first["account_number"] == b"0000123" and first["holder"].decode("cp932").rstrip() == "ｶ)ﾀﾏｾｲｷ"
    assert first["amount"] == b"0000070000" and first["new_code"] == b"1" and first["result_code"] == b"0"
    assert first["customer_number"] == b"00000000000000000012"
    trailer = fields(lines[3], zengin.TRAILER)
    assert trailer["count"] == b"000002" and trailer["total"] == b"000000100000"
    assert trailer["done_count"] == b"000000" and trailer["failed_total"] == b"000000000000"
    assert lines[4] == b"9" + b" " * 119


def test_parse_reads_back_what_was_written():
    data = zengin.write(zengin.request_file(HEADER, DEBITS))
    parsed = zengin.parse(data, year=2026)
    assert parsed.header == HEADER
    assert [(r.amount, r.customer_number, r.holder, r.result_code) for r in parsed.records] == [
        (70000, "00000000000000000012", "ｶ)ﾀﾏｾｲｷ", "0"), (30000, "00000000000000000345", "ｼﾖｳｼﾞ ﾀﾛｳ", "0")]
    assert (parsed.count, parsed.total) == (2, 100000)


def result_bytes(codes: list[str]) -> bytes:
    records = [replace(debit, result_code=code) for debit, code in zip(DEBITS, codes, strict=True)]
    done = [r for r in records if r.result_code == "0"]
    failed = [r for r in records if r.result_code != "0"]
    return zengin.write(zengin.ZenginFile(HEADER, tuple(records), 2, 100000, len(done), sum(r.amount for r in done),
                                          len(failed), sum(r.amount for r in failed)))


def test_a_result_file_with_consistent_trailer_parses():
    parsed = zengin.parse(result_bytes(["0", "1"]), year=2026)
    assert [r.result_code for r in parsed.records] == ["0", "1"]
    assert (parsed.done_count, parsed.done_total, parsed.failed_count, parsed.failed_total) == (1, 70000, 1, 30000)


def test_trailer_totals_that_do_not_match_the_records_are_refused():
    data = bytearray(result_bytes(["0", "1"]))
    trailer_start = 122 * 3
    data[trailer_start + 1:trailer_start + 7] = b"000003"
    with pytest.raises(zengin.ZenginError) as error:
        zengin.parse(bytes(data), year=2026)
    assert error.value.params["field"] == "件数"
    data = bytearray(result_bytes(["0", "1"]))
    data[trailer_start + 19:trailer_start + 25] = b"000002"  # 振替済件数 2 while one failed
    with pytest.raises(zengin.ZenginError):
        zengin.parse(bytes(data), year=2026)


@pytest.mark.parametrize("broken", [b"1" * 119 + b"\r\n", b"2" + b" " * 119 + b"\r\n"])
def test_wrong_lengths_or_record_order_are_refused(broken):
    with pytest.raises(zengin.ZenginError):
        zengin.parse(broken, year=2026)


def test_names_become_bank_kana_with_small_kana_large():
    assert zengin.bank_kana("ショウジ　タロウ") == "ｼﾖｳｼﾞ ﾀﾛｳ"
    assert zengin.bank_kana("きって") == "ｷﾂﾃ"
    assert zengin.bank_kana("カ）ターミナル") == "ｶ)ﾀ-ﾐﾅﾙ"
    assert zengin.bad_characters(zengin.bank_kana("ｶ)ﾀﾏ&ｾｲｷ/")) == "&/"
    assert zengin.bad_characters("ABC 123 ().-") == ""


def test_a_name_the_layout_cannot_hold_is_refused_not_replaced():
    bad = replace(DEBITS[0], holder="ﾀﾏ&ｾｲｷ")
    with pytest.raises(zengin.ZenginError) as error:
        zengin.write(zengin.request_file(HEADER, [bad]))
    assert error.value.params["chars"] == "&"


@pytest.mark.parametrize(("asked", "used"), [
    (date(2026, 6, 26), date(2026, 6, 26)),   # a Friday
    (date(2026, 6, 27), date(2026, 6, 29)),   # Saturday → Monday
    (date(2026, 12, 31), date(2027, 1, 4)),   # banks closed 12/31–1/3
    (date(2027, 5, 3), date(2027, 5, 6)),     # 憲法記念日, みどりの日, こどもの日
    (date(2026, 9, 21), date(2026, 9, 24)),   # 敬老の日, 国民の休日, 秋分の日
])
def test_debit_dates_move_to_the_next_bank_business_day(asked, used):
    assert zengin.next_business_day(asked) == used


def test_bank_and_branch_codes_come_from_the_zengin_code_data():
    assert zengin.bank_and_branch("0001", "001") == ("みずほ", "ﾐｽﾞﾎ", "東京営業部", "ﾄｳｷﾖｳ")
    for bank, branch in (("9999", "001"), ("0001", "999"), ("001", "001"), ("0001", "1a2")):
        with pytest.raises(zengin.ZenginError):
            zengin.bank_and_branch(bank, branch)


def test_records_without_line_breaks_and_an_eof_mark_are_read_too():
    data = zengin.write(zengin.request_file(HEADER, DEBITS))
    packed = data.replace(b"\r\n", b"") + b"\x1a"
    assert zengin.parse(packed, year=2026) == zengin.parse(data, year=2026)
