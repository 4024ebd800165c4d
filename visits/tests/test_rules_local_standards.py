"""visits.rules at the edges: short breaks (003 appendix "Short Breaks"), the local
standards of 003 10.2 and 10.10 (seen on the day of placement, bedroom seen every 12
weeks) and the authority's setting of which placements the purposeful visiting schedule
(TS §2, 000) covers.

Each rule is checked the day before, on and after its due date, at month ends for the
3-month rules (a leap year included) and on bank holidays, which move no calendar date.
"""

from datetime import date, datetime

import holidays
import pytest

from duties.rules import status
from visits.rules import (
    BEDROOM_SEEN,
    IRO_VISIT,
    PLACEMENT_DAY_VISIT,
    PURPOSEFUL_SETTING_KINDS,
    PURPOSEFUL_VISIT,
    STATUTORY_VISIT,
    RuleSet,
    ScheduleOverride,
    bedroom_seen_due,
    placement_day_visit_due,
)
from visits.tests.rule_helpers import LONDON, START, R, due_date, due_of, placement, visit

ENGLAND = holidays.country_holidays("GB", subdiv="ENG")


# ============================================================================================
# Short breaks (LS V3/V4, reg. 48): within 3 months of the first stay, then every 3 months
# ============================================================================================


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2025, 11, 30), date(2026, 2, 28)),  # no 30 February: the month's last day
        (date(2027, 11, 30), date(2028, 2, 29)),  # leap year
        (date(2027, 11, 29), date(2028, 2, 29)),
        (date(2026, 8, 31), date(2026, 11, 30)),
        (date(2026, 3, 2), date(2026, 6, 2)),
        (date(2026, 12, 31), date(2027, 3, 31)),
    ],
)
def test_short_breaks_first_visit_within_three_calendar_months(start, expected):
    p = placement("short_breaks", start=start)
    assert due_date(STATUTORY_VISIT, p, today=start) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 27), "open"),  # the day before
        (date(2026, 2, 28), "open"),  # on the day
        (date(2026, 3, 1), "overdue"),  # the day after
    ],
)
def test_short_breaks_first_visit_is_overdue_the_day_after(today, expected):
    p = placement("short_breaks", start=date(2025, 11, 30))
    d = due_of(STATUTORY_VISIT, p, today=today)
    assert d.due == date(2026, 2, 28)
    assert status(d, today, None) == expected


@pytest.mark.parametrize(
    ("visited", "expected"),
    [
        (date(2026, 2, 27), date(2026, 5, 27)),  # the day before it was due
        (date(2026, 2, 28), date(2026, 5, 28)),  # on the day
        (date(2026, 3, 1), date(2026, 6, 1)),  # the day after: counted from the visit
        (date(2026, 5, 31), date(2026, 8, 31)),
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2027, 11, 30), date(2028, 2, 29)),
    ],
)
def test_short_breaks_then_every_three_months_from_the_last_visit(visited, expected):
    p = placement("short_breaks", start=date(2025, 11, 30))
    visits = [visit("statutory", visited)]
    assert due_date(STATUTORY_VISIT, p, visits, today=visited) == expected


def test_short_breaks_visits_of_another_kind_do_not_count():
    p = placement("short_breaks", start=date(2025, 11, 30))
    visits = [visit("iro", date(2026, 1, 10)), visit("purposeful", date(2026, 1, 11))]
    assert due_date(STATUTORY_VISIT, p, visits, today=date(2026, 2, 1)) == date(2026, 2, 28)


def test_short_breaks_agreed_frequency_wins_from_the_day_it_is_agreed():
    agreed = date(2026, 1, 15)
    own = ScheduleOverride(None, 2, "IRO and parents", agreed)
    p = placement("short_breaks", start=date(2025, 11, 30), overrides={STATUTORY_VISIT: own})
    # a visit the day before it was agreed: the appendix's 3 months
    before = [visit("statutory", date(2026, 1, 14))]
    assert due_date(STATUTORY_VISIT, p, before, today=agreed) == date(2026, 4, 14)
    # on the day agreed, and after: the agreed 2 months
    on = [visit("statutory", agreed)]
    assert due_date(STATUTORY_VISIT, p, on, today=agreed) == date(2026, 3, 15)
    after = [visit("statutory", date(2026, 12, 31))]
    assert due_date(STATUTORY_VISIT, p, after, today=date(2027, 1, 1)) == date(2027, 2, 28)


