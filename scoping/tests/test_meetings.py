"""Risk Management Scoping Meetings (seed 000): convening, Child N, invitees, actions as
duties, finalising and what follows, who may open a meeting, and no child's name anywhere."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties import alerts
from duties.models import Alert, Duty, Notification
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping import meetings
from scoping.models import (
    MeetingAction,
    MeetingInvitee,
    RiskAssessment,
    ScopingMeeting,
    ScopingRequest,
)

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2026, 11, 10)  # a Tuesday
NOW = datetime(2026, 11, 10, 10, tzinfo=UTC)
# Names that appear nowhere else on a page, so that finding one is a leak.
NAMES = {
    "own": ("Zephyrine", "Quillfeather"),
    "second": ("Bartholomew", "Oakenshield"),
    "other": ("Ottoline", "Marchbanks"),
}


class FakeHTML:
    """WeasyPrint stand-in: the PDF is its HTML, so a test can read it."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, *args, **kwargs):
        return self.string.encode()


@pytest.fixture(autouse=True)
def fake_pdf(monkeypatch):
    monkeypatch.setattr("weasyprint.HTML", FakeHTML)


@pytest.fixture
def world(social_worker, other_team_worker, lado, iro):
    setting = SettingFactory(name="Larch House", urn="SC900001")
    setting.provider.name = "Larch Care Ltd"
    setting.provider.save()
    children = {}
    for key, worker, child_id in (
        ("own", social_worker, "M100002"),
        ("second", social_worker, "M100001"),
        ("other", other_team_worker, "M100003"),
    ):
        first, last = NAMES[key]
        child = ChildFactory(
            child_id=child_id,
            first_name=first,
            last_name=last,
            team=worker.team,
            social_worker=worker,
            iro=iro,
        )
        PlacementFactory(child=child, setting=setting, decom=date(2026, 1, 5))
        children[key] = child
    # Placed elsewhere: not at the meeting.
    ChildFactory(first_name="Elsewhere", last_name="Nobody")
    ra = RiskAssessment.objects.create(
        child=children["own"],
        setting=setting,
        trigger=RiskAssessment.Trigger.INADEQUATE,
        owner=social_worker,
        opened_on=date(2026, 11, 2),
        due=date(2026, 11, 7),
    )
    return {"setting": setting, "ra": ra, **children}


def convene(world, lado, **extra):
    fields = {
        "setting": world["setting"],
        "actor": lado,
        "on": MEETING_DAY,
        "at": time(14, 30),
        "location": "Room 2, Sessions House",
        **extra,
    }
    return meetings.meeting_convene(**fields)


def approved_request(world, requester, **extra):
    request = ScopingRequest.objects.create(
        setting=world["setting"],
        route=ScopingRequest.Route.PROFESSIONAL,
        status=ScopingRequest.Status.APPROVED,
        requested_by=requester,
        requested_at=NOW,
        concerns="Restraint is used often and not recorded.",
        **extra,
    )
    Duty.objects.create(
        kind="scoping_meeting",
        subject=f"scoping_request:{request.pk}:convene",
        setting=world["setting"],
        due=MEETING_DAY,
    )
    return request


def decide(meeting, lado, **fields):
    data = {
        "provision_decision": ScopingMeeting.Provision.CONTINUE,
        "review_date": date(2026, 12, 8),
        **fields,
    }
    return meetings.meeting_minutes_save(meeting=meeting, actor=lado, data=data)


def deadlines(as_of, kind):
    out = io.StringIO()
    call_command("deadlines", "--as-of", as_of, "--kind", kind, stdout=out)
    return out.getvalue().splitlines()[1:]


# --- Convening ------------------------------------------------------------------------------


