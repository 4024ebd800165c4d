"""Invitations to a scoping meeting, and the news that its date, time or place changed.

Seed 000, line 313: "Meetings are organised by the County LADO Service and invitations are
sent by them." Who is told, and how:

- a member of staff invited: in the app, and by email where they have an address (the
  notification, which the overdue sweep emails: ``duties.services.notify``);
- anyone else invited (a professional of another agency, with no account): by email to
  the address the LADO service recorded (an :class:`~scoping.models.InviteeEmail`, sent
  once the change is committed and retried by the periodic run). One with no address is
  told by the LADO service itself: the invitees page says so.

What it says is what the invitee needs to come, and no more (seed 000, line 641: "no names
for the children and young people"): the setting, the date, the time, the place and the
chair. Never a child, not even "Child 1": the invitation goes outside the authority.

Once each: the invitation once per invitee and meeting; each change of date, time or place
(``ScopingMeeting.rearranged`` counts them) once per invitee, to those invited when it was
made. Saving the details again without changing them sends nothing.
"""

from __future__ import annotations

import logging
from datetime import date, time

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.tasks import enqueue_on_commit
from duties.services import notify

from .models import InviteeEmail, MeetingInvitee, ScopingMeeting

logger = logging.getLogger(__name__)

#: Attempts at one email before it is left, failed, for the administrator (the admin).
MAX_ATTEMPTS = 5
#: Emails one run sends at most (the periodic run takes the rest).
BATCH = 200

CONFIDENTIAL = (
    "This invitation is strictly private and confidential: do not forward it. The children "
    "and young people discussed at the meeting are not named in it, nor in the minutes."
)


def _when(on: date, at: time) -> str:
    return f"{on:%A} {on.day} {on:%B %Y} at {at:%H:%M}"


def _arrangements(meeting: ScopingMeeting) -> str:
    return (
        f"Setting: {meeting.setting.name}\n"
        f"Date: {meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y}\n"
        f"Time: {meeting.time:%H:%M}\n"
        f"Place: {meeting.location}\n"
        f"Chair: {meeting.chair}"
    )


def _authority() -> str:
    return getattr(settings, "AUTHORITY_NAME", "") or "The local authority"


# --- Staff ------------------------------------------------------------------------------------


def invite(meeting: ScopingMeeting, user) -> None:
    """Send a member of staff the invitation: in the app, and by email where they have an
    address. Once per person and meeting; not to whoever convened it. Names the setting
    and when, never a child."""
    if user.pk == meeting.convened_by_id:
        return
    notify(
        user,
        key=f"meeting:{meeting.pk}:invite",
        subject=f"Invitation: scoping meeting about {meeting.setting.name}",
        body=(
            f"The LADO service invites you to a risk management scoping meeting about "
            f"{meeting.setting} on {meeting.date:%A %d %B %Y} at {meeting.time:%H:%M}, "
            f"{meeting.location}. The meeting is strictly private and confidential."
        ),
        url=reverse("scoping:meeting", kwargs={"pk": meeting.pk}),
    )


# --- Others: email --------------------------------------------------------------------------


def _email(invitee: MeetingInvitee, *, key: str, subject: str, body: str) -> bool:
    """Queue one email to an invitee who is not staff; False if they have no address or
    already have this one."""
    if invitee.user_id is not None or not invitee.email:
        return False
    meeting = invitee.meeting
    chair_email = meeting.chair.email if meeting.chair_id else ""
    _, created = InviteeEmail.objects.get_or_create(
        invitee=invitee,
        key=key[:120],
        defaults={
            "to": invitee.email,
            "reply_to": chair_email or "",
            "subject": " ".join(subject.split())[:200],
            "body": body,
        },
    )
    if created:
        enqueue_on_commit(send_invitee_emails)
    return created


