"""The LAC review, and the social worker's report for it, as rows of the duty table.

For the duty engine's recompute (registered in ``reviews.duty_kinds``): while a child is
looked after, one open ``lac_review`` row (subject ``child:<id>``) is due by
``reviews.rules``, counted in the child's current period of care, owned by the social
worker in the child's team. A review held discharges it (``done_by`` =
``lac_review:<id>``); once the child leaves care the row is cancelled.

Beside it, one ``review_report`` row a review cycle (subject
``child:<id>:report_after:<cycle start>``, the cycle starting at the previous review, or
for an initial review at the child becoming looked after): the report reaches the IRO 3
working days before an initial review and 5 before a later one (003_… 10.22, line 960),
counted back from the review's booked date where one is recorded (``BookedReview``), else
from its due date. Owned by the child's social worker; done when the report is recorded
as sent (``ReviewReport``: ``done_by`` = ``review_report:<id>``). A review held without
the report, or the child leaving care, cancels the cycle's row: a missed report stays on
the record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from duties import timescales
from duties.reconcile import Want
from duties.rules import Due
from placements.models import Placement
from placements.periods import current_episode, looked_after_since

from .models import BookedReview, LacReview, ReviewReport
from .rules import (
    LAC_REVIEW,
    REVIEW_REPORT,
    ReviewRules,
    held_in_period,
    lac_review_due,
    review_report,
)

SUBJECTS = r"child:\d+(?::report_after:\d{4}-\d{2}-\d{2})?"
#: The subject of a cycle's review_report row; its first group is the child's pk (the link).
REPORT_SUBJECT = r"child:(\d+):report_after:\d{4}-\d{2}-\d{2}"


def report_subject(child_id: int, cycle_start: date) -> str:
    return f"child:{child_id}:report_after:{cycle_start:%Y-%m-%d}"


@dataclass(frozen=True)
class _State:
    rules: ReviewRules
    today: date


@dataclass(frozen=True)
class _Episode:
    pk: int
    decom: date
    dec: date | None


@dataclass(frozen=True)
class Sent:
    pk: int
    sent_on: date
    review_date: date


@dataclass
class _Batch:
    episodes: dict[int, list[_Episode]]
    allocation: dict[int, tuple[int | None, int | None]]  # child -> (social worker, team)
    reviews: dict[int, list[tuple[date, int]]]
    bookings: dict[tuple[int, date], tuple[date, int]]  # (child, cycle) -> (date, pk)
    reports: dict[tuple[int, date], Sent]


@dataclass(frozen=True)
class Cycle:
    """Where a looked-after child's reviews stand: the next review and its report."""

    child_id: int
    period_start: date
    held: list[tuple[date, int]]  # the reviews of this period of care: (date, pk)
    cycle_start: date
    review: Due  # the next review, by the rules
    booked: date | None  # the date it is booked for, where one is recorded
    report: Due  # the report for it
    sent: Sent | None  # the report, once recorded as sent

    @property
    def is_initial(self) -> bool:
        return not self.held

    @property
    def previous_review(self) -> date | None:
        return self.held[-1][0] if self.held else None

    @property
    def review_date(self) -> date:
        """The date the report counts back from: booked, else due."""
        return self.booked or self.review.due

    @property
    def report_subject(self) -> str:
        return report_subject(self.child_id, self.cycle_start)


def prepare(today: date) -> _State:
    return _State(timescales.current(ReviewRules), today)


def load(child_ids: Sequence[int], state: _State) -> _Batch:
    """The children's episodes, reviews, bookings and reports sent: four queries a batch."""
    episodes: dict[int, list[_Episode]] = defaultdict(list)
    allocation: dict[int, tuple[int | None, int | None]] = {}
    for pk, child_id, decom, dec, social_worker_id, team_id in (
        Placement.objects.filter(child_id__in=child_ids)
        .order_by("child_id", "decom", "pk")
        .values_list("pk", "child_id", "decom", "dec", "child__social_worker", "child__team")
    ):
        episodes[child_id].append(_Episode(pk, decom, dec))
        allocation[child_id] = (social_worker_id, team_id)
    reviews: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for pk, child_id, review_date in (
        LacReview.objects.filter(child_id__in=child_ids, review_date__lte=state.today)
        .order_by("review_date", "pk")
        .values_list("pk", "child_id", "review_date")
    ):
        reviews[child_id].append((review_date, pk))
    bookings = {
        (child_id, cycle_start): (review_date, pk)
        for pk, child_id, cycle_start, review_date in BookedReview.objects.filter(
            child_id__in=child_ids
        ).values_list("pk", "child_id", "cycle_start", "review_date")
    }
    reports = {
        (child_id, cycle_start): Sent(pk, sent_on, review_date)
        for pk, child_id, cycle_start, sent_on, review_date in ReviewReport.objects.filter(
            child_id__in=child_ids
        ).values_list("pk", "child_id", "cycle_start", "sent_on", "review_date")
    }
    return _Batch(episodes, allocation, reviews, bookings, reports)


def cycle(child_id: int, batch: _Batch, state: _State) -> Cycle | None:
    """The child's current review cycle; None when they are not looked after today."""
    episodes = batch.episodes.get(child_id, [])
    current = current_episode(episodes, state.today)
    if current is None:
        return None
    period_start = looked_after_since(episodes)[current.pk]
    held_dates = held_in_period(
        [day for day, _ in batch.reviews.get(child_id, [])],
        looked_after_since=period_start,
        today=state.today,
    )
    held = [(day, pk) for day, pk in batch.reviews.get(child_id, []) if day in held_dates]
    cycle_start = held[-1][0] if held else period_start
    review = lac_review_due([day for day, _ in held], state.rules, looked_after_since=period_start)
    booking = batch.bookings.get((child_id, cycle_start))
    booked = booking[0] if booking else None
    report = review_report(booked or review.due, not held, state.rules, booked=booked is not None)
    return Cycle(
        child_id=child_id,
        period_start=period_start,
        held=held,
        cycle_start=cycle_start,
        review=review,
        booked=booked,
        report=report,
        sent=batch.reports.get((child_id, cycle_start)),
    )


def wants(child_id: int, batch: _Batch, state: _State, open_subjects: set[str]) -> list[Want]:
    """The child's LAC review row and this cycle's report row while they are looked after
    (none otherwise: open rows are cancelled)."""
    now = cycle(child_id, batch, state)
    if now is None:
        return []
    held = now.held

    def answer(k: int) -> object:
        return lac_review_due(
            [day for day, _ in held[:k]], state.rules, looked_after_since=now.period_start
        )

    social_worker_id, team_id = batch.allocation[child_id]
    review = Want(
        kind=LAC_REVIEW,
        subject=f"child:{child_id}",
        due=now.review,
        owner_id=social_worker_id,
        team_id=team_id,
        answer=answer,
        inputs=[(day, f"lac_review:{pk}") for day, pk in held],
    )
    report = Want(
        kind=REVIEW_REPORT,
        subject=now.report_subject,
        due=now.report,
        owner_id=social_worker_id,
        team_id=team_id,
    )
    if now.sent is not None:
        # Recorded as sent: the open row (if any) is done by the report; no row is opened.
        report.due = None
        report.answer = lambda k: now.report
        report.inputs = [(now.sent.sent_on, f"review_report:{now.sent.pk}")]
    return [review, report]
