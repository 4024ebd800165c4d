"""Overdue alerts: the sweep that turns due dates into alerts, notifications and emails.

Shaped like healthchecks' ``sendalerts`` (STYLE.md "Background jobs"):

1. Alerts are rows keyed by (duty, level, due date): a duty whose due date moves starts a
   new cycle, each level once for the new date (and a move back to a date that has
   already alerted sends nothing again). For each level the sweep works out, with
   the working-day calendar, which due dates have reached it (derived from
   :func:`duties.rules.alert_level`, so the two cannot disagree), and inserts the
   missing alerts with ``INSERT … ON CONFLICT DO NOTHING``. The notifications for a
   new alert are written in the same transaction, so an alert never exists without
   its notifications, and a run that dies leaves nothing half done.
2. Emails are sent one notification at a time, over one mail session for the run
   (reopened after a failure; when the server cannot be reached the emails wait, with no
   attempt spent, for the next run). The message is made first; then the row is claimed
   (pending → sending, committed) and handed to the mail server at once, and the
   server's acceptance is recorded (sending → sent) before anything else is done. A
   claim is taken with ``SELECT … FOR UPDATE SKIP LOCKED``, so two sweeps at once never
   pick the same row. An email the server refused (or could not take) is failed and
   retried with a growing wait, up to :data:`MAX_ATTEMPTS` attempts. A row left in
   "sending" by a worker that died was with the mail server when it died: the server may
   have accepted it, and nothing can tell. It is never sent again by itself (that would
   be a duplicate: issue 24, finding 11); once its claim is :data:`STALE_CLAIM` old it is
   marked "interrupted" for the administrator, who may send it again from the admin. The
   in-app notification is there either way. Each email carries a Message-ID made from its
   notification, the same on every attempt, so a mail system that drops repeated
   Message-IDs shows a resent one once.

Who is told. The duty's owner at every level. A duty with no owner (or whose owner has
left, i.e. is inactive) is unallocated work for its team: the team's team managers are
told instead (else its service managers; else, for a commissioning visit, which the
schedule gives to the commissioning team rather than a person, the team's commissioning
officers). A duty with neither owner nor such a person in its team tells nobody at the
first levels; its alert row still records that the level was reached, and the worktray
of the managers and senior leaders above still shows it.

At ``overdue_5`` the escalation reaches everyone the guidance names (000_… Kent placement
guidance, line 293: "the Team Manager and Service Manager must be alerted to the
concern(s), in addition to the IRO"), besides the line managers of those told first:
the team managers of the worker's team (the child's social worker's team; for a duty
with no child, the owner's; else the duty's team), that team's service managers (those in
the team, and those who line manage its team managers) and the child's IRO. Each person
is told once, whatever roles they hold; people who have left, or are not recorded, are
skipped. The managers of every team of a batch are read in one query (set-based: the
sweep's query count does not grow with the number of duties).

A child's name never goes into a notification (it is emailed): the 903 child ID and
the duty kind identify the work; the link leads to the record, where access is checked.
"""

from __future__ import annotations

import logging
import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User

from . import registry
from .models import Alert, AlertLevel, Duty, Notification
from .rules import AlertRules, Due, alert_level
from .timescales import current

logger = logging.getLogger(__name__)

#: Attempts at sending one email before it is left for an administrator.
MAX_ATTEMPTS = 5
#: Wait before the next attempt, by the number of attempts made so far.
RETRY_AFTER = {
    1: timedelta(minutes=5),
    2: timedelta(minutes=30),
    3: timedelta(hours=2),
    4: timedelta(hours=6),
}
#: A claim older than this belongs to a worker that died: the email is taken again.
STALE_CLAIM = timedelta(minutes=10)
#: Levels the sweep creates, lowest first.
SWEEP_LEVELS = (AlertLevel.DUE_SOON, AlertLevel.OVERDUE, AlertLevel.OVERDUE_5)
# How far the threshold search may look (a bound, not a rule: a few weeks at most).
_SEARCH_DAYS = 400


@dataclass
class Stats:
    alerts_created: dict[str, int] = field(
        default_factory=lambda: {level.value: 0 for level in SWEEP_LEVELS}
    )
    notifications_created: int = 0
    emails_sent: int = 0
    emails_failed: int = 0
    emails_without_address: int = 0
    emails_interrupted: int = 0
    mail_server_unavailable: bool = False

    def as_dict(self) -> dict:
        return {
            "alerts_created": dict(self.alerts_created),
            "notifications_created": self.notifications_created,
            "emails_sent": self.emails_sent,
            "emails_failed": self.emails_failed,
            "emails_without_address": self.emails_without_address,
            "emails_interrupted": self.emails_interrupted,
            "mail_server_unavailable": self.mail_server_unavailable,
        }


