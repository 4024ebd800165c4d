"""Hostile input into the incident and allegation forms: recording an incident, the home's
report, a debrief, an allegation, its referral to the LADO and the LADO's outcome (modelled
on tests/test_hostile_reviews.py).

Each example runs in a savepoint that is rolled back. Never a server error; a refused post
shows the GOV.UK error summary and saves nothing (no row, no duty); an accepted post
redirects to a page that shows what was typed escaped.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import given

from duties.models import Duty
from incidents import services
from incidents.models import (
    Allegation,
    Debrief,
    Incident,
    IncidentKind,
    LadoOutcome,
    ReferralMethod,
    SubjectRole,
)
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from tests.hostile import (
    HOSTILE,
    SCRIPT,
    Field,
    FormSpec,
    check_empty_post_refused,
    form_data,
    post_spec_once,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2026, 5, 8, 10, tzinfo=LONDON)


def state() -> tuple:
    return (
        Incident.objects.count(),
        Debrief.objects.count(),
        Allegation.objects.count(),
        list(Allegation.objects.order_by("pk").values_list("referred_at", "outcome")),
        list(Incident.objects.order_by("pk").values_list("report_received_at", flat=True)),
        list(Duty.objects.order_by("pk").values_list("kind", "status", "due_at", "done_on")),
    )


@pytest.fixture
def world(social_worker, commissioning, lado, other_team_worker):
    home = SettingFactory(name="Elm House")
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    hidden = ChildFactory(team=other_team_worker.team, social_worker=other_team_worker)
    for kid in (child, hidden):
        PlacementFactory(child=kid, setting=home, decom=date(2026, 1, 5))
    with time_machine.travel(TODAY, tick=False):
        incident = services.incident_record(
            setting=home,
            kind=IncidentKind.ASSAULT,
            occurred_on=date(2026, 5, 7),
            occurred_time=time(9, 0),
            children=[child],
            summary="A fight.",
            actor=commissioning,
        )
        allegation = services.allegation_record(
            subject_name="Jo",
            subject_role=SubjectRole.CARER,
            setting=home,
            allegation="Pushed a child.",
            known_on=date(2026, 5, 7),
            known_time=time(8, 0),
            made_by="The child",
            actor=social_worker,
        )
        referred = services.allegation_record(
            subject_name="Kim",
            subject_role=SubjectRole.VOLUNTEER,
            setting=None,
            allegation="Swore at a child.",
            known_on=date(2026, 5, 6),
            known_time=time(8, 0),
            made_by="A parent",
            actor=social_worker,
        )
        services.allegation_referral(
            allegation=referred,
            referred_on=date(2026, 5, 6),
            referred_time=time(12, 0),
            method=ReferralMethod.EMAIL,
            actor=social_worker,
        )
    return {
        "users": {"commissioning": commissioning, "social_worker": social_worker, "lado": lado},
        "ids": {
            "children": [str(child.pk), str(hidden.pk), "999999", "-1", "abc", SCRIPT],
            "settings": [str(home.pk), "999999", "0", SCRIPT],
        },
        "urls": {
            "incident": reverse("incidents:incident_create", kwargs={"pk": home.pk}),
            "report": reverse("incidents:incident_report", kwargs={"pk": incident.pk}),
            "debrief": reverse("incidents:incident_debrief", kwargs={"pk": incident.pk}),
            "allegation": reverse("incidents:allegation_create"),
            "referral": reverse("incidents:allegation_referral", kwargs={"pk": allegation.pk}),
            "outcome": reverse("incidents:allegation_outcome", kwargs={"pk": referred.pk}),
        },
    }


def _time(name: str) -> Field:
    return Field(name, "choice", ("09:30", "23:59", "00:00", "24:00", "1:30", "9.05", "99:99"))


FORMS = [
    FormSpec(
        "incidents:incident_create",
        "commissioning",
        "incident",
        [
            Field("kind", "choice", tuple(IncidentKind.values)),
            Field("kind_detail"),
            Field("occurred_on", "date"),
            _time("occurred_time"),
            Field("children", "id", pool="children"),
            Field("restraint_used", "bool"),
            Field("police_involved", "bool"),
            Field("injury", "bool"),
            Field("summary"),
            Field("report_received_on", "date"),
            _time("report_received_time"),
        ],
    ),
    FormSpec(
        "incidents:incident_report",
        "commissioning",
        "report",
        [Field("received_on", "date"), _time("received_time")],
    ),
    FormSpec(
        "incidents:incident_debrief",
        "commissioning",
        "debrief",
        [
            Field("kind", "choice", ("staff", "child")),
            Field("child", "id", pool="children"),
            Field("held_on", "date"),
            _time("held_time"),
            Field("notes"),
        ],
    ),
    FormSpec(
        "incidents:allegation_create",
        "social_worker",
        "allegation",
        [
            Field("subject_name"),
            Field("subject_role", "choice", tuple(SubjectRole.values)),
            Field("setting", "id", pool="settings"),
            Field("allegation"),
            Field("known_on", "date"),
            _time("known_time"),
            Field("made_by"),
        ],
    ),
    FormSpec(
        "incidents:allegation_referral",
        "social_worker",
        "referral",
        [
            Field("referred_on", "date"),
            _time("referred_time"),
            Field("method", "choice", tuple(ReferralMethod.values)),
            Field("notes"),
        ],
    ),
    FormSpec(
        "incidents:allegation_outcome",
        "lado",
        "outcome",
        [
            Field("outcome", "choice", tuple(LadoOutcome.values)),
            Field("outcome_on", "date"),
            Field("notes"),
        ],
    ),
]


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_incident_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, world["ids"]))
    def run(payload):
        post_spec_once(spec, world, payload, state=state, today=TODAY)

    run()


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message_beside_a_field(spec, world):
    check_empty_post_refused(spec, world, state=state)


def test_free_text_is_shown_escaped_on_the_incident_and_allegation_pages(world):
    client = Client()
    client.force_login(world["users"]["social_worker"])
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            world["urls"]["allegation"],
            {
                "subject_name": SCRIPT,
                "subject_role": "staff",
                "setting": world["ids"]["settings"][0],
                "allegation": SCRIPT,
                "known_on_0": "7",
                "known_on_1": "5",
                "known_on_2": "2026",
                "known_time": "10:00",
                "made_by": '"><img src=x onerror=alert(1)>',
            },
        )
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page
