"""A child's personal adviser, alongside the social worker (seed 003, line 969; 10.18, line
947; line 1425): allocated where the social worker is, sees the child, and has the child's
caseworker duties on their worktray."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, Team
from accounts.tests.factories import TeamFactory, UserFactory
from duties import worktray
from duties.models import Duty
from placements import selectors, services
from placements.models import Child
from placements.tests.factories import ChildFactory

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=LONDON)


@pytest.fixture
def leavers_team(db):
    return TeamFactory(name="Care Leavers", kind=Team.Kind.CARE_LEAVERS)


@pytest.fixture
def leavers_manager(leavers_team, service_manager):
    return UserFactory(
        role=Role.TEAM_MANAGER, team=leavers_team, line_manager=service_manager, username="tml"
    )


@pytest.fixture
def adviser(leavers_team, leavers_manager):
    return UserFactory(
        username="pa",
        first_name="Pat",
        last_name="Adviser",
        role=Role.PERSONAL_ADVISER,
        team=leavers_team,
        line_manager=leavers_manager,
    )


@pytest.fixture
def child(cic_team, social_worker, adviser):
    return ChildFactory(
        team=cic_team,
        social_worker=social_worker,
        personal_adviser=adviser,
        date_of_birth=date(2009, 3, 1),
    )


def duty(kind, owner, child, *, due=TODAY, subject=None, team=None):
    return Duty.objects.create(
        kind=kind,
        subject=subject or f"test:{kind}:{child.pk}:{owner.pk if owner else 0}",
        child=child,
        owner=owner,
        team=team or child.team,
        due=due,
    )


# --- Allocation ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_team_manager_allocates_a_personal_adviser_alongside_the_social_worker(
    client, team_manager, social_worker, cic_team, adviser
):
    child = ChildFactory(team=cic_team, social_worker=social_worker)
    client.force_login(team_manager)
    url = reverse("placements:child_allocate", args=[child.pk])
    assert "Personal adviser" in client.get(url).content.decode()
    response = client.post(
        url, {"social_worker": social_worker.pk, "personal_adviser": adviser.pk, "iro": ""}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.social_worker, child.personal_adviser) == (social_worker, adviser)
    # Allocating the adviser does not move the child to the adviser's team.
    assert child.team == cic_team
    latest = child.history.first()
    assert latest.personal_adviser_id == adviser.pk
    assert latest.history_change_reason == "Allocation changed"
    page = client.get(reverse("placements:child", args=[child.pk])).content.decode()
    assert "Pat Adviser" in page
    # And taken off again.
    client.post(url, {"social_worker": social_worker.pk, "personal_adviser": "", "iro": ""})
    child.refresh_from_db()
    assert child.personal_adviser is None and child.social_worker == social_worker


@pytest.mark.django_db
def test_only_a_personal_adviser_can_be_the_personal_adviser(
    client, team_manager, social_worker, cic_team, adviser
):
    child = ChildFactory(team=cic_team, social_worker=social_worker)
    client.force_login(team_manager)
    url = reverse("placements:child_allocate", args=[child.pk])
    response = client.post(
        url, {"social_worker": social_worker.pk, "personal_adviser": social_worker.pk}
    )
    assert response.status_code == 200
    assert "Choose a personal adviser from the list" in response.content.decode()
    child.refresh_from_db()
    assert child.personal_adviser is None
    # The service refuses it too (a script, the admin's shell).
    with pytest.raises(ValidationError):
        services.child_allocate(
            child=child,
            actor=team_manager,
            social_worker=social_worker,
            iro=None,
            personal_adviser=social_worker,
        )
    adviser.is_active = False
    adviser.save()
    with pytest.raises(ValidationError):
        services.child_allocate(
            child=child, actor=team_manager, social_worker=None, iro=None, personal_adviser=adviser
        )


@pytest.mark.django_db
def test_allocating_without_the_adviser_keeps_them(team_manager, child, adviser, iro):
    services.child_allocate(child=child, actor=team_manager, social_worker=None, iro=iro)
    child.refresh_from_db()
    assert child.personal_adviser == adviser and child.iro == iro


@pytest.mark.django_db
def test_a_caseworker_cannot_allocate(client, social_worker, child):
    client.force_login(social_worker)
    response = client.get(reverse("placements:child_allocate", args=[child.pk]))
    assert response.status_code == 403


# --- Who sees the child ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_adviser_sees_the_child_of_another_team_and_a_colleague_does_not(
    client, child, adviser, leavers_team
):
    colleague = UserFactory(role=Role.PERSONAL_ADVISER, team=leavers_team)
    assert selectors.children_visible_to(adviser).filter(pk=child.pk).exists()
    assert not selectors.children_visible_to(colleague).filter(pk=child.pk).exists()
    client.force_login(adviser)
    assert client.get(reverse("placements:child", args=[child.pk])).status_code == 200
    client.force_login(colleague)
    assert client.get(reverse("placements:child", args=[child.pk])).status_code == 404


@pytest.mark.django_db
def test_a_restricted_child_is_seen_by_the_adviser_and_their_line_managers_only(
    child, adviser, leavers_manager, leavers_team, service_manager
):
    child.restricted = True
    child.save()
    colleague = UserFactory(role=Role.PERSONAL_ADVISER, team=leavers_team)
    visible = {
        user.username
        for user in (adviser, leavers_manager, colleague, service_manager)
        if selectors.children_visible_to(user).filter(pk=child.pk).exists()
    }
    # The chain two levels up (issue 24, finding 2), not a colleague.
    assert visible == {adviser.username, leavers_manager.username, service_manager.username}


@pytest.mark.django_db
def test_the_advisers_manager_sees_the_advised_child(child, leavers_manager, service_manager):
    assert selectors.children_visible_to(leavers_manager).filter(pk=child.pk).exists()
    # Two line-manager levels up, as for a social worker's child.
    assert selectors.children_visible_to(service_manager).filter(pk=child.pk).exists()


# --- The worktray ---------------------------------------------------------------------------


def _ids(user) -> set[int]:
    c = worktray.clock(TODAY, NOW)
    return set(worktray.open_duties(user, c).values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_adviser_has_the_childs_caseworker_duties_and_not_other_peoples(
    child, adviser, social_worker, iro, service_manager, cic_team
):
    statutory = duty("statutory_visit", social_worker, child)
    review = duty("lac_review", social_worker, child)
    assessment = duty("risk_assessment", social_worker, child)
    own = duty("purposeful_visit", adviser, child)
    iro_visit = duty("iro_visit", iro, child)
    manager_visit = duty("service_manager_visit", service_manager, child)
    unallocated = duty("statutory_visit", None, child, subject="test:unallocated")
    other = ChildFactory(team=cic_team, social_worker=social_worker)
    not_advised = duty("statutory_visit", social_worker, other)
    assert _ids(adviser) == {statutory.pk, review.pk, assessment.pk, own.pk}
    # The social worker still has theirs: both see the visits.
    assert {statutory.pk, review.pk, not_advised.pk} <= _ids(social_worker)
    assert iro_visit.pk not in _ids(adviser) and manager_visit.pk not in _ids(adviser)
    assert unallocated.pk not in _ids(adviser)


@pytest.mark.django_db
def test_after_the_social_worker_goes_the_adviser_has_the_unallocated_duties(
    child, adviser, social_worker, team_manager
):
    services.child_allocate(child=child, actor=team_manager, social_worker=None, iro=None)
    unallocated = duty("statutory_visit", None, child, subject="test:unallocated")
    left_over = duty("lac_review", social_worker, child)  # not yet recomputed
    assert _ids(adviser) == {unallocated.pk}
    assert left_over.pk not in _ids(adviser)


@pytest.mark.django_db
def test_an_advised_restricted_childs_duties_are_on_the_advisers_worktray(
    child, adviser, social_worker, leavers_manager
):
    child.restricted = True
    child.save()
    statutory = duty("statutory_visit", social_worker, child)
    assert statutory.pk in _ids(adviser)


@pytest.mark.django_db
def test_the_advisers_home_page_lists_the_childs_visit(client, child, adviser, social_worker):
    statutory = duty("statutory_visit", social_worker, child, due=TODAY - timedelta(days=1))
    client.force_login(adviser)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("home"))
        listed = client.get(reverse("duties:worktray")).content.decode()
    rows = {d.pk for s in response.context["sections"] for d in s["rows"]}
    assert rows == {statutory.pk}
    assert response.context["counts"]["overdue"] == 1
    assert child.child_id in listed


def _advised_children(n, start, team, worker, adviser):
    children = Child.objects.bulk_create(
        Child(
            child_id=f"PA{i:05d}",
            first_name="Child",
            last_name=f"Number {i}",
            date_of_birth=date(2009, 5, 17),
            sex="1",
            ethnicity="WBRI",
            team=team,
            social_worker=worker,
            personal_adviser=adviser,
        )
        for i in range(start, start + n)
    )
    Duty.objects.bulk_create(
        Duty(
            kind="statutory_visit",
            subject=f"child:{c.pk}",
            child=c,
            owner=worker,
            team=team,
            due=TODAY + timedelta(days=i % 30 - 10),
        )
        for i, c in enumerate(children)
    )


@pytest.mark.django_db
def test_the_advisers_worktray_runs_a_fixed_number_of_queries(
    client, adviser, social_worker, cic_team
):
    pages = ["/", "/worktray/", "/worktray/?status=overdue", "/worktray/?format=csv"]
    client.force_login(adviser)

    def count(url):
        with time_machine.travel(NOW, tick=False):
            warm = client.get(url)
            if warm.streaming:
                b"".join(warm.streaming_content)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
        return len(ctx.captured_queries)

    _advised_children(5, 0, cic_team, social_worker, adviser)
    small = {url: count(url) for url in pages}
    _advised_children(300, 5, cic_team, social_worker, adviser)
    assert {url: count(url) for url in pages} == small
