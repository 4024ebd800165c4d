"""Every write to visits (the Purposeful Visiting Form): one transaction each, with history.

A visit starts as a draft that its visitor (or the visitor's line manager) can save
as often as they like, with no question required. Finishing checks the form is
complete and signs it; a finished visit is never edited again, only amended: the
amendment is a new draft copied from it, and finishing that marks the old version
superseded, so both versions stay on record.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import CASEWORKER_ROLES, MANAGER_ROLES, Role, User
from core.history import stamp as _stamp
from duties.models import AlertLevel, Notification
from duties.recompute import refresh_for_children
from duties.services import alert_once, notify
from placements.models import Child, Placement

from . import notices, pvf_review, recording
from .models import FORM_FIELDS, Visit, VisitKind

# Who may record which kind of visit (issue: "Kinds of visit").
RECORDING_ROLES: dict[str, frozenset[str]] = {
    VisitKind.STATUTORY: CASEWORKER_ROLES | MANAGER_ROLES,
    VisitKind.PURPOSEFUL: CASEWORKER_ROLES | MANAGER_ROLES,
    VisitKind.IRO: frozenset({Role.IRO}),
    VisitKind.COMMISSIONING: frozenset({Role.COMMISSIONING_OFFICER}),
    VisitKind.SERVICE_MANAGER: frozenset({Role.SERVICE_MANAGER}),
}

# Copied to an amendment besides the answers; the signature is not: the amended
# version is signed again by whoever finishes it.
_AMENDMENT_COPIES = ("child", "placement", "setting", "kind", "visitor", "visitor_name")
_NOT_SIGNED_AGAIN = ("signature", "signed_on")

# Answers a finished form must have (the paper form's questions).
REQUIRED_TO_FINISH = {
    "visited_at": "Enter the date and time of the visit",
    "venue": "Enter the venue of the visit",
    "where_seen": "Say where the child or young person was seen",
    "issues_discussed": "Say what issues were discussed",
    "views_wishes_feelings": "Record the child or young person's views, wishes and feelings",
    "analysis": "Give your analysis of the visit and its impact on the child's lived "
    "experience and care planning",
    "working_well": "Say what is working well",
    "worried_about": "Say what you are worried about, or that you have no worries",
    "needs_to_happen": "Say what needs to happen",
    "signature": "Sign the form: type your name",
    "signed_on": "Enter the date of signature",
}


class VisitLocked(PermissionDenied):
    """A finished (or superseded) visit is read-only: amend it instead."""


# --- Who may do what ----------------------------------------------------------------------


def kinds_recordable_by(user: User) -> list[str]:
    return [kind for kind, roles in RECORDING_ROLES.items() if user.role in roles]


def may_record(user: User, kind: str) -> bool:
    return user.role in RECORDING_ROLES.get(kind, frozenset())


def may_edit(user: User, visit: Visit) -> bool:
    """A draft is its visitor's, and their line manager's, to change."""
    if visit.status != Visit.Status.DRAFT or not user.is_authenticated:
        return False
    if visit.visitor_id is None:
        return visit.created_by_id == user.pk
    return visit.visitor_id == user.pk or visit.visitor.line_manager_id == user.pk


def may_amend(user: User, visit: Visit) -> bool:
    if visit.status != Visit.Status.FINISHED or not user.is_authenticated:
        return False
    if visit.visitor_id is None:  # imported history recorded by name only
        return may_record(user, visit.kind)
    return visit.visitor_id == user.pk or visit.visitor.line_manager_id == user.pk


# --- Facts --------------------------------------------------------------------------------


def placement_on(child: Child, day: date, *, upcoming: bool = False) -> Placement | None:
    """The child's placement open on `day`; with `upcoming`, else the next one to start
    (a purposeful visit is made before the placement starts)."""
    placements = child.placements.select_related("setting")
    current = (
        placements.filter(decom__lte=day)
        .filter(Q(dec__isnull=True) | Q(dec__gt=day))
        .order_by("-decom", "-pk")
        .first()
    )
    if current is None and upcoming:
        current = placements.filter(decom__gt=day).order_by("decom", "pk").first()
    return current


def line_manager_of(visit: Visit) -> User | None:
    """Who an escalation goes to: the visitor's line manager, if they are still here."""
    manager = visit.visitor.line_manager if visit.visitor is not None else None
    return manager if manager is not None and manager.is_active else None


