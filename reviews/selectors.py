"""Reads of LAC reviews, scoped to what the user may see (placements.selectors)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from accounts.models import CASEWORKER_ROLES, MANAGER_ROLES, Role, User
from placements.models import Child
from placements.selectors import child_visibility

from .models import LacReview, ReviewRecommendation
from .records import may_own


def review_for(user: User, pk: int) -> LacReview:
    """The review if the user may see its child; otherwise 404, which says nothing about
    why (one query, whether the review is missing or another team's)."""
    review = (
        LacReview.objects.filter(child_visibility(user, prefix="child__"))
        .select_related(
            "child",
            "child__team",
            "child__social_worker",
            "child__personal_adviser",
            "child__iro",
            "chaired_by",
            "recorded_by",
        )
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise Http404("No such review")
    return review


def recommendation_for(user: User, pk: int) -> ReviewRecommendation:
    """The recommendation if the user may see the review's child; otherwise 404."""
    recommendation = (
        ReviewRecommendation.objects.filter(child_visibility(user, prefix="review__child__"))
        .select_related("review", "review__child", "review__child__iro", "owner", "created_by")
        .filter(pk=pk)
        .first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


def owner_choices(child: Child) -> list[User]:
    """Who may own a recommendation of the child's review: the child's social worker,
    personal adviser and IRO, the staff of the child's team, and the social worker's line
    managers, each only if they may open the child's record (a restricted child: its
    allocated staff and their line managers)."""
    worker = child.social_worker
    named = {child.social_worker_id, child.personal_adviser_id, child.iro_id}
    if worker is not None and worker.line_manager_id:
        named.add(worker.line_manager_id)
        manager = User.objects.filter(pk=worker.line_manager_id).values("line_manager").first()
        if manager and manager["line_manager"]:
            named.add(manager["line_manager"])
    named.discard(None)
    wanted = Q(pk__in=named)
    if child.team_id is not None:
        wanted |= Q(team_id=child.team_id, role__in=CASEWORKER_ROLES | MANAGER_ROLES | {Role.IRO})
    candidates = (
        User.objects.filter(wanted, is_active=True)
        .select_related("team")
        .order_by("first_name", "last_name", "pk")
    )
    return [user for user in candidates if may_own(user, child)]
