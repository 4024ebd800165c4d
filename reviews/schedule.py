"""The LAC review as a row of the duty table: the child's, across placements.

For the duty engine's recompute (registered in ``reviews.duty_kinds``): while a child is
looked after, one open ``lac_review`` row (subject ``child:<id>``) is due by
``reviews.rules``, counted in the child's current period of care, owned by the social
worker in the child's team. A review held discharges it (``done_by`` =
``lac_review:<id>``); once the child leaves care the row is cancelled.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from duties import timescales
from duties.reconcile import Want
from placements.models import Placement
from placements.periods import current_episode, looked_after_since

from .models import LacReview
from .rules import LAC_REVIEW, ReviewRules, held_in_period, lac_review_due

SUBJECTS = r"child:\d+"


@dataclass(frozen=True)
class _State:
    rules: ReviewRules
    today: date


@dataclass(frozen=True)
class _Episode:
    pk: int
    decom: date
    dec: date | None


@dataclass
class _Batch:
    episodes: dict[int, list[_Episode]]
    allocation: dict[int, tuple[int | None, int | None]]  # child -> (social worker, team)
    reviews: dict[int, list[tuple[date, int]]]


def prepare(today: date) -> _State:
    return _State(timescales.current(ReviewRules), today)


def load(child_ids: Sequence[int], state: _State) -> _Batch:
    """The children's episodes and reviews: two queries a batch."""
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
    return _Batch(episodes, allocation, reviews)


def wants(child_id: int, batch: _Batch, state: _State, open_subjects: set[str]) -> list[Want]:
    """The child's LAC review row while they are looked after (none otherwise)."""
    episodes = batch.episodes.get(child_id, [])
    current = current_episode(episodes, state.today)
    if current is None:
        return []
    period_start = looked_after_since(episodes)[current.pk]
    held_dates = held_in_period(
        [day for day, _ in batch.reviews.get(child_id, [])],
        looked_after_since=period_start,
        today=state.today,
    )
    held = [(day, pk) for day, pk in batch.reviews.get(child_id, []) if day in held_dates]

    def answer(k: int) -> object:
        return lac_review_due(
            [day for day, _ in held[:k]], state.rules, looked_after_since=period_start
        )

    social_worker_id, team_id = batch.allocation[child_id]
    return [
        Want(
            kind=LAC_REVIEW,
            subject=f"child:{child_id}",
            due=answer(len(held)),
            owner_id=social_worker_id,
            team_id=team_id,
            answer=answer,
            inputs=[(day, f"lac_review:{pk}") for day, pk in held],
        )
    ]
