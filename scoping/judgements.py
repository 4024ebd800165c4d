"""What an Inadequate judgement starts in the concern workflow (timescales.md §5; seed 000
"Concerns raised by Ofsted/CQC" and "Risk Assessment and Scoping Meeting", route 1).

Received from ``placements.events.judgement_recorded``, inside the transaction that
records the judgement (in the browser or by ``import_ofsted``, whose ``--as-of`` date is
then ``recorded_on``), when Inadequate becomes the setting's current judgement:

- a risk assessment for every child placed there on the day it is recorded, owned by
  the child's social worker / personal adviser, due within ``risk_assessment_days``
  calendar days (a rule value, default 5), each with a ``risk_assessment`` duty;
- a ``scoping_meeting`` duty for the LADO service to convene a meeting about the
  setting. Seed 000 gives no timescale for it, so it is due the day the judgement is
  recorded ("to convene"); and a route-1 scoping meeting request, approved
  (``scoping.requests.open_for_judgement``);
- the children's social workers, their line managers (team managers) and IROs are
  notified (in-app, and by email through the alert sweep). Children are named by their
  903 ID only.

The suspension and the concern level are ``escalations.judgements``'. A later Inadequate
judgement while these are in force opens risk assessments only for children without an
open one for the setting.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse

from accounts.models import Team
from core.history import stamp as _stamp
from duties import timescales
from duties.services import duty_open, notify_about_children, open_duties
from placements.models import Rating, Setting
from placements.selectors import one_per_child, placed_on

from . import duty_kinds, requests
from .models import RiskAssessment

RISK_ASSESSMENT_DAYS_RULE = "risk_assessment_days"
RISK_ASSESSMENT_DAYS_DEFAULT = 5
RISK_ASSESSMENT_SOURCE = "TS §5: 000 'Concerns raised by Ofsted/CQC'"
SCOPING_SOURCE = "TS §5: 000 'Risk Assessment and Scoping Meeting', route 1"

_OPEN_RA = ~Q(status=RiskAssessment.Status.SIGNED_OFF)


def risk_assessment_days() -> int:
    """Calendar days to complete a risk assessment; an administrator edits the rule."""
    return timescales.value(
        RISK_ASSESSMENT_DAYS_RULE,
        default=RISK_ASSESSMENT_DAYS_DEFAULT,
        help_text="Calendar days from an Inadequate judgement being recorded by which the "
        "social worker or personal adviser completes the risk assessment of each child "
        "placed there.",
        source=RISK_ASSESSMENT_SOURCE,
    )


def _add(recipients: dict, user, child) -> None:
    if user is not None and user.is_active:
        recipients[user].add(child.child_id)


def on_judgement_recorded(sender, result, actor=None, recorded_on=None, **kwargs) -> None:
    """An Inadequate judgement that has just become the setting's current one."""
    inspection = result.inspection
    if not (result.created and result.became_current):
        return
    if inspection.overall_judgement != Rating.INADEQUATE:
        return
    _inadequate(inspection, actor, recorded_on or inspection.recorded_on)


def _inadequate(inspection, actor, recorded_on) -> None:
    setting = Setting.objects.get(pk=inspection.setting_id)
    on = f"{inspection.inspection_date:%d/%m/%Y}"

    # A risk assessment per child placed there (seed 000), due within N calendar days.
    days = risk_assessment_days()
    due = recorded_on + timedelta(days=days)
    placements = one_per_child(placed_on(setting, recorded_on))
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
            _stamp(ra, actor, "Opened: rated Inadequate").save()
            duty_open(
                kind=duty_kinds.RISK_ASSESSMENT,
                subject=f"risk_assessment:{ra.pk}",
                child=child,
                setting=setting,
                placement=placement,
                owner=child.social_worker,
                team=child.team,
                due=due,
                basis=basis,
                source=RISK_ASSESSMENT_SOURCE,
            )
        worker = child.social_worker
        _add(recipients, worker, child)
        _add(recipients, worker.line_manager if worker else None, child)
        _add(recipients, child.iro, child)

    # The LADO service convenes a scoping meeting (route 1).
    scoping_subject = f"setting:{setting.pk}:scoping"
    open_scoping = open_duties(duty_kinds.SCOPING_MEETING, setting=setting).exclude(
        subject__regex=r"^scoping_request:\d+$"  # not the AD's decision on a request
    )
    if not open_scoping.exists():
        lado = Team.objects.filter(kind=Team.Kind.LADO_SERVICE).order_by("pk").first()
        duty_open(
            kind=duty_kinds.SCOPING_MEETING,
            subject=scoping_subject,
            setting=setting,
            owner=None,
            team=lado,
            due=recorded_on,
            basis=f"Ofsted rated {setting.name} Inadequate on {on}: "
            "the LADO service to convene a scoping meeting",
            source=SCOPING_SOURCE,
        )
    requests.open_for_judgement(
        setting=setting,
        inspection=inspection,
        children=[placement.child for placement in placements],
        actor=actor,
    )

    notify_about_children(
        key=f"inadequate:{inspection.pk}",
        recipients=recipients,
        subject=f"Ofsted rated {setting.name} Inadequate: risk assessments due {due:%d/%m/%Y}",
        intro=(
            f"Ofsted rated {setting} Inadequate on {on}. It is suspended from new referrals "
            f"and at Level 2. A risk assessment is due by {due:%d/%m/%Y} for each child "
            "placed there; the LADO service will convene a scoping meeting."
        ),
        url=reverse("placements:setting", kwargs={"pk": setting.pk}),
        actor=actor,
    )
