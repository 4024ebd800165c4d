from django.db.models import Count, Q, QuerySet

from .models import Role, Team, User


def team_members(user: User) -> QuerySet[User]:
    """The staff a manager manages: their team(s), through the line-manager chain two deep."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(line_manager=user) | Q(line_manager__line_manager=user) | Q(team=user.team))
        .exclude(pk=user.pk)
        .select_related("team", "line_manager")
        .order_by("team__name", "last_name", "first_name")
    )


def teams_with_counts() -> QuerySet[Team]:
    return Team.objects.annotate(
        staff=Count("members", filter=Q(members__is_active=True))
    ).order_by("name")


def staff_counts_by_role() -> list[tuple[str, int]]:
    counts = dict(User.objects.filter(is_active=True).values_list("role").annotate(n=Count("pk")))
    return [(role.label, counts.get(role.value, 0)) for role in Role]


# --- The staff hierarchy ------------------------------------------------------------------


def managed_team_ids(user: User) -> QuerySet[Team]:
    """The manager's own team and the teams of everyone they manage, two levels down."""
    return (
        Team.objects.filter(
            Q(pk=user.team_id)
            | Q(members__line_manager=user)
            | Q(members__line_manager__line_manager=user)
        )
        .values("pk")
        .distinct()
    )


def managed_by(user: User, levels: int = 1) -> QuerySet[User]:
    """The ids of the staff whose line manager is ``user`` (``levels=2``: or whose line
    manager's line manager is), as a subquery.

    Visibility rules test "the child's social worker is managed by me" as
    ``social_worker_id IN (this)`` rather than by joining the social worker and their line
    manager: every join added to a list's query (already joined to what it shows) makes
    PostgreSQL's planning time grow steeply, and on the worktray and deadline lists
    planning cost more than running the query. The staff table is small; the subquery is
    hashed once per query."""
    managed = Q(line_manager=user)
    if levels > 1:
        managed |= Q(line_manager__line_manager=user)
    return User.objects.filter(managed).values("pk")
