"""Hostile input into the plan form (recording and changing a plan or assessment), and
hostile documents (modelled on tests/test_hostile_reviews.py).

Each example runs in a savepoint that is rolled back. Never a server error; a refused
post shows the GOV.UK error summary and saves nothing; an accepted post redirects to the
child's plans page, where nothing typed is rendered as markup.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from placements.tests.factories import ChildFactory, PlacementFactory
from plans.models import HealthStage, Plan, PlanKind
from tests.hostile import HOSTILE, SNIPPETS, Field, FormSpec, form_data, post_once

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Europe/London"))


def state() -> tuple:
    return (
        Plan.objects.count(),
        Plan.history.count(),
        list(Plan.objects.order_by("pk").values_list("completed_on", "summary", "attachment")),
    )


@pytest.fixture
def world(social_worker, other_team_worker):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    placement = PlacementFactory(child=child, decom=date(2026, 1, 5))
    other = PlacementFactory(child=ChildFactory(social_worker=other_team_worker))
    plan = Plan.objects.create(
        child=child,
        kind=PlanKind.CARE_PLAN,
        completed_on=date(2026, 1, 12),
        completed_by_name="Sam Worker",
    )
    return {
        "users": {"social_worker": social_worker},
        "ids": {
            "placement": [
                str(placement.pk),
                str(other.pk),
                "0",
                "-1",
                "abc",
                "99999999999999999999",
            ]
        },
        "urls": {
            "new": reverse("plans:plan_new", kwargs={"child_pk": child.pk}),
            "edit": reverse("plans:plan_edit", kwargs={"pk": plan.pk}),
        },
    }


FIELDS = [
    Field("kind", "choice", choices=tuple(PlanKind.values)),
    Field("placement", "id", pool="placement"),
    Field("stage", "choice", choices=tuple(HealthStage.values)),
    Field("completed_on", "date"),
    Field("completed_by_name"),
    Field("summary"),
]
FORMS = [
    FormSpec("plans:plan_new", "social_worker", "new", FIELDS),
    FormSpec("plans:plan_edit", "social_worker", "edit", FIELDS),
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
def test_plan_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, world["ids"]))
    def run(payload):
        _post_once(spec, world, payload)

    run()


#: Documents that are not what they say, with hostile names.
DOCUMENTS = st.tuples(
    st.one_of(
        st.sampled_from(SNIPPETS).map(lambda s: s + ".pdf"),
        st.sampled_from(("a.pdf", "a.docx", "a.doc", "a.PDF", ".pdf", "a.exe", "a.svg")),
        st.text(max_size=80),
    ),
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            (
                b"%PDF",  # too short to be a PDF header
                b"MZ\x90\x00",
                b"PK\x03\x04",
                b"PK\x03\x04" + b"\xff" * 100,
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a",
                b"<svg onload=alert(1)>",
            )
        ),
    ),
)


def test_hostile_documents_never_break_the_form(world):
    good = {
        "kind": "pep",
        "completed_on_0": "2",
        "completed_on_1": "3",
        "completed_on_2": "2026",
        "completed_by_name": "Sam Worker",
    }

    @HOSTILE
    @given(document=DOCUMENTS)
    def run(document):
        name, content = document
        upload = SimpleUploadedFile(name or "x", content, content_type="application/pdf")
        _post_once(FORMS[0], world, {**good, "attachment": upload})

    run()


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message_beside_the_fields(spec, world):
    client = Client()
    client.force_login(world["users"][spec.persona])
    before = state()
    response = client.post(world["urls"][spec.url], {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-message" in html
    assert state() == before


def test_a_placement_of_another_child_is_refused(world):
    client = Client()
    client.force_login(world["users"]["social_worker"])
    before = state()
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            world["urls"]["new"],
            {
                "kind": "placement_plan",
                "placement": world["ids"]["placement"][1],
                "completed_on_0": "2",
                "completed_on_1": "3",
                "completed_on_2": "2026",
                "completed_by_name": "Sam Worker",
            },
        )
    assert response.status_code == 200
    assert "Select one of this child" in response.content.decode()
    assert state() == before
