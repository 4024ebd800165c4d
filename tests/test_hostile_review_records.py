"""Hostile input into the IRO's record of a LAC review: recording it held, changing the
record, its decisions and recommendations (added, done, withdrawn), and the visiting
schedule agreed at it (modelled on tests/test_hostile_reviews.py).

Each example runs in a savepoint that is rolled back. Never a server error; a refused
post shows the GOV.UK error summary and saves nothing; an accepted post redirects to a
page that answers, with nothing unescaped.
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
from placements.codes import REVIEW_CODE
from placements.tests.factories import ChildFactory, PlacementFactory
from reviews.models import LacReview, ReviewRecommendation
from tests.hostile import HOSTILE, SCRIPT, Field, FormSpec, form_data, post_once
from visits.models import ScheduleOverride

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 2, 10, 10, tzinfo=ZoneInfo("Europe/London"))


def state() -> tuple:
    return (
        list(
            LacReview.objects.order_by("pk").values_list(
                "review_date", "review_code", "participants", "place", "recorded_at"
            )
        ),
        list(ReviewRecommendation.objects.order_by("pk").values_list("status", "due", "text")),
        ScheduleOverride.objects.count(),
        list(
            Duty.objects.filter(kind__in=("review_recommendation", "lac_review"))
            .order_by("pk")
            .values_list("kind", "due", "status")
        ),
    )


@pytest.fixture
def world(social_worker, iro, other_team_worker):
    with time_machine.travel(TODAY, tick=False):
        child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
        PlacementFactory(child=child, decom=date(2026, 1, 5))
        review = LacReview.objects.create(
            child=child, review_date=date(2026, 2, 2), review_code="PN1", chaired_by=iro
        )
        recommendation = ReviewRecommendation.objects.create(
            review=review,
            text="Arrange contact",
            owner=social_worker,
            due=date(2026, 3, 2),
            created_by=iro,
        )
    users = [str(u.pk) for u in (social_worker, iro, other_team_worker)]
    return {
        "users": {"iro": iro, "social_worker": social_worker},
        "ids": {"users": [*users, "0", "999999", "-1", SCRIPT]},
        "urls": {
            "record": reverse("reviews:review_record", kwargs={"child_pk": child.pk}),
            "edit": reverse("reviews:review_edit", kwargs={"pk": review.pk}),
            "add": reverse("reviews:recommendation_add", kwargs={"pk": review.pk}),
            "done": reverse("reviews:recommendation_done", kwargs={"pk": recommendation.pk}),
            "withdraw": reverse(
                "reviews:recommendation_withdraw", kwargs={"pk": recommendation.pk}
            ),
            "schedule": reverse("visits:review_schedule", kwargs={"pk": review.pk}),
        },
    }


RECORD_FIELDS = [
    Field("place"),
    Field("participants"),
    Field("review_code", "choice", tuple(REVIEW_CODE)),
    Field("participation"),
    Field("chaired_by", "id", pool="users"),
]
FORMS = [
    FormSpec(
        "reviews:review_record",
        "iro",
        "record",
        [Field("held_on", "date"), Field("early_reason"), *RECORD_FIELDS],
    ),
    FormSpec("reviews:review_edit", "iro", "edit", RECORD_FIELDS),
    FormSpec(
        "reviews:recommendation_add",
        "iro",
        "add",
        [Field("text"), Field("owner", "id", pool="users"), Field("due", "date")],
    ),
    FormSpec("reviews:recommendation_done", "social_worker", "done", [Field("note")]),
    FormSpec("reviews:recommendation_withdraw", "iro", "withdraw", [Field("reason")]),
    FormSpec(
        "visits:review_schedule",
        "iro",
        "schedule",
        [
            Field("duty_kind", "choice", ("statutory_visit", "purposeful_visit", "iro_visit")),
            Field("interval", "choice", ("1", "14", "6", "0", "367", "-3", "1e3")),
            Field("unit", "choice", ("days", "months")),
            Field("reason"),
        ],
    ),
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
def test_review_record_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, world["ids"]))
    def run(payload):
        _post_once(spec, world, payload)

    run()


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message_beside_the_field(spec, world):
    client = Client()
    with time_machine.travel(TODAY, tick=False):
        client.force_login(world["users"][spec.persona])
        before = state()
        response = client.post(world["urls"][spec.url], {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-message" in html
    assert state() == before


def test_free_text_is_escaped_on_the_page_and_in_the_pdf(world, monkeypatch):
    from tests.hostile import check_escaped
    from tests.test_permission_matrix import FakeHTML

    monkeypatch.setattr("weasyprint.HTML", FakeHTML)
    client = Client()
    iro = world["users"]["iro"]
    with time_machine.travel(TODAY, tick=False):
        client.force_login(iro)
        client.post(
            world["urls"]["edit"],
            {
                "place": SCRIPT,
                "participants": SCRIPT,
                "review_code": "PN1",
                "participation": '"><img src=x onerror=alert(1)>',
                "chaired_by": str(iro.pk),
            },
        )
        client.post(
            world["urls"]["add"],
            {
                "text": SCRIPT,
                "owner": str(iro.pk),
                "due_0": "3",
                "due_1": "3",
                "due_2": "2026",
            },
        )
        review = LacReview.objects.get()
        assert review.participants == SCRIPT and review.recommendations.count() == 2
        for name in ("reviews:review", "reviews:review_pdf"):
            html = client.get(reverse(name, args=[review.pk])).content.decode()
            check_escaped(html, name)
            assert "&lt;script&gt;" in html
