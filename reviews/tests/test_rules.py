"""reviews.rules: when the LAC review and the report for it are due (timescales.md §4;
reg. 33 CPPCR 2010; 003 10.22), at the edges: working days over bank holidays, month
ends, the period of care."""

import dataclasses
from datetime import date

import pytest

from duties.rules import status
from reviews.rules import (
    LAC_REVIEW,
    ReviewRules,
    held_in_period,
    lac_review_due,
    review_after,
    review_report_due,
)

R = ReviewRules.defaults()
START = date(2026, 3, 2)  # a Monday


def due(reviews=(), *, since=START, today=date(2028, 1, 1), rules=R):
    held = held_in_period(reviews, looked_after_since=since, today=today)
    return lac_review_due(held, rules, looked_after_since=since)


def test_the_defaults_are_the_timescales_values_each_with_its_source():
    assert dataclasses.asdict(R) == {
        "lac_review_first_working_days": 20,
        "lac_review_second_months": 3,
        "lac_review_subsequent_months": 6,
        "report_before_initial_review_working_days": 3,
        "report_before_later_review_working_days": 5,
    }
    for name, (text, source) in ReviewRules.field_help().items():
        assert text.strip() and source.startswith("TS §4"), name


@pytest.mark.parametrize(
    "changes", [{"lac_review_second_months": 0}, {"lac_review_subsequent_months": True}]
)
def test_bad_values_are_refused(changes):
    with pytest.raises((ValueError, TypeError)):
        ReviewRules(**changes)


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 30)),
        (date(2027, 3, 8), date(2027, 4, 7)),  # over Easter 2027
        (date(2026, 12, 1), date(2026, 12, 31)),  # over Christmas 2026
        (date(2026, 4, 27), date(2026, 5, 27)),  # over both May bank holidays
    ],
)
def test_first_review_within_20_working_days(since, expected):
    d = due(since=since, today=since)
    assert (d.kind, d.due) == (LAC_REVIEW, expected)
    assert "reg. 33" in d.source


def test_first_review_counts_from_looked_after_not_placement_start():
    d = lac_review_due(
        [], R, looked_after_since=date(2026, 3, 2), placement_start=date(2026, 3, 16)
    )
    assert d.due == date(2026, 3, 30)
    without = lac_review_due([], R, looked_after_since=None, placement_start=date(2026, 3, 16))
    assert without.due == date(2026, 4, 15)  # 16 Mar + 20 working days, over Easter 2026
    assert "date not given" in without.basis
    with pytest.raises(ValueError):
        lac_review_due([], R, looked_after_since=None)


@pytest.mark.parametrize(
    ("reviews", "expected"),
    [
        ([date(2026, 3, 30)], date(2026, 6, 30)),
        ([date(2026, 11, 30)], date(2027, 2, 28)),
        ([date(2027, 11, 30)], date(2028, 2, 29)),
        ([date(2026, 3, 30), date(2026, 6, 30)], date(2026, 12, 30)),
        ([date(2026, 3, 30), date(2026, 8, 31)], date(2027, 2, 28)),
        ([date(2026, 3, 30), date(2026, 6, 12), date(2026, 12, 1)], date(2027, 6, 1)),
        ([date(2026, 6, 30), date(2026, 3, 30)], date(2026, 12, 30)),  # order does not matter
    ],
)
def test_second_within_3_months_then_every_6_months(reviews, expected):
    assert due(reviews).due == expected


def test_reviews_from_an_earlier_period_of_care_or_not_yet_held_are_ignored():
    reviews = [date(2025, 1, 10), date(2025, 4, 10), date(2026, 4, 20)]
    assert held_in_period(reviews, looked_after_since=START, today=date(2026, 3, 10)) == []
    assert due(reviews, today=date(2026, 3, 10)).due == date(2026, 3, 30)
    # The same review twice counts once.
    held = held_in_period([date(2026, 3, 30)] * 2, looked_after_since=START, today=date(2026, 4, 1))
    assert held == [date(2026, 3, 30)]


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 6, 29), "open"), (date(2026, 6, 30), "open"), (date(2026, 7, 1), "overdue")],
)
def test_review_due_edges(on, expected):
    assert status(due([date(2026, 3, 30)], today=on), on, None) == expected


def test_the_review_after_next_is_projected_from_the_next():
    assert review_after(date(2026, 3, 30), 0, R) == date(2026, 6, 30)
    assert review_after(date(2026, 8, 31), 1, R) == date(2027, 2, 28)  # a month end


@pytest.mark.parametrize(
    ("review", "initial", "expected"),
    [
        (date(2026, 3, 5), True, date(2026, 3, 2)),
        (date(2026, 3, 5), False, date(2026, 2, 26)),
        (date(2027, 3, 31), True, date(2027, 3, 24)),  # over Easter 2027
        (date(2027, 1, 5), False, date(2026, 12, 24)),  # over Christmas and New Year
        (date(2026, 5, 26), True, date(2026, 5, 20)),  # over the spring bank holiday
        (date(2026, 5, 7), False, date(2026, 4, 29)),  # over the early May bank holiday
    ],
)
def test_review_report_due(review, initial, expected):
    assert review_report_due(review, initial, R) == expected
