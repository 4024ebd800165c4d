"""Factories for the duty engine."""

from datetime import date

import factory

from duties.models import Duty
from placements.tests.factories import ChildFactory


class DutyFactory(factory.django.DjangoModelFactory):
    """An open statutory visit duty of a child (any registered kind may be given)."""

    class Meta:
        model = Duty

    child = factory.SubFactory(ChildFactory)
    kind = "statutory_visit"
    subject = factory.Sequence(lambda n: f"placement:{900000 + n}")
    owner = factory.SelfAttribute("child.social_worker")
    team = factory.SelfAttribute("child.team")
    due = date(2026, 11, 9)
    status = Duty.Status.OPEN
