"""When the duties of a missing or away episode fall due, and what makes an episode's dates
impossible. Pure functions of dates and facts: no ORM, no clock (``now`` is passed in).

Sources:

- the return home interview: timescales.md §9, "on return the child is offered an
  independent return home interview within 72 hours" (DfE statutory guidance *Children who
  run away or go missing from home or care*, January 2014); 004_… Southwark QA framework,
  appendix B item 12 "Missing" (line 504: "The child has been offered an independent
  return home interview and relevant feedback from this has been provided to the home")
  and appendix A, "Children going missing" (line 366: "independent return home interviews
  have been offered to young people, local authority is being challenged when the RHI
  don't take place");
- the home's report: 004_… appendix B item 12 (line 503: "A missing report is completed
  on Clearcare within 24 hours in accordance with the policy"); timescales.md §9 "A
  children's home reports a missing episode or an incident within 24 hours".

Hours are elapsed hours, counted in UTC, so that a clock change neither adds nor takes
an hour (Europe/London local times are shown). A date with no time (the 903 carries dates
only) is the whole day: for a due time it is taken as the **end of that day**
(23:59:59.999999), the latest the episode can have started or ended, so nobody is shown a
duty overdue that may not yet be: a return on 2 March with no time makes the interview due
by the end of 5 March. This is the convention of the 24-hour visit to an unregistered
placement (``visits.rules.facts.PlacementFacts.start_instant``), and says so in the same
words. For overlaps a date with no time spans the whole day (from midnight).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from duties.rules import LONDON, Due, Timescales, rule

RETURN_HOME_INTERVIEW = "return_home_interview"
MISSING_REPORT = "missing_report"

SRC_RHI = "TS §9; DfE statutory guidance 2014; 004_… appendix B item 12 (line 504)"
SRC_REPORT = "TS §9; 004_… appendix B item 12 (line 503)"

#: What a start or return without a time says, wherever it is shown (the wording of
#: visits.rules.facts.START_TIME_NOT_RECORDED).
START_TIME_NOT_RECORDED = "start time not recorded: treated as the end of the day"
RETURN_TIME_NOT_RECORDED = "return time not recorded: treated as the end of the day"


@dataclass(frozen=True)
class MissingRules(Timescales):
    """The timescales of a missing or away episode, each a rule an administrator may change.
    A changed value applies to episodes opened (or returns recorded) afterwards."""

    return_home_interview_hours: int = rule(
        72,
        "Hours after a missing child's return within which the independent return home "
        "interview is offered (a return with no time: from the end of that day).",
        "TS §9: 'offered an independent return home interview within 72 hours' (DfE "
        "statutory guidance, Children who run away or go missing from home or care, 2014); "
        "004_… appendix B item 12, line 504: 'The child has been offered an independent "
        "return home interview'",
    )
    missing_report_hours: int = rule(
        24,
        "Hours after an episode starts within which the setting's missing report is "
        "received (a start with no time: from the end of that day).",
        "TS §9: 'A children's home reports a missing episode ... within 24 hours'; 004_… "
        "appendix B item 12, line 503: 'A missing report is completed on Clearcare within "
        "24 hours'",
    )


def _fmt(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def fmt_instant(at: datetime) -> str:
    """'3 March 2026 at 14:30' (Europe/London)."""
    local = at.astimezone(LONDON)
    return f"{_fmt(local.date())} at {local:%H:%M}"


def local(day: date, at: time) -> datetime:
    """A wall-clock time in Europe/London; a time the clocks repeat is its first
    occurrence (British Summer Time)."""
    return datetime.combine(day, at, LONDON)


def latest_instant(day: date, at: time | None) -> datetime:
    """When it happened, for a due time: ``at`` on ``day``, else the end of ``day``."""
    return local(day, at if at is not None else time.max)


def earliest_instant(day: date, at: time | None) -> datetime:
    """When it happened, for an overlap: ``at`` on ``day``, else the start of ``day``."""
    return local(day, at if at is not None else time.min)


def described(day: date, at: time | None, not_recorded: str) -> str:
    if at is not None:
        return f"{_fmt(day)} at {at:%H:%M}"
    return f"{_fmt(day)} ({not_recorded})"


def _after(instant: datetime, hours: int) -> datetime:
    """``hours`` elapsed hours after ``instant`` (across a clock change), in London."""
    return (instant.astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)


def _due(day: date, at: time | None, hours: int) -> datetime:
    """``hours`` elapsed hours after ``at`` on ``day``; with no time, whole days: the end
    of the day ``hours`` (rounded up to whole days) after ``day`` on the calendar, so an
    untimed return is due 3 days after it whatever the clocks do (issue 17: "Dates without
    times are taken as whole days: the RHI is then due 3 days after MIS_END")."""
    if at is None:
        return latest_instant(day + timedelta(days=-(-hours // 24)), None)
    return _after(local(day, at), hours)


def return_home_interview_due(end: date, end_time: time | None, rules: MissingRules) -> Due:
    """The independent return home interview: ``return_home_interview_hours`` after the
    return. A return on Monday at 23:30 is due by Thursday 23:30 (due date Thursday); a
    return on Monday with no time by the end of Thursday."""
    hours = rules.return_home_interview_hours
    due_at = _due(end, end_time, hours)
    return Due(
        RETURN_HOME_INTERVIEW,
        due_at.date(),
        due_at,
        f"Within {hours} hours of the return on "
        f"{described(end, end_time, RETURN_TIME_NOT_RECORDED)}: by {fmt_instant(due_at)}",
        SRC_RHI,
    )


def missing_report_due(start: date, start_time: time | None, rules: MissingRules) -> Due:
    """The setting's report of the episode: ``missing_report_hours`` after it started."""
    hours = rules.missing_report_hours
    due_at = _due(start, start_time, hours)
    return Due(
        MISSING_REPORT,
        due_at.date(),
        due_at,
        f"Within {hours} hours of the episode starting "
        f"{described(start, start_time, START_TIME_NOT_RECORDED)}: by {fmt_instant(due_at)}",
        SRC_REPORT,
    )


# --- What makes an episode's dates impossible -----------------------------------------------


def skipped_time_error(day: date, at: time | None) -> str | None:
    """A time the clocks skipped (the last Sunday of March, 01:00 to 01:59)."""
    if at is None:
        return None
    wall = local(day, at)
    if wall.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != wall.replace(tzinfo=None):
        return (
            f"There was no {at:%H:%M} on {day:%d/%m/%Y}: the clocks went forward an hour at "
            "1am. Enter the time as the clocks showed it."
        )
    return None


def in_future(day: date, at: time | None, now: datetime) -> bool:
    """After ``now``: a time after it, or a date after today (Europe/London)."""
    if day > now.astimezone(LONDON).date():
        return True
    return at is not None and local(day, at) > now


@dataclass(frozen=True)
class Span:
    """An episode's time away, for overlaps. A date without a time could be any time of
    that day; an episode not yet ended runs on."""

    start_date: date
    start_time: time | None
    end_date: date | None
    end_time: time | None

    def overlaps(self, other: Span) -> bool:
        """Whether the two episodes were certainly away at the same time: each started
        (at the latest it can have) before the other ended (at the earliest it can have).
        A return at 10:00 and a new start at 10:00 touch; a return on 3 March with no time
        and a new start that evening may not overlap, so they are not refused."""

        def latest_start(span: Span) -> datetime:
            return latest_instant(span.start_date, span.start_time)

        def earliest_end(span: Span) -> datetime | None:
            if span.end_date is None:
                return None
            return earliest_instant(span.end_date, span.end_time)

        def before_end(at: datetime, span: Span) -> bool:
            end = earliest_end(span)
            return end is None or at < end

        return before_end(latest_start(self), other) and before_end(latest_start(other), self)

    def describe(self) -> str:
        begun = described(self.start_date, self.start_time, "time not recorded")
        if self.end_date is None:
            return f"the episode from {begun}, not yet ended"
        ended = described(self.end_date, self.end_time, "time not recorded")
        return f"the episode from {begun} to {ended}"


def end_before_start(span: Span) -> bool:
    """The return is before the start (a same day return with both times, earlier)."""
    if span.end_date is None:
        return False
    if span.end_date != span.start_date:
        return span.end_date < span.start_date
    return (
        span.start_time is not None
        and span.end_time is not None
        and span.end_time < span.start_time
    )