def test_short_breaks_months_are_rule_values():
    p = placement("short_breaks", start=date(2026, 3, 2))
    rules = RuleSet(short_breaks_first_visit_months=1, short_breaks_interval_months=2)
    assert due_date(STATUTORY_VISIT, p, today=START, rules=rules) == date(2026, 4, 2)
    visits = [visit("statutory", date(2026, 3, 31))]
    assert due_date(STATUTORY_VISIT, p, visits, today=date(2026, 4, 1), rules=rules) == date(
        2026, 5, 31
    )


def test_a_short_break_series_has_no_duty_after_it_ends():
    p = placement("short_breaks", start=date(2026, 3, 2), end=date(2026, 5, 1))
    assert due_of(STATUTORY_VISIT, p, today=date(2026, 4, 1)) is None


# ============================================================================================
# 003 10.2: see the child on the day they were placed
# ============================================================================================


def day_due(p, visits=(), *, today, rules=R):
    return placement_day_visit_due(p, list(visits), rules, today=today)


def test_placement_day_visit_is_due_on_the_day_of_placement():
    d = day_due(placement(), today=START)
    assert (d.kind, d.due, d.due_at) == (PLACEMENT_DAY_VISIT, START, None)
    assert d.basis == "See the child on the day they were placed, 2 March 2026"
    assert d.source == "TS §1 local standards: 003 10.2"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 1), "open"),  # the day before (a placement planned for tomorrow)
        (date(2026, 3, 2), "open"),  # on the day
        (date(2026, 3, 3), "overdue"),  # the day after
    ],
)
def test_placement_day_visit_is_overdue_the_day_after(today, expected):
    assert status(day_due(placement(), today=today), today, None) == expected


@pytest.mark.parametrize("kind", ["statutory", "purposeful"])
def test_seen_on_the_day_by_either_of_the_social_workers_visits(kind):
    visits = [visit(kind, datetime(2026, 3, 2, 21, 30, tzinfo=LONDON))]
    assert day_due(placement(), visits, today=START) is None


@pytest.mark.parametrize(
    ("visits", "today"),
    [
        ([visit("purposeful", date(2026, 3, 1))], START),  # the day before: before placement
        ([visit("iro", date(2026, 3, 2))], START),  # not the social worker
        ([visit("purposeful", date(2026, 3, 3))], date(2026, 3, 3)),  # after, not statutory
        ([visit("statutory", date(2026, 3, 2))], date(2026, 3, 1)),  # dated later than today
    ],
)
def test_not_seen_on_the_day(visits, today):
    d = day_due(placement(), visits, today=today)
    assert d is not None and d.due == START


def test_a_missed_day_is_ended_by_the_first_statutory_visit_of_the_placement():
    visits = [visit("purposeful", date(2026, 3, 3))]
    assert day_due(placement(), visits, today=date(2026, 3, 5)).due == START
    visits.append(visit("statutory", date(2026, 3, 6)))
    assert day_due(placement(), visits, today=date(2026, 3, 5)).due == START  # not yet made
    assert day_due(placement(), visits, today=date(2026, 3, 6)) is None


def test_placement_day_on_a_bank_holiday_is_not_moved():
    christmas = date(2026, 12, 25)
    assert christmas in ENGLAND
    assert day_due(placement(start=christmas), today=christmas).due == christmas
    boxing_day_visit = [visit("statutory", date(2026, 12, 28))]  # the next working day
    assert day_due(placement(start=christmas), boxing_day_visit, today=christmas).due == christmas


def test_placement_day_visit_days_is_a_rule_value():
    rules = RuleSet(placement_day_visit_days=1)
    d = day_due(placement(), today=START, rules=rules)
    assert d.due == date(2026, 3, 3)
    assert "within 1 day of the day they were placed" in d.basis
    assert (
        day_due(
            placement(), [visit("statutory", date(2026, 3, 3))], today=date(2026, 3, 3), rules=rules
        )
        is None
    )
    with pytest.raises(ValueError):
        RuleSet(placement_day_visit_days=-1)


@pytest.mark.parametrize(
    ("kind", "flags", "applies"),
    [
        ("custody", {}, False),  # another body decides where the child lives
        ("placed_with_parent", {"care_order_made_while_with_parent": True}, False),
        ("placed_with_parent", {"interim_care_order_with_parent": True}, True),
        ("short_breaks", {}, True),  # the first stay of the series
        ("adoption", {}, True),
        ("unregistered", {}, True),
    ],
)
def test_placement_day_visit_applies_where_the_child_is_placed(kind, flags, applies):
    assert (day_due(placement(kind, **flags), today=START) is not None) is applies


