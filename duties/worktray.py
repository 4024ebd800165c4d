"""Reads for the worktray: the open duties each person answers for, counted in SQL.

Every function here runs a fixed number of queries whatever the caseload: counts are
conditional aggregates (``COUNT(*) FILTER (WHERE …)``) and lists are sliced or paged.

Who answers for what (the scope):

- social worker / personal adviser: duties they own; a personal adviser also the duties
  of the children they advise (``Child.personal_adviser``) that are the child's
  caseworker's: owned by the child's social worker (the visits, the LAC review, a risk
  assessment), or unallocated when the child has no social worker (seed 003, line 1425:
  the adviser leads after 18). Another person's duty about the child (the IRO's visit,
  a service manager's visit, a scoping action) is not theirs;
- team manager / service manager: their own duties, their team(s)' duties (the
  teams of everyone they manage, two line-manager levels down, as
  ``accounts.selectors.managed_team_ids``) and the duties of the people they manage;
- IRO: their own duties, and the IRO visits and LAC reviews of the children they review;
  besides, on the home page and as a choice on the list, what they *follow* for those
  children whoever owns it (``DutyType.iro_follows``: reviews due, reports awaited,
  recommendations outstanding), each heading counted and listed;
- commissioning officer: their own duties and every commissioning visit;
- LADO, assistant director, director: every duty (the home page shows counts);
- administrator: no worktray.

A restricted child's duties appear only to those who may open the record (as
``placements.selectors.child_visibility``), and to the duty's owner and the owner's line
manager; counts follow the same rule, so a heading's count is what its list holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateformat import time_format
from django.utils.text import slugify

from accounts import selectors as account_selectors
from accounts.models import CASEWORKER_ROLES, MANAGER_ROLES, SENIOR_ROLES, Role, Team, User
from accounts.selectors import managed_by, managed_team_ids
from core.count_cache import CountCache
from placements.models import Child

from . import registry
from .models import DUTY_ROW_FIELDS, Duty

HOME_ROWS = 25
AUTHORITY_ROLES = frozenset({Role.LADO, *SENIOR_ROLES})
TIMELINESS_ROLES = MANAGER_ROLES | SENIOR_ROLES
WORKTRAY_ROLES = (
    CASEWORKER_ROLES | MANAGER_ROLES | AUTHORITY_ROLES | {Role.IRO, Role.COMMISSIONING_OFFICER}
)
# Who may filter by worker: those whose worktray holds other people's duties.
SEES_OTHERS_ROLES = WORKTRAY_ROLES - CASEWORKER_ROLES


class Bucket:
    OVERDUE = "overdue"
    THIS_WEEK = "due_this_week"
    LATER = "due_later"
    choices = [(OVERDUE, "Overdue"), (THIS_WEEK, "Due this week"), (LATER, "Due later")]
    labels = dict(choices)


@dataclass(frozen=True)
class Clock:
    """Today and now, read once per request; the week is Monday to Sunday."""

    today: date
    now: datetime

    @property
    def week_end(self) -> date:
        return self.today + timedelta(days=6 - self.today.weekday())


def clock(today: date | None = None, now: datetime | None = None) -> Clock:
    now = now or timezone.now()
    return Clock(today or timezone.localdate(now), now)


def overdue_q(c: Clock) -> Q:
    """As rules.status: past the due date, or for a 24-hour duty past ``due_at``."""
    return Q(due_at__isnull=True, due__lt=c.today) | Q(due_at__isnull=False, due_at__lt=c.now)


def not_overdue_q(c: Clock) -> Q:
    return Q(due_at__isnull=True, due__gte=c.today) | Q(due_at__isnull=False, due_at__gte=c.now)


def bucket_q(bucket: str, c: Clock) -> Q:
    if bucket == Bucket.OVERDUE:
        return overdue_q(c)
    if bucket == Bucket.THIS_WEEK:
        return not_overdue_q(c) & Q(due__lte=c.week_end)
    if bucket == Bucket.LATER:
        return Q(due__gt=c.week_end)
    raise ValueError(bucket)


def _bucket_counts(c: Clock) -> dict:
    """Conditional aggregates: one COUNT(*) FILTER (WHERE …) per bucket, and the earliest
    ``due_at`` not yet passed (``next_at``): when it passes, a duty changes bucket, so a
    cached count is good until then (core.count_cache)."""
    return {
        "overdue": Count("pk", filter=bucket_q(Bucket.OVERDUE, c)),
        "this_week": Count("pk", filter=bucket_q(Bucket.THIS_WEEK, c)),
        "later": Count("pk", filter=bucket_q(Bucket.LATER, c)),
        "total": Count("pk"),
        "next_at": Min("due_at", filter=Q(due_at__gte=c.now)),
    }


def next_change(rows) -> datetime | None:
    """When the clock moves a duty counted in ``rows`` (dicts with ``next_at``) to another
    bucket: the cached counts' end."""
    if isinstance(rows, dict):
        rows = [rows]
    times = [row["next_at"] for row in rows if row.get("next_at") is not None]
    return min(times) if times else None


