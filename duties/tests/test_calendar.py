"""duties.calendar: calendar days, weeks, months (clamped) and England working days."""

from datetime import date, datetime

import pytest

from duties.calendar import (
    add_calendar_days,
    add_months,
    add_weeks,
    add_working_days,
    bank_holidays,
    is_working_day,
    subtract_working_days,
    week_start,
)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 2), 7, date(2026, 3, 9)),
        (date(2026, 1, 31), 7, date(2026, 2, 7)),
        (date(2026, 12, 28), 7, date(2027, 1, 4)),
        (date(2028, 2, 28), 1, date(2028, 2, 29)),
        (date(2027, 2, 28), 1, date(2027, 3, 1)),
        (date(2026, 3, 9), -7, date(2026, 3, 2)),
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
        (datetime(2026, 3, 2, 23, 59), 1, date(2026, 3, 3)),
    ],
)
def test_add_calendar_days(start, n, expected):
    assert add_calendar_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 3), 6, date(2026, 4, 14)),
        (date(2026, 3, 2), 12, date(2026, 5, 25)),  # Spring bank holiday: not moved
        (date(2026, 12, 31), 1, date(2027, 1, 7)),
        (date(2028, 2, 22), 1, date(2028, 2, 29)),
    ],
)
def test_add_weeks(start, n, expected):
    assert add_weeks(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to month end
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 1, 28), 1, date(2026, 2, 28)),
        (date(2026, 1, 27), 1, date(2026, 2, 27)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2027, 2, 28), 12, date(2028, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
        (date(2026, 5, 31), -3, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
        (date(2026, 1, 15), 24, date(2028, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, n, expected):
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 24), True),  # Christmas Eve (Thursday) is a working day
        (date(2026, 12, 25), False),  # Christmas Day (Friday)
        (date(2026, 12, 26), False),  # Boxing Day (Saturday)
        (date(2026, 12, 28), False),  # Boxing Day substitute (Monday)
        (date(2026, 12, 29), True),
        (date(2027, 1, 1), False),  # New Year's Day
        (date(2027, 3, 25), True),
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 3, 30), True),
        (date(2026, 5, 4), False),  # Early May bank holiday 2026
        (date(2026, 5, 25), False),  # Spring bank holiday 2026
        (date(2027, 5, 3), False),  # Early May bank holiday 2027
        (date(2027, 5, 31), False),  # Spring bank holiday 2027
        (date(2026, 8, 31), False),  # Summer bank holiday (England, not Scotland's)
        (date(2026, 8, 3), True),  # Scotland's summer bank holiday is not England's
        (date(2027, 12, 27), False),  # Christmas Day substitute
        (date(2027, 12, 28), False),  # Boxing Day substitute
        (date(2028, 1, 3), False),  # New Year's Day substitute
        (date(2027, 1, 2), False),  # Saturday
        (date(2027, 1, 3), False),  # Sunday
        (date(2026, 6, 1), True),
        (datetime(2026, 12, 25, 9, 0), False),
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    ("event", "n", "expected"),
    [
        # The brief's example: skips the weekend, Christmas Day and the Boxing Day substitute.
        (date(2026, 12, 18), 5, date(2026, 12, 29)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2026, 12, 24), 3, date(2026, 12, 31)),
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        (date(2027, 12, 24), 1, date(2027, 12, 29)),
        (date(2027, 12, 31), 1, date(2028, 1, 4)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        (date(2027, 3, 24), 2, date(2027, 3, 30)),
        (date(2027, 3, 26), 1, date(2027, 3, 30)),  # event on a bank holiday
        # Early May and spring bank holidays.
        (date(2026, 5, 1), 1, date(2026, 5, 5)),
        (date(2027, 4, 30), 1, date(2027, 5, 4)),
        (date(2026, 5, 22), 1, date(2026, 5, 26)),
        (date(2027, 5, 28), 1, date(2027, 6, 1)),
        # Day 1 is the first working day after the event, even from a weekend.
        (date(2026, 3, 6), 1, date(2026, 3, 9)),
        (date(2026, 3, 7), 1, date(2026, 3, 9)),
        (date(2026, 3, 8), 1, date(2026, 3, 9)),
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
        (date(2026, 3, 2), 20, date(2026, 3, 30)),
        (date(2027, 3, 8), 20, date(2027, 4, 7)),
        (date(2026, 12, 1), 20, date(2026, 12, 31)),
        (date(2026, 3, 5), -3, date(2026, 3, 2)),  # negative counts backwards
    ],
)
def test_add_working_days(event, n, expected):
    assert add_working_days(event, n) == expected


@pytest.mark.parametrize(
    ("event", "n", "expected"),
    [
        (date(2026, 3, 5), 3, date(2026, 3, 2)),  # Thursday review, report Monday
        (date(2026, 3, 5), 5, date(2026, 2, 26)),
        (date(2027, 3, 31), 3, date(2027, 3, 24)),  # over Easter 2027
        (date(2027, 1, 5), 3, date(2026, 12, 30)),  # over New Year
        (date(2027, 1, 5), 5, date(2026, 12, 24)),  # over Christmas
        (date(2026, 5, 26), 1, date(2026, 5, 22)),  # over the spring bank holiday
        (date(2026, 3, 7), 1, date(2026, 3, 6)),  # from a Saturday
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
        (date(2026, 3, 2), -1, date(2026, 3, 3)),
    ],
)
def test_subtract_working_days(event, n, expected):
    assert subtract_working_days(event, n) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2)),  # Monday
        (date(2026, 3, 4), date(2026, 3, 2)),  # Wednesday
        (date(2026, 3, 8), date(2026, 3, 2)),  # Sunday
        (date(2026, 3, 9), date(2026, 3, 9)),
        (date(2027, 1, 1), date(2026, 12, 28)),  # across a year end
    ],
)
def test_week_start_is_monday(day, expected):
    assert week_start(day) == expected


def test_bank_holidays_built_from_the_holidays_package_and_cached():
    hols = bank_holidays(2026, 2027)
    assert date(2026, 12, 28) in hols
    assert date(2027, 3, 26) in hols
    assert date(2027, 3, 29) in hols
    assert date(2026, 8, 3) not in hols
    assert len(bank_holidays(2026, 2026)) == 9  # 8 England bank holidays + Boxing Day (Sat)
    assert bank_holidays(2026, 2027) is hols


def test_bank_holidays_range_must_be_ordered():
    with pytest.raises(ValueError):
        bank_holidays(2027, 2026)
