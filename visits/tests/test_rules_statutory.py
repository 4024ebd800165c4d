"""visits.rules: the statutory visits of timescales.md §1, the rules as data, and the facts.

Dates are concrete; each case checks the day before, on and after where it matters.
"""

import dataclasses
from datetime import UTC, date, datetime

import pytest

from duties.rules import AlertRules, Due, alert_level, status
from visits.rules import (
    BEDROOM_SEEN,
    COMMISSIONING_VISIT,
    PURPOSEFUL_VISIT,
    STATUTORY_VISIT,
    PlacementFacts,
    RuleSet,
    ScheduleOverride,
    VisitFact,
    bedroom_seen_due,
    next_due,
    ofsted_notice_visit_due,
    statutory_visits_not_seen_alone,
)
from visits.tests.rule_helpers import REVIEW_1, START, R, due_date, due_of, placement, visit

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
    ],
)
def test_ruleset_defaults_are_the_timescales_values(name, value):
    assert getattr(RuleSet.defaults(), name) == value


def test_field_help_documents_every_rule_with_a_source():
    help_ = RuleSet.field_help()
    assert list(help_) == [f.name for f in dataclasses.fields(RuleSet)]
    for name, (text, source) in help_.items():
        assert text.strip(), name
        assert source.startswith("TS "), name
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


def test_ruleset_allows_no_visit_in_person_a_week():
    assert RuleSet(unregistered_min_in_person=0).unregistered_min_in_person == 0


def test_the_lac_reviews_timescales_are_the_reviews_own():
    from reviews.rules import ReviewRules

    assert issubclass(RuleSet, ReviewRules)
    assert RuleSet(lac_review_second_months=4).lac_review_second_months == 4


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
    assert alert_level(d, date(2026, 5, 1), AlertRules()) == "overdue_5"
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


def test_short_breaks_are_visited_within_three_months_of_the_first_stay_then_3_monthly():
    """003 appendix "Short Breaks": "1st visit: within 3 months of the start of the 1st
    placement"; "Subsequently: every 3 months" (the bedroom is not the authority's)."""
    p = placement("short_breaks")
    d = due_of(STATUTORY_VISIT, p, today=START)
    assert (d.due, d.source) == (
        date(2026, 6, 2),
        "TS §1: reg. 48 short breaks / 003 appendix 'Short Breaks'",
    )
    assert d.basis == (
        "Short breaks: first visit within 3 months of the start of the first short break on "
        "2 March 2026"
    )
    assert bedroom_seen_due(p, [], R, today=START) is None
    visits = [visit("statutory", date(2026, 5, 31))]
    d = due_of(STATUTORY_VISIT, p, visits, today=date(2026, 6, 1))
    assert d.due == date(2026, 8, 31)
    assert "no frequency agreed with the IRO and the parents is recorded" in d.basis


def test_short_breaks_follow_the_schedule_agreed_with_iro_and_parents():
    override = ScheduleOverride(None, 2, "IRO B. Lee and parents", date(2026, 2, 20))
    p = placement("short_breaks", overrides={STATUTORY_VISIT: override})
    d = due_of(STATUTORY_VISIT, p, today=START)
    assert d.due == date(2026, 5, 2)
    assert "agreed by IRO B. Lee and parents on 20 February 2026" in d.basis
    assert "reg. 48" in d.source
    visits = [visit("statutory", date(2026, 5, 31))]
    assert due_date(STATUTORY_VISIT, p, visits, today=date(2026, 6, 1)) == date(2026, 7, 31)
    # agreed after today: not yet the child's schedule, the appendix's 3 months stand
    later = placement(
        "short_breaks",
        overrides={STATUTORY_VISIT: ScheduleOverride(None, 1, "IRO", date(2026, 3, 10))},
    )
    assert due_date(STATUTORY_VISIT, later, today=date(2026, 3, 9)) == date(2026, 6, 2)
    assert due_date(STATUTORY_VISIT, later, today=date(2026, 3, 10)) == date(2026, 4, 2)


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
