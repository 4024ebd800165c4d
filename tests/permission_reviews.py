"""Permission-matrix entries for a child's LAC reviews (reviews/views.py).

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.

The page is read by whoever may see the child (404 otherwise, as the child's record). The
next review is booked by the child's IRO, social worker or team manager (of the child's
team, or the social worker's line manager); the report is recorded as sent by the child's
social worker. Anyone else who sees the child is refused (403).
"""

from __future__ import annotations

from tests.permission_table import Case, child_scoped, kw, per_child

#: Who books the next review of each child of the world (reviews.services.may_book): the
#: restricted child has no IRO; the other child's team manager is not a persona.
BOOKS = {
    "own": {"social_worker", "team_manager", "iro"},
    "restricted": {"social_worker", "team_manager"},
    "other": {"other_team_worker"},
}
#: Who records the report sent (reviews.services.may_record_report): the social worker.
REPORTS = {
    "own": {"social_worker"},
    "restricted": {"social_worker"},
    "other": {"other_team_worker"},
}

TABLE: dict = {
    "reviews:child_reviews": per_child(lambda c: child_scoped(c)),
    "reviews:review_book": per_child(lambda c: child_scoped(c, step=BOOKS[c]), kwarg="child_pk"),
    "reviews:report_sent": per_child(lambda c: child_scoped(c, step=REPORTS[c]), kwarg="child_pk")
    # An empty POST: the form again with its errors (200) for those whose step it is.
    + [
        Case(
            "own-post",
            kw("child_pk", "child"),
            child_scoped("own", step=REPORTS["own"]),
            method="post",
        )
    ],
}


def extend_world(world: dict, personas: dict) -> None:
    """Nothing to add: the pages read the world's children and their placements."""
