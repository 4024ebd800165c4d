"""visits.rules: the scheduling engine, checked against timescales.md §1-§4 and Conventions.

Dates are concrete; each case checks the day before, on and after where it matters.
"""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from visits.rules import (
    BEDROOM_SEEN,
    COMMISSIONING_VISIT,
    DUTY_KINDS,
    IRO_VISIT,
    LAC_REVIEW,
    PURPOSEFUL_VISIT,
    SERVICE_MANAGER_VISIT,
    STATUTORY_VISIT,
    Due,
    PlacementFacts,
    RuleSet,
    ScheduleOverride,
    VisitFact,
    alert_level,
    bedroom_seen_due,
    next_due,
    ofsted_notice_visit_due,
    review_report_due,
    schedule,
    status,
    statutory_visits_not_seen_alone,
)

LONDON = ZoneInfo("Europe/London")
R = RuleSet.defaults()
START = date(2026, 3, 2)  # a Monday


def placement(kind="in_house_fostering", start=START, **kw):
    return PlacementFacts(start=start, provision_kind=kind, **kw)


def visit(kind, when, **kw):
    return VisitFact(kind, when, **kw)


def due_of(kind, p, visits=(), *, today, rules=R, **kw):
    return next_due(kind, p, list(visits), rules, today=today, **kw)


def due_date(kind, p, visits=(), *, today, **kw):
    d = due_of(kind, p, visits, today=today, **kw)
    assert d is not None
    return d.due


# ============================================================================================
# RuleSet
# ============================================================================================


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("statutory_first_visit_days", 7),
        ("statutory_interval_first_year_days", 42),
        ("statutory_interval_after_first_year_days", 42),
        ("statutory_interval_permanent_after_first_year_months", 3),
        ("placement_first_year_months", 12),
        ("connected_person_weekly_days", 7),
        ("connected_person_after_first_review_days", 28),
        ("ico_placement_with_parent_weekly_days", 7),
        ("ico_placement_with_parent_after_first_review_days", 28),
        ("placement_with_parent_weekly_days", 7),
        ("placement_with_parent_after_first_review_days", 42),
        ("care_order_with_parent_after_first_year_months", 3),
        ("custody_after_first_year_months", 3),
        ("adoption_weekly_days", 7),
        ("ofsted_notice_visit_days", 7),
        ("purposeful_sw_interval_weeks", 12),
        ("purposeful_sw_permanent_interval_months", 3),
        ("iro_visits_per_year", 2),
        ("unregistered_within_hours", 24),
        ("unregistered_twice_weekly_months", 3),
        ("unregistered_visits_per_week", 2),
        ("unregistered_min_in_person", 1),
        ("commissioning_visit_days", 10),
        ("service_manager_visit_months", 1),
        ("iro_unregistered_concern_days", 14),
        ("lac_review_first_working_days", 20),
        ("lac_review_second_months", 3),
        ("lac_review_subsequent_months", 6),
        ("report_before_initial_review_working_days", 3),
        ("report_before_later_review_working_days", 5),
        ("bedroom_seen_weeks", 12),
        ("due_soon_working_days", 3),
        ("overdue_escalation_working_days", 5),
    ],
)
def test_ruleset_defaults_are_the_timescales_values(name, value):
    assert getattr(RuleSet.defaults(), name) == value


def test_field_help_documents_every_rule_with_a_source():
    help_ = RuleSet.field_help()
    assert list(help_) == [f.name for f in dataclasses.fields(RuleSet)]
    for name, (text, source) in help_.items():
        assert text.strip(), name
        assert source.startswith(("TS ", "Product setting")), name
    assert help_["connected_person_after_first_review_days"][1].endswith("003 11.13")


@pytest.mark.parametrize(
    "changes",
    [
        {"statutory_first_visit_days": 0},
        {"lac_review_subsequent_months": -1},
        {"iro_visits_per_year": True},
        {"bedroom_seen_weeks": 12.0},
        {"unregistered_min_in_person": 3},
    ],
)
def test_ruleset_rejects_bad_values(changes):
    with pytest.raises((ValueError, TypeError)):
        RuleSet(**changes)


