"""Recording a visit on the Purposeful Visiting Form: pages, drafts, finishing, amending."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Alert, AlertLevel, Notification
from placements.models import AccessLog
from placements.tests.factories import (
    ChildFactory,
    PlacementFactory,
    SettingFactory,
    UnregisteredSettingFactory,
)
from visits import services
from visits.models import Visit, VisitKind

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def setting(db):
    return SettingFactory(name="Willow House", address_line_1="1 Lime Road", town="Maidstone")


@pytest.fixture
def child(social_worker, setting):
    child = ChildFactory(
        team=social_worker.team,
        social_worker=social_worker,
        first_name="Ava",
        last_name="Ownteam",
        date_of_birth=date(2012, 5, 17),
    )
    PlacementFactory(child=child, setting=setting, decom=date(2025, 1, 6))
    return child


@pytest.fixture
def draft(child, social_worker):
    return services.visit_start(
        child=child, kind=VisitKind.PURPOSEFUL, actor=social_worker, now=NOW
    )


def complete_answers(**overrides) -> dict:
    """What a social worker types in a complete form, as the browser posts it."""
    answers = {
        "visitor_role": "Social worker",
        "visit_date_0": "9",
        "visit_date_1": "3",
        "visit_date_2": "2026",
        "visit_time": "14:30",
        "venue": "Willow House",
        "in_person": "yes",
        "within_timescales": "yes",
        "where_seen": "In her bedroom, then the lounge",
        "seen_alone": "yes",
        "bedroom_seen": "yes",
        "communication": "Staff talk with her directly; it works well.",
        "issues_discussed": "School, contact with her brother.",
        "views_wishes_feelings": "She is happy here and wants more contact.",
        "observations": "Warm relationships with staff.",
        "presentation": "Healthy, clean and cheerful.",
        "non_compliance": "None.",
        "additional_information": "Went to the cinema on Saturday.",
        "analysis": "The placement meets her needs.",
        "working_well": "Key worker relationship.",
        "worried_about": "Nothing at present.",
        "needs_to_happen": "Arrange contact with her brother.",
        "setting_overview": "Clean and homely; records up to date.",
        "doc_care_plan": "seen",
        "doc_daily_logs": "seen",
        "doc_incident_reports": "not_seen",
        "regulatory_reports_detail": "",
        "risk_factors": "None identified.",
        "escalate_to_line_manager": "no",
        "signature": "Sam Worker",
        "signed_on_0": "10",
        "signed_on_1": "3",
        "signed_on_2": "2026",
    }
    answers.update(overrides)
    return answers


def finish(client, visit, **overrides):
    data = complete_answers(**overrides)
    data["action"] = "finish"
    return client.post(reverse("visits:visit_edit", args=[visit.pk]), data)


def finished_visit(client, visit, **overrides) -> Visit:
    response = finish(client, visit, **overrides)
    assert response.status_code == 302, response.content.decode()[:3000]
    visit.refresh_from_db()
    assert visit.status == Visit.Status.FINISHED
    return visit


# --- Who may see and record -------------------------------------------------------------


def visit_urls(visit):
    return [
        reverse("visits:visit", args=[visit.pk]),
        reverse("visits:visit_edit", args=[visit.pk]),
        reverse("visits:visit_amend", args=[visit.pk]),
        reverse("visits:visit_pdf", args=[visit.pk]),
    ]


@pytest.mark.django_db
def test_another_teams_social_worker_gets_404_everywhere(client, other_team_worker, child, draft):
    client.force_login(other_team_worker)
    assert client.get(reverse("visits:child_visits", args=[child.pk])).status_code == 404
    response = client.post(reverse("visits:visit_new", args=[child.pk]), {"kind": "purposeful"})
    assert response.status_code == 404
    for url in visit_urls(draft):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Ownteam" not in response.content
    response = client.post(
        reverse("visits:visit_edit", args=[draft.pk]), {"action": "save", "venue": "Hacked"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.venue != "Hacked"


@pytest.mark.django_db
def test_social_worker_lists_visits_and_may_record_statutory_or_purposeful(
    client, social_worker, child, draft
):
    client.force_login(social_worker)
    response = client.get(reverse("visits:child_visits", args=[child.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Record a visit" in page
    assert 'value="statutory"' in page and 'value="purposeful"' in page
    assert 'value="iro"' not in page and 'value="commissioning"' not in page
    assert reverse("visits:visit", args=[draft.pk]) in page
    response = client.post(reverse("visits:visit_new", args=[child.pk]), {"kind": "statutory"})
    visit = Visit.objects.exclude(pk=draft.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("visits:visit_edit", args=[visit.pk])
    assert visit.kind == VisitKind.STATUTORY and visit.status == Visit.Status.DRAFT


@pytest.mark.django_db
def test_choosing_no_kind_shows_an_error(client, social_worker, child):
    client.force_login(social_worker)
    response = client.post(reverse("visits:visit_new", args=[child.pk]), {})
    assert response.status_code == 200
    assert "Choose the kind of visit" in response.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_iro_can_record_an_iro_visit_but_not_a_statutory_one(client, iro, child):
    child.iro = iro
    child.save()
    client.force_login(iro)
    page = client.get(reverse("visits:child_visits", args=[child.pk])).content.decode()
    assert 'value="iro"' in page and 'value="statutory"' not in page
    new = reverse("visits:visit_new", args=[child.pk])
    assert client.post(new, {"kind": "statutory"}).status_code == 403
    assert client.post(new, {"kind": "purposeful"}).status_code == 403
    assert not Visit.objects.exists()
    assert client.post(new, {"kind": "iro"}).status_code == 302
    assert Visit.objects.get().kind == VisitKind.IRO


@pytest.mark.django_db
def test_social_worker_cannot_record_iro_commissioning_or_service_manager_visits(
    client, social_worker, child
):
    client.force_login(social_worker)
    for kind in ("iro", "commissioning", "service_manager"):
        response = client.post(reverse("visits:visit_new", args=[child.pk]), {"kind": kind})
        assert response.status_code == 403, kind
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_commissioning_and_service_manager_record_their_own_kinds(
    client, commissioning, service_manager, child
):
    client.force_login(commissioning)
    new = reverse("visits:visit_new", args=[child.pk])
    assert client.post(new, {"kind": "statutory"}).status_code == 403
    assert client.post(new, {"kind": "commissioning"}).status_code == 302
    client.force_login(service_manager)
    assert client.post(new, {"kind": "service_manager"}).status_code == 302
    assert client.post(new, {"kind": "commissioning"}).status_code == 403
    assert sorted(Visit.objects.values_list("kind", flat=True)) == [
        "commissioning",
        "service_manager",
    ]


@pytest.mark.django_db
def test_new_visit_only_by_post(client, social_worker, child):
    client.force_login(social_worker)
    assert client.get(reverse("visits:visit_new", args=[child.pk])).status_code == 405


@pytest.mark.django_db
def test_visit_start_prefills_visitor_placement_and_setting(social_worker, child, setting):
    social_worker.job_title = "Senior social worker"
    social_worker.save()
    visit = services.visit_start(
        child=child, kind=VisitKind.STATUTORY, actor=social_worker, now=NOW
    )
    assert visit.visitor == social_worker
    assert visit.visitor_name == "Sam Worker"
    assert visit.visitor_role == "Senior social worker"
    assert visit.placement == child.placements.get()
    assert visit.setting == setting
    assert visit.venue == "Willow House, 1 Lime Road, Maidstone"
    assert visit.status == Visit.Status.DRAFT and visit.source == Visit.Source.BROWSER
    assert visit.history.get().history_user == social_worker


@pytest.mark.django_db
def test_visit_start_refuses_a_kind_the_role_cannot_record(iro, child):
    with pytest.raises(PermissionDenied):
        services.visit_start(child=child, kind=VisitKind.STATUTORY, actor=iro, now=NOW)


# --- Drafts ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_draft_saves_incomplete_answers(client, social_worker, draft):
    client.force_login(social_worker)
    response = client.post(
        reverse("visits:visit_edit", args=[draft.pk]),
        {"action": "save", "issues_discussed": "Half-written notes", "seen_alone": "no"},
    )
    assert response.status_code == 302
    assert response.url == reverse("visits:visit_edit", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Visit.Status.DRAFT
    assert draft.issues_discussed == "Half-written notes"
    assert draft.seen_alone is False
    assert draft.visited_at is None and draft.signature == ""
    page = client.get(response.url).content.decode()
    assert "Draft saved" in page
    assert "Half-written notes" in page
    assert f'data-draft-clear="visit-{draft.pk}-user-{social_worker.pk}"' in page
    # Only the page right after a save tells the browser to drop its copy.
    assert "data-draft-clear" not in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_draft_with_an_unreadable_time_keeps_everything_else(client, social_worker, draft):
    client.force_login(social_worker)
    response = client.post(
        reverse("visits:visit_edit", args=[draft.pk]),
        {
            "action": "save",
            "visit_date_0": "9",
            "visit_date_1": "3",
            "visit_date_2": "2026",
            "visit_time": "half two",
            "working_well": "Her key worker",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the time using the 24-hour clock" in page
    assert 'value="half two"' in page
    draft.refresh_from_db()
    assert draft.working_well == "Her key worker"
    assert draft.visited_at is None


@pytest.mark.django_db
def test_edit_page_shows_the_form_in_sections_with_the_draft_keeper(client, social_worker, draft):
    client.force_login(social_worker)
    page = client.get(reverse("visits:visit_edit", args=[draft.pk])).content.decode()
    for heading in (
        "Overview of visit",
        "Visit record",
        "Overview of setting or provision",
        "Reviewing of documents",
        "Additional information",
        "Signature",
    ):
        assert heading in page
    assert "Save as draft" in page and "Finish and sign" in page
    assert f'data-draft-key="visit-{draft.pk}-user-{social_worker.pk}"' in page
    assert "js/draft-keeper.js" in page
    assert 'type="radio" id="id_doc_visiting_log_2" name="doc_visiting_log" value="not_seen"' in (
        page
    )
    assert "<script>" not in page.split("<main")[1].split("draft-keeper.js")[0]


@pytest.mark.django_db
def test_only_the_visitor_or_their_line_manager_may_edit_a_draft(
    client, social_worker, team_manager, cic_team, draft
):
    colleague = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team, line_manager=team_manager)
    client.force_login(colleague)
    assert client.get(reverse("visits:visit", args=[draft.pk])).status_code == 200
    assert client.get(reverse("visits:visit_edit", args=[draft.pk])).status_code == 403
    response = client.post(
        reverse("visits:visit_edit", args=[draft.pk]), {"action": "save", "venue": "Elsewhere"}
    )
    assert response.status_code == 403
    client.force_login(team_manager)
    assert client.get(reverse("visits:visit_edit", args=[draft.pk])).status_code == 200
    response = client.post(
        reverse("visits:visit_edit", args=[draft.pk]), {"action": "save", "venue": "Garden"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.venue == "Garden"
    assert draft.history.first().history_user == team_manager


# --- Finishing --------------------------------------------------------------------------


@pytest.mark.django_db
def test_finish_rejects_an_incomplete_form_beside_the_fields_and_keeps_the_text(
    client, social_worker, draft
):
    client.force_login(social_worker)
    response = client.post(
        reverse("visits:visit_edit", args=[draft.pk]),
        {
            "action": "finish",
            "issues_discussed": "Typed before finishing",
            "within_timescales": "no",
            "seen_alone": "no",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Typed before finishing" in page
    for message in (
        "Enter the date and time of the visit",
        "Say why the visit was not within timescales",
        "Say who else was present, and their job positions",
        "Record the child or young person&#x27;s views, wishes and feelings",
        "Sign the form: type your name",
        "Enter the date of signature",
    ):
        assert message in page, message
    # Beside the field: the message sits in the question's form group.
    group = page.split('id="div_id_views_wishes_feelings"')[1].split("</textarea>")[0]
    assert "govuk-form-group--error" in group
    assert "govuk-error-message" in group and "views, wishes and feelings" in group
    # The error summary links to the radios themselves.
    assert 'href="#id_within_timescales_1"' not in page  # answered, so no error there
    assert 'href="#id_visit_date_0"' in page
    draft.refresh_from_db()
    assert draft.status == Visit.Status.DRAFT
    assert draft.issues_discussed == "Typed before finishing"  # saved as a draft all the same


@pytest.mark.django_db
def test_finish_links_unanswered_radios_in_the_error_summary(client, social_worker, draft):
    client.force_login(social_worker)
    response = finish(client, draft, within_timescales="", seen_alone="")
    page = response.content.decode()
    assert 'href="#id_within_timescales_1"' in page
    assert 'href="#id_seen_alone_1"' in page
    assert "Say whether the visit was within timescales" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"visit_date_0": "11"}, "visit_date", "must be in the past"),
        ({"visit_date_2": "2011"}, "visit_date", "before the child was born"),
        ({"signed_on_0": "8"}, "signed_on", "cannot be before the visit"),
        ({"signed_on_0": "11"}, "signed_on", "must be today or in the past"),
        ({"within_timescales": "no"}, "not_within_timescales_reason", "not within timescales"),
        ({"in_person": "no"}, "in_person", "virtual only where the guidance allows"),
        ({"venue": "  "}, "venue", "Enter the venue"),
    ],
)
def test_finish_checks(client, social_worker, draft, overrides, field, message):
    client.force_login(social_worker)
    response = finish(client, draft, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == Visit.Status.DRAFT


@pytest.mark.django_db
def test_a_visit_before_the_placement_is_allowed(client, social_worker, child):
    PlacementFactory(
        child=child, setting=SettingFactory(name="Cedar Lodge"), decom=date(2026, 4, 1)
    )
    child.placements.filter(decom=date(2025, 1, 6)).update(dec=date(2026, 3, 1), rec="E3")
    client.force_login(social_worker)
    visit = services.visit_start(
        child=child, kind=VisitKind.PURPOSEFUL, actor=social_worker, now=NOW
    )
    assert visit.setting.name == "Cedar Lodge"
    visit = finished_visit(client, visit)
    assert visit.placement.decom == date(2026, 4, 1)


@pytest.mark.django_db
def test_a_virtual_visit_is_allowed_to_an_unregistered_placement(client, social_worker, child):
    child.placements.update(setting=UnregisteredSettingFactory())
    client.force_login(social_worker)
    visit = services.visit_start(
        child=child, kind=VisitKind.PURPOSEFUL, actor=social_worker, now=NOW
    )
    visit = finished_visit(client, visit, in_person="no")
    assert visit.in_person is False


@pytest.mark.django_db
def test_finishing_signs_the_visit_off(client, social_worker, draft):
    client.force_login(social_worker)
    response = finish(client, draft)
    assert response.url == reverse("visits:visit", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Visit.Status.FINISHED
    assert draft.finished_at == NOW
    assert draft.visited_at == datetime(2026, 3, 9, 14, 30, tzinfo=LONDON)
    assert draft.signed_on == date(2026, 3, 10)
    assert draft.doc_daily_logs == "seen" and draft.doc_incident_reports == "not_seen"
    assert draft.doc_visiting_log == ""
    assert draft.history.first().history_user == social_worker
    page = client.get(response.url).content.decode()
    assert "Visit finished and signed." in page
    assert reverse("visits:visit_pdf", args=[draft.pk]) in page
    assert "Amend this visit" in page
    assert f'data-draft-clear="visit-{draft.pk}-user-{social_worker.pk}"' in page


@pytest.mark.django_db
def test_a_finished_visit_cannot_be_edited(client, social_worker, draft):
    client.force_login(social_worker)
    visit = finished_visit(client, draft)
    edit = reverse("visits:visit_edit", args=[visit.pk])
    response = client.get(edit)
    assert response.status_code == 302 and response.url == reverse("visits:visit", args=[visit.pk])
    response = client.post(edit, complete_answers(action="save", venue="Changed"))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.venue == "Willow House"
    with pytest.raises(services.VisitLocked):
        services.visit_save_draft(visit=visit, data={"venue": "Changed"}, actor=social_worker)
    with pytest.raises(services.VisitLocked):
        services.visit_finish(visit=visit, data={}, actor=social_worker, now=NOW)


@pytest.mark.django_db
def test_finishing_refreshes_the_childs_duties_after_commit(
    social_worker, draft, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        services, "refresh_for_children", lambda ids, today=None: calls.append(list(ids))
    )
    data = services.visit_save_draft(visit=draft, data={}, actor=social_worker)
    from visits.forms import VisitForm

    form = VisitForm(complete_answers(), visit=data)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_finish(visit=draft, data=form.visit_data(), actor=social_worker, now=NOW)
    assert calls == [[draft.child_id]]


# --- Escalation -------------------------------------------------------------------------


@pytest.mark.django_db
def test_escalating_tells_the_line_manager_once(client, social_worker, team_manager, draft):
    client.force_login(social_worker)
    response = finish(client, draft, escalate_to_line_manager="yes")
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.user == team_manager
    assert notification.key == f"visit-escalation:{draft.pk}"
    assert notification.email_status == Notification.Email.PENDING
    assert notification.url == reverse("visits:visit", args=[draft.pk])
    child = draft.child
    assert child.child_id in notification.subject
    assert child.first_name not in notification.subject
    assert child.last_name not in notification.subject
    assert child.last_name not in notification.body
    assert Alert.objects.get().level == AlertLevel.ESCALATED
    page = client.get(response.url).content.decode()
    assert f"{team_manager} has been told, as your line manager." in page
    # However finish comes again (a double click, a retry), there is one notification.
    response = finish(client, draft, escalate_to_line_manager="yes")
    with pytest.raises(services.VisitLocked):
        services.visit_finish(visit=draft, data={}, actor=social_worker, now=NOW)
    draft.refresh_from_db()
    services._escalate(draft)
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_no_escalation_no_notification(client, social_worker, draft):
    client.force_login(social_worker)
    finished_visit(client, draft)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_escalating_without_a_line_manager_says_so(client, cic_team, child):
    loner = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team, line_manager=None)
    client.force_login(loner)
    visit = services.visit_start(child=child, kind=VisitKind.STATUTORY, actor=loner, now=NOW)
    response = finish(client, visit, escalate_to_line_manager="yes")
    assert response.status_code == 302
    assert not Notification.objects.exists()
    assert (
        "tell your manager about this visit yourself" in client.get(response.url).content.decode()
    )


# --- Amending ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_amending_keeps_both_versions(client, social_worker, draft):
    client.force_login(social_worker)
    original = finished_visit(client, draft)
    amend = reverse("visits:visit_amend", args=[original.pk])
    assert client.get(amend).status_code == 200
    response = client.post(amend, {"reason": ""})
    assert response.status_code == 200
    assert "Say why the visit record needs amending" in response.content.decode()
    response = client.post(amend, {"reason": "Wrong time recorded"})
    amendment = Visit.objects.get(supersedes=original)
    assert response.url == reverse("visits:visit_edit", args=[amendment.pk])
    assert amendment.status == Visit.Status.DRAFT
    assert amendment.amendment_reason == "Wrong time recorded"
    assert amendment.issues_discussed == original.issues_discussed
    assert amendment.visited_at == original.visited_at
    assert amendment.signature == "" and amendment.signed_on is None  # signed again
    # Asking again carries on with the same amendment.
    assert client.post(amend, {"reason": "Again"}).url == response.url
    original.refresh_from_db()
    assert original.status == Visit.Status.FINISHED
    page = client.get(reverse("visits:visit_edit", args=[amendment.pk])).content.decode()
    assert "Wrong time recorded" in page
    assert 'name="visit_time" value="14:30"' in page
    assert 'name="visit_date_0" value="9"' in page

    finished_visit(client, amendment, visit_time="15:45")
    original.refresh_from_db()
    assert original.status == Visit.Status.SUPERSEDED
    assert original.visited_at == datetime(2026, 3, 9, 14, 30, tzinfo=LONDON)
    assert amendment.visited_at == datetime(2026, 3, 9, 15, 45, tzinfo=LONDON)
    assert Visit.objects.count() == 2
    page = client.get(reverse("visits:visit", args=[original.pk])).content.decode()
    assert "This version was amended" in page
    assert "Amend this visit" not in page
    response = client.post(amend, {"reason": "Once more"})
    assert response.status_code == 302
    assert Visit.objects.count() == 2


@pytest.mark.django_db
def test_amending_is_refused_to_others(client, social_worker, other_team_worker, cic_team, draft):
    client.force_login(social_worker)
    visit = finished_visit(client, draft)
    amend = reverse("visits:visit_amend", args=[visit.pk])
    client.force_login(other_team_worker)
    assert client.post(amend, {"reason": "x"}).status_code == 404
    colleague = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team)
    client.force_login(colleague)
    assert client.get(amend).status_code == 403
    assert client.post(amend, {"reason": "x"}).status_code == 403
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_a_draft_cannot_be_amended(client, social_worker, draft):
    client.force_login(social_worker)
    response = client.get(reverse("visits:visit_amend", args=[draft.pk]))
    assert response.status_code == 302
    with pytest.raises(services.VisitLocked):
        services.visit_amend(visit=draft, reason="x", actor=social_worker)


@pytest.mark.django_db
def test_amend_service_needs_a_reason(client, social_worker, draft):
    client.force_login(social_worker)
    visit = finished_visit(client, draft)
    with pytest.raises(ValidationError):
        services.visit_amend(visit=visit, reason="  ", actor=social_worker)


# --- What the page shows ----------------------------------------------------------------


@pytest.mark.django_db
def test_free_text_is_escaped_on_the_pages(client, social_worker, draft):
    client.force_login(social_worker)
    visit = finished_visit(client, draft, issues_discussed=SCRIPT, venue=SCRIPT)
    for url in (
        reverse("visits:visit", args=[visit.pk]),
        reverse("visits:child_visits", args=[visit.child_id]),
    ):
        page = client.get(url).content.decode()
        assert SCRIPT not in page
    page = client.get(reverse("visits:visit", args=[visit.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


@pytest.mark.django_db
def test_a_restricted_childs_visits_are_logged(client, social_worker, child, draft):
    child.restricted = True
    child.save()
    client.force_login(social_worker)
    client.get(reverse("visits:visit", args=[draft.pk]))
    assert AccessLog.objects.filter(
        child=child, action=AccessLog.Action.VIEW_RESTRICTED, user=social_worker
    ).exists()


@pytest.mark.django_db
def test_visit_list_queries_do_not_grow(client, social_worker, child, django_assert_num_queries):
    client.force_login(social_worker)
    url = reverse("visits:child_visits", args=[child.pk])
    services.visit_start(child=child, kind=VisitKind.STATUTORY, actor=social_worker, now=NOW)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(6):
        services.visit_start(child=child, kind=VisitKind.PURPOSEFUL, actor=social_worker, now=NOW)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Not dated yet") == 7


@pytest.mark.django_db
def test_imported_history_is_amended_by_whoever_records_that_kind(
    client, social_worker, iro, child
):
    imported = Visit.objects.create(
        child=child,
        kind=VisitKind.STATUTORY,
        status=Visit.Status.FINISHED,
        source=Visit.Source.IMPORT,
        visitor_name="Pat Former",
        visited_at=datetime(2025, 5, 20, 12, 0, tzinfo=LONDON),
    )
    child.iro = iro
    child.save()
    client.force_login(iro)
    amend = reverse("visits:visit_amend", args=[imported.pk])
    assert client.post(amend, {"reason": "x"}).status_code == 403
    client.force_login(social_worker)
    response = client.post(amend, {"reason": "Add the notes from the paper file"})
    amendment = Visit.objects.get(supersedes=imported)
    assert response.url == reverse("visits:visit_edit", args=[amendment.pk])
    assert amendment.visitor is None and amendment.visitor_name == "Pat Former"
    assert client.get(response.url).status_code == 200
    finished_visit(client, amendment)
    imported.refresh_from_db()
    assert imported.status == Visit.Status.SUPERSEDED
