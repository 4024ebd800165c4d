"""Reads of incidents and allegations, always scoped to what the user may see.

Incidents: commissioning, the LADO service, the assistant director and the director read
every incident (a child's name only where they may see the child); anyone else who works
on cases reads the incidents that involve a child they may see, and those they recorded.

Allegations: the LADO service, the assistant director and the director read every one;
commissioning those about a setting (concern evidence about a provider), and anyone who
works on cases those they recorded and those about a child they may see. A record the user
may not read answers 404, the same page a missing one answers.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from accounts import navigation
from accounts.models import Role, User
from placements.models import Child
from placements.selectors import SEE_ALL_ROLES, children_visible_to

from .models import Allegation, Debrief, Incident

#: Who reads incidents and allegations at all (everyone but the administrator): others 403.
READ_ROLES = navigation.CASEWORK
#: Who enters a setting's incident on its behalf, and its debriefs and report: commissioning,
#: and the social worker, personal adviser or team manager of a child involved.
RECORD_ROLES = frozenset(
    {Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER, Role.TEAM_MANAGER}
)
#: Who reads every allegation.
ALLEGATIONS_ALL = frozenset({Role.LADO, Role.ASSISTANT_DIRECTOR, Role.DIRECTOR})


def _involves_visible(model, user: User) -> Q:
    through = model.children.through
    field = "incident_id" if model is Incident else "allegation_id"
    return Q(
        Exists(
            through.objects.filter(
                **{field: OuterRef("pk")}, child__in=children_visible_to(user).values("pk")
            )
        )
    )


def incidents_visible_to(user: User) -> QuerySet[Incident]:
    if not user.is_authenticated or user.role not in READ_ROLES:
        return Incident.objects.none()
    if user.role in SEE_ALL_ROLES:
        return Incident.objects.all()
    return Incident.objects.filter(_involves_visible(Incident, user) | Q(recorded_by=user))


def children_prefetch(user: User) -> Prefetch:
    """The children involved, each annotated ``visible`` (whether the user may see them)."""
    visible = Exists(children_visible_to(user).filter(pk=OuterRef("pk")))
    return Prefetch(
        "children",
        queryset=Child.objects.annotate(visible=visible).order_by("child_id"),
    )


def incident_for(user: User, pk: int) -> Incident:
    """The incident if this user may read it (one query), else 404."""
    found = (
        incidents_visible_to(user)
        .select_related("setting", "setting__provider", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such incident")
    return found


def setting_incidents(user: User, setting) -> QuerySet[Incident]:
    """The setting's incidents this user may read, latest first, with their children (a
    fixed number of queries, whatever the number of incidents)."""
    return (
        incidents_visible_to(user)
        .filter(setting=setting)
        .select_related("recorded_by")
        .prefetch_related(
            children_prefetch(user),
            Prefetch("debriefs", queryset=Debrief.objects.order_by("held_at")),
        )
        .order_by("-occurred_on", "-occurred_time", "-pk")
    )


def child_incidents(user: User, child) -> QuerySet[Incident]:
    return (
        incidents_visible_to(user)
        .filter(children=child)
        .select_related("setting")
        .order_by("-occurred_on", "-occurred_time", "-pk")
    )


def allegations_visible_to(user: User) -> QuerySet[Allegation]:
    if not user.is_authenticated or user.role not in READ_ROLES:
        return Allegation.objects.none()
    if user.role in ALLEGATIONS_ALL:
        return Allegation.objects.all()
    scope = Q(recorded_by=user) | _involves_visible(Allegation, user)
    if user.role == Role.COMMISSIONING_OFFICER:
        scope |= Q(setting__isnull=False)
    return Allegation.objects.filter(scope)


def allegation_for(user: User, pk: int) -> Allegation:
    found = (
        allegations_visible_to(user)
        .select_related("setting", "recorded_by", "referral_recorded_by", "outcome_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such allegation")
    return found


def allegation_list(user: User) -> QuerySet[Allegation]:
    return (
        allegations_visible_to(user)
        .select_related("setting", "recorded_by")
        .prefetch_related(children_prefetch(user))
        .order_by("-known_at", "-pk")
    )


def setting_allegations(user: User, setting) -> QuerySet[Allegation]:
    return allegation_list(user).filter(setting=setting)
