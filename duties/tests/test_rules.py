"""duties.rules: a duty's status and alert level on a day, and timescales as data."""

import dataclasses
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from duties.rules import AlertRules, Due, Timescales, alert_level, rule, status

LONDON = ZoneInfo("Europe/London")
R = AlertRules.defaults()
FRI_DUE = Due("statutory_visit", date(2026, 3, 13), None, "basis", "source")


@pytest.mark.parametrize(
    ("on", "done_on", "expected"),
    [
        (date(2026, 3, 12), None, "open"),
        (date(2026, 3, 13), None, "open"),
        (date(2026, 3, 14), None, "overdue"),
        (date(2026, 3, 14), date(2026, 3, 13), "done"),
        (date(2026, 3, 20), date(2026, 3, 18), "done"),  # done late
        (date(2026, 3, 14), date(2026, 3, 18), "overdue"),  # not yet done on that day
        (date(2026, 3, 12), date(2026, 3, 18), "open"),
    ],
)
def test_status(on, done_on, expected):
    assert status(FRI_DUE, on, done_on) == expected


def test_a_24_hour_duty_is_overdue_from_its_time():
    due_at = datetime(2026, 10, 25, 11, 0, tzinfo=LONDON)  # the day the clocks go back
    d = Due("purposeful_visit", due_at.date(), due_at, "b", "s")
    assert status(d, due_at.date(), None, now=datetime(2026, 10, 25, 10, 59)) == "open"
    assert status(d, due_at.date(), None, now=datetime(2026, 10, 25, 11, 1)) == "overdue"
    assert status(d, due_at.date(), datetime(2026, 10, 25, 10, 0)) == "done"


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (date(2026, 3, 13), date(2026, 3, 9), None),
        (date(2026, 3, 13), date(2026, 3, 10), "due_soon"),  # 3 working days before
        (date(2026, 3, 13), date(2026, 3, 13), "due_soon"),
        (date(2026, 3, 13), date(2026, 3, 14), "overdue"),
        (date(2026, 3, 13), date(2026, 3, 19), "overdue"),
        (date(2026, 3, 13), date(2026, 3, 20), "overdue_5"),  # 5 working days after
        (date(2026, 3, 14), date(2026, 3, 10), None),  # Saturday due date
        (date(2026, 3, 14), date(2026, 3, 11), "due_soon"),
        (date(2026, 3, 14), date(2026, 3, 15), "overdue"),
        (date(2026, 3, 14), date(2026, 3, 20), "overdue_5"),
        (date(2026, 12, 24), date(2026, 12, 18), None),
        (date(2026, 12, 24), date(2026, 12, 21), "due_soon"),
        (date(2026, 12, 24), date(2027, 1, 4), "overdue"),
        (date(2026, 12, 24), date(2027, 1, 5), "overdue_5"),  # over Christmas and New Year
    ],
)
def test_alert_level(due, today, expected):
    assert alert_level(Due("statutory_visit", due, None, "b", "s"), today, R) == expected


def test_alert_level_for_24_hour_duty_uses_now():
    due_at = datetime(2026, 10, 25, 11, 0, tzinfo=LONDON)
    d = Due("purposeful_visit", due_at.date(), due_at, "b", "s")
    today = date(2026, 10, 25)
    assert alert_level(d, today, R, now=datetime(2026, 10, 25, 10, 59)) == "due_soon"
    assert alert_level(d, today, R, now=datetime(2026, 10, 25, 11, 1)) == "overdue"
    assert alert_level(d, today, R) == "due_soon"
    assert alert_level(d, date(2026, 11, 2), R) == "overdue_5"


def test_the_alert_thresholds_are_product_settings_that_may_be_zero():
    assert dataclasses.asdict(R) == {
        "due_soon_working_days": 3,
        "overdue_escalation_working_days": 5,
    }
    assert AlertRules(due_soon_working_days=0).due_soon_working_days == 0
    for _name, (text, source) in AlertRules.field_help().items():
        assert text and source.startswith("Product setting")
    with pytest.raises(ValueError):
        AlertRules(due_soon_working_days=-1)


@dataclasses.dataclass(frozen=True)
class _Sample(Timescales):
    days: int = rule(7, "Days.", "TS §0")


@pytest.mark.parametrize("value", [0, -3, True, 7.0, "7"])
def test_a_timescale_is_a_whole_number_of_at_least_its_minimum(value):
    with pytest.raises((TypeError, ValueError)):
        _Sample(days=value)
    assert _Sample().days == 7 and _Sample.field_help() == {"days": ("Days.", "TS §0")}