def test_ruleset_allows_zero_alert_thresholds():
    assert RuleSet(due_soon_working_days=0).due_soon_working_days == 0


def test_ruleset_is_data_the_engine_uses():
    rules = dataclasses.replace(R, statutory_first_visit_days=3)
    assert due_date(STATUTORY_VISIT, placement(), today=START, rules=rules) == date(2026, 3, 5)


# ============================================================================================
# Facts: validation
# ============================================================================================


@pytest.mark.parametrize(
    "kw",
    [
        {"provision_kind": "childrens_home"},
        {"provision_kind": "regulated", "end": date(2026, 3, 1)},
        {"provision_kind": "regulated", "placed_with_parent_pre_assessment": True},
        {
            "provision_kind": "placed_with_parent",
            "placed_with_parent_pre_assessment": True,
            "interim_care_order_with_parent": True,
        },
        {"provision_kind": "regulated", "start_at": datetime(2026, 3, 3, 9, 0)},
        {
            "provision_kind": "regulated",
            "overrides": {COMMISSIONING_VISIT: ScheduleOverride(7, None, "X", START)},
        },
        {"provision_kind": "regulated", "overrides": {STATUTORY_VISIT: 14}},
    ],
)
def test_placement_facts_validation(kw):
    with pytest.raises((ValueError, TypeError)):
        PlacementFacts(start=START, **kw)


def test_placement_start_must_be_a_date():
    with pytest.raises(TypeError):
        PlacementFacts(start=datetime(2026, 3, 2, 9, 0), provision_kind="regulated")


def test_placement_facts_are_frozen_and_hashable():
    override = ScheduleOverride(14, None, "IRO A. Khan", START)
    p = placement(overrides={STATUTORY_VISIT: override})
    assert hash(p) == hash(placement(overrides={STATUTORY_VISIT: override}))
    assert p == placement(overrides={STATUTORY_VISIT: override})
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.start = date(2026, 1, 1)
    with pytest.raises(TypeError):
        p.overrides[PURPOSEFUL_VISIT] = override


@pytest.mark.parametrize(
    "args",
    [
        (None, None, "IRO", START),
        (14, 1, "IRO", START),
        (0, None, "IRO", START),
        (None, -1, "IRO", START),
        (14, None, "  ", START),
    ],
)
def test_schedule_override_validation(args):
    with pytest.raises(ValueError):
        ScheduleOverride(*args)


def test_visit_fact_kind_is_checked():
    with pytest.raises(ValueError):
        VisitFact("statutory_visit", START)


def test_next_due_kind_is_checked():
    with pytest.raises(ValueError):
        next_due("statutory", placement(), [], R, today=START)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2026, 7, 1), date(2026, 7, 1)),
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), date(2026, 7, 1)),  # 00:30 BST
        (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), date(2026, 1, 31)),  # GMT
        (datetime(2026, 6, 30, 23, 30), date(2026, 6, 30)),  # naive = London
    ],
)
def test_visit_local_date_is_london(when, expected):
    assert VisitFact("statutory", when).local_date == expected


# ============================================================================================
# §1 statutory visits
# ============================================================================================


def test_first_statutory_visit_within_one_week_of_start():
    d = due_of(STATUTORY_VISIT, placement(), today=START)
    assert d == Due(
        STATUTORY_VISIT,
        date(2026, 3, 9),
        None,
        "First visit within 7 days of the start of the placement on 2 March 2026",
        d.source,
    )
    assert "reg. 28" in d.source and "003 appendix" in d.source


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 3, 8), "open"), (date(2026, 3, 9), "open"), (date(2026, 3, 10), "overdue")],
)
def test_first_visit_day_before_on_and_after(on, expected):
    d = due_of(STATUTORY_VISIT, placement(), today=on)
    assert d.due == date(2026, 3, 9)
    assert status(d, on, None) == expected


