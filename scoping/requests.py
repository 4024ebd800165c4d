"""Scoping meeting requests: the three routes of seed 000 "Risk Assessment and Scoping
Meeting", and the assistant director's decision on route 2. Every write is one transaction,
stamped with its actor in the history and written to the request's trail (its events).

- Route 1 (``concerns``): the LADO service, after an Inadequate judgement (opened by
  ``scoping.judgements`` through :func:`open_for_judgement`) or for a pattern of concern
  (a LADO officer, through :func:`request_submit`). Approved at once.
- Route 2 (``professional``): any professional (social worker, personal adviser, managers,
  an IRO from an escalation, commissioning), once direct resolution with the provider is
  exhausted; says what was tried. The assistant director approves, refuses with reasons or
  asks for more information (a ``scoping_meeting`` duty of theirs, due within
  ``scoping_request_decision_days`` working days); a refused request, or one asked for more
  information, can be resubmitted. The requester is told of every decision.
- Route 3 (``corporate_parenting``): raised by the assistant director. Approved at once.

An approved request (any route) is a ``scoping_meeting`` duty for the LADO service team to
convene the meeting, due within ``scoping_meeting_convene_days`` working days of the
approval (:func:`convene_duty_for`). Seed 000 gives neither figure: both are ``RuleValue``
rows an administrator may change (defaults 5 and 10 working days).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import CASEWORKER_ROLES, MANAGER_ROLES, Role, Team, User
from core.history import stamp as _stamp
from duties import timescales
from duties.calendar import add_working_days
from duties.models import Duty
from duties.services import duty_done, duty_open, notify, open_duty
from escalations import iro
from placements.models import Child, Placement, Setting
from placements.selectors import children_visible_to

from .duty_kinds import SCOPING_MEETING
from .models import ScopingRequest, ScopingRequestEvent

Route = ScopingRequest.Route
Status = ScopingRequest.Status
Kind = ScopingRequestEvent.Kind

#: Route 2: any professional. The LADO service uses route 1, the assistant director route 3.
PROFESSIONAL_ROLES = frozenset(
    CASEWORKER_ROLES | MANAGER_ROLES | {Role.IRO, Role.COMMISSIONING_OFFICER}
)
#: Who decides a route-2 request: the assistant director (and the director above them).
DECIDE_ROLES = frozenset({Role.ASSISTANT_DIRECTOR, Role.DIRECTOR})
ROUTE_FOR_ROLE = {
    **dict.fromkeys(PROFESSIONAL_ROLES, Route.PROFESSIONAL),
    Role.LADO: Route.CONCERNS,
    Role.ASSISTANT_DIRECTOR: Route.CORPORATE_PARENTING,
}
REQUEST_ROLES = frozenset(ROUTE_FOR_ROLE)

DECISION_DAYS_RULE = "scoping_request_decision_days"
DECISION_DAYS_DEFAULT = 5
CONVENE_DAYS_RULE = "scoping_meeting_convene_days"
CONVENE_DAYS_DEFAULT = 10
SOURCE = "000 'Risk Assessment and Scoping Meeting' (no timescale given: local rule)"

APPROVE, REFUSE, MORE_INFORMATION = "approve", "refuse", "more_information"
DECISIONS = {
    APPROVE: (Status.APPROVED, Kind.APPROVED),
    REFUSE: (Status.REFUSED, Kind.REFUSED),
    MORE_INFORMATION: (Status.MORE_INFORMATION, Kind.MORE_INFORMATION),
}
RESUBMITTABLE = (Status.REFUSED, Status.MORE_INFORMATION)


# --- Rules --------------------------------------------------------------------------------


def _rule(name: str, default: int, help_text: str) -> int:
    return timescales.value(name, default=default, help_text=help_text, source=SOURCE)


def decision_days() -> int:
    return _rule(
        DECISION_DAYS_RULE,
        DECISION_DAYS_DEFAULT,
        "Working days from a scoping meeting request (route 2) being submitted by which the "
        "assistant director approves it, refuses it or asks for more information.",
    )


def convene_days() -> int:
    return _rule(
        CONVENE_DAYS_RULE,
        CONVENE_DAYS_DEFAULT,
        "Working days from a scoping meeting request being approved by which the LADO "
        "service convenes the meeting.",
    )


# --- Helpers ------------------------------------------------------------------------------


def _url(request: ScopingRequest) -> str:
    return reverse("scoping:request", kwargs={"pk": request.pk})


def _event(request, kind: str, actor: User, at: datetime, text: str = "") -> ScopingRequestEvent:
    return ScopingRequestEvent.objects.create(
        request=request, kind=kind, by=actor, at=at, text=text
    )


def assistant_director() -> User | None:
    """Who decides route-2 requests: the active assistant director (the first, if several)."""
    return User.objects.filter(role=Role.ASSISTANT_DIRECTOR, is_active=True).order_by("pk").first()


def lado_team() -> Team | None:
    return Team.objects.filter(kind=Team.Kind.LADO_SERVICE).order_by("pk").first()


def placed_children(setting: Setting, day: date):
    """Children with a placement at the setting open on ``day``."""
    return Child.objects.filter(
        pk__in=Placement.objects.filter(setting=setting, decom__lte=day)
        .filter(Q(dec__isnull=True) | Q(dec__gt=day))
        .values("child_id")
    )


def choosable_children(user: User, setting: Setting, day: date):
    """The children a requester may name: placed at the setting, and visible to them."""
    return children_visible_to(user).filter(pk__in=placed_children(setting, day).values("pk"))


def decide_subject(request: ScopingRequest) -> str:
    return f"scoping_request:{request.pk}"


def convene_subject(request: ScopingRequest) -> str:
    # Route 1 shares the duty an Inadequate judgement opens (scoping.judgements): one
    # meeting about the setting, whatever brought it.
    if request.route == Route.CONCERNS:
        return f"setting:{request.setting_id}:scoping"
    return f"scoping_request:{request.pk}:convene"


def convene_duty_for(request: ScopingRequest) -> Duty | None:
    """The open ``scoping_meeting`` duty of the LADO service to convene a meeting for this
    approved request, or None (not approved yet, or already done).

    For the scoping meetings service: when it convenes a meeting from the request it sets
    ``request.status = convened`` and marks this duty done (``status=done``,
    ``done_on``). For route 1 the duty is the setting's (subject ``setting:<pk>:scoping``),
    shared with an Inadequate judgement's; otherwise ``scoping_request:<pk>:convene``."""
    return open_duty(SCOPING_MEETING, convene_subject(request))


