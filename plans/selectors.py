"""Reads of a child's plans and assessments, scoped to what the user may see: a plan is seen
by whoever may see its child (``placements.selectors``), and by nobody else (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import Http404

from accounts.models import User
from duties.models import Duty
from placements.models import Child
from placements.selectors import child_visibility

from .models import Plan, PlanKind

#: The duty kinds of plans and assessments (h2's ``plans.duty_kinds``), read by name: the
#: kind values are the contract between the plan table, the import and the duty engine.
PLAN_DUTY_KINDS = tuple(PlanKind.values)


def plan_for(user: User, pk: int) -> Plan:
    """The plan if this user may see its child; otherwise 404, which says nothing about why."""
    plan = (
        Plan.objects.filter(child_visibility(user, prefix="child__"))
        .select_related(
            "child",
            "child__team",
            "child__social_worker",
            "child__personal_adviser",
            "child__iro",
            "placement",
            "placement__setting",
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No such plan")
    return plan


@dataclass(frozen=True)
class Change:
    """The latest change to a plan, from its history."""

    by: str
    at: datetime
    created: bool  # the latest change is the plan being recorded


def child_plans(child: Child) -> list[Plan]:
    """Every plan and assessment of the child, latest first within each kind: one query."""
    return list(
        Plan.objects.filter(child=child)
        .select_related("completed_by", "recorded_by", "placement", "placement__setting")
        .order_by("kind", "-completed_on", "-pk")
    )


def latest_changes(plan_ids: list[int]) -> dict[int, Change]:
    """Who last changed each plan and when (its newest history row): one query."""
    if not plan_ids:
        return {}
    rows = (
        Plan.history.filter(id__in=plan_ids)
        .order_by("id", "-history_date", "-history_id")
        .distinct("id")
        .select_related("history_user")
    )
    return {
        row.id: Change(
            by=str(row.history_user) if row.history_user else "Not recorded",
            at=row.history_date,
            created=row.history_type == "+",
        )
        for row in rows
    }


def plan_history(plan: Plan) -> list:
    """Every version of a plan, newest first, with who made it: one query."""
    return list(
        plan.history.select_related("history_user").order_by("-history_date", "-history_id")
    )


@dataclass(frozen=True)
class NextDue:
    kind: str
    label: str
    due: date
    basis: str


def next_due(child: Child) -> list[NextDue]:
    """The child's open duties of plan and assessment kinds, soonest first: one query."""
    return [
        NextDue(kind, PlanKind(kind).label, due, basis)
        for kind, due, basis in Duty.objects.filter(
            child=child, status=Duty.Status.OPEN, kind__in=PLAN_DUTY_KINDS
        )
        .order_by("due", "kind")
        .values_list("kind", "due", "basis")
    ]
