"""Reads for the patterns of missing and the missing figures: a fixed number of queries
whatever the caseload, each set-based (one GROUP BY per level), scoped to what the user may
see where names or a child's own pattern could show.

The figures (seed 004 line 346, "Number and rate of children with a missing episode, and
total missing episodes"; line 366 and timescales.md §9, the return home interview within 72
hours) for a period:

- children looked after: children with a placement open at any time in the period (the
  rate's denominator); children missing: children with an episode starting in it;
- episodes: episodes starting in the period;
- returns: episodes ending in it, each owed a return home interview; of those, the
  interview held on time (``missing.patterns.rhi_due_on``, computed here in SQL), held
  later, declined, not offered (both recorded with their reasons), or not recorded.

A team is the child's team now; a setting is the setting of the placement the child went
missing from.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    Q,
    QuerySet,
    When,
)

from accounts.models import Team
from duties import timescales
from placements.models import Child, Placement, Setting
from placements.selectors import SEE_ALL_ROLES, children_visible_to

from .models import InterviewOutcome, MissingEpisode
from .patterns import EpisodeFacts, Period, whole_days
from .rules import MissingRules

FACT_FIELDS = ("child_id", "start_date", "start_time", "end_date", "end_time", "where_found")


def _facts(queryset: QuerySet[MissingEpisode]) -> list[tuple[int, EpisodeFacts]]:
    return [
        (child_id, EpisodeFacts(start, start_time, end, end_time, found))
        for child_id, start, start_time, end, end_time, found in queryset.values_list(*FACT_FIELDS)
    ]


def _in_period(period: Period) -> Q:
    return Q(start_date__range=(period.start, period.end))


def child_episodes(child: Child, period: Period) -> list[tuple[int, EpisodeFacts]]:
    """The child's episodes starting in the period (one query; the child is the user's)."""
    return _facts(MissingEpisode.objects.filter(_in_period(period), child=child))


def sees_every_child(user) -> bool:
    return user.role in SEE_ALL_ROLES


def setting_episodes(user, setting: Setting, period: Period) -> list[tuple[int, EpisodeFacts]]:
    """Episodes from placements at the setting starting in the period, of the children this
    user may see (one query): a home's pattern, like the children placed there on its page,
    shows a member of staff only the children whose records they may open."""
    episodes = MissingEpisode.objects.filter(_in_period(period), placement__setting=setting)
    if not sees_every_child(user):
        episodes = episodes.filter(child__in=children_visible_to(user))
    return _facts(episodes)


# --- The figures ----------------------------------------------------------------------------


class _TimedDue(Func):
    """The Europe/London date ``hours`` after a timed return ends (as patterns.rhi_due_on):
    the wall-clock time made an instant, the hours added as elapsed time, then read on the
    wall clock again (so one hour more or less across a clock change)."""

    arg_joiner = " + "
    template = (
        "(((%(expressions)s) AT TIME ZONE 'Europe/London' + interval '%(hours)d hours')"
        " AT TIME ZONE 'Europe/London')::date"
    )
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite (the laptop demo, `make run`) knows no time zones: the hours are added to
        # the wall-clock time, an hour out only across a clock change.
        return self.as_sql(
            compiler,
            connection,
            template="date(datetime(%(expressions)s, '+%(hours)d hours'))",
            arg_joiner=" || ' ' || ",
            **extra,
        )


class _DaysAfter(Func):
    """A date ``days`` days after a date column."""

    template = "(%(expressions)s + %(days)d)"  # date + integer: a date, in PostgreSQL
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s, '+%(days)d days')", **extra
        )


def rhi_due_on(hours: int):
    """SQL for ``patterns.rhi_due_on`` of an episode row (``hours``: the rule in force)."""
    return Case(
        When(end_time__isnull=True, then=_DaysAfter(F("end_date"), days=whole_days(hours))),
        default=_TimedDue(F("end_date"), F("end_time"), hours=int(hours)),
        output_field=DateField(),
    )


def rhi_hours() -> int:
    """The return home interview's hours in force (the rule value, one query)."""
    return timescales.current(MissingRules).return_home_interview_hours


def _episode_aggregates(period: Period, hours: int) -> dict:
    started = _in_period(period)
    returned = Q(end_date__range=(period.start, period.end))
    held = returned & Q(return_interview__outcome=InterviewOutcome.HELD)
    on_time = Q(return_interview__held_on__lte=rhi_due_on(hours))
    # Held with no date: not shown to be on time.
    late = Q(return_interview__held_on__isnull=True) | Q(
        return_interview__held_on__gt=rhi_due_on(hours)
    )
    return {
        "children_missing": Count("child", filter=started, distinct=True),
        "episodes": Count("pk", filter=started),
        "returns": Count("pk", filter=returned),
        "rhi_on_time": Count("pk", filter=held & on_time),
        "rhi_late": Count("pk", filter=held & late),
        "rhi_declined": Count(
            "pk", filter=returned & Q(return_interview__outcome=InterviewOutcome.DECLINED)
        ),
        "rhi_not_offered": Count(
            "pk", filter=returned & Q(return_interview__outcome=InterviewOutcome.NOT_OFFERED)
        ),
        "rhi_none": Count("pk", filter=returned & Q(return_interview__isnull=True)),
    }


