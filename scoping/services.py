"""Every write to a risk assessment (seed 000): one transaction each, with history.

The lead professional (the owner: the child's social worker or personal adviser) drafts
the form and signs it; the team manager (the social worker's line manager) then signs it
or returns it with comments; then the service manager (the team manager's line manager)
signs it off or returns it. A return goes back to the lead professional, who revises and
signs again, and the sign-offs start over. Each step is a RiskAssessmentSignOff row.

The risk assessment duty ("complete within 5 days") is done when the lead professional
first signs the form: that is when it is complete; the managers' sign-off is oversight.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.history import stamp as _stamp
from duties.services import duty_done, notify
from placements import codes

from .duty_kinds import RISK_ASSESSMENT
from .models import RiskAssessment, RiskAssessmentSignOff

Status = RiskAssessment.Status
Step = RiskAssessmentSignOff.Role
Decision = RiskAssessmentSignOff.Decision

PLACEMENT_FIELDS = (
    "placed_with",
    "carers_and_agency",
    "placement_type",
    "placement_start",
    "placement_end",
)
SECTION_FIELDS = (
    "context_of_risk",
    "risk_analysis",
    "protective_factors",
    "voice_of_child",
    "analysis_and_plan",
)
FORM_FIELDS = PLACEMENT_FIELDS + SECTION_FIELDS

REQUIRED_TO_SIGN = {
    "placed_with": "Say who the child or young person is placed with",
    "context_of_risk": "Describe the context of the reported risk of concern",
    "risk_analysis": "Give your risk analysis",
    "protective_factors": "Describe the protective and mitigating factors",
    "voice_of_child": "Record the voice of the child or young person and your observations",
    "analysis_and_plan": "Give your analysis and plan",
}

EDITABLE = (Status.OPEN, Status.RETURNED)
# Whose step it is, by status.
STEP_FOR_STATUS = {
    Status.OPEN: Step.LEAD_PROFESSIONAL,
    Status.RETURNED: Step.LEAD_PROFESSIONAL,
    Status.WITH_TEAM_MANAGER: Step.TEAM_MANAGER,
    Status.WITH_SERVICE_MANAGER: Step.SERVICE_MANAGER,
}
NEXT_STATUS = {
    Step.LEAD_PROFESSIONAL: Status.WITH_TEAM_MANAGER,
    Step.TEAM_MANAGER: Status.WITH_SERVICE_MANAGER,
    Step.SERVICE_MANAGER: Status.SIGNED_OFF,
}


class WrongStep(PermissionDenied):
    """Not this user's step, or not the step the form is at (a second click, say)."""


# --- Who signs ----------------------------------------------------------------------------


def lead_professional(ra: RiskAssessment) -> User | None:
    return ra.owner or ra.child.social_worker


def team_manager(ra: RiskAssessment) -> User | None:
    """The child's social worker's line manager (the lead professional's, failing that)."""
    worker = ra.child.social_worker or ra.owner
    return worker.line_manager if worker is not None else None


def service_manager(ra: RiskAssessment) -> User | None:
    manager = team_manager(ra)
    boss = manager.line_manager if manager is not None else None
    return boss if boss is not None and boss.role == Role.SERVICE_MANAGER else None


SIGNER = {
    Step.LEAD_PROFESSIONAL: lead_professional,
    Step.TEAM_MANAGER: team_manager,
    Step.SERVICE_MANAGER: service_manager,
}


def current_step(ra: RiskAssessment) -> str | None:
    return STEP_FOR_STATUS.get(ra.status)


def signer_for(ra: RiskAssessment, step: str | None) -> User | None:
    if step is None:
        return None
    user = SIGNER[step](ra)
    return user if user is not None and user.is_active else None


def may_act(user: User, ra: RiskAssessment) -> bool:
    """Is it this user's turn: to edit and sign, or to sign or return?"""
    signer = signer_for(ra, current_step(ra))
    return user.is_authenticated and signer is not None and signer.pk == user.pk


def may_edit(user: User, ra: RiskAssessment) -> bool:
    return ra.status in EDITABLE and may_act(user, ra)


def may_return(user: User, ra: RiskAssessment) -> bool:
    return ra.status in (Status.WITH_TEAM_MANAGER, Status.WITH_SERVICE_MANAGER) and may_act(
        user, ra
    )


# --- Facts --------------------------------------------------------------------------------


def placement_prefill(ra: RiskAssessment) -> dict:
    """The placement information as the placement records it."""
    placement, setting = ra.placement, ra.setting
    place = placement.place if placement is not None else ""
    place_label = ""
    if place:
        for year in sorted(codes.PLACE, reverse=True):
            if place in codes.PLACE[year]:
                place_label = f"{place}: {codes.PLACE[year][place]}"
                break
        place_label = place_label or place
    where = ", ".join(part for part in (setting.name, setting.town) if part)
    if setting.urn:
        where += f" (URN {setting.urn})"
    return {
        "placed_with": where,
        "carers_and_agency": setting.provider.name if setting.provider_id else "",
        "placement_type": place_label or setting.get_provision_type_display(),
        "placement_start": placement.decom if placement is not None else None,
        "placement_end": placement.dec if placement is not None else None,
    }