def test_six_weekly_in_first_year_with_basis():
    visits = [visit("statutory", date(2026, 3, 3))]
    d = due_of(STATUTORY_VISIT, placement(), visits, today=date(2026, 3, 3))
    assert d.due == date(2026, 4, 14)
    assert (
        d.basis == "6-weekly in the first year of the placement: last statutory visit 3 March 2026"
    )


@pytest.mark.parametrize(
    ("visit_day", "expected"),
    [
        (date(2026, 3, 2), date(2026, 4, 13)),  # visit on the day of placement counts
        (date(2026, 3, 9), date(2026, 4, 20)),
        (date(2026, 4, 13), date(2026, 5, 25)),  # due on a bank holiday: not moved
        (date(2026, 4, 4), date(2026, 5, 16)),  # due on a Saturday: not moved
    ],
)
def test_next_visit_counts_from_last_visit(visit_day, expected):
    p = placement()
    assert (
        due_date(STATUTORY_VISIT, p, [visit("statutory", visit_day)], today=visit_day) == expected
    )


def test_weekend_first_visit_due_date_not_moved():
    p = placement(start=date(2026, 3, 7))  # Saturday
    assert due_date(STATUTORY_VISIT, p, today=date(2026, 3, 7)) == date(2026, 3, 14)  # Saturday


def test_only_the_latest_visit_counts():
    visits = [visit("statutory", date(2026, 4, 1)), visit("statutory", date(2026, 3, 5))]
    assert due_date(STATUTORY_VISIT, placement(), visits, today=date(2026, 4, 2)) == date(
        2026, 5, 13
    )


@pytest.mark.parametrize("kind", ["iro", "purposeful", "commissioning", "service_manager"])
def test_wrong_kind_of_visit_does_not_discharge_statutory(kind):
    visits = [visit(kind, date(2026, 3, 5))]
    assert due_date(STATUTORY_VISIT, placement(), visits, today=date(2026, 3, 6)) == date(
        2026, 3, 9
    )


@pytest.mark.parametrize("before", [date(2026, 2, 27), date(2026, 3, 1)])
def test_visit_before_placement_start_does_not_count(before):
    visits = [visit("statutory", before)]
    assert due_date(STATUTORY_VISIT, placement(), visits, today=START) == date(2026, 3, 9)


def test_visit_before_start_time_on_start_day_does_not_count_when_times_known():
    p = placement(start_at=datetime(2026, 3, 2, 15, 0))
    early = visit("statutory", datetime(2026, 3, 2, 10, 0))
    late = visit("statutory", datetime(2026, 3, 2, 16, 0))
    assert due_date(STATUTORY_VISIT, p, [early], today=START) == date(2026, 3, 9)
    assert due_date(STATUTORY_VISIT, p, [late], today=START) == date(2026, 4, 13)


def test_future_dated_visit_is_not_yet_made():
    visits = [visit("statutory", date(2026, 3, 5))]
    assert due_date(STATUTORY_VISIT, placement(), visits, today=date(2026, 3, 4)) == date(
        2026, 3, 9
    )


def test_missed_due_stays_overdue_until_a_visit_then_counts_from_the_visit():
    p = placement()
    visits = [visit("statutory", date(2026, 3, 5))]
    for today in (date(2026, 4, 16), date(2026, 4, 17), date(2026, 5, 1), date(2026, 9, 1)):
        d = due_of(STATUTORY_VISIT, p, visits, today=today)
        assert d.due == date(2026, 4, 16)
    assert status(d, date(2026, 5, 1), None) == "overdue"
    assert alert_level(d, date(2026, 5, 1), R) == "overdue_5"
    visits.append(visit("statutory", date(2026, 5, 1)))
    d = due_of(STATUTORY_VISIT, p, visits, today=date(2026, 5, 1))
    assert d.due == date(2026, 6, 12)  # 42 days from the late visit, not from 16 April
    assert status(d, date(2026, 5, 1), None) == "open"


