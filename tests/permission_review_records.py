"""Permission-matrix entries for the IRO's record of a LAC review (reviews/views.py, the
record and its recommendations; visits/review_schedule.py, the schedule agreed at it).

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.

The review's page, its PDF and a recommendation's page are read by whoever may see the
child (404 otherwise, as the child's record, by the same road as a review that does not
exist). The child's IRO records the review, completes or changes its record, adds its
recommendations, withdraws them and records the schedule agreed at it
(``reviews.records.may_record``); a recommendation's owner marks it done. Anyone else who
sees the child is refused (403): the team manager too (the record is the independent
chair's). In the world only the own child has an IRO.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from tests.permission_table import Case, child_scoped, kw, per_child, pk

#: Who records each child's review (the child's IRO; the others have none).
RECORDS = {"own": {"iro"}, "restricted": set(), "other": set()}
#: Who owns each child's recommendation in the world.
OWNS = {"own": {"social_worker"}, "restricted": {"social_worker"}, "other": {"other_team_worker"}}

REVIEW_KEYS = {
    "own": "lac_review",
    "restricted": "restricted_lac_review",
    "other": "other_lac_review",
}
RECOMMENDATION_KEYS = {
    "own": "recommendation",
    "restricted": "restricted_recommendation",
    "other": "other_recommendation",
}


def per_review(build, keys=REVIEW_KEYS, **extra) -> list[Case]:
    return [Case(variant, pk(key), build(variant), **extra) for variant, key in keys.items()]


TABLE: dict = {
    "reviews:review_record": per_child(lambda c: child_scoped(c, step=RECORDS[c]), kwarg="child_pk")
    # An empty POST: the form again with its errors (200) for the child's IRO.
    + [
        Case(
            "own-post",
            kw("child_pk", "child"),
            child_scoped("own", step=RECORDS["own"]),
            method="post",
        )
    ],
    "reviews:review": per_review(lambda c: child_scoped(c)),
    "reviews:review_pdf": per_review(lambda c: child_scoped(c)),
    "reviews:review_edit": per_review(lambda c: child_scoped(c, step=RECORDS[c])),
    "reviews:recommendation_add": per_review(lambda c: child_scoped(c, step=RECORDS[c]))
    + [
        Case(
            "own-post",
            pk("lac_review"),
            child_scoped("own", step=RECORDS["own"]),
            method="post",
        )
    ],
    "visits:review_schedule": per_review(lambda c: child_scoped(c, step=RECORDS[c]))
    + [
        Case(
            "own-post",
            pk("lac_review"),
            child_scoped("own", step=RECORDS["own"]),
            method="post",
        )
    ],
    "reviews:recommendation": per_review(lambda c: child_scoped(c), keys=RECOMMENDATION_KEYS),
    "reviews:recommendation_done": per_review(
        lambda c: child_scoped(c, step=OWNS[c]), keys=RECOMMENDATION_KEYS
    )
    + [
        Case(
            "own-post",
            pk("recommendation"),
            child_scoped("own", step=OWNS["own"]),
            method="post",
        )
    ],
    "reviews:recommendation_withdraw": per_review(
        lambda c: child_scoped(c, step=RECORDS[c]), keys=RECOMMENDATION_KEYS
    ),
}


def extend_world(world: dict, personas: dict) -> None:
    """A review recorded for each child of the world, and a recommendation of each."""
    from reviews.models import LacReview, ReviewRecommendation

    iro = personas["iro"]
    owners = {
        "own": personas["social_worker"],
        "restricted": personas["social_worker"],
        "other": personas["other_team_worker"],
    }
    children = {"own": "child", "restricted": "restricted_child", "other": "other_child"}
    for variant, child_key in children.items():
        review = LacReview.objects.create(
            child=world[child_key],
            review_date=date(2026, 2, 2),
            review_code="PN1",
            chaired_by=iro,
            participants="The child and the carer",
            recorded_by=iro,
            recorded_at=timezone.now(),
        )
        world[REVIEW_KEYS[variant]] = review
        world[RECOMMENDATION_KEYS[variant]] = ReviewRecommendation.objects.create(
            review=review,
            text="Arrange contact",
            owner=owners[variant],
            due=date(2026, 3, 2),
            created_by=iro,
        )
