"""The columns of an internet-banking statement download (入出金明細) for payment reconciliation;
services.bank_statement reads one through the one import runner (services.importing).

CSV (UTF-8 with or without BOM, or Shift_JIS/cp932) or XLSX. Banks name their columns differently and
some put account information above the header, so the header is the first row in which a date, a
deposit amount and a payer column are recognised (COLUMN_ALIASES), or the columns are given by the user
(``--map date=取引日,amount=5,payer=摘要``). Only deposits are kept: a line whose deposit amount is
empty, zero or negative is a withdrawal and is skipped. A line that cannot be read is reported as a
Problem (file line + column) and the rest of the file is still read (then refused as a whole).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date, datetime

from tama_desk.domain.dates import parse_date
from tama_desk.domain.money import EMPTY_MARKS, parse_yen
from tama_desk.domain.statement import StatementLine, identity
from tama_desk.errors import UserError
from tama_desk.exports.tables import Column, TableSpec, is_blank, normalize_header
from tama_desk.i18n import Message


# --- values -------------------------------------------------------------------------------------
def _statement_date(value: object) -> date:
    """A statement's date cell: what dates.parse_date reads (always with its year), also 20260401 as a number."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    try:
        return parse_date(value, require_year=True)
    except OverflowError as error:
        raise ValueError(str(error)) from error


def _statement_amount(value: object) -> int | None:
    """Yen (negative allowed: a withdrawal in a signed column); None for an empty cell or a dash."""
    return parse_yen(value, allow_negative=True, blank=None) if _cell_text(value) not in EMPTY_MARKS else None


def _read_date(value: object) -> date:
    try:
        return _statement_date(value)
    except ValueError:
        raise ValueError("日付を読み取れません（{value}）") from None


def _read_amount(value: object) -> int | None:
    try:
        return _statement_amount(value)
    except ValueError:
        raise ValueError("金額を読み取れません（{value}）") from None


def _read_balance(value: object) -> int | None:
    try:
        return _statement_amount(value)
    except ValueError:
        return None  # a balance that cannot be read is only left out


# The columns of a statement: header names per column, best first (when several columns match, the earliest
# alias wins), compared by tables.normalize_header ("お預り金額（円）" = "お預り金額円").
STATEMENT = TableSpec("入出金明細", [
    Column("date", "日付", "Date", required=True, parse=_read_date, width=12, missing="日付がありません",
           aliases=("取引日", "お取引日", "日付", "年月日", "取扱日", "お取扱日", "入出金日", "勘定日")),
    Column("amount", "入金額", "Deposit", required=True, parse=_read_amount, width=14,
           aliases=("入金金額", "お預り金額", "お預かり金額", "預り金額", "預かり金額", "お預入金額", "お預入れ金額",
                    "預入金額", "入金額", "入金", "金額(入金)", "お預り金額(円)", "入金金額(円)", "入金(円)",
                    "お預入れ", "お預け入れ", "預入れ", "ご入金額",
                    # one signed column for both directions (楽天): a negative amount is a withdrawal;
                    # not used when a 区分 column says the direction (SIGNED_AMOUNT_ALIASES)
                    "入出金", "入出金額", "入出金(円)")),
    Column("payer", "振込依頼人名", "Payer", required=True, parse=lambda cell: _cell_text(cell), width=30,
           missing=None,
           aliases=("振込依頼人名", "依頼人名", "振込依頼人", "摘要内容", "お取引内容", "取引内容", "お取り扱い内容",
                    "お取扱内容", "取扱内容", "入出金内容", "内容", "摘要")),
    Column("balance", "残高", "Balance", parse=_read_balance, width=14,
           aliases=("残高", "差引残高", "取引後残高", "残高(円)", "差引残高(円)", "取引後残高(円)")),
])
ROLES = tuple(column.key for column in STATEMENT.columns)
REQUIRED_ROLES = tuple(column.key for column in STATEMENT.columns if column.required)
ROLE_LABELS = {column.key: column.header for column in STATEMENT.columns}
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {column.key: column.aliases for column in STATEMENT.columns}
# Role names a mapping spec accepts beyond the columns' own names (`金額=5`, `名義=摘要`).
_MORE_ROLE_NAMES = {normalize_header(name): role for name, role in (("金額", "amount"), ("名義", "payer"),
                                                                      ("依頼人", "payer"))}

