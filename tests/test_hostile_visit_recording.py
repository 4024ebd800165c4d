"""Hostile input into the IRO's review of a visit form (000_… line 137), and hostile names
on the managers' page of late recordings and its CSV (003_… §20); modelled on
tests/test_hostile_reviews.py.

Each example runs in a savepoint that is rolled back. Never a server error; a refused post
shows the GOV.UK error summary and saves nothing; an accepted post redirects to the visit's
page, where what was typed shows escaped.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import given

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Duty
from placements.tests.factories import ChildFactory, PlacementFactory
from tests.hostile import HOSTILE, IMG, SCRIPT, Field, FormSpec, check_escaped, form_data, post_once
from visits.models import PvfReview, Visit
from visits.pvf_review import PVF_REVIEW
from visits.recording import VISIT_RECORDING
from visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 11, 17, 10, tzinfo=ZoneInfo("Europe/London"))
YES_NO = ("yes", "no")


def state() -> tuple:
    return (
        list(
            PvfReview.objects.order_by("pk").values_list(
                "satisfactory", "early_review_needed", "escalation_needed", "comments", "action"
            )
        ),
        list(Duty.objects.filter(kind=PVF_REVIEW).values_list("status", "done_on")),
    )


@pytest.fixture
def world(social_worker, iro):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    placement = PlacementFactory(child=child, decom=date(2026, 11, 2))
    visit = VisitFactory(
        child=child, placement=placement, visitor=social_worker, on=date(2026, 11, 2)
    )
    Duty.objects.create(
        kind=PVF_REVIEW,
        subject=f"pvf_review:{visit.pk}",
        child=child,
        placement=placement,
        owner=iro,
        due=date(2026, 11, 16),
    )
    return {
        "users": {"iro": iro},
        "urls": {"review": reverse("visits:pvf_review", kwargs={"pk": visit.pk})},
    }


FORMS = [
    FormSpec(
        "visits:pvf_review",
        "iro",
        "review",
        [
            Field("satisfactory", "choice", YES_NO),
            Field("early_review_needed", "choice", YES_NO),
            Field("escalation_needed", "choice", YES_NO),
            Field("comments"),
            Field("action"),
        ],
    )
]


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_the_review_form_survives_hostile_input(spec, world):
    def saved(before, after):
        reviews, duties = after
        assert len(reviews) == 1 and reviews[0][3].strip()  # comments are required
        assert duties == [("done", TODAY.date())]

    @HOSTILE
    @given(payload=form_data(spec, {}))
    def run(payload):
        with time_machine.travel(TODAY, tick=False):
            post_once(
                world["users"][spec.persona],
                world["urls"][spec.url],
                payload,
                name=spec.name,
                state=state,
                followed=lambda status: status == 200,
                saved=saved,
            )

    run()


def test_an_empty_post_is_refused_beside_the_fields(world):
    client = Client()
    client.force_login(world["users"]["iro"])
    before = state()
    response = client.post(world["urls"]["review"], {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and html.count("govuk-error-message") >= 4
    assert state() == before


def test_script_in_the_review_is_shown_escaped(world):
    client = Client()
    client.force_login(world["users"]["iro"])
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            world["urls"]["review"],
            {
                "satisfactory": "no",
                "early_review_needed": "no",
                "escalation_needed": "yes",
                "comments": SCRIPT,
                "action": IMG,
            },
            follow=True,
        )
    html = response.content.decode()
    check_escaped(html, "visit page")
    assert "&lt;script&gt;" in html


def test_hostile_names_on_the_late_recordings_page_and_csv(client, team_manager, social_worker):
    worker = UserFactory(
        role=Role.SOCIAL_WORKER,
        team=social_worker.team,
        first_name="=cmd|' /C calc'!A0",
        last_name=SCRIPT,
        line_manager=team_manager,
    )
    child = ChildFactory(team=worker.team, social_worker=worker, first_name=IMG)
    visit = VisitFactory(
        child=child,
        visitor=worker,
        status=Visit.Status.DRAFT,
        finished_at=None,
        on=TODAY.date() - timedelta(days=10),
    )
    Duty.objects.create(
        kind=VISIT_RECORDING,
        subject=f"visit:{visit.pk}",
        child=child,
        owner=worker,
        team=worker.team,
        due=TODAY.date() - timedelta(days=6),
    )
    client.force_login(team_manager)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("visits:late_recordings"))
        csv = client.get(reverse("visits:late_recordings") + "?format=csv&page=<script>")
    html = page.content.decode()
    check_escaped(html, "late recordings")
    assert "&lt;script&gt;" in html
    rows = b"".join(csv.streaming_content).decode().strip().splitlines()[1:]
    assert len(rows) == 1
    assert rows[0].startswith("'=cmd")  # the formula neutralised (core.exports._safe)
