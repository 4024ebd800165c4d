"""The child's LAC reviews on the child's timeline (``placements.pages``): the reviews
held, the next one booked, and the open review duties (the review, the social worker's
report, the recommendations), in three queries whatever the child's history."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from duties import registry
from duties.models import Duty
from placements import pages
from placements.codes import REVIEW_CODE

from .models import BookedReview, LacReview

#: The open duties of a child's reviews shown as next due; ``review_recommendation`` is a
#: decision of a review, each with its owner and due date (issue 15).
DUE_KINDS = ("lac_review", "review_report", "review_recommendation")


def _held_detail(code: str, first: str | None, last: str | None) -> str:
    parts = []
    if first or last:
        parts.append(f"Chaired by {' '.join(p for p in (first, last) if p)}")
    if code:
        parts.append(f"{code}: {REVIEW_CODE.get(code, 'participation code')}")
    return ". ".join(parts)


def timeline(user, child, today: date) -> pages.TimelinePart:
    url = reverse("reviews:child_reviews", args=[child.pk])
    entries = [
        pages.Entry(
            date=review_date,
            label="LAC review held",
            detail=_held_detail(code, first, last),
            url=url,
        )
        for review_date, code, first, last in LacReview.objects.filter(
            child=child, review_date__lte=today
        )
        .order_by("-review_date")
        .values_list(
            "review_date", "review_code", "chaired_by__first_name", "chaired_by__last_name"
        )
    ]
    due = [
        pages.Due(due=booked, label="LAC review booked", url=url)
        for booked in BookedReview.objects.filter(child=child, review_date__gte=today)
        .order_by("review_date")
        .values_list("review_date", flat=True)
    ]
    due += [
        pages.Due(
            due=day,
            label=registry.label(kind),
            detail=basis,
            url=registry.link(subject) or url,
        )
        for kind, subject, day, basis in Duty.objects.filter(
            child=child, status=Duty.Status.OPEN, kind__in=DUE_KINDS
        )
        .order_by("due", "kind")
        .values_list("kind", "subject", "due", "basis")
    ]
    return pages.TimelinePart(entries, due)
