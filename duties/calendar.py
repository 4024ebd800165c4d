"""Date arithmetic for statutory timescales: calendar days, weeks, months and working days.

Pure functions of dates, no ORM. The counting conventions are those of
``timescales.md`` ("Conventions"):

- "within N days/weeks": calendar days from the event; 1 week = 7 days.
- "every N months": calendar months, clamped to the end of a shorter month
  (31 Jan + 1 month = 28/29 Feb).
- "working days": Monday to Friday, excluding bank holidays in England (the
  ``holidays`` package, country GB, subdivision ENG). Day 1 is the first working
  day after the event.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

import holidays

__all__ = [
    "add_calendar_days",
    "add_months",
    "add_weeks",
    "add_working_days",
    "bank_holidays",
    "is_working_day",
    "subtract_working_days",
    "week_start",
]

HOLIDAY_COUNTRY = "GB"
HOLIDAY_SUBDIVISION = "ENG"


def _as_date(d: date) -> date:
    """A ``datetime`` is a ``date`` subclass: keep only its calendar date."""
    return d.date() if isinstance(d, datetime) else d


def add_calendar_days(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar days (Conventions: "within N days")."""
    return _as_date(d) + timedelta(days=n)


def add_weeks(d: date, n: int) -> date:
    """``d`` plus ``n`` weeks of 7 calendar days (Conventions: "1 week = 7 days")."""
    return _as_date(d) + timedelta(weeks=n)


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped to the last day of the target month.

    Conventions: "a visit on 31 Jan plus 1 month is due 28/29 Feb". ``n`` may be
    negative.
    """
    d = _as_date(d)
    month_index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


@cache
def _bank_holidays_for_year(year: int) -> frozenset[date]:
    return frozenset(
        holidays.country_holidays(HOLIDAY_COUNTRY, subdiv=HOLIDAY_SUBDIVISION, years=year).keys()
    )


@lru_cache(maxsize=64)
def bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    """England bank holidays (including substitute days) from ``first_year`` to ``last_year``.

    Built from the ``holidays`` package (country GB, subdivision ENG) and cached
    per year range; no dates are listed by hand.
    """
    if last_year < first_year:
        raise ValueError("last_year must not be before first_year")
    result: frozenset[date] = frozenset()
    for year in range(first_year, last_year + 1):
        result |= _bank_holidays_for_year(year)
    return result


def is_working_day(d: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    d = _as_date(d)
    return d.weekday() < 5 and d not in _bank_holidays_for_year(d.year)


def _step_working_days(d: date, n: int, step: int) -> date:
    if n < 0:
        raise ValueError("n must not be negative")
    current = _as_date(d)
    counted = 0
    while counted < n:
        current += timedelta(days=step)
        if is_working_day(current):
            counted += 1
    return current


def add_working_days(d: date, n: int) -> date:
    """The ``n``-th working day after ``d``; day 1 is the first working day after ``d``.

    ``d`` itself never counts, whether or not it is a working day, and
    ``add_working_days(d, 0)`` is ``d``. A negative ``n`` counts backwards (see
    :func:`subtract_working_days`).
    """
    if n < 0:
        return subtract_working_days(d, -n)
    return _step_working_days(d, n, 1)


def subtract_working_days(d: date, n: int) -> date:
    """The ``n``-th working day before ``d`` (``d`` itself never counts).

    Used for "the report reaches the IRO 3 working days before an initial review"
    (timescales.md §4): a review on Thursday has its report due on Monday.
    """
    if n < 0:
        return add_working_days(d, -n)
    return _step_working_days(d, n, -1)


def week_start(d: date) -> date:
    """The Monday of the Monday-to-Sunday calendar week containing ``d``."""
    d = _as_date(d)
    return d - timedelta(days=d.weekday())
