"""Permission-matrix entries for missing and away episodes (missing/views.py).

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.

A child's episodes and each episode are read by whoever may see the child (404 otherwise,
as the child's record). An episode, its return and the setting's report received are
recorded by the child's social worker or personal adviser, a team or service manager who
sees the child, and commissioning (the setting's report, on its behalf); the return home
interview by the child's social worker or personal adviser, managers and the senior
managers (missing.services). Anyone else who sees the child is refused (403).
"""

from __future__ import annotations

from datetime import date, time

from missing.models import MissingEpisode
from tests.permission_table import Case, child_scoped, kw, per_child, pk

#: Who records an episode, its return and the setting's report (services.may_record): the
#: own child has no personal adviser (the adviser of the team is only a colleague there).
RECORDS = {
    "own": {"social_worker", "team_manager", "service_manager", "commissioning"},
    "restricted": {"social_worker", "personal_adviser", "team_manager", "service_manager"},
    "other": {"other_team_worker", "service_manager", "commissioning"},
}
#: Who records the return home interview (services.may_record_interview).
INTERVIEWS = {
    "own": {"social_worker", "team_manager", "service_manager", "assistant_director", "director"},
    "restricted": {"social_worker", "personal_adviser", "team_manager", "service_manager"},
    "other": {"other_team_worker", "service_manager", "assistant_director", "director"},
}
EPISODES = {"own": "missing_open", "restricted": "restricted_missing_open"}
BACK = {
    "own": "missing_back",
    "restricted": "restricted_missing_back",
    "other": "other_missing_back",
}

TABLE: dict = {
    "missing:child_episodes": per_child(lambda c: child_scoped(c)),
    "missing:episode_new": per_child(lambda c: child_scoped(c, step=RECORDS[c]))
    # An empty POST: the form again with its errors (200) for those whose step it is.
    + [
        Case("own-post", kw("pk", "child"), child_scoped("own", step=RECORDS["own"]), method="post")
    ],
    "missing:episode": [Case(c, pk(key), child_scoped(c)) for c, key in BACK.items()]
    + [Case("own-open", pk("missing_open"), child_scoped("own"))],
    "missing:episode_return": [
        Case(c, pk(key), child_scoped(c, step=RECORDS[c])) for c, key in EPISODES.items()
    ],
    "missing:home_report": [
        Case(c, pk(key), child_scoped(c, step=RECORDS[c])) for c, key in EPISODES.items()
    ],
    "missing:interview": [
        Case(c, pk(key), child_scoped(c, step=INTERVIEWS[c])) for c, key in BACK.items()
    ],
}


def _episode(child, placement, start: date, end: date | None = None) -> MissingEpisode:
    return MissingEpisode.objects.create(
        child=child,
        placement=placement,
        kind="M",
        start_date=start,
        start_time=time(21, 0),
        end_date=end,
        end_time=time(9, 0) if end else None,
        where_found="friends" if end else "",
        recorded_by=child.social_worker,
    )


def extend_world(world: dict, personas: dict) -> None:
    """An episode each child came back from, and one still open for the own and the
    restricted child."""
    own, restricted, other = world["child"], world["restricted_child"], world["other_child"]
    placement, restricted_placement = world["placement"], world["restricted_placement"]
    other_placement = other.placements.get()
    world["missing_back"] = _episode(own, placement, date(2026, 1, 10), date(2026, 1, 11))
    world["missing_open"] = _episode(own, placement, date(2026, 2, 1))
    world["restricted_missing_back"] = _episode(
        restricted, restricted_placement, date(2026, 1, 10), date(2026, 1, 12)
    )
    world["restricted_missing_open"] = _episode(restricted, restricted_placement, date(2026, 2, 1))
    world["other_missing_back"] = _episode(
        other, other_placement, date(2026, 1, 10), date(2026, 1, 11)
    )
