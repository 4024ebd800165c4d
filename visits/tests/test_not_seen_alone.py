"""003 10.10: a statutory visit at which the child was not seen alone records why, and the
managers see those visits listed."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from placements.models import AccessLog
from placements.tests.factories import ChildFactory
from visits import services
from visits.models import Visit, VisitKind
from visits.tests.factories import VisitFactory
from visits.tests.test_visit_form import (  # noqa: F401 (fixtures)
    NOW,
    SCRIPT,
    child,
    finish,
    finished_visit,
    frozen_clock,
    setting,
)

NOT_ALONE = {"seen_alone": "no", "others_present": "Her carer, Jo Smith"}


@pytest.fixture
def statutory(child, social_worker):  # noqa: F811
    return services.visit_start(child=child, kind=VisitKind.STATUTORY, actor=social_worker, now=NOW)


# --- The reason, on the visit form ------------------------------------------------------


def test_a_statutory_visit_not_seen_alone_is_refused_beside_the_field_without_a_reason(
    client, social_worker, statutory
):
    client.force_login(social_worker)
    response = finish(client, statutory, **NOT_ALONE, not_seen_alone_reason="   ")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["not_seen_alone_reason"] == [
        "Say why the child or young person was not seen alone"
    ]
    page = response.content.decode()
    assert 'href="#id_not_seen_alone_reason"' in page  # in the error summary, to the field
    statutory.refresh_from_db()
    assert statutory.status == Visit.Status.DRAFT  # nothing finished half-way


def test_a_statutory_visit_not_seen_alone_finishes_with_its_reason(
    client, social_worker, statutory
):
    client.force_login(social_worker)
    reason = f"She asked for her carer to stay. {SCRIPT}"
    visit = finished_visit(client, statutory, **NOT_ALONE, not_seen_alone_reason=reason)
    assert visit.not_seen_alone_reason == reason
    page = client.get(reverse("visits:visit", args=[visit.pk])).content.decode()
    assert "Why not seen alone" in page and "She asked for her carer to stay." in page
    assert SCRIPT not in page  # escaped
    assert visit.history.latest().not_seen_alone_reason == reason


@pytest.mark.parametrize("seen_alone", ["yes"])
def test_no_reason_is_needed_when_the_child_was_seen_alone(
    client, social_worker, statutory, seen_alone
):
    client.force_login(social_worker)
    visit = finished_visit(client, statutory, seen_alone=seen_alone)
    assert visit.not_seen_alone_reason == ""


def test_a_purposeful_visit_does_not_need_the_reason(client, social_worker, child):  # noqa: F811
    draft = services.visit_start(
        child=child, kind=VisitKind.PURPOSEFUL, actor=social_worker, now=NOW
    )
    client.force_login(social_worker)
    visit = finished_visit(client, draft, **NOT_ALONE)
    assert visit.not_seen_alone_reason == ""


def test_a_draft_saves_without_the_reason(client, social_worker, statutory):
    client.force_login(social_worker)
    response = client.post(
        reverse("visits:visit_edit", args=[statutory.pk]),
        {"action": "save", "seen_alone": "no", "not_seen_alone_reason": ""},
    )
    assert response.status_code == 302
    statutory.refresh_from_db()
    assert (statutory.status, statutory.seen_alone) == (Visit.Status.DRAFT, False)


# --- The managers' page -------------------------------------------------------------------

URL = "/visits/not-seen-alone/"


@pytest.fixture
def visits(child, social_worker, other_team_worker):  # noqa: F811
    other_child = ChildFactory(team=other_team_worker.team, social_worker=other_team_worker)
    restricted = ChildFactory(team=social_worker.team, social_worker=social_worker, restricted=True)
    return {
        "reason": VisitFactory(
            child=child,
            on=date(2026, 3, 2),
            seen_alone=False,
            not_seen_alone_reason="He wanted his foster carer there.",
        ),
        "no_reason": VisitFactory(child=child, on=date(2026, 2, 2), seen_alone=False),
        "alone": VisitFactory(child=child, on=date(2026, 1, 5), seen_alone=True),
        "purposeful": VisitFactory(
            child=child, on=date(2026, 3, 3), kind=VisitKind.PURPOSEFUL, seen_alone=False
        ),
        "draft": VisitFactory(
            child=child, on=date(2026, 3, 4), seen_alone=False, status=Visit.Status.DRAFT
        ),
        "other_team": VisitFactory(child=other_child, on=date(2026, 3, 5), seen_alone=False),
        "restricted": VisitFactory(child=restricted, on=date(2026, 3, 6), seen_alone=False),
    }


def listed(response) -> list[int]:
    return [visit.pk for visit in response.context["page"].object_list]


def test_the_team_manager_sees_their_teams_statutory_visits_not_seen_alone(
    client, team_manager, visits
):
    client.force_login(team_manager)
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == [
        visits["restricted"].pk,  # the team manager is the allocated worker's line manager
        visits["reason"].pk,
        visits["no_reason"].pk,
    ]
    page = response.content.decode()
    assert "He wanted his foster carer there." in page
    assert "No reason recorded" in page
    assert reverse("visits:visit", args=[visits["reason"].pk]) in page
    # The manager's navigation links to the page.
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    # Opening a restricted record's visit in the list is logged.
    assert AccessLog.objects.filter(
        user=team_manager,
        action=AccessLog.Action.VIEW_RESTRICTED,
        child=visits["restricted"].child,
    ).exists()


def test_the_service_manager_sees_both_teams_and_the_restricted_child_up_the_chain(
    client, service_manager, visits
):
    """A restricted record is seen by its allocated staff's line managers two levels up
    (issue 24, finding 2): the service manager above the team manager."""
    client.force_login(service_manager)
    response = client.get(URL)
    assert set(listed(response)) == {
        visits["reason"].pk,
        visits["no_reason"].pk,
        visits["other_team"].pk,
        visits["restricted"].pk,
    }


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.IRO, Role.DIRECTOR, Role.LADO])
def test_anyone_else_is_refused(client, role, visits, social_worker, iro, lado):
    from accounts.tests.factories import UserFactory

    user = UserFactory(role=role)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def test_the_page_is_paged(client, team_manager, child):  # noqa: F811
    for day in range(1, 29):
        for hour in (9, 15):
            VisitFactory(
                child=child,
                seen_alone=False,
                visited_at=NOW.replace(month=2, day=day, hour=hour),
            )
    client.force_login(team_manager)
    first = client.get(URL)
    assert first.context["page"].paginator.count == 56
    assert "Page 1 of 2" in first.content.decode()
    assert client.get(URL, {"page": "2"}).status_code == 200
    assert client.get(URL, {"page": "x"}).status_code == 200
