"""The schedule's public answers: the next due date of one kind of visit, or of all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .facts import (
    DUTY_KINDS,
    IRO_VISIT,
    PURPOSEFUL_VISIT,
    STATUTORY_VISIT,
    Due,
    PlacementFacts,
    VisitFact,
    make_context,
    within_placement,
)
from .iro import iro_due
from .purposeful import purposeful_due
from .ruleset import RuleSet
from .statutory import statutory_due
from .unregistered import one_off_unregistered_due


def next_due(
    kind: str,
    placement: PlacementFacts,
    visits: Sequence[VisitFact],
    rules: RuleSet,
    *,
    reviews: Sequence[date] = (),
    looked_after_since: date | None = None,
    today: date,
) -> Due | None:
    """The next due date of visit duty ``kind`` for this placement, or None.

    None when the duty does not apply to the placement, when a one-off duty
    (commissioning, service manager) has been discharged, or when the due date falls
    after the placement ended. ``reviews`` are the dates of the child's LAC reviews
    held (dates after ``today`` are ignored; ``placement.first_lac_review`` is
    included): IRO visits are due before reviews, and some statutory visits change
    with the first. The LAC review itself is a duty of the child (``reviews.rules``).
    """
    if kind not in DUTY_KINDS:
        raise ValueError(f"unknown duty kind {kind!r}; expected one of {DUTY_KINDS}")
    ctx = make_context(placement, visits, rules, reviews, looked_after_since, today)
    if kind == STATUTORY_VISIT:
        due = statutory_due(ctx)
    elif kind == PURPOSEFUL_VISIT:
        due = purposeful_due(ctx)
    elif kind == IRO_VISIT:
        due = iro_due(ctx)
    else:
        due = one_off_unregistered_due(ctx, kind)
    return within_placement(due, placement)


def schedule(
    placement: PlacementFacts,
    visits: Sequence[VisitFact],
    rules: RuleSet,
    *,
    reviews: Sequence[date] = (),
    looked_after_since: date | None = None,
    today: date,
) -> list[Due]:
    """:func:`next_due` for every visit duty that applies, in :data:`DUTY_KINDS` order."""
    result = []
    for kind in DUTY_KINDS:
        due = next_due(
            kind,
            placement,
            visits,
            rules,
            reviews=reviews,
            looked_after_since=looked_after_since,
            today=today,
        )
        if due is not None:
            result.append(due)
    return result