def _open_convene_duty(request: ScopingRequest, today: date) -> Duty:
    existing = convene_duty_for(request)
    if existing is not None:
        return existing
    days = convene_days()
    return duty_open(
        kind=SCOPING_MEETING,
        subject=convene_subject(request),
        setting=request.setting,
        owner=None,
        team=lado_team(),
        due=add_working_days(today, days),
        basis=f"Scoping meeting request {request.pk} approved ({request.get_route_display()}): "
        f"the LADO service convenes the meeting within {days} working days",
        source=SOURCE,
    )


def _open_decide_duty(request: ScopingRequest, today: date) -> Duty:
    existing = open_duty(SCOPING_MEETING, decide_subject(request))
    if existing is not None:
        return existing
    decider = assistant_director()
    days = decision_days()
    return duty_open(
        kind=SCOPING_MEETING,
        subject=decide_subject(request),
        setting=request.setting,
        owner=decider,
        team=decider.team if decider is not None else None,
        due=add_working_days(today, days),
        basis=f"Scoping meeting request {request.pk} about {request.setting.name}: approve, "
        f"refuse or ask for more information within {days} working days",
        source=SOURCE,
    )


def _close_decide_duty(request: ScopingRequest, today: date) -> None:
    duty_done(kind=SCOPING_MEETING, subject=decide_subject(request), done_on=today)


def _tell_decider(request: ScopingRequest, event: ScopingRequestEvent) -> None:
    decider = assistant_director()
    if decider is None or decider.pk == request.requested_by_id:
        return
    verb = "resubmitted" if event.kind == Kind.RESUBMITTED else "submitted"
    notify(
        decider,
        key=f"scoping_request:{request.pk}:{event.kind}:{event.pk}",
        subject=f"Scoping meeting request {verb}: {request.setting.name}",
        body=f"{request.requested_by} has {verb} a request for a scoping meeting about "
        f"{request.setting}. Approve it, refuse it with reasons, or ask for more information.",
        url=_url(request),
    )


# --- Route 1, from an Inadequate judgement ------------------------------------------------


def open_for_judgement(
    *, setting: Setting, inspection, children: Iterable[Child], actor: User | None, now=None
) -> ScopingRequest | None:
    """Route 1 for an Inadequate judgement, called by ``scoping.judgements`` inside its
    transaction (which opens the LADO service's duty itself). Approved at once; requested by
    the actor who recorded the judgement or, for an import (no actor), the first active
    LADO officer; with neither, no request is made (the duty still is). Once per judgement."""
    existing = ScopingRequest.objects.filter(inspection=inspection, route=Route.CONCERNS).first()
    if existing is not None:
        return existing
    requester = actor
    if requester is None:
        requester = User.objects.filter(role=Role.LADO, is_active=True).order_by("pk").first()
    if requester is None:
        return None
    now = now or timezone.now()
    on = f"{inspection.inspection_date:%d/%m/%Y}"
    request = _stamp(
        ScopingRequest(
            setting=setting,
            route=Route.CONCERNS,
            status=Status.APPROVED,
            requested_by=requester,
            requested_at=now,
            concerns=f"Ofsted rated {setting.name} Inadequate on {on}.",
            inspection=inspection,
            decided_at=now,
            decision_reasons="Route 1: no approval needed.",
        ),
        actor,
        "Route 1: Inadequate judgement",
    )
    request.save()
    request.children.set(list(children))
    _event(request, Kind.SUBMITTED, requester, now, "Opened on an Inadequate judgement.")
    return request