def invite_by_email(invitee: MeetingInvitee) -> bool:
    """The invitation, by email, to an invitee who is not a member of staff."""
    meeting = invitee.meeting
    return _email(
        invitee,
        key=f"meeting:{meeting.pk}:invite",
        subject=f"Invitation: risk management scoping meeting about {meeting.setting.name}, "
        f"{_when(meeting.date, meeting.time)}",
        body=(
            f"Dear {invitee.name},\n\n"
            f"The {_authority()} LADO service invites you to a risk management scoping "
            f"meeting about {meeting.setting.name}.\n\n"
            f"{_arrangements(meeting)}\n\n"
            f"Please reply to say whether you can attend.\n\n{CONFIDENTIAL}\n"
        ),
    )


def tell_rearranged(
    meeting: ScopingMeeting, *, actor, was_date: date, was_time: time, was_location: str
) -> int:
    """Tell every invitee (but the person who made the change) that the date, time or
    place changed: ``meeting.rearranged`` is this change's number. Returns how many were
    told."""
    key = f"meeting:{meeting.pk}:rearranged:{meeting.rearranged}"
    was = f"{_when(was_date, was_time)}, {was_location}"
    now = f"{_when(meeting.date, meeting.time)}, {meeting.location}"
    subject = f"Changed: the scoping meeting about {meeting.setting.name} is now {now}"
    told = 0
    for invitee in meeting.invitees.select_related("user", "meeting__setting", "meeting__chair"):
        if invitee.user_id is not None:
            if invitee.user_id == actor.pk:
                continue
            made = notify(
                invitee.user,
                key=key,
                subject=subject,
                body=(
                    f"The risk management scoping meeting about {meeting.setting} has moved. "
                    f"It was {was}. It is now {now}."
                ),
                url=reverse("scoping:meeting", kwargs={"pk": meeting.pk}),
            )
            told += made is not None
        elif _email(
            invitee,
            key=key,
            subject=subject,
            body=(
                f"Dear {invitee.name},\n\n"
                f"The date, time or place of the risk management scoping meeting about "
                f"{meeting.setting.name}, to which the {_authority()} LADO service invited "
                f"you, has changed.\n\nIt was: {was}\n\nIt is now:\n{_arrangements(meeting)}"
                f"\n\n{CONFIDENTIAL}\n"
            ),
        ):
            told += 1
    return told


def send_pending(limit: int = BATCH) -> dict:
    """Send the invitees' emails waiting (and retry the failed, up to MAX_ATTEMPTS), one at
    a time: each row is locked while it is sent (``SKIP LOCKED``: two runs never send the
    same one) and marked sent or failed with it."""
    stats = {"sent": 0, "failed": 0}
    tried: list[int] = []
    for _ in range(limit):
        with transaction.atomic():
            email = (
                InviteeEmail.objects.select_for_update(skip_locked=True)
                .filter(
                    status__in=[InviteeEmail.Status.PENDING, InviteeEmail.Status.FAILED],
                    attempts__lt=MAX_ATTEMPTS,
                )
                .exclude(pk__in=tried)
                .order_by("pk")
                .first()
            )
            if email is None:
                break
            tried.append(email.pk)
            email.attempts += 1
            try:
                EmailMessage(
                    email.subject,
                    email.body,
                    None,
                    [email.to],
                    reply_to=[email.reply_to] if email.reply_to else None,
                ).send(fail_silently=False)
            except Exception as exc:
                logger.warning("Invitee email %s failed: %s", email.pk, exc)
                email.status = InviteeEmail.Status.FAILED
                email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                stats["failed"] += 1
            else:
                email.status = InviteeEmail.Status.SENT
                email.sent_at = timezone.now()
                stats["sent"] += 1
            email.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    return stats


@shared_task(name="scoping.send_invitee_emails", ignore_result=True)
def send_invitee_emails() -> dict:
    """Send the invitees' emails waiting (queued when one is made; every 15 minutes by
    beat, for those the broker never heard of and the retries)."""
    return send_pending()
