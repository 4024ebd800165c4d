"""A setting's concern level under the Knowsley protocol (seed 001): who proposes, who
decides, and the homes for the next governance review.

- **Proposing** (team managers, service managers, commissioning): a proposed level with
  the reasons and the evidence, for a decision. Seed 001 l.259: the ART/Commissioning
  Team "are responsible for the operational management of the CHP and reports directly
  to the AED"; l.261: it "supports the chair of the SCHGG to ensure the co-ordination of
  the evidence base".
- **Deciding** (the assistant director or the director only): set, keep or lift the
  level, with the reason and the evidence, either as the governance group's decision at
  a meeting (l.253: the AED chairs the SCHGG, "the final decision rests with the
  Director") or as executive action between meetings. Between meetings the Director may
  act on any level (l.255), and the action goes on the list for the next meeting ("this
  action will be reported to the members of the SCHGG at the next meeting"); the AED's
  executive decision places a home on the protocol (l.70), so the assistant director acts
  between meetings only to place a home that is not on it. A decision answers the open
  proposals and the matters waiting for the review.
- **The next governance review**: a better Ofsted judgement does not take a home off the
  protocol (the group decides levels, l.120 "the Group's decision regarding the level of
  concern"); it puts the home on the list for the next review (``improved_judgement``),
  and the level stays until someone decides otherwise.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import Role, User
from core.history import stamp as _stamp
from duties.services import notify_many
from placements.models import ConcernLevel, Inspection, Setting

from .models import ConcernLevelChange, ConcernLevelProposal, GovernanceItem

#: Who prepares and proposes a level: managers and commissioning (seed 001 l.259-261).
PROPOSE_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.COMMISSIONING_OFFICER})
#: Who decides (sets or lifts) a level: the AED (assistant director) and the Director.
DECIDE_ROLES = frozenset({Role.ASSISTANT_DIRECTOR, Role.DIRECTOR})
#: Who reads the list for the next review: those who propose and decide, and the LADO,
#: a member of the group (l.228-240).
GOVERNANCE_READ_ROLES = PROPOSE_ROLES | DECIDE_ROLES | {Role.LADO}

HowDecided = ConcernLevelChange.HowDecided


def _day(on: date) -> str:
    return f"{on.day} {on:%b %Y}"


def deciders() -> QuerySet[User]:
    return User.objects.filter(role__in=DECIDE_ROLES, is_active=True).order_by("pk")


def open_proposals(setting: Setting) -> QuerySet[ConcernLevelProposal]:
    return setting.concern_level_proposals.filter(
        status=ConcernLevelProposal.Status.OPEN
    ).select_related("proposed_by")


def pending_items(setting: Setting) -> QuerySet[GovernanceItem]:
    return setting.governance_items.filter(status=GovernanceItem.Status.PENDING)


def _decide_url(setting: Setting) -> str:
    return reverse("concerns:level_set", kwargs={"setting_pk": setting.pk})


# Proposing ---------------------------------------------------------------------------------


def level_propose(
    *, setting: Setting, level: str, reasons: str, evidence: str, actor: User
) -> ConcernLevelProposal:
    """Propose a level for the assistant director or director to decide; they are told."""
    if actor.role not in PROPOSE_ROLES:
        raise PermissionDenied
    setting = Setting.objects.get(pk=setting.pk)  # the level as it is now
    errors = {}
    if level not in ConcernLevel.values:
        errors["level"] = "Choose the level you propose."
    elif level == setting.concern_level:
        errors["level"] = f"The setting is already at {ConcernLevel(level).label}."
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for the level you propose."
    if not evidence.strip():
        errors["evidence"] = "Give the evidence for the level you propose."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proposal = ConcernLevelProposal(
            setting=setting,
            level=level,
            level_then=setting.concern_level,
            reasons=reasons.strip(),
            evidence=evidence.strip(),
            proposed_by=actor,
        )
        _stamp(proposal, actor, "Proposed").save()
        notify_many(
            deciders(),
            key=lambda user: f"level_proposal:{proposal.pk}:{user.pk}",
            subject=f"Concern level proposed for {setting.name}",
            body=(
                f"{actor} ({actor.get_role_display()}) proposes {ConcernLevel(level).label} "
                f"for {setting} (now {setting.get_concern_level_display()}). "
                "The assistant director or director decides."
            ),
            url=_decide_url(setting),
        )
    return proposal


# Deciding ----------------------------------------------------------------------------------


def _check_decision(
    *, setting, level, reason, evidence, how_decided, meeting_date, actor, today
) -> None:
    errors = {}
    pending = open_proposals(setting).exists() or pending_items(setting).exists()
    if level not in ConcernLevel.values:
        errors["level"] = "Choose a concern level."
    elif level == setting.concern_level and not pending:
        errors["level"] = f"The setting is already at {ConcernLevel(level).label}."
    if not reason.strip():
        errors["reason"] = "Give the reason for the concern level."
    if not evidence.strip():
        errors["evidence"] = "Give the evidence the decision rests on."
    if how_decided == HowDecided.MEETING:
        if meeting_date is None:
            errors["meeting_date"] = "Give the date of the governance group meeting."
        elif meeting_date > today:
            errors["meeting_date"] = "The date of the meeting must be today or in the past."
    elif how_decided == HowDecided.BETWEEN_MEETINGS:
        placing_on_protocol = (
            setting.concern_level == ConcernLevel.NONE and level != ConcernLevel.NONE
        )
        if actor.role != Role.DIRECTOR and not placing_on_protocol:
            errors["how_decided"] = (
                "Between meetings only the Director may change a level (Knowsley protocol); "
                "the assistant director's executive decision places a home on the protocol."
            )
    else:
        errors["how_decided"] = (
            "Say whether the governance group decided or it was executive action between meetings."
        )
    if errors:
        raise ValidationError(errors)


def level_decide(
    *,
    setting: Setting,
    level: str,
    reason: str,
    evidence: str,
    how_decided: str,
    meeting_date: date | None,
    actor: User,
    today: date,
) -> ConcernLevelChange:
    """The assistant director's or director's decision: the level (set, kept or lifted),
    why and on what evidence, and how it was decided. It answers the open proposals and
    the matters for the review; executive action between meetings goes on the list for
    the next meeting. Keeping the level is a decision only when something awaits one."""
    if actor.role not in DECIDE_ROLES:
        raise PermissionDenied
    between = how_decided == HowDecided.BETWEEN_MEETINGS
    with transaction.atomic():
        # Checked against the level as it is now, the row locked.
        setting = Setting.objects.select_for_update().get(pk=setting.pk)
        _check_decision(
            setting=setting,
            level=level,
            reason=reason,
            evidence=evidence,
            how_decided=how_decided,
            meeting_date=meeting_date,
            actor=actor,
            today=today,
        )
        previous = setting.concern_level
        change = ConcernLevelChange(
            setting=setting,
            level=level,
            previous_level=previous,
            reason=reason.strip(),
            evidence=evidence.strip(),
            source=ConcernLevelChange.Source.MANUAL,
            set_by=actor,
            decided_by=actor,
            how_decided=how_decided,
            meeting_date=None if between else meeting_date,
        )
        label = ConcernLevel(level).label
        _stamp(change, actor, "Kept" if level == previous else "Decided").save()
        if level != previous:
            setting.concern_level = level
            _stamp(setting, actor, f"Concern level: {label}").save(update_fields=["concern_level"])
        proposals = list(open_proposals(setting))
        for proposal in proposals:
            proposal.status = ConcernLevelProposal.Status.DECIDED
            proposal.decision = change
            _stamp(proposal, actor, f"Decided: {label}").save(update_fields=["status", "decision"])
        for item in pending_items(setting):
            item.status = GovernanceItem.Status.CONSIDERED
            item.decision = change
            _stamp(item, actor, f"Considered: {label}").save(update_fields=["status", "decision"])
        if between:
            item = GovernanceItem(
                setting=setting,
                source=GovernanceItem.Source.EXECUTIVE_ACTION,
                level_change=change,
                raised_on=today,
                summary=(
                    f"Executive action by the {actor.get_role_display().lower()} "
                    f"({_day(today)}): {ConcernLevel(previous).label} to {label}: "
                    "to report at the next governance meeting"
                ),
            )
            _stamp(item, actor, "Executive action to report").save()
        notify_many(
            {p.proposed_by for p in proposals if p.proposed_by_id != actor.pk},
            key=lambda user: f"level_decision:{change.pk}:{user.pk}",
            subject=f"Concern level decided for {setting.name}",
            body=f"{actor} decided {label} for {setting} ({change.get_how_decided_display()}).",
            url=reverse("concerns:level_history", kwargs={"setting_pk": setting.pk}),
        )
    return change


# The next governance review ----------------------------------------------------------------


def improved_judgement_queue(
    inspection: Inspection, actor=None, *, setting: Setting | None = None
) -> GovernanceItem | None:
    """A Good or Outstanding judgement for a home on the protocol: the level stays, and the
    home goes on the list for the next governance review (once a judgement). None for a
    home not on the protocol, or a judgement already queued."""
    setting = setting or Setting.objects.get(pk=inspection.setting_id)
    if setting.concern_level == ConcernLevel.NONE:
        return None
    source = GovernanceItem.Source.IMPROVED_JUDGEMENT
    if GovernanceItem.objects.filter(inspection=inspection, source=source).exists():
        return None
    item = GovernanceItem(
        setting=setting,
        source=source,
        inspection=inspection,
        raised_on=inspection.recorded_on,
        summary=(
            f"Improved judgement ({inspection.get_overall_judgement_display()}, "
            f"{_day(inspection.inspection_date)}): for the next governance review"
        ),
    )
    _stamp(item, actor, "For the next governance review").save()
    notify_many(
        deciders(),
        key=lambda user: f"governance_item:{item.pk}:{user.pk}",
        subject=f"{setting.name} for the next governance review",
        body=(
            f"Ofsted rated {setting} {inspection.get_overall_judgement_display()} on "
            f"{inspection.inspection_date:%d %B %Y}. It stays at "
            f"{setting.get_concern_level_display()} until the governance group decides."
        ),
        url=_decide_url(setting),
    )
    return item
