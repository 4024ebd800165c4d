"""The visiting schedule agreed at a LAC review, recorded by the IRO from the review's page
(visits.review_schedule): a ScheduleOverride with who agreed it, when and at which review,
and the child's visit duties recomputed with it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from duties.models import Duty
from duties.recompute import refresh_for_children
from placements.tests.factories import ChildFactory, PlacementFactory
from reviews.models import LacReview
from visits.models import ScheduleOverride
from visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(
        datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/London")), tick=False
    ):
        yield


@pytest.fixture
def review(social_worker, iro):
    child = ChildFactory(
        child_id="R600001", team=social_worker.team, social_worker=social_worker, iro=iro
    )
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    review = LacReview.objects.create(
        child=child, review_date=date(2026, 2, 2), review_code="PN1", chaired_by=iro
    )
    VisitFactory(child=child, on=date(2026, 2, 2))  # a statutory visit on the review's day
    refresh_for_children([child.pk], today=TODAY)
    return review


def statutory_due(child) -> date:
    return Duty.objects.get(child=child, kind="statutory_visit", status=Duty.Status.OPEN).due


def post(client, review, **data):
    return client.post(
        reverse("visits:review_schedule", args=[review.pk]),
        {
            "duty_kind": "statutory_visit",
            "interval": "14",
            "unit": "days",
            "reason": "Settling in: the review wants closer contact.",
            **data,
        },
    )


def test_the_iro_records_the_schedule_agreed_at_the_review(client, review, iro):
    child = review.child
    before = statutory_due(child)
    client.force_login(iro)
    page = client.get(reverse("reviews:review", args=[review.pk])).content.decode()
    assert reverse("visits:review_schedule", args=[review.pk]) in page
    response = post(client, review)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:review", args=[review.pk])
    override = ScheduleOverride.objects.get()
    assert (override.child, override.duty_kind, override.interval_days) == (
        child,
        "statutory_visit",
        14,
    )
    assert override.interval_months is None
    assert (override.agreed_by, override.agreed_on, override.review) == (
        iro,
        date(2026, 2, 2),
        review,
    )
    assert override.agreed_by_name == "Ira Reviewer" and override.created_by == iro
    assert override.history.get().history_user == iro
    # The next statutory visit is 14 days after the last, not the default interval.
    assert statutory_due(child) == date(2026, 2, 16) != before
    page = client.get(reverse("reviews:review", args=[review.pk])).content.decode()
    assert "Settling in: the review wants closer contact." in page and "14 days" in page


def test_months_are_calendar_months(client, review, iro):
    client.force_login(iro)
    post(client, review, interval="1", unit="months")
    override = ScheduleOverride.objects.get()
    assert (override.interval_days, override.interval_months) == (None, 1)
    assert statutory_due(review.child) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("data", "refused"),
    [
        ({"interval": "0"}, "The interval must be at least 1"),
        ({"interval": "367"}, "An interval in days must be 366 or fewer"),
        ({"interval": "13", "unit": "months"}, "An interval in months must be 12 or fewer"),
        ({"interval": "two"}, "Enter the interval as a whole number"),
        ({"unit": "weeks"}, "Choose days or months"),
        ({"duty_kind": "lac_review"}, "Choose which visits the schedule is for"),
        ({"reason": "   "}, "Say why the review agreed this schedule"),
    ],
)
def test_a_schedule_without_its_facts_is_refused_beside_the_field(
    client, review, iro, data, refused
):
    client.force_login(iro)
    response = post(client, review, **data)
    html = response.content.decode()
    assert response.status_code == 200 and refused in html and "govuk-error-message" in html
    assert not ScheduleOverride.objects.exists()


def test_only_the_childs_iro_records_it(client, review, social_worker, team_manager):
    for user in (social_worker, team_manager):
        client.force_login(user)
        page = client.get(reverse("reviews:review", args=[review.pk])).content.decode()
        assert reverse("visits:review_schedule", args=[review.pk]) not in page
        assert post(client, review).status_code == 403
    assert not ScheduleOverride.objects.exists()


def test_another_teams_worker_gets_404(client, review, other_team_worker):
    client.force_login(other_team_worker)
    assert client.get(reverse("visits:review_schedule", args=[review.pk])).status_code == 404
    assert post(client, review).status_code == 404
