"""Hostile input into the LAC review forms: the next review's booked date and the report
sent to the IRO (modelled on tests/test_hostile_escalations.py).

Each example runs in a savepoint that is rolled back. Never a server error; a refused
post shows the GOV.UK error summary and saves nothing; an accepted post redirects to the
child's reviews page.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import given

from duties.models import Duty
from placements.tests.factories import ChildFactory, PlacementFactory
from reviews.models import BookedReview, LacReview, ReviewReport
from tests.hostile import HOSTILE, Field, FormSpec, form_data, post_once

pytestmark = pytest.mark.django_db

COUNTED = (BookedReview, ReviewReport, LacReview)
TODAY = datetime(2026, 2, 10, 10, tzinfo=ZoneInfo("Europe/London"))


def state() -> tuple:
    return (
        {model.__name__: model.objects.count() for model in COUNTED},
        list(
            Duty.objects.filter(kind="review_report")
            .order_by("pk")
            .values_list("due", "status", "done_on")
        ),
    )


@pytest.fixture
def world(social_worker, iro):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    LacReview.objects.create(child=child, review_date=date(2026, 2, 2))
    return {
        "users": {"iro": iro, "social_worker": social_worker},
        "urls": {
            "book": reverse("reviews:review_book", kwargs={"child_pk": child.pk}),
            "report": reverse("reviews:report_sent", kwargs={"child_pk": child.pk}),
        },
    }


FORMS = [
    FormSpec(
        "reviews:review_book",
        "iro",
        "book",
        [Field("review_date", "date"), Field("place"), Field("invitees")],
    ),
    FormSpec("reviews:report_sent", "social_worker", "report", [Field("sent_on", "date")]),
]


def _post_once(spec: FormSpec, world, data: dict) -> None:
    with time_machine.travel(TODAY, tick=False):
        post_once(
            world["users"][spec.persona],
            world["urls"][spec.url],
            data,
            name=spec.name,
            state=state,
            message=lambda status: True,
            followed=lambda status: status == 200,
        )


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_review_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, {}))
    def run(payload):
        _post_once(spec, world, payload)

    run()


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message_beside_the_field(spec, world):
    client = Client()
    client.force_login(world["users"][spec.persona])
    before = state()
    response = client.post(world["urls"][spec.url], {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-message" in html
    assert state() == before


@pytest.mark.parametrize(
    ("spec", "parts", "message"),
    [
        (FORMS[0], ("9", "2", "2026"), "The booked date must be today or later."),
        (FORMS[0], ("2", "2", "2026"), "today or later"),
        (FORMS[0], ("30", "2", "2026"), "Enter a real date"),
        (FORMS[1], ("11", "2", "2026"), "The date sent must be today or earlier."),
        (FORMS[1], ("1", "2", "2026"), "on or after 2 February 2026"),
    ],
)
def test_a_refused_date_is_explained_beside_the_field(spec, parts, message, world):
    client = Client()
    client.force_login(world["users"][spec.persona])
    field = spec.fields[0].name
    before = state()
    data = {f"{field}_{i}": part for i, part in enumerate(parts)}
    if spec is FORMS[0]:
        data["place"] = "County Hall"
    with time_machine.travel(TODAY, tick=False):
        response = client.post(world["urls"][spec.url], data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "govuk-error-message" in html
    assert state() == before
