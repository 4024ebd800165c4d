"""Every write of incidents and allegations: one transaction each, stamped with its actor in
the history, opening and closing the duties that follow (``incidents.rules``).

Incidents (004_… appendix B items 10 and 13; TS §9): recording one opens, for the setting,
``incident_report`` (24 hours; done at once when the home's report is entered with it),
``staff_debrief`` (48 hours, 24 after restraint) and, when children were involved,
``child_debrief`` (48 hours, 72 at most: done when every child involved is debriefed).
Allegations (001_… line 356): recording one opens ``lado_referral`` (24 hours) for whoever
recorded it, done when the referral is recorded; the LADO service records the outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, Team, User
from core.history import stamp
from duties import timescales
from duties.rules import LONDON
from duties.services import duty_done, duty_open
from placements.models import Child, Placement, Setting
from placements.selectors import children_visible_to

from . import rules
from .models import (
    Allegation,
    Debrief,
    Incident,
    IncidentKind,
    LadoOutcome,
    ReferralMethod,
    SubjectRole,
)
from .selectors import READ_ROLES, RECORD_ROLES

#: Who may record the referral to the LADO: whoever recorded the allegation, or the LADO.
#: Who records the outcome: the LADO service only.
OUTCOME_ROLES = frozenset({Role.LADO})


def incident_subject(incident: Incident, kind: str) -> str:
    return f"incident:{incident.pk}:{kind}"


def allegation_subject(allegation: Allegation) -> str:
    return f"allegation:{allegation.pk}"


# --- Instants ---------------------------------------------------------------------------------


def instant_errors(day: date | None, at: time | None, now: datetime, *, field: str) -> dict:
    """Why a day and time typed into a form cannot be right (beside ``field``), or {}."""
    if day is None:
        return {}
    if at is not None and _skipped(day, at):
        return {
            field: f"There was no {at:%H:%M} on {day:%d/%m/%Y}: the clocks went forward an "
            "hour at 1am. Enter the time as the clocks showed it."
        }
    start_of_day = datetime.combine(day, time.min, LONDON)
    if start_of_day > now or (at is not None and rules.instant(day, at) > now):
        return {field: "The date and time cannot be in the future."}
    return {}


def _skipped(day: date, at: time) -> bool:
    local = datetime.combine(day, at, LONDON)
    return local.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != local.replace(
        tzinfo=None
    )


def _at(day: date, at: time | None) -> datetime:
    return rules.instant(day, at)


def _earliest(day: date, at: time | None) -> datetime:
    """The earliest the moment can have been (the start of the day when no time is known)."""
    return datetime.combine(day, at if at is not None else time.min, LONDON)


def _commissioning_team_id(actor: User) -> int | None:
    if actor.role == Role.COMMISSIONING_OFFICER and actor.team_id:
        return actor.team_id
    teams = Team.objects.filter(kind=Team.Kind.COMMISSIONING).order_by("pk")
    return teams.values_list("pk", flat=True).first()


# --- Incidents --------------------------------------------------------------------------------


def placed_at(setting: Setting, day: date) -> Q:
    """Children with an episode at ``setting`` open on ``day`` (the day they left included:
    an incident that morning involved them)."""
    return Q(
        pk__in=Placement.objects.filter(setting=setting, decom__lte=day)
        .filter(Q(dec__isnull=True) | Q(dec__gte=day))
        .values("child_id")
    )


def choosable_children(user: User, setting: Setting, day: date):
    """Children a user may name as involved: visible to them and placed at the setting in
    the last year (the service then checks each was placed there on the incident's day)."""
    recent = Placement.objects.filter(setting=setting, decom__lte=day).filter(
        Q(dec__isnull=True) | Q(dec__gte=day - timedelta(days=366))
    )
    return children_visible_to(user).filter(pk__in=recent.values("child_id"))


def incident_record(
    *,
    setting: Setting,
    kind: str,
    kind_detail: str = "",
    occurred_on: date,
    occurred_time: time | None,
    children: Iterable[Child] = (),
    restraint_used: bool = False,
    police_involved: bool = False,
    injury: bool = False,
    summary: str,
    report_received_on: date | None = None,
    report_received_time: time | None = None,
    actor: User,
    now: datetime | None = None,
) -> Incident:
    """Record an incident the setting reported, and open its duties."""
    if actor.role not in RECORD_ROLES or not actor.is_active:
        raise PermissionDenied("You may not record an incident.")
    now = now or timezone.now()
    children = list(children)
    summary = (summary or "").strip()
    kind_detail = (kind_detail or "").strip()
    errors: dict[str, str] = {}
    if kind not in IncidentKind.values:
        errors["kind"] = "Choose the kind of incident"
    elif kind == IncidentKind.OTHER and not kind_detail:
        errors["kind_detail"] = "Say what kind of incident it was"
    if not summary:
        errors["summary"] = "Describe what happened"
    errors.update(instant_errors(occurred_on, occurred_time, now, field="occurred_on"))
    if report_received_on is not None:
        received_errors = instant_errors(
            report_received_on, report_received_time, now, field="report_received_on"
        )
        errors.update(received_errors)
        if "occurred_on" not in errors and "report_received_on" not in errors:
            received = _at(report_received_on, report_received_time)
            if received < _earliest(occurred_on, occurred_time):
                errors["report_received_on"] = "The report cannot reach us before the incident"
    if children and "occurred_on" not in errors:
        visible = set(children_visible_to(actor).values_list("pk", flat=True))
        placed = set(
            Child.objects.filter(
                placed_at(setting, occurred_on), pk__in=[c.pk for c in children]
            ).values_list("pk", flat=True)
        )
        if any(child.pk not in visible for child in children):
            errors["children"] = "Choose only children whose records you can see"
        elif missing := [child for child in children if child.pk not in placed]:
            errors["children"] = (
                f"{', '.join(child.name for child in missing)} "
                f"{'was' if len(missing) == 1 else 'were'} not placed here on "
                f"{occurred_on:%d/%m/%Y}"
            )
    if actor.role != Role.COMMISSIONING_OFFICER and not children and "children" not in errors:
        errors["children"] = "Choose the children involved whose social worker or manager you are"
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        incident = Incident(
            setting=setting,
            kind=kind,
            kind_detail=kind_detail if kind == IncidentKind.OTHER else "",
            occurred_on=occurred_on,
            occurred_time=occurred_time,
            restraint_used=restraint_used,
            police_involved=police_involved,
            injury=injury,
            summary=summary,
            report_received_at=(
                _at(report_received_on, report_received_time) if report_received_on else None
            ),
            recorded_by=actor,
        )
        stamp(incident, actor, "Incident recorded").save()
        if children:
            incident.children.set(children)
        _open_incident_duties(incident, actor, has_children=bool(children))
    return incident


def _open_incident_duties(incident: Incident, actor: User, *, has_children: bool) -> None:
    found = timescales.current(rules.IncidentRules)
    start = _at(incident.occurred_on, incident.occurred_time)
    known = incident.occurred_time is not None
    dues = [
        rules.incident_report_due(start, found, time_known=known),
        rules.staff_debrief_due(start, found, restraint=incident.restraint_used, time_known=known),
    ]
    if has_children:
        dues.append(rules.child_debrief_due(start, found, time_known=known))
    owner = actor if actor.role == Role.COMMISSIONING_OFFICER else None
    team_id = _commissioning_team_id(actor)
    for due in dues:
        duty_open(
            kind=due.kind,
            subject=incident_subject(incident, due.kind),
            due=due.due,
            due_at=due.due_at,
            owner=owner,
            team=Team(pk=team_id) if team_id else None,
            setting=incident.setting,
            basis=due.basis,
            source=due.source,
        )
    if incident.report_received_at is not None:
        duty_done(
            kind=rules.INCIDENT_REPORT,
            subject=incident_subject(incident, rules.INCIDENT_REPORT),
            done_on=timezone.localdate(incident.report_received_at),
            done_by=f"incident:{incident.pk}",
        )


def incident_report_received(
    *,
    incident: Incident,
    received_on: date,
    received_time: time | None,
    actor: User,
    now: datetime | None = None,
) -> Incident:
    """The home's report of the incident reached us: the ``incident_report`` duty is done."""
    if actor.role not in RECORD_ROLES:
        raise PermissionDenied("You may not record the home's report.")
    now = now or timezone.now()
    errors = instant_errors(received_on, received_time, now, field="received_on")
    if not errors and _at(received_on, received_time) < _earliest(
        incident.occurred_on, incident.occurred_time
    ):
        errors = {"received_on": "The report cannot reach us before the incident"}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.report_received_at is not None:
            raise ValidationError("The home's report is already recorded as received.")
        locked.report_received_at = _at(received_on, received_time)
        stamp(locked, actor, "Home's report received").save(update_fields=["report_received_at"])
        duty_done(
            kind=rules.INCIDENT_REPORT,
            subject=incident_subject(locked, rules.INCIDENT_REPORT),
            done_on=received_on,
            done_by=f"incident:{locked.pk}",
        )
    return locked


def debrief_record(
    *,
    incident: Incident,
    kind: str,
    child: Child | None = None,
    held_on: date,
    held_time: time | None,
    notes: str = "",
    actor: User,
    now: datetime | None = None,
) -> Debrief:
    """Record a debrief held: the staff's (once), or a child's (once a child involved). The
    duty is done by the staff debrief, and by the last child's debrief."""
    if actor.role not in RECORD_ROLES:
        raise PermissionDenied("You may not record a debrief.")
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if kind not in Debrief.Kind.values:
        errors["kind"] = "Choose whose debrief it was"
    elif kind == Debrief.Kind.CHILD:
        involved = set(incident.children.values_list("pk", flat=True))
        if (
            child is None
            or child.pk not in involved
            or not children_visible_to(actor).filter(pk=child.pk).exists()
        ):
            errors["child"] = "Choose the child who was debriefed"
    errors.update(instant_errors(held_on, held_time, now, field="held_on"))
    if "held_on" not in errors and _at(held_on, held_time) < _earliest(
        incident.occurred_on, incident.occurred_time
    ):
        errors["held_on"] = "A debrief cannot be held before the incident"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Incident.objects.select_for_update().get(pk=incident.pk)
        already = Debrief.objects.filter(incident=incident, kind=kind)
        if kind == Debrief.Kind.CHILD:
            already = already.filter(child=child)
        if already.exists():
            raise ValidationError(
                {"kind": "The staff debrief is already recorded"}
                if kind == Debrief.Kind.STAFF
                else {"child": "This child's debrief is already recorded"}
            )
        debrief = Debrief(
            incident=incident,
            kind=kind,
            child=child if kind == Debrief.Kind.CHILD else None,
            held_at=_at(held_on, held_time),
            held_time_known=held_time is not None,
            notes=(notes or "").strip(),
            recorded_by=actor,
        )
        stamp(debrief, actor, "Debrief recorded").save()
        duty_kind = rules.STAFF_DEBRIEF if kind == Debrief.Kind.STAFF else rules.CHILD_DEBRIEF
        if kind == Debrief.Kind.CHILD:
            debriefed = set(
                Debrief.objects.filter(incident=incident, kind=kind).values_list(
                    "child_id", flat=True
                )
            )
            if set(incident.children.values_list("pk", flat=True)) - debriefed:
                return debrief  # children still to debrief: the duty stays open
            held_on = max(
                timezone.localdate(at)
                for at in Debrief.objects.filter(incident=incident, kind=kind).values_list(
                    "held_at", flat=True
                )
            )
        duty_done(
            kind=duty_kind,
            subject=incident_subject(incident, duty_kind),
            done_on=held_on,
            done_by=f"incident:{incident.pk}",
        )
    return debrief


# --- Allegations ------------------------------------------------------------------------------


def allegation_record(
    *,
    subject_name: str,
    subject_role: str,
    setting: Setting | None,
    children: Iterable[Child] = (),
    allegation: str,
    known_on: date,
    known_time: time,
    made_by: str,
    actor: User,
    now: datetime | None = None,
) -> Allegation:
    """Record an allegation against a member of staff, carer or volunteer, and open the
    ``lado_referral`` duty of whoever recorded it: 24 hours after it became known."""
    if actor.role not in READ_ROLES or not actor.is_active:
        raise PermissionDenied("You may not record an allegation.")
    now = now or timezone.now()
    children = list(children)
    subject_name = (subject_name or "").strip()
    allegation = (allegation or "").strip()
    made_by = (made_by or "").strip()
    errors: dict[str, str] = {}
    if not subject_name:
        errors["subject_name"] = "Enter the name of the person the allegation is about"
    if subject_role not in SubjectRole.values:
        errors["subject_role"] = "Choose whether they are a member of staff, carer or volunteer"
    if not allegation:
        errors["allegation"] = "Say what was alleged"
    if not made_by:
        errors["made_by"] = "Say who made the allegation known"
    if known_time is None:
        errors["known_time"] = "Enter the time it became known, for example 14:30"
    errors.update(instant_errors(known_on, known_time, now, field="known_on"))
    if children:
        visible = set(children_visible_to(actor).values_list("pk", flat=True))
        if any(child.pk not in visible for child in children):
            errors["children"] = "Choose only children whose records you can see"
    if errors:
        raise ValidationError(errors)
    known_at = _at(known_on, known_time)
    with transaction.atomic():
        made = Allegation(
            subject_name=subject_name,
            subject_role=subject_role,
            setting=setting,
            allegation=allegation,
            known_at=known_at,
            made_by=made_by,
            recorded_by=actor,
        )
        stamp(made, actor, "Allegation recorded").save()
        if children:
            made.children.set(children)
        due = rules.lado_referral_due(known_at, timescales.current(rules.IncidentRules))
        duty_open(
            kind=due.kind,
            subject=allegation_subject(made),
            due=due.due,
            due_at=due.due_at,
            owner=actor,
            team=actor.team,
            setting=setting,
            basis=due.basis,
            source=due.source,
        )
    return made


def may_record_referral(user: User, allegation: Allegation) -> bool:
    return user.role == Role.LADO or user.pk == allegation.recorded_by_id


def allegation_referral(
    *,
    allegation: Allegation,
    referred_on: date,
    referred_time: time | None,
    method: str,
    notes: str = "",
    actor: User,
    now: datetime | None = None,
) -> Allegation:
    """The referral to the LADO is recorded: the ``lado_referral`` duty is done."""
    if not may_record_referral(actor, allegation):
        raise PermissionDenied("You may not record this referral.")
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if method not in ReferralMethod.values:
        errors["method"] = "Choose how it was referred"
    if referred_time is None:
        errors["referred_time"] = "Enter the time it was referred, for example 14:30"
    errors.update(instant_errors(referred_on, referred_time, now, field="referred_on"))
    if (
        "referred_on" not in errors
        and referred_time is not None
        and _at(referred_on, referred_time) < allegation.known_at
    ):
        errors["referred_on"] = "It cannot be referred before it became known"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Allegation.objects.select_for_update().get(pk=allegation.pk)
        if locked.referred_at is not None:
            raise ValidationError("The referral to the LADO is already recorded.")
        locked.referred_at = _at(referred_on, referred_time)
        locked.referral_method = method
        locked.referral_notes = (notes or "").strip()
        locked.referral_recorded_by = actor
        stamp(locked, actor, "Referred to the LADO").save()
        duty_done(
            kind=rules.LADO_REFERRAL,
            subject=allegation_subject(locked),
            done_on=referred_on,
            done_by=allegation_subject(locked),
        )
    return locked


def allegation_outcome(
    *,
    allegation: Allegation,
    outcome: str,
    outcome_on: date,
    notes: str = "",
    actor: User,
    today: date | None = None,
) -> Allegation:
    """The LADO's outcome, once the referral is recorded."""
    if actor.role not in OUTCOME_ROLES:
        raise PermissionDenied("Only the LADO service records the outcome.")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if outcome not in LadoOutcome.values:
        errors["outcome"] = "Choose the outcome"
    if outcome_on is not None and outcome_on > today:
        errors["outcome_on"] = "The date of the outcome cannot be in the future"
    elif (
        outcome_on is not None
        and allegation.referred_at is not None
        and outcome_on < timezone.localdate(allegation.referred_at)
    ):
        errors["outcome_on"] = "The outcome cannot come before the referral"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Allegation.objects.select_for_update().get(pk=allegation.pk)
        if locked.referred_at is None:
            raise ValidationError("Record the referral to the LADO before its outcome.")
        if locked.outcome:
            raise ValidationError("The outcome is already recorded.")
        locked.outcome = outcome
        locked.outcome_on = outcome_on
        locked.outcome_notes = (notes or "").strip()
        locked.outcome_by = actor
        stamp(locked, actor, "LADO outcome recorded").save()
    return locked
