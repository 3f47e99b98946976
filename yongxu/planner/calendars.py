"""Public holidays per country (the `holidays` package) and mainland China's official calendar with
its make-up working days (调休, `chinese-calendar`; outside the years it knows, `holidays` CN)."""

from datetime import date
from functools import lru_cache

import chinese_calendar
import holidays


@lru_cache(maxsize=512)
def _table(code: str, year: int) -> dict[date, str]:
    try:
        return dict(holidays.country_holidays(code, years=[year]))
    except NotImplementedError:  # a code `holidays` does not know ("Unspecified", "European Community")
        return {}


@lru_cache(maxsize=4096)
def _china(day: date) -> tuple[bool, str | None] | None:
    try:
        return chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the official calendar has not been published for
        return None


def holiday_name(code: str, day: date) -> str | None:
    """The public holiday's name if ``day`` is one in country ``code``, else None. In mainland China a
    day of the official holiday period counts, weekends inside it included; a make-up working day does not."""
    if code == "CN":
        detail = _china(day)
        if detail is not None:
            off, name = detail
            return name if off and name else None
    return _table(code, day.year).get(day)


def is_makeup_workday(code: str, day: date) -> bool:
    """A Saturday or Sunday that mainland China works, to make up for a bridged holiday."""
    if code != "CN" or day.weekday() < 5:
        return False
    detail = _china(day)
    return bool(detail and not detail[0])
