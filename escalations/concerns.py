"""Concerns about a provision, and the setting's concern level (seeds 000 and 001).

Anyone records a concern. Team managers, service managers and commissioning officers
close concerns and propose a concern level, with their reasons and evidence; only the
assistant director or the director decide (set or lift) the level, recording the
evidence and whether the governance group decided it at a meeting or it was executive
action between meetings (seed 001 Knowsley protocol: l.253 "the AED ... chairs the SCHGG
meetings ... the final decision rests with the Director"; l.255 "The Director has the
authority to take executive action if serious concerns about a home arise between
meetings ... reported to the members of the SCHGG at the next meeting"; l.70 the AED
"will, as chair of the SCHGG, take an executive decision and place the home on the
Protocol"; l.259 the ART/Commissioning Team "reports directly to the AED").

The level decisions live in ``escalations.governance``; this module keeps the concerns.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from core.history import stamp as _stamp
from duties.services import notify_many
from placements.models import Child, Setting
from placements.selectors import children_visible_to

from .models import Concern

#: Who closes a concern: managers, commissioning and the senior managers.
CONCERN_CLOSE_ROLES = frozenset(
    {
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
        Role.COMMISSIONING_OFFICER,
    }
)


def concern_recipients(concern: Concern) -> list[User]:
    """Who hears of a concern: for a child, the social worker's team manager, that
    manager's service manager and the child's IRO; for the setting alone, commissioning."""
    people: list[User] = []
    child = concern.child
    if child is not None:
        worker = child.social_worker
        team_manager = worker.line_manager if worker else None
        if team_manager is None and child.team_id:
            team_manager = User.objects.filter(
                team_id=child.team_id, role=Role.TEAM_MANAGER, is_active=True
            ).first()
        if team_manager is not None:
            people.append(team_manager)
            if team_manager.line_manager is not None:
                people.append(team_manager.line_manager)
        if child.iro is not None:
            people.append(child.iro)
    else:
        people.extend(User.objects.filter(role=Role.COMMISSIONING_OFFICER, is_active=True))
    seen: set[int] = set()
    unique = []
    for person in people:
        if person.is_active and person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    return unique


def concern_record(
    *,
    setting: Setting,
    child: Child | None,
    raised_by_name: str,
    raised_by_role: str,
    what: str,
    evidence: str,
    raised_on: date,
    actor: User,
) -> Concern:
    """Record a concern and notify who must hear of it. Subjects carry no child's name."""
    if child is not None and not children_visible_to(actor).filter(pk=child.pk).exists():
        raise ValidationError({"child": "Choose a child whose record you can see."})
    concern = Concern(
        setting=setting,
        child=child,
        raised_by_name=raised_by_name.strip(),
        raised_by_role=raised_by_role.strip(),
        recorded_by=actor,
        what=what.strip(),
        evidence=evidence.strip(),
        raised_on=raised_on,
    )
    concern.full_clean()
    with transaction.atomic():
        _stamp(concern, actor, "Recorded").save()
        url = reverse("concerns:concern", kwargs={"pk": concern.pk})
        about = f"child {child.child_id} at " if child is not None else ""
        notify_many(
            concern_recipients(concern),
            key=lambda user: f"concern:{concern.pk}:{user.pk}",
            subject=f"Concern recorded about {setting.name}",
            body=(
                f"A concern about {about}{setting} was raised on "
                f"{raised_on:%d %B %Y} by {concern.raised_by_name} "
                f"({concern.raised_by_role}) and recorded by {actor}."
            ),
            url=url,
        )
    return concern


def concern_close(*, concern: Concern, reason: str, actor: User, today: date) -> Concern:
    if actor.role not in CONCERN_CLOSE_ROLES:
        raise PermissionDenied
    if concern.status == Concern.Status.CLOSED:
        raise ValidationError("This concern is already closed.")
    if not reason.strip():
        raise ValidationError({"closed_reason": "Say why the concern is closed."})
    concern.status = Concern.Status.CLOSED
    concern.closed_on = today
    concern.closed_reason = reason.strip()
    _stamp(concern, actor, "Closed").save()
    return concern
