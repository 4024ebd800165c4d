"""Patterns of missing: a child's or a setting's episodes counted by month, day of the week,
time of day, duration and where the child was found. Pure functions of the episodes' facts
and of the dates passed in; no ORM (``missing.figures`` reads the facts).

Why: seed 004 (Southwark children's homes QA framework), individual child audit, appendix B
item 12 "Missing" (line 501): "Themes in days, timings, location and duration of missing
occurring."; timescales.md §9: "patterns of missing (days, times, places, duration) are
reviewed (`004_…`)". Line 346 (outcomes): "Number and rate of children with a missing
episode, and total missing episodes".

Conventions (the 903 gives dates only, ``missing.models``):

- An episode belongs to the period its start date falls in.
- Time of day is the start time in 4-hour bands; an episode without a start time is "time
  not known", never guessed.
- Duration: with both times, the hours between start and end in Europe/London (so 23 or 25
  hours a day across the clock change); without either time, whole days between the dates
  (the same day is under 24 hours, the next day to 3 days later is 1 to 3 days). An
  episode with no end is "still open" and, not having been found, "not found yet".
- The return home interview (timescales.md §9; statutory guidance *Children who run away
  or go missing from home or care*, 2014: "within 72 hours"; seed 004 line 366, RHIs
  offered and the authority challenged when they do not happen) is due 72 hours after a
  return with a time, or by the end of the 3rd day after a return without one. An
  interview is recorded with its date only, so it is on time when held on or before the
  date the 72 hours end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from duties.calendar import add_months

from .models import WhereFound

LONDON = ZoneInfo("Europe/London")

#: Return home interview: "within 72 hours" of the return (timescales.md §9); the rule in
#: force is the rule value ``return_home_interview_hours`` (missing.rules).
RHI_HOURS = 72

#: The default period: the last 12 months, to today.
DEFAULT_MONTHS = 12
#: The longest period a page charts (a bar a month: 36 bars still read).
MAX_PERIOD_DAYS = 3 * 366

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

TIME_NOT_KNOWN = "Time not known"
#: Start-time bands: 4 hours each, from midnight.
TIME_BANDS = tuple(f"{h:02d}:00 to {h + 3:02d}:59" for h in range(0, 24, 4)) + (TIME_NOT_KNOWN,)

UNDER_24_HOURS = "Under 24 hours"
ONE_TO_THREE_DAYS = "1 to 3 days"
OVER_THREE_DAYS = "Over 3 days"
STILL_OPEN = "Still open"
DURATION_BANDS = (UNDER_24_HOURS, ONE_TO_THREE_DAYS, OVER_THREE_DAYS, STILL_OPEN)

NOT_FOUND_YET = "Not found yet"
#: Where found: the model's choices in their order ("Not known" last), then the open ones.
WHERE_FOUND_BANDS = tuple(
    label for value, label in WhereFound.choices if value != WhereFound.NOT_KNOWN
) + (WhereFound.NOT_KNOWN.label, NOT_FOUND_YET)


@dataclass(frozen=True)
class EpisodeFacts:
    """What the patterns read of an episode (``missing.figures`` reads these)."""

    start_date: date
    start_time: time | None
    end_date: date | None
    end_time: time | None
    where_found: str  # a WhereFound value, "" when not known


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def months(self) -> list[date]:
        """The first day of each month the period touches, in order."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def default_period(today: date) -> Period:
    """The last 12 months: from the same date a year ago (28 Feb for 29 Feb) to today."""
    return Period(add_months(today, -DEFAULT_MONTHS) + timedelta(days=1), today)


UTC = ZoneInfo("UTC")