# --- Which due dates have reached which level ----------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """Date bounds, for duties without a time, of each level on ``today``.

    due_soon: ``today <= due <= soon_until``; overdue: ``overdue5_until < due < today``;
    overdue_5: ``due <= overdue5_until``. Duties with ``due_at`` are overdue once
    ``now`` is past ``due_at`` (rules.alert_level); their date bounds are the same.
    """

    today: date
    soon_until: date
    overdue5_until: date


def thresholds(today: date, rules: AlertRules) -> Thresholds:
    """Found by asking :func:`rules.alert_level` itself, which is monotonic in the due date."""

    def level(due: date) -> str | None:
        return alert_level(Due("", due, None, "", ""), today, rules)

    soon_until = today
    for _ in range(_SEARCH_DAYS):
        if level(soon_until + timedelta(days=1)) != "due_soon":
            break
        soon_until += timedelta(days=1)
    overdue5_until = today - timedelta(days=1)
    for _ in range(_SEARCH_DAYS):
        if level(overdue5_until) == "overdue_5":
            break
        overdue5_until -= timedelta(days=1)
    return Thresholds(today, soon_until, overdue5_until)


def overdue_q(today: date, now: datetime) -> Q:
    """Open duties past their due date (or, for a 24-hour duty, past ``due_at``)."""
    return Q(due_at__isnull=True, due__lt=today) | Q(due_at__isnull=False, due_at__lt=now)


def not_overdue_q(today: date, now: datetime) -> Q:
    return Q(due_at__isnull=True, due__gte=today) | Q(due_at__isnull=False, due_at__gte=now)


def level_q(level: str, bounds: Thresholds, now: datetime) -> Q:
    today = bounds.today
    if level == AlertLevel.DUE_SOON:
        return not_overdue_q(today, now) & Q(due__lte=bounds.soon_until)
    if level == AlertLevel.OVERDUE:
        return overdue_q(today, now) & Q(due__gt=bounds.overdue5_until)
    if level == AlertLevel.OVERDUE_5:
        return overdue_q(today, now) & Q(due__lte=bounds.overdue5_until)
    raise ValueError(level)


# --- Notification text ----------------------------------------------------------------------


def _site_url() -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/")


def _what(duty: Duty) -> str:
    """What the duty is about, without a child's name: the 903 ID, or the setting."""
    if duty.child_id is not None:
        return f"child {duty.child.child_id}"
    if duty.setting_id is not None:
        setting = duty.setting
        return f"{setting.name} ({setting.urn})" if setting.urn else setting.name
    return duty.subject


def _link(duty: Duty) -> str:
    if duty.child_id is not None:
        return reverse("placements:child", args=[duty.child_id])
    if duty.setting_id is not None:
        return reverse("placements:setting", args=[duty.setting_id])
    return reverse("duties:worktray")


def _text(
    duty: Duty, level: str, rules: AlertRules, *, escalation: str, allocated_to: User | None
) -> tuple[str, str]:
    """``escalation``: why an escalated person is told (one of :data:`WHY`), or ""."""
    label = AlertLevel(level).label
    subject = f"{label}: {duty.kind_label} for {_what(duty)}"
    if escalation:
        who = f"allocated to {allocated_to}" if allocated_to else "not allocated"
        subject += f" ({who})"
    body = render_to_string(
        "emails/duty_alert.txt",
        {
            "duty": duty,
            "level": level,
            "what": _what(duty),
            "escalation": escalation,
            "allocated_to": allocated_to,
            "rules": rules,
        },
    ).strip()
    return subject[:200], body


# --- Step 1: alerts and notifications -------------------------------------------------------


