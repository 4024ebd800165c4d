"""Permission-matrix entries for the patterns of missing and the missing figures
(missing/pattern_views.py).

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.

A child's patterns are read by whoever may see the child (404 otherwise, as the child's
record). A setting's patterns by the roles that open children's records (403 for the
administrator), for any setting: what they count is scoped to the children the user may see.
The figures (numbers only) by the team and service managers, the assistant director and
director, and commissioning; 403 for everyone else.
"""

from __future__ import annotations

from tests.permission_table import (
    CHILD_LIST,
    MANAGERS,
    SENIOR,
    Case,
    child_scoped,
    per_child,
    pk,
    roles,
)

FIGURES = MANAGERS | SENIOR | {"commissioning"}

TABLE: dict = {
    "missing:child_patterns": per_child(lambda c: child_scoped(c)),
    "missing:setting_patterns": [Case("", pk("setting"), roles(CHILD_LIST))],
    "missing:figures": [Case("", lambda w: {}, roles(FIGURES))],
}


def extend_world(world: dict, personas: dict) -> None:
    """An episode of each child of the world from their placement, returned, so that every
    page has something to count (the restricted child's only for those who see it)."""
    from datetime import timedelta

    from django.utils import timezone

    from missing.models import EpisodeKind, MissingEpisode

    today = timezone.localdate()
    for key in ("child", "restricted_child", "other_child"):
        child = world[key]
        MissingEpisode.objects.create(
            child=child,
            placement=child.placements.order_by("-decom").first(),
            kind=EpisodeKind.MISSING,
            start_date=today - timedelta(days=3),
            end_date=today - timedelta(days=2),
        )
