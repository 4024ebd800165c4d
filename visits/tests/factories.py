"""Factories for the visits app: visits and a child's own schedule."""

from datetime import UTC, date, datetime

import factory

from placements.tests.factories import ChildFactory
from visits.models import ScheduleOverride, Visit, VisitKind


def at_noon(day: date) -> datetime:
    """Midday on a day, stored as UTC (the same London date all year)."""
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


class VisitFactory(factory.django.DjangoModelFactory):
    """A finished visit; pass ``on=date(...)`` for a midday visit on that day."""

    class Meta:
        model = Visit

    class Params:
        on = None

    child = factory.SubFactory(ChildFactory)
    kind = VisitKind.STATUTORY
    status = Visit.Status.FINISHED
    visitor_name = "Sam Worker"
    visitor_role = "Social worker"
    visited_at = factory.LazyAttribute(lambda v: at_noon(v.on or date(2026, 1, 5)))
    finished_at = factory.SelfAttribute("visited_at")


class ScheduleOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleOverride

    child = factory.SubFactory(ChildFactory)
    duty_kind = "statutory_visit"
    interval_days = 14
    interval_months = None
    agreed_by_name = "Ian Reviewer (IRO)"
    agreed_on = date(2026, 2, 2)
    reason = "More frequent visits agreed at the LAC review"
