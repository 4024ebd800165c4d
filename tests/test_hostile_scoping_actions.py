"""Hostile input for the forms issue 14 adds: changing and withdrawing a scoping
meeting's action (scoping.actions), as tests/test_hostile_scoping_meetings.py does for the
meeting's other forms: never a server error; a refused post re-renders the form with the
GOV.UK error summary and saves no new rows; an accepted post redirects to a page that shows
the stored text escaped. (The invitee form's email field is in that module's specs; the
allocation form's personal adviser in tests/test_hostile_input.py; import_903's --year in
returns/tests/test_prune.py.)"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given

from scoping.models import MeetingAction
from tests import test_hostile_scoping_meetings as meetings_part
from tests.hostile import HOSTILE, Field, FormSpec, form_data

pytestmark = pytest.mark.django_db

base_world = meetings_part.world


@pytest.fixture
def world(base_world):
    action = MeetingAction.objects.get()
    base_world["urls"]["action_edit"] = reverse("scoping:action_edit", args=[action.pk])
    base_world["urls"]["action_withdraw"] = reverse("scoping:action_withdraw", args=[action.pk])
    return base_world


FORMS = [
    FormSpec(
        "scoping:action_edit",
        "lado",
        "action_edit",
        [
            Field("meeting_child", "id", pool="meeting_child"),
            Field("action"),
            Field("owner", "id", pool="staff"),
            Field("deadline", "date"),
        ],
    ),
    FormSpec("scoping:action_withdraw", "lado", "action_withdraw", [Field("reason")]),
]


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, world["ids"]))
    def run(payload):
        meetings_part._post_once(spec, world, payload)

    run()


def test_deadline_year_overflow(world):
    payload = {"deadline_0": "1", "deadline_1": "1", "deadline_2": "9" * 30}
    meetings_part._post_once(FORMS[0], world, payload)


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message(spec, world):
    client = Client()
    client.force_login(world["users"][spec.persona])
    response = client.post(world["urls"][spec.url], {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert MeetingAction.objects.get().status == "open"
