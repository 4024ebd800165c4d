"""Writes of a child's plans and assessments: recording one and changing it.

Each write is one transaction: the plan (with its history: who, when, why), its document
stored under a random name (a replaced document's file is kept, and the history still
names it), and the child's duties recomputed, so that the care plan, placement plan,
health assessment, PEP or updated assessment it discharges closes at once (timescales.md
§7; the duty kinds are ``plans.duty_kinds``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from core.history import stamp
from duties.recompute import refresh_for_children
from placements.models import Child, Placement
from placements.periods import looked_after_since

from .documents import Checked
from .models import HealthStage, Plan, PlanKind, Source

#: Managers who may record a plan for a child they see (their teams' children): the
#: child's team manager and the service manager above them.
MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER})


def may_record(user: User, child: Child) -> bool:
    """The child's social worker or personal adviser, or a team or service manager who sees
    the child (the caller has checked that: ``child_for``). The IRO reads only."""
    if not user.is_active:
        return False
    if user.pk in (child.social_worker_id, child.personal_adviser_id):
        return True
    return user.role in MANAGER_ROLES


def _fmt(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


@dataclass
class PlanInput:
    """What the form gives the service."""

    kind: str
    completed_on: date
    completed_by_name: str
    summary: str = ""
    placement: Placement | None = None
    stage: str = ""
    document: tuple[object, Checked] | None = None  # (the upload, what it was checked to be)


def _period_of_care(child: Child, day: date) -> tuple[date, date | None] | None:
    """The child's period of care holding ``day`` (first DECOM, last DEC or None while
    open), or None if the child was not looked after on it."""
    episodes = list(child.placements.order_by("decom", "pk").only("pk", "decom", "dec"))
    since = looked_after_since(episodes)
    periods: dict[date, date | None] = {}
    for episode in episodes:
        start = since[episode.pk]
        end = periods.get(start, episode.dec)
        periods[start] = None if episode.dec is None or end is None else max(end, episode.dec)
    for start, end in periods.items():
        if start <= day and (end is None or day <= end):
            return start, end
    return None


def field_errors(
    child: Child, *, kind: str, completed_on: date | None, placement, stage: str, today: date
) -> dict[str, str]:
    """What the form can tell at once, beside each field (the form shows them with its own
    errors; the service checks them again): a date before the child's birth or in the
    future, a placement plan without its placement, a health assessment without its stage."""
    errors: dict[str, str] = {}
    if completed_on is not None and completed_on > today:
        errors["completed_on"] = "The date completed must be today or in the past."
    elif completed_on is not None and completed_on < child.date_of_birth:
        errors["completed_on"] = (
            f"The date completed must be on or after {child.first_name}'s date of birth, "
            f"{_fmt(child.date_of_birth)}."
        )
    if kind == PlanKind.PLACEMENT_PLAN and placement is None:
        errors["placement"] = "Select the placement this placement plan is for."
    if kind == PlanKind.HEALTH_ASSESSMENT and not stage:
        errors["stage"] = "Select whether this is an initial or a review health assessment."
    return errors


def _check(child: Child, data: PlanInput, today: date, plan: Plan | None) -> None:
    """Refuse, beside the field, what cannot be: :func:`field_errors`, a second initial
    health assessment in one period of care, the same record twice."""
    errors = field_errors(
        child,
        kind=data.kind,
        completed_on=data.completed_on,
        placement=data.placement,
        stage=data.stage,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    others = Plan.objects.filter(child=child, kind=data.kind)
    if plan is not None:
        others = others.exclude(pk=plan.pk)
    if data.kind == PlanKind.PLACEMENT_PLAN:
        same_day = others.filter(placement=data.placement, completed_on=data.completed_on)
    else:
        same_day = others.filter(placement__isnull=True, completed_on=data.completed_on)
    if same_day.exists():
        label = PlanKind(data.kind).label.lower()
        for_what = " for this placement" if data.kind == PlanKind.PLACEMENT_PLAN else ""
        raise ValidationError(
            {
                "completed_on": f"A {label}{for_what} completed on {_fmt(data.completed_on)} "
                "is already recorded: change that one instead."
            }
        )
    if data.kind == PlanKind.HEALTH_ASSESSMENT and data.stage == HealthStage.INITIAL:
        # The initial health assessment is done once when a child becomes looked after
        # (003_… 10.14, line 935: "an initial health assessment ... within timescales";
        # TS §7: within 20 working days); the later ones are reviews.
        period = _period_of_care(child, data.completed_on)
        if period is not None:
            start, end = period
            earlier = others.filter(stage=HealthStage.INITIAL, completed_on__gte=start)
            if end is not None:
                earlier = earlier.filter(completed_on__lte=end)
            found = earlier.order_by("completed_on").values_list("completed_on", flat=True).first()
            if found is not None:
                raise ValidationError(
                    {
                        "stage": "An initial health assessment is already recorded for this "
                        f"period of care (completed on {_fmt(found)}): record this one as a "
                        "review health assessment."
                    }
                )


def _completed_by(name: str, actor: User, plan: Plan | None) -> User | None:
    """The member of staff who completed it, where the name is theirs: the person recording
    it, or (a change that keeps the name) whoever was named before."""

    def same(user: User | None) -> bool:
        return user is not None and user.get_full_name().casefold() == name.casefold()

    if same(actor):
        return actor
    if plan is not None and same(plan.completed_by):
        return plan.completed_by
    return None


def _save(plan: Plan, child: Child, data: PlanInput, actor: User, today: date, reason: str):
    # Serialise writes about this child's plans: two at once would both pass the checks.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    _check(child, data, today, plan if plan.pk else None)
    plan.kind = data.kind
    plan.placement = data.placement if data.kind == PlanKind.PLACEMENT_PLAN else None
    plan.stage = data.stage if data.kind == PlanKind.HEALTH_ASSESSMENT else ""
    plan.completed_on = data.completed_on
    plan.completed_by_name = data.completed_by_name.strip()
    plan.completed_by = _completed_by(plan.completed_by_name, actor, plan if plan.pk else None)
    plan.summary = data.summary.strip()
    if data.document is not None:
        upload, checked = data.document
        # A new name each time (attachment_path): the replaced file stays where its
        # history row points.
        plan.attachment = upload
        plan.attachment_name = checked.name
        plan.attachment_type = checked.content_type
        plan.attachment_size = checked.size
        reason += "; document attached" if reason == "Recorded" else "; document replaced"
    try:
        with transaction.atomic():
            stamp(plan, actor, reason).save()
    except IntegrityError:
        # Another request recorded the same one meanwhile (the constraints hold it).
        raise ValidationError(
            {"completed_on": "This record was saved meanwhile by someone else: check the list."}
        ) from None
    refresh_for_children([child.pk], today=today)
    return plan


@transaction.atomic
def plan_record(*, child: Child, data: PlanInput, actor: User, today: date) -> Plan:
    """Record a plan or assessment of the child."""
    plan = Plan(child=child, recorded_by=actor, source=Source.BROWSER)
    return _save(plan, child, data, actor, today, "Recorded")


@transaction.atomic
def plan_change(*, plan: Plan, data: PlanInput, actor: User, today: date) -> Plan:
    """Change a recorded plan or assessment; its history keeps the version before."""
    return _save(plan, plan.child, data, actor, today, "Changed")
