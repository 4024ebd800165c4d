"""IRO escalations (seed 000 "IRO Escalation Process"; timescales.md §5).

An IRO raises an escalation about a child's placement or the care the child gets. It
moves through the stages of ``IroEscalation.Stage`` in order: informal resolution with
the social worker (and team manager), then formal stages to the team manager, the
service manager and the assistant director. Each stage has a named respondent and a
response deadline kept as an ``escalation_response`` duty (subject
``escalation_stage:<stage pk>``), so it is in ``deadlines``, the respondent's worktray and
the overdue sweep like any other duty.

Who may do what (decided here, documented in the README):

- **raise**: a user with the IRO role who may see the child
  (``placements.selectors.children_visible_to``). For an IRO that is the children they
  review (``Child.iro``), so in practice the child's allocated IRO;
- **reply**: the respondent named on the open stage, and nobody else;
- **move on, resolve**: an IRO who may see the child (the child's IRO, who may have
  taken over from the one who raised it);
- a scoping meeting may be requested (:func:`may_request_scoping`) when the stages are
  exhausted (the assistant director stage has a reply or is past its deadline) or the
  IRO judged the concern serious, systemic and significant.

Timescales: working days (England, ``duties.calendar``) from the day a stage opens, one
``RuleValue`` per stage (:data:`TIMESCALE_RULES`). Seed 000 names no figure (it refers to
a separate "IRO Escalation Process (November 2022)"): the defaults are ours, and the
authority's to set in the admin.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from duties import timescales
from duties.calendar import add_working_days
from duties.services import duty_cancel, duty_done, duty_open, notify
from placements.models import Child, Placement
from placements.selectors import children_visible_to
from visits.models import Visit

from .concerns import _stamp
from .duty_kinds import ESCALATION_RESPONSE
from .models import EscalationStage, IroEscalation

Stage = IroEscalation.Stage
STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)

SEED_SOURCE = "Seed 000 'IRO Escalation Process'"

#: Stage -> (RuleValue name, default working days, help text).
TIMESCALE_RULES: dict[str, tuple[str, int, str]] = {
    Stage.INFORMAL: (
        "escalation_informal_working_days",
        5,
        "Working days from an IRO raising an escalation for the social worker (with the team "
        "manager) to reply at the informal stage. Seed 000 names no figure: the authority's "
        "to set.",
    ),
    Stage.TEAM_MANAGER: (
        "escalation_team_manager_working_days",
        5,
        "Working days for the team manager to reply at formal stage 1 of an IRO escalation. "
        "Seed 000 names no figure: the authority's to set.",
    ),
    Stage.SERVICE_MANAGER: (
        "escalation_service_manager_working_days",
        10,
        "Working days for the service manager to reply at formal stage 2 of an IRO "
        "escalation. Seed 000 names no figure: the authority's to set.",
    ),
    Stage.ASSISTANT_DIRECTOR: (
        "escalation_assistant_director_working_days",
        10,
        "Working days for the assistant director to reply at formal stage 3 of an IRO "
        "escalation. Seed 000 names no figure: the authority's to set.",
    ),
}


def response_working_days(stage: str) -> int:
    """The working days a respondent has at this stage; an administrator edits the
    RuleValue (seeded by escalations/0004; created here if it has gone)."""
    name, default, help_text = TIMESCALE_RULES[stage]
    return timescales.value(name, default=default, help_text=help_text, source=SEED_SOURCE)


def response_due(stage: str, opened_on: date, working_days: int | None = None) -> date:
    """The reply is due on the N-th working day after the stage opens (day 1 is the first
    working day after it; bank holidays in England do not count)."""
    if working_days is None:
        working_days = response_working_days(stage)
    return add_working_days(opened_on, working_days)


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


# --- Who answers ---------------------------------------------------------------------------


def _active(user: User | None, role: str | None = None) -> User | None:
    if user is None or not user.is_active:
        return None
    if role is not None and user.role != role:
        return None
    return user


def _first(role: str, **filters) -> User | None:
    return User.objects.filter(role=role, is_active=True, **filters).order_by("pk").first()


def _team_manager(child: Child) -> User | None:
    worker = child.social_worker
    manager = _active(worker.line_manager if worker else None, Role.TEAM_MANAGER)
    if manager is None and child.team_id:
        manager = _first(Role.TEAM_MANAGER, team_id=child.team_id)
    return manager


def _service_manager(child: Child) -> User | None:
    team_manager = _team_manager(child)
    manager = _active(team_manager.line_manager if team_manager else None, Role.SERVICE_MANAGER)
    return manager or _first(Role.SERVICE_MANAGER)


def _assistant_director(child: Child) -> User | None:
    service_manager = _service_manager(child)
    director = _active(
        service_manager.line_manager if service_manager else None, Role.ASSISTANT_DIRECTOR
    )
    return director or _first(Role.ASSISTANT_DIRECTOR)


def stage_respondent(child: Child, stage: str) -> User | None:
    """Who replies at this stage: the social worker (else the team manager) informally;
    then the social worker's line manager (else a team manager of the child's team); that
    manager's line manager (else a service manager); then an assistant director."""
    if stage == Stage.INFORMAL:
        return _active(child.social_worker) or _team_manager(child)
    if stage == Stage.TEAM_MANAGER:
        return _team_manager(child)
    if stage == Stage.SERVICE_MANAGER:
        return _service_manager(child)
    return _assistant_director(child)


