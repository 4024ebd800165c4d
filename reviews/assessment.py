"""The social worker's updated assessment for each LAC review, as rows of the duty table.

003_… 10.12 (line 929): "I have completed a six monthly (minimum) updated assessment
contained in Child in Care Update Assessment to the LAC review"; timescales.md §7: "at
least every 6 months, before each review". Reviews are at most 6 months apart (TS §4), so
one before each review is at least six-monthly.

For the duty engine's recompute (registered in ``reviews.duty_kinds``; here, not in
``plans``, because it needs the review's dates): while a child is looked after, one
``updated_assessment`` row a review cycle (subject
``child:<id>:assessment_after:<cycle start>``, the cycle as ``reviews.schedule`` counts it:
from the previous review, or for the initial review from the child becoming looked
after), due by the review's booked date where one is recorded (``BookedReview``), else its
due date, less ``updated_assessment_before_review_working_days`` (0: 10.12 gives no day
count). Owned by the child's social worker. An ``updated_assessment`` Plan completed in
the cycle (after the previous review; for the initial review, on or after the child
became looked after) and on or before today discharges it (``done_by`` = ``plan:<id>``),
or means no row is opened. A review held without one, or the child leaving care, cancels
the cycle's row: a missed assessment stays on the record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from duties import timescales
from duties.reconcile import Want
from plans.models import Plan
from plans.rules import UPDATED_ASSESSMENT, PlanRules, updated_assessment_due

from . import schedule

SUBJECTS = r"child:\d+:assessment_after:\d{4}-\d{2}-\d{2}"
#: Its first group is the child's pk (the link to the child's plans).
ASSESSMENT_SUBJECT = r"child:(\d+):assessment_after:\d{4}-\d{2}-\d{2}"


def assessment_subject(child_id: int, cycle_start: date) -> str:
    return f"child:{child_id}:assessment_after:{cycle_start:%Y-%m-%d}"


@dataclass(frozen=True)
class _State:
    reviews: Any  # reviews.schedule's state: the review rules and the day
    rules: PlanRules
    today: date


@dataclass
class _Batch:
    reviews: Any  # reviews.schedule's batch: episodes, reviews held, bookings
    assessments: dict[int, list[tuple[date, int]]]  # child -> (completed on, plan pk)


def prepare(today: date) -> _State:
    return _State(schedule.prepare(today), timescales.current(PlanRules), today)


def load(child_ids: Sequence[int], state: _State) -> _Batch:
    """The review cycle's facts (``reviews.schedule.load``, four queries) and the updated
    assessments recorded (one query)."""
    assessments: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for pk, child_id, completed_on in (
        Plan.objects.filter(
            child_id__in=child_ids, kind=UPDATED_ASSESSMENT, completed_on__lte=state.today
        )
        .order_by("completed_on", "pk")
        .values_list("pk", "child_id", "completed_on")
    ):
        assessments[child_id].append((completed_on, pk))
    return _Batch(schedule.load(child_ids, state.reviews), assessments)


def wants(child_id: int, batch: _Batch, state: _State, open_subjects: set[str]) -> list[Want]:
    """This cycle's updated assessment row while the child is looked after (none
    otherwise: an open row is cancelled)."""
    now = schedule.cycle(child_id, batch.reviews, state.reviews)
    if now is None:
        return []
    due = updated_assessment_due(
        now.review_date, state.rules, is_initial=now.is_initial, booked=now.booked is not None
    )
    previous = now.previous_review
    done = [
        (day, pk)
        for day, pk in batch.assessments.get(child_id, [])
        if (day > previous if previous is not None else day >= now.period_start)
    ]
    social_worker_id, team_id = batch.reviews.allocation[child_id]
    return [
        Want(
            kind=UPDATED_ASSESSMENT,
            subject=assessment_subject(child_id, now.cycle_start),
            due=None if done else due,
            owner_id=social_worker_id,
            team_id=team_id,
            answer=lambda k: due if k == 0 else None,
            inputs=[(day, f"plan:{pk}") for day, pk in done],
        )
    ]