def sign_errors(ra: RiskAssessment) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, message in REQUIRED_TO_SIGN.items():
        if not (getattr(ra, field) or "").strip():
            errors.setdefault(field, []).append(message)
    if (
        ra.placement_start is not None
        and ra.placement_end is not None
        and ra.placement_end < ra.placement_start
    ):
        errors.setdefault("placement_end", []).append(
            "The placement end must be on or after its start"
        )
    return errors


def current_signatures(ra: RiskAssessment, sign_offs) -> list[tuple[str, RiskAssessmentSignOff]]:
    """The sign-off table: each role's signature since the last return (or None)."""
    since_return: list[RiskAssessmentSignOff] = []
    for row in sign_offs:
        if row.decision == Decision.RETURNED:
            since_return = []
        else:
            since_return.append(row)
    latest = {row.role: row for row in since_return}
    return [(label, latest.get(value)) for value, label in Step.choices]


# --- Writes -------------------------------------------------------------------------------


def _locked(ra: RiskAssessment) -> RiskAssessment:
    return RiskAssessment.objects.select_for_update().select_related("child").get(pk=ra.pk)


def _check_turn(ra: RiskAssessment, actor: User, *, statuses) -> str:
    if ra.status not in statuses or not may_act(actor, ra):
        raise WrongStep("It is not your step on this risk assessment.")
    return current_step(ra)


def _notify(ra: RiskAssessment, *, user: User | None, step: str, subject: str, body: str):
    """Tell the next person; the subject and body carry the child's 903 ID, never a name."""
    if user is None:
        return None
    n = ra.sign_offs.count()
    return notify(
        user,
        key=f"ra:{ra.pk}:{step}:{n}",
        subject=subject,
        body=body,
        url=reverse("scoping:risk_assessment", kwargs={"pk": ra.pk}),
    )


def ra_save_draft(*, ra: RiskAssessment, actor: User, data: dict) -> RiskAssessment:
    """Keep whatever the lead professional typed (only the form's answers)."""
    with transaction.atomic():
        ra = _locked(ra)
        _check_turn(ra, actor, statuses=EDITABLE)
        for field, value in data.items():
            if field in FORM_FIELDS:
                setattr(ra, field, "" if value is None and field in SECTION_FIELDS else value)
        if ra.owner_id is None:
            ra.owner = actor
        _stamp(ra, actor, "Draft saved").save()
    return ra


def _complete_duty(ra: RiskAssessment, today: date) -> None:
    duty_done(kind=RISK_ASSESSMENT, subject=f"risk_assessment:{ra.pk}", done_on=today)


def ra_sign(*, ra: RiskAssessment, actor: User, now: datetime | None = None) -> RiskAssessment:
    """The person whose step it is signs; the form moves to the next signer."""
    now = now or timezone.now()
    with transaction.atomic():
        ra = _locked(ra)
        step = _check_turn(ra, actor, statuses=tuple(STEP_FOR_STATUS))
        if step == Step.LEAD_PROFESSIONAL:
            errors = sign_errors(ra)
            if errors:
                raise ValidationError(errors)
        RiskAssessmentSignOff.objects.create(
            risk_assessment=ra, role=step, user=actor, decision=Decision.SIGNED, at=now
        )
        ra.status = NEXT_STATUS[step]
        if ra.owner_id is None:
            ra.owner = actor
        _stamp(ra, actor, f"Signed by the {Step(step).label.lower()}").save()
        child_id = ra.child.child_id
        if step == Step.LEAD_PROFESSIONAL:
            _complete_duty(ra, timezone.localdate(now))
        if ra.status == Status.SIGNED_OFF:
            _notify(
                ra,
                user=lead_professional(ra),
                step="signed_off",
                subject=f"Risk assessment signed off for child {child_id}",
                body=f"The risk assessment for child {child_id} has been signed off by the "
                "service manager.",
            )
        else:
            next_step = current_step(ra)
            _notify(
                ra,
                user=signer_for(ra, next_step),
                step=next_step,
                subject=f"Risk assessment to sign for child {child_id}",
                body=f"The risk assessment for child {child_id} was signed by the "
                f"{Step(step).label.lower()} and is waiting for your sign-off as "
                f"{Step(next_step).label.lower()}.",
            )
    return ra


def ra_return(
    *, ra: RiskAssessment, actor: User, comments: str, now: datetime | None = None
) -> RiskAssessment:
    """A manager sends the form back to the lead professional with comments."""
    now = now or timezone.now()
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": ["Say what needs to change"]})
    with transaction.atomic():
        ra = _locked(ra)
        step = _check_turn(
            ra, actor, statuses=(Status.WITH_TEAM_MANAGER, Status.WITH_SERVICE_MANAGER)
        )
        RiskAssessmentSignOff.objects.create(
            risk_assessment=ra,
            role=step,
            user=actor,
            decision=Decision.RETURNED,
            comments=comments,
            at=now,
        )
        ra.status = Status.RETURNED
        _stamp(ra, actor, f"Returned by the {Step(step).label.lower()}").save()
        child_id = ra.child.child_id
        _notify(
            ra,
            user=signer_for(ra, Step.LEAD_PROFESSIONAL),
            step="returned",
            subject=f"Risk assessment returned for child {child_id}",
            body=f"The {Step(step).label.lower()} returned the risk assessment for child "
            f"{child_id} with comments. Revise it and sign it again.",
        )
    return ra