# --- Rules of the workflow -----------------------------------------------------------------


def _may_see(actor: User, child_id: int) -> bool:
    return children_visible_to(actor).filter(pk=child_id).exists()


def is_iro_for(actor: User, escalation: IroEscalation) -> bool:
    """May move the escalation on or resolve it: an IRO who may see the child."""
    return (
        actor.is_authenticated and actor.role == Role.IRO and _may_see(actor, escalation.child_id)
    )


def open_stage(escalation: IroEscalation) -> EscalationStage | None:
    if escalation.status != IroEscalation.Status.OPEN:
        return None
    return escalation.stages.filter(stage=escalation.stage, closed_on__isnull=True).first()


def may_request_scoping(escalation: IroEscalation, stage: EscalationStage | None, today: date):
    """Seed 000: when the stages are exhausted (the assistant director stage has a reply,
    or its deadline has passed), or the concern is serious, systemic and significant."""
    if escalation.status != IroEscalation.Status.OPEN:
        return False
    if escalation.serious_systemic:
        return True
    return (
        escalation.stage == Stage.ASSISTANT_DIRECTOR
        and stage is not None
        and (stage.responded_at is not None or today > stage.due)
    )


# --- Writes --------------------------------------------------------------------------------


def _open_stage(
    escalation: IroEscalation, stage: str, *, reasons: str, today: date, actor: User
) -> EscalationStage:
    child = escalation.child
    respondent = stage_respondent(child, stage)
    if respondent is None:
        raise ValidationError(
            f"There is no one to reply at the stage “{Stage(stage).label}”: ask an "
            "administrator to record the manager."
        )
    days = response_working_days(stage)
    row = EscalationStage(
        escalation=escalation,
        stage=stage,
        respondent=respondent,
        opened_on=today,
        due=response_due(stage, today, days),
        reasons=reasons,
    )
    _stamp(row, actor, f"Opened: {Stage(stage).label}").save()
    rule_name = TIMESCALE_RULES[stage][0]
    duty_open(
        kind=ESCALATION_RESPONSE,
        subject=f"escalation_stage:{row.pk}",
        child=child,
        setting=escalation.setting,
        placement=escalation.placement,
        owner=respondent,
        team=respondent.team,
        due=row.due,
        basis=(
            f"Reply to IRO escalation {escalation.pk} ({Stage(stage).label}) within {days} "
            f"working days of {today:%d %B %Y}"
        ),
        source=f"{SEED_SOURCE}; RuleValue {rule_name}",
    )
    url = reverse("escalations:escalation_stage", kwargs={"pk": row.pk})
    notify(
        respondent,
        key=f"escalation_stage:{row.pk}:opened",
        subject=f"IRO escalation for child {child.child_id}: your reply is due by "
        f"{row.due:%d %B %Y}",
        body=(
            f"{actor} has escalated a concern about the care of child {child.child_id} to "
            f"you ({Stage(stage).label}). Please reply in the system by {row.due:%d %B %Y}."
        ),
        url=url,
    )
    return row


