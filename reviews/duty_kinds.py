"""The LAC review and the social worker's report for it, registered with the duty engine
(``duties.registry``)."""

from duties import registry, timescales
from plans.rules import UPDATED_ASSESSMENT, PlanRules

from . import assessment, schedule
from .rules import LAC_REVIEW, REVIEW_RECOMMENDATION, REVIEW_REPORT, ReviewRules

TYPES = (
    registry.DutyType(
        kind=LAC_REVIEW,
        label="LAC review",
        owner="The child's social worker (the IRO chairs the review)",
        # A review held discharges it (done_by "lac_review:<pk>"): the review's page.
        links=((r"lac_review:(\d+)", "reviews:review"),),
        childs_iro_answers=True,
        # The review the IRO chairs (TS §4, reg. 33).
        iro_follows="Reviews due",
        order=60,
    ),
    registry.DutyType(
        kind=REVIEW_REPORT,
        label="LAC review report",
        owner="The child's social worker (the report goes to the IRO)",
        links=((schedule.REPORT_SUBJECT, "reviews:child_reviews"),),
        # The report is for the IRO, 3 or 5 working days before the review (003_… 10.22,
        # line 960): the IRO waits for it, the social worker writes it.
        iro_follows="Reports awaited",
        order=61,
    ),
    registry.DutyType(
        kind=REVIEW_RECOMMENDATION,
        label="LAC review recommendation",
        owner="The owner the IRO named at the review (the child's IRO sees it too)",
        links=((r"review_recommendation:(\d+)", "reviews:recommendation"),),
        childs_iro_answers=True,
        # The IRO follows up what the review decided, whoever it is due from.
        iro_follows="Recommendations outstanding",
        order=62,
    ),
    registry.DutyType(
        kind=UPDATED_ASSESSMENT,
        label="Updated assessment for the LAC review",
        owner="The child's social worker (the assessment goes to the LAC review)",
        links=((assessment.ASSESSMENT_SUBJECT, "plans:child_plans"),),
        order=62,  # after the recommendation (kinds of one order go by name)
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
