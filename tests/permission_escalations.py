"""Permission-matrix entries and world objects for the escalations pages.

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.
"""

from __future__ import annotations

from tests.permission_table import (
    CASEWORKERS,
    LETTER,
    MANAGERS,
    SENIOR,
    Case,
    child_scoped,
    kw,
    per_child,
    pk,
    roles,
)

# Who reads IRO escalations (escalations.selectors.ESCALATION_READ_ROLES), for the children
# they see.
ESCALATION_READ = CASEWORKERS | MANAGERS | SENIOR | {"iro"}

# The Knowsley protocol (seed 001; escalations.governance): managers and commissioning
# propose a concern level, only the assistant director or director decide it; the list for
# the next governance review is read by both and by the LADO, a member of the group.
PROPOSE_LEVEL = MANAGERS | {"commissioning"}
DECIDE_LEVEL = SENIOR
GOVERNANCE_READ = PROPOSE_LEVEL | DECIDE_LEVEL | {"lado"}

TABLE: dict = {
    # Concern levels -------------------------------------------------------------------------
    # An empty POST by whoever may: the form again with its errors (nothing saved).
    "concerns:level_propose": [
        Case("", kw("setting_pk", "setting"), roles(PROPOSE_LEVEL)),
        Case("post", kw("setting_pk", "setting"), roles(PROPOSE_LEVEL), method="post"),
    ],
    "concerns:level_set": [
        Case("", kw("setting_pk", "setting"), roles(DECIDE_LEVEL)),
        Case("post", kw("setting_pk", "setting"), roles(DECIDE_LEVEL), method="post"),
    ],
    "concerns:governance": [Case("", lambda w: {}, roles(GOVERNANCE_READ))],
    # Letters of concern: prepared by managers and commissioning (LETTER), issued only by the
    # assistant director or director. The world's letter is a draft: the delivery form shows.
    "concerns:letter_issue": [
        Case("", pk("letter"), roles(DECIDE_LEVEL)),
        Case("post", pk("letter"), roles(DECIDE_LEVEL), method="post"),
    ],
    "concerns:letter_delivery": [Case("", pk("letter"), roles(LETTER))],
    # The list is scoped to the children the reader sees; the LADO, commissioning and the
    # administrator have no part in an IRO escalation.
    "escalations:iro_escalations": [Case("", lambda w: {}, roles(ESCALATION_READ))],
    # Only an IRO raises one, for a child they review.
    "escalations:iro_escalation_create": per_child(
        lambda c: child_scoped(c, {"iro"}), kwarg="child_pk"
    ),
    "escalations:iro_escalation": [
        Case("own", pk("esc_escalation"), child_scoped("own", ESCALATION_READ)),
        Case(
            "restricted",
            pk("esc_restricted_escalation"),
            child_scoped("restricted", ESCALATION_READ),
        ),
    ],
    # The page a stage's duty links to; its respondent (social_worker) replies there: an
    # empty POST is the form again with its error.
    "escalations:escalation_stage": [
        Case("own", pk("esc_stage"), child_scoped("own", ESCALATION_READ)),
        Case(
            "restricted",
            pk("esc_restricted_stage"),
            child_scoped("restricted", ESCALATION_READ),
        ),
        Case(
            "own-reply",
            pk("esc_stage"),
            child_scoped("own", ESCALATION_READ, step={"social_worker"}),
            method="post",
        ),
    ],
    # Moving on and resolving are the IRO's.
    "escalations:iro_escalation_advance": [
        Case("own", pk("esc_escalation"), child_scoped("own", ESCALATION_READ, step={"iro"}))
    ],
    "escalations:iro_escalation_resolve": [
        Case("own", pk("esc_escalation"), child_scoped("own", ESCALATION_READ, step={"iro"}))
    ],
}


def extend_world(world: dict, personas: dict) -> None:
    """Add this part's records to the world (keys prefixed by the part)."""
    from django.utils import timezone

    from escalations import iro
    from escalations.models import EscalationStage, IroEscalation

    today = timezone.localdate()
    escalation = iro.escalation_raise(
        child=world["child"],
        concern="Night staffing is below the plan.",
        evidence="",
        evidence_visits=[world["visit"]],
        resolution_sought="Two waking staff every night.",
        serious_systemic=False,
        actor=personas["iro"],
        today=today,
    )
    world["esc_escalation"] = escalation
    world["esc_stage"] = escalation.stages.get()
    # The restricted child has no IRO in the world: an escalation raised before the record
    # was restricted, written directly.
    restricted = IroEscalation.objects.create(
        child=world["restricted_child"],
        placement=world["restricted_placement"],
        setting=world["setting"],
        raised_by=personas["iro"],
        raised_on=today,
        concern="Contact arrangements.",
        resolution_sought="A contact plan.",
    )
    world["esc_restricted_escalation"] = restricted
    world["esc_restricted_stage"] = EscalationStage.objects.create(
        escalation=restricted,
        stage=IroEscalation.Stage.INFORMAL,
        respondent=personas["social_worker"],
        opened_on=today,
        due=iro.response_due(IroEscalation.Stage.INFORMAL, today),
    )