def test_change_of_placement_restarts_the_schedule():
    visits = [visit("statutory", date(2026, 3, 5)), visit("statutory", date(2026, 3, 25))]
    old = placement()
    new = placement(start=date(2026, 4, 1))
    assert due_date(STATUTORY_VISIT, old, visits, today=date(2026, 3, 31)) == date(2026, 5, 6)
    # once the old placement ends on 31 March, a visit due after that never arises in it
    ended = placement(end=date(2026, 3, 31))
    assert due_of(STATUTORY_VISIT, ended, visits, today=date(2026, 3, 31)) is None
    assert due_date(STATUTORY_VISIT, new, visits, today=date(2026, 4, 1)) == date(2026, 4, 8)


def test_visit_after_placement_end_does_not_count_and_duties_after_end_do_not_arise():
    p = placement(end=date(2026, 3, 20))
    visits = [visit("statutory", date(2026, 3, 21))]
    assert due_date(STATUTORY_VISIT, p, visits, today=date(2026, 3, 25)) == date(2026, 3, 9)
    short = placement(end=date(2026, 3, 8))
    assert due_of(STATUTORY_VISIT, short, today=date(2026, 3, 8)) is None
    on_due = placement(end=date(2026, 3, 9))
    assert due_date(STATUTORY_VISIT, on_due, today=date(2026, 3, 8)) == date(2026, 3, 9)


# --- first year -> after first year: the interval in force on the day of the last visit ----

PERM_START = date(2025, 1, 10)  # first year: 10 Jan 2025 - 9 Jan 2026


@pytest.mark.parametrize(
    ("visit_day", "permanent", "expected"),
    [
        (date(2026, 1, 8), True, date(2026, 2, 19)),  # day 364: 42 days, though due in year 2
        (date(2026, 1, 9), True, date(2026, 2, 20)),  # day 365, last day of the first year
        (date(2026, 1, 10), True, date(2026, 4, 10)),  # day 366, anniversary: 3 months
        (date(2026, 1, 11), True, date(2026, 4, 11)),
        (date(2026, 8, 31), True, date(2026, 11, 30)),  # month-end clamp
        (date(2026, 11, 30), True, date(2027, 2, 28)),
        (date(2026, 1, 9), False, date(2026, 2, 20)),
        (date(2026, 1, 10), False, date(2026, 2, 21)),  # not permanent: stays 6-weekly
        (date(2027, 6, 1), False, date(2027, 7, 13)),
    ],
)
def test_first_year_then_three_monthly_for_permanent(visit_day, permanent, expected):
    p = placement(start=PERM_START, permanent=permanent)
    d = due_of(STATUTORY_VISIT, p, [visit("statutory", visit_day)], today=visit_day)
    assert d.due == expected
    if permanent and visit_day >= date(2026, 1, 10):
        assert d.basis.startswith("3-monthly after the first year of the placement")
        assert "agreed as permanent" in d.basis


@pytest.mark.parametrize(
    ("visit_day", "expected"),
    [
        (date(2028, 2, 29), date(2028, 4, 11)),  # 365 days after start, still the first year
        (date(2028, 3, 1), date(2028, 6, 1)),  # anniversary
    ],
)
def test_first_year_over_a_leap_day(visit_day, expected):
    p = placement(start=date(2027, 3, 1), permanent=True)
    assert (
        due_date(STATUTORY_VISIT, p, [visit("statutory", visit_day)], today=visit_day) == expected
    )


# --- the other rows of §1 ---------------------------------------------------------------------

REVIEW_1 = date(2026, 3, 27)  # first LAC review, a Friday


