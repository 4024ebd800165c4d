"""Hostile input into the forms of a missing or away episode: recording it, the return, the
setting's report received and the return home interview (modelled on
tests/test_hostile_reviews.py).

Each example runs in a savepoint that is rolled back. Never a server error; a refused post
shows the GOV.UK error summary and saves nothing (no episode, interview, duty,
notification, history row or flag); an accepted post redirects to the episode's page,
where nothing typed is rendered as markup.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import given

from duties.models import Duty, Notification
from missing.models import (
    EpisodeKind,
    InterviewOutcome,
    MissingEpisode,
    ReturnInterview,
    WhereFound,
)
from placements.models import Child
from placements.tests.factories import ChildFactory, PlacementFactory
from tests.hostile import (
    HOSTILE,
    SCRIPT,
    Field,
    FormSpec,
    check_empty_post_refused,
    check_escaped,
    form_data,
    post_spec_once,
)

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 3, 6, 15, tzinfo=ZoneInfo("Europe/London"))


def state() -> tuple:
    return (
        MissingEpisode.objects.count(),
        MissingEpisode.history.count(),
        ReturnInterview.objects.count(),
        Notification.objects.count(),
        list(Duty.objects.order_by("pk").values_list("kind", "status", "due", "due_at")),
        list(Child.objects.order_by("pk").values_list("missing_since", flat=True)),
    )


@pytest.fixture
def world(social_worker, team_manager, iro):
    child = ChildFactory(
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
        date_of_birth=date(2011, 4, 1),
    )
    placement = PlacementFactory(child=child, decom=date(2025, 6, 2))

    def episode(start, end=None):
        return MissingEpisode.objects.create(
            child=child,
            placement=placement,
            kind="M",
            start_date=start,
            start_time=time(21, 0),
            end_date=end,
            end_time=time(9, 0) if end else None,
        )

    back = episode(date(2026, 2, 1), date(2026, 2, 2))
    still_away = episode(date(2026, 3, 2))
    return {
        "users": {"social_worker": social_worker, "team_manager": team_manager},
        "ids": {"placement": [str(placement.pk), "0", "-1", "999999", SCRIPT]},
        "urls": {
            "new": reverse("missing:episode_new", kwargs={"pk": child.pk}),
            "return": reverse("missing:episode_return", kwargs={"pk": still_away.pk}),
            "report": reverse("missing:home_report", kwargs={"pk": still_away.pk}),
            "interview": reverse("missing:interview", kwargs={"pk": back.pk}),
        },
    }


WHERE = tuple(value for value, _ in WhereFound.choices)
RETURN_FIELDS = [
    Field("end_date", "date"),
    Field("end_time"),
    Field("where_found", "choice", WHERE),
    Field("where_found_detail"),
]
FORMS = [
    FormSpec(
        "missing:episode_new",
        "social_worker",
        "new",
        [
            Field("kind", "choice", tuple(EpisodeKind.values)),
            Field("start_date", "date"),
            Field("start_time"),
            Field("placement", "id", pool="placement"),
            Field("police_reference"),
            Field("risk_level", "choice", ("low", "medium", "high", "")),
            Field("notes"),
            *RETURN_FIELDS,
        ],
    ),
    FormSpec("missing:episode_return", "social_worker", "return", RETURN_FIELDS),
    FormSpec(
        "missing:home_report",
        "social_worker",
        "report",
        [Field("received_on", "date"), Field("received_at")],
    ),
    FormSpec(
        "missing:interview",
        "team_manager",
        "interview",
        [
            Field("outcome", "choice", tuple(InterviewOutcome.values)),
            Field("held_on", "date"),
            Field("interviewer"),
            Field("summary"),
            Field("childs_reason"),
            Field("manager_reason"),
        ],
    ),
]


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_missing_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, world["ids"]))
    def run(payload):
        post_spec_once(spec, world, payload, state=state, today=TODAY)

    run()


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message_beside_the_field(spec, world):
    check_empty_post_refused(spec, world, state=state)


def _parts(name: str, day: str) -> dict:
    d, m, y = day.split("/")
    return {f"{name}_0": d, f"{name}_1": m, f"{name}_2": y}


@pytest.mark.parametrize(
    ("spec", "data", "message"),
    [
        # Before the child was born (1 April 2011).
        (FORMS[0], {"kind": "M", **_parts("start_date", "31/3/2011")}, "before the child was born"),
        (
            FORMS[0],
            {"kind": "M", **_parts("start_date", "7/3/2026")},
            "The start cannot be in the future.",
        ),
        (
            FORMS[0],
            {"kind": "M", **_parts("start_date", "6/3/2026"), "start_time": "15:30"},
            "The start cannot be in the future.",
        ),
        # Overlapping the episode still open since 2 March.
        (FORMS[0], {"kind": "A", **_parts("start_date", "4/3/2026")}, "is still open"),
        (
            FORMS[0],
            {"kind": "A", **_parts("start_date", "1/2/2026"), **_parts("end_date", "1/2/2026")},
            "already recorded",
        ),
        (
            FORMS[0],
            {"kind": "A", **_parts("start_date", "10/1/2026"), **_parts("end_date", "9/1/2026")},
            "The return cannot be before the start",
        ),
        (FORMS[0], {"kind": "M", **_parts("start_date", "30/2/2026")}, "Enter a real date"),
        (
            FORMS[0],
            {"kind": "M", **_parts("start_date", "1/1/2026"), "start_time": "25:00"},
            "24-hour clock",
        ),
        (FORMS[1], _parts("end_date", "1/3/2026"), "The return cannot be before the start"),
        (
            FORMS[1],
            {**_parts("end_date", "2/3/2026"), "end_time": "20:59"},
            "The return cannot be before the start (21:00 on 2 March 2026).",
        ),
        (FORMS[1], _parts("end_date", "7/3/2026"), "The return cannot be in the future."),
        (
            FORMS[1],
            {**_parts("end_date", "6/3/2026"), "end_time": "15:01"},
            "The return cannot be in the future.",
        ),
        (
            FORMS[2],
            {**_parts("received_on", "1/3/2026"), "received_at": "09:00"},
            "before the episode started",
        ),
        (
            FORMS[3],
            {"outcome": "held", **_parts("held_on", "1/2/2026")},
            "before the child&#x27;s return",
        ),
        (FORMS[3], {"outcome": "not_offered"}, "Enter why the interview was not offered."),
        (
            FORMS[3],
            {"outcome": "declined", **_parts("held_on", "3/2/2026")},
            "Enter the child&#x27;s reason",
        ),
    ],
)
def test_refused_input_is_explained_beside_the_field(spec, data, message, world):
    client = Client()
    client.force_login(world["users"][spec.persona])
    before = state()
    with time_machine.travel(TODAY, tick=False):
        response = client.post(world["urls"][spec.url], data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "govuk-error-message" in html and "There is a problem" in html
    assert state() == before


def test_a_social_worker_posting_not_offered_is_refused(world, social_worker):
    client = Client()
    client.force_login(social_worker)
    before = state()
    response = client.post(
        world["urls"]["interview"], {"outcome": "not_offered", "manager_reason": "Too busy"}
    )
    assert response.status_code == 200 and "govuk-error-message" in response.content.decode()
    assert state() == before


def test_what_is_typed_is_shown_escaped(world, social_worker):
    client = Client()
    client.force_login(social_worker)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            world["urls"]["return"],
            {
                **_parts("end_date", "5/3/2026"),
                "where_found": "other",
                "where_found_detail": SCRIPT,
            },
        )
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
    check_escaped(page, "episode page")
    assert "&lt;script&gt;" in page
