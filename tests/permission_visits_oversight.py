"""Permission-matrix entries and world objects for the visit schedules' oversight page:
the statutory visits at which the child was not seen alone (003 10.10).

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.
"""

from __future__ import annotations

from tests.permission_table import MANAGERS, Case, roles

TABLE: dict = {
    # Team and service managers, for the children they oversee; everyone else is refused.
    "visits:not_seen_alone": [Case("", lambda w: {}, roles(MANAGERS))],
}


def extend_world(world: dict, personas: dict) -> None:
    """A statutory visit of each child of the world at which the child was not seen alone,
    so that the page lists rows (the restricted child's only for whom may open it)."""
    from visits.tests.factories import VisitFactory

    for key in ("child", "restricted_child", "other_child"):
        world[f"oversight_not_alone_{key}"] = VisitFactory(
            child=world[key],
            seen_alone=False,
            others_present="The carer",
            not_seen_alone_reason="The child asked for the carer to stay.",
        )