# --- Writes -------------------------------------------------------------------------------


@transaction.atomic
def request_submit(
    *,
    setting: Setting | None,
    actor: User,
    concerns: str,
    what_was_tried: str = "",
    health_concerns: bool = False,
    children: Iterable[Child] = (),
    escalation=None,
    now: datetime | None = None,
) -> ScopingRequest:
    """A request by the actor's route: a professional's (route 2) goes to the assistant
    director; the LADO service's (route 1) and the assistant director's (route 3) are
    approved at once. From an IRO escalation (its IRO, once ``escalations.iro`` allows it),
    the escalation's child and setting are used and the escalation becomes "scoping meeting
    requested". The same request posted twice is made once."""
    route = ROUTE_FOR_ROLE.get(actor.role)
    if route is None or not actor.is_active:
        raise PermissionDenied("You may not request a scoping meeting.")
    now = now or timezone.now()
    today = timezone.localdate(now)
    concerns = (concerns or "").strip()
    what_was_tried = (what_was_tried or "").strip()
    errors: dict[str, str] = {}
    if not concerns:
        errors["concerns"] = "Describe the provision of care and safeguarding concerns"
    if route == Route.PROFESSIONAL and not what_was_tried:
        errors["what_was_tried"] = (
            "Say how the concerns were raised with the provider, and why that is exhausted"
        )

    if escalation is not None:
        # The escalation's rules (its IRO; stages exhausted, or serious, systemic and
        # significant) are escalations.iro's: it closes the open stage and ends its duty.
        escalation = iro.escalation_scoping_requested(
            escalation=escalation, actor=actor, today=today
        )
        setting = escalation.setting or (
            escalation.placement.setting if escalation.placement else None
        )
        chosen = [escalation.child]
    else:
        chosen = list(children)
        allowed = set()
        if setting is not None and chosen:
            allowed = set(choosable_children(actor, setting, today).values_list("pk", flat=True))
        if any(child.pk not in allowed for child in chosen):
            errors["children"] = "Choose only children placed at this setting"
    if setting is None:
        errors["__all__"] = "The escalation is not about a setting."
    if errors:
        raise ValidationError(errors)

    same = ScopingRequest.objects.filter(
        setting=setting,
        requested_by=actor,
        route=route,
        concerns=concerns,
        status__in=[Status.SUBMITTED, Status.APPROVED],
    ).first()
    if same is not None:
        return same

    approved_at_once = route != Route.PROFESSIONAL
    request = _stamp(
        ScopingRequest(
            setting=setting,
            route=route,
            status=Status.APPROVED if approved_at_once else Status.SUBMITTED,
            requested_by=actor,
            requested_at=now,
            concerns=concerns,
            what_was_tried=what_was_tried,
            health_concerns=bool(health_concerns),
            escalation=escalation,
        ),
        actor,
        f"Requested: {Route(route).label}",
    )
    if approved_at_once:
        request.decided_by = actor if route == Route.CORPORATE_PARENTING else None
        request.decided_at = now
        request.decision_reasons = f"{Route(route).label}: no approval needed."
    request.save()
    request.children.set(chosen)
    event = _event(request, Kind.SUBMITTED, actor, now)
    if approved_at_once:
        _event(request, Kind.APPROVED, actor, now, request.decision_reasons)
        _open_convene_duty(request, today)
    else:
        _open_decide_duty(request, today)
        _tell_decider(request, event)
    return request


