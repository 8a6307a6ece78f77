"""How long records must be kept (保存期間), plain dates in, plain dates out.

Accounting records — invoices, credit notes, receipts, payments, expenditures and contract costs with their
vouchers, journal batches — are kept ten years from the end of their fiscal year (一般社団法人法120条2項; the
tax law's seven years is the lesser rule); minutes ten years from the meeting (法57条・97条). Inside that window
a record is withdrawn or cancelled, never deleted.
"""

from __future__ import annotations

from datetime import date

from tama_desk.domain.dates import format_date_ja
from tama_desk.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from tama_desk.errors import UserError

YEARS = 10


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def accounting_kept_until(day: date, start_month: int = 4) -> date:
    """The last day a record of `day` must be kept: the end of its fiscal year, ten years on."""
    _start, end = fiscal_year_bounds(fiscal_year_of(day, start_month), start_month)
    return _years_later(end, YEARS)


class RetentionError(UserError):
    title = "保存期間内の記録です"  # the dialog's title in the window


def refuse_delete(record: str, kept_until: date, today: date) -> None:
    """Deleting `record` (its name, e.g. 「支出 V-12（旅費 12,000円）」) is refused until `kept_until` has passed."""
    if today <= kept_until:
        raise RetentionError("{record}は{until}まで保存が必要なため削除できません（法定の保存期間）。"
                             "取消・訂正として記録してください", record=record, until=format_date_ja(kept_until))
