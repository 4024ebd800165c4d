"""Permission-matrix entries and world objects for registering a child coming into care
and recording concerns about an unregistered placement (placements.views.admission).

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.
"""

from __future__ import annotations

from tests.permission_table import STAFF, Case, _anon, child_scoped, pk, roles

# placements.services.REGISTERING_ROLES: social workers (both teams') and team managers.
REGISTERING = {"social_worker", "other_team_worker", "team_manager"}
# placements.services.CONCERN_ROLES: the IRO, social workers and personal advisers, the
# team manager.
CONCERN = {"social_worker", "personal_adviser", "other_team_worker", "team_manager", "iro"}


def _registered_placement() -> dict[str, str]:
    """Concerns on a placement in a registered setting: the page does not exist for it
    (404) for whoever may record concerns and sees the child, 403 for the other roles."""
    own = child_scoped("own", CONCERN)
    return _anon({p: "404" if own[p] == "ok" else own[p] for p in STAFF})


TABLE: dict = {
    # GET: the form; an empty POST: the form again with its errors.
    "placements:child_register": [
        Case("", lambda w: {}, roles(REGISTERING)),
        Case("post", lambda w: {}, roles(REGISTERING), method="post"),
    ],
    "placements:placement_concern_create": [
        Case("own", pk("admission_unregistered"), child_scoped("own", CONCERN)),
        Case("restricted", pk("admission_restricted_unregistered"), child_scoped("restricted", CONCERN)),
        Case("own-post", pk("admission_unregistered"), child_scoped("own", CONCERN), method="post"),
        Case("registered", pk("placement"), _registered_placement()),
    ],
}


def extend_world(world: dict, personas: dict) -> None:
    """An earlier, ended placement in an unregistered setting for the own and the
    restricted child (keys prefixed admission_)."""
    from datetime import date

    from placements.tests.factories import PlacementFactory, UnregisteredSettingFactory

    flat = UnregisteredSettingFactory(name="Flat 9, Mill Lane")
    for key, child in (
        ("admission_unregistered", world["child"]),
        ("admission_restricted_unregistered", world["restricted_child"]),
    ):
        world[key] = PlacementFactory(
            child=child,
            setting=flat,
            decom=date(2024, 6, 3),
            dec=date(2025, 1, 6),
            rec="X1",
            place="Z1",
        )