@pytest.mark.parametrize(
    ("flags", "visit_day", "expected"),
    [
        # connected person with temporary approval (reg. 24): weekly, then every 4 weeks
        ({"connected_person_temporary": True}, date(2026, 3, 5), date(2026, 3, 12)),
        ({"connected_person_temporary": True}, date(2026, 3, 26), date(2026, 4, 2)),
        ({"connected_person_temporary": True}, date(2026, 3, 27), date(2026, 4, 24)),
        ({"connected_person_temporary": True}, date(2026, 3, 30), date(2026, 4, 27)),
        # interim care order, placed with parent: weekly, then every 4 weeks
        (
            {"provision_kind": "placed_with_parent", "interim_care_order_with_parent": True},
            date(2026, 3, 26),
            date(2026, 4, 2),
        ),
        (
            {"provision_kind": "placed_with_parent", "interim_care_order_with_parent": True},
            date(2026, 3, 27),
            date(2026, 4, 24),
        ),
        # placed with parent before assessment (reg. 19): weekly, then every 6 weeks
        (
            {"provision_kind": "placed_with_parent", "placed_with_parent_pre_assessment": True},
            date(2026, 3, 26),
            date(2026, 4, 2),
        ),
        (
            {"provision_kind": "placed_with_parent", "placed_with_parent_pre_assessment": True},
            date(2026, 3, 27),
            date(2026, 5, 8),
        ),
    ],
)
def test_weekly_until_first_review_then_longer(flags, visit_day, expected):
    kw = {"provision_kind": "in_house_fostering", **flags}
    p = PlacementFacts(start=START, first_lac_review=REVIEW_1, **kw)
    d = due_of(STATUTORY_VISIT, p, [visit("statutory", visit_day)], today=date(2026, 3, 31))
    assert d.due == expected
    if visit_day < REVIEW_1:
        assert d.basis.startswith("Weekly until the first LAC review")
    else:
        assert "after the first LAC review on 27 March 2026" in d.basis


def test_first_review_may_come_from_the_reviews_list():
    p = placement(connected_person_temporary=True)
    visits = [visit("statutory", date(2026, 3, 30))]
    today = date(2026, 3, 31)
    assert due_date(STATUTORY_VISIT, p, visits, today=today) == date(2026, 4, 6)
    assert due_date(STATUTORY_VISIT, p, visits, today=today, reviews=[REVIEW_1]) == date(
        2026, 4, 27
    )
    # a review dated after today has not been held
    assert due_date(STATUTORY_VISIT, p, visits, today=today, reviews=[date(2026, 4, 2)]) == date(
        2026, 4, 6
    )


def test_review_before_the_placement_does_not_end_the_weekly_phase():
    p = placement(connected_person_temporary=True, first_lac_review=date(2026, 2, 13))
    visits = [visit("statutory", date(2026, 3, 5))]
    assert due_date(STATUTORY_VISIT, p, visits, today=date(2026, 3, 5)) == date(2026, 3, 12)


@pytest.mark.parametrize(
    ("kind", "flags", "first_basis", "source_part"),
    [
        (
            "placed_with_parent",
            {"care_order_made_while_with_parent": True},
            "First visit within 7 days of the care order on 2 March 2026",
            "full care order, living with parent",
        ),
        (
            "custody",
            {},
            "First visit within 7 days of the start of the arrangement (a change to it is a "
            "new placement) on 2 March 2026",
            "another body decides",
        ),
        (
            "adoption",
            {},
            "First visit within 7 days of the placement on 2 March 2026",
            "Adoption Agencies Regulations 2005 reg. 36",
        ),
        (
            "in_house_fostering",
            {"connected_person_temporary": True},
            "First visit within 7 days of the start of the placement on 2 March 2026",
            "reg. 24",
        ),
    ],
)
def test_first_visit_within_one_week_in_every_row(kind, flags, first_basis, source_part):
    p = PlacementFacts(start=START, provision_kind=kind, **flags)
    d = due_of(STATUTORY_VISIT, p, today=START)
    assert d.due == date(2026, 3, 9)
    assert d.basis == first_basis
    assert source_part in d.source


