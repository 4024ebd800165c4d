"""Permission-matrix entries for the pages issue 14 adds: changing and withdrawing a
scoping meeting's action (scoping.actions).

They use the scoping meetings part's world (tests/permission_scoping_meetings.py): an action
of the meeting the ``lado`` persona convened, owned by the ``team_manager`` (not invited).
An action is found among those the user may read (its owner and whoever may open its
meeting: 404 for anyone else); of those, only the LADO service changes or withdraws it (403).
An empty POST is the form again, with its error: "ok".
"""

from __future__ import annotations

from tests.permission_scoping_meetings import ACTION_READ, _meeting
from tests.permission_table import Case, pk

CHANGE = _meeting({"lado"}, ACTION_READ)
ACTION = pk("scoping_action")

TABLE: dict = {
    "scoping:action_edit": [
        Case("", ACTION, CHANGE),
        Case("post", ACTION, CHANGE, method="post"),
    ],
    "scoping:action_withdraw": [
        Case("", ACTION, CHANGE),
        Case("post", ACTION, CHANGE, method="post"),
    ],
}


def extend_world(world: dict, personas: dict) -> None:
    """The scoping meetings part's action serves. The restricted child's personal adviser
    (the ``personal_adviser`` persona, Child.personal_adviser) is invited to that part's
    meeting at convening, as the child's social worker is; the invitation is withdrawn so
    that the social worker stays the meeting's one staff invitee, as that part's table
    expects (run after it: tests/test_permission_matrix.py)."""
    from scoping import meetings

    meeting = world["scoping_meeting"]
    invitation = meeting.invitees.filter(user=personas["personal_adviser"]).first()
    assert invitation is not None, "the adviser is invited with the social worker"
    meetings.invitee_remove(invitee=invitation, actor=personas["lado"])