def test_placement_day_visit_does_not_arise_after_a_placement_ended_that_day():
    p = placement(end=START)
    assert day_due(p, today=START).due == START
    later = [visit("statutory", date(2026, 3, 4))]  # after the placement: not its visit
    assert day_due(p, later, today=date(2026, 3, 4)).due == START


# ============================================================================================
# 003 10.10: the bedroom seen at least every 12 weeks
# ============================================================================================


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 5, 24), "open"),  # the day before
        (date(2026, 5, 25), "open"),  # on the day: the spring bank holiday, not moved
        (date(2026, 5, 26), "overdue"),  # the day after
    ],
)
def test_bedroom_seen_12_weeks_from_the_start_bank_holiday_not_moved(today, expected):
    d = bedroom_seen_due(placement(), [], R, today=today)
    assert (d.kind, d.due) == (BEDROOM_SEEN, date(2026, 5, 25))
    assert d.due in ENGLAND
    assert status(d, today, None) == expected


@pytest.mark.parametrize(
    ("seen_on", "expected"),
    [
        (date(2026, 5, 24), date(2026, 8, 16)),  # the day before it was due
        (date(2026, 5, 25), date(2026, 8, 17)),  # on the day
        (date(2026, 5, 26), date(2026, 8, 18)),  # late: counted from the visit
    ],
)
def test_bedroom_seen_counts_from_the_last_visit_it_was_seen(seen_on, expected):
    visits = [
        visit("statutory", seen_on, bedroom_seen=True),
        visit("statutory", date(2026, 6, 1), bedroom_seen=False),
    ]
    d = bedroom_seen_due(placement(), visits, R, today=date(2026, 6, 2))
    assert d.due == expected
    assert "bedroom last seen" in d.basis and "003 10.10" in d.source


def test_bedroom_seen_weeks_is_a_rule_value():
    d = bedroom_seen_due(placement(), [], RuleSet(bedroom_seen_weeks=6), today=START)
    assert d.due == date(2026, 4, 13)


# ============================================================================================
# Which placements the purposeful visiting schedule covers: the authority's setting
# ============================================================================================


def test_purposeful_schedule_defaults_follow_000():
    assert PURPOSEFUL_SETTING_KINDS == ("regulated", "in_house_fostering", "ifa_fostering", "other")
    assert [R.in_purposeful_schedule(k) for k in PURPOSEFUL_SETTING_KINDS] == [
        True,
        False,
        False,
        False,
    ]
    assert not R.in_purposeful_schedule("unregistered")  # TS §3 has its own schedule
    for kind in ("ifa_fostering", "in_house_fostering"):
        assert due_of(PURPOSEFUL_VISIT, placement(kind), today=START) is None
        assert due_of(IRO_VISIT, placement(kind), today=START, looked_after_since=START) is None


def test_an_authority_that_visits_ifa_placements_purposefully():
    rules = RuleSet(purposeful_includes_ifa_fostering=1)
    ifa = placement("ifa_fostering")
    d = due_of(PURPOSEFUL_VISIT, ifa, today=START, rules=rules)
    assert d.due == START  # a visit before the placement starts (TS §2)
    visits = [visit("purposeful", date(2026, 3, 1))]
    # then within every 12 weeks: the day before, on and after
    assert due_date(PURPOSEFUL_VISIT, ifa, visits, today=START, rules=rules) == date(2026, 5, 25)
    iro = due_of(IRO_VISIT, ifa, today=START, rules=rules, looked_after_since=START)
    assert iro is not None and "first LAC review" in iro.basis
    # in-house fostering stays out unless set too
    assert (
        due_of(PURPOSEFUL_VISIT, placement("in_house_fostering"), today=START, rules=rules) is None
    )


def test_an_authority_may_take_regulated_placements_out():
    rules = RuleSet(purposeful_includes_regulated=0)
    assert due_of(PURPOSEFUL_VISIT, placement("regulated"), today=START, rules=rules) is None
    # unregistered placements keep their own schedule (TS §3)
    assert due_of(PURPOSEFUL_VISIT, placement("unregistered"), today=START, rules=rules)


@pytest.mark.parametrize("value", [2, -1])
def test_a_purposeful_setting_is_0_or_1(value):
    with pytest.raises(ValueError):
        RuleSet(purposeful_includes_ifa_fostering=value)