def _close_open_stage(escalation: IroEscalation, today: date, actor: User) -> None:
    for row in escalation.stages.select_for_update().filter(closed_on__isnull=True):
        row.closed_on = today
        _stamp(row, actor, "Closed").save(update_fields=["closed_on"])
        duty_cancel(kind=ESCALATION_RESPONSE, subject=f"escalation_stage:{row.pk}")


def _placement_on(child: Child, today: date) -> Placement | None:
    return (
        Placement.objects.filter(child=child, decom__lte=today)
        .filter(Q(dec__isnull=True) | Q(dec__gt=today))
        .select_related("setting")
        .order_by("-decom", "-pk")
        .first()
    )


def escalation_raise(
    *,
    child: Child,
    concern: str,
    evidence: str,
    evidence_visits,
    resolution_sought: str,
    serious_systemic: bool,
    actor: User,
    today: date,
) -> IroEscalation:
    """Raise an escalation and open its informal stage. Posting the same escalation twice
    (same IRO, child, day and concern) gives back the first."""
    if actor.role != Role.IRO:
        raise PermissionDenied
    if not _may_see(actor, child.pk):
        raise PermissionDenied
    errors = {}
    if not concern.strip():
        errors["concern"] = "Describe the concern."
    if not resolution_sought.strip():
        errors["resolution_sought"] = "Say what resolution you seek."
    visits = list(evidence_visits or [])
    if any(v.child_id != child.pk or v.status != Visit.Status.FINISHED for v in visits):
        errors["evidence_visits"] = "Choose finished visits to this child."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        child = (
            Child.objects.select_for_update(of=("self",))
            .select_related("social_worker", "social_worker__line_manager", "team")
            .get(pk=child.pk)
        )
        same = IroEscalation.objects.filter(
            child=child,
            raised_by=actor,
            raised_on=today,
            concern=concern.strip(),
            status=IroEscalation.Status.OPEN,
        ).first()
        if same is not None:
            return same
        placement = _placement_on(child, today)
        escalation = IroEscalation(
            child=child,
            placement=placement,
            setting=placement.setting if placement else None,
            raised_by=actor,
            raised_on=today,
            concern=concern.strip(),
            evidence=evidence.strip(),
            resolution_sought=resolution_sought.strip(),
            serious_systemic=serious_systemic,
            stage=Stage.INFORMAL,
        )
        escalation.full_clean()
        _stamp(escalation, actor, "Raised").save()
        escalation.evidence_visits.set(visits)
        _open_stage(escalation, Stage.INFORMAL, reasons="", today=today, actor=actor)
    return escalation