# Who answers for an unallocated duty, in order: the team's team managers, else its service
# managers, else (for the kinds a team does together) the team members who do that work.
_UNALLOCATED_ROLES = (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


def _answering_roles() -> set[str]:
    return {t.answered_by for t in registry.kinds() if t.answered_by}


def _unallocated_recipients(duty: Duty, staff: dict[int, list[User]]) -> list[User]:
    members = staff.get(duty.team_id, [])
    roles = [*_UNALLOCATED_ROLES]
    duty_type = registry.get(duty.kind)
    if duty_type is not None and duty_type.answered_by:
        roles.append(duty_type.answered_by)
    for role in roles:
        found = [user for user in members if user.role == role]
        if found:
            return found
    return []


#: Why an escalated person is told (the email says it).
LINE_MANAGER = "line_manager"
TEAM_MANAGER = "team_manager"
SERVICE_MANAGER = "service_manager"
IRO = "iro"
WHY = (LINE_MANAGER, TEAM_MANAGER, SERVICE_MANAGER, IRO)


def _active(user: User | None) -> User | None:
    return user if user is not None and user.is_active else None


def _escalation_team(duty: Duty) -> int | None:
    """The team whose managers an overdue_5 escalation reaches: the child's social
    worker's team (000_… line 293), else the owner's, else the duty's."""
    child = duty.child if duty.child_id is not None else None
    worker = child.social_worker if child is not None and child.social_worker_id else None
    if worker is None and duty.owner_id is not None:
        worker = duty.owner
    if worker is not None and worker.team_id is not None:
        return worker.team_id
    return duty.team_id


def _team_managers(team_id: int | None, managers: dict[int, list[User]]) -> list[tuple[User, str]]:
    """(person, why) for the team's team managers, then its service managers: those in the
    team and those who line manage its team managers."""
    members = managers.get(team_id, []) if team_id is not None else []
    team_managers = [user for user in members if user.role == Role.TEAM_MANAGER]
    service_managers = [user for user in members if user.role == Role.SERVICE_MANAGER]
    for user in team_managers:
        above = _active(user.line_manager)
        if above is not None and above.role == Role.SERVICE_MANAGER:
            service_managers.append(above)
    return [(user, TEAM_MANAGER) for user in team_managers] + [
        (user, SERVICE_MANAGER) for user in service_managers
    ]


def _recipients(
    duty: Duty,
    level: str,
    staff: dict[int, list[User]],
    managers: dict[int, list[User]] | None = None,
) -> list[tuple[User, str]]:
    """(user, why) pairs for one alert, each person once: why is "" for those told at
    every level, else one of :data:`WHY` (the first reason found)."""
    owner = _active(duty.owner) if duty.owner_id else None
    first = [owner] if owner else _unallocated_recipients(duty, staff)
    pairs: list[tuple[User, str]] = [(user, "") for user in first]
    if level == AlertLevel.OVERDUE_5:
        for user in first:
            manager = _active(user.line_manager)
            if manager is not None:
                pairs.append((manager, LINE_MANAGER))
        pairs += _team_managers(_escalation_team(duty), managers or {})
        if duty.child_id is not None and duty.child.iro_id is not None:
            iro = _active(duty.child.iro)
            if iro is not None:
                pairs.append((iro, IRO))
    seen: set[int] = set()
    unique = []
    for user, why in pairs:
        if user.pk not in seen:
            seen.add(user.pk)
            unique.append((user, why))
    return unique


def _escalation_managers(duties: list[Duty]) -> dict[int, list[User]]:
    """The active team and service managers of the escalation teams of these duties, with
    their line managers, by team: one query."""
    teams = {team for team in map(_escalation_team, duties) if team is not None}
    found: dict[int, list[User]] = {}
    if not teams:
        return found
    for user in (
        User.objects.filter(
            team_id__in=teams,
            role__in=[Role.TEAM_MANAGER, Role.SERVICE_MANAGER],
            is_active=True,
        )
        .select_related("line_manager")
        .order_by("pk")
    ):
        found.setdefault(user.team_id, []).append(user)
    return found


# What a batch reads with its duties, in the one query: the owner and their line manager,
# the child's social worker (whose team the escalation reaches) and the child's IRO.
_BATCH_RELATED = (
    "child",
    "child__social_worker",
    "child__iro",
    "setting",
    "owner",
    "owner__line_manager",
)


def _create_alerts_batch(
    level: str, bounds: Thresholds, now: datetime, rules: AlertRules, batch_size: int, stats: Stats
) -> int:
    """One transaction: lock a batch of duties due an alert, insert alerts and notifications.

    Returns how many duties were looked at (0: nothing left at this level).
    """
    with transaction.atomic():
        batch = list(
            Duty.objects.filter(status=Duty.Status.OPEN)
            .filter(level_q(level, bounds, now))
            .filter(
                ~Exists(Alert.objects.filter(duty=OuterRef("pk"), level=level, due=OuterRef("due")))
            )
            .select_related(*_BATCH_RELATED)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:batch_size]
        )
        if not batch:
            return 0
        # Re-read under the lock: another sweep may have committed these since our snapshot.
        done = set(Alert.objects.filter(duty__in=batch, level=level).values_list("duty_id", "due"))
        fresh = [duty for duty in batch if (duty.pk, duty.due) not in done]
        if not fresh:
            return len(batch)
        Alert.objects.bulk_create(
            [Alert(duty=duty, level=level, due=duty.due) for duty in fresh],
            ignore_conflicts=True,
        )
        fresh_keys = {(duty.pk, duty.due) for duty in fresh}
        alert_ids = {
            duty_id: pk
            for pk, duty_id, due in Alert.objects.filter(duty__in=fresh, level=level).values_list(
                "pk", "duty_id", "due"
            )
            if (duty_id, due) in fresh_keys
        }
        unallocated_teams = {
            duty.team_id
            for duty in fresh
            if duty.team_id and not (duty.owner_id and duty.owner.is_active)
        }
        staff: dict[int, list[User]] = {}
        if unallocated_teams:
            for user in (
                User.objects.filter(
                    team_id__in=unallocated_teams,
                    role__in=[*_UNALLOCATED_ROLES, *_answering_roles()],
                    is_active=True,
                )
                .select_related("line_manager")
                .order_by("pk")
            ):
                staff.setdefault(user.team_id, []).append(user)
        managers = _escalation_managers(fresh) if level == AlertLevel.OVERDUE_5 else {}
        notifications = []
        for duty in fresh:
            allocated_to = duty.owner if duty.owner_id and duty.owner.is_active else None
            for user, escalation in _recipients(duty, level, staff, managers):
                subject, body = _text(
                    duty, level, rules, escalation=escalation, allocated_to=allocated_to
                )
                notifications.append(
                    Notification(
                        user=user,
                        alert_id=alert_ids[duty.pk],
                        subject=subject,
                        body=body,
                        url=_link(duty),
                        email_status=(
                            Notification.Email.PENDING if user.email else Notification.Email.NONE
                        ),
                    )
                )
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        stats.alerts_created[level] += len(alert_ids)
        stats.notifications_created += len(notifications)
        stats.emails_without_address += sum(
            1 for n in notifications if n.email_status == Notification.Email.NONE
        )
    return len(batch)