def totals(rows: list[dict]) -> dict:
    """The bucket counts of a scope, from its counts grouped by any field."""
    return {
        "overdue": sum(row["overdue"] for row in rows),
        "this_week": sum(row["this_week"] for row in rows),
        "later": sum(row["later"] for row in rows),
        "total": sum(row["total"] for row in rows),
        "next_at": next_change(rows),
    }


# --- Scope -----------------------------------------------------------------------------------


def scope_q(user: User) -> Q | None:
    """The duties this user answers for, or None if the role has no worktray."""
    if not user.is_authenticated or not user.is_active or user.role not in WORKTRAY_ROLES:
        return None
    # Subqueries over the (small) staff and children tables rather than joins from the
    # duty: the lists also join what they show, and every further join costs more in
    # PostgreSQL's planning than the query takes to run (accounts.selectors.managed_by).
    mine = Q(owner=user)
    if user.role == Role.PERSONAL_ADVISER:
        scope = mine | advised_q(user)
    elif user.role in CASEWORKER_ROLES:
        scope = mine
    elif user.role in MANAGER_ROLES:
        scope = (
            mine
            | Q(team_id__in=managed_team_ids(user))
            | Q(owner_id__in=managed_by(user, levels=2))
        )
    elif user.role == Role.IRO:
        scope = mine | Q(child__iro=user, kind__in=registry.childs_iro_kinds())
    elif user.role == Role.COMMISSIONING_OFFICER:
        scope = mine | Q(kind__in=registry.answered_by(user.role))
    else:  # LADO, assistant director, director: the whole authority
        scope = Q()
    return scope & restricted_ok_q(user)


def advised_q(user: User) -> Q:
    """The duties of the children ``user`` advises that are the child's caseworker's: owned
    by the child's social worker, or by no one when the child has none. One EXISTS over the
    child's row (by its primary key), not a join."""
    advised = Child.objects.filter(pk=OuterRef("child_id"), personal_adviser=user)
    return Q(
        Exists(advised.filter(social_worker_id=OuterRef("owner_id")))
        | (Q(owner__isnull=True) & Exists(advised.filter(social_worker__isnull=True)))
    )


def restricted_ok_q(user: User) -> Q:
    """A duty about a restricted child only for those who may open the record, the duty's
    owner and the owner's line managers (two levels up, as placements.selectors): the duties
    of the (few) restricted children this user may not see are excluded by id."""
    managed = managed_by(user, levels=2)
    hidden = (
        Child.objects.filter(restricted=True)
        .exclude(social_worker=user)
        .exclude(personal_adviser=user)
        .exclude(iro=user)
        .exclude(social_worker_id__in=managed)
        .exclude(personal_adviser_id__in=managed)
        .exclude(iro_id__in=managed)
        .values("pk")
    )
    return Q(child__isnull=True) | ~Q(child_id__in=hidden) | Q(owner=user) | Q(owner_id__in=managed)


def _bucketed(queryset: QuerySet[Duty], c: Clock) -> QuerySet[Duty]:
    return queryset.annotate(
        bucket=Case(
            When(overdue_q(c), then=Value(Bucket.OVERDUE)),
            When(due__lte=c.week_end, then=Value(Bucket.THIS_WEEK)),
            default=Value(Bucket.LATER),
            output_field=CharField(),
        )
    )


def open_duties(user: User, c: Clock) -> QuerySet[Duty]:
    """Open duties in the user's scope, each annotated with its bucket (empty if none)."""
    scope = scope_q(user)
    if scope is None:
        return Duty.objects.none()
    return _bucketed(Duty.objects.filter(status=Duty.Status.OPEN).filter(scope), c)


# --- What an IRO follows ---------------------------------------------------------------------


@dataclass(frozen=True)
class FollowSection:
    slug: str
    label: str
    kinds: tuple[str, ...]


