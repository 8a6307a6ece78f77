from datetime import date

import pytest

from tama_desk.domain.retention import accounting_kept_until, refuse_delete
from tama_desk.errors import UserError


@pytest.mark.parametrize("day,start_month,until", [
    (date(2026, 4, 1), 4, date(2037, 3, 31)),
    (date(2027, 3, 31), 4, date(2037, 3, 31)),
    (date(2027, 4, 1), 4, date(2038, 3, 31)),
    (date(2026, 5, 1), 1, date(2036, 12, 31)),
    (date(2015, 6, 1), 7, date(2025, 6, 30)),
])
def test_accounting_records_are_kept_ten_years_from_the_end_of_their_fiscal_year(day, start_month, until):
    assert accounting_kept_until(day, start_month) == until


def test_a_delete_inside_the_period_names_the_record_and_the_date():
    with pytest.raises(UserError) as error:
        refuse_delete("支出 V1", date(2037, 3, 31), date(2037, 3, 31))
    assert str(error.value).startswith("支出 V1は2037年3月31日まで保存が必要なため削除できません")
    refuse_delete("支出 V1", date(2037, 3, 31), date(2037, 4, 1))
