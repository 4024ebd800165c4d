"""Hostile input into registering a child coming into care and recording concerns about
an unregistered placement (modelled on tests/test_hostile_escalations.py).

Each example runs in a savepoint that is rolled back. Never a server error; a refused
post shows the GOV.UK error summary and saves nothing (no child without its placement);
an accepted post redirects to a page that shows the stored text escaped.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given

from duties.models import Duty
from placements import codes
from placements.models import Child, Placement, PlacementConcern, Rating
from placements.tests.factories import (
    ChildFactory,
    PlacementFactory,
    SettingFactory,
    UnregisteredSettingFactory,
)
from tests.hostile import (
    HOSTILE,
    SCRIPT,
    Field,
    FormSpec,
    check_escaped,
    form_data,
    post_once,
)

pytestmark = pytest.mark.django_db

COUNTED = (Child, Placement, PlacementConcern, Duty)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _codes(mapping) -> tuple[str, ...]:
    return tuple(mapping)


@pytest.fixture
def world(social_worker, iro):
    child = ChildFactory(
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
        date_of_birth=date(2009, 6, 1),
    )
    placement = PlacementFactory(
        child=child, setting=UnregisteredSettingFactory(), decom=date(2026, 1, 5), place="Z11"
    )
    good = SettingFactory(current_rating=Rating.GOOD)
    new = SettingFactory(current_rating=Rating.NOT_YET_INSPECTED)
    bad_ids = ["", "0", "-1", "999999999", str(2**63), "abc", "1 OR 1=1", SCRIPT]
    return {
        "users": {"social_worker": social_worker, "iro": iro},
        "ids": {"setting": [str(good.pk), str(new.pk), *bad_ids]},
        "urls": {
            "register": reverse("placements:child_register"),
            "concern": reverse("placements:placement_concern_create", args=[placement.pk]),
        },
    }


T = Field
FORMS = [
    FormSpec(
        "placements:child_register",
        "social_worker",
        "register",
        [
            T("child_id"),
            T("first_name"),
            T("last_name"),
            Field("date_of_birth", "date"),
            Field("sex", "choice", choices=_codes(codes.SEX)),
            Field("ethnicity", "choice", choices=_codes(codes.ETHNIC)),
            Field("upn", "choice", choices=("A123456789012", "UN2", "a12345678901b", "12")),
            Field("setting", "id", pool="setting"),
            Field("decom", "date"),
            Field("start_time", "choice", choices=("14:30", "9.05", "24:00", "01:30", "1430")),
            Field("rne", "choice", choices=_codes(codes.RNE)),
            Field("ls", "choice", choices=_codes(codes.LS)),
            Field("cin", "choice", choices=_codes(codes.CIN)),
            Field("place", "choice", choices=("K2", "U4", "Z1", "Z11", "P1")),
            Field("place_provider", "choice", choices=("", *_codes(codes.PLACE_PROVIDER))),
            T("home_post"),
            Field("permanent", "bool"),
            Field("connected_person_temporary", "bool"),
            Field("placed_with_parent_pre_assessment", "bool"),
        ],
    ),
    FormSpec("placements:placement_concern_create", "iro", "concern", [T("note")]),
]


def _registered_together(before: dict, after: dict) -> None:
    # A child and their placement, together.
    assert after["Child"] == before["Child"] + 1
    assert after["Placement"] == before["Placement"] + 1


def _post_once(spec: FormSpec, world, data: dict) -> None:
    post_once(
        world["users"][spec.persona],
        world["urls"][spec.url],
        data,
        name=spec.name,
        state=counts,
        message=lambda status: True,
        saved=_registered_together if spec.url == "register" else None,
    )


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, world["ids"]))
    def run(payload):
        _post_once(spec, world, payload)

    run()


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message_beside_the_fields(spec, world):
    client = Client()
    client.force_login(world["users"][spec.persona])
    before = counts()
    response = client.post(world["urls"][spec.url], {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-message" in html
    assert counts() == before


def test_a_script_in_every_text_is_stored_and_shown_escaped(world):
    client = Client()
    client.force_login(world["users"]["social_worker"])
    response = client.post(
        world["urls"]["register"],
        {
            "child_id": "HX1",
            "first_name": SCRIPT,
            "last_name": '"><img src=x onerror=alert(1)>',
            "date_of_birth_0": "1",
            "date_of_birth_1": "1",
            "date_of_birth_2": "2012",
            "sex": "1",
            "ethnicity": "WBRI",
            "setting": world["ids"]["setting"][0],
            "decom_0": "2",
            "decom_1": "2",
            "decom_2": "2026",
            "rne": "S",
            "ls": "V2",
            "cin": "N1",
            "place": "K2",
            "place_provider": "PR4",
        },
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    check_escaped(page, "child page")
    assert Child.objects.get(child_id="HX1").first_name == SCRIPT