def instant(day: date, at: time) -> datetime:
    """A Europe/London wall-clock time as an instant in UTC (of the two 01:30s when the
    clocks go back, the first). In UTC, because Python subtracts and adds to two times of
    one zone as on the wall clock, ignoring the change."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def day_of_week(episode: EpisodeFacts) -> str:
    return DAYS[episode.start_date.weekday()]


def time_band(episode: EpisodeFacts) -> str:
    if episode.start_time is None:
        return TIME_NOT_KNOWN
    return TIME_BANDS[episode.start_time.hour // 4]


def hours_missing(episode: EpisodeFacts) -> float | None:
    """Hours between start and end when both have a time (Europe/London, across a clock
    change as the clock moved); None otherwise."""
    if episode.end_date is None or episode.start_time is None or episode.end_time is None:
        return None
    start = instant(episode.start_date, episode.start_time)
    end = instant(episode.end_date, episode.end_time)
    return (end - start).total_seconds() / 3600


def duration_band(episode: EpisodeFacts) -> str:
    if episode.end_date is None:
        return STILL_OPEN
    hours = hours_missing(episode)
    if hours is not None:
        if hours < 24:
            return UNDER_24_HOURS
        return ONE_TO_THREE_DAYS if hours <= 72 else OVER_THREE_DAYS
    days = (episode.end_date - episode.start_date).days
    if days < 1:
        return UNDER_24_HOURS
    return ONE_TO_THREE_DAYS if days <= 3 else OVER_THREE_DAYS


def where_found_band(episode: EpisodeFacts) -> str:
    if episode.end_date is None:
        return NOT_FOUND_YET
    try:
        return WhereFound(episode.where_found).label
    except ValueError:  # a value no longer offered: counted, not lost
        return WhereFound.OTHER.label


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


@dataclass(frozen=True)
class Tally:
    """One pattern: how many episodes fall in each band, in the bands' order."""

    key: str  # for ids in the page: "month", "day", ...
    title: str  # "By day of the week"
    heading: str  # the table's first column
    rows: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)

    @property
    def largest(self) -> int:
        return max((count for _, count in self.rows), default=0)


def _tally(key, title, heading, bands: Sequence[str], labels: Iterable[str]) -> Tally:
    counts = dict.fromkeys(bands, 0)
    for label in labels:
        counts[label] += 1
    return Tally(key, title, heading, tuple(counts.items()))


@dataclass(frozen=True)
class Patterns:
    period: Period
    episodes: int
    children: int
    tallies: tuple[Tally, ...]


def patterns(episodes: Sequence[tuple[int, EpisodeFacts]], period: Period) -> Patterns:
    """The patterns of the episodes (child id, facts) that start in ``period``."""
    chosen = [(child, e) for child, e in episodes if e.start_date in period]
    facts = [e for _, e in chosen]
    months = period.months
    by_month = [month_label(m) for m in months]
    return Patterns(
        period=period,
        episodes=len(facts),
        children=len({child for child, _ in chosen}),
        tallies=(
            _tally(
                "month",
                "By month",
                "Month the episode started",
                by_month,
                (month_label(e.start_date.replace(day=1)) for e in facts),
            ),
            _tally("day", "By day of the week", "Day it started", DAYS, map(day_of_week, facts)),
            _tally("time", "By time of day", "Time it started", TIME_BANDS, map(time_band, facts)),
            _tally(
                "duration", "By duration", "How long", DURATION_BANDS, map(duration_band, facts)
            ),
            _tally(
                "found",
                "By where found",
                "Where the child was found",
                WHERE_FOUND_BANDS,
                map(where_found_band, facts),
            ),
        ),
    )


# --- The return home interview ------------------------------------------------------------


def whole_days(hours: int) -> int:
    """Without a time of return, the hours are whole days (issue 17: "the RHI is then due
    3 days after MIS_END"): 72 hours, 3 days; 36 hours, 2."""
    return -(-hours // 24)


def rhi_due_on(end_date: date, end_time: time | None, hours: int = RHI_HOURS) -> date:
    """The last date an interview held within the rule counts as on time: the date the 72
    hours after a timed return end (Europe/London), or the 3rd day after an untimed one.

    A return at 23:30 on the Saturday before the spring clock change is due at 00:30 on the
    4th day (72 hours, one of them lost); one at 00:30 on the day the clocks go back, at
    23:30 on the 2nd day.
    """
    if end_time is None:
        return end_date + timedelta(days=whole_days(hours))
    due = instant(end_date, end_time) + timedelta(hours=hours)
    return due.astimezone(LONDON).date()


def rhi_on_time(
    end_date: date, end_time: time | None, held_on: date | None, hours: int = RHI_HOURS
) -> bool:
    return held_on is not None and held_on <= rhi_due_on(end_date, end_time, hours)
