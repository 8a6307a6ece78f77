"""全銀協 口座振替 (種別コード 91): the request file sent to the bank and the result file it sends back.

120-byte records, CR+LF: Header (1) / Data (2) … / Trailer (8) / End (9). N fields right-aligned and
zero-filled, C fields half-width kana left-aligned and space-filled (layout in shared/DOMAIN.md; confirm with the
bank). Bytes are JIS X 0201 kana as in Shift_JIS, so one character is one byte.
Also: the bank business day a debit date moves to, and the names a bank accepts (small kana written large).
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import jpholiday

from tama_desk.domain.kana import to_bank_kana

RECORD_LENGTH = 120
ENCODING = "cp932"
RESULT_CODES = {"0": "振替済", "1": "資金不足", "2": "預金取引なし", "3": "預金者都合による振替停止",
                "4": "預金口座振替依頼書なし", "8": "委託者都合による振替停止", "9": "その他"}
ACCOUNT_TYPES = {"1": "普通", "2": "当座"}
_ALLOWED_RE = re.compile(r"^[ｦｱ-ﾝﾞﾟA-Z0-9 ()\-.]*$")
_SMALL = str.maketrans("ｧｨｩｪｫｯｬｭｮ", "ｱｲｳｴｵﾂﾔﾕﾖ")

# (name, width, kind) — kind "N" numeric (zero-filled, right), "C" characters (space-filled, left)
HEADER = (("data_type", 1, "N"), ("kind_code", 2, "N"), ("code_type", 1, "N"), ("client_code", 10, "N"),
          ("client_name", 40, "C"), ("debit_date", 4, "N"), ("bank_code", 4, "N"), ("bank_name", 15, "C"),
          ("branch_code", 3, "N"), ("branch_name", 15, "C"), ("account_type", 1, "N"),
          ("account_number", 7, "N"), ("dummy", 17, "C"))
DATA = (("data_type", 1, "N"), ("bank_code", 4, "N"), ("bank_name", 15, "C"), ("branch_code", 3, "N"),
        ("branch_name", 15, "C"), ("dummy1", 4, "C"), ("account_type", 1, "N"), ("account_number", 7, "N"),
        ("holder", 30, "C"), ("amount", 10, "N"), ("new_code", 1, "N"), ("customer_number", 20, "C"),
        ("result_code", 1, "N"), ("dummy2", 8, "C"))
TRAILER = (("data_type", 1, "N"), ("count", 6, "N"), ("total", 12, "N"), ("done_count", 6, "N"),
           ("done_total", 12, "N"), ("failed_count", 6, "N"), ("failed_total", 12, "N"), ("dummy", 65, "C"))
END = (("data_type", 1, "N"), ("dummy", 119, "C"))


class ZenginError(ValueError):
    """A file or a value the layout cannot hold. args[0] is a message template; `params` fill it."""

    def __init__(self, message: str, **params: object):
        super().__init__(message)
        self.message, self.params = message, params


@dataclass(frozen=True)
class Header:
    client_code: str
    client_name: str
    debit_date: date
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str


@dataclass(frozen=True)
class Debit:
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    holder: str
    amount: int
    customer_number: str
    new_code: str = "0"
    result_code: str = "0"


@dataclass(frozen=True)
class ZenginFile:
    header: Header
    records: tuple[Debit, ...]
    count: int
    total: int
    done_count: int = 0
    done_total: int = 0
    failed_count: int = 0
    failed_total: int = 0


# --- names and days ---------------------------------------------------------------------------------------------

def bank_kana(text: str) -> str:
    """A name as the bank wants it: half-width kana, upper case, small kana written large, ー as -."""
    return to_bank_kana(text).replace("ｰ", "-").replace("－", "-").translate(_SMALL)


def bad_characters(text: str) -> str:
    """The characters of `text` (already converted) that a 全銀 C field cannot hold ('' when all are fine)."""
    return "".join(dict.fromkeys(ch for ch in text if not _ALLOWED_RE.match(ch)))


def is_bank_holiday(day: date) -> bool:
    """Banks are closed on Saturdays, Sundays, national holidays and 12/31–1/3."""
    return (day.weekday() >= 5 or jpholiday.is_holiday(day)
            or (day.month, day.day) in ((12, 31), (1, 1), (1, 2), (1, 3)))


def next_business_day(day: date) -> date:
    """`day` itself when banks are open, else the next day they are (a debit date moves forward)."""
    while is_bank_holiday(day):
        day += timedelta(days=1)
    return day


def customer_number(invoice_id: int) -> str:
    """顧客番号 for one invoice: its id, zero-filled to 20 digits, so a result matches without guessing."""
    return f"{invoice_id:020d}"


def invoice_id_of(number: str) -> int | None:
    text = number.strip()
    return int(text) if text.isdigit() else None


# --- writing ------------------------------------------------------------------------------------------------------

def _field(value: object, width: int, kind: str, name: str) -> bytes:
    if kind == "N":
        text = str(value if value not in (None, "") else 0)
        if not text.isdigit() or len(text) > width:
            raise ZenginError("{field}: 「{value}」は{width}桁までの数字で指定してください", field=name,
                              value=text, width=width)
        return text.rjust(width, "0").encode("ascii")
    text = str(value or "")
    if bad := bad_characters(text):
        raise ZenginError("{field}: 「{value}」に全銀で使えない文字があります: {chars}", field=name, value=text,
                          chars=bad)
    data = text.encode(ENCODING)
    if len(data) > width:
        raise ZenginError("{field}: 「{value}」は{width}文字を超えています", field=name, value=text, width=width)
    return data.ljust(width, b" ")


def _record(layout, values: dict) -> bytes:
    data = b"".join(_field(values.get(name, ""), width, kind, name) for name, width, kind in layout)
    assert len(data) == RECORD_LENGTH, len(data)
    return data


def write(file: ZenginFile) -> bytes:
    """The file's bytes. Names are converted with bank_kana() first and cut to their field width."""
    header = file.header
    out = [_record(HEADER, {
        "data_type": 1, "kind_code": 91, "code_type": 0, "client_code": header.client_code,
        "client_name": _fit(header.client_name, 40), "debit_date": header.debit_date.strftime("%m%d"),
        "bank_code": header.bank_code, "bank_name": _fit(header.bank_name, 15), "branch_code": header.branch_code,
        "branch_name": _fit(header.branch_name, 15), "account_type": header.account_type,
        "account_number": header.account_number})]
    for record in file.records:
        out.append(_record(DATA, {
            "data_type": 2, "bank_code": record.bank_code, "bank_name": _fit(record.bank_name, 15),
            "branch_code": record.branch_code, "branch_name": _fit(record.branch_name, 15),
            "account_type": record.account_type, "account_number": record.account_number,
            "holder": _fit(record.holder, 30), "amount": record.amount, "new_code": record.new_code,
            "customer_number": record.customer_number, "result_code": record.result_code}))
    out.append(_record(TRAILER, {
        "data_type": 8, "count": file.count, "total": file.total, "done_count": file.done_count,
        "done_total": file.done_total, "failed_count": file.failed_count, "failed_total": file.failed_total}))
    out.append(_record(END, {"data_type": 9}))
    return b"".join(line + b"\r\n" for line in out)