def follow_sections() -> list[FollowSection]:
    """The sections of the IRO's worktray, from the kinds registered as followed
    (``DutyType.iro_follows``): the engine names no kind."""
    return [
        FollowSection(slugify(heading), heading, kinds)
        for heading, kinds in registry.iro_followed()
    ]


def follow_section(user: User, slug: str | None) -> FollowSection | None:
    """The section ``slug`` names, for an IRO; None for anyone else or another value."""
    if not slug or user.role != Role.IRO:
        return None
    return next((section for section in follow_sections() if section.slug == slug), None)


def followed_duties(user: User, c: Clock, kinds: tuple[str, ...]) -> QuerySet[Duty]:
    """Open duties of ``kinds`` about the children ``user`` reviews as their IRO, whoever
    owns them (the report is the social worker's, a recommendation its named owner's),
    each annotated with its bucket. The child's IRO may open a restricted child's record,
    so nothing more is hidden."""
    if not user.is_active or user.role != Role.IRO or not kinds:
        return Duty.objects.none()
    followed = Duty.objects.filter(
        status=Duty.Status.OPEN,
        kind__in=kinds,
        child_id__in=Child.objects.filter(iro=user).values("pk"),
    )
    return _bucketed(followed, c)


def followed_context(user: User, c: Clock, cached: CountCache, key: tuple) -> list[dict]:
    """Each followed section: its counts (one grouped count for all, kept as the other
    counts are) and its first ``HOME_ROWS`` rows (a query a section: the registry's
    sections, however many children)."""
    sections = follow_sections()
    every_kind = tuple(kind for section in sections for kind in section.kinds)
    if not every_kind:
        return []
    by_kind = cached.get(
        (*key, "followed"),
        lambda: counts_by(followed_duties(user, c, every_kind), c, "kind"),
        valid_until=next_change,
    )
    out = []
    for section in sections:
        counts = totals([row for row in by_kind if row["kind"] in section.kinds])
        rows = list(with_rows(followed_duties(user, c, section.kinds))[:HOME_ROWS])
        out.append(
            {
                "slug": section.slug,
                "label": section.label,
                "counts": _n(counts),
                "count": counts["total"],
                "next_at": counts["next_at"],
                "rows": annotate_days(rows, c),
                "more": counts["total"] > len(rows),
            }
        )
    return out


def with_rows(queryset: QuerySet[Duty]) -> QuerySet[Duty]:
    return (
        queryset.select_related("child", "owner", "team", "setting", "placement")
        .only(*DUTY_ROW_FIELDS)
        .order_by("due", "due_at", "pk")
    )


def annotate_days(rows, c: Clock):
    """How late (overdue) or how soon (otherwise), in calendar days, on each row; and what
    the row shows that the template would otherwise work out per row (the child's link,
    the kind's label, the dates as shown): a page lists up to 75 rows, and a ``{% url %}``
    or a date filter in the row is most of the page's rendering time."""
    child_url = reverse("placements:child", args=[0])[:-2]  # ".../children/" + pk + "/"
    setting_url = reverse("placements:setting", args=[0])[:-2]
    for duty in rows:
        duty.days = abs((c.today - duty.due).days)
        duty.is_overdue = duty.bucket == Bucket.OVERDUE
        duty.child_url = f"{child_url}{duty.child_id}/" if duty.child_id else ""
        duty.setting_url = f"{setting_url}{duty.setting_id}/" if duty.setting_id else ""
        duty.due_label = date_format(duty.due, "j M Y")
        duty.due_at_label = (
            time_format(timezone.localtime(duty.due_at), "H:i") if duty.due_at else ""
        )
    return rows


# --- Counts ----------------------------------------------------------------------------------


def bucket_counts(queryset: QuerySet[Duty], c: Clock) -> dict:
    return queryset.order_by().aggregate(**_bucket_counts(c))


def counts_by(queryset: QuerySet[Duty], c: Clock, *fields: str) -> list[dict]:
    return list(queryset.order_by().values(*fields).annotate(**_bucket_counts(c)))


def owner_counts(queryset: QuerySet[Duty], c: Clock) -> list[dict]:
    return counts_by(
        queryset, c, "owner", "owner__first_name", "owner__last_name", "owner__username"
    )


