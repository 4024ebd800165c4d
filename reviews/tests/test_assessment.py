"""updated_assessment: the social worker's updated assessment before each LAC review
(003_… 10.12, line 929; timescales.md §7), due by the review's booked date where one is
recorded, else its due date; done by an updated_assessment plan recorded in the cycle."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from duties import services
from duties.models import Duty, RuleValue
from duties.recompute import refresh_for_children
from placements.tests.factories import ChildFactory, PlacementFactory
from plans.models import Plan, PlanKind
from reviews import assessment
from reviews.models import BookedReview, LacReview

#: Looked after from Monday 5 January 2026: the initial review is due by Monday 2 February
#: (20 working days).
START = date(2026, 1, 5)

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(social_worker):
    child = ChildFactory(child_id="U400001", team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child, decom=START)
    return child


def rows(child, **filters):
    return Duty.objects.filter(child=child, kind="updated_assessment", **filters).order_by("pk")


def refresh(child, today):
    refresh_for_children([child.pk], today=today)


def assess(child, on):
    return Plan.objects.create(child=child, kind=PlanKind.UPDATED_ASSESSMENT, completed_on=on)


def hold_review(child, on):
    LacReview.objects.create(child=child, review_date=on)
    refresh(child, on)


def deadlines(as_of: date) -> list[str]:
    out = StringIO()
    call_command(
        "deadlines", "--as-of", f"{as_of:%Y-%m-%d}", "--kind", "updated_assessment", stdout=out
    )
    return out.getvalue().splitlines()[1:]


def test_due_by_the_initial_reviews_due_date(child, social_worker):
    refresh(child, date(2026, 1, 10))
    duty = rows(child, status=Duty.Status.OPEN).get()
    assert duty.due == date(2026, 2, 2)
    assert duty.owner == social_worker and duty.team == child.team
    assert duty.subject == f"child:{child.pk}:assessment_after:2026-01-05"
    assert duty.basis == "Updated assessment by the initial LAC review, due by 2 February 2026"
    assert "003_… 10.12 (line 929)" in duty.source
    # The day before, on and after the due date.
    line = "updated_assessment,U400001,,2026-02-02,{},sw"
    assert deadlines(date(2026, 2, 1)) == [line.format("open")]
    assert deadlines(date(2026, 2, 2)) == [line.format("open")]
    assert deadlines(date(2026, 2, 3)) == [line.format("overdue")]


def test_a_booked_date_moves_it(child, social_worker):
    refresh(child, date(2026, 1, 10))
    BookedReview.objects.create(
        child=child, cycle_start=START, review_date=date(2026, 1, 29), booked_by=social_worker
    )
    refresh(child, date(2026, 1, 12))
    duty = rows(child, status=Duty.Status.OPEN).get()
    assert duty.due == date(2026, 1, 29)
    assert "booked for 29 January 2026" in duty.basis


def test_an_assessment_recorded_closes_it_and_the_next_cycle_counts_from_the_review(child):
    refresh(child, date(2026, 1, 10))
    plan = assess(child, date(2026, 1, 28))
    refresh(child, date(2026, 1, 28))
    done = rows(child).get()
    assert (done.status, done.done_on, done.done_by) == (
        Duty.Status.DONE,
        date(2026, 1, 28),
        f"plan:{plan.pk}",
    )
    assert deadlines(date(2026, 1, 28)) == ["updated_assessment,U400001,,2026-02-02,done,sw"]
    # The review held on 2 February: the next cycle's assessment is due by the second
    # review, 3 months on (Saturday 2 May 2026). One dated on the review's own day was
    # for that review, not the next.
    assess(child, date(2026, 2, 2))
    hold_review(child, date(2026, 2, 2))
    following = rows(child, status=Duty.Status.OPEN).get()
    assert following.subject == f"child:{child.pk}:assessment_after:2026-02-02"
    assert following.due == date(2026, 5, 2)
    assert "the next LAC review, due by 2 May 2026" in following.basis


def test_a_review_held_without_one_cancels_the_cycles_row_keeping_its_due_date(child):
    refresh(child, date(2026, 1, 10))
    hold_review(child, date(2026, 2, 2))
    missed = rows(child, status=Duty.Status.CANCELLED).get()
    assert missed.due == date(2026, 2, 2)
    assert rows(child, status=Duty.Status.OPEN).get().due == date(2026, 5, 2)


def test_an_assessment_before_the_child_was_looked_after_does_not_count(child):
    assess(child, date(2026, 1, 2))
    refresh(child, date(2026, 1, 10))
    assert rows(child, status=Duty.Status.OPEN).get().due == date(2026, 2, 2)


def test_a_rule_value_changed_by_the_administrator_counts_back_in_working_days(
    child, administrator
):
    rule = RuleValue.objects.get(name="updated_assessment_before_review_working_days")
    assert rule.value == 0 and "10.12 (line 929)" in rule.source
    services.rule_value_set(rule_value=rule, value=5, actor=administrator)
    refresh(child, date(2026, 1, 10))
    # Five working days before Monday 2 February: Monday 26 January.
    duty = rows(child, status=Duty.Status.OPEN).get()
    assert duty.due == date(2026, 1, 26)
    assert "5 working days before the initial LAC review" in duty.basis


def test_leaving_care_cancels_it(child):
    refresh(child, date(2026, 1, 10))
    placement = child.placements.get()
    placement.dec = date(2026, 1, 20)
    placement.save()
    refresh(child, date(2026, 1, 20))
    assert rows(child).get().status == Duty.Status.CANCELLED


@pytest.mark.parametrize("size", [2, 6])
def test_a_batch_is_loaded_in_a_fixed_number_of_queries(
    social_worker, django_assert_num_queries, size
):
    children = []
    for n in range(size):
        child = ChildFactory(team=social_worker.team, social_worker=social_worker)
        PlacementFactory(child=child, decom=START)
        LacReview.objects.create(child=child, review_date=date(2026, 2, 2))
        assess(child, date(2026, 2, 10 + n))
        children.append(child.pk)
    with django_assert_num_queries(2):
        state = assessment.prepare(date(2026, 3, 2))
    with django_assert_num_queries(5):
        batch = assessment.load(children, state)
    with django_assert_num_queries(0):
        found = [w for pk in children for w in assessment.wants(pk, batch, state, set())]
    assert [w.due for w in found] == [None] * size  # each done in its cycle
    assert all(len(w.inputs) == 1 for w in found)
