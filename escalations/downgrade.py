"""What follows an Ofsted judgement or notice (timescales.md §5; seeds 000, 001, 002).

:func:`on_judgement_recorded` is called by ``placements.services.inspection_record`` for a
judgement it has just created, inside its transaction: the judgement and everything that
follows from it are written together or not at all, whether recorded in the browser or
imported by ``import_ofsted`` (``recorded_on`` is then the ``--as-of`` date).

- **Inadequate** (becoming the setting's current judgement), seed 000 "Concerns raised by
  Ofsted/CQC", 001, 002:

  * the setting is suspended from new referrals (off the approved list, seed 002);
  * a risk assessment for every child placed there on the day it is recorded, owned by
    the child's social worker / personal adviser, due within ``risk_assessment_days``
    calendar days (a ``RuleValue`` row, default 5), each with a ``risk_assessment`` duty;
  * a ``scoping_meeting`` duty for the LADO service (route 1) to convene a meeting about
    the setting. Seed 000 gives no timescale for it, so it is due the day the judgement
    is recorded ("to convene"); and a route-1 scoping meeting request, approved
    (``scoping.requests.open_for_judgement``);
  * the setting goes to Level 2 (seed 001, Knowsley);
  * the children's social workers, their line managers (team managers) and IROs are
    notified (in-app, and by email through the alert sweep). Children are named by
    their 903 ID only.

  A later Inadequate judgement while these are in force opens risk assessments only for
  children without an open one for the setting, and changes nothing that is already so.

- **Requires improvement**, as a downgrade (from Good or Outstanding): the concern level
  the authority sets for it (``settings.REQUIRES_IMPROVEMENT_CONCERN_LEVEL``, default
  ``level_1``), and the allocated social workers are told. No suspension, no risk
  assessments, no scoping meeting.

- **Good or Outstanding**: a suspension this workflow made is lifted (seed 002:
  reinstated "only when their rating has been adjusted upwards"), and a concern level
  set by an Ofsted judgement goes back to "No concern". A suspension or level a person
  set by hand is left for a person to change.

:func:`notice_record` records an Ofsted notice (cancellation, proceedings, barred
admissions) for a children's home and opens a statutory visit, due within 1 week, for
every child placed there on the notice date (TS §1).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from placements.models import (
    Child,
    ConcernLevel,
    Placement,
    ProvisionType,
    Rating,
    RegulatoryNotice,
    Setting,
)
from scoping import requests as scoping_requests
from scoping.models import RiskAssessment
from visits import rules as visit_rules
from visits.models import Duty, DutyKind, Notification, RuleValue, Visit, VisitKind
from visits.schedule import current_ruleset

from .models import ConcernLevelChange
from .services import concern_level_change

RISK_ASSESSMENT_DAYS_RULE = "risk_assessment_days"
RISK_ASSESSMENT_DAYS_DEFAULT = 5
RISK_ASSESSMENT_SOURCE = "TS §5: 000 'Concerns raised by Ofsted/CQC'"
SCOPING_SOURCE = "TS §5: 000 'Risk Assessment and Scoping Meeting', route 1"
NOTICE_SOURCE = "TS §1 row 'Ofsted notice of cancellation of registration'; 003 appendix"

#: The start of the reason this workflow gives a suspension; only such a suspension is
#: lifted by a later Good judgement.
SUSPENSION_REASON_PREFIX = "Rated Inadequate by Ofsted on"

#: Children's homes, for notices (TS §1 "for a children's home").
NOTICE_PROVISION_TYPES = frozenset(
    {ProvisionType.CHILDRENS_HOME, ProvisionType.SECURE_CHILDRENS_HOME}
)
NOTICE_SUBJECT_PREFIX = "notice:"

_OPEN_RA = ~Q(status=RiskAssessment.Status.SIGNED_OFF)


# --- Rules ----------------------------------------------------------------------------------


def risk_assessment_days() -> int:
    """Calendar days to complete a risk assessment; an administrator edits the RuleValue."""
    return RuleValue.current(
        RISK_ASSESSMENT_DAYS_RULE,
        default=RISK_ASSESSMENT_DAYS_DEFAULT,
        help_text="Calendar days from an Inadequate judgement being recorded by which the "
        "social worker or personal adviser completes the risk assessment of each child "
        "placed there.",
        source=RISK_ASSESSMENT_SOURCE,
    )


def requires_improvement_level() -> str:
    """The concern level the authority gives a downgrade to Requires improvement."""
    level = getattr(django_settings, "REQUIRES_IMPROVEMENT_CONCERN_LEVEL", ConcernLevel.LEVEL_1)
    if level not in ConcernLevel.values:
        raise ValueError(f"REQUIRES_IMPROVEMENT_CONCERN_LEVEL {level!r} is not a concern level")
    return level


# --- Helpers --------------------------------------------------------------------------------


def placed_on(setting: Setting, day: date):
    """The 903 episodes with this setting open on ``day`` (one per child)."""
    return (
        Placement.objects.filter(setting=setting, decom__lte=day)
        .filter(Q(dec__isnull=True) | Q(dec__gt=day))
        .select_related("child", "child__social_worker", "child__social_worker__line_manager")
        .select_related("child__iro")
        .order_by("child__child_id", "-decom")
    )


def _one_per_child(placements) -> list[Placement]:
    seen: set[int] = set()
    chosen = []
    for placement in placements:
        if placement.child_id not in seen:
            seen.add(placement.child_id)
            chosen.append(placement)
    return chosen


def _setting_url(setting: Setting) -> str:
    return reverse("placements:setting", kwargs={"pk": setting.pk})


def notify_children(
    *,
    key: str,
    recipients: dict,
    subject: str,
    intro: str,
    url: str,
    actor=None,
) -> int:
    """One notification per recipient for ``key``, listing that person's children by 903 ID
    only (never a name). Recording the same key again adds none."""
    rows = []
    for user, child_ids in recipients.items():
        if actor is not None and user.pk == actor.pk:
            continue  # they recorded it
        listed = "\n".join(f"- {child_id}" for child_id in sorted(child_ids))
        rows.append(
            Notification(
                user=user,
                key=key,
                subject=subject[:200],
                body=f"{intro}\n\nChildren (903 ID):\n{listed}",
                url=url,
                email_status=(
                    Notification.Email.PENDING if user.email else Notification.Email.NONE
                ),
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _add(recipients: dict, user, child: Child) -> None:
    if user is not None and user.is_active:
        recipients[user].add(child.child_id)


# --- Judgements -----------------------------------------------------------------------------


def on_judgement_recorded(result, actor, recorded_on: date) -> None:
    """The steps that follow a judgement ``inspection_record`` has just created."""
    if not (result.created and result.became_current):
        return
    inspection = result.inspection
    judgement = inspection.overall_judgement
    if judgement == Rating.INADEQUATE:
        _inadequate(inspection, actor, recorded_on)
    elif judgement == Rating.REQUIRES_IMPROVEMENT and result.downgrade:
        _requires_improvement(inspection, actor)
    elif judgement in (Rating.GOOD, Rating.OUTSTANDING):
        _improved(inspection, actor)


def _inadequate(inspection, actor, recorded_on: date) -> None:
    setting = Setting.objects.select_for_update().get(pk=inspection.setting_id)
    on = f"{inspection.inspection_date:%d/%m/%Y}"

    # Off the approved list (seed 002).
    if not setting.referrals_suspended:
        setting.referrals_suspended = True
        setting.referrals_suspended_reason = f"{SUSPENSION_REASON_PREFIX} {on}"
        if actor is not None:
            setting._history_user = actor
        setting._change_reason = "Suspended from new referrals: rated Inadequate"
        setting.save(update_fields=["referrals_suspended", "referrals_suspended_reason"])

    # Level 2 (seed 001).
    concern_level_change(
        setting=setting,
        level=ConcernLevel.LEVEL_2,
        reason=f"Ofsted rated {setting.name} Inadequate on {on} (Knowsley protocol: Level 2).",
        source=ConcernLevelChange.Source.INADEQUATE,
        inspection=inspection,
        actor=actor,
    )

    # A risk assessment per child placed there (seed 000), due within N calendar days.
    days = risk_assessment_days()
    due = recorded_on + timedelta(days=days)
    placements = _one_per_child(placed_on(setting, recorded_on))
    already = set(
        RiskAssessment.objects.filter(setting=setting)
        .filter(_OPEN_RA | Q(inspection=inspection))
        .values_list("child_id", flat=True)
    )
    basis = (
        f"Ofsted rated {setting.name} Inadequate on {on}: "
        f"complete the risk assessment within {days} days"
    )
    recipients: dict = defaultdict(set)
    for placement in placements:
        child = placement.child
        if child.pk not in already:
            ra = RiskAssessment(
                child=child,
                setting=setting,
                placement=placement,
                inspection=inspection,
                trigger=RiskAssessment.Trigger.INADEQUATE,
                owner=child.social_worker,
                opened_on=recorded_on,
                due=due,
            )
            if actor is not None:
                ra._history_user = actor
            ra.save()
            Duty.objects.create(
                kind=DutyKind.RISK_ASSESSMENT,
                subject=f"risk_assessment:{ra.pk}",
                child=child,
                setting=setting,
                placement=placement,
                owner=child.social_worker,
                team=child.team,
                due=due,
                basis=basis[:300],
                source=RISK_ASSESSMENT_SOURCE,
            )
        worker = child.social_worker
        _add(recipients, worker, child)
        _add(recipients, worker.line_manager if worker else None, child)
        _add(recipients, child.iro, child)

    # The LADO service convenes a scoping meeting (route 1).
    scoping_subject = f"setting:{setting.pk}:scoping"
    open_scoping = Duty.objects.filter(
        kind=DutyKind.SCOPING_MEETING, setting=setting, status=Duty.Status.OPEN
    ).exclude(subject__regex=r"^scoping_request:\d+$")  # not the AD's decision on a request
    if not open_scoping.exists():
        lado = Team.objects.filter(kind=Team.Kind.LADO_SERVICE).order_by("pk").first()
        Duty.objects.create(
            kind=DutyKind.SCOPING_MEETING,
            subject=scoping_subject,
            setting=setting,
            owner=None,
            team=lado,
            due=recorded_on,
            basis=f"Ofsted rated {setting.name} Inadequate on {on}: "
            "the LADO service to convene a scoping meeting",
            source=SCOPING_SOURCE,
        )
    scoping_requests.open_for_judgement(
        setting=setting,
        inspection=inspection,
        children=[placement.child for placement in placements],
        actor=actor,
    )

    notify_children(
        key=f"inadequate:{inspection.pk}",
        recipients=recipients,
        subject=f"Ofsted rated {setting.name} Inadequate: risk assessments due {due:%d/%m/%Y}",
        intro=(
            f"Ofsted rated {setting} Inadequate on {on}. It is suspended from new referrals "
            f"and at Level 2. A risk assessment is due by {due:%d/%m/%Y} for each child "
            "placed there; the LADO service will convene a scoping meeting."
        ),
        url=_setting_url(setting),
        actor=actor,
    )


def _requires_improvement(inspection, actor) -> None:
    setting = inspection.setting
    on = f"{inspection.inspection_date:%d/%m/%Y}"
    level = requires_improvement_level()
    concern_level_change(
        setting=setting,
        level=level,
        reason=f"Ofsted rated {setting.name} Requires improvement on {on} "
        f"(was {Rating(inspection.previous_judgement).label}).",
        source=ConcernLevelChange.Source.REQUIRES_IMPROVEMENT,
        inspection=inspection,
        actor=actor,
    )
    day = inspection.recorded_on
    recipients: dict = defaultdict(set)
    for placement in _one_per_child(placed_on(setting, day)):
        _add(recipients, placement.child.social_worker, placement.child)
    notify_children(
        key=f"requires_improvement:{inspection.pk}",
        recipients=recipients,
        subject=f"Ofsted rated {setting.name} Requires improvement",
        intro=(
            f"Ofsted rated {setting} Requires improvement on {on} "
            f"(it was {Rating(inspection.previous_judgement).label}). "
            f"Its concern level is now {ConcernLevel(level).label}."
        ),
        url=_setting_url(setting),
        actor=actor,
    )


def _improved(inspection, actor) -> None:
    setting = Setting.objects.select_for_update().get(pk=inspection.setting_id)
    label = inspection.get_overall_judgement_display()
    on = f"{inspection.inspection_date:%d/%m/%Y}"
    if setting.referrals_suspended and setting.referrals_suspended_reason.startswith(
        SUSPENSION_REASON_PREFIX
    ):
        setting.referrals_suspended = False
        setting.referrals_suspended_reason = ""
        if actor is not None:
            setting._history_user = actor
        setting._change_reason = f"Suspension lifted: rated {label} on {on}"
        setting.save(update_fields=["referrals_suspended", "referrals_suspended_reason"])
    latest = setting.concern_level_changes.order_by("-set_at", "-pk").first()
    judgement_sources = {
        ConcernLevelChange.Source.INADEQUATE,
        ConcernLevelChange.Source.REQUIRES_IMPROVEMENT,
    }
    if latest is not None and latest.source in judgement_sources:
        concern_level_change(
            setting=setting,
            level=ConcernLevel.NONE,
            reason=f"Ofsted rated {setting.name} {label} on {on}.",
            source=ConcernLevelChange.Source.IMPROVED,
            inspection=inspection,
            actor=actor,
        )


# --- Notices --------------------------------------------------------------------------------


@transaction.atomic
def notice_record(
    *, setting: Setting, kind: str, notice_date: date, actor, notes: str = ""
) -> tuple[RegulatoryNotice, bool]:
    """Record an Ofsted notice for a children's home and open a statutory visit, due within
    1 week (``ofsted_notice_visit_days``), for every child placed there on the notice date.
    Recording the same notice again does nothing: (notice, created)."""
    if kind not in RegulatoryNotice.Kind.values:
        raise ValidationError({"kind": "Choose the kind of notice."})
    setting = Setting.objects.select_for_update().get(pk=setting.pk)
    if setting.provision_type not in NOTICE_PROVISION_TYPES:
        raise ValidationError(
            f"{setting.name} is not a children's home: these notices are recorded for "
            "children's homes."
        )
    notice = RegulatoryNotice.objects.filter(
        setting=setting, kind=kind, notice_date=notice_date
    ).first()
    if notice is not None:
        return notice, False
    notice = RegulatoryNotice(
        setting=setting, kind=kind, notice_date=notice_date, notes=notes, recorded_by=actor
    )
    if actor is not None:
        notice._history_user = actor
    notice.save()
    due = visit_rules.ofsted_notice_visit_due(notice_date, current_ruleset())
    basis = (
        f"{notice.get_kind_display()} for {setting.name} on {notice_date:%d/%m/%Y}: "
        f"visit every child placed there by {due:%d/%m/%Y}"
    )
    duties = []
    for placement in _one_per_child(placed_on(setting, notice_date)):
        child = placement.child
        duties.append(
            Duty(
                kind=DutyKind.STATUTORY_VISIT,
                subject=f"{NOTICE_SUBJECT_PREFIX}{notice.pk}:child:{child.pk}",
                child=child,
                setting=setting,
                placement=placement,
                owner=child.social_worker,
                team=child.team,
                due=due,
                basis=basis[:300],
                source=NOTICE_SOURCE,
            )
        )
    Duty.objects.bulk_create(duties)
    return notice, True


def notice_visits_discharge(child_ids) -> int:
    """Mark done each open notice duty of these children that a finished statutory visit on
    or after the notice date discharges; returns how many. For the visit services (or the
    schedule refresh) to call: visits.schedule does not keep these duties."""
    duties = list(
        Duty.objects.filter(
            child_id__in=list(child_ids),
            kind=DutyKind.STATUTORY_VISIT,
            status=Duty.Status.OPEN,
            subject__startswith=NOTICE_SUBJECT_PREFIX,
        )
    )
    if not duties:
        return 0
    notice_ids = {int(d.subject.split(":")[1]) for d in duties}
    notice_dates = dict(
        RegulatoryNotice.objects.filter(pk__in=notice_ids).values_list("pk", "notice_date")
    )
    visits = defaultdict(list)
    for visit in Visit.objects.filter(
        child_id__in={d.child_id for d in duties},
        kind=VisitKind.STATUTORY,
        status=Visit.Status.FINISHED,
        visited_at__isnull=False,
    ).order_by("visited_at", "pk"):
        visits[visit.child_id].append(visit)
    done = 0
    for duty in duties:
        since = notice_dates.get(int(duty.subject.split(":")[1]))
        if since is None:
            continue
        for visit in visits.get(duty.child_id, []):
            day = timezone.localdate(visit.visited_at)
            if day >= since:
                duty.status = Duty.Status.DONE
                duty.done_on = day
                duty.done_by_visit = visit
                duty.save(update_fields=["status", "done_on", "done_by_visit", "updated_at"])
                done += 1
                break
    return done
