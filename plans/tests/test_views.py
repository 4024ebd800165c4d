"""A child's plans page, and recording and changing a plan: who may, what is refused beside
which field, the history kept and the duties recomputed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Duty
from placements.tests.factories import ChildFactory, PlacementFactory
from plans.models import HealthStage, Plan, PlanKind

from .helpers import beside, form_data

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 11, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(social_worker, iro):
    child = ChildFactory(
        first_name="Amira",
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
        date_of_birth=date(2012, 5, 17),
    )
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    return child


@pytest.fixture
def recomputed(monkeypatch):
    """The children whose duties a save recomputed (h2's duty kinds close on it)."""
    calls: list[list[int]] = []
    from plans import services

    real = services.refresh_for_children

    def spy(child_ids, **kwargs):
        calls.append(list(child_ids))
        return real(child_ids, **kwargs)

    monkeypatch.setattr(services, "refresh_for_children", spy)
    return calls


def _new(child, **query):
    url = reverse("plans:plan_new", args=[child.pk])
    return url + (f"?kind={query['kind']}" if "kind" in query else "")


def _page(client, child) -> str:
    response = client.get(reverse("plans:child_plans", args=[child.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- The plans page -----------------------------------------------------------------------


def test_the_plans_page_lists_every_kind_with_date_who_summary_and_document(
    client, social_worker, child
):
    Plan.objects.create(
        child=child,
        kind=PlanKind.CARE_PLAN,
        completed_on=date(2026, 1, 12),
        completed_by_name="Sam Worker",
        summary="Return home is the plan.",
    )
    Plan.objects.create(
        child=child,
        kind=PlanKind.HEALTH_ASSESSMENT,
        stage=HealthStage.INITIAL,
        completed_on=date(2026, 1, 30),
        completed_by_name="Nurse Okafor",
    )
    client.force_login(social_worker)
    html = _page(client, child)
    assert "Return home is the plan." in html and "12 January 2026" in html
    assert "Initial health assessment" in html and "Nurse Okafor" in html
    for label in PlanKind.labels:
        assert label in html
    assert "Record a plan or assessment" in html


def test_the_child_page_links_to_the_plans_page(client, social_worker, child):
    client.force_login(social_worker)
    html = client.get(reverse("placements:child", args=[child.pk])).content.decode()
    assert "Plans, health and education" in html
    assert reverse("plans:child_plans", args=[child.pk]) in html


def test_the_iro_reads_the_plans_but_records_none(client, iro, child):
    client.force_login(iro)
    html = _page(client, child)
    assert "Record a plan or assessment" not in html
    assert client.get(_new(child)).status_code == 403
    assert client.post(_new(child), form_data()).status_code == 403
    assert not Plan.objects.exists()


def test_another_teams_worker_gets_404_on_every_page(client, other_team_worker, child):
    plan = Plan.objects.create(child=child, kind=PlanKind.PEP, completed_on=date(2026, 2, 2))
    client.force_login(other_team_worker)
    for url in (
        reverse("plans:child_plans", args=[child.pk]),
        _new(child),
        reverse("plans:plan_edit", args=[plan.pk]),
        reverse("plans:plan_document", args=[plan.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_new(child), form_data()).status_code == 404


@pytest.mark.parametrize("persona", ["lado", "commissioning"])
def test_roles_that_see_every_child_read_but_do_not_record(client, request, persona, child):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("plans:child_plans", args=[child.pk])).status_code == 200
    assert client.get(_new(child)).status_code == 403


def test_the_childs_personal_adviser_records_but_a_colleague_does_not(client, child):
    adviser = UserFactory(role=Role.PERSONAL_ADVISER, team=child.team, first_name="Pat")
    colleague = UserFactory(role=Role.PERSONAL_ADVISER, team=child.team)
    client.force_login(colleague)
    assert client.get(_new(child)).status_code == 403
    child.personal_adviser = adviser
    child.save()
    client.force_login(adviser)
    assert client.get(_new(child)).status_code == 200


# --- Recording --------------------------------------------------------------------------------


def test_the_social_worker_records_a_care_plan_with_history_and_a_recompute(
    client, social_worker, child, recomputed
):
    client.force_login(social_worker)
    form = client.get(_new(child, kind="care_plan")).content.decode()
    assert 'value="Sam Worker"' in form  # their own name, to change if someone else did it
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    response = client.post(_new(child), form_data())
    assert response.status_code == 302
    assert response.url == reverse("plans:child_plans", args=[child.pk])
    plan = Plan.objects.get()
    assert (plan.kind, plan.completed_on, plan.completed_by) == (
        "care_plan",
        date(2026, 3, 3),
        social_worker,
    )
    assert plan.recorded_by == social_worker and plan.placement is None and plan.stage == ""
    version = plan.history.get()
    assert version.history_user == social_worker and version.history_change_reason == "Recorded"
    assert recomputed == [[child.pk]]
    assert "Care plan completed on 3 March 2026 saved." in _page(client, child)


def test_someone_elses_name_records_no_user(client, social_worker, child):
    client.force_login(social_worker)
    client.post(_new(child), form_data(kind="pep", by="Ms Adeyemi, designated teacher"))
    plan = Plan.objects.get()
    assert plan.completed_by is None and plan.completed_by_name == "Ms Adeyemi, designated teacher"


def _refused(client, child, data, field, message):
    before = Plan.objects.count()
    response = client.post(_new(child), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    group = beside(html, field)
    assert "govuk-error-message" in group and message in group
    assert Plan.objects.count() == before
    return html


def test_the_date_completed_edges_birth_today_tomorrow(client, social_worker, recomputed):
    baby = ChildFactory(
        team=social_worker.team, social_worker=social_worker, date_of_birth=date(2026, 1, 20)
    )
    PlacementFactory(child=baby, decom=date(2026, 1, 21))
    client.force_login(social_worker)
    _refused(
        client,
        baby,
        form_data(on=date(2026, 1, 19)),
        "completed_on",
        "date of birth, 20 January 2026",
    )
    _refused(
        client,
        baby,
        form_data(on=date(2026, 3, 11)),
        "completed_on",
        "The date completed must be today or in the past.",
    )
    assert recomputed == []
    assert client.post(_new(baby), form_data(on=date(2026, 1, 20))).status_code == 302
    assert client.post(_new(baby), form_data(on=TODAY)).status_code == 302
    assert sorted(Plan.objects.values_list("completed_on", flat=True)) == [
        date(2026, 1, 20),
        TODAY,
    ]


def test_an_impossible_date_is_refused_beside_the_field(client, social_worker, child):
    client.force_login(social_worker)
    data = form_data()
    data["completed_on_0"] = "30"
    data["completed_on_1"] = "2"
    _refused(client, child, data, "completed_on", "Enter a real date")


def test_a_placement_plan_needs_one_of_this_childs_placements(
    client, social_worker, child, other_team_worker
):
    client.force_login(social_worker)
    _refused(
        client,
        child,
        form_data(kind="placement_plan"),
        "placement",
        "Select the placement this placement plan is for.",
    )
    someone_else = PlacementFactory(child=ChildFactory(social_worker=other_team_worker))
    _refused(
        client,
        child,
        form_data(kind="placement_plan", placement=str(someone_else.pk)),
        "placement",
        "Select one of this child&#x27;s placements",
    )
    own = child.placements.get()
    assert (
        client.post(
            _new(child), form_data(kind="placement_plan", placement=str(own.pk))
        ).status_code
        == 302
    )
    assert Plan.objects.get().placement == own


def test_a_placement_given_for_another_kind_is_not_kept(client, social_worker, child):
    client.force_login(social_worker)
    own = child.placements.get()
    client.post(_new(child), form_data(kind="pep", placement=str(own.pk), stage="initial"))
    plan = Plan.objects.get()
    assert plan.placement is None and plan.stage == ""


def test_a_health_assessment_needs_its_stage_and_one_initial_a_period_of_care(
    client, social_worker, child
):
    client.force_login(social_worker)
    _refused(
        client,
        child,
        form_data(kind="health_assessment"),
        "stage",
        "Select whether this is an initial or a review health assessment.",
    )
    ok = client.post(_new(child), form_data(kind="health_assessment", stage="initial"))
    assert ok.status_code == 302
    _refused(
        client,
        child,
        form_data(kind="health_assessment", stage="initial", on=date(2026, 3, 9)),
        "stage",
        "An initial health assessment is already recorded for this period of care "
        "(completed on 3 March 2026)",
    )
    assert (
        client.post(
            _new(child), form_data(kind="health_assessment", stage="review", on=date(2026, 3, 9))
        ).status_code
        == 302
    )


def test_a_new_period_of_care_takes_a_new_initial_health_assessment(client, social_worker):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child, decom=date(2025, 1, 6), dec=date(2025, 6, 2))
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    Plan.objects.create(
        child=child,
        kind=PlanKind.HEALTH_ASSESSMENT,
        stage=HealthStage.INITIAL,
        completed_on=date(2025, 2, 1),
    )
    client.force_login(social_worker)
    response = client.post(
        _new(child), form_data(kind="health_assessment", stage="initial", on=date(2026, 2, 1))
    )
    assert response.status_code == 302
    assert Plan.objects.filter(stage="initial").count() == 2


def test_the_same_record_twice_is_refused_beside_the_date(client, social_worker, child):
    client.force_login(social_worker)
    assert client.post(_new(child), form_data()).status_code == 302
    _refused(
        client,
        child,
        form_data(),
        "completed_on",
        "A care plan completed on 3 March 2026 is already recorded",
    )


def test_an_empty_post_is_explained_and_saves_nothing(client, social_worker, child):
    client.force_login(social_worker)
    html = _refused(client, child, {}, "kind", "Select what was completed")
    assert "Enter who completed it" in html


# --- Changing -------------------------------------------------------------------------------


def test_the_team_manager_changes_a_plan_and_the_page_says_who_and_when(
    client, social_worker, team_manager, child, recomputed
):
    client.force_login(social_worker)
    client.post(_new(child), form_data())
    plan = Plan.objects.get()
    client.force_login(team_manager)
    edit = reverse("plans:plan_edit", args=[plan.pk])
    page = client.get(edit).content.decode()
    assert 'value="Sam Worker"' in page
    response = client.post(edit, form_data(on=date(2026, 3, 4), summary="Changed after review."))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.completed_on == date(2026, 3, 4) and plan.summary == "Changed after review."
    # The name kept is the social worker's: still their record.
    assert plan.completed_by == social_worker and plan.recorded_by == social_worker
    versions = list(plan.history.order_by("history_date"))
    assert [v.history_user for v in versions] == [social_worker, team_manager]
    assert versions[0].completed_on == date(2026, 3, 3)
    assert recomputed == [[child.pk], [child.pk]]
    html = _page(client, child)
    assert "Changed by Toni Lead, 10 March 2026" in html
    history = client.get(edit).content.decode()
    assert "Changed" in history and "dated 3 March 2026" in history


def test_the_iro_may_not_change_a_plan(client, iro, child):
    plan = Plan.objects.create(child=child, kind=PlanKind.PEP, completed_on=date(2026, 2, 2))
    client.force_login(iro)
    edit = reverse("plans:plan_edit", args=[plan.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(kind="pep")).status_code == 403
    assert plan.history.count() == 1


def test_the_plans_page_shows_what_is_next_due_from_the_duty_table(client, social_worker, child):
    Duty.objects.create(
        kind="placement_plan",
        subject=f"placement:{child.placements.get().pk}:placement_plan",
        child=child,
        owner=social_worker,
        due=date(2026, 1, 12),
        basis="5 working days after the placement began",
    )
    Duty.objects.create(
        kind="health_assessment",
        subject=f"child:{child.pk}:health_assessment",
        child=child,
        owner=social_worker,
        due=date(2026, 3, 20),
        status=Duty.Status.DONE,
    )
    client.force_login(social_worker)
    html = _page(client, child)
    assert "12 January 2026" in html and "Overdue" in html
    assert "5 working days after the placement began" in html
    assert "20 March 2026" not in html  # done: not due
    assert f"{_new(child)}?kind=placement_plan" in html