def create_alerts(*, today: date, now: datetime, batch_size: int, stats: Stats) -> None:
    rules = current(AlertRules)
    bounds = thresholds(today, rules)
    for level in SWEEP_LEVELS:
        # Each batch alerts every duty it locks, so the next query no longer finds them.
        while _create_alerts_batch(level, bounds, now, rules, batch_size, stats):
            pass


# --- Step 2: emails -------------------------------------------------------------------------


def _sendable(now: datetime) -> Q:
    retry = Q()
    for attempts, wait in RETRY_AFTER.items():
        retry |= Q(email_attempts=attempts, email_claimed_at__lte=now - wait)
    return Q(email_status=Notification.Email.PENDING) | (
        Q(email_status=Notification.Email.FAILED, email_attempts__lt=MAX_ATTEMPTS) & retry
    )


INTERRUPTED = (
    "The worker sending this email stopped while the email was with the mail server: it may "
    "have been delivered, so it is not sent again by itself. Send it again (the action "
    '"Send failed or interrupted emails again") if the recipient did not get it.'
)


def mark_interrupted_claims() -> int:
    """Claims left by dead workers: interrupted, for the administrator; never re-sent."""
    return Notification.objects.filter(
        email_status=Notification.Email.SENDING,
        email_claimed_at__lt=timezone.now() - STALE_CLAIM,
    ).update(email_status=Notification.Email.INTERRUPTED, email_last_error=INTERRUPTED)


def claim_next() -> Notification | None:
    """Claim the oldest sendable notification and commit the claim; None when none is left.

    A notification whose user has no email address (or has left) is marked "none" and
    the next one is claimed.
    """
    while True:
        now = timezone.now()
        with transaction.atomic():
            notification = (
                Notification.objects.filter(_sendable(now))
                .select_related("user")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .first()
            )
            if notification is None:
                return None
            if not notification.user.email or not notification.user.is_active:
                notification.email_status = Notification.Email.NONE
                notification.save(update_fields=["email_status"])
                continue
            notification.email_status = Notification.Email.SENDING
            notification.email_claimed_at = now
            notification.email_attempts += 1
            notification.save(update_fields=["email_status", "email_claimed_at", "email_attempts"])
        return notification


