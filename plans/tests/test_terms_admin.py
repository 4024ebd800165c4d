"""School terms are data an administrator keeps, in the admin with history; a change
moves the PEP reviews due (the duties are recomputed once it is committed)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from duties.models import Duty
from duties.recompute import refresh_for_children
from placements.tests.factories import ChildFactory, PlacementFactory
from plans.models import Plan, PlanKind, SchoolTerm

LONDON = ZoneInfo("Europe/London")
ON = datetime(2027, 1, 5, 10, 0, tzinfo=LONDON)

pytestmark = pytest.mark.django_db


def test_an_administrator_records_a_term_with_history_and_the_pep_follows_it(
    client, administrator, social_worker, django_capture_on_commit_callbacks
):
    child = ChildFactory(
        team=social_worker.team, social_worker=social_worker, date_of_birth=date(2015, 3, 10)
    )
    PlacementFactory(child=child, decom=date(2026, 12, 18))
    with time_machine.travel(ON, tick=False):
        Plan.objects.create(child=child, kind=PlanKind.PEP, completed_on=date(2027, 1, 5))
        refresh_for_children([child.pk])
        pep = Duty.objects.get(child=child, kind="pep", status=Duty.Status.OPEN)
        assert pep.due == date(2027, 7, 31)  # the default summer term's last day
        client.force_login(administrator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:plans_schoolterm_add"),
                {"name": "Summer 2027", "starts_on": "2027-04-12", "ends_on": "2027-07-21"},
            )
        assert response.status_code == 302
        term = SchoolTerm.objects.get()
        assert term.history.get().history_user == administrator
        pep.refresh_from_db()
        assert pep.due == date(2027, 7, 21)

        # Overlapping dates, and a term ending before it starts, are refused beside the field.
        response = client.post(
            reverse("admin:plans_schoolterm_add"),
            {"name": "Summer again", "starts_on": "2027-07-01", "ends_on": "2027-08-01"},
        )
        assert response.status_code == 200
        assert "These dates overlap another term: Summer 2027" in response.content.decode()
        response = client.post(
            reverse("admin:plans_schoolterm_add"),
            {"name": "Backwards", "starts_on": "2027-10-01", "ends_on": "2027-09-01"},
        )
        assert "The last day must not be before the first." in response.content.decode()
        assert SchoolTerm.objects.count() == 1
        assert (
            client.get(reverse("admin:plans_schoolterm_history", args=[term.pk])).status_code == 200
        )
