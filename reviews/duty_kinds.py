"""The LAC review, registered with the duty engine (``duties.registry``)."""

from duties import registry, timescales

from . import schedule
from .rules import LAC_REVIEW, ReviewRules

TYPES = (
    registry.DutyType(
        kind=LAC_REVIEW,
        label="LAC review",
        owner="The child's social worker (the IRO chairs the review)",
        childs_iro_answers=True,
        order=60,
    ),
)


def register() -> None:
    registry.register(*TYPES)
    registry.recomputer(
        registry.Recomputer(
            name="reviews",
            scope="child",
            kinds=(LAC_REVIEW,),
            subjects=schedule.SUBJECTS,
            prepare=schedule.prepare,
            load=schedule.load,
            wants=schedule.wants,
        )
    )
    timescales.register(ReviewRules, recompute=True)
