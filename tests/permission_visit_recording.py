"""Permission-matrix entries for the IRO's review of a visit form (000_… line 137) and the
managers' page of late recordings (003_… §20).

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.

The review page is on a visit (the world's finished statutory visit of each child): 404 for
anyone who may not see the child, then 403 for anyone who sees the child but is not its
IRO (the restricted child has none: everyone who sees it is refused). Late recordings:
team and service managers, for the workers and teams they manage; everyone else 403.
"""

from __future__ import annotations

from tests.permission_table import MANAGERS, Case, child_scoped, pk, roles

#: Who reviews each child's visit forms (visits.pvf_review.may_review): the child's IRO.
REVIEWS = {"own": {"iro"}, "restricted": set(), "other": set()}

TABLE: dict = {
    "visits:pvf_review": [
        Case("own", pk("visit"), child_scoped("own", step=REVIEWS["own"])),
        Case(
            "restricted",
            pk("restricted_visit"),
            child_scoped("restricted", step=REVIEWS["restricted"]),
        ),
        Case("other", pk("recording_other_visit"), child_scoped("other", step=REVIEWS["other"])),
        # An empty POST: the form again with its errors (200) for the IRO.
        Case("own-post", pk("visit"), child_scoped("own", step=REVIEWS["own"]), method="post"),
    ],
    "visits:late_recordings": [Case("", lambda w: {}, roles(MANAGERS))],
}


def extend_world(world: dict, personas: dict) -> None:
    """A finished visit form of the other team's child, and for each child of the world a
    visit not recorded though its deadline has passed (a draft whose row is open and
    overdue), so that the late-recordings page lists rows (each child's only for whom may
    see it)."""
    from datetime import timedelta

    from django.utils import timezone

    from duties.models import Duty
    from visits.models import Visit
    from visits.recording import VISIT_RECORDING
    from visits.tests.factories import VisitFactory

    other = world["other_child"]
    world["recording_other_visit"] = VisitFactory(
        child=other,
        visitor=personas["other_team_worker"],
        visitor_name="Wren Southgate",
        placement=other.placements.first(),
    )
    today = timezone.localdate()
    for key, worker in (
        ("child", "social_worker"),
        ("restricted_child", "social_worker"),
        ("other_child", "other_team_worker"),
    ):
        user = personas[worker]
        visit = VisitFactory(
            child=world[key],
            visitor=user,
            visitor_name=user.get_full_name(),
            status=Visit.Status.DRAFT,
            finished_at=None,
            on=today - timedelta(days=10),
        )
        # The row the recompute keeps for it (visits.recording), overdue.
        Duty.objects.create(
            kind=VISIT_RECORDING,
            subject=f"visit:{visit.pk}",
            child=world[key],
            owner=user,
            team=user.team,
            due=today - timedelta(days=6),
        )
