"""Permission-matrix entries for a child's plans and assessments (plans/views.py).

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.

The plans page and a plan's document are read by whoever may see the child (404
otherwise, as the child's record). A plan is recorded and changed by the child's social
worker or personal adviser, or a team or service manager who sees the child
(plans.services.may_record); anyone else who sees the child (the IRO, the LADO,
commissioning, the senior managers) is refused (403).
"""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permission_table import CHILD_KEYS, Case, child_scoped, kw, per_child, pk

#: Who records a plan for each child of the world: the own child has no personal adviser
#: (the adviser persona is a colleague in the team); the restricted child's adviser is
#: the persona; the service manager sees the restricted child (two levels up the chain).
RECORDS = {
    "own": {"social_worker", "team_manager", "service_manager"},
    "restricted": {"social_worker", "personal_adviser", "team_manager", "service_manager"},
    "other": {"other_team_worker", "service_manager"},
}
PLAN_KEYS = {
    "own": "child_plan",
    "restricted": "restricted_child_plan",
    "other": "other_child_plan",
}


def per_plan(build):
    return [Case(variant, pk(key), build(variant)) for variant, key in PLAN_KEYS.items()]


TABLE: dict = {
    "plans:child_plans": per_child(lambda c: child_scoped(c)),
    "plans:plan_new": per_child(lambda c: child_scoped(c, step=RECORDS[c]), kwarg="child_pk")
    # An empty POST: the form again with its errors (200) for those whose step it is.
    + [
        Case(
            "own-post",
            kw("child_pk", "child"),
            child_scoped("own", step=RECORDS["own"]),
            method="post",
        )
    ],
    "plans:plan_edit": per_plan(lambda c: child_scoped(c, step=RECORDS[c]))
    + [Case("own-post", pk("child_plan"), child_scoped("own", step=RECORDS["own"]), method="post")],
    "plans:plan_document": per_plan(lambda c: child_scoped(c)),
}


def extend_world(world: dict, personas: dict) -> None:
    """A care plan with a document for each child of the world."""
    from plans.documents import PDF
    from plans.models import Plan, PlanKind

    for variant, key in PLAN_KEYS.items():
        child = world[CHILD_KEYS[variant]]
        plan = Plan(
            child=child,
            kind=PlanKind.CARE_PLAN,
            completed_on=date(2026, 1, 12),
            completed_by_name="Cara Planner",
            summary="The plan is to stay.",
            attachment_name="care plan.pdf",
            attachment_type=PDF,
            attachment_size=9,
        )
        plan.attachment.save(
            "care plan.pdf", SimpleUploadedFile("care plan.pdf", b"%PDF-1.7\n"), save=False
        )
        plan.save()
        world[key] = plan
