"""The child's page: "Plans, health, education and reviews" as one timeline, most recent
first, with what is next due; read by the sources the workflows register
(``placements.pages``) in a fixed number of queries whatever the child's history."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duties.models import Duty
from placements import pages
from placements.tests.factories import ChildFactory, PlacementFactory
from plans.models import HealthStage, Plan, PlanKind
from reviews.models import BookedReview, LacReview

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 11, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()
#: The child's record with the timeline: the record's own queries (session, user, child,
#: placements, links...) and five for the timeline: plans' two (plans, their open duties)
#: and reviews' three (reviews held, bookings, their open duties).
TIMELINE_QUERIES = 5
#: The whole record, for a social worker (8 before the timeline).
RECORD_QUERIES = 13


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(social_worker, iro):
    child = ChildFactory(
        first_name="Amira", team=social_worker.team, social_worker=social_worker, iro=iro
    )
    PlacementFactory(child=child, decom=date(2025, 1, 6))
    return child


def _history(child, n: int, start: int = 0) -> None:
    """n plans, n reviews held and n open duties (plans' and reviews') for the child."""
    for i in range(start, start + n):
        day = date(2025, 2, 1) + timedelta(days=10 * i)
        Plan.objects.create(
            child=child,
            kind=PlanKind.CARE_PLAN,
            completed_on=day,
            completed_by_name="Sam Worker",
            summary=f"Plan {i}",
        )
        LacReview.objects.create(
            child=child, review_date=day + timedelta(days=1), review_code="PN1"
        )
        Duty.objects.create(
            kind="pep" if i % 2 else "review_recommendation",
            subject=f"test:{child.pk}:{i}",
            child=child,
            owner=child.social_worker,
            due=TODAY + timedelta(days=i + 1),
        )
    BookedReview.objects.update_or_create(
        child=child,
        cycle_start=date(2025, 1, 6) + timedelta(days=start),
        defaults={"review_date": TODAY + timedelta(days=30), "booked_by": child.social_worker},
    )


def _record(client, child) -> str:
    response = client.get(reverse("placements:child", args=[child.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_timeline_is_most_recent_first_with_what_is_next_due(client, social_worker, child):
    Plan.objects.create(
        child=child,
        kind=PlanKind.HEALTH_ASSESSMENT,
        stage=HealthStage.INITIAL,
        completed_on=date(2025, 2, 3),
        completed_by_name="Nurse Okafor",
        summary="Up to date with immunisations.",
    )
    placement = child.placements.get()
    Plan.objects.create(
        child=child,
        kind=PlanKind.PLACEMENT_PLAN,
        placement=placement,
        completed_on=date(2025, 1, 8),
    )
    LacReview.objects.create(
        child=child, review_date=date(2025, 2, 5), review_code="PN1", chaired_by=child.iro
    )
    LacReview.objects.create(child=child, review_date=date(2025, 8, 5))
    BookedReview.objects.create(
        child=child,
        cycle_start=date(2025, 8, 5),
        review_date=date(2026, 6, 30),
        booked_by=social_worker,
    )
    BookedReview.objects.create(  # an earlier cycle's booking: past, not due
        child=child,
        cycle_start=date(2025, 2, 5),
        review_date=date(2025, 8, 5),
        booked_by=social_worker,
    )
    Duty.objects.create(
        kind="pep",
        subject=f"child:{child.pk}:pep",
        child=child,
        owner=social_worker,
        due=date(2026, 6, 1),
        basis="Each school term",
    )
    Duty.objects.create(
        kind="health_assessment",
        subject=f"child:{child.pk}:health_assessment",
        child=child,
        owner=social_worker,
        due=date(2026, 2, 3),
        status=Duty.Status.DONE,
    )
    Duty.objects.create(
        kind="review_report",
        subject=f"child:{child.pk}:report_after:2025-08-05",
        child=child,
        owner=social_worker,
        due=date(2026, 6, 23),
    )
    Duty.objects.create(  # not a kind of this timeline
        kind="statutory_visit",
        subject=f"placement:{placement.pk}",
        child=child,
        owner=social_worker,
        due=date(2026, 6, 11),
    )
    client.force_login(social_worker)
    html = _record(client, child)
    assert "Plans, health, education and reviews" in html
    due = html[html.index('data-testid="timeline-due"') :]
    due = due[: due.index("</table>")]
    rows = re.findall(r"<td class=\"govuk-table__cell\">(\d+ \w+ 2026)", due)
    assert rows == ["1 June 2026", "23 June 2026", "30 June 2026"]
    assert "Overdue" in due and "Each school term" in due
    assert "LAC review report" in due and "LAC review booked" in due
    assert "3 February 2026" not in due and "11 June 2026" not in due
    timeline = html[html.index('data-testid="timeline-entries"') :]
    titles = re.findall(
        r'class="moj-timeline__title"><a class="govuk-link" href="[^"]*">([^<]+)', timeline
    )
    assert titles[:4] == [
        "LAC review held",
        "LAC review held",
        "Initial health assessment",
        "Placement plan: " + placement.setting.name,
    ]
    assert "Chaired by Ira Reviewer. PN1" in timeline
    assert "By Nurse Okafor. Up to date with immunisations." in timeline
    assert reverse("plans:child_plans", args=[child.pk]) + "#plan-" in timeline
    assert reverse("reviews:child_reviews", args=[child.pk]) in timeline


def test_a_child_with_nothing_recorded_says_so(client, social_worker, child):
    client.force_login(social_worker)
    html = _record(client, child)
    assert "Nothing is due." in html
    assert "No plan, assessment or review is recorded." in html


def test_hostile_text_on_the_timeline_is_escaped(client, social_worker, child):
    Plan.objects.create(
        child=child,
        kind=PlanKind.PEP,
        completed_on=date(2026, 1, 5),
        completed_by_name="<script>alert(1)</script>",
        summary='"><img src=x onerror=alert(1)>',
    )
    client.force_login(social_worker)
    html = _record(client, child)
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror=alert(1)>" not in html


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_record_runs_a_fixed_number_of_queries_at_two_and_six_records(
    client, social_worker, child, monkeypatch
):
    client.force_login(social_worker)
    url = reverse("placements:child", args=[child.pk])
    _history(child, 2)
    with_timeline = _count(client, url)
    assert with_timeline == RECORD_QUERIES
    _history(child, 4, start=2)
    assert Plan.objects.filter(child=child).count() == 6
    assert LacReview.objects.filter(child=child).count() == 6
    assert _count(client, url) == with_timeline
    html = _record(client, child)
    assert html.count('class="moj-timeline__title"><a') == 12  # 6 plans, 6 reviews
    # The timeline's own share of the record's queries, honestly: without its sources.
    monkeypatch.setattr(pages, "_timeline_sources", [])
    assert _count(client, url) == with_timeline - TIMELINE_QUERIES
