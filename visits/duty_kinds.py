"""The visit duties, registered with the duty engine (``duties.registry``).

Statutory, purposeful, IRO, commissioning and service manager visits (timescales.md
§1-§3), and the local standards on top (003 10.2, 10.10: the child seen on the day of
placement, their bedroom seen every 12 weeks): their rows are recomputed from the
placements, the visits made, the LAC reviews held and the child's own schedule
(``visits.schedule``); a visit due after an Ofsted notice (``visits.notices``) is opened
and closed as the notice and the visits come.
"""

from accounts.models import Role
from duties import registry, timescales

from . import pvf_review, recording, rules, schedule

VISIT_LINK = (r"visit:(\d+)", "visits:visit")

TYPES = (
    registry.DutyType(
        kind=rules.STATUTORY_VISIT,
        label="Statutory visit",
        owner="The child's social worker",
        is_visit=True,
        order=10,
    ),
    registry.DutyType(
        kind=rules.PLACEMENT_DAY_VISIT,
        label="Visit on the day of placement",
        owner="The child's social worker",
        is_visit=True,
        order=12,
    ),
    registry.DutyType(
        kind=rules.BEDROOM_SEEN,
        label="Bedroom seen",
        owner="The child's social worker",
        is_visit=True,
        order=15,
    ),
    registry.DutyType(
        kind=rules.PURPOSEFUL_VISIT,
        label="Purposeful visit",
        owner="The child's social worker",
        is_visit=True,
        order=20,
    ),
    registry.DutyType(
        kind=rules.IRO_VISIT,
        label="IRO visit",
        owner="The child's IRO",
        childs_iro_answers=True,
        is_visit=True,
        order=30,
    ),
    registry.DutyType(
        kind=rules.COMMISSIONING_VISIT,
        label="Commissioning visit",
        owner="The commissioning team (CIC commissioning)",
        answered_by=Role.COMMISSIONING_OFFICER,
        is_visit=True,
        order=40,
    ),
    registry.DutyType(
        kind=rules.SERVICE_MANAGER_VISIT,
        label="Service manager visit",
        owner="The social worker's service manager",
        is_visit=True,
        order=50,
    ),
)


#: Issue 15: the IRO reviews the first form of a placement (000_… line 137); a visit is
#: recorded within 2 working days (003_… §20, line 1438).
RECORDING_TYPES = (
    registry.DutyType(
        kind=pvf_review.PVF_REVIEW,
        label="IRO review of the first Purposeful Visiting Form",
        owner="The child's IRO",
        links=((pvf_review.SUBJECT, "visits:pvf_review"),),
        order=56,
    ),
    registry.DutyType(
        kind=recording.VISIT_RECORDING,
        label="Case recording after a visit",
        owner="Whoever made the visit (its author)",
        order=57,
    ),
)


def register() -> None:
    registry.register(*TYPES, *RECORDING_TYPES, extra_links=[VISIT_LINK])
    registry.recomputer(
        registry.Recomputer(
            name="visits",
            scope="child",
            kinds=(*rules.DUTY_KINDS, *rules.LOCAL_STANDARD_KINDS),
            subjects=schedule.SUBJECTS,
            prepare=schedule.prepare,
            load=schedule.load,
            wants=schedule.wants,
        )
    )
    # Every interval of the schedule (and, inherited, the LAC review's) moves due dates.
    timescales.register(rules.RuleSet, recompute=True)
    registry.recomputer(
        registry.Recomputer(
            name="visit_recording",
            scope="child",
            kinds=(recording.VISIT_RECORDING,),
            subjects=recording.SUBJECTS,
            prepare=recording.prepare,
            load=recording.load,
            wants=recording.wants,
            candidates=recording.candidates,
        )
    )
    timescales.register(recording.RecordingRules, recompute=True)
    # Opened with the duty's due date fixed: a changed value applies to forms finished later.
    timescales.register(pvf_review.PvfReviewRules, recompute=False)
