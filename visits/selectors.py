"""Reads, scoped to what the user may see (placements.selectors.child_visibility)."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import MANAGER_ROLES, User
from placements.selectors import child_visibility

from .models import Visit, VisitKind

#: Who sees the statutory visits of their teams at which the child was not seen alone.
NOT_SEEN_ALONE_ROLES = MANAGER_ROLES


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


def not_seen_alone_for(user: User) -> QuerySet[Visit]:
    """The finished statutory visits, latest first, at which the child was not seen alone,
    of the children the manager oversees (their teams' and their staff's, as
    ``child_visibility``: a restricted child only where they may open the record).

    003 10.10: "I have seen the child/young person alone during my Statutory 6 weekly
    visit. If not, I have recorded the reasons why and discussed any concerns about this
    with my manager." Empty for anyone not a team or service manager.
    """
    if user.role not in NOT_SEEN_ALONE_ROLES:
        return Visit.objects.none()
    return (
        Visit.objects.filter(
            child_visibility(user, prefix="child__"),
            kind=VisitKind.STATUTORY,
            status=Visit.Status.FINISHED,
            seen_alone=False,
        )
        .select_related("child", "child__team", "visitor")
        .order_by("-visited_at", "-pk")
    )
