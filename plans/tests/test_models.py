"""The plan table's own rules, held by the database whatever path writes to it."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from placements.tests.factories import ChildFactory, PlacementFactory
from plans.models import Plan, PlanKind


@pytest.mark.django_db
def test_a_placement_plan_names_its_placement():
    child = ChildFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            child=child, kind=PlanKind.PLACEMENT_PLAN, completed_on=date(2026, 3, 2)
        )


@pytest.mark.django_db
def test_one_record_of_a_kind_a_day_per_child_and_per_placement():
    placement = PlacementFactory()
    child = placement.child
    Plan.objects.create(child=child, kind=PlanKind.CARE_PLAN, completed_on=date(2026, 3, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(child=child, kind=PlanKind.CARE_PLAN, completed_on=date(2026, 3, 2))
    Plan.objects.create(
        child=child,
        kind=PlanKind.PLACEMENT_PLAN,
        placement=placement,
        completed_on=date(2026, 3, 2),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            child=child,
            kind=PlanKind.PLACEMENT_PLAN,
            placement=placement,
            completed_on=date(2026, 3, 2),
        )
    # Another kind the same day is another record.
    Plan.objects.create(child=child, kind=PlanKind.PEP, completed_on=date(2026, 3, 2))
    assert Plan.objects.filter(child=child).count() == 3
