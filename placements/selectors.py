"""Reads, always scoped to what the user may see (children_visible_to)."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import CASEWORKER_ROLES, MANAGER_ROLES, Role, User
from accounts.selectors import managed_by, managed_team_ids

from .models import Child, Placement, Setting

# Roles that see every placement and setting (issue 3, "Who sees what").
SEE_ALL_ROLES = frozenset(
    {Role.COMMISSIONING_OFFICER, Role.LADO, Role.ASSISTANT_DIRECTOR, Role.DIRECTOR}
)
#: Roles that open children's records (and the lists of them): everyone else answers 403.
CHILD_LIST_ROLES = CASEWORKER_ROLES | MANAGER_ROLES | SEE_ALL_ROLES | {Role.IRO}


def child_visibility(user: User, prefix: str = "") -> Q:
    """A Q over Child (or, with prefix "child__", over anything with a child) for this user."""

    def q(**lookups) -> Q:
        return Q(**{prefix + key: value for key, value in lookups.items()})

    if not user.is_authenticated or not user.is_active:
        return q(pk__in=[])
    if user.role in SEE_ALL_ROLES:
        scope = Q()
    elif user.role in CASEWORKER_ROLES:
        scope = q(team_id=user.team_id) | q(social_worker=user) | q(personal_adviser=user)
    elif user.role in MANAGER_ROLES:
        two_down = managed_by(user, levels=2)
        # The children of the staff a manager manages, two levels down: those the
        # social workers and advisers have, and those the IROs review (the IRO service's
        # managers are alerted to, and answer for, their IROs' duties: issue 24, finding 9).
        scope = (
            q(team_id__in=managed_team_ids(user))
            | q(social_worker_id__in=two_down)
            | q(personal_adviser_id__in=two_down)
            | q(iro_id__in=two_down)
        )
    elif user.role == Role.IRO:
        scope = q(iro=user)
    else:
        return q(pk__in=[])
    # A restricted record: only its allocated staff and their line managers, up the chain
    # two levels (the team manager and the service manager above: a restricted child's
    # risk assessment is signed off by the service manager, issue 24, finding 2).
    managed = managed_by(user, levels=2)
    allowed_restricted = (
        q(social_worker=user)
        | q(personal_adviser=user)
        | q(iro=user)
        | q(social_worker_id__in=managed)
        | q(personal_adviser_id__in=managed)
        | q(iro_id__in=managed)
    )
    return scope & (q(restricted=False) | allowed_restricted)


def children_visible_to(user: User) -> QuerySet[Child]:
    return Child.objects.filter(child_visibility(user))


def current_placements_prefetch(day) -> Prefetch:
    """Each child's open placement with its setting and provider, as `child.current`."""
    return Prefetch(
        "placements",
        queryset=Placement.objects.filter(decom__lte=day)
        .filter(Q(dec__isnull=True) | Q(dec__gt=day))
        .select_related("setting", "setting__provider")
        .order_by("-decom"),
        to_attr="current_placements",
    )


def child_for(user: User, pk: int) -> Child:
    """The child if this user may see them; otherwise 404, which says nothing about why."""
    child = (
        children_visible_to(user)
        .select_related(
            "team", "social_worker", "social_worker__line_manager", "personal_adviser", "iro"
        )
        .filter(pk=pk)
        .first()
    )
    if child is None:
        raise Http404("No such child")
    return child


def placements_visible_to(user: User) -> QuerySet[Placement]:
    return Placement.objects.filter(child_visibility(user, prefix="child__"))


def settings_visible_to(user: User) -> QuerySet[Setting]:
    """The provider register is public Ofsted information: every member of staff sees it
    (social workers search it to place a child). What a setting page shows of the
    children placed there is scoped by children_visible_to."""
    if not user.is_authenticated:
        return Setting.objects.none()
    return Setting.objects.all()


def setting_for(user: User, pk: int) -> Setting:
    """The setting (with its provider) if this user may see it; otherwise 404."""
    return get_object_or_404(settings_visible_to(user).select_related("provider"), pk=pk)


def _current(day, field: str):
    """A correlated subquery: `field` of the child's placement open on `day` (latest start)."""
    from django.db.models import OuterRef, Subquery

    return Subquery(
        Placement.objects.filter(child=OuterRef("pk"), decom__lte=day)
        .filter(Q(dec__isnull=True) | Q(dec__gt=day))
        .order_by("-decom")
        .values(field)[:1]
    )


def with_current_placement(queryset: QuerySet[Child], day) -> QuerySet[Child]:
    """Children annotated with their current placement, in the one query (lists and CSV)."""
    return queryset.annotate(
        current_placement_id=_current(day, "pk"),
        current_decom=_current(day, "decom"),
        current_place=_current(day, "place"),
        current_ls=_current(day, "ls"),
        current_setting_id=_current(day, "setting_id"),
        current_setting_name=_current(day, "setting__name"),
        current_setting_urn=_current(day, "setting__urn"),
        current_provision_type=_current(day, "setting__provision_type"),
        current_rating=_current(day, "setting__current_rating"),
        current_local_authority=_current(day, "setting__local_authority"),
    )


def children_list(user: User, day) -> QuerySet[Child]:
    return with_current_placement(
        children_visible_to(user).select_related("team", "social_worker", "iro"), day
    )


def placements_list(user: User) -> QuerySet[Placement]:
    return placements_visible_to(user).select_related(
        "child", "child__team", "child__social_worker", "setting"
    )


def settings_list(user: User, day) -> QuerySet[Setting]:
    from django.db.models import Count

    return (
        settings_visible_to(user)
        .select_related("provider")
        .annotate(
            placed_now=Count(
                "placements",
                filter=Q(placements__decom__lte=day)
                & (Q(placements__dec__isnull=True) | Q(placements__dec__gt=day)),
            )
        )
    )


def setting_children_now(user: User, setting: Setting, day) -> QuerySet[Placement]:
    """Placements at this setting open on `day`, for the children this user may see."""
    return (
        placements_visible_to(user)
        .filter(setting=setting, decom__lte=day)
        .filter(Q(dec__isnull=True) | Q(dec__gt=day))
        .select_related("child", "child__social_worker", "child__team")
        .order_by("child__last_name", "child__first_name")
    )


def placed_on(setting: Setting, day):
    """The 903 episodes with this setting open on ``day``, each with its child and the
    child's allocated staff (whoever must be told), in 903 ID order."""
    return (
        Placement.objects.filter(setting=setting, decom__lte=day)
        .filter(Q(dec__isnull=True) | Q(dec__gt=day))
        .select_related("child", "child__social_worker", "child__social_worker__line_manager")
        .select_related("child__iro", "child__personal_adviser")
        .order_by("child__child_id", "-decom")
    )


def one_per_child(placements) -> list[Placement]:
    """The first of each child's episodes in ``placements``."""
    seen: set[int] = set()
    chosen = []
    for placement in placements:
        if placement.child_id not in seen:
            seen.add(placement.child_id)
            chosen.append(placement)
    return chosen