def request_file(header: Header, records: list[Debit]) -> ZenginFile:
    """A request (振替結果コード 0 everywhere, trailer counts of the request alone)."""
    records = tuple(replace(record, result_code="0") for record in records)
    return ZenginFile(header, records, len(records), sum(record.amount for record in records))


def _fit(text: str, width: int) -> str:
    """Converted and cut to the field (every allowed character is one byte); bad characters are left for
    _field to name."""
    converted = bank_kana(text)
    return converted if bad_characters(converted) else converted[:width]


# --- reading ------------------------------------------------------------------------------------------------------

def _fields(layout, line: bytes, number: int) -> dict[str, str]:
    values, position = {}, 0
    for name, width, _kind in layout:
        try:
            values[name] = line[position:position + width].decode(ENCODING).rstrip(" ")
        except UnicodeDecodeError:
            raise ZenginError("{line}行目: {field}（{start}〜{end}バイト目）に Shift_JIS で読めないバイトがあります",
                              line=number, field=name, start=position + 1, end=position + width) from None
        position += width
    return values


def _number(values: dict, name: str, line: int) -> int:
    text = values[name].strip()
    if not text.isdigit():
        raise ZenginError("{line}行目: {field} が数字ではありません: 「{value}」", line=line, field=name, value=text)
    return int(text)