@transaction.atomic
def request_decide(
    *,
    request: ScopingRequest,
    decision: str,
    reasons: str = "",
    actor: User,
    now: datetime | None = None,
) -> ScopingRequest:
    """The assistant director's decision on a route-2 request: approve, refuse with reasons,
    or ask for more information (the question in ``reasons``). The requester is told; an
    approval opens the LADO service's duty to convene. The same decision twice is one."""
    if actor.role not in DECIDE_ROLES or not actor.is_active:
        raise PermissionDenied("Only the assistant director decides scoping meeting requests.")
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose whether to approve, refuse or ask for more"})
    reasons = (reasons or "").strip()
    if decision != APPROVE and not reasons:
        what = "why it is refused" if decision == REFUSE else "what more you need to know"
        raise ValidationError({"reasons": f"Say {what}"})
    now = now or timezone.now()
    today = timezone.localdate(now)
    request = (
        ScopingRequest.objects.select_for_update(of=("self",))
        .select_related("setting", "requested_by")
        .get(pk=request.pk)
    )
    status, kind = DECISIONS[decision]
    if request.status != Status.SUBMITTED:
        if request.status == status and request.decided_by_id == actor.pk:
            return request  # a second click
        raise ValidationError("This request has already been decided.")
    request.status = status
    request.decided_by = actor
    request.decided_at = now
    request.decision_reasons = reasons
    _stamp(request, actor, ScopingRequestEvent.Kind(kind).label)
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reasons"])
    event = _event(request, kind, actor, now, reasons)
    _close_decide_duty(request, today)
    if decision == APPROVE:
        _open_convene_duty(request, today)
    said = {
        APPROVE: "approved. The LADO service will convene the meeting",
        REFUSE: "refused. You may amend and resubmit it",
        MORE_INFORMATION: "returned with a request for more information. Amend and resubmit it",
    }[decision]
    if request.requested_by_id != actor.pk:
        notify(
            request.requested_by,
            key=f"scoping_request:{request.pk}:{kind}:{event.pk}",
            subject=f"Scoping meeting request {ScopingRequestEvent.Kind(kind).label.lower()}: "
            f"{request.setting.name}",
            body=f"Your request for a scoping meeting about {request.setting} was {said}."
            + (f"\n\n{reasons}" if reasons else ""),
            url=_url(request),
        )
    return request


@transaction.atomic
def request_resubmit(
    *,
    request: ScopingRequest,
    actor: User,
    concerns: str,
    what_was_tried: str,
    health_concerns: bool = False,
    now: datetime | None = None,
) -> ScopingRequest:
    """The requester amends a refused request (or one asked for more information) and sends
    it back to the assistant director."""
    now = now or timezone.now()
    request = (
        ScopingRequest.objects.select_for_update(of=("self",))
        .select_related("setting", "requested_by")
        .get(pk=request.pk)
    )
    if request.requested_by_id != actor.pk or request.route != Route.PROFESSIONAL:
        raise PermissionDenied("Only the requester may resubmit this request.")
    if request.status not in RESUBMITTABLE:
        raise ValidationError("This request is not waiting to be resubmitted.")
    concerns = (concerns or "").strip()
    what_was_tried = (what_was_tried or "").strip()
    errors = {}
    if not concerns:
        errors["concerns"] = "Describe the provision of care and safeguarding concerns"
    if not what_was_tried:
        errors["what_was_tried"] = (
            "Say how the concerns were raised with the provider, and why that is exhausted"
        )
    if errors:
        raise ValidationError(errors)
    request.concerns = concerns
    request.what_was_tried = what_was_tried
    request.health_concerns = bool(health_concerns)
    request.status = Status.SUBMITTED
    request.decided_by = None
    request.decided_at = None
    request.decision_reasons = ""
    _stamp(request, actor, "Resubmitted")
    request.save()
    event = _event(request, Kind.RESUBMITTED, actor, now)
    _open_decide_duty(request, timezone.localdate(now))
    _tell_decider(request, event)
    return request


def allegation_prefill(allegation) -> dict:
    """An allegation against a setting's staff, named as the concern evidence of a request.

    Seed 000 line 307: scoping meetings are "not held to address ... allegation management
    against a member of staff" (the LADO manages the allegation itself); line 310 holds a
    pattern of concern such as a provision that "has failed to learn lessons through
    allegation management". The request is about the provision, and names the allegation as
    its evidence."""
    known = timezone.localtime(allegation.known_at)
    return {
        "concerns": (
            f"Allegation {allegation.pk} against a {allegation.get_subject_role_display().lower()} "
            f"of this setting, known {known:%d/%m/%Y %H:%M}: {allegation.allegation}\n\n"
            "Concerns about the provision this allegation shows (the LADO manages the "
            "allegation itself):"
        ),
        "what_was_tried": "",
    }


def escalation_prefill(escalation) -> dict:
    """What an IRO escalation says, as the request's concerns and what was tried."""
    lines = []
    for stage in escalation.stages.select_related("respondent").order_by("opened_on", "pk"):
        line = (
            f"{stage.get_stage_display()}: opened {stage.opened_on:%d/%m/%Y} with "
            f"{stage.respondent}, response due {stage.due:%d/%m/%Y}."
        )
        if stage.reasons:
            line += f" Why: {stage.reasons}"
        line += f" Response: {stage.response}" if stage.response else " No response recorded."
        lines.append(line)
    if escalation.serious_systemic:
        lines.append("The IRO judged the concern serious, systemic and significant.")
    concerns = escalation.concern
    if escalation.evidence:
        concerns += f"\n\nEvidence: {escalation.evidence}"
    return {"concerns": concerns, "what_was_tried": "\n".join(lines)}
