"""What plans adds to the register's pages (``placements.pages``): the link to a child's
plans and assessments, and their part of the child's timeline."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator

from placements import pages

from . import selectors
from .models import HealthStage, Plan, PlanKind

#: Characters of a plan's summary shown on the timeline (the plans page shows it whole).
SUMMARY_CHARS = 120


def _label(kind: str, stage: str, setting: str | None) -> str:
    label = PlanKind(kind).label
    if stage:
        label = HealthStage(stage).label
    if setting:
        label = f"{label}: {setting}"
    return label


def timeline(user, child, today) -> pages.TimelinePart:
    """The child's plans and assessments (as recorded) and the open duties of their kinds
    (as the duty engine keeps them: ``plans.duty_kinds``): two queries."""
    url = reverse("plans:child_plans", args=[child.pk])
    entries = [
        pages.Entry(
            date=completed_on,
            label=_label(kind, stage, setting),
            detail=". ".join(
                part
                for part in (
                    f"By {by}" if by else "",
                    Truncator(summary).chars(SUMMARY_CHARS) if summary else "",
                )
                if part
            ),
            url=f"{url}#plan-{pk}",
        )
        for pk, kind, stage, completed_on, by, summary, setting in Plan.objects.filter(child=child)
        .order_by("-completed_on", "-pk")
        .values_list(
            "pk",
            "kind",
            "stage",
            "completed_on",
            "completed_by_name",
            "summary",
            "placement__setting__name",
        )
    ]
    due = [
        pages.Due(due=item.due, label=item.label, detail=item.basis, url=f"{url}#{item.kind}")
        for item in selectors.next_due(child)
    ]
    return pages.TimelinePart(entries, due)


def register() -> None:
    pages.add_child_link(
        pages.Link(
            "Plans, health and education",
            lambda child: reverse("plans:child_plans", args=[child.pk]),
            order=12,
        )
    )
    pages.add_timeline_source(pages.TimelineSource("plans", timeline, order=10))
