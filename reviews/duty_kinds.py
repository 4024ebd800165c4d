"""The LAC review and the social worker's report for it, registered with the duty engine
(``duties.registry``)."""

from duties import registry, timescales
from plans.rules import UPDATED_ASSESSMENT, PlanRules

from . import assessment, schedule
from .rules import LAC_REVIEW, REVIEW_REPORT, ReviewRules

TYPES = (
    registry.DutyType(
        kind=LAC_REVIEW,
        label="LAC review",
        owner="The child's social worker (the IRO chairs the review)",
        childs_iro_answers=True,
        order=60,
    ),
    registry.DutyType(
        kind=REVIEW_REPORT,
        label="LAC review report",
        owner="The child's social worker (the report goes to the IRO)",
        links=((schedule.REPORT_SUBJECT, "reviews:child_reviews"),),
        order=61,
    ),
    registry.DutyType(
        kind=UPDATED_ASSESSMENT,
        label="Updated assessment for the LAC review",
        owner="The child's social worker (the assessment goes to the LAC review)",
        links=((assessment.ASSESSMENT_SUBJECT, "plans:child_plans"),),
        order=62,
    ),
)


def register() -> None:
    registry.register(*TYPES)
    registry.recomputer(
        registry.Recomputer(
            name="reviews",
            scope="child",
            kinds=(LAC_REVIEW, REVIEW_REPORT),
            subjects=schedule.SUBJECTS,
            prepare=schedule.prepare,
            load=schedule.load,
            wants=schedule.wants,
        )
    )
    timescales.register(ReviewRules, recompute=True)
    # The updated assessment for each review (003_… 10.12): its rule is plans.rules'.
    registry.recomputer(
        registry.Recomputer(
            name="updated_assessment",
            scope="child",
            kinds=(UPDATED_ASSESSMENT,),
            subjects=assessment.SUBJECTS,
            prepare=assessment.prepare,
            load=assessment.load,
            wants=assessment.wants,
        )
    )
    timescales.register(PlanRules, recompute=True)