@pytest.mark.parametrize(
    ("kind", "flags", "visit_day", "expected"),
    [
        ("placed_with_parent", {"care_order_made_while_with_parent": True}, date(2026, 1, 9),
         date(2026, 2, 20)),
        ("placed_with_parent", {"care_order_made_while_with_parent": True}, date(2026, 1, 10),
         date(2026, 4, 10)),
        ("custody", {}, date(2026, 1, 9), date(2026, 2, 20)),
        ("custody", {}, date(2026, 1, 10), date(2026, 4, 10)),
        ("placed_with_parent", {}, date(2026, 1, 10), date(2026, 2, 21)),  # default row
        ("regulated", {}, date(2026, 1, 10), date(2026, 2, 21)),
    ],
)  # fmt: skip
def test_six_weekly_then_three_monthly_rows(kind, flags, visit_day, expected):
    p = PlacementFacts(start=PERM_START, provision_kind=kind, **flags)
    assert (
        due_date(STATUTORY_VISIT, p, [visit("statutory", visit_day)], today=visit_day) == expected
    )


ADOPTION_REVIEW = date(2026, 3, 30)


def test_adoption_weekly_until_first_review():
    p = placement("adoption")
    d = due_of(STATUTORY_VISIT, p, [visit("statutory", date(2026, 3, 25))], today=date(2026, 3, 25))
    assert d.due == date(2026, 4, 1)
    assert d.basis == "Weekly until the first review: last statutory visit 25 March 2026"


def test_adoption_after_first_review_without_a_decision_stays_weekly_and_says_so():
    p = placement("adoption", first_lac_review=ADOPTION_REVIEW)
    d = due_of(STATUTORY_VISIT, p, [visit("statutory", date(2026, 3, 31))], today=date(2026, 4, 1))
    assert d.due == date(2026, 4, 7)
    assert "no frequency decided at a review is recorded" in d.basis
    assert "weekly minimum is kept" in d.basis


def test_adoption_after_review_frequency_decided_at_review():
    override = ScheduleOverride(28, None, "Adoption review chair A. Khan", ADOPTION_REVIEW)
    p = placement(
        "adoption", first_lac_review=ADOPTION_REVIEW, overrides={STATUTORY_VISIT: override}
    )
    d = due_of(STATUTORY_VISIT, p, [visit("statutory", date(2026, 3, 31))], today=date(2026, 4, 1))
    assert d.due == date(2026, 4, 28)
    assert d.basis == (
        "Child's own schedule (every 28 days, agreed by Adoption review chair A. Khan on "
        "30 March 2026): last statutory visit 31 March 2026"
    )


def test_short_breaks_have_no_reg_28_schedule_without_their_own():
    p = placement("short_breaks")
    assert due_of(STATUTORY_VISIT, p, today=START) is None
    assert bedroom_seen_due(p, [], R, today=START) is None


def test_short_breaks_follow_the_schedule_agreed_with_iro_and_parents():
    override = ScheduleOverride(None, 3, "IRO B. Lee and parents", date(2026, 2, 20))
    p = placement("short_breaks", overrides={STATUTORY_VISIT: override})
    d = due_of(STATUTORY_VISIT, p, today=START)
    assert d.due == date(2026, 6, 2)
    assert "agreed by IRO B. Lee and parents on 20 February 2026" in d.basis
    assert "reg. 48" in d.source
    visits = [visit("statutory", date(2026, 5, 31))]
    assert due_date(STATUTORY_VISIT, p, visits, today=date(2026, 6, 1)) == date(2026, 8, 31)
    # agreed after today: not yet the child's schedule
    later = placement(
        "short_breaks",
        overrides={STATUTORY_VISIT: ScheduleOverride(None, 3, "IRO", date(2026, 3, 10))},
    )
    assert due_of(STATUTORY_VISIT, later, today=date(2026, 3, 9)) is None


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (date(2026, 3, 5), date(2026, 3, 12)),
        (date(2026, 12, 18), date(2026, 12, 25)),  # Christmas Day: not moved
        (date(2028, 2, 25), date(2028, 3, 3)),
    ],
)
def test_ofsted_notice_visit_within_one_week(notice, expected):
    assert ofsted_notice_visit_due(notice, R) == expected