def finish_errors(visit: Visit, *, now: datetime) -> dict[str, list[str]]:
    """What stops this draft being finished, by field; empty when it is complete."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, message in REQUIRED_TO_FINISH.items():
        value = getattr(visit, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            add(field, message)
    if not (visit.visitor_role or "").strip():
        add("visitor_role", "Enter your role")
    today = timezone.localdate(now)
    if visit.visited_at is not None:
        visit_day = timezone.localdate(visit.visited_at)
        if visit.visited_at > now:
            add("visited_at", "The date and time of the visit must be in the past")
        elif visit_day < visit.child.date_of_birth:
            add("visited_at", "The visit cannot be before the child was born")
    if visit.within_timescales is None:
        add("within_timescales", "Say whether the visit was within timescales")
    elif visit.within_timescales is False and not visit.not_within_timescales_reason.strip():
        add("not_within_timescales_reason", "Say why the visit was not within timescales")
    if visit.seen_alone is None:
        add("seen_alone", "Say whether the child or young person was seen alone")
    elif visit.seen_alone is False:
        if not visit.others_present.strip():
            add("others_present", "Say who else was present, and their job positions")
        # 003 10.10: "I have seen the child/young person alone during my Statutory 6 weekly
        # visit. If not, I have recorded the reasons why".
        if visit.kind == VisitKind.STATUTORY and not visit.not_seen_alone_reason.strip():
            add("not_seen_alone_reason", "Say why the child or young person was not seen alone")
    if not visit.in_person and not virtual_allowed(visit):
        add(
            "in_person",
            "A visit can be virtual only where the guidance allows it: a purposeful visit "
            "to a child in an unregistered placement",
        )
    if visit.signed_on is not None:
        if visit.signed_on > today:
            add("signed_on", "The date of signature must be today or in the past")
        elif visit.visited_at is not None and visit.signed_on < timezone.localdate(
            visit.visited_at
        ):
            add("signed_on", "The date of signature cannot be before the visit")
    return errors


def virtual_allowed(visit: Visit) -> bool:
    """000 'Visiting timescales for unregistered placements': one of the twice-weekly
    social worker visits may be virtual. Every other visit is made in person."""
    return (
        visit.kind == VisitKind.PURPOSEFUL
        and visit.setting is not None
        and visit.setting.is_unregistered
    )


# --- Side effects -------------------------------------------------------------------------


def after_visits_recorded(child_ids) -> None:
    """Bring every duty a visit can discharge up to date: the schedule's (and so every
    recomputed duty of the children), and the visits due after an Ofsted notice."""
    refresh_for_children(child_ids)
    notices.notice_visits_discharge(child_ids)


def refresh_duties_on_commit(child_ids) -> None:
    ids = sorted(set(child_ids))
    if ids:
        # robust: the visit is saved either way; a failed refresh is logged and the nightly
        # recompute puts the duties right.
        transaction.on_commit(lambda: after_visits_recorded(ids), robust=True)


def _escalate(visit: Visit) -> Notification | None:
    """Tell the visitor's line manager at once; the key makes it once only, whatever happens.

    The email subject and body carry the child's ID, never the name: the alert sweep
    sends pending notifications by email.
    """
    manager = line_manager_of(visit)
    if manager is None:
        return None
    when = timezone.localtime(visit.visited_at).strftime("%d/%m/%Y") if visit.visited_at else ""
    return notify(
        manager,
        key=f"visit-escalation:{visit.pk}",
        subject=(
            f"{AlertLevel.ESCALATED.label}: {visit.get_kind_display()} "
            f"for child {visit.child.child_id}"
        ),
        body=(
            f"{visit.visitor_name} has escalated their {visit.get_kind_display().lower()} "
            f"to child {visit.child.child_id} on {when} to you as their line manager. "
            "Read the visit record for the risk factors and the next steps."
        ),
        url=reverse("visits:visit", kwargs={"pk": visit.pk}),
        alert=alert_once(subject=f"visit:{visit.pk}", level=AlertLevel.ESCALATED),
    )


# --- Services -----------------------------------------------------------------------------


@transaction.atomic
def visit_start(*, child: Child, kind: str, actor: User, now: datetime) -> Visit:
    """A new draft, filled in with what we know: who is visiting and where the child lives."""
    if kind not in VisitKind.values:
        raise ValidationError({"kind": "Choose the kind of visit"})
    if not may_record(actor, kind):
        raise PermissionDenied("You cannot record this kind of visit")
    placement = placement_on(child, timezone.localdate(now), upcoming=kind == VisitKind.PURPOSEFUL)
    setting = placement.setting if placement else None
    venue = ""
    if setting is not None:
        venue = ", ".join(
            part for part in (setting.name, setting.address_line_1, setting.town) if part
        )
    visit = Visit(
        child=child,
        kind=kind,
        status=Visit.Status.DRAFT,
        source=Visit.Source.BROWSER,
        visitor=actor,
        visitor_name=actor.get_full_name() or actor.username,
        visitor_role=actor.job_title or actor.role_label,
        placement=placement,
        setting=setting,
        venue=venue[:300],
        created_by=actor,
    )
    _stamp(visit, actor, "Visit started").save()
    return visit


def _locked_draft(visit: Visit, actor: User) -> Visit:
    locked = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("child", "setting", "visitor")
        .get(pk=visit.pk)
    )
    if locked.status != Visit.Status.DRAFT:
        raise VisitLocked("This visit is finished: amend it to make a change")
    if not may_edit(actor, locked):
        raise PermissionDenied("Only the visitor or their line manager can change this draft")
    return locked


def _apply(visit: Visit, data: dict) -> None:
    for field in FORM_FIELDS:
        if field in data:
            value = data[field]
            model_field = Visit._meta.get_field(field)
            if value is None and not model_field.null:
                if model_field.get_internal_type() == "BooleanField":
                    continue  # a yes/no with a default is never blank
                value = ""
            setattr(visit, field, value)


@transaction.atomic
def visit_save_draft(*, visit: Visit, data: dict, actor: User) -> Visit:
    """Save whatever is there: a draft has no required answers."""
    locked = _locked_draft(visit, actor)
    visited_at = locked.visited_at
    _apply(locked, data)
    _stamp(locked, actor, "Draft saved").save()
    if locked.visited_at != visited_at:
        # The date of the visit starts (or moves) the recording duty (003_… §20).
        transaction.on_commit(lambda: refresh_for_children([locked.child_id]), robust=True)
    return locked


@transaction.atomic
def visit_finish(*, visit: Visit, data: dict, actor: User, now: datetime) -> Visit:
    """Check the form is complete, sign it off, and tell whoever needs to know."""
    locked = _locked_draft(visit, actor)
    _apply(locked, data)
    if locked.visited_at is not None:
        # The placement the visit was made in (or, for a purposeful visit, made before).
        placement = placement_on(
            locked.child,
            timezone.localdate(locked.visited_at),
            upcoming=locked.kind == VisitKind.PURPOSEFUL,
        )
        if placement is not None or locked.placement_id is None:
            locked.placement = placement
            locked.setting = placement.setting if placement else locked.setting
    errors = finish_errors(locked, now=now)
    if errors:
        raise ValidationError(errors)
    # Every visit recorded here has its recording row (003_… §20), done after the commit.
    recording.open_on_finish(locked, today=timezone.localdate(now))
    locked.status = Visit.Status.FINISHED
    locked.finished_at = now
    reason = "Amendment finished" if locked.supersedes_id else "Visit finished"
    _stamp(locked, actor, reason).save()
    if locked.supersedes_id:
        old = Visit.objects.select_for_update().get(pk=locked.supersedes_id)
        old.status = Visit.Status.SUPERSEDED
        _stamp(old, actor, f"Superseded by amendment {locked.pk}").save(
            update_fields=["status", "updated_at"]
        )
    if locked.escalate_to_line_manager:
        _escalate(locked)
    # The first form of a placement goes to the child's IRO to review (000_… line 137).
    pvf_review.open_on_finish(locked, now=now)
    refresh_duties_on_commit([locked.child_id])
    return locked


@transaction.atomic
def visit_amend(*, visit: Visit, reason: str, actor: User) -> Visit:
    """A new draft copied from a finished visit; the old one stays until this is finished."""
    old = Visit.objects.select_for_update(of=("self",)).select_related("visitor").get(pk=visit.pk)
    existing = Visit.objects.filter(supersedes=old, status=Visit.Status.DRAFT).first()
    if existing is not None:
        return existing  # an amendment is already under way: carry on with it
    if old.status != Visit.Status.FINISHED:
        raise VisitLocked("Only the latest finished version of a visit can be amended")
    if not may_amend(actor, old):
        raise PermissionDenied("Only the visitor or their line manager can amend this visit")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the visit record needs amending"})
    new = Visit(
        status=Visit.Status.DRAFT,
        source=Visit.Source.BROWSER,
        supersedes=old,
        amendment_reason=reason.strip(),
        created_by=actor,
    )
    for field in (*_AMENDMENT_COPIES, *FORM_FIELDS):
        if field not in _NOT_SIGNED_AGAIN:
            setattr(new, field, getattr(old, field))
    _stamp(new, actor, f"Amendment of visit {old.pk}: {reason.strip()}"[:100]).save()
    return new
