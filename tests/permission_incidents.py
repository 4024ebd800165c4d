"""Permission-matrix entries for incidents and allegations (incidents/views/).

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.

Incidents are read by everyone who works on cases (the administrator is refused, 403):
commissioning, the LADO and the senior managers read every one (naming only the children
they may see), anyone else those involving a child they may see (404 otherwise). They are
recorded, and their report and debriefs entered, by commissioning, social workers, personal
advisers and team managers (403 for the other roles). Allegations: the LADO and the senior
managers read every one, commissioning those about a setting, anyone else those they
recorded or about a child they may see; the referral is recorded by whoever recorded the
allegation or the LADO; the outcome by the LADO alone.
"""

from __future__ import annotations

from datetime import date, datetime, time

from tests.permission_table import (
    NONE,
    SEE_ALL,
    SEES,
    STAFF,
    Case,
    _anon,
    child_scoped,
    per_child,
    pk,
    roles,
)

READ = set(STAFF) - {"administrator"}
RECORD = {"commissioning", "social_worker", "personal_adviser", "other_team_worker", "team_manager"}
CHILD_LIST = READ  # placements.selectors.CHILD_LIST_ROLES: everyone who works on cases
SENIOR_AND_LADO = {"lado", "assistant_director", "director"}

#: Who reads each incident of the world (incidents.selectors.incidents_visible_to).
INCIDENT_SEEN = {
    "incident": SEES["own"] | SEE_ALL,
    "restricted_incident": SEES["restricted"] | SEE_ALL,
    "other_incident": SEES["other"] | SEE_ALL,
    "setting_incident": set(SEE_ALL),
}
#: Who reads each allegation (incidents.selectors.allegations_visible_to).
ALLEGATION_SEEN = {
    # about the setting and the own child, recorded by the social worker
    "allegation": SEES["own"] | SENIOR_AND_LADO | {"commissioning", "social_worker"},
    # about the restricted child, no setting, recorded by its personal adviser
    "restricted_allegation": SEES["restricted"] | SENIOR_AND_LADO,
    # about the setting, no child, recorded by the IRO
    "setting_allegation": SENIOR_AND_LADO | {"commissioning", "iro"},
}


def scoped(visible: set[str], allowed: set[str] = READ, step: set[str] | None = None) -> dict:
    """The role first (403), then the record (404), then whose step it is (403)."""
    expect = {}
    for p in STAFF:
        if p not in allowed:
            expect[p] = "403"
        elif p not in visible:
            expect[p] = "404"
        elif step is not None and p not in step:
            expect[p] = "403"
        else:
            expect[p] = "ok"
    return _anon(expect)


def _incidents(allowed=READ, **extra) -> list[Case]:
    return [
        Case(key, pk(key), scoped(seen, allowed), **extra) for key, seen in INCIDENT_SEEN.items()
    ]


TABLE: dict = {
    "incidents:setting_incidents": [Case("", pk("setting"), roles(READ))],
    "incidents:incident_create": [
        Case("", pk("setting"), roles(RECORD)),
        # An empty POST: the form again with its errors (200) for those who record.
        Case("post", pk("setting"), roles(RECORD), method="post"),
    ],
    "incidents:incident": _incidents(),
    "incidents:incident_report": _incidents(RECORD),
    "incidents:incident_debrief": _incidents(RECORD),
    "incidents:child_incidents": per_child(lambda c: child_scoped(c, CHILD_LIST)),
    "incidents:allegations": [Case("", NONE, roles(READ))],
    "incidents:allegation_create": [
        Case("", NONE, roles(READ)),
        Case("post", NONE, roles(READ), method="post"),
    ],
    "incidents:allegation": [
        Case(key, pk(key), scoped(seen)) for key, seen in ALLEGATION_SEEN.items()
    ],
    "incidents:allegation_referral": [
        Case(
            "own",
            pk("allegation"),
            scoped(ALLEGATION_SEEN["allegation"], step={"social_worker", "lado"}),
        ),
        Case(
            "restricted",
            pk("restricted_allegation"),
            scoped(ALLEGATION_SEEN["restricted_allegation"], step={"personal_adviser", "lado"}),
        ),
    ],
    "incidents:allegation_outcome": [
        Case(key, pk(key), roles({"lado"})) for key in ALLEGATION_SEEN
    ],
}


def extend_world(world: dict, personas: dict) -> None:
    """Incidents at the world's setting, involving each child and none, and allegations."""
    import time_machine

    from incidents import services
    from incidents.models import IncidentKind, SubjectRole
    from tests.clock import LONDON

    comm, pa = personas["commissioning"], personas["personal_adviser"]
    day = date(2026, 2, 3)

    def incident(actor, children):
        return services.incident_record(
            setting=world["setting"],
            kind=IncidentKind.ASSAULT,
            occurred_on=day,
            occurred_time=time(20, 15),
            children=children,
            summary="A fight in the kitchen.",
            actor=actor,
        )

    def allegation(actor, setting, children):
        return services.allegation_record(
            subject_name="Morgan Keyworker",
            subject_role=SubjectRole.STAFF,
            setting=setting,
            children=children,
            allegation="Grabbed a child by the arm.",
            known_on=day,
            known_time=time(16, 0),
            made_by="A teacher",
            actor=actor,
        )

    with time_machine.travel(datetime(2026, 2, 4, 9, tzinfo=LONDON), tick=False):
        world["incident"] = incident(comm, [world["child"]])
        world["restricted_incident"] = incident(pa, [world["restricted_child"]])
        world["other_incident"] = incident(comm, [world["other_child"]])
        world["setting_incident"] = incident(comm, [])
        world["allegation"] = allegation(
            personas["social_worker"], world["setting"], [world["child"]]
        )
        world["restricted_allegation"] = allegation(pa, None, [world["restricted_child"]])
        world["setting_allegation"] = allegation(personas["iro"], world["setting"], [])