def worker_counts(
    user: User, queryset: QuerySet[Duty], c: Clock, by_owner: list[dict] | None = None
) -> list[dict]:
    """A row per person the manager manages (zeros included), then any other owner of a duty
    in scope, then the duties no one is allocated."""
    if by_owner is None:
        by_owner = owner_counts(queryset, c)
    counts = {row["owner"]: row for row in by_owner}
    zero = {"overdue": 0, "this_week": 0, "later": 0}
    rows = []
    for member in account_selectors.team_members(user):
        row = counts.pop(member.pk, zero)
        rows.append({"worker": str(member), "worker_id": member.pk, "member": member, **_n(row)})
    unallocated = counts.pop(None, None)
    for owner_id, row in sorted(
        counts.items(), key=lambda item: (item[1]["owner__first_name"] or "", item[0])
    ):
        name = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
        rows.append(
            {
                "worker": name or row["owner__username"],
                "worker_id": owner_id,
                "member": None,
                **_n(row),
            }
        )
    if unallocated:
        rows.append(
            {"worker": "Not allocated", "worker_id": None, "member": None, **_n(unallocated)}
        )
    return rows


def _n(row: dict) -> dict:
    return {"overdue": row["overdue"], "this_week": row["this_week"], "later": row["later"]}


def kind_counts(
    queryset: QuerySet[Duty], c: Clock, by_kind: list[dict] | None = None
) -> list[dict]:
    if by_kind is None:
        by_kind = counts_by(queryset, c, "kind")
    counts = {row["kind"]: row for row in by_kind}
    zero = {"overdue": 0, "this_week": 0, "later": 0}
    return [
        {"kind": kind, "label": label, **_n(counts.get(kind, zero))}
        for kind, label in registry.choices()
    ]


def _summed(rows: list[dict], *fields: str) -> list[dict]:
    """Rows counted by more fields, summed over the others: by kind from (kind, team)."""
    out: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[field] for field in fields)
        into = out.setdefault(key, {**dict(zip(fields, key, strict=True)), **totals([])})
        for name in ("overdue", "this_week", "later", "total"):
            into[name] += row[name]
        into["next_at"] = next_change([into, row])
    return list(out.values())


def kind_and_team_counts(queryset: QuerySet[Duty], c: Clock) -> tuple[list[dict], list[dict]]:
    """The counts by kind, and by team (teams by name, "No team" last), from one scan
    grouped by both."""
    rows = counts_by(queryset, c, "kind", "team", "team__name")
    by_team = _summed(rows, "team", "team__name")
    by_team.sort(key=lambda row: (row["team__name"] is None, row["team__name"] or ""))
    return _summed(rows, "kind"), [
        {"team_id": row["team"], "team": row["team__name"] or "No team", **_n(row)}
        for row in by_team
    ]


# --- Timeliness ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    start: date
    end: date
    label: str


def financial_quarter(day: date) -> Quarter:
    """The financial quarter holding ``day``: Apr–Jun (Q1), Jul–Sep, Oct–Dec, Jan–Mar (Q4)."""
    index = ((day.month - 4) % 12) // 3  # 0 for April to June
    start_month = 4 + 3 * index
    start_year = day.year if day.month >= 4 else day.year - 1
    if start_month > 12:
        start_month -= 12
        start_year += 1
    start = date(start_year, start_month, 1)
    end_month, end_year = start_month + 3, start_year
    if end_month > 12:
        end_month, end_year = end_month - 12, end_year + 1
    end = date(end_year, end_month, 1) - timedelta(days=1)
    first_year = start_year if start_month >= 4 else start_year - 1
    label = (
        f"Q{index + 1} {first_year}/{str(first_year + 1)[-2:]}: "
        f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
    )
    return Quarter(start, end, label)


def timeliness(user: User, today: date) -> tuple[Quarter, list[dict]] | None:
    """Per team: visits done this financial quarter, and how many by their due date.

    Managers see their teams; assistant directors and directors every casework team
    (and any other team with a visit done this quarter). Visits are duties of a kind
    registered as a visit (``DutyType.is_visit``), status done, ``done_on`` in the
    quarter; on time is ``done_on <= due``.
    """
    if user.role not in TIMELINESS_ROLES:
        return None
    quarter = financial_quarter(today)
    # Counted per team from the team's duties done in the quarter (an index range each),
    # not by joining every team to every duty it ever had.
    done = Duty.objects.filter(
        team=OuterRef("pk"),
        kind__in=registry.visit_kinds(),
        status=Duty.Status.DONE,
        done_on__gte=quarter.start,
        done_on__lte=quarter.end,
    )

    def count(duties) -> Subquery:
        return Subquery(
            duties.order_by().values("team").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        )

    teams = Team.objects.annotate(
        done=Coalesce(count(done), 0),
        on_time=Coalesce(count(done.filter(done_on__lte=F("due"))), 0),
    )
    if user.role in MANAGER_ROLES:
        teams = teams.filter(pk__in=managed_team_ids(user))
    else:
        teams = teams.filter(
            Q(kind__in=[Team.Kind.CHILDREN_IN_CARE, Team.Kind.CARE_LEAVERS]) | Q(done__gt=0)
        )
    rows = [
        {
            "team": team,
            "done": team.done,
            "on_time": team.on_time,
            "per_cent": round(100 * team.on_time / team.done) if team.done else None,
        }
        for team in teams.order_by("name")
    ]
    return quarter, rows