SIGNED_AMOUNT_ALIASES = ("入出金", "入出金額", "入出金(円)")
DIRECTION_COLUMNS = ("区分", "入出金区分", "入払区分", "取引区分", "入金出金区分")

header_key = normalize_header  # the one header normaliser
_SIGNED_KEYS = {header_key(alias) for alias in SIGNED_AMOUNT_ALIASES}
_DIRECTION_KEYS = {header_key(name) for name in DIRECTION_COLUMNS}


# --- columns ------------------------------------------------------------------------------------
def _detect_roles(headers: list[str]) -> dict[str, int]:
    """Every role found in the headers (possibly incomplete); one column per role, never shared.
    An unsigned 入出金 column with a 区分 column beside it would turn withdrawals into deposits."""
    directed = not _DIRECTION_KEYS.isdisjoint(header_key(header) for header in headers)
    return STATEMENT.find_columns(headers, {"amount": _SIGNED_KEYS} if directed else None)


def detect_mapping(headers: list[str]) -> dict[str, int] | None:
    """Column index (0-based) per role ("date", "amount", "payer", optional "balance"), or None when the
    date, amount and payer columns are not all recognised."""
    found = _detect_roles(headers)
    return found if all(role in found for role in REQUIRED_ROLES) else None


def parse_mapping(spec: str, headers: list[str]) -> dict[str, int]:
    """The columns given as ``date=COL,amount=COL,payer=COL[,balance=COL]``; COL is a header name
    (compared like the aliases) or a column number counted from 1. Roles not given are detected from
    the headers. Raises UserError for an unknown role or column, or when date/amount/payer are missing."""
    keys = [header_key(header) for header in headers]
    mapping: dict[str, int] = {}
    for role, column in _spec_parts(spec):
        folded = unicodedata.normalize("NFKC", column)
        if folded.isdigit():
            index = int(folded) - 1
            if not 0 <= index < len(headers):
                raise UserError("列番号 {number} はありません（列は {count} 列です）", number=folded, count=len(headers))
        elif header_key(column) in keys:
            index = keys.index(header_key(column))
        else:
            shown = tuple(h for h in headers if h) or "（なし）"
            raise UserError("列「{column}」が見つかりません。見出し: {shown}", column=column, shown=shown)
        mapping[role] = index
    detected = _detect_roles(headers)
    for role, index in detected.items():
        if role not in mapping and index not in mapping.values():
            mapping[role] = index
    missing = [ROLE_LABELS[role] for role in REQUIRED_ROLES if role not in mapping]
    if missing:
        raise UserError("列の指定が足りません: {missing}（date=列,amount=列,payer=列）", missing=tuple(missing))
    return mapping


_SPEC_PART_RE = re.compile(r"\s*([^=＝:：]+?)\s*[=＝:：]\s*(.+?)\s*")


def _spec_parts(spec: str) -> list[tuple[str, str]]:
    """(role, column text) per "role=COL" of a mapping spec; UserError when a part cannot be read."""
    parts = []
    for part in re.split(r"[,、，]", spec or ""):
        if not part.strip():
            continue
        match = _SPEC_PART_RE.fullmatch(part)
        role = (STATEMENT.key_for(match.group(1)) or _MORE_ROLE_NAMES.get(header_key(match.group(1)))
                if match else None)
        if match is None or role is None:
            raise UserError("列の指定「{part}」が読めません。date=列,amount=列,payer=列 の形で指定してください"
                            "（列は見出し名か、左から数えた列番号。残高は balance=列）", part=part.strip())
        parts.append((role, match.group(2)))
    return parts


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- reading ------------------------------------------------------------------------------------
def _find_header(rows: list[tuple[int, list[object]]], spec: str | None) -> tuple[int, dict[str, int]] | None:
    """(position in rows of the header, mapping), trying each row from the top."""
    for position, (_, row) in enumerate(rows):
        if is_blank(row):
            continue
        headers = [_cell_text(cell) for cell in row]
        if spec:
            try:
                return position, parse_mapping(spec, headers)
            except UserError:
                continue
        mapping = detect_mapping(headers)
        if mapping is not None:
            return position, mapping
    return None


def _shown_headers(rows: list[tuple[int, list[object]]]) -> tuple[str, ...] | str:
    filled = [[_cell_text(c) for c in row if _cell_text(c)] for _, row in rows[:20]]
    filled = [cells for cells in filled if cells]
    best = next((cells for cells in filled if len(cells) >= 3), filled[0] if filled else [])
    return tuple(best) or "（なし）"


