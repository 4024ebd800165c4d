"""Permission-matrix entries and world objects for the scoping requests pages.

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.

Who may do what (scoping/request_views.py): any professional requests (route 2), the LADO
service opens route 1 and the assistant director raises route 3, so the director and the
administrator may not request; a request is read by its requester, the assistant director,
the director and the LADO service (anyone else who may request: 404; the administrator:
403); the assistant director and the director decide (403 for the rest); only the requester
resubmits (other professionals: 404; the roles that never make a route-2 request: 403).
"""

from __future__ import annotations

from tests.permission_table import (
    CASEWORKERS,
    MANAGERS,
    NONE,
    SENIOR,
    STAFF,
    Case,
    _anon,
    pk,
    roles,
)

REQUEST = CASEWORKERS | MANAGERS | {"iro", "commissioning", "lado", "assistant_director"}
PROFESSIONAL = CASEWORKERS | MANAGERS | {"iro", "commissioning"}
LIST = REQUEST | {"director"}
READ_ALL = SENIOR | {"lado"}
REQUESTER = "social_worker"


def _record(allowed: set[str], role_ok: set[str]) -> dict[str, str]:
    """The role check first (403), then the request among those the user may see (404)."""
    return _anon(
        {p: "403" if p not in role_ok else ("ok" if p in allowed else "404") for p in STAFF}
    )


TABLE: dict = {
    "scoping:requests": [Case("", NONE, roles(LIST))],
    # Without ?setting= the page asks which setting first.
    "scoping:request_create": [
        Case("", NONE, roles(REQUEST)),
        Case("post", NONE, roles(REQUEST), method="post"),
    ],
    "scoping:request": [
        Case("submitted", pk("scoping_request"), _record(READ_ALL | {REQUESTER}, LIST)),
        Case("refused", pk("scoping_request_refused"), _record(READ_ALL | {REQUESTER}, LIST)),
    ],
    "scoping:request_decide": [
        Case("submitted", pk("scoping_request"), roles(SENIOR)),
        # An empty POST: the form again with its errors.
        Case("submitted-post", pk("scoping_request"), roles(SENIOR), method="post"),
    ],
    "scoping:request_resubmit": [
        Case("refused", pk("scoping_request_refused"), _record({REQUESTER}, PROFESSIONAL)),
        Case(
            "refused-post",
            pk("scoping_request_refused"),
            _record({REQUESTER}, PROFESSIONAL),
            method="post",
        ),
    ],
}


def extend_world(world: dict, personas: dict) -> None:
    """Add this part's records to the world (keys prefixed by the part)."""
    from scoping import requests as services

    sw, ad = personas["social_worker"], personas["assistant_director"]
    fields = {
        "setting": world["setting"],
        "actor": sw,
        "what_was_tried": "Raised with the registered manager twice.",
        # The restricted child is named: only the social worker may see that name.
        "children": [world["child"], world["restricted_child"]],
    }
    world["scoping_request"] = services.request_submit(
        concerns="Restraints are not recorded.", **fields
    )
    refused = services.request_submit(concerns="Doors locked at night.", **fields)
    services.request_decide(
        request=refused, decision="refuse", reasons="Try the provider first.", actor=ad
    )
    world["scoping_request_refused"] = refused