# --- child-specific overrides -------------------------------------------------------------------

AGREED = date(2026, 4, 1)


@pytest.mark.parametrize(
    ("last_visit", "expected"),
    [
        (date(2026, 3, 31), date(2026, 5, 12)),  # visit before the override: 6-weekly
        (date(2026, 4, 1), date(2026, 4, 15)),  # on the day agreed: the override decides
        (date(2026, 4, 2), date(2026, 4, 16)),
    ],
)
def test_override_wins_from_the_day_it_is_agreed(last_visit, expected):
    override = ScheduleOverride(14, None, "IRO Jane Smith", AGREED)
    p = placement(overrides={STATUTORY_VISIT: override})
    d = due_of(STATUTORY_VISIT, p, [visit("statutory", last_visit)], today=date(2026, 4, 3))
    assert d.due == expected
    if last_visit >= AGREED:
        assert "agreed by IRO Jane Smith on 1 April 2026" in d.basis
        assert "LAC review" in d.source


def test_reduced_override_in_months_for_a_permanent_placement():
    override = ScheduleOverride(None, 6, "LAC review, IRO Jane Smith", date(2026, 1, 20))
    p = placement(start=PERM_START, permanent=True, overrides={STATUTORY_VISIT: override})
    visits = [visit("statutory", date(2026, 8, 31))]
    d = due_of(STATUTORY_VISIT, p, visits, today=date(2026, 9, 1))
    assert d.due == date(2027, 2, 28)
    assert "every 6 months, agreed by LAC review, IRO Jane Smith on 20 January 2026" in d.basis


# --- local standards on top (003 10.2, 10.10) -------------------------------------------------


def test_bedroom_seen_every_twelve_weeks():
    p = placement()
    d = bedroom_seen_due(p, [], R, today=START)
    assert (d.kind, d.due) == (BEDROOM_SEEN, date(2026, 5, 25))
    visits = [
        visit("statutory", date(2026, 3, 20), bedroom_seen=True),
        visit("statutory", date(2026, 4, 10), bedroom_seen=False),
        visit("iro", date(2026, 4, 20), bedroom_seen=True),
    ]
    assert bedroom_seen_due(p, visits, R, today=date(2026, 5, 1)).due == date(2026, 6, 12)
    visits.append(visit("purposeful", date(2026, 4, 24), bedroom_seen=True))
    assert bedroom_seen_due(p, visits, R, today=date(2026, 5, 1)).due == date(2026, 7, 17)


def test_statutory_visits_not_seen_alone_need_a_reason():
    alone = visit("statutory", date(2026, 3, 5), seen_alone=True)
    not_alone = visit("statutory", date(2026, 3, 20))
    other = visit("iro", date(2026, 3, 21))
    before = visit("statutory", date(2026, 2, 20))
    visits = [alone, not_alone, other, before]
    assert statutory_visits_not_seen_alone(placement(), visits, today=date(2026, 4, 1)) == [
        not_alone
    ]


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


def test_24_hours_from_midnight_when_no_start_time():
    p = placement("unregistered", start=date(2026, 10, 25))
    d = due_of(PURPOSEFUL_VISIT, p, [pv(date(2026, 10, 24))], today=p.start)
    assert d.due_at == datetime(2026, 10, 25, 23, 0, tzinfo=LONDON)


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
# §4 LAC reviews
# ============================================================================================


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
    d = due_of(LAC_REVIEW, placement(start=since), today=since, looked_after_since=since)
    assert d.due == expected
    assert "reg. 33" in d.source


