"""The plans' and assessments' duties, registered with the duty engine
(``duties.registry``): ``care_plan``, ``placement_plan``, ``health_assessment`` and
``pep`` (timescales.md §7), recomputed from the placements and the plans recorded
(``plans.schedule``); a plan recorded is the record that discharges them (``plan:<id>``).
``updated_assessment`` is the reviews app's (it needs the LAC review's dates).
"""

from duties import registry, timescales

from . import rules, schedule

#: A discharging plan's page (the plan's edit page: plans.urls, "plans:plan_edit").
PLAN_LINK = (schedule.PLAN_SUBJECT, "plans:plan_edit")
CHILD_PLANS = "plans:child_plans"

TYPES = (
    registry.DutyType(
        kind=rules.CARE_PLAN,
        label="Care plan",
        owner="The child's social worker",
        links=((schedule.CARE_PLAN_SUBJECT, CHILD_PLANS),),
        order=63,
    ),
    registry.DutyType(
        kind=rules.PLACEMENT_PLAN,
        label="Placement plan",
        owner="The child's social worker",
        links=((schedule.PLACEMENT_PLAN_SUBJECT, CHILD_PLANS),),
        order=64,
    ),
    registry.DutyType(
        kind=rules.HEALTH_ASSESSMENT,
        label="Health assessment",
        owner="The child's social worker (who makes sure it is done)",
        links=((schedule.HEALTH_SUBJECT, CHILD_PLANS),),
        order=65,
    ),
    registry.DutyType(
        kind=rules.PEP,
        label="Personal education plan (PEP)",
        owner="The child's social worker (with the school and the virtual school)",
        links=((schedule.PEP_SUBJECT, CHILD_PLANS),),
        order=66,
    ),
)


def register() -> None:
    registry.register(*TYPES, extra_links=[PLAN_LINK])
    registry.recomputer(
        registry.Recomputer(
            name="plans",
            scope="child",
            kinds=schedule.KINDS,
            subjects=schedule.SUBJECTS,
            prepare=schedule.prepare,
            load=schedule.load,
            wants=schedule.wants,
        )
    )
    timescales.register(rules.PlanRules, recompute=True)
