"""The IRO reviews the first Purposeful Visiting Form of a placement (000_… line 137:
"Review first Purposeful Visiting Form completed by SW"; lines 294-297)."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Team
from accounts.tests.factories import TeamFactory, UserFactory
from duties import alerts
from duties.models import Duty, Notification, RuleValue
from duties.rules import LONDON
from placements import services as placement_services
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from visits import services
from visits.models import PvfReview, Visit, VisitKind
from visits.pvf_review import PVF_REVIEW, PvfReviewRules, review_due
from visits.tests.factories import VisitFactory
from visits.tests.test_recording import finish

SCRIPT = "<script>alert(1)</script>"


def travel(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)


@pytest.fixture
def setting(db):
    return SettingFactory(name="Elm House", urn="SC700001")


@pytest.fixture
def placement(social_worker, iro, setting):
    child = ChildFactory(
        child_id="P100001", team=social_worker.team, social_worker=social_worker, iro=iro
    )
    return PlacementFactory(child=child, setting=setting, decom=date(2026, 11, 2))


def draft(placement, actor, day: date, kind=VisitKind.PURPOSEFUL) -> Visit:
    visit = services.visit_start(
        child=placement.child,
        kind=kind,
        actor=actor,
        now=datetime.combine(day, time(9), tzinfo=LONDON),
    )
    return services.visit_save_draft(
        visit=visit,
        data={"visited_at": datetime.combine(day, time(8), tzinfo=LONDON)},
        actor=actor,
    )


def first_form(placement, actor, day: date, capture, kind=VisitKind.PURPOSEFUL) -> Visit:
    with travel(day):
        with capture(execute=True):
            visit = draft(placement, actor, day, kind)
        return finish(visit, actor, capture)


def review_duties(placement):
    return list(
        Duty.objects.filter(kind=PVF_REVIEW, placement=placement)
        .order_by("pk")
        .values_list("subject", "status", "due", "owner__username")
    )


# --- The rule -------------------------------------------------------------------------------


def test_ten_working_days_from_the_day_the_form_is_finished():
    rules = PvfReviewRules()
    # Friday 18 December 2026: Christmas, the substitute Boxing Day (Monday 28 December)
    # and New Year's Day do not count.
    assert review_due(date(2026, 12, 18), rules).due == date(2027, 1, 6)
    assert review_due(date(2026, 11, 2), rules).due == date(2026, 11, 16)
    assert "000_… line 137" in review_due(date(2026, 11, 2), rules).source


# --- The duty -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_form_of_a_placement_opens_a_duty_for_the_childs_iro(
    placement, social_worker, iro, capsys, django_capture_on_commit_callbacks
):
    visit = first_form(
        placement, social_worker, date(2026, 11, 2), django_capture_on_commit_callbacks
    )
    assert review_duties(placement) == [
        (f"pvf_review:{visit.pk}", "open", date(2026, 11, 16), iro.username)
    ]
    duty = Duty.objects.get(kind=PVF_REVIEW)
    assert duty.team == iro.team and duty.child == placement.child
    assert duty.setting == placement.setting
    assert duty.link == reverse("visits:pvf_review", args=[visit.pk])
    # deadlines: open on the due date, overdue the day after.
    call_command("deadlines", "--as-of", "2026-11-16", "--kind", PVF_REVIEW)
    call_command("deadlines", "--as-of", "2026-11-17", "--kind", PVF_REVIEW)
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        "kind,child,urn,due,status,owner",
        "pvf_review,P100001,SC700001,2026-11-16,open,iro",
        "kind,child,urn,due,status,owner",
        "pvf_review,P100001,SC700001,2026-11-16,overdue,iro",
    ]


@pytest.mark.django_db
def test_a_statutory_visit_form_counts_as_the_first_form(
    placement, social_worker, django_capture_on_commit_callbacks
):
    first_form(
        placement,
        social_worker,
        date(2026, 11, 3),
        django_capture_on_commit_callbacks,
        kind=VisitKind.STATUTORY,
    )
    assert [row[1] for row in review_duties(placement)] == ["open"]


@pytest.mark.django_db
def test_later_forms_amendments_and_resaving_open_no_second_duty(
    client, placement, social_worker, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    visit = first_form(placement, social_worker, date(2026, 11, 2), capture)
    first_form(placement, social_worker, date(2026, 11, 9), capture)
    with travel(date(2026, 11, 10)):
        amendment = services.visit_amend(visit=visit, reason="Typo", actor=social_worker)
        finish(amendment, social_worker, capture)
        # The finished visit saved again (a second click on "Finish"): nothing new.
        client.force_login(social_worker)
        client.post(reverse("visits:visit_edit", args=[visit.pk]), {"action": "finish"})
    assert review_duties(placement) == [
        (f"pvf_review:{visit.pk}", "open", date(2026, 11, 16), "iro")
    ]


@pytest.mark.django_db
def test_a_new_placement_has_its_own_first_form(
    placement, social_worker, setting, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    first_form(placement, social_worker, date(2026, 11, 2), capture)
    child = placement.child
    with travel(date(2026, 11, 20)), capture(execute=True):
        second = placement_services.placement_start(
            child=child,
            setting=SettingFactory(urn="SC700002"),
            start=date(2026, 11, 20),
            episode=placement_services.EpisodeCodes(
                rne="P", ls="C2", cin="N1", place="K2", place_provider="PR4"
            ),
            actor=social_worker,
            reason_place_change="CARPL",
        )
    first_form(second, social_worker, date(2026, 11, 23), capture)
    assert [r[1] for r in review_duties(second)] == ["open"]
    assert Duty.objects.filter(kind=PVF_REVIEW).count() == 2


@pytest.mark.django_db
def test_no_duty_for_imported_history_or_a_placement_with_an_earlier_form(
    placement, social_worker, django_capture_on_commit_callbacks
):
    # A form recorded before this duty existed (or imported): the next one is not the first.
    VisitFactory(child=placement.child, placement=placement, on=date(2026, 11, 2))
    first_form(placement, social_worker, date(2026, 11, 9), django_capture_on_commit_callbacks)
    assert review_duties(placement) == []


@pytest.mark.django_db
def test_an_iro_visit_is_not_the_social_workers_form(
    placement, iro, django_capture_on_commit_callbacks
):
    first_form(placement, iro, date(2026, 11, 2), django_capture_on_commit_callbacks, VisitKind.IRO)
    assert review_duties(placement) == []


@pytest.mark.django_db
def test_a_child_with_no_iro_has_the_duty_unallocated_in_the_iro_service(
    social_worker, setting, django_capture_on_commit_callbacks
):
    service = TeamFactory(name="IRO Service", kind=Team.Kind.IRO_SERVICE)
    iro_manager = UserFactory(role=Role.TEAM_MANAGER, team=service, email="tm.iro@example.org")
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=None)
    placement = PlacementFactory(child=child, setting=setting, decom=date(2026, 11, 2))
    first_form(placement, social_worker, date(2026, 11, 2), django_capture_on_commit_callbacks)
    duty = Duty.objects.get(kind=PVF_REVIEW)
    assert duty.owner is None and duty.team == service
    # As any unallocated duty: its team's managers are told when it falls due.
    with travel(date(2026, 11, 17)):
        alerts.create_alerts(
            today=date(2026, 11, 17), now=timezone.now(), batch_size=500, stats=alerts.Stats()
        )
    told = Notification.objects.filter(alert__duty=duty).values_list("user", flat=True)
    assert set(told) == {iro_manager.pk}


@pytest.mark.django_db
def test_a_newly_allocated_iro_takes_the_duty_over(
    placement, social_worker, team_manager, django_capture_on_commit_callbacks
):
    first_form(placement, social_worker, date(2026, 11, 2), django_capture_on_commit_callbacks)
    other_iro = UserFactory(role=Role.IRO, team=placement.child.iro.team, username="iro2")
    child = placement.child
    with travel(date(2026, 11, 5)):
        placement_services.child_allocate(
            child=child,
            social_worker=social_worker,
            iro=other_iro,
            actor=team_manager,
        )
    open_rows = Duty.objects.filter(kind=PVF_REVIEW, status=Duty.Status.OPEN)
    assert [(d.owner, d.due) for d in open_rows] == [(other_iro, date(2026, 11, 16))]
    # Allocating again, unchanged, moves nothing.
    with travel(date(2026, 11, 6)):
        placement_services.child_allocate(
            child=child, social_worker=social_worker, iro=other_iro, actor=team_manager
        )
    assert Duty.objects.filter(kind=PVF_REVIEW).count() == 2  # the old one, cancelled


@pytest.mark.django_db
def test_the_due_date_follows_the_rule_value(
    placement, social_worker, django_capture_on_commit_callbacks
):
    RuleValue.objects.filter(name="pvf_review_working_days").update(value=5)
    first_form(placement, social_worker, date(2026, 11, 2), django_capture_on_commit_callbacks)
    assert review_duties(placement)[0][2] == date(2026, 11, 9)


# --- The review page ------------------------------------------------------------------------

ANSWERS = {
    "satisfactory": "yes",
    "early_review_needed": "no",
    "escalation_needed": "no",
    "comments": f"A thorough visit. {SCRIPT}",
    "action": "",
}


@pytest.mark.django_db
def test_the_iro_records_the_review_and_the_duty_is_done(
    client, placement, social_worker, iro, django_capture_on_commit_callbacks
):
    visit = first_form(
        placement, social_worker, date(2026, 11, 2), django_capture_on_commit_callbacks
    )
    client.force_login(iro)
    url = reverse("visits:pvf_review", args=[visit.pk])
    with travel(date(2026, 11, 17)):
        page = client.get(reverse("visits:visit", args=[visit.pk])).content.decode()
        assert url in page  # "Review this visit form", on the visit's page
        assert client.get(url).status_code == 200
        response = client.post(url, ANSWERS)
    assert response.status_code == 302
    review = PvfReview.objects.get(visit=visit)
    assert (review.reviewed_by, review.reviewed_on, review.satisfactory) == (
        iro,
        date(2026, 11, 17),
        True,
    )
    duty = Duty.objects.get(kind=PVF_REVIEW)
    assert (duty.status, duty.done_on, duty.done_by) == (
        "done",
        date(2026, 11, 17),
        f"visit:{visit.pk}",
    )
    with travel(date(2026, 11, 17)):
        page = client.get(reverse("visits:visit", args=[visit.pk])).content.decode()
    assert "A thorough visit." in page and SCRIPT not in page
    # Changed later: the earlier answers are kept in its history.
    with travel(date(2026, 11, 18)):
        client.force_login(iro)  # a new day, a new session
        response = client.post(
            url, {**ANSWERS, "comments": "Second thoughts", "satisfactory": "no"}
        )
    assert response.status_code == 200  # refused beside the field
    assert PvfReview.objects.count() == 1
    refused = PvfReview.objects.get()
    assert refused.comments.startswith("A thorough")  # no action given: refused, unchanged
    with travel(date(2026, 11, 18)):
        response = client.post(
            url,
            {**ANSWERS, "comments": "Second thoughts", "satisfactory": "no", "action": "Call SW"},
        )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.comments, review.action, review.satisfactory) == (
        "Second thoughts",
        "Call SW",
        False,
    )
    assert [h.comments for h in review.history.order_by("history_date")] == [
        f"A thorough visit. {SCRIPT}",
        "Second thoughts",
    ]
    assert review.history.earliest().history_user == iro


@pytest.mark.django_db
def test_reviewing_an_amended_form_closes_the_duty_of_the_first_version(
    client, placement, social_worker, iro, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    visit = first_form(placement, social_worker, date(2026, 11, 2), capture)
    with travel(date(2026, 11, 3)):
        amendment = services.visit_amend(visit=visit, reason="Typo", actor=social_worker)
        finish(amendment, social_worker, capture)
    client.force_login(iro)
    with travel(date(2026, 11, 4)):
        # The duty's link (the first version) leads to the amended version.
        response = client.get(reverse("visits:pvf_review", args=[visit.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("visits:pvf_review", args=[amendment.pk])
        client.post(response["Location"], ANSWERS)
    assert Duty.objects.get(kind=PVF_REVIEW).status == "done"
    assert PvfReview.objects.get().visit == amendment


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"comments": "   "}, "comments", "Enter your comments on the visit form"),
        ({"satisfactory": ""}, "satisfactory", "Say whether the visit and the child's plan"),
        ({"satisfactory": "maybe"}, "satisfactory", "Say whether the visit and the child's plan"),
        ({"escalation_needed": "yes"}, "action", "Say what action is needed"),
        ({"early_review_needed": "yes"}, "action", "Say what action is needed"),
    ],
)
@pytest.mark.django_db
def test_a_refused_answer_is_explained_beside_its_field(
    client,
    placement,
    social_worker,
    iro,
    change,
    field,
    message,
    django_capture_on_commit_callbacks,
):
    visit = first_form(
        placement, social_worker, date(2026, 11, 2), django_capture_on_commit_callbacks
    )
    client.force_login(iro)
    response = client.post(reverse("visits:pvf_review", args=[visit.pk]), {**ANSWERS, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-message" in html
    assert not PvfReview.objects.exists()
    assert Duty.objects.get(kind=PVF_REVIEW).status == "open"


@pytest.mark.django_db
def test_only_the_childs_iro_may_review(
    client,
    placement,
    social_worker,
    team_manager,
    other_team_worker,
    django_capture_on_commit_callbacks,
):
    visit = first_form(
        placement, social_worker, date(2026, 11, 2), django_capture_on_commit_callbacks
    )
    url = reverse("visits:pvf_review", args=[visit.pk])
    another_iro = UserFactory(role=Role.IRO, team=placement.child.iro.team)
    for user, status in (
        (social_worker, 403),
        (team_manager, 403),
        (other_team_worker, 404),
        (another_iro, 404),  # an IRO sees only the children they review
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.post(url, ANSWERS).status_code == status, user
    assert not PvfReview.objects.exists()
    client.force_login(social_worker)
    page = client.get(reverse("visits:visit", args=[visit.pk])).content.decode()
    assert url not in page  # no button for those who may not review


@pytest.mark.django_db
def test_a_draft_is_not_reviewed(client, placement, social_worker, iro):
    with travel(date(2026, 11, 2)):
        visit = draft(placement, social_worker, date(2026, 11, 2))
    client.force_login(iro)
    response = client.post(reverse("visits:pvf_review", args=[visit.pk]), ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:visit", args=[visit.pk])
    assert not PvfReview.objects.exists()


@pytest.mark.django_db
def test_the_iro_sees_the_duty_in_their_worktray(
    client, placement, social_worker, iro, django_capture_on_commit_callbacks
):
    visit = first_form(
        placement, social_worker, date(2026, 11, 2), django_capture_on_commit_callbacks
    )
    client.force_login(iro)
    with travel(date(2026, 11, 3)):
        page = client.get(reverse("duties:worktray")).content.decode()
    assert "IRO review of the first Purposeful Visiting Form" in page
    assert reverse("visits:pvf_review", args=[visit.pk]) in page