def test_first_review_counts_from_looked_after_not_placement_start():
    p = placement(start=date(2026, 3, 16))
    d = due_of(LAC_REVIEW, p, today=date(2026, 3, 16), looked_after_since=date(2026, 3, 2))
    assert d.due == date(2026, 3, 30)
    without = due_of(LAC_REVIEW, p, today=date(2026, 3, 16))
    assert without.due == date(2026, 4, 15)  # 16 Mar + 20 working days, over Easter 2026
    assert "date not given" in without.basis


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
    d = due_of(
        LAC_REVIEW, placement(), today=date(2028, 1, 1), reviews=reviews, looked_after_since=START
    )
    assert d.due == expected


def test_first_lac_review_field_counts_as_a_held_review():
    p = placement(first_lac_review=date(2026, 3, 30))
    assert due_date(LAC_REVIEW, p, today=date(2026, 4, 1)) == date(2026, 6, 30)


def test_reviews_from_an_earlier_period_of_care_or_not_yet_held_are_ignored():
    reviews = [date(2025, 1, 10), date(2025, 4, 10), date(2026, 4, 20)]
    d = due_of(
        LAC_REVIEW, placement(), today=date(2026, 3, 10), reviews=reviews, looked_after_since=START
    )
    assert d.due == date(2026, 3, 30)


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 6, 29), "open"), (date(2026, 6, 30), "open"), (date(2026, 7, 1), "overdue")],
)
def test_review_due_edges(on, expected):
    d = due_of(LAC_REVIEW, placement(), today=on, reviews=[date(2026, 3, 30)])
    assert status(d, on, None) == expected


def test_lac_review_is_the_childs_not_the_placements():
    for kind in ("custody", "short_breaks", "regulated"):
        p = placement(kind, end=date(2026, 3, 10))
        assert due_date(LAC_REVIEW, p, today=date(2026, 3, 2), looked_after_since=START) == date(
            2026, 3, 30
        )


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


# ============================================================================================
# status, alerts, schedule
# ============================================================================================

FRI_DUE = Due(STATUTORY_VISIT, date(2026, 3, 13), None, "basis", "source")


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
    assert alert_level(Due(STATUTORY_VISIT, due, None, "b", "s"), today, R) == expected


def test_alert_level_for_24_hour_duty_uses_now():
    due_at = datetime(2026, 10, 25, 11, 0, tzinfo=LONDON)
    d = Due(PURPOSEFUL_VISIT, due_at.date(), due_at, "b", "s")
    today = date(2026, 10, 25)
    assert alert_level(d, today, R, now=datetime(2026, 10, 25, 10, 59)) == "due_soon"
    assert alert_level(d, today, R, now=datetime(2026, 10, 25, 11, 1)) == "overdue"
    assert alert_level(d, today, R) == "due_soon"
    assert alert_level(d, date(2026, 11, 2), R) == "overdue_5"


@pytest.mark.parametrize(
    ("kind", "expected_kinds"),
    [
        ("in_house_fostering", [STATUTORY_VISIT, LAC_REVIEW]),
        ("ifa_fostering", [STATUTORY_VISIT, LAC_REVIEW]),
        ("regulated", [STATUTORY_VISIT, PURPOSEFUL_VISIT, IRO_VISIT, LAC_REVIEW]),
        ("unregistered", list(DUTY_KINDS)),
        ("short_breaks", [LAC_REVIEW]),
    ],
)
def test_schedule_lists_every_applicable_duty(kind, expected_kinds):
    result = schedule(placement(kind), [], R, today=START, looked_after_since=START)
    assert [d.kind for d in result] == expected_kinds
    by_kind = {d.kind: d.due for d in result}
    assert by_kind[LAC_REVIEW] == date(2026, 3, 30)
    if STATUTORY_VISIT in by_kind:
        assert by_kind[STATUTORY_VISIT] == date(2026, 3, 9)


def test_duty_kinds_contract():
    assert DUTY_KINDS == (
        "statutory_visit",
        "purposeful_visit",
        "iro_visit",
        "commissioning_visit",
        "service_manager_visit",
        "lac_review",
    )
