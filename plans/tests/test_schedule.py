"""The plan duties as rows of the duty table: what ``deadlines --as-of`` lists, with the
rules' due dates, how a plan recorded closes its row, and how placements and periods of
care open and cancel them (timescales.md §7)."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from duties import registry, services
from duties.models import Duty, RuleValue
from duties.recompute import refresh_for_children
from placements.tests.factories import ChildFactory, PlacementFactory
from plans import schedule
from plans.models import HealthStage, Plan, PlanKind, SchoolTerm

pytestmark = pytest.mark.django_db

#: Looked after on Friday 18 December 2026, over Christmas and New Year.
START = date(2026, 12, 18)
SCHOOL_AGE = date(2015, 3, 10)  # 11 then: of compulsory school age


@pytest.fixture
def child(social_worker):
    return ChildFactory(
        child_id="P200001",
        team=social_worker.team,
        social_worker=social_worker,
        date_of_birth=SCHOOL_AGE,
    )


@pytest.fixture
def placement(child):
    return PlacementFactory(child=child, decom=START)


def refresh(child, today):
    refresh_for_children([child.pk], today=today)


def deadlines(as_of: date, kind: str) -> list[str]:
    out = StringIO()
    call_command("deadlines", "--as-of", f"{as_of:%Y-%m-%d}", "--kind", kind, stdout=out)
    return out.getvalue().splitlines()[1:]


def rows(child, kind, **filters):
    return Duty.objects.filter(child=child, kind=kind, **filters).order_by("pk")


def record(child, kind, on, **fields):
    return Plan.objects.create(child=child, kind=kind, completed_on=on, **fields)


# --- What deadlines lists -------------------------------------------------------------------


def test_deadlines_lists_each_plan_duty_with_the_rules_due_dates(child, placement, social_worker):
    refresh(child, date(2026, 12, 21))
    assert deadlines(date(2026, 12, 21), "care_plan") == ["care_plan,P200001,,2027-01-06,open,sw"]
    # The placement plan is about the placement's setting: its URN is listed.
    assert deadlines(date(2026, 12, 21), "placement_plan") == [
        f"placement_plan,P200001,{placement.setting.urn},2026-12-29,open,sw"
    ]
    assert deadlines(date(2026, 12, 21), "health_assessment") == [
        "health_assessment,P200001,,2027-01-20,open,sw"
    ]
    assert deadlines(date(2026, 12, 21), "pep") == ["pep,P200001,,2027-01-06,open,sw"]
    duty = rows(child, "care_plan").get()
    assert duty.owner == social_worker and duty.team == child.team
    assert duty.subject == f"child:{child.pk}:care_period:2026-12-18"
    assert "first placement of the period of care on 18 December 2026" in duty.basis
    assert "003_… 'Children in Care' key timescale (line 890)" in duty.source
    assert rows(child, "placement_plan").get().subject == (
        f"child:{child.pk}:placement:{placement.pk}"
    )
    assert rows(child, "health_assessment").get().subject == f"child:{child.pk}:health"
    assert rows(child, "pep").get().subject == f"child:{child.pk}:pep"


def test_the_day_before_on_and_after_the_placement_plans_due_date(child, placement):
    refresh(child, date(2026, 12, 21))
    line = f"placement_plan,P200001,{placement.setting.urn},2026-12-29,{{}},sw"
    assert deadlines(date(2026, 12, 28), "placement_plan") == [line.format("open")]
    assert deadlines(date(2026, 12, 29), "placement_plan") == [line.format("open")]
    assert deadlines(date(2026, 12, 30), "placement_plan") == [line.format("overdue")]


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 3, 27), date(2026, 4, 7)),  # the clock change (29 March) and Easter
        (date(2026, 10, 23), date(2026, 10, 30)),  # the clock change (25 October)
        (date(2026, 1, 30), date(2026, 2, 6)),  # a month end
    ],
)
def test_placement_plans_count_working_days_over_the_clock_change_and_month_ends(child, start, due):
    PlacementFactory(child=child, decom=start)
    refresh(child, start)
    assert rows(child, "placement_plan").get().due == due


# --- A plan recorded closes its row ---------------------------------------------------------


def test_a_plan_recorded_closes_its_row_as_done_by_the_plan(child, placement):
    refresh(child, date(2026, 12, 21))
    plan = record(child, PlanKind.PLACEMENT_PLAN, date(2026, 12, 22), placement=placement)
    care = record(child, PlanKind.CARE_PLAN, date(2027, 1, 7))  # a day late
    refresh(child, date(2027, 1, 7))
    done = rows(child, "placement_plan").get()
    assert (done.status, done.done_on, done.done_by) == (
        Duty.Status.DONE,
        date(2026, 12, 22),
        f"plan:{plan.pk}",
    )
    late = rows(child, "care_plan").get()
    assert (late.status, late.done_by, late.due) == (
        Duty.Status.DONE,
        f"plan:{care.pk}",
        date(2027, 1, 6),
    )
    assert deadlines(date(2027, 1, 7), "care_plan") == ["care_plan,P200001,,2027-01-06,done,sw"]
    # Nothing more is due of either in this placement and period of care.
    assert not rows(child, "placement_plan", status=Duty.Status.OPEN).exists()
    assert not rows(child, "care_plan", status=Duty.Status.OPEN).exists()


def test_a_plan_made_before_the_placement_means_no_row_is_opened(child):
    # "prepared prior to a child's first placement" (003_… line 890); "before the
    # placement" (TS §7).
    record(child, PlanKind.CARE_PLAN, date(2026, 12, 17))
    placement = PlacementFactory(child=child, decom=START)
    record(child, PlanKind.PLACEMENT_PLAN, date(2026, 12, 17), placement=placement)
    refresh(child, date(2026, 12, 21))
    assert not rows(child, "care_plan").exists()
    assert not rows(child, "placement_plan").exists()


def test_a_plan_dated_after_today_does_not_count_yet(child, placement):
    record(child, PlanKind.PLACEMENT_PLAN, date(2026, 12, 23), placement=placement)
    refresh(child, date(2026, 12, 21))
    assert rows(child, "placement_plan", status=Duty.Status.OPEN).get().due == date(2026, 12, 29)
    refresh(child, date(2026, 12, 23))
    assert rows(child, "placement_plan").get().status == Duty.Status.DONE


# --- Placements and periods of care ---------------------------------------------------------


def test_each_placement_has_its_placement_plan_and_a_change_of_legal_status_does_not(child):
    first = PlacementFactory(child=child, decom=START, dec=date(2027, 1, 11))
    refresh(child, date(2026, 12, 21))
    # A change of legal status only (RNE L): the same placement, no new plan.
    second = PlacementFactory(
        child=child, decom=date(2027, 1, 11), dec=date(2027, 2, 1), rne="L", ls="C1"
    )
    refresh(child, date(2027, 1, 11))
    assert rows(child, "placement_plan").count() == 1
    assert rows(child, "placement_plan", status=Duty.Status.OPEN).get().placement == second
    # A change of placement (RNE P) on Monday 1 February 2027: a new plan within 5 working
    # days; the first placement's, never recorded, is cancelled with its due date kept.
    third = PlacementFactory(child=child, decom=date(2027, 2, 1), rne="P")
    refresh(child, date(2027, 2, 1))
    open_row = rows(child, "placement_plan", status=Duty.Status.OPEN).get()
    assert open_row.subject == f"child:{child.pk}:placement:{third.pk}"
    assert open_row.due == date(2027, 2, 8)
    missed = rows(child, "placement_plan", status=Duty.Status.CANCELLED).get()
    assert missed.subject == f"child:{child.pk}:placement:{first.pk}"
    assert missed.due == date(2026, 12, 29)
    # The care plan is the period of care's: one row, due from its first placement.
    assert rows(child, "care_plan").get().due == date(2027, 1, 6)


def test_a_placement_plan_of_another_placement_does_not_count(child):
    first = PlacementFactory(child=child, decom=START, dec=date(2027, 2, 1))
    PlacementFactory(child=child, decom=date(2027, 2, 1), rne="P")
    record(child, PlanKind.PLACEMENT_PLAN, date(2026, 12, 21), placement=first)
    refresh(child, date(2027, 2, 2))
    assert rows(child, "placement_plan", status=Duty.Status.OPEN).get().due == date(2027, 2, 8)


def test_ended_care_cancels_the_open_rows(child, placement):
    refresh(child, date(2026, 12, 21))
    assert rows(child, "pep", status=Duty.Status.OPEN).exists()
    placement.dec = date(2027, 1, 4)
    placement.save()
    refresh(child, date(2027, 1, 4))
    for kind in ("care_plan", "placement_plan", "health_assessment", "pep"):
        assert rows(child, kind).get().status == Duty.Status.CANCELLED, kind
    assert deadlines(date(2027, 1, 4), "care_plan") == []


def test_a_second_period_of_care_starts_afresh(child):
    PlacementFactory(child=child, decom=date(2026, 1, 5), dec=date(2026, 6, 1))
    record(child, PlanKind.CARE_PLAN, date(2026, 1, 6))
    record(child, PlanKind.HEALTH_ASSESSMENT, date(2026, 1, 20), stage=HealthStage.INITIAL)
    record(child, PlanKind.PEP, date(2026, 1, 12))
    # Back in care on Friday 18 December 2026: the first period's plans do not count.
    PlacementFactory(child=child, decom=START, rne="S")
    refresh(child, date(2026, 12, 21))
    care = rows(child, "care_plan", status=Duty.Status.OPEN).get()
    assert (care.subject, care.due) == (
        f"child:{child.pk}:care_period:2026-12-18",
        date(2027, 1, 6),
    )
    assert rows(child, "health_assessment").get().due == date(2027, 1, 20)
    assert rows(child, "pep").get().due == date(2027, 1, 6)


def test_a_care_plan_made_between_periods_counts_for_the_next(child):
    PlacementFactory(child=child, decom=date(2026, 1, 5), dec=date(2026, 6, 1))
    record(child, PlanKind.CARE_PLAN, date(2026, 12, 16))
    PlacementFactory(child=child, decom=START, rne="S")
    refresh(child, date(2026, 12, 21))
    assert not rows(child, "care_plan").exists()


def test_short_breaks_have_a_care_plan_only(child):
    PlacementFactory(child=child, decom=START, ls="V4")
    refresh(child, date(2026, 12, 21))
    assert set(Duty.objects.filter(child=child).values_list("kind", flat=True)) & {
        "care_plan",
        "placement_plan",
        "health_assessment",
        "pep",
    } == {"care_plan"}


# --- Health assessments ---------------------------------------------------------------------


def test_health_assessments_roll_on_across_the_5th_birthday(social_worker):
    # Five on 20 May 2026; looked after from Monday 5 January 2026.
    child = ChildFactory(
        team=social_worker.team, social_worker=social_worker, date_of_birth=date(2021, 5, 20)
    )
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    refresh(child, date(2026, 1, 5))
    assert rows(child, "health_assessment").get().due == date(2026, 2, 2)
    first = record(child, PlanKind.HEALTH_ASSESSMENT, date(2026, 1, 30), stage="initial")
    refresh(child, date(2026, 1, 30))
    done, review = rows(child, "health_assessment")
    assert (done.status, done.done_by) == (Duty.Status.DONE, f"plan:{first.pk}")
    # Assessed at 4 years 8 months: six months on, 30 July 2026, although five by then.
    assert (review.status, review.due) == (Duty.Status.OPEN, date(2026, 7, 30))
    assert "under 5 then" in review.basis
    record(child, PlanKind.HEALTH_ASSESSMENT, date(2026, 7, 29), stage="review")
    refresh(child, date(2026, 7, 29))
    # Assessed at five: twelve months on.
    assert rows(child, "health_assessment", status=Duty.Status.OPEN).get().due == date(2027, 7, 29)


# --- PEPs and school terms ------------------------------------------------------------------


def test_pep_reviews_follow_the_administrators_terms(child, placement):
    SchoolTerm.objects.create(
        name="Spring 2027", starts_on=date(2027, 1, 5), ends_on=date(2027, 3, 26)
    )
    SchoolTerm.objects.create(
        name="Summer 2027", starts_on=date(2027, 4, 12), ends_on=date(2027, 7, 21)
    )
    SchoolTerm.objects.create(
        name="Autumn 2026", starts_on=date(2026, 9, 3), ends_on=date(2026, 12, 18)
    )
    refresh(child, date(2026, 12, 21))
    # The first PEP on the first day of the recorded spring term: that term's.
    pep = record(child, PlanKind.PEP, date(2027, 1, 5))
    refresh(child, date(2027, 1, 5))
    row = rows(child, "pep", status=Duty.Status.OPEN).get()
    assert row.due == date(2027, 7, 21)
    assert "the Summer 2027 term (12 April 2027 to 21 July 2027), by its last day" in row.basis
    assert rows(child, "pep", status=Duty.Status.DONE).get().done_by == f"plan:{pep.pk}"
    # No term of 2027/28 is recorded: the defaults stand in.
    record(child, PlanKind.PEP, date(2027, 6, 1))
    refresh(child, date(2027, 6, 1))
    assert rows(child, "pep", status=Duty.Status.OPEN).get().due == date(2027, 12, 31)


# --- Rules an administrator changes ---------------------------------------------------------


def test_a_rule_value_changed_by_the_administrator_moves_the_open_rows(
    child, placement, administrator
):
    refresh(child, date(2026, 12, 21))
    rule = RuleValue.objects.get(name="placement_plan_working_days")
    assert rule.value == 5 and "reg. 9 CPPCR 2010" in rule.source
    services.rule_value_set(rule_value=rule, value=3, actor=administrator)
    refresh(child, date(2026, 12, 21))
    assert rows(child, "placement_plan").get().due == date(2026, 12, 23)
    pep_rule = RuleValue.objects.get(name="pep_before_term_end_working_days")
    assert pep_rule.value == 0 and "10.15 (line 939)" in pep_rule.source


# --- A fixed number of queries a batch ------------------------------------------------------


@pytest.mark.parametrize("size", [2, 6])
def test_a_batch_is_loaded_in_a_fixed_number_of_queries(
    social_worker, django_assert_num_queries, size
):
    children = []
    for n in range(size):
        child = ChildFactory(team=social_worker.team, social_worker=social_worker)
        first = PlacementFactory(child=child, decom=date(2026, 1, 5), dec=date(2026, 3, 2))
        PlacementFactory(child=child, decom=date(2026, 3, 2), rne="P")
        record(child, PlanKind.PLACEMENT_PLAN, date(2026, 1, 6), placement=first)
        record(child, PlanKind.HEALTH_ASSESSMENT, date(2026, 1, 20 + n))
        children.append(child.pk)
    with django_assert_num_queries(2):
        state = schedule.prepare(date(2026, 3, 2))
    with django_assert_num_queries(2):
        batch = schedule.load(children, state)
    with django_assert_num_queries(0):
        found = [w for pk in children for w in schedule.wants(pk, batch, state, set())]
    assert len(found) == size * 4  # care plan, this placement's plan, health, PEP


# --- Where a row links ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("care_plan", "child:6:care_period:2026-12-18"),
        ("placement_plan", "child:6:placement:31"),
        ("health_assessment", "child:6:health"),
        ("pep", "child:6:pep"),
        ("updated_assessment", "child:6:assessment_after:2026-12-18"),
    ],
)
def test_each_row_links_to_the_childs_plans_and_a_discharging_plan_to_its_page(kind, subject):
    # The URLs are the plans pages' (plans.urls): the child's plans by the child's pk.
    ((pattern, url_name),) = registry.get(kind).links
    assert url_name == "plans:child_plans"
    assert re.fullmatch(pattern, subject).group(1) == "6"
    assert re.fullmatch(schedule.PLAN_SUBJECT, "plan:9").group(1) == "9"
    assert not re.fullmatch(pattern, "child:6")  # the LAC review's subject is not ours
