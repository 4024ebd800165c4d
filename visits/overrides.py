"""A child's own visiting schedule, agreed at a LAC review (timescales.md Conventions):
recorded with who agreed it and when, and the child's duties recomputed with it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from duties.recompute import refresh_for_children
from placements.models import Child
from reviews.models import LacReview

from .models import ScheduleOverride


def schedule_override_record(
    *,
    child: Child,
    duty_kind: str,
    agreed_by_name: str,
    agreed_on: date,
    actor,
    interval_days: int | None = None,
    interval_months: int | None = None,
    agreed_by=None,
    review: LacReview | None = None,
    reason: str = "",
) -> ScheduleOverride:
    """Record a schedule agreed at a LAC review, and recompute the child's duties."""
    override = ScheduleOverride(
        child=child,
        duty_kind=duty_kind,
        interval_days=interval_days,
        interval_months=interval_months,
        agreed_by_name=agreed_by_name,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
        review=review,
        reason=reason,
        created_by=actor,
    )
    schedule_override_save(override=override, actor=actor)
    return override


def schedule_override_save(*, override: ScheduleOverride, actor) -> ScheduleOverride:
    if (override.interval_days is None) == (override.interval_months is None):
        raise ValidationError("Give the interval in days or in months, not both.")
    with transaction.atomic():
        if actor is not None:
            override._history_user = actor
            if override.created_by_id is None and override.pk is None:
                override.created_by = actor
        override.save()
        refresh_for_children([override.child_id])
    return override
