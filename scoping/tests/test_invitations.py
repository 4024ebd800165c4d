"""Scoping meeting invitations (seed 000, line 313): other professionals by email, and
everyone invited told once of each change of the meeting's date, time or place."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Notification
from scoping import invitations, meetings
from scoping.models import InviteeEmail, ScopingMeeting
from scoping.tests import test_meetings as base
from scoping.tests.test_meetings import NAMES, convene

# The meetings' fixtures: the world of test_meetings, and its PDF stand-in.
world = base.world
fake_pdf = base.fake_pdf

pytestmark = pytest.mark.django_db

NURSE = {"name": "Dr Ada Nurse", "role": "Designated nurse", "organisation": "Kent ICB"}


def details(meeting, **changes):
    return {
        "date": meeting.date,
        "time": meeting.time,
        "location": meeting.location,
        "chair": meeting.chair,
        **changes,
    }


def add_nurse(meeting, lado, email="ada.nurse@nhs.example", **extra):
    fields = {**NURSE, "email": email, **extra}
    return meetings.invitee_add(meeting=meeting, actor=lado, **fields)


def no_child_in(text: str, meeting: ScopingMeeting) -> None:
    for first, last in NAMES.values():
        assert first not in text and last not in text
    for child in meeting.children.all():
        assert child.child.child_id not in text
        assert f"({child.initials})" not in text
    assert "Child 1" not in text


@pytest.fixture
def lado_with_email(lado):
    lado.email = "lado.manager@kent.example"
    lado.save()
    return lado


def test_another_professional_is_sent_the_invitation_by_email_once(
    world, lado_with_email, django_capture_on_commit_callbacks
):
    lado = lado_with_email
    meeting = convene(world, lado)
    with django_capture_on_commit_callbacks(execute=True):
        nurse = add_nurse(meeting, lado)
    [message] = mail.outbox
    assert message.to == ["ada.nurse@nhs.example"]
    assert message.reply_to == ["lado.manager@kent.example"]  # the chair
    assert "Larch House" in message.subject and "Tuesday 10 November 2026 at 14:30" in (
        message.subject
    )
    for expected in (
        "Dear Dr Ada Nurse",
        "Setting: Larch House",
        "Date: Tuesday 10 November 2026",
        "Time: 14:30",
        "Place: Room 2, Sessions House",
        f"Chair: {lado}",
        "strictly private and confidential",
    ):
        assert expected in message.body
    no_child_in(message.subject + message.body, meeting)
    email = InviteeEmail.objects.get(invitee=nurse)
    assert (email.status, email.attempts, email.key) == (
        "sent",
        1,
        f"meeting:{meeting.pk}:invite",
    )
    # Once: inviting again is refused elsewhere, and a second run sends nothing.
    assert invitations.send_pending() == {"sent": 0, "failed": 0}
    assert not invitations.invite_by_email(nurse)
    assert len(mail.outbox) == 1
    # No in-app notification: they have no account.
    assert not Notification.objects.filter(key__startswith=f"meeting:{meeting.pk}:").exclude(
        user__isnull=False
    )


def test_staff_are_invited_in_the_app_and_a_professional_without_an_address_is_flagged(
    client, world, lado, django_capture_on_commit_callbacks
):
    meeting = convene(world, lado)
    staff = UserFactory(role=Role.TEAM_MANAGER, email="tm@kent.example")
    with django_capture_on_commit_callbacks(execute=True):
        meetings.invitee_add(meeting=meeting, actor=lado, user=staff)
        add_nurse(meeting, lado, email="")
    assert mail.outbox == [] and not InviteeEmail.objects.exists()
    assert Notification.objects.filter(user=staff, key=f"meeting:{meeting.pk}:invite").exists()
    client.force_login(lado)
    page = client.get(reverse("scoping:meeting_invitees", args=[meeting.pk])).content.decode()
    assert "No email address" in page and "Tell them yourself" in page


def test_a_change_of_date_time_or_place_is_told_to_every_invitee_once(
    world, lado, social_worker, other_team_worker, django_capture_on_commit_callbacks
):
    meeting = convene(world, lado)
    add_nurse(meeting, lado)
    add_nurse(meeting, lado, email="", name="Det Sgt Police", role="Police")
    invitations.send_pending()  # the invitation
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_details_save(
            meeting=meeting, actor=lado, data=details(meeting, date=date(2026, 11, 12))
        )
    meeting.refresh_from_db()
    assert meeting.rearranged == 1
    key = f"meeting:{meeting.pk}:rearranged:1"
    told = Notification.objects.filter(key=key)
    # The children's social workers (invited at convening); not the LADO who changed it.
    assert set(told.values_list("user", flat=True)) == {social_worker.pk, other_team_worker.pk}
    note = told.get(user=social_worker)
    assert "It was Tuesday 10 November 2026 at 14:30, Room 2, Sessions House." in note.body
    assert "It is now Thursday 12 November 2026 at 14:30, Room 2, Sessions House." in note.body
    [message] = mail.outbox  # the nurse; the police officer has no address
    assert message.to == ["ada.nurse@nhs.example"]
    assert "It was: Tuesday 10 November 2026 at 14:30, Room 2, Sessions House" in message.body
    assert "Date: Thursday 12 November 2026" in message.body
    no_child_in(message.subject + message.body + note.subject + note.body, meeting)
    assert meeting.history.first().history_change_reason == "Rearranged"

    # Saved again unchanged: nothing.
    history = meeting.history.count()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_details_save(meeting=meeting, actor=lado, data=details(meeting))
    meeting.refresh_from_db()
    assert meeting.rearranged == 1 and meeting.history.count() == history
    assert (
        len(mail.outbox) == 1
        and Notification.objects.filter(key__contains=":rearranged:").count() == 2
    )

    # Another chair is not a change of when or where.
    other_lado = UserFactory(role=Role.LADO)
    meetings.meeting_details_save(
        meeting=meeting, actor=lado, data=details(meeting, chair=other_lado)
    )
    meeting.refresh_from_db()
    assert meeting.rearranged == 1 and len(mail.outbox) == 1

    # The time, then the place: each a change, each told once.
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_details_save(
            meeting=meeting, actor=lado, data=details(meeting, time=time(9, 0))
        )
        meetings.meeting_details_save(
            meeting=meeting, actor=lado, data=details(meeting, location="Online (Teams)")
        )
    meeting.refresh_from_db()
    assert meeting.rearranged == 3
    assert [m.subject.rsplit(" is now ", 1)[1] for m in mail.outbox[1:]] == [
        "Thursday 12 November 2026 at 09:00, Room 2, Sessions House",
        "Thursday 12 November 2026 at 09:00, Online (Teams)",
    ]
    assert (
        Notification.objects.filter(user=social_worker, key__contains=":rearranged:").count() == 3
    )


def test_someone_invited_after_a_change_gets_the_invitation_as_it_now_is(
    world, lado, django_capture_on_commit_callbacks
):
    meeting = convene(world, lado)
    meetings.meeting_details_save(
        meeting=meeting, actor=lado, data=details(meeting, location="Room 9")
    )
    with django_capture_on_commit_callbacks(execute=True):
        add_nurse(meeting, lado)
    [message] = mail.outbox
    assert "Place: Room 9" in message.body and "Room 2" not in message.body
    assert InviteeEmail.objects.count() == 1


def test_moving_a_meeting_across_the_clock_change_keeps_its_local_time(
    world, lado, django_capture_on_commit_callbacks
):
    meeting = convene(world, lado, on=date(2026, 10, 24))  # Saturday; BST ends Sunday 25th
    add_nurse(meeting, lado)
    invitations.send_pending()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_details_save(
            meeting=meeting, actor=lado, data=details(meeting, date=date(2026, 10, 26))
        )
    [message] = mail.outbox
    assert "It was: Saturday 24 October 2026 at 14:30" in message.body
    assert "Date: Monday 26 October 2026\nTime: 14:30" in message.body


def test_a_failed_email_is_retried_and_then_left_for_the_administrator(
    world, lado, monkeypatch, django_capture_on_commit_callbacks
):
    meeting = convene(world, lado)
    real_send = invitations.EmailMessage.send

    def refuses(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(invitations.EmailMessage, "send", refuses)
    with django_capture_on_commit_callbacks(execute=True):
        nurse = add_nurse(meeting, lado)  # the change is saved though the email fails
    email = InviteeEmail.objects.get(invitee=nurse)
    assert (email.status, email.attempts) == ("failed", 1)
    assert "mail server down" in email.last_error
    for _ in range(invitations.MAX_ATTEMPTS - 2):
        invitations.send_pending()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", invitations.MAX_ATTEMPTS - 1)
    monkeypatch.setattr(invitations.EmailMessage, "send", real_send)
    assert invitations.send_pending() == {"sent": 1, "failed": 0}
    email.refresh_from_db()
    assert email.status == "sent" and len(mail.outbox) == 1
    # One that failed MAX_ATTEMPTS times is not tried again.
    InviteeEmail.objects.filter(pk=email.pk).update(
        status="failed", attempts=invitations.MAX_ATTEMPTS
    )
    assert invitations.send_pending() == {"sent": 0, "failed": 0}


def test_the_periodic_task_sends_what_is_waiting(world, lado):
    from scoping.tasks import send_invitee_emails

    meeting = convene(world, lado)
    add_nurse(meeting, lado)  # not committed: the queued send never ran
    assert mail.outbox == []
    assert send_invitee_emails() == {"sent": 1, "failed": 0}
    assert len(mail.outbox) == 1


def test_the_details_page_tells_the_invitees(
    client, world, lado, django_capture_on_commit_callbacks
):
    meeting = convene(world, lado)
    add_nurse(meeting, lado)
    invitations.send_pending()
    mail.outbox.clear()
    client.force_login(lado)
    url = reverse("scoping:meeting_details", args=[meeting.pk])
    form = {
        "date_0": "10",
        "date_1": "11",
        "date_2": "2026",
        "time": "15:00",
        "location": "Room 2, Sessions House",
        "chair": lado.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, form).status_code == 302
        assert client.post(url, form).status_code == 302  # the same again: no second notice
    [message] = mail.outbox
    assert "Tuesday 10 November 2026 at 15:00" in message.subject


def test_a_childs_personal_adviser_is_invited_with_the_social_worker(world, lado, social_worker):
    adviser = UserFactory(role=Role.PERSONAL_ADVISER, team=social_worker.team)
    world["own"].personal_adviser = adviser
    world["own"].save()
    meeting = convene(world, lado)
    invited = set(meeting.invitees.values_list("user", flat=True))
    assert {adviser.pk, social_worker.pk} <= invited
    assert Notification.objects.filter(user=adviser, key=f"meeting:{meeting.pk}:invite").exists()


def test_the_adviser_lists_the_risk_assessments_of_the_children_they_advise(
    client, world, social_worker
):
    adviser = UserFactory(role=Role.PERSONAL_ADVISER)
    client.force_login(adviser)
    url = reverse("scoping:risk_assessments")
    assert world["own"].child_id not in client.get(url).content.decode()
    world["own"].personal_adviser = adviser
    world["own"].save()
    assert world["own"].child_id in client.get(url).content.decode()
