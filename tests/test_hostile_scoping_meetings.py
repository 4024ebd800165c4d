"""Hostile input for the scoping meeting forms (scoping/meeting_views.py), as
tests/test_hostile_input.py does for the other forms: never a server error; a refused post
re-renders the form with the GOV.UK error summary and saves no new rows; an accepted post
redirects, and the page it leads to shows any stored text escaped."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given

from duties.models import Duty
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping import meetings
from scoping.models import MeetingAction, MeetingChild, MeetingInvitee, ScopingMeeting
from tests.hostile import (
    HOSTILE,
    SCRIPT,
    Field,
    FormSpec,
    form_data,
    post_once,
)

pytestmark = pytest.mark.django_db

COUNTED = (ScopingMeeting, MeetingInvitee, MeetingChild, MeetingAction, Duty)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def world(social_worker, other_team_worker, lado, administrator):
    today = timezone.localdate()
    setting = SettingFactory(name="Willow House")
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child, setting=setting, decom=date(2025, 1, 6))
    meeting = meetings.meeting_convene(
        setting=setting, actor=lado, on=today, at=time(10, 0), location="Room 2"
    )
    action = meetings.action_add(
        meeting=meeting,
        actor=lado,
        action="Check the log",
        owner=social_worker,
        deadline=today + timedelta(days=7),
        meeting_child=meeting.children.get(),
    )
    bad_ids = ["", "0", "-1", "999999999", str(2**63), "abc", "1 OR 1=1", "1'; --", SCRIPT]
    ids = {
        "staff": [
            str(social_worker.pk),
            str(other_team_worker.pk),
            str(lado.pk),
            str(administrator.pk),
            *bad_ids,
        ],
        "meeting_child": ["provision", str(meeting.children.get().pk), *bad_ids],
    }
    return {
        "ids": ids,
        "users": {"lado": lado, "social_worker": social_worker},
        "urls": {
            "convene": reverse("scoping:meeting_convene", args=[setting.pk]),
            "details": reverse("scoping:meeting_details", args=[meeting.pk]),
            "minutes": reverse("scoping:meeting_minutes", args=[meeting.pk]),
            "invitees": reverse("scoping:meeting_invitees", args=[meeting.pk]),
            "attendance": reverse("scoping:meeting_attendance", args=[meeting.pk]),
            "child": reverse("scoping:meeting_child", args=[meeting.children.get().pk]),
            "action_add": reverse("scoping:meeting_action_add", args=[meeting.pk]),
            "finalise": reverse("scoping:meeting_finalise", args=[meeting.pk]),
            "action_done": reverse("scoping:action_done", args=[action.pk]),
        },
        "invitee_pks": list(meeting.invitees.values_list("pk", flat=True)),
    }


T = Field
TIME = Field("time", "choice", choices=("14:30", "9.15", "25:00", "", "noon", "14:30:99"))
DETAILS = [
    Field("date", "date"),
    TIME,
    T("location"),
    Field("chair", "id", pool="staff"),
]
MINUTES = [
    T("summary"),
    T("discussions"),
    T("further_information"),
    T("interventions"),
    Field("provision_decision", "choice", choices=tuple(ScopingMeeting.Provision.values)),
    T("conditions"),
    T("immediate_action"),
    T("regulator_contingency"),
    T("media_interest"),
    Field("inform_provider", "choice", choices=("yes", "no", "")),
    Field("inform_provider_when", "date"),
    T("inform_provider_how"),
    Field("actions_by", "date"),
    Field("review_date", "date"),
    Field("review_time", "choice", choices=("14:30", "25:61", "")),
    T("review_location"),
    T("no_review_reason"),
]
FORMS = [
    FormSpec("scoping:meeting_convene", "lado", "convene", DETAILS),
    FormSpec("scoping:meeting_details", "lado", "details", DETAILS),
    FormSpec("scoping:meeting_minutes", "lado", "minutes", MINUTES),
    FormSpec(
        "scoping:meeting_invitees",
        "lado",
        "invitees",
        [
            Field("user", "id", pool="staff"),
            T("name"),
            T("role"),
            T("organisation"),
            T("email"),
            Field("health_professional", "bool"),
        ],
    ),
    FormSpec(
        "scoping:meeting_child",
        "lado",
        "child",
        [T("risk_assessment_review"), T("wishes_and_feelings"), T("views_of_others")],
    ),
    FormSpec(
        "scoping:meeting_action_add",
        "lado",
        "action_add",
        [
            Field("meeting_child", "id", pool="meeting_child"),
            T("action"),
            Field("owner", "id", pool="staff"),
            Field("deadline", "date"),
        ],
    ),
    FormSpec("scoping:action_done", "social_worker", "action_done", [T("outcome")]),
]


def _post_once(spec: FormSpec, world, data: dict) -> None:
    post_once(
        world["users"][spec.persona],
        world["urls"][spec.url],
        data,
        name=spec.name,
        state=counts,
        allowed=(200, 302, 400),
        message=lambda status: status == 200 and bool(data),
    )


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, world["ids"]))
    def run(payload):
        _post_once(spec, world, payload)

    run()


@pytest.mark.parametrize(
    "spec",
    [pytest.param(s, id=s.name) for s in FORMS if any(f.kind == "date" for f in s.fields)],
)
def test_date_year_overflow(spec, world):
    payload = {}
    for f in spec.fields:
        if f.kind == "date":
            payload.update({f"{f.name}_0": "1", f"{f.name}_1": "1", f"{f.name}_2": "9" * 30})
    _post_once(spec, world, payload)


def test_attendance_survives_hostile_input(world):
    pks = world["invitee_pks"]
    for value in ("attended", "apologies", "", SCRIPT, ["attended", "x"], "\x00"):
        data = {f"attendance_{pk}": value for pk in pks}
        data[f"attendance_{2**63}"] = "attended"
        _post_once(FormSpec("attendance", "lado", "attendance"), world, data)


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message(spec, world):
    client = Client()
    client.force_login(world["users"][spec.persona])
    before = counts()
    response = client.post(world["urls"][spec.url], {})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
        assert counts() == before


def test_finalise_refuses_incomplete_minutes_with_a_message(world):
    client = Client()
    client.force_login(world["users"]["lado"])
    response = client.post(world["urls"]["finalise"], {})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Record whether the provision can still be used" in text