def _episodes(period: Period, team: Team | None) -> QuerySet[MissingEpisode]:
    episodes = MissingEpisode.objects.filter(
        _in_period(period) | Q(end_date__range=(period.start, period.end))
    )
    return episodes.filter(child__team=team) if team is not None else episodes


def _looked_after(period: Period, team: Team | None) -> QuerySet[Placement]:
    placements = Placement.objects.filter(decom__lte=period.end).filter(
        Q(dec__isnull=True) | Q(dec__gte=period.start)
    )
    return placements.filter(child__team=team) if team is not None else placements


FIGURE_FIELDS = (
    "looked_after",
    "children_missing",
    "episodes",
    "returns",
    "rhi_on_time",
    "rhi_late",
    "rhi_declined",
    "rhi_not_offered",
    "rhi_none",
)


@dataclass
class Figures:
    """One row of the figures: the authority, a team or a setting."""

    name: str
    urn: str = ""
    pk: int | None = None
    looked_after: int = 0
    children_missing: int = 0
    episodes: int = 0
    returns: int = 0
    rhi_on_time: int = 0
    rhi_late: int = 0
    rhi_declined: int = 0
    rhi_not_offered: int = 0
    rhi_none: int = 0

    @property
    def rate(self) -> str:
        """Children missing per 100 looked after, to one place ("" when none looked after)."""
        if not self.looked_after:
            return ""
        return f"{100 * self.children_missing / self.looked_after:.1f}%"

    @property
    def on_time_rate(self) -> str:
        if not self.returns:
            return ""
        return f"{100 * self.rhi_on_time / self.returns:.1f}%"

    def add(self, values: dict) -> None:
        for name in FIGURE_FIELDS:
            if name in values:
                setattr(self, name, values[name] or 0)


def authority_figures(period: Period, hours: int) -> Figures:
    """The whole authority (two queries)."""
    figures = Figures(name="The authority")
    figures.add(_episodes(period, None).aggregate(**_episode_aggregates(period, hours)))
    figures.add(_looked_after(period, None).aggregate(looked_after=Count("child", distinct=True)))
    return figures


NO_TEAM = "No team"


def team_figures(period: Period, team: Team | None, hours: int) -> list[Figures]:
    """Each team with a child looked after or missing in the period, by name (three
    queries: the teams, the episodes and the placements, each grouped by team)."""
    rows: dict[int | None, Figures] = {}

    def row(team_id):
        if team_id not in rows:
            rows[team_id] = Figures(name=NO_TEAM, pk=team_id)
        return rows[team_id]

    for values in (
        _episodes(period, team).values("child__team").annotate(**_episode_aggregates(period, hours))
    ):
        row(values["child__team"]).add(values)
    for values in (
        _looked_after(period, team)
        .values("child__team")
        .annotate(looked_after=Count("child", distinct=True))
    ):
        row(values["child__team"]).add(values)
    names = dict(Team.objects.filter(pk__in=[pk for pk in rows if pk]).values_list("pk", "name"))
    for team_id, figures in rows.items():
        if team_id is not None:
            figures.name = names[team_id]
    return sorted(rows.values(), key=lambda f: (f.pk is None, f.name.lower()))


NO_SETTING = "Setting not recorded"


def setting_episode_rows(period: Period, team: Team | None, hours: int) -> QuerySet:
    """The settings children went missing from in the period (or returned to it from), most
    episodes first: one row a setting, grouped in SQL (to be paged)."""
    return (
        _episodes(period, team)
        .values("placement__setting", "placement__setting__name", "placement__setting__urn")
        .annotate(**_episode_aggregates(period, hours))
        .order_by("-episodes", "-returns", "placement__setting__name", "placement__setting")
    )


def setting_figures(rows, period: Period, team: Team | None) -> list[Figures]:
    """Figures for a page of ``setting_episode_rows`` (one query more: the children looked
    after in each of its settings)."""
    figures = []
    for values in rows:
        setting = values["placement__setting"]
        one = Figures(
            name=values["placement__setting__name"] or NO_SETTING,
            urn=values["placement__setting__urn"] or "",
            pk=setting,
        )
        one.add(values)
        figures.append(one)
    wanted = [f.pk for f in figures if f.pk is not None]
    if wanted:
        looked_after = dict(
            _looked_after(period, team)
            .filter(setting__in=wanted)
            .values("setting")
            .annotate(n=Count("child", distinct=True))
            .values_list("setting", "n")
        )
        for one in figures:
            one.looked_after = looked_after.get(one.pk, 0)
    return figures


@dataclass
class SettingSummary:
    """The setting page's section: its episodes in the last 12 months (of the children the
    user may see)."""

    episodes: int = 0
    children: int = 0
    open: int = 0


def setting_summary(user, setting: Setting, period: Period) -> SettingSummary:
    facts = setting_episodes(user, setting, period)
    return SettingSummary(
        episodes=len(facts),
        children=len({child for child, _ in facts}),
        open=sum(1 for _, e in facts if e.end_date is None),
    )
