"""visits.rules: purposeful and IRO visits to regulated (timescales.md §2) and unregistered
placements (§3), and the whole schedule of a placement.

Dates are concrete; each case checks the day before, on and after where it matters.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from duties.rules import status
from visits.rules import (
    COMMISSIONING_VISIT,
    DUTY_KINDS,
    IRO_VISIT,
    PURPOSEFUL_VISIT,
    SERVICE_MANAGER_VISIT,
    STATUTORY_VISIT,
    ScheduleOverride,
    schedule,
)
from visits.tests.rule_helpers import LONDON, REVIEW_1, START, R, due_date, due_of, placement, visit

# ============================================================================================
# §2 purposeful visits to regulated placements
# ============================================================================================


@pytest.mark.parametrize(
    ("kind", "applies"),
    [
        ("in_house_fostering", False),
        ("ifa_fostering", False),
        ("regulated", True),
        ("unregistered", True),
        ("placed_with_parent", False),
        ("adoption", False),
        ("custody", False),
        ("short_breaks", False),
        ("other", False),
    ],
)
def test_purposeful_and_iro_visits_apply_to_regulated_and_unregistered(kind, applies):
    p = placement(kind)
    assert (due_of(PURPOSEFUL_VISIT, p, today=START) is not None) is applies
    assert (due_of(IRO_VISIT, p, today=START) is not None) is applies


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 3, 1), "open"), (date(2026, 3, 2), "open"), (date(2026, 3, 3), "overdue")],
)
def test_purposeful_visit_before_placement_due_on_start(on, expected):
    d = due_of(PURPOSEFUL_VISIT, placement("regulated"), today=on)
    assert d.due == START
    assert d.basis == "A visit before the placement starts on 2 March 2026"
    assert "ALL regulated placements" in d.source
    assert status(d, on, None) == expected


@pytest.mark.parametrize(
    ("visits", "permanent", "expected"),
    [
        # before-placement visit made: 12 weeks counted from the start
        ([date(2026, 2, 25)], False, date(2026, 5, 25)),
        ([date(2026, 3, 2)], False, date(2026, 5, 25)),  # dated on the start day
        ([date(2026, 2, 25), date(2026, 3, 20)], False, date(2026, 6, 12)),
        ([date(2026, 2, 25)], True, date(2026, 6, 2)),
        ([date(2026, 2, 25), date(2026, 5, 31)], True, date(2026, 8, 31)),
        # before-placement visit missed: the late visit discharges it, 12 weeks from it
        ([date(2026, 3, 10)], False, date(2026, 6, 2)),
    ],
)
def test_purposeful_twelve_weekly_or_three_monthly(visits, permanent, expected):
    p = placement("regulated", permanent=permanent)
    vs = [visit("purposeful", d) for d in visits]
    assert due_date(PURPOSEFUL_VISIT, p, vs, today=date(2026, 6, 1)) == expected


def test_statutory_visit_does_not_discharge_purposeful():
    vs = [visit("statutory", date(2026, 2, 25)), visit("statutory", date(2026, 3, 10))]
    assert due_date(PURPOSEFUL_VISIT, placement("regulated"), vs, today=date(2026, 3, 11)) == START


def test_purposeful_made_more_frequent_at_first_lac_review():
    override = ScheduleOverride(28, None, "First LAC review, IRO C. Dunn", REVIEW_1)
    p = placement("regulated", overrides={PURPOSEFUL_VISIT: override})
    vs = [visit("purposeful", date(2026, 2, 25)), visit("purposeful", date(2026, 3, 30))]
    d = due_of(PURPOSEFUL_VISIT, p, vs, today=date(2026, 4, 1))
    assert d.due == date(2026, 4, 27)
    assert "agreed by First LAC review, IRO C. Dunn on 27 March 2026" in d.basis


# --- IRO visits, regulated ---------------------------------------------------------------------

LAS = START  # looked after since


@pytest.mark.parametrize(
    ("reviews", "iro_visits", "today", "expected", "basis_part"),
    [
        ([], [], date(2026, 3, 10), date(2026, 3, 30), "first LAC review in this placement"),
        ([], [date(2026, 2, 20)], date(2026, 3, 10), date(2026, 3, 30), "first"),  # pre-start
        ([], [date(2026, 3, 20)], date(2026, 3, 25), date(2026, 6, 30), "second"),
        ([REVIEW_1], [date(2026, 3, 20)], date(2026, 4, 1), date(2026, 6, 27), "second"),
        ([REVIEW_1], [], date(2026, 4, 1), REVIEW_1, "first LAC review in this placement"),
        # the first review held without a visit; a later visit discharges it late and is
        # also a visit before the second review
        ([REVIEW_1], [date(2026, 4, 2)], date(2026, 4, 3), date(2026, 10, 2), "2 visits a year"),
        ([REVIEW_1, date(2026, 6, 26)], [date(2026, 3, 20)], date(2026, 7, 1), date(2026, 6, 26),
         "second"),
        ([REVIEW_1, date(2026, 6, 26)], [date(2026, 3, 20), date(2026, 6, 20)], date(2026, 7, 1),
         date(2026, 12, 20), "2 visits a year"),
        ([REVIEW_1, date(2026, 6, 26)], [date(2026, 3, 20), date(2026, 6, 20), date(2026, 8, 31)],
         date(2026, 9, 1), date(2027, 2, 28), "2 visits a year"),
    ],
)  # fmt: skip
def test_iro_visits_regulated(reviews, iro_visits, today, expected, basis_part):
    p = placement("regulated")
    vs = [visit("iro", d) for d in iro_visits] + [visit("statutory", date(2026, 3, 21))]
    d = due_of(IRO_VISIT, p, vs, today=today, reviews=reviews, looked_after_since=LAS)
    assert d.due == expected
    assert basis_part in d.basis


def test_iro_regulated_placement_starting_after_the_childs_reviews():
    p = placement("regulated")
    reviews = [date(2025, 2, 3), date(2025, 5, 1), date(2025, 10, 30)]
    d = due_of(IRO_VISIT, p, today=START, reviews=reviews, looked_after_since=date(2025, 1, 6))
    assert d.due == date(2026, 4, 30)  # the child's next review: 6 months after 30 Oct 2025
    assert d.basis == "Before the first LAC review in this placement (due 30 April 2026)"


def test_iro_override():
    override = ScheduleOverride(None, 3, "IRO Sam Patel", date(2026, 6, 26))
    p = placement("regulated", overrides={IRO_VISIT: override})
    vs = [visit("iro", d) for d in (date(2026, 3, 20), date(2026, 6, 30))]
    d = due_of(IRO_VISIT, p, vs, today=date(2026, 7, 1), reviews=[REVIEW_1, date(2026, 6, 26)])
    assert d.due == date(2026, 9, 30)
    assert "IRO Sam Patel" in d.basis


# ============================================================================================
# §3 unregistered placements
# ============================================================================================

U_START = date(2026, 3, 4)  # a Wednesday
U_START_AT = datetime(2026, 3, 4, 14, 0)


def unreg(**kw):
    return placement("unregistered", start=U_START, start_at=U_START_AT, **kw)


def pv(when, in_person=True):
    return visit("purposeful", when, in_person=in_person)


def test_unregistered_before_placement_visit_due_on_start():
    d = due_of(PURPOSEFUL_VISIT, unreg(), today=date(2026, 3, 1))
    assert (d.due, d.due_at) == (U_START, None)
    assert "unregistered placements" in d.source


@pytest.mark.parametrize(
    "before",
    [
        pv(date(2026, 3, 3)),
        pv(datetime(2026, 3, 4, 10, 0)),
        pv(date(2026, 3, 4)),  # dated on the start day: the before-placement visit only
    ],
)
def test_unregistered_within_24_hours(before):
    d = due_of(PURPOSEFUL_VISIT, unreg(), [before], today=U_START)
    assert d.due_at == datetime(2026, 3, 5, 14, 0, tzinfo=LONDON)
    assert d.due == date(2026, 3, 5)
    assert d.basis == (
        "Within 24 hours of the placement starting 4 March 2026 at 14:00 GMT: "
        "by 5 March 2026 at 14:00 GMT"
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 3, 5, 13, 59), "open"),
        (datetime(2026, 3, 5, 14, 0), "open"),
        (datetime(2026, 3, 5, 14, 1), "overdue"),
        (datetime(2026, 3, 5, 14, 1, tzinfo=UTC), "overdue"),
    ],
)
def test_24_hour_duty_compares_datetimes(now, expected):
    d = due_of(PURPOSEFUL_VISIT, unreg(), [pv(date(2026, 3, 3))], today=U_START)
    assert status(d, now.date(), None, now=now) == expected


@pytest.mark.parametrize(
    ("start_at", "expected_local", "offset_hours"),
    [
        # BST -> GMT on 25 Oct 2026 01:00 GMT: 24 elapsed hours are 23 on the wall clock
        (datetime(2026, 10, 24, 12, 0), datetime(2026, 10, 25, 11, 0), 0),
        (datetime(2026, 10, 25, 0, 30), datetime(2026, 10, 25, 23, 30), 0),
        # GMT -> BST on 28 Mar 2027 01:00 GMT: 24 elapsed hours are 25 on the wall clock
        (datetime(2027, 3, 27, 12, 0), datetime(2027, 3, 28, 13, 0), 1),
        (datetime(2027, 3, 28, 0, 30), datetime(2027, 3, 29, 1, 30), 1),
    ],
)
def test_24_hours_across_the_clock_change(start_at, expected_local, offset_hours):
    p = placement("unregistered", start=start_at.date(), start_at=start_at)
    d = due_of(PURPOSEFUL_VISIT, p, [pv(start_at.date() - timedelta(days=1))], today=p.start)
    assert d.due_at.replace(tzinfo=None) == expected_local
    assert d.due_at.utcoffset() == timedelta(hours=offset_hours)
    assert d.due_at.astimezone(UTC) - p.start_instant.astimezone(UTC) == timedelta(hours=24)
    assert d.due == expected_local.date()


def test_24_hours_from_the_end_of_the_day_when_no_start_time():
    # No time recorded: the start is the end of the day (visits/tests/test_start_time.py).
    p = placement("unregistered", start=date(2026, 10, 25))
    d = due_of(PURPOSEFUL_VISIT, p, [pv(date(2026, 10, 24))], today=p.start)
    assert d.due_at == datetime(2026, 10, 26, 23, 59, 59, 999999, tzinfo=LONDON)


BEFORE_AND_24H = [pv(date(2026, 3, 3)), pv(datetime(2026, 3, 5, 10, 0))]


@pytest.mark.parametrize(
    ("visits", "today", "expected"),
    [
        # The part-week of the start (Wed-Sun) has the 24-hour visit; twice weekly from Mon 9.
        ([], date(2026, 3, 6), date(2026, 3, 15)),
        ([pv(date(2026, 3, 10)), pv(date(2026, 3, 12))], date(2026, 3, 16), date(2026, 3, 22)),
        ([pv(date(2026, 3, 10)), pv(date(2026, 3, 12)), pv(date(2026, 3, 17))], date(2026, 3, 18),
         date(2026, 3, 22)),
        # one virtual visit is allowed, two are not
        ([pv(date(2026, 3, 10), in_person=False), pv(date(2026, 3, 12))], date(2026, 3, 16),
         date(2026, 3, 22)),
        ([pv(date(2026, 3, 10), False), pv(date(2026, 3, 12), False)], date(2026, 3, 14),
         date(2026, 3, 15)),
        # a week with one visit stays overdue until a visit is made after it
        ([pv(date(2026, 3, 10))], date(2026, 3, 17), date(2026, 3, 15)),
        ([pv(date(2026, 3, 10))], date(2026, 4, 30), date(2026, 3, 15)),
        ([pv(date(2026, 3, 10)), pv(date(2026, 3, 17)), pv(date(2026, 3, 19))], date(2026, 3, 20),
         date(2026, 3, 29)),
    ],
)  # fmt: skip
def test_twice_weekly_for_the_first_three_months(visits, today, expected):
    d = due_of(PURPOSEFUL_VISIT, unreg(), BEFORE_AND_24H + visits, today=today)
    assert d.due == expected
    assert d.due.weekday() == 6  # a Sunday
    assert d.due_at is None


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 3, 14), "open"), (date(2026, 3, 15), "open"), (date(2026, 3, 16), "overdue")],
)
def test_twice_weekly_week_is_overdue_from_the_monday_after(on, expected):
    d = due_of(PURPOSEFUL_VISIT, unreg(), [*BEFORE_AND_24H, pv(date(2026, 3, 10))], today=on)
    assert d.due == date(2026, 3, 15)
    assert "week beginning Monday 9 March 2026 has 1 (1 in person)" in d.basis
    assert "overdue from Monday 16 March 2026" in d.basis
    assert status(d, on, None) == expected


def test_late_24_hour_visit_discharges_it_and_missing_before_visit_is_discharged_late():
    late_24h = [pv(date(2026, 3, 3)), pv(datetime(2026, 3, 5, 15, 0))]
    assert due_date(PURPOSEFUL_VISIT, unreg(), late_24h, today=date(2026, 3, 6)) == date(
        2026, 3, 15
    )
    no_before = [pv(datetime(2026, 3, 4, 16, 0))]
    assert due_date(PURPOSEFUL_VISIT, unreg(), no_before, today=date(2026, 3, 6)) == date(
        2026, 3, 15
    )


def test_single_visit_on_the_sunday_does_not_end_its_own_week():
    vs = [*BEFORE_AND_24H, pv(date(2026, 3, 15))]
    d = due_of(PURPOSEFUL_VISIT, unreg(), vs, today=date(2026, 3, 16))
    assert d.due == date(2026, 3, 15)
    assert status(d, date(2026, 3, 16), None) == "overdue"


def test_visit_at_the_exact_start_time_is_in_the_placement():
    vs = [pv(U_START_AT)]  # not before the placement: the late before-visit and the 24-hour
    assert due_date(PURPOSEFUL_VISIT, unreg(), vs, today=U_START) == date(2026, 3, 15)
    assert due_date(
        PURPOSEFUL_VISIT, unreg(), [pv(datetime(2026, 3, 4, 13, 59))], today=U_START
    ) == (date(2026, 3, 5))


def test_start_day_visits_with_and_without_times():
    vs = [pv(date(2026, 3, 4)), pv(datetime(2026, 3, 4, 16, 0))]
    assert due_date(PURPOSEFUL_VISIT, unreg(), vs, today=U_START) == date(2026, 3, 15)


def test_monday_start_includes_the_first_week():
    p = placement("unregistered", start=START)
    vs = [pv(date(2026, 3, 2)), pv(date(2026, 3, 3))]  # before-placement + 24-hour
    assert due_date(PURPOSEFUL_VISIT, p, vs, today=date(2026, 3, 4)) == date(2026, 3, 8)
    vs.append(pv(date(2026, 3, 5)))
    assert due_date(PURPOSEFUL_VISIT, p, vs, today=date(2026, 3, 6)) == date(2026, 3, 15)


def _full_twice_weekly(drop_last=False):
    visits = list(BEFORE_AND_24H)
    monday = date(2026, 3, 9)
    while monday <= date(2026, 6, 1):  # last week beginning before 4 June 2026
        visits.append(pv(monday + timedelta(days=1), in_person=False))
        visits.append(pv(monday + timedelta(days=3)))
        monday += timedelta(days=7)
    return visits[:-1] if drop_last else visits


def test_last_twice_weekly_week_is_the_one_beginning_before_three_months():
    d = due_of(
        PURPOSEFUL_VISIT, unreg(), _full_twice_weekly(drop_last=True), today=date(2026, 6, 5)
    )
    assert d.due == date(2026, 6, 7)
    assert status(d, date(2026, 6, 8), None) == "overdue"


def test_after_three_months_falls_back_to_reg_28_without_a_review_decision():
    d = due_of(PURPOSEFUL_VISIT, unreg(), _full_twice_weekly(), today=date(2026, 6, 10))
    assert d.due == date(2026, 7, 16)  # last visit Thu 4 June + 42 days
    assert "no schedule agreed at a LAC review" in d.basis
    assert "reg. 28" in d.source


@pytest.mark.parametrize(
    ("agreed_on", "expected"),
    [(date(2026, 4, 1), date(2026, 6, 18)), (date(2026, 6, 8), date(2026, 7, 16))],
)
def test_after_three_months_as_agreed_at_the_lac_review(agreed_on, expected):
    override = ScheduleOverride(14, None, "LAC review, IRO Jo Bloggs", agreed_on)
    p = unreg(overrides={PURPOSEFUL_VISIT: override})
    d = due_of(PURPOSEFUL_VISIT, p, _full_twice_weekly(), today=date(2026, 6, 10))
    assert d.due == expected


def test_override_does_not_replace_twice_weekly_in_the_first_three_months():
    override = ScheduleOverride(14, None, "LAC review", date(2026, 3, 1))
    p = unreg(overrides={PURPOSEFUL_VISIT: override})
    vs = [*BEFORE_AND_24H, pv(date(2026, 3, 10))]
    assert due_date(PURPOSEFUL_VISIT, p, vs, today=date(2026, 3, 11)) == date(2026, 3, 15)


@pytest.mark.parametrize(
    ("visits", "today", "expected"),
    [
        ([], date(2026, 3, 13), date(2026, 3, 14)),  # a Saturday: not moved
        ([], date(2026, 3, 15), date(2026, 3, 14)),
        ([visit("commissioning", date(2026, 3, 1))], date(2026, 3, 5), date(2026, 3, 14)),
        ([visit("service_manager", date(2026, 3, 10))], date(2026, 3, 11), date(2026, 3, 14)),
        ([visit("commissioning", date(2026, 3, 10))], date(2026, 3, 11), None),
        ([visit("commissioning", date(2026, 3, 20))], date(2026, 3, 21), None),  # late
    ],
)
def test_commissioning_visit_within_ten_days(visits, today, expected):
    d = due_of(COMMISSIONING_VISIT, unreg(), visits, today=today)
    assert (d.due if d else None) == expected


@pytest.mark.parametrize(
    ("start", "visits", "expected"),
    [
        (date(2026, 1, 31), [], date(2026, 2, 28)),
        (date(2028, 1, 31), [], date(2028, 2, 29)),
        (U_START, [], date(2026, 4, 4)),
        (U_START, [visit("commissioning", date(2026, 3, 10))], date(2026, 4, 4)),
        (U_START, [visit("service_manager", date(2026, 3, 30))], None),
    ],
)
def test_service_manager_visit_within_one_month(start, visits, expected):
    p = placement("unregistered", start=start)
    d = due_of(SERVICE_MANAGER_VISIT, p, visits, today=start + timedelta(days=30))
    assert (d.due if d else None) == expected


@pytest.mark.parametrize("kind", ["regulated", "in_house_fostering", "custody"])
def test_commissioning_and_service_manager_only_for_unregistered(kind):
    p = placement(kind)
    assert due_of(COMMISSIONING_VISIT, p, today=START) is None
    assert due_of(SERVICE_MANAGER_VISIT, p, today=START) is None


U_REVIEW_1 = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("concerns", "reviews", "iro_visits", "today", "expected"),
    [
        (False, [], [], date(2026, 3, 10), date(2026, 4, 1)),  # before the first review
        (True, [], [], date(2026, 3, 10), date(2026, 3, 18)),  # within 2 weeks
        (True, [], [], date(2026, 3, 19), date(2026, 3, 18)),  # overdue
        (True, [], [date(2026, 3, 10)], date(2026, 3, 11), date(2026, 7, 1)),
        (True, [], [date(2026, 3, 20)], date(2026, 3, 21), date(2026, 7, 1)),
        (False, [U_REVIEW_1], [date(2026, 3, 20)], date(2026, 4, 1), date(2026, 6, 30)),
        (False, [U_REVIEW_1], [], date(2026, 4, 1), U_REVIEW_1),
        (False, [U_REVIEW_1, date(2026, 6, 30)], [date(2026, 3, 20), date(2026, 6, 29)],
         date(2026, 7, 1), date(2026, 12, 30)),
        (False, [U_REVIEW_1, date(2026, 6, 30)], [date(2026, 3, 20)], date(2026, 7, 1),
         date(2026, 6, 30)),
    ],
)  # fmt: skip
def test_iro_visits_unregistered(concerns, reviews, iro_visits, today, expected):
    p = unreg(iro_concerns=concerns)
    vs = [visit("iro", d) for d in iro_visits]
    d = due_of(IRO_VISIT, p, vs, today=today, reviews=reviews, looked_after_since=U_START)
    assert d.due == expected


# ============================================================================================
# The whole schedule
# ============================================================================================


@pytest.mark.parametrize(
    ("kind", "expected_kinds"),
    [
        ("in_house_fostering", [STATUTORY_VISIT]),
        ("ifa_fostering", [STATUTORY_VISIT]),
        ("regulated", [STATUTORY_VISIT, PURPOSEFUL_VISIT, IRO_VISIT]),
        ("unregistered", list(DUTY_KINDS)),
        ("short_breaks", [STATUTORY_VISIT]),
    ],
)
def test_schedule_lists_every_applicable_duty(kind, expected_kinds):
    result = schedule(placement(kind), [], R, today=START, looked_after_since=START)
    assert [d.kind for d in result] == expected_kinds
    by_kind = {d.kind: d.due for d in result}
    # within 1 week (reg. 28); short breaks within 3 months of the first stay (003 appendix)
    first = date(2026, 6, 2) if kind == "short_breaks" else date(2026, 3, 9)
    assert by_kind[STATUTORY_VISIT] == first


def test_duty_kinds_contract():
    assert DUTY_KINDS == (
        "statutory_visit",
        "purposeful_visit",
        "iro_visit",
        "commissioning_visit",
        "service_manager_visit",
    )