# --- The home page ---------------------------------------------------------------------------


def mode(user: User) -> str | None:
    if user.role in AUTHORITY_ROLES:
        return "authority"
    if user.role in MANAGER_ROLES:
        return "team"
    if user.role in WORKTRAY_ROLES:
        return "own"
    return None


def home_context(user: User, c: Clock | None = None, cached: CountCache | None = None) -> dict:
    """What the home page shows this user, in a fixed number of queries.

    The counts come from core.count_cache: computed when the caseload has changed since
    they were last asked for (the totals from the table grouped by kind, by worker or, for
    a social worker, counted directly), otherwise one query reads the caseload version.
    The rows listed are read every time."""
    c = c or clock()
    kind = mode(user)
    if kind is None:
        return {"worktray": None}
    duties = open_duties(user, c)
    cached = cached or CountCache(c.now)
    key = ("home", kind, user.pk, c.today)
    context: dict = {"worktray": kind, "clock": c, "show_owner": user.role in SEES_OTHERS_ROLES}
    if kind == "authority":
        by_kind, by_team = cached.get(
            (*key, "kind_team"),
            lambda: kind_and_team_counts(duties, c),
            valid_until=lambda v: next_change(v[0]),
        )
        counts = totals(by_kind)
        context["kind_counts"] = kind_counts(duties, c, by_kind)
        context["team_counts"] = by_team
    elif kind == "team":
        by_owner = cached.get(
            (*key, "owner"), lambda: owner_counts(duties, c), valid_until=next_change
        )
        counts = totals(by_owner)
        context["worker_counts"] = worker_counts(user, duties, c, by_owner)
    else:
        counts = cached.get(
            (*key, "buckets"), lambda: bucket_counts(duties, c), valid_until=next_change
        )
    context["counts"] = _n(counts)
    context["next_at"] = counts.get("next_at")
    if user.role == Role.IRO:
        context["followed"] = followed_context(user, c, cached, key)
        context["next_at"] = next_change([counts, *context["followed"]])
    if kind != "authority":
        sections = []
        for bucket, label, key in (
            (Bucket.OVERDUE, "Overdue", "overdue"),
            (Bucket.THIS_WEEK, "Due this week", "this_week"),
            (Bucket.LATER, "Due later", "later"),
        ):
            rows = list(with_rows(duties.filter(bucket_q(bucket, c)))[:HOME_ROWS])
            sections.append(
                {
                    "bucket": bucket,
                    "label": label,
                    "count": counts[key],
                    "rows": annotate_days(rows, c),
                    "more": counts[key] > len(rows),
                }
            )
        context["sections"] = sections
    found = (
        cached.get((*key, "timeliness"), lambda: timeliness(user, c.today))
        if user.role in TIMELINESS_ROLES
        else None
    )
    if found is not None:
        context["quarter"], context["timeliness"] = found
    return context


def home_page(user: User, c: Clock | None = None) -> dict:
    """The home page's worktray: its counts and its tables rendered (``worktray_html``),
    kept in the counts cache (core.count_cache): until the caseload changes, the day
    turns, or a 24-hour duty counted falls due. Between two changes the page reads the
    caseload version and nothing else of the worktray; the first request after one builds
    it with ``home_context`` (whose context the page then also carries)."""
    c = c or clock()
    kind = mode(user)
    if kind is None:
        return {"worktray": None}
    cached = CountCache(c.now)

    def build() -> tuple[dict, datetime | None]:
        context = home_context(user, c, cached)
        return context, context["next_at"]

    html, context = cached.fragment(
        ("home-page", kind, user.pk, c.today),
        "duties/worktray_home.html",
        build,
        keep=("counts",),
    )
    return {**context, "worktray": kind, "clock": c, "worktray_html": html}