def test_convening_lists_the_children_as_child_n_with_initials(world, lado, social_worker):
    route_1 = Duty.objects.create(
        kind="scoping_meeting",
        subject=f"setting:{world['setting'].pk}:scoping",
        setting=world["setting"],
        due=MEETING_DAY,
    )
    with time_machine.travel(NOW, tick=False):
        meeting = convene(world, lado)
    rows = list(meeting.children.all())
    # A stable order: by 903 ID.
    assert [(c.number, c.initials, c.child) for c in rows] == [
        (1, "BO", world["second"]),
        (2, "ZQ", world["own"]),
        (3, "OM", world["other"]),
    ]
    assert rows[1].risk_assessment == world["ra"]
    assert meeting.chair == lado
    route_1.refresh_from_db()
    assert (route_1.status, route_1.done_on) == ("done", MEETING_DAY)
    invited = {i.user for i in meeting.invitees.all()}
    assert invited == {lado, social_worker, world["other"].social_worker}
    assert meeting.history.first().history_user == lado


def test_convening_from_a_request_marks_it_convened_and_invites_the_requester(
    world, lado, team_manager
):
    request = approved_request(world, team_manager)
    with time_machine.travel(NOW, tick=False):
        meeting = convene(world, lado, request=request)
    request.refresh_from_db()
    assert request.status == ScopingRequest.Status.CONVENED
    duty = Duty.objects.get(subject=f"scoping_request:{request.pk}:convene")
    assert duty.status == "done"
    assert meeting.invitees.filter(user=team_manager).exists()
    assert meeting.summary == request.concerns
    # Convened once: a second attempt is refused.
    with pytest.raises(ValidationError):
        convene(world, lado, request=request)


def test_only_the_lado_service_convenes(world, social_worker, assistant_director):
    for user in (social_worker, assistant_director):
        with pytest.raises(PermissionDenied):
            convene(world, user)
    assert not ScopingMeeting.objects.exists()


def test_the_chair_must_be_lado(world, lado, social_worker):
    with pytest.raises(ValidationError) as invalid:
        convene(world, lado, chair=social_worker)
    assert "chair" in invalid.value.message_dict


def test_the_default_chair_is_the_lado_service_manager(world, lado):
    UserFactory(username="lado2", role=Role.LADO, team=None)
    assert meetings.lado_service_manager() == lado


def test_initials():
    assert meetings.initials("amy-rose", "o'neil") == "AO"
    assert meetings.initials(" Zed ", "") == "Z"


# --- Invitees -------------------------------------------------------------------------------


def test_the_provider_is_never_invited(world, lado):
    meeting = convene(world, lado)
    with pytest.raises(ValidationError) as invalid:
        meetings.invitee_add(
            meeting=meeting,
            actor=lado,
            name="Morgan Owner",
            role="Responsible individual",
            organisation="  larch CARE   ltd ",
        )
    assert "provider is never invited" in invalid.value.message_dict["organisation"][0]
    nurse = meetings.invitee_add(
        meeting=meeting,
        actor=lado,
        name="Nia Nurse",
        role="Designated nurse",
        organisation="Kent and Medway ICB",
        health_professional=True,
    )
    assert nurse.health_professional