def _only_numbers(spec: str) -> bool:
    columns = [column for _, column in _spec_parts(spec)]
    return bool(columns) and all(unicodedata.normalize("NFKC", column).isdigit() for column in columns)


_TOTAL_WORDS = ("合計", "小計", "総計", "計")


def locate(rows: list[tuple[int, list[object]]], mapping_spec: str | None, filename: str,
           ) -> tuple[list[str], dict[str, int], int]:
    """(the header's cells, the column of each role, the position in `rows` of the first data row).

    The header is the first row where the columns are recognised (or where ``mapping_spec`` fits); rows above
    it (account number, period…) are skipped. With a spec of column numbers only and no recognisable header,
    the data starts at the first row whose date can be read (the rows above are a preamble; the one just above
    names the columns when it fills them). Raises UserError when no header is found."""
    headerless = bool(mapping_spec) and _only_numbers(mapping_spec or "")
    if headerless:
        width = max((len(row) for _, row in rows), default=0)
        mapping = parse_mapping(mapping_spec or "", [""] * width)
        return _after_preamble(rows, mapping)
    if (found := _find_header(rows, mapping_spec)) is not None:
        position, mapping = found
        return [_cell_text(cell) for cell in rows[position][1]], mapping, position + 1
    if mapping_spec:
        widest = max(rows, key=lambda r: sum(1 for c in r[1] if _cell_text(c)), default=(0, []))
        parse_mapping(mapping_spec, [_cell_text(cell) for cell in widest[1]])  # raises, naming the column
        raise UserError("{file}: 指定した列がそろった見出し行が見つかりません", file=filename)
    raise UserError(
        "{file}: 入出金明細の見出し行（取引日・入金金額・振込依頼人名など）が見つかりません。"
        "--map date=列,amount=列,payer=列 または列の対応づけ画面で、日付・入金額・振込依頼人名の列を"
        "指定してください。見つかった見出し: {shown}", file=filename, shown=_shown_headers(rows))


def _after_preamble(rows: list[tuple[int, list[object]]], mapping: dict[str, int],
                    ) -> tuple[list[str], dict[str, int], int]:
    previous: list[str] = []
    for position, (_line, row) in enumerate(rows):
        cells = [_cell_text(cell) for cell in row]
        date_text = cells[mapping["date"]] if mapping["date"] < len(cells) else ""
        if is_blank(row) or skipped(cells, mapping):
            continue
        try:
            _statement_date(date_text)
        except ValueError:
            previous = cells
            continue
        named = all(index < len(previous) and previous[index] for index in mapping.values())
        return (previous if named else []), mapping, position
    return [], mapping, len(rows)


def cell_text(row: list[object], index: int | None) -> str:
    return _cell_text(row[index]) if index is not None and index < len(row) else ""


def skipped(cells: list[str], mapping: dict[str, int], headers: list[str] | None = None) -> bool:
    """A row that is not a deposit line, left out before it is read: the header again, a total (合計…), a row
    without date and payer."""
    date_text, payer = cell_text(cells, mapping.get("date")), cell_text(cells, mapping.get("payer"))
    return cells == headers or date_text.startswith(_TOTAL_WORDS) or (not date_text and not payer)


def withdrawal(cell: object) -> bool:
    """No deposit in the amount cell (empty, a dash, zero or negative): the line is skipped."""
    if _cell_text(cell) in EMPTY_MARKS:
        return True
    try:
        amount = _statement_amount(cell)
    except ValueError:
        return False  # read, and reported, as the amount column's problem
    return amount is None or amount <= 0


def column_names(headers: list[str], mapping: dict[str, int]) -> dict[str, object]:
    """How problems name each role's column: the file's own header, else 「3列目」."""
    return {role: headers[index] if index < len(headers) and headers[index] else Message("{n}列目", n=index + 1)
            for role, index in mapping.items()}


def numbered(lines: list[StatementLine]) -> list[StatementLine]:
    """Each line with its occurrence: how many identical lines (date, amount, payer, balance) stand above it."""
    counts: Counter[tuple[object, ...]] = Counter()
    result = []
    for line in lines:
        key = identity(line)
        result.append(StatementLine(line.line, line.date, line.amount, line.payer, line.raw, line.balance,
                                    counts[key]))
        counts[key] += 1
    return result
