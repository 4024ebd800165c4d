"""Reads, scoped to what the user may see (placements.selectors.child_visibility)."""

from django.http import Http404

from accounts.models import User
from placements.selectors import child_visibility

from .models import Visit


def visit_for(user: User, pk: int) -> Visit:
    """The visit if the user may see its child; otherwise 404, which says nothing about why.
    (A restricted child's visit is logged by the page that shows it:
    placements.access.log_restricted_view.)"""
    visit = (
        Visit.objects.filter(child_visibility(user, prefix="child__"))
        .select_related(
            "child",
            "child__team",
            "child__social_worker",
            "visitor",
            "visitor__line_manager",
            "placement",
            "setting",
            "supersedes",
        )
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404("No such visit")
    return visit