def parse(data: bytes, year: int | None = None) -> ZenginFile:
    """Read a request or result file back by the layout; checks record types, lengths and the trailer totals.

    The header holds the debit date as MMDD only: `year` (default: the current one) completes it."""
    data = data.rstrip(b"\x1a")
    if b"\n" not in data and len(data) % RECORD_LENGTH == 0:  # some banks send records without line breaks
        lines = [data[i:i + RECORD_LENGTH] for i in range(0, len(data), RECORD_LENGTH)]
    else:
        lines = data.split(b"\r\n") if b"\r\n" in data else data.split(b"\n")
    while lines and not lines[-1].strip(b"\x1a \r"):
        lines.pop()
    if not lines:
        raise ZenginError("ファイルが空です")
    for number, line in enumerate(lines, 1):
        if len(line) != RECORD_LENGTH:
            raise ZenginError("{line}行目: レコード長が{length}バイトです（120バイトのはずです）", line=number,
                              length=len(line))
    kinds = [line[:1] for line in lines]
    if kinds[0] != b"1" or kinds[-1] != b"9" or kinds[-2:-1] != [b"8"] or any(k != b"2" for k in kinds[1:-2]):
        raise ZenginError("レコードの並びが ヘッダー(1)・データ(2)・トレーラー(8)・エンド(9) ではありません")
    head = _fields(HEADER, lines[0], 1)
    if head["kind_code"] != "91":
        raise ZenginError("種別コードが{code}です（口座振替は91）", code=head["kind_code"])
    mmdd = head["debit_date"]
    debit_date = None
    this_year = date.today().year
    for candidate in (year,) if year else range(this_year, this_year + 4):  # 0229 needs a leap year
        try:
            debit_date = date(candidate, int(mmdd[:2]), int(mmdd[2:]))
            break
        except ValueError:
            continue
    if debit_date is None:
        raise ZenginError("1行目: 引落日「{value}」が日付ではありません", value=mmdd)
    header = Header(head["client_code"], head["client_name"], debit_date, head["bank_code"], head["bank_name"],
                    head["branch_code"], head["branch_name"], head["account_type"], head["account_number"])
    records = []
    for number, line in enumerate(lines[1:-2], 2):
        values = _fields(DATA, line, number)
        records.append(Debit(values["bank_code"], values["bank_name"], values["branch_code"], values["branch_name"],
                             values["account_type"], values["account_number"], values["holder"],
                             _number(values, "amount", number), values["customer_number"].strip(),
                             values["new_code"], values["result_code"]))
    row = len(lines) - 1
    trailer = _fields(TRAILER, lines[-2], row)
    file = ZenginFile(header, tuple(records), *(_number(trailer, name, row) for name in (
        "count", "total", "done_count", "done_total", "failed_count", "failed_total")))
    _check_totals(file, row)
    return file


def _check_totals(file: ZenginFile, row: int) -> None:
    done = [record for record in file.records if record.result_code == "0"]
    failed = [record for record in file.records if record.result_code != "0"]
    expected = {"件数": (file.count, len(file.records)), "金額": (file.total, sum(r.amount for r in file.records))}
    if file.done_count or file.failed_count or failed:  # a result file: the split is checked too
        expected.update({"振替済件数": (file.done_count, len(done)),
                         "振替済金額": (file.done_total, sum(r.amount for r in done)),
                         "振替不能件数": (file.failed_count, len(failed)),
                         "振替不能金額": (file.failed_total, sum(r.amount for r in failed))})
    for name, (stated, counted) in expected.items():
        if stated != counted:
            raise ZenginError("{line}行目 トレーラー: {field} {stated} がデータレコードの合計 {counted} と合いません",
                              line=row, field=name, stated=stated, counted=counted)


# --- bank and branch codes (the zengin-code data set) ----------------------------------------------------------

@lru_cache(maxsize=1)
def _data_folder() -> Path:
    """The data set's folder, found without importing zengin_code (its import parses every branch file)."""
    spec = importlib.util.find_spec("zengin_code")
    if spec is None or not spec.submodule_search_locations:
        raise ZenginError("全銀コード表（zengin-code）が見つかりません")
    return Path(next(iter(spec.submodule_search_locations))) / "source-data" / "data"


@lru_cache(maxsize=1)
def _banks() -> dict:
    return json.loads((_data_folder() / "banks.json").read_text("utf-8"))


@lru_cache(maxsize=64)
def _branches(bank_code: str) -> dict:
    path = _data_folder() / "branches" / f"{bank_code}.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def bank_and_branch(bank_code: str, branch_code: str) -> tuple[str, str, str, str]:
    """(bank name, bank kana, branch name, branch kana) from the 全銀 code data; ZenginError when unknown."""
    if not (bank_code.isdigit() and len(bank_code) == 4):
        raise ZenginError("金融機関コード「{code}」は4桁の数字です", code=bank_code)
    if not (branch_code.isdigit() and len(branch_code) == 3):
        raise ZenginError("支店コード「{code}」は3桁の数字です", code=branch_code)
    bank = _banks().get(bank_code)
    if bank is None:
        raise ZenginError("金融機関コード「{code}」は全銀コード表にありません", code=bank_code)
    branch = _branches(bank_code).get(branch_code)
    if branch is None:
        raise ZenginError("{bank}に支店コード「{code}」はありません", bank=bank["name"], code=branch_code)
    return bank["name"], bank_kana(bank["kana"]), branch["name"], bank_kana(branch["kana"])
