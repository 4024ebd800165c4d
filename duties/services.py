"""Every write a workflow makes to the duty table and to people's notifications.

Workflows whose duties follow their own steps (an escalation's stage, a meeting's action,
a risk assessment) open, close and cancel them here, by (kind, subject); a workflow's
kinds are registered in ``duties.registry`` first. Each call is one statement (or two),
safe inside the caller's transaction, and safe to repeat: opening a duty that is open
returns it, closing one that is closed changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.tasks import enqueue_on_commit

from . import registry, timescales
from .models import Alert, Duty, Notification, RuleValue
from .tasks import recompute_all_duties

_BASIS_MAX = Duty._meta.get_field("basis").max_length
_SOURCE_MAX = Duty._meta.get_field("source").max_length


def _registered(kind: str) -> None:
    if registry.get(kind) is None:
        raise ValueError(f"Duty kind {kind!r} is not registered")


def duty_open(
    *,
    kind: str,
    subject: str,
    due: date,
    due_at: datetime | None = None,
    owner=None,
    team=None,
    child=None,
    setting=None,
    placement=None,
    basis: str = "",
    source: str = "",
) -> Duty:
    """Open a duty, or return the one already open for (kind, subject)."""
    _registered(kind)
    existing = open_duty(kind, subject)
    if existing is not None:
        return existing
    return Duty.objects.create(
        kind=kind,
        subject=subject,
        child=child,
        setting=setting,
        placement=placement,
        owner=owner,
        team=team,
        due=due,
        due_at=due_at,
        basis=basis[:_BASIS_MAX],
        source=source[:_SOURCE_MAX],
    )


def duties_open(rows: Iterable[Mapping]) -> list[Duty]:
    """Open many duties in one INSERT (each a mapping of :func:`duty_open`'s arguments);
    any already open for its (kind, subject) is left as it is."""
    made = []
    for row in rows:
        _registered(row["kind"])
        made.append(
            Duty(
                **{
                    **row,
                    "basis": row.get("basis", "")[:_BASIS_MAX],
                    "source": row.get("source", "")[:_SOURCE_MAX],
                }
            )
        )
    if not made:
        return []
    wanted = Q()
    for duty in made:
        wanted |= Q(kind=duty.kind, subject=duty.subject)
    already = set(
        Duty.objects.filter(wanted, status=Duty.Status.OPEN).values_list("kind", "subject")
    )
    fresh = [duty for duty in made if (duty.kind, duty.subject) not in already]
    return Duty.objects.bulk_create(fresh)


def open_duty(kind: str, subject: str) -> Duty | None:
    return Duty.objects.filter(kind=kind, subject=subject, status=Duty.Status.OPEN).first()


def open_duties(kind: str, **lookups) -> QuerySet[Duty]:
    """Open duties of ``kind`` (filtered by ``lookups``), for a workflow's own reads."""
    return Duty.objects.filter(kind=kind, status=Duty.Status.OPEN, **lookups)


def ever_opened(kind: str, subject: str) -> bool:
    """Whether a duty of (kind, subject) was ever opened, whatever became of it."""
    return Duty.objects.filter(kind=kind, subject=subject).exists()


def duty_done(*, kind: str, subject: str, done_on: date, done_by: str = "") -> int:
    """Mark the open duty of (kind, subject) done; returns how many rows changed (0 or 1)."""
    return Duty.objects.filter(kind=kind, subject=subject, status=Duty.Status.OPEN).update(
        status=Duty.Status.DONE, done_on=done_on, done_by=done_by, updated_at=timezone.now()
    )


def duty_cancel(*, kind: str, subject: str) -> int:
    """The duty no longer arises: cancelled, keeping its due date on the record."""
    return Duty.objects.filter(kind=kind, subject=subject, status=Duty.Status.OPEN).update(
        status=Duty.Status.CANCELLED, updated_at=timezone.now()
    )


def duties_done(duties: Iterable[Duty], *, done_on: date) -> int:
    """Mark these (open) rows done on ``done_on``."""
    ids = [duty.pk for duty in duties]
    if not ids:
        return 0
    return Duty.objects.filter(pk__in=ids, status=Duty.Status.OPEN).update(
        status=Duty.Status.DONE, done_on=done_on, updated_at=timezone.now()
    )


# --- Notifications -------------------------------------------------------------------------


def notify(
    user, *, key: str, subject: str, body: str, url: str, alert: Alert | None = None
) -> Notification | None:
    """Tell an active member of staff, in the app and by email where they have an address
    (the overdue sweep sends it): once per (key, user), so recording the same step again
    adds none. A child is named by their 903 ID only: the email leaves the building.
    ``alert``: the alert (``alert_once``) the notification carries."""
    if user is None or not user.is_active:
        return None
    notification, _ = Notification.objects.get_or_create(
        user=user,
        key=key[:120],
        defaults={
            "alert": alert,
            "subject": subject[:200],
            "body": body,
            "url": url,
            "email_status": Notification.email_status_for(user),
        },
    )
    return notification


def alert_once(*, subject: str, level: str) -> Alert:
    """The alert of a record that is not a duty (a visit escalated to a line manager:
    ``visit:12``, level ``escalated``), made once whatever happens."""
    alert, _ = Alert.objects.get_or_create(subject=subject, level=level)
    return alert


def notify_many(users: Iterable, *, key: str | Callable, subject: str, body: str, url: str) -> int:
    """:func:`notify` for several people in one INSERT (``key`` may be a function of the
    person); returns how many were written (an existing one for a key is left as it is)."""
    rows = [
        Notification(
            user=user,
            key=(key(user) if callable(key) else key)[:120],
            subject=subject[:200],
            body=body,
            url=url,
            email_status=Notification.email_status_for(user),
        )
        for user in users
        if user is not None and user.is_active
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notify_about_children(
    *, key: str, recipients: Mapping, subject: str, intro: str, url: str, actor=None
) -> int:
    """One notification per recipient for ``key``, listing that person's children by 903 ID
    only (never a name). Recording the same key again adds none. ``recipients``: user ->
    set of 903 child IDs; the person who recorded the step (``actor``) is not told."""
    rows = []
    for user, child_ids in recipients.items():
        if actor is not None and user.pk == actor.pk:
            continue  # they recorded it
        if not user.is_active:
            continue
        listed = "\n".join(f"- {child_id}" for child_id in sorted(child_ids))
        rows.append(
            Notification(
                user=user,
                key=key[:120],
                subject=subject[:200],
                body=f"{intro}\n\nChildren (903 ID):\n{listed}",
                url=url,
                email_status=Notification.email_status_for(user),
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# --- Timescales ----------------------------------------------------------------------------


def rule_value_set(*, rule_value: RuleValue, value: int, actor) -> RuleValue:
    """Change one rule, with history; the duties are recomputed once the change is committed
    when the rule is a recomputed schedule's input."""
    with transaction.atomic():
        current_row = RuleValue.objects.select_for_update().get(pk=rule_value.pk)
        timescales.check(current_row.name, value)
        if current_row.value == value:
            return current_row
        current_row.value = value
        if actor is not None:
            current_row._history_user = actor
        current_row._change_reason = "Rule changed by an administrator"
        current_row.save(update_fields=["value"])
        # With the broker down the change still saves; the nightly recompute catches up.
        if timescales.recomputes(current_row.name):
            enqueue_on_commit(recompute_all_duties)
    rule_value.value = current_row.value
    return current_row


def duty_reschedule(*, kind: str, subject: str, due: date, basis: str | None = None) -> int:
    """Move the open duty of (kind, subject) to a new due date (its deadline was changed)."""
    values: dict = {"due": due, "updated_at": timezone.now()}
    if basis is not None:
        values["basis"] = basis[:_BASIS_MAX]
    return (
        Duty.objects.filter(kind=kind, subject=subject, status=Duty.Status.OPEN)
        .exclude(due=due, **({"basis": values["basis"]} if basis is not None else {}))
        .update(**values)
    )


def duties_reassign(*, kind: str, child, owner, team) -> int:
    """Give the open duties of ``kind`` about ``child`` to ``owner`` and ``team`` (the child
    was reallocated); returns how many rows changed."""
    return (
        Duty.objects.filter(kind=kind, child=child, status=Duty.Status.OPEN)
        .exclude(owner=owner, team=team)
        .update(owner=owner, team=team, updated_at=timezone.now())
    )
