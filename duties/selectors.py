"""Reads of the duty table, always scoped to what the user may see."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q, QuerySet

from accounts.models import User
from placements.selectors import SEE_ALL_ROLES, child_visibility

from .models import DUTY_ROW_FIELDS, Duty


def duties_visible_to(user: User) -> QuerySet[Duty]:
    """Duties about a child the user may see; duties about a setting alone for the roles
    that see every placement and setting, and to their owner (a scoping meeting's action
    names no child)."""
    scope = Q(child__isnull=False) & child_visibility(user, prefix="child__")
    if user.is_authenticated and user.role in SEE_ALL_ROLES:
        scope |= Q(child__isnull=True)
    elif user.is_authenticated:
        scope |= Q(child__isnull=True, owner=user)
    return Duty.objects.filter(scope)


DEADLINE_HEADER = ["kind", "child", "urn", "due", "status", "owner"]


def deadline_rows(as_of: date, queryset: QuerySet[Duty] | None = None) -> QuerySet[Duty]:
    """Every open duty, and every duty done on ``as_of``, in due-date order."""
    queryset = Duty.objects.all() if queryset is None else queryset
    return (
        queryset.filter(Q(status=Duty.Status.OPEN) | Q(status=Duty.Status.DONE, done_on=as_of))
        .select_related("child", "setting", "owner", "team")
        .only(*(field for field in DUTY_ROW_FIELDS if not field.startswith("placement")))
        .order_by("due", "kind", "child__child_id", "pk")
    )


def deadline_status(duty: Duty, as_of: date, *, now: datetime | None = None) -> str:
    """``done``, ``overdue`` (the as-of date is after the due date; or, given ``now``, a
    24-hour duty whose time has passed) or ``open``."""
    if duty.status == Duty.Status.DONE:
        return "done"
    if as_of > duty.due:
        return "overdue"
    if now is not None and duty.due_at is not None and now > duty.due_at:
        return "overdue"
    return "open"


def deadline_csv_row(duty: Duty, as_of: date, *, now: datetime | None = None) -> list[str]:
    return [
        duty.kind,
        duty.child.child_id if duty.child_id else "",
        (duty.setting.urn or "") if duty.setting_id else "",
        duty.due.isoformat(),
        deadline_status(duty, as_of, now=now),
        duty.owner.username if duty.owner_id else "",
    ]
