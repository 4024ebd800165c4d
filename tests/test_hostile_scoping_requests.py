"""Hostile input for the scoping meeting request forms (scoping/request_views.py), as
tests/test_hostile_input.py does for the other forms: never a server error; a refused post
shows the GOV.UK error summary and saves nothing; an accepted post redirects to a page that
shows the stored text escaped."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given

from duties.models import Duty, Notification
from escalations.models import IroEscalation
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping import requests as services
from scoping.models import ScopingRequest, ScopingRequestEvent
from tests.hostile import (
    HOSTILE,
    SCRIPT,
    Field,
    FormSpec,
    form_data,
    post_once,
)

pytestmark = pytest.mark.django_db

COUNTED = (ScopingRequest, ScopingRequestEvent, Duty, Notification, IroEscalation)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def statuses() -> list[tuple[int, str]]:
    return list(ScopingRequest.objects.order_by("pk").values_list("pk", "status"))


@pytest.fixture
def world(social_worker, other_team_worker, iro, lado, assistant_director):
    setting = SettingFactory(name="Willow House")
    other_setting = SettingFactory(name="Elm Lodge")
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    other_child = ChildFactory(team=other_team_worker.team, social_worker=other_team_worker)
    PlacementFactory(child=child, setting=setting, decom=date(2025, 1, 6))
    PlacementFactory(child=other_child, setting=setting, decom=date(2025, 1, 6))
    fields = {
        "setting": setting,
        "actor": social_worker,
        "what_was_tried": "Raised with the manager.",
        "children": [child],
    }
    submitted = services.request_submit(concerns="Restraint.", **fields)
    refused = services.request_submit(concerns="Locked doors.", **fields)
    services.request_decide(
        request=refused, decision="refuse", reasons="Not yet.", actor=assistant_director
    )
    escalation = IroEscalation.objects.create(
        child=child,
        setting=setting,
        raised_by=iro,
        raised_on=date(2026, 9, 1),
        concern="Bedroom doors locked.",
        resolution_sought="Unlock them.",
        serious_systemic=True,
    )
    bad_ids = ["", "0", "-1", "999999999", str(2**63), "abc", "1 OR 1=1", "1'; --", SCRIPT]
    create = reverse("scoping:request_create")
    return {
        "ids": {
            "setting": [str(setting.pk), str(other_setting.pk), *bad_ids],
            "child": [str(child.pk), str(other_child.pk), *bad_ids],
        },
        "urls": {
            "choose": create,
            "create": f"{create}?setting={setting.pk}",
            "escalation": f"{create}?escalation={escalation.pk}",
            "decide": reverse("scoping:request_decide", args=[submitted.pk]),
            "resubmit": reverse("scoping:request_resubmit", args=[refused.pk]),
        },
        "users": {
            "social_worker": social_worker,
            "iro": iro,
            "lado": lado,
            "assistant_director": assistant_director,
        },
    }


T = Field
REQUEST_FIELDS = [
    T("concerns"),
    T("what_was_tried"),
    Field("health_concerns", "bool"),
    Field("children", "id", pool="child"),
]
FORMS = [
    FormSpec(
        "scoping:request_create (setting)",
        "social_worker",
        "choose",
        [Field("setting", "id", pool="setting")],
    ),
    FormSpec("scoping:request_create (route 2)", "social_worker", "create", REQUEST_FIELDS),
    FormSpec("scoping:request_create (route 1)", "lado", "create", REQUEST_FIELDS),
    FormSpec("scoping:request_create (route 3)", "assistant_director", "create", REQUEST_FIELDS),
    FormSpec("scoping:request_create (escalation)", "iro", "escalation", REQUEST_FIELDS[:3]),
    FormSpec(
        "scoping:request_decide",
        "assistant_director",
        "decide",
        [
            Field("decision", "choice", choices=("approve", "refuse", "more_information")),
            T("reasons"),
        ],
    ),
    FormSpec(
        "scoping:request_resubmit",
        "social_worker",
        "resubmit",
        [T("concerns"), T("what_was_tried"), Field("health_concerns", "bool")],
    ),
]


def _post_once(spec: FormSpec, world, data: dict) -> None:
    post_once(
        world["users"][spec.persona],
        world["urls"][spec.url],
        data,
        name=spec.name,
        state=lambda: (counts(), statuses()),
        allowed=(200, 302, 400, 403),
    )


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, world["ids"]))
    def run(payload):
        _post_once(spec, world, payload)

    run()


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message(spec, world):
    _post_once(spec, world, {})


@pytest.mark.parametrize("param", ["setting", "escalation"])
@pytest.mark.parametrize("value", ["abc", "-1", "0", str(2**63), SCRIPT, "1e3", ""])
def test_hostile_query_parameters(world, param, value):
    """A bad ?setting= or ?escalation= is a 404, never a server error."""
    client = Client()
    client.force_login(world["users"]["iro"])
    response = client.get(reverse("scoping:request_create"), {param: value})
    assert response.status_code == 404
