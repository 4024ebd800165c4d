"""Concerns about a provision, the concern level and the setting page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duties.models import Duty, Notification
from escalations import concerns, governance
from escalations.models import Concern
from placements.models import ConcernLevel
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    return SettingFactory(name="Birch House")


@pytest.fixture
def child(social_worker, iro, setting):
    child = ChildFactory(
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
        first_name="Jo",
        last_name="Quennell",
    )
    PlacementFactory(child=child, setting=setting, decom=date(2026, 1, 5))
    return child


def _post_concern(client, setting, **extra):
    data = {
        "raised_by_name": "Pat Carer",
        "raised_by_role": "School designated teacher",
        "raised_on_0": "3",
        "raised_on_1": "2",
        "raised_on_2": "2026",
        "what": "Staff restrain children without recording it.",
        "evidence": "Two children told their teacher.",
        **extra,
    }
    return client.post(reverse("concerns:concern_create", args=[setting.pk]), data)


def test_concern_about_a_child_notifies_team_manager_service_manager_and_iro(
    client, social_worker, team_manager, service_manager, iro, setting, child
):
    client.force_login(social_worker)
    response = _post_concern(client, setting, child=child.pk)
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.child == child and concern.recorded_by == social_worker
    assert concern.raised_by_role == "School designated teacher"
    notified = Notification.objects.filter(key__startswith=f"concern:{concern.pk}:")
    assert {n.user for n in notified} == {team_manager, service_manager, iro}
    for n in notified:
        assert n.key == f"concern:{concern.pk}:{n.user.pk}"
        assert child.first_name not in n.subject and child.last_name not in n.subject
        assert n.url == reverse("concerns:concern", args=[concern.pk])
    assert concern.history.count() == 1


def test_setting_only_concern_goes_to_commissioning(client, lado, commissioning, setting):
    client.force_login(lado)
    assert _post_concern(client, setting).status_code == 302
    concern = Concern.objects.get()
    assert concern.child is None
    assert [n.user for n in Notification.objects.all()] == [commissioning]


def test_concern_about_a_child_the_recorder_cannot_see_is_refused(
    other_team_worker, setting, child
):
    with pytest.raises(ValidationError) as refused:
        concerns.concern_record(
            setting=setting,
            child=child,
            raised_by_name="A",
            raised_by_role="B",
            what="C",
            evidence="",
            raised_on=date(2026, 2, 3),
            actor=other_team_worker,
        )
    assert "child" in refused.value.message_dict
    assert not Concern.objects.exists()


def test_concern_form_shows_errors_beside_fields(client, social_worker, setting):
    client.force_login(social_worker)
    response = _post_concern(client, setting, what="", raised_by_name="")
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "govuk-error-message" in page
    assert not Concern.objects.exists()


def _page_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_setting_page_shows_level_concerns_and_due_in_fixed_queries(
    client, team_manager, assistant_director, social_worker, setting, child
):
    client.force_login(team_manager)
    url = reverse("placements:setting", args=[setting.pk])
    empty, _ = _page_queries(client, url)

    governance.level_decide(
        setting=setting,
        level=ConcernLevel.MINOR,
        reason="Early signs",
        evidence="Two concerns from the school",
        how_decided="meeting",
        meeting_date=date(2026, 2, 2),
        actor=assistant_director,
        today=date(2026, 2, 3),
    )
    for i in range(5):
        if i == 1:
            # One open concern: its section is read (the setting says there is one).
            few, _ = _page_queries(client, url)
            assert few == empty + 1
        concerns.concern_record(
            setting=setting,
            child=child if i % 2 else None,
            raised_by_name=f"Raiser {i}",
            raised_by_role="Health visitor",
            what="Concern",
            evidence="",
            raised_on=date(2026, 2, 3),
            actor=social_worker,
        )
        Duty.objects.create(
            kind="action_plan",
            subject=f"test:{i}",
            setting=setting,
            child=child if i % 2 else None,
            owner=team_manager,
            due=date(2026, 3, 1 + i),
        )
    many, page = _page_queries(client, url)
    assert many == few
    assert "Minor concern" in page
    assert "Raiser 3" in page
    assert child.name in page
    assert page.count("Provider action plan action") == 5
    assert reverse("concerns:level_history", args=[setting.pk]) in page
    # A team manager proposes; only the AD or Director decides.
    assert f'href="{reverse("concerns:level_propose", args=[setting.pk])}"' in page
    assert f'href="{reverse("concerns:level_set", args=[setting.pk])}"' not in page


def test_setting_page_hides_names_of_children_the_user_cannot_see(
    client, other_team_worker, social_worker, setting, child
):
    concerns.concern_record(
        setting=setting,
        child=child,
        raised_by_name="Raiser",
        raised_by_role="School",
        what="Concern",
        evidence="",
        raised_on=date(2026, 2, 3),
        actor=social_worker,
    )
    client.force_login(other_team_worker)
    page = client.get(reverse("placements:setting", args=[setting.pk])).content.decode()
    assert child.last_name not in page
    assert "a child whose record you cannot see" in page
    assert f'href="{reverse("concerns:level_set", args=[setting.pk])}"' not in page
    assert f'href="{reverse("concerns:level_propose", args=[setting.pk])}"' not in page
    concern = Concern.objects.get()
    assert client.get(reverse("concerns:concern", args=[concern.pk])).status_code == 404


def test_setting_page_lists_the_first_duties_of_the_concern_workflow_with_the_total(
    client, team_manager, social_worker, setting, child
):
    today = date(2026, 3, 1)
    for i in range(30):
        Duty.objects.create(
            kind="risk_assessment",
            subject=f"risk_assessment:{9000 + i}",
            setting=setting,
            child=child,
            owner=social_worker,
            due=today,
        )
    # A child's visit carries the setting but is the child's, not the setting's.
    Duty.objects.create(
        kind="statutory_visit",
        subject="placement:1",
        setting=setting,
        child=child,
        owner=social_worker,
        due=today,
    )
    # A scoping meeting's action is for the meeting's invitees.
    Duty.objects.create(
        kind="scoping_action", subject="scoping_action:1", setting=setting, due=today
    )
    client.force_login(team_manager)
    page = client.get(reverse("placements:setting", args=[setting.pk])).content.decode()
    assert "The first 25 of 30 open duties, by due date." in page
    assert page.count(">Risk assessment<") == 25
    assert ">Statutory visit<" not in page
    assert ">Scoping meeting action<" not in page
