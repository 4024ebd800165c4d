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
