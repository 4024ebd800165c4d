"""A scoping meeting's agreed actions after they are agreed: changed, or withdrawn.

The LADO service keeps the meeting's record (seed 000, line 313: meetings are organised by
the County LADO Service), so it changes an open action (what, for whom, its owner, its
deadline) and withdraws one that is no longer needed, with the reason. Both after the
minutes are finalised too: actions are followed up after the meeting ("Actions and agreed
timescales", seed 000 line 719), and the record of each change is the action's history.

- Changing the deadline moves the action's ``scoping_action`` duty; changing the owner
  gives the duty to the new owner (the old owner's is cancelled: no longer theirs, and
  the new owner's alerts start from it) and tells the new owner.
- Withdrawing needs a reason (refused beside the field without one); the action stays on
  the minutes, marked withdrawn with the reason; its open duty is cancelled and the owner
  is told.
- A done or withdrawn action is not changed again.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.history import stamp as _stamp
from duties.services import duty_cancel, duty_reschedule, notify, open_duty

from .duty_kinds import SCOPING_ACTION
from .meetings import _open_action_duty, check_action, child_ref, may_edit
from .models import MeetingAction, MeetingChild

EDITABLE_FIELDS = ("action", "owner", "deadline", "meeting_child")


class ActionClosed(PermissionDenied):
    """The action is done or withdrawn: it is not changed again."""


def may_change(user, action: MeetingAction | None = None) -> bool:
    """The LADO service changes and withdraws actions, while they are open."""
    return may_edit(user) and (action is None or action.status == MeetingAction.Status.OPEN)


def _locked(action: MeetingAction, actor: User) -> MeetingAction:
    if not may_edit(actor):
        raise PermissionDenied("Only the LADO service changes a scoping meeting's actions.")
    action = (
        MeetingAction.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__setting", "owner", "meeting_child")
        .get(pk=action.pk)
    )
    if action.status != MeetingAction.Status.OPEN:
        raise ActionClosed(f"The action is {action.get_status_display().lower()}.")
    return action


def _subject(action: MeetingAction) -> str:
    return f"scoping_action:{action.pk}"


def action_edit(
    *,
    action: MeetingAction,
    actor: User,
    text: str,
    owner: User | None,
    deadline: date | None,
    meeting_child: MeetingChild | None,
) -> MeetingAction:
    """Change an open action; its duty follows. Saving it unchanged changes nothing."""
    with transaction.atomic():
        action = _locked(action, actor)
        meeting = action.meeting
        check_action(meeting, text, owner, deadline, meeting_child)
        was_owner, was_deadline = action.owner, action.deadline
        new = {
            "action": text.strip(),
            "owner": owner,
            "deadline": deadline,
            "meeting_child": meeting_child,
        }
        changed = [name for name, value in new.items() if getattr(action, name) != value]
        if not changed:
            return action
        for name in changed:
            setattr(action, name, new[name])
        _stamp(action, actor, "Changed").save()

        subject = _subject(action)
        if owner != was_owner or "meeting_child" in changed:
            # The duty is the new owner's (or names another child): the old one is no
            # longer due, and the action's duty is opened afresh.
            duty_cancel(kind=SCOPING_ACTION, subject=subject)
            _open_action_duty(action, meeting)
        elif deadline != was_deadline and open_duty(SCOPING_ACTION, subject) is not None:
            duty_reschedule(kind=SCOPING_ACTION, subject=subject, due=deadline)
        if owner != was_owner and owner.pk != actor.pk:
            notify(
                owner,
                key=subject,
                subject=f"A scoping meeting action for you, due {deadline:%d/%m/%Y}",
                body=f"The scoping meeting of {meeting.date:%d/%m/%Y} about "
                f"{meeting.setting.name} gave you an action for "
                f"{child_ref(action.meeting_child)}, due {deadline:%d/%m/%Y}.",
                url=reverse("scoping:action", kwargs={"pk": action.pk}),
            )
    return action


def action_withdraw(
    *, action: MeetingAction, actor: User, reason: str, today: date | None = None
) -> MeetingAction:
    """Withdraw an open action, with the reason; its duty is cancelled."""
    today = today or timezone.localdate()
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Say why the action is withdrawn"]})
    with transaction.atomic():
        action = _locked(action, actor)
        action.status = MeetingAction.Status.WITHDRAWN
        action.withdrawn_on = today
        action.withdrawn_reason = reason.strip()
        _stamp(action, actor, "Withdrawn").save()
        duty_cancel(kind=SCOPING_ACTION, subject=_subject(action))
        meeting = action.meeting
        if action.owner_id != actor.pk:
            notify(
                action.owner,
                key=f"{_subject(action)}:withdrawn",
                subject=f"A scoping meeting action of yours is withdrawn "
                f"(was due {action.deadline:%d/%m/%Y})",
                body=f"The LADO service withdrew the action for "
                f"{child_ref(action.meeting_child)} that the scoping meeting of "
                f"{meeting.date:%d/%m/%Y} about {meeting.setting.name} gave you.",
                url=reverse("scoping:action", kwargs={"pk": action.pk}),
            )
    return action