def message_id(notification: Notification) -> str:
    """The email's Message-ID: the same for every attempt at one notification."""
    domain = urlsplit(_site_url()).hostname or "localhost"
    return f"<notification-{notification.pk}@{domain}>"


def _email_message(notification: Notification) -> tuple[str, str]:
    subject = " ".join(notification.subject.split())  # a header: one line
    body = render_to_string(
        "emails/notification.txt",
        {
            "notification": notification,
            "link": _site_url() + (notification.url or reverse("duties:notifications")),
            "notifications_link": _site_url() + reverse("duties:notifications"),
        },
    )
    return subject, body


def send_mail(subject: str, body: str, recipient: str, *, message_id: str, connection=None):
    """Hand one email to the mail server (raises when it is refused)."""
    EmailMessage(
        subject, body, None, [recipient], headers={"Message-ID": message_id}, connection=connection
    ).send(fail_silently=False)


def deliver(notification: Notification, connection=None) -> bool:
    """Send one claimed notification and record the outcome. True if sent. ``connection``:
    the run's mail session (closed on a failure, so that the next email opens a new one).

    The message is made before anything is sent, and the server's acceptance is the first
    thing recorded after it."""
    claimed = Notification.objects.filter(
        pk=notification.pk,
        email_status=Notification.Email.SENDING,
        email_claimed_at=notification.email_claimed_at,
    )
    try:
        subject, body = _email_message(notification)
    except Exception as exc:
        logger.exception("Email for notification %s could not be made", notification.pk)
        claimed.update(
            email_status=Notification.Email.FAILED,
            email_last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return False
    try:
        send_mail(
            subject,
            body,
            notification.user.email,
            message_id=message_id(notification),
            connection=connection,
        )
    except Exception as exc:
        logger.warning("Email for notification %s failed: %s", notification.pk, exc)
        claimed.update(
            email_status=Notification.Email.FAILED,
            email_last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        if connection is not None:
            connection.close()
        return False
    claimed.update(email_status=Notification.Email.SENT, email_sent_at=timezone.now())
    return True


def _mail_session():
    """The run's connection to the mail server, open; None if the server cannot be reached
    (the emails then wait, unclaimed and with no attempt spent, for the next run)."""
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:
        logger.warning("Mail server unavailable; emails wait for the next run: %s", exc)
        return None
    return connection


def send_emails(*, stats: Stats, limit: int, deadline: float) -> None:
    """Up to ``limit`` emails over one mail session (5,000 SMTP connections, each with
    its TLS handshake and sign-in, would outlast the run), reopened after a failure."""
    stats.emails_interrupted += mark_interrupted_claims()
    connection = None
    try:
        for _ in range(limit):
            if _time.monotonic() > deadline:
                break
            if connection is None:
                if not Notification.objects.filter(_sendable(timezone.now())).exists():
                    break  # nothing to send: no session opened (most runs)
                connection = _mail_session()
                if connection is None:
                    stats.mail_server_unavailable = True
                    break
            notification = claim_next()
            if notification is None:
                break
            if deliver(notification, connection):
                stats.emails_sent += 1
            else:
                stats.emails_failed += 1
                connection = None  # closed by deliver: the next email opens a new session
    finally:
        if connection is not None:
            connection.close()


# --- The sweep ------------------------------------------------------------------------------


def sweep(
    *,
    today: date,
    now: datetime | None = None,
    batch_size: int = 500,
    email_limit: int = 5000,
    time_budget: float = 20 * 60,
) -> Stats:
    """Create the alerts due on ``today`` and send the emails waiting; safe to run twice.

    ``now`` decides 24-hour duties (default: the clock). Run it outside a transaction:
    each claim must be committed before its email is sent. Bounded: ``batch_size`` duties
    per transaction, at most ``email_limit`` emails and ``time_budget`` seconds of sending
    (what is left waits for the next run).
    """
    now = now or timezone.now()
    stats = Stats()
    deadline = _time.monotonic() + time_budget
    create_alerts(today=today, now=now, batch_size=batch_size, stats=stats)
    send_emails(stats=stats, limit=email_limit, deadline=deadline)
    logger.info("send_overdue_alerts: %s", stats.as_dict())
    return stats
