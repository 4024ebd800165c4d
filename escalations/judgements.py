"""What follows an Ofsted judgement for the setting's standing (timescales.md §5; seeds
000, 001, 002): received from ``placements.events.judgement_recorded``, inside the
transaction that records the judgement, whether in the browser or by ``import_ofsted``.

- **Inadequate** (becoming the setting's current judgement): the setting is suspended
  from new referrals (off the approved list, seed 002) and goes to Level 2 (seed 001,
  Knowsley). The risk assessments, the scoping meeting and the notifications that follow
  are the concern workflow's (``scoping.judgements``).
- **Requires improvement**, as a downgrade (from Good or Outstanding): the concern level
  the authority sets for it (``settings.REQUIRES_IMPROVEMENT_CONCERN_LEVEL``, default
  ``level_1``), and the allocated social workers are told. No suspension, no risk
  assessments, no scoping meeting.
- **Good or Outstanding**: a suspension this workflow made is lifted (seed 002:
  reinstated "only when their rating has been adjusted upwards"); a suspension a person
  made is left for a person to lift. A better judgement does not take a home off the
  protocol: the concern level stays, and a home on the protocol goes on the list for
  the next governance review (``governance.improved_judgement_queue``), whose decision
  it is (seed 001 l.120, l.253).

A later Inadequate judgement while these are in force changes nothing that is already so.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings as django_settings
from django.urls import reverse

from core.history import stamp as _stamp
from duties.services import notify_about_children
from placements.models import ConcernLevel, Rating, Setting
from placements.selectors import one_per_child, placed_on

from .governance import improved_judgement_queue
from .models import ConcernLevelChange
from .services import concern_level_change

#: The start of the reason this workflow gives a suspension; only such a suspension is
#: lifted by a later Good judgement.
SUSPENSION_REASON_PREFIX = "Rated Inadequate by Ofsted on"


def requires_improvement_level() -> str:
    """The concern level the authority gives a downgrade to Requires improvement."""
    level = getattr(django_settings, "REQUIRES_IMPROVEMENT_CONCERN_LEVEL", ConcernLevel.LEVEL_1)
    if level not in ConcernLevel.values:
        raise ValueError(f"REQUIRES_IMPROVEMENT_CONCERN_LEVEL {level!r} is not a concern level")
    return level


def on_judgement_recorded(sender, result, actor=None, recorded_on=None, **kwargs) -> None:
    """The steps that follow a judgement ``inspection_record`` has just created."""
    if not (result.created and result.became_current):
        return
    inspection = result.inspection
    judgement = inspection.overall_judgement
    if judgement == Rating.INADEQUATE:
        _inadequate(inspection, actor)
    elif judgement == Rating.REQUIRES_IMPROVEMENT and result.downgrade:
        _requires_improvement(inspection, actor)
    elif judgement in (Rating.GOOD, Rating.OUTSTANDING):
        _improved(inspection, actor)


def _inadequate(inspection, actor) -> None:
    """Seed 002: off the approved list; seed 001 (Knowsley): Level 2."""
    setting = Setting.objects.select_for_update().get(pk=inspection.setting_id)
    on = f"{inspection.inspection_date:%d/%m/%Y}"

    # Off the approved list (seed 002).
    if not setting.referrals_suspended:
        setting.referrals_suspended = True
        setting.referrals_suspended_reason = f"{SUSPENSION_REASON_PREFIX} {on}"
        _stamp(setting, actor, "Suspended from new referrals: rated Inadequate").save(
            update_fields=["referrals_suspended", "referrals_suspended_reason"]
        )

    # Level 2 (seed 001).
    concern_level_change(
        setting=setting,
        level=ConcernLevel.LEVEL_2,
        reason=f"Ofsted rated {setting.name} Inadequate on {on} (Knowsley protocol: Level 2).",
        source=ConcernLevelChange.Source.INADEQUATE,
        inspection=inspection,
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
    for placement in one_per_child(placed_on(setting, day)):
        worker = placement.child.social_worker
        if worker is not None and worker.is_active:
            recipients[worker].add(placement.child.child_id)
    notify_about_children(
        key=f"requires_improvement:{inspection.pk}",
        recipients=recipients,
        subject=f"Ofsted rated {setting.name} Requires improvement",
        intro=(
            f"Ofsted rated {setting} Requires improvement on {on} "
            f"(it was {Rating(inspection.previous_judgement).label}). "
            f"Its concern level is now {ConcernLevel(level).label}."
        ),
        url=reverse("placements:setting", kwargs={"pk": setting.pk}),
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
        _stamp(setting, actor, f"Suspension lifted: rated {label} on {on}").save(
            update_fields=["referrals_suspended", "referrals_suspended_reason"]
        )
    # The level stays: the governance group decides it (seed 001 l.120, l.253).
    improved_judgement_queue(inspection, actor, setting=setting)
