"""Hostile input into the IRO escalation forms, and the concern level's and the letter of
concern's decisions (modelled on tests/test_hostile_input.py).

Each example runs in a savepoint that is rolled back. Never a server error; a refused
post shows the GOV.UK error summary and saves nothing; an accepted post redirects to a
page that shows the stored text escaped.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given

from duties.models import Duty, Notification
from escalations import governance, letters
from escalations import iro as esc
from escalations.models import (
    ConcernLevelChange,
    ConcernLevelProposal,
    EscalationStage,
    GovernanceItem,
    IroEscalation,
    LetterOfConcern,
)
from placements.models import ConcernLevel, Setting
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from tests.hostile import HOSTILE, Field, FormSpec, form_data, post_once
from visits.models import Visit
from visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

COUNTED = (IroEscalation, EscalationStage, Duty, Notification, Visit)
STAGES = tuple(IroEscalation.Stage.values)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def replies() -> list:
    return list(EscalationStage.objects.order_by("pk").values_list("response", "closed_on"))


def states() -> list:
    return list(IroEscalation.objects.order_by("pk").values_list("stage", "status", "resolution"))


@pytest.fixture
def world(social_worker, team_manager, service_manager, assistant_director, iro):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    other = ChildFactory(team=social_worker.team, social_worker=social_worker)
    placement = PlacementFactory(child=child, setting=SettingFactory(), decom=date(2026, 1, 5))
    visit = VisitFactory(child=child, placement=placement, on=date(2026, 10, 20))
    other_visit = VisitFactory(child=other, on=date(2026, 10, 21))
    escalation = esc.escalation_raise(
        child=child,
        concern="Night staffing",
        evidence="",
        evidence_visits=[],
        resolution_sought="Waking staff",
        serious_systemic=False,
        actor=iro,
        today=date(2026, 11, 2),
    )
    stage = escalation.stages.get()
    return {
        "users": {"iro": iro, "social_worker": social_worker},
        "ids": {
            "visit": [str(visit.pk), str(other_visit.pk), "0", "-1", "abc", "99999999999999999999"]
        },
        "urls": {
            "create": reverse("escalations:iro_escalation_create", kwargs={"child_pk": child.pk}),
            "stage": reverse("escalations:escalation_stage", kwargs={"pk": stage.pk}),
            "advance": reverse("escalations:iro_escalation_advance", kwargs={"pk": escalation.pk}),
            "resolve": reverse("escalations:iro_escalation_resolve", kwargs={"pk": escalation.pk}),
        },
    }


T = Field
FORMS = [
    FormSpec(
        "escalations:iro_escalation_create",
        "iro",
        "create",
        [
            T("concern"),
            Field("evidence_visits", "id", pool="visit"),
            T("evidence"),
            T("resolution_sought"),
            Field("serious_systemic", "bool"),
        ],
    ),
    FormSpec("escalations:escalation_stage", "social_worker", "stage", [T("response")]),
    FormSpec(
        "escalations:iro_escalation_advance",
        "iro",
        "advance",
        [Field("from_stage", "choice", choices=STAGES), T("reasons")],
    ),
    FormSpec("escalations:iro_escalation_resolve", "iro", "resolve", [T("resolution")]),
]


def _post_once(spec: FormSpec, world, data: dict) -> None:
    post_once(
        world["users"][spec.persona],
        world["urls"][spec.url],
        data,
        name=spec.name,
        state=lambda: (counts(), replies(), states()),
        message=lambda status: True,
    )


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_escalation_form_survives_hostile_input(spec, world):
    @HOSTILE
    @given(payload=form_data(spec, world["ids"]))
    def run(payload):
        _post_once(spec, world, payload)

    run()


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in FORMS])
def test_empty_post_is_refused_with_a_message_beside_the_fields(spec, world):
    client = Client()
    client.force_login(world["users"][spec.persona])
    before = (counts(), replies(), states())
    response = client.post(world["urls"][spec.url], {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-message" in html
    assert (counts(), replies(), states()) == before


def test_another_childs_visit_is_refused_as_evidence(world):
    client = Client()
    client.force_login(world["users"]["iro"])
    before = counts()
    response = client.post(
        world["urls"]["create"],
        {
            "concern": "<script>alert(1)</script>",
            "resolution_sought": "x",
            "evidence_visits": [world["ids"]["visit"][1]],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose visits from the list." in html and "<script>alert(1)</script>" not in html
    assert counts() == before


# The concern level and the letter of concern (escalations.governance, escalations.letters) ----

CONCERN_COUNTED = (
    ConcernLevelChange,
    ConcernLevelProposal,
    GovernanceItem,
    LetterOfConcern,
    Duty,
    Notification,
)


def concern_state() -> tuple:
    return (
        {model.__name__: model.objects.count() for model in CONCERN_COUNTED},
        list(Setting.objects.order_by("pk").values_list("concern_level", flat=True)),
        list(
            LetterOfConcern.objects.order_by("pk").values_list(
                "status",
                "given_on",
                "decision_evidence",
                "delivery_method",
                "received_on",
                "representations",
                "representations_received_on",
            )
        ),
    )


@pytest.fixture
def concern_world(team_manager, commissioning, assistant_director):
    today = timezone.localdate()
    setting = SettingFactory(name="Willow House")
    fields = {
        "addressed_to": "Owner",
        "copy_to": "RI",
        "matters_of_concern": "Staffing",
        "required_actions": "Recruit",
        "authority_action": "Review",
    }
    draft = letters.letter_draft(setting=setting, actor=commissioning, **fields)
    issued = letters.letter_draft(setting=setting, actor=commissioning, **fields)
    letters.letter_issue(
        letter=issued, given_on=today, evidence="Reports", actor=assistant_director
    )
    delivered = letters.letter_draft(setting=setting, actor=commissioning, **fields)
    letters.letter_issue(
        letter=delivered, given_on=today, evidence="Reports", actor=assistant_director
    )
    letters.letter_record_delivery(
        letter=delivered, method="email", received_on=today, actor=commissioning, today=today
    )
    governance.level_propose(
        setting=setting, level="level_1", reasons="r", evidence="e", actor=team_manager
    )
    return {
        "users": {
            "team_manager": team_manager,
            "commissioning": commissioning,
            "assistant_director": assistant_director,
        },
        "ids": {},
        "urls": {
            "propose": reverse("concerns:level_propose", args=[setting.pk]),
            "decide": reverse("concerns:level_set", args=[setting.pk]),
            "issue": reverse("concerns:letter_issue", args=[draft.pk]),
            "delivery": reverse("concerns:letter_delivery", args=[issued.pk]),
            "representations": reverse("concerns:letter_representations", args=[delivered.pk]),
        },
    }


LEVELS = tuple(ConcernLevel.values)
DELIVERY = tuple(LetterOfConcern.DeliveryMethod.values)
CONCERN_FORMS = [
    FormSpec(
        "concerns:level_propose",
        "team_manager",
        "propose",
        [Field("level", "choice", choices=LEVELS), T("reasons"), T("evidence")],
    ),
    FormSpec(
        "concerns:level_set",
        "assistant_director",
        "decide",
        [
            Field("level", "choice", choices=LEVELS),
            T("reason"),
            T("evidence"),
            Field("how_decided", "choice", choices=tuple(ConcernLevelChange.HowDecided.values)),
            Field("meeting_date", "date"),
        ],
    ),
    FormSpec(
        "concerns:letter_issue",
        "assistant_director",
        "issue",
        [Field("given_on", "date"), T("evidence")],
    ),
    FormSpec(
        "concerns:letter_delivery",
        "commissioning",
        "delivery",
        [
            Field(
                "delivery_method", "choice", choices=tuple(LetterOfConcern.DeliveryMethod.values)
            ),
            Field("received_on", "date"),
        ],
    ),
    FormSpec(
        "concerns:letter_representations",
        "commissioning",
        "representations",
        [T("representations"), Field("representations_received_on", "date")],
    ),
]


def _post_concern_form(spec: FormSpec, world, data: dict) -> None:
    post_once(
        world["users"][spec.persona],
        world["urls"][spec.url],
        data,
        name=spec.name,
        state=concern_state,
        message=lambda status: True,
    )


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in CONCERN_FORMS])
def test_concern_form_survives_hostile_input(spec, concern_world):
    @HOSTILE
    @given(payload=form_data(spec, concern_world["ids"]))
    def run(payload):
        _post_concern_form(spec, concern_world, payload)

    run()


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in CONCERN_FORMS])
def test_concern_form_empty_post_is_refused_beside_the_fields(spec, concern_world):
    client = Client()
    client.force_login(concern_world["users"][spec.persona])
    before = concern_state()
    response = client.post(concern_world["urls"][spec.url], {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-message" in html
    assert concern_state() == before


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in CONCERN_FORMS])
def test_concern_form_date_year_overflow(spec, concern_world):
    payload = {}
    for f in spec.fields:
        if f.kind == "date":
            payload.update({f"{f.name}_0": "1", f"{f.name}_1": "1", f"{f.name}_2": "9" * 30})
    _post_concern_form(spec, concern_world, payload)