def test_the_provider_refusal_is_shown_beside_the_field(client, world, lado):
    meeting = convene(world, lado)
    client.force_login(lado)
    url = reverse("scoping:meeting_invitees", kwargs={"pk": meeting.pk})
    page = client.post(
        url, {"name": "Morgan Owner", "role": "Manager", "organisation": "Larch Care Ltd"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in text
    assert 'id="id_organisation_1_error"' in text
    assert not meeting.invitees.filter(name="Morgan Owner").exists()


def test_attendance_and_withdrawal(world, lado, social_worker):
    meeting = convene(world, lado)
    sw = meeting.invitees.get(user=social_worker)
    meetings.attendance_save(meeting=meeting, actor=lado, attendance={sw.pk: "apologies"})
    sw.refresh_from_db()
    assert sw.attendance == MeetingInvitee.Attendance.APOLOGIES
    meetings.invitee_remove(invitee=sw, actor=lado)
    assert not meeting.invitees.filter(user=social_worker).exists()
    chair = meeting.invitees.get(user=lado)
    with pytest.raises(ValidationError):
        meetings.invitee_remove(invitee=chair, actor=lado)


def test_health_concerns_need_a_health_professional_to_finalise(world, lado, team_manager):
    request = approved_request(world, team_manager, health_concerns=True)
    meeting = convene(world, lado, request=request)
    decide(meeting, lado)
    assert None in meetings.finalise_errors(meeting)
    meetings.invitee_add(
        meeting=meeting, actor=lado, name="Nia Nurse", role="Nurse", health_professional=True
    )
    meetings.meeting_finalise(meeting=meeting, actor=lado)


# --- Actions --------------------------------------------------------------------------------


def _add_action(meeting, lado, owner, number=1, deadline=date(2026, 11, 20)):
    return meetings.action_add(
        meeting=meeting,
        actor=lado,
        action="Visit the child and update the risk assessment.",
        owner=owner,
        deadline=deadline,
        meeting_child=meeting.children.get(number=number),
    )


def test_an_action_is_a_duty_in_deadlines_and_the_owners_worktray(
    client, world, lado, social_worker
):
    meeting = convene(world, lado)
    action = _add_action(meeting, lado, social_worker)
    duty = Duty.objects.get(kind="scoping_action", subject=f"scoping_action:{action.pk}")
    assert (duty.owner, duty.team, duty.setting, duty.child, duty.due) == (
        social_worker,
        social_worker.team,
        world["setting"],
        None,
        date(2026, 11, 20),
    )
    assert "Child 1" in duty.basis
    for first, last in NAMES.values():
        assert first not in duty.basis and last not in duty.basis
    row = "scoping_action,,SC900001,2026-11-20,{},sw"
    assert deadlines("2026-11-19", "scoping_action") == [row.format("open")]
    assert deadlines("2026-11-20", "scoping_action") == [row.format("open")]
    assert deadlines("2026-11-21", "scoping_action") == [row.format("overdue")]
    note = Notification.objects.get(user=social_worker, key=f"scoping_action:{action.pk}")
    assert note.url == reverse("scoping:action", kwargs={"pk": action.pk})

    client.force_login(social_worker)
    with time_machine.travel(datetime(2026, 11, 16, 10, tzinfo=UTC)):
        page = client.get(reverse("duties:worktray")).content.decode()
    assert "Scoping meeting action" in page
    assert reverse("scoping:action", kwargs={"pk": action.pk}) in page


def test_an_action_raises_an_overdue_alert_the_day_after_its_deadline(world, lado, social_worker):
    meeting = convene(world, lado)
    action = _add_action(meeting, lado, social_worker)
    duty = Duty.objects.get(subject=f"scoping_action:{action.pk}")
    alerts.sweep(today=date(2026, 11, 20), now=datetime(2026, 11, 20, 12, tzinfo=UTC))
    assert not Alert.objects.filter(duty=duty, level="overdue").exists()
    alerts.sweep(today=date(2026, 11, 21), now=datetime(2026, 11, 21, 12, tzinfo=UTC))
    assert Alert.objects.filter(duty=duty, level="overdue").exists()
    subjects = Notification.objects.filter(alert__duty=duty).values_list("subject", flat=True)
    assert any(s.startswith("Overdue: Scoping meeting action") for s in subjects)
    for subject in subjects:
        for first, last in NAMES.values():
            assert first not in subject and last not in subject


def test_a_done_action_closes_its_duty_and_raises_no_alert(world, lado, social_worker):
    meeting = convene(world, lado)
    action = _add_action(meeting, lado, social_worker)
    with pytest.raises(ValidationError):
        meetings.action_done(action=action, actor=social_worker, outcome=" ")
    meetings.action_done(
        action=action, actor=social_worker, outcome="Visited.", today=date(2026, 11, 18)
    )
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", date(2026, 11, 18))
    assert Duty.objects.get(subject=f"scoping_action:{action.pk}").status == "done"
    alerts.sweep(today=date(2026, 11, 23), now=datetime(2026, 11, 23, 12, tzinfo=UTC))
    assert not Alert.objects.filter(duty__subject=f"scoping_action:{action.pk}").exists()


def test_only_the_owner_or_lado_marks_an_action_done(world, lado, social_worker, team_manager):
    meeting = convene(world, lado)
    action = _add_action(meeting, lado, social_worker)
    with pytest.raises(PermissionDenied):
        meetings.action_done(action=action, actor=team_manager, outcome="Done")


def test_an_action_needs_an_active_owner_and_a_deadline(world, lado):
    meeting = convene(world, lado)
    gone = UserFactory(username="gone", is_active=False)
    with pytest.raises(ValidationError) as invalid:
        meetings.action_add(
            meeting=meeting, actor=lado, action="", owner=gone, deadline=date(2026, 1, 1)
        )
    assert set(invalid.value.message_dict) == {"action", "owner", "deadline"}
    assert not MeetingAction.objects.exists()


def test_the_owner_sees_the_action_but_not_the_minutes(client, world, lado, team_manager):
    meeting = convene(world, lado)
    action = _add_action(meeting, lado, team_manager)  # not an invitee
    client.force_login(team_manager)
    page = client.get(reverse("scoping:action", kwargs={"pk": action.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Child 1 (BO)" in text
    assert reverse("scoping:meeting", kwargs={"pk": meeting.pk}) not in text
    assert client.get(reverse("scoping:meeting", kwargs={"pk": meeting.pk})).status_code == 404
    done = client.post(reverse("scoping:action_done", kwargs={"pk": action.pk}), {"outcome": ""})
    assert "There is a problem" in done.content.decode()
    done = client.post(
        reverse("scoping:action_done", kwargs={"pk": action.pk}), {"outcome": "Visited"}
    )
    assert done.status_code == 302
    assert MeetingAction.objects.get(pk=action.pk).status == "done"


# --- Finalising -----------------------------------------------------------------------------


def test_finalising_needs_a_decision_and_a_review_date_or_a_reason(world, lado):
    meeting = convene(world, lado)
    with pytest.raises(ValidationError) as invalid:
        meetings.meeting_finalise(meeting=meeting, actor=lado)
    assert set(invalid.value.message_dict) == {"provision_decision", "review_date"}
    decide(meeting, lado, review_date=None, no_review_reason="The home is closing.")
    meetings.meeting_finalise(meeting=meeting, actor=lado)
    assert not Duty.objects.filter(subject__startswith=f"meeting:{meeting.pk}").exists()


def test_conditions_are_required_for_continued_use_with_conditions(world, lado):
    meeting = convene(world, lado)
    with pytest.raises(ValidationError) as invalid:
        decide(meeting, lado, provision_decision="conditions", conditions="")
    assert "conditions" in invalid.value.message_dict
    decide(meeting, lado, provision_decision="conditions", conditions="Waking night staff.")
    meeting.refresh_from_db()
    assert meeting.conditions == "Waking night staff."


def test_the_review_date_becomes_the_next_meetings_duty(world, lado):
    meeting = convene(world, lado)
    decide(meeting, lado)
    with time_machine.travel(NOW, tick=False):
        meetings.meeting_finalise(meeting=meeting, actor=lado)
    duty = Duty.objects.get(kind="scoping_meeting", subject=f"meeting:{meeting.pk}:review")
    assert (duty.due, duty.team, duty.owner) == (date(2026, 12, 8), lado.team, None)
    assert duty.link == reverse("scoping:meeting", kwargs={"pk": meeting.pk})
    # The review meeting discharges it.
    review = convene(world, lado, previous=meeting, on=date(2026, 12, 8))
    duty.refresh_from_db()
    assert duty.status == "done"
    assert review.previous == meeting


def test_no_longer_used_suspends_and_opens_a_planning_duty_per_child(
    world, lado, social_worker, other_team_worker
):
    meeting = convene(world, lado)
    decide(meeting, lado, provision_decision="no_longer")
    with time_machine.travel(NOW, tick=False):
        meetings.meeting_finalise(meeting=meeting, actor=lado)
        # Finalising again opens nothing twice.
        meetings.meeting_finalise(meeting=meeting, actor=lado)
    setting = world["setting"]
    setting.refresh_from_db()
    assert setting.referrals_suspended
    assert "can no longer be used" in setting.referrals_suspended_reason
    duties = Duty.objects.filter(kind="placement_planning").order_by("child__child_id")
    assert [(d.child, d.owner, d.due) for d in duties] == [
        (world["second"], social_worker, date(2026, 11, 17)),
        (world["own"], social_worker, date(2026, 11, 17)),
        (world["other"], other_team_worker, date(2026, 11, 17)),
    ]
    assert Duty.objects.filter(subject=f"meeting:{meeting.pk}:review").count() == 1
    note = Notification.objects.get(user=social_worker, key=f"meeting:{meeting.pk}:planning")
    assert "M100001" in note.body and "M100002" in note.body
    for first, last in NAMES.values():
        assert first not in note.body + note.subject and last not in note.body


def test_a_finalised_meeting_cannot_be_changed(world, lado, social_worker):
    meeting = convene(world, lado)
    decide(meeting, lado)
    meetings.meeting_finalise(meeting=meeting, actor=lado)
    with pytest.raises(meetings.MeetingFinalised):
        decide(meeting, lado, discussions="Afterwards")
    with pytest.raises(meetings.MeetingFinalised):
        _add_action(meeting, lado, social_worker)


# --- Who sees a meeting ---------------------------------------------------------------------


def _urls(meeting):
    return [
        reverse(name, kwargs={"pk": meeting.pk})
        for name in ("scoping:meeting", "scoping:meeting_pdf", "scoping:meeting_csv")
    ]


def test_outsiders_get_404_for_page_pdf_and_csv(
    client, world, lado, social_worker, other_team_worker, team_manager, iro, commissioning
):
    meeting = convene(world, lado)
    meetings.invitee_remove(invitee=meeting.invitees.get(user=other_team_worker), actor=lado)
    for outsider in (other_team_worker, team_manager, iro, commissioning):
        client.force_login(outsider)
        for url in _urls(meeting):
            assert client.get(url).status_code == 404, (outsider, url)
        assert list(client.get(reverse("scoping:meetings")).context["meetings"]) == []


def test_invitees_lado_and_ad_open_page_pdf_and_csv(
    client, world, lado, social_worker, assistant_director
):
    meeting = convene(world, lado)
    for user in (social_worker, lado, assistant_director):
        client.force_login(user)
        for url in _urls(meeting):
            assert client.get(url).status_code == 200, (user, url)


def test_only_lado_changes_a_meeting(client, world, lado, social_worker, assistant_director):
    meeting = convene(world, lado)
    url = reverse("scoping:meeting_minutes", kwargs={"pk": meeting.pk})
    for user in (social_worker, assistant_director):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(lado)
    assert client.get(url).status_code == 200


# --- No child's name ------------------------------------------------------------------------


def test_no_page_pdf_or_csv_names_a_child(client, world, lado, social_worker):
    meeting = convene(world, lado)
    for number in (1, 2, 3):
        _add_action(meeting, lado, social_worker, number=number)
    meetings.child_review_save(
        meeting_child=meeting.children.get(number=1),
        actor=lado,
        data={"wishes_and_feelings": "Wants to stay near school."},
    )
    decide(meeting, lado, discussions="Restraint logs reviewed.")
    meetings.meeting_finalise(meeting=meeting, actor=lado)
    client.force_login(lado)
    pages = {
        "page": client.get(reverse("scoping:meeting", kwargs={"pk": meeting.pk})),
        "pdf": client.get(reverse("scoping:meeting_pdf", kwargs={"pk": meeting.pk})),
        "csv": client.get(reverse("scoping:meeting_csv", kwargs={"pk": meeting.pk})),
        "list": client.get(reverse("scoping:meetings")),
        "action": client.get(reverse("scoping:action", kwargs={"pk": meeting.actions.first().pk})),
    }
    texts = {}
    for key, response in pages.items():
        assert response.status_code == 200, key
        body = b"".join(response.streaming_content) if response.streaming else response.content
        texts[key] = body.decode()
    assert "Child 1 – BO" in texts["page"] and "Child 2 – ZQ" in texts["page"]
    assert "Child 1 – BO" in texts["pdf"]
    assert "STRICTLY PRIVATE AND CONFIDENTIAL" in texts["pdf"]
    assert "IMPORTANT - NOTE BEFORE" in texts["pdf"]
    assert "In all investigations of organised or complex abuse" in texts["pdf"]
    assert "ACTIONS AND AGREED TIMESCALES" in texts["pdf"]
    assert "TIMESCALE AGREED TO COMPLETE ALL INDICATED ACTIONS BY" in texts["pdf"]
    assert "Child 3 (OM)" in texts["csv"]
    for key, text in texts.items():
        for first, last in NAMES.values():
            assert first not in text, (key, first)
            assert last not in text, (key, last)
        for child_id in ("M100001", "M100002", "M100003"):
            assert child_id not in text, (key, child_id)


# --- Query counts ---------------------------------------------------------------------------


def _grow(world, lado, social_worker, n):
    for i in range(n):
        m = convene(world, lado, on=date(2026, 11, 10 + i))
        _add_action(m, lado, social_worker)
        meetings.invitee_add(meeting=m, actor=lado, name=f"Guest {i}", role="Police")


def test_the_list_query_count_does_not_grow(
    client, world, lado, social_worker, django_assert_num_queries
):
    client.force_login(social_worker)
    _grow(world, lado, social_worker, 1)
    client.get(reverse("scoping:meetings"))  # warm the session
    with django_assert_num_queries(7):
        client.get(reverse("scoping:meetings"))
    _grow(world, lado, social_worker, 4)
    with django_assert_num_queries(7):
        page = client.get(reverse("scoping:meetings"))
    assert len(page.context["meetings"]) == 5


def test_the_meeting_page_query_count_does_not_grow(
    client, world, lado, social_worker, django_assert_num_queries
):
    client.force_login(lado)
    meeting = convene(world, lado)
    url = reverse("scoping:meeting", kwargs={"pk": meeting.pk})
    client.get(url)
    with django_assert_num_queries(10):
        client.get(url)
    for i in range(5):
        _add_action(meeting, lado, social_worker, number=1 + i % 3)
        meetings.invitee_add(meeting=meeting, actor=lado, name=f"Guest {i}", role="Police")
    with django_assert_num_queries(10):
        client.get(url)


# --- The pages that convene -----------------------------------------------------------------


def test_lado_convenes_from_the_list_of_duties(client, world, lado, team_manager):
    request = approved_request(world, team_manager)
    client.force_login(lado)
    page = client.get(reverse("scoping:meetings")).content.decode()
    convene_url = (
        reverse("scoping:meeting_convene", kwargs={"pk": world["setting"].pk})
        + f"?request={request.pk}"
    )
    assert convene_url in page
    form = client.get(convene_url)
    assert form.status_code == 200
    refused = client.post(convene_url, {"request": request.pk, "location": ""})
    assert "There is a problem" in refused.content.decode()
    assert not ScopingMeeting.objects.exists()
    done = client.post(
        convene_url,
        {
            "request": request.pk,
            "date_0": "10",
            "date_1": "11",
            "date_2": "2026",
            "time": "14:30",
            "location": "Room 2",
            "chair": lado.pk,
        },
    )
    meeting = ScopingMeeting.objects.get()
    assert done.url == reverse("scoping:meeting", kwargs={"pk": meeting.pk})
    assert (meeting.request, meeting.date, meeting.time) == (request, MEETING_DAY, time(14, 30))
    assert reverse("scoping:meeting_convene", kwargs={"pk": world["setting"].pk}) not in (
        client.get(reverse("scoping:meetings")).content.decode()
    )


def test_staff_invitees_are_sent_the_invitation_once_naming_no_child(
    world, lado, social_worker, other_team_worker
):
    meeting = convene(world, lado)
    invited = Notification.objects.filter(key=f"meeting:{meeting.pk}:invite")
    # The children's social workers are invited at convening; the convener is not told.
    assert set(invited.values_list("user", flat=True)) == {social_worker.pk, other_team_worker.pk}
    note = invited.get(user=social_worker)
    assert note.url == reverse("scoping:meeting", kwargs={"pk": meeting.pk})
    assert "Larch House" in note.subject and "14:30" in note.body
    for first, last in NAMES.values():
        assert first not in note.body + note.subject and last not in note.body + note.subject
    extra = UserFactory(role=Role.TEAM_MANAGER, email="tm@example.gov.uk")
    meetings.invitee_add(meeting=meeting, actor=lado, user=extra)
    assert invited.get(user=extra).email_status == Notification.Email.PENDING
    meetings.invitee_add(meeting=meeting, actor=lado, name="Dr Ada Nurse", role="Designated nurse")
    assert invited.count() == 3