def stage_respond(*, stage: EscalationStage, response: str, actor: User, now) -> EscalationStage:
    """The respondent's reply: recorded once, the duty done, the IRO told."""
    today = timezone.localdate(now)
    if not response.strip():
        raise ValidationError({"response": "Write your reply."})
    with transaction.atomic():
        row = (
            EscalationStage.objects.select_for_update()
            .select_related("escalation", "escalation__child", "escalation__raised_by")
            .get(pk=stage.pk)
        )
        if row.respondent_id != actor.pk:
            raise PermissionDenied
        escalation = row.escalation
        if row.closed_on is not None or escalation.status != IroEscalation.Status.OPEN:
            raise ValidationError("This stage of the escalation is closed.")
        if row.responded_at is not None:
            raise ValidationError("You have already replied at this stage.")
        row.response = response.strip()
        row.responded_at = now
        row.responded_by = actor
        _stamp(row, actor, "Replied").save(
            update_fields=["response", "responded_at", "responded_by"]
        )
        duty_done(kind=ESCALATION_RESPONSE, subject=f"escalation_stage:{row.pk}", done_on=today)
        iro = escalation.raised_by
        notify(
            iro,
            key=f"escalation_stage:{row.pk}:reply",
            subject=f"Reply to your IRO escalation for child {escalation.child.child_id}",
            body=(
                f"{actor} has replied at the stage “{row.get_stage_display()}”. Resolve the "
                "escalation, or move it on to the next stage with your reasons."
            ),
            url=reverse("escalations:iro_escalation", kwargs={"pk": escalation.pk}),
        )
    return row


def _locked(escalation: IroEscalation, actor: User) -> IroEscalation:
    locked = (
        IroEscalation.objects.select_for_update(of=("self",))
        .select_related("child", "child__social_worker", "child__team")
        .get(pk=escalation.pk)
    )
    if not is_iro_for(actor, locked):
        raise PermissionDenied
    if locked.status != IroEscalation.Status.OPEN:
        raise ValidationError("This escalation is no longer open.")
    return locked


def escalation_advance(
    *, escalation: IroEscalation, reasons: str, from_stage: str, actor: User, today: date
) -> EscalationStage:
    """Move to the next stage with the IRO's reasons. ``from_stage`` is the stage the IRO
    saw: a second post of the same form does not move it on twice."""
    if not reasons.strip():
        raise ValidationError({"reasons": "Give your reasons for moving to the next stage."})
    with transaction.atomic():
        escalation = _locked(escalation, actor)
        if from_stage != escalation.stage:
            raise ValidationError(
                f"This escalation has already moved on to “{escalation.get_stage_display()}”."
            )
        following = next_stage(escalation.stage)
        if following is None:
            raise ValidationError(
                "This is the last stage: resolve the escalation, or request a scoping meeting."
            )
        _close_open_stage(escalation, today, actor)
        escalation.stage = following
        _stamp(escalation, actor, f"Moved to {Stage(following).label}").save(
            update_fields=["stage"]
        )
        return _open_stage(escalation, following, reasons=reasons.strip(), today=today, actor=actor)


def escalation_resolve(
    *, escalation: IroEscalation, resolution: str, actor: User, today: date
) -> IroEscalation:
    if not resolution.strip():
        raise ValidationError({"resolution": "Say how the concern was resolved."})
    with transaction.atomic():
        escalation = _locked(escalation, actor)
        _close_open_stage(escalation, today, actor)
        escalation.status = IroEscalation.Status.RESOLVED
        escalation.resolved_on = today
        escalation.resolution = resolution.strip()
        _stamp(escalation, actor, "Resolved").save(
            update_fields=["status", "resolved_on", "resolution"]
        )
    return escalation


def escalation_scoping_requested(
    *, escalation: IroEscalation, actor: User, today: date
) -> IroEscalation:
    """For the scoping request service to call, in its transaction, when an IRO requests a
    scoping meeting from an escalation: the open stage closes and its duty ends."""
    escalation = _locked(escalation, actor)
    stage = open_stage(escalation)
    if not may_request_scoping(escalation, stage, today):
        raise ValidationError(
            "A scoping meeting may be requested once the stages are exhausted, or for a "
            "serious, systemic and significant concern."
        )
    _close_open_stage(escalation, today, actor)
    escalation.status = IroEscalation.Status.SCOPING_REQUESTED
    _stamp(escalation, actor, "Scoping meeting requested").save(update_fields=["status"])
    return escalation
