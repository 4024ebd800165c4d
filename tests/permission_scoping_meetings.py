"""Permission-matrix entries and world objects for the scoping meetings pages.

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.

Who may do what (scoping/meeting_views.py, scoping.meetings.meetings_visible_to): a meeting
is opened by its staff invitees, the LADO service and the assistant director; to anyone
else (the director included) it does not exist: 404, for its page, its PDF and its CSV.
Of those who may open it, only the LADO service changes it (403 for the rest). Only the
LADO service convenes (403). An action is read by its owner and by whoever may open its
meeting; its owner or the LADO service marks it done.

The world: a meeting the ``lado`` persona convened about the shared setting, whose one
other staff invitee is the ``social_worker``; an action owned by the ``team_manager``, who
is not invited.
"""

from __future__ import annotations

from tests.permission_table import NONE, STAFF, Case, _anon, everyone, pk, roles

OPEN = {"lado", "assistant_director", "social_worker"}  # invitee, LADO, AD
EDIT = {"lado"}
ACTION_READ = OPEN | {"team_manager"}  # the action's owner
ACTION_DONE = {"lado", "team_manager"}


def _meeting(allowed: set[str], seen: set[str]) -> dict[str, str]:
    """The meeting first (404 if not among those the user may open), then the role (403)."""
    return _anon({p: "404" if p not in seen else ("ok" if p in allowed else "403") for p in STAFF})


READ = _meeting(OPEN, OPEN)
WRITE = _meeting(EDIT, OPEN)
M = pk("scoping_meeting")

TABLE: dict = {
    "scoping:meetings": [Case("", NONE, everyone())],
    "scoping:meeting": [Case("", M, READ)],
    "scoping:meeting_pdf": [Case("", M, READ)],
    "scoping:meeting_csv": [Case("", M, READ)],
    "scoping:meeting_convene": [
        Case("", pk("setting"), roles(EDIT)),
        Case("post", pk("setting"), roles(EDIT), method="post"),
    ],
    "scoping:meeting_details": [Case("", M, WRITE), Case("post", M, WRITE, method="post")],
    "scoping:meeting_minutes": [Case("", M, WRITE), Case("post", M, WRITE, method="post")],
    "scoping:meeting_invitees": [Case("", M, WRITE), Case("post", M, WRITE, method="post")],
    "scoping:meeting_attendance": [Case("", M, WRITE), Case("post", M, WRITE, method="post")],
    "scoping:meeting_action_add": [Case("", M, WRITE), Case("post", M, WRITE, method="post")],
    "scoping:meeting_finalise": [Case("", M, WRITE), Case("post", M, WRITE, method="post")],
    "scoping:meeting_child": [
        Case("", pk("scoping_meeting_child"), WRITE),
        Case("post", pk("scoping_meeting_child"), WRITE, method="post"),
    ],
    "scoping:meeting_invitee_remove": [
        Case("", pk("scoping_meeting_invitee"), _anon(dict.fromkeys(STAFF, "405"))),
        Case("post", pk("scoping_meeting_invitee"), WRITE, method="post"),
    ],
    "scoping:action": [Case("", pk("scoping_action"), _meeting(ACTION_READ, ACTION_READ))],
    "scoping:action_done": [
        Case("", pk("scoping_action"), _meeting(ACTION_DONE, ACTION_READ)),
        Case("post", pk("scoping_action"), _meeting(ACTION_DONE, ACTION_READ), method="post"),
    ],
}


def extend_world(world: dict, personas: dict) -> None:
    """Add this part's records to the world (keys prefixed by the part)."""
    from datetime import time, timedelta

    from django.utils import timezone

    from scoping import meetings

    lado = personas["lado"]
    today = timezone.localdate()
    meeting = meetings.meeting_convene(
        setting=world["setting"],
        actor=lado,
        on=today,
        at=time(10, 0),
        location="Room 2, Sessions House",
    )
    # The social worker (of the own and restricted children) stays the one staff invitee.
    meetings.invitee_remove(
        invitee=meeting.invitees.get(user=personas["other_team_worker"]), actor=lado
    )
    world["scoping_meeting"] = meeting
    world["scoping_meeting_child"] = meeting.children.get(number=1)
    world["scoping_meeting_invitee"] = meeting.invitees.get(user=personas["social_worker"])
    world["scoping_action"] = meetings.action_add(
        meeting=meeting,
        actor=lado,
        action="Check the restraint log.",
        owner=personas["team_manager"],
        deadline=today + timedelta(days=14),
        meeting_child=world["scoping_meeting_child"],
    )
