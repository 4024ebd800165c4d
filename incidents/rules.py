"""The timescales of incidents and allegations: pure functions of instants and facts (no ORM,
no clock).

Every "within N hours" is elapsed time: N hours after the instant in UTC, shown in
Europe/London, so a duty across the clock change (the last Sunday of October) falls due an
hour earlier by the clock than the same hours on another day.

The child's debrief has two figures (004_… appendix B, items 10 and 13: "within 48 hours
(maximum of 72 hours)"): the duty falls due at 48 hours (``child_debrief_hours``), so the
worktray, ``deadlines`` and the overdue alerts chase it from then, and the 72-hour limit
(``child_debrief_limit_hours``) is shown beside it on the incident's pages, and each debrief
is judged against both ("within 48 hours", "within the 72-hour limit", "after the 72-hour
limit").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from duties.rules import LONDON, Due, Timescales, rule

INCIDENT_REPORT = "incident_report"
STAFF_DEBRIEF = "staff_debrief"
CHILD_DEBRIEF = "child_debrief"
LADO_REFERRAL = "lado_referral"

SRC_004_REPORT = (
    "TS §9, §6; 004_… appendix B items 10 and 13 (seed lines 481, 513): 'Incident reports "
    "are completed on Clearcare within 24 hours'"
)
SRC_004_STAFF = (
    "TS §9, §6; 004_… appendix B item 13 (seed line 514): 'Staff debrief has taken place "
    "... within 48 hours'"
)
SRC_004_STAFF_RESTRAINT = (
    "004_… appendix B item 10, Restraint (seed line 482): 'Staff debrief has taken place "
    "and completed on Clearcare within 24 hours' (the seed wins over TS §9's 48)"
)
SRC_004_CHILD = (
    "TS §9, §6; 004_… appendix B items 10 and 13 (seed lines 484, 515): 'Children's debrief "
    "... within 48 hours (maximum of 72 hours)'"
)
SRC_001_LADO = (
    "TS §5, §9; 001_… (seed line 356): 'Report to LADO not made within 24 hours of the "
    "complaint / allegation being made'"
)

TIME_NOT_KNOWN = "time not recorded: treated as the end of the day"


@dataclass(frozen=True)
class IncidentRules(Timescales):
    """Hours from the incident (or the allegation's becoming known) to each duty."""

    incident_report_hours: int = rule(
        24,
        "Hours after an incident by which the home's report of it is due.",
        SRC_004_REPORT,
    )
    staff_debrief_hours: int = rule(
        48,
        "Hours after an incident by which the staff debrief is due.",
        SRC_004_STAFF,
    )
    staff_debrief_after_restraint_hours: int = rule(
        24,
        "Hours after an incident in which restraint was used by which the staff debrief is due.",
        SRC_004_STAFF_RESTRAINT,
    )
    child_debrief_hours: int = rule(
        48,
        "Hours after an incident by which each child's debrief is expected (the duty's due time).",
        SRC_004_CHILD,
    )
    child_debrief_limit_hours: int = rule(
        72,
        "Hours after an incident by which each child's debrief must have happened at the "
        "latest (shown beside the duty; a later debrief is recorded as after the limit).",
        SRC_004_CHILD,
    )
    lado_referral_hours: int = rule(
        24,
        "Hours after an allegation against a member of staff, carer or volunteer became "
        "known by which it is referred to the LADO.",
        SRC_001_LADO,
    )


def instant(day: date, at: time | None) -> datetime:
    """When something happened: the day and time (Europe/London), else the end of the day.

    A time the clocks repeat (the last Sunday of October, 01:00 to 01:59) is its first
    occurrence, British Summer Time (``fold=0``), as for a placement's start."""
    return datetime.combine(day, at if at is not None else time.max, LONDON)


def after_hours(start: datetime, hours: int) -> datetime:
    """``hours`` elapsed hours after ``start``, in Europe/London."""
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)


def fmt_instant(at: datetime) -> str:
    """'3 March 2026 at 14:30' (Europe/London)."""
    local = at.astimezone(LONDON)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _described(start: datetime, time_known: bool) -> str:
    if time_known:
        return fmt_instant(start)
    local = start.astimezone(LONDON)
    return f"{local.day} {local:%B %Y} ({TIME_NOT_KNOWN})"


def _due(kind: str, start: datetime, hours: int, what: str, source: str, known: bool) -> Due:
    at = after_hours(start, hours)
    return Due(
        kind,
        at.date(),
        at,
        f"{what} within {hours} hours of {_described(start, known)}",
        source,
    )


def incident_report_due(start: datetime, rules: IncidentRules, *, time_known: bool) -> Due:
    return _due(
        INCIDENT_REPORT,
        start,
        rules.incident_report_hours,
        "The home's report of the incident",
        SRC_004_REPORT,
        time_known,
    )


def staff_debrief_due(
    start: datetime, rules: IncidentRules, *, restraint: bool, time_known: bool
) -> Due:
    if restraint:
        return _due(
            STAFF_DEBRIEF,
            start,
            rules.staff_debrief_after_restraint_hours,
            "Staff debrief after restraint",
            SRC_004_STAFF_RESTRAINT,
            time_known,
        )
    return _due(
        STAFF_DEBRIEF,
        start,
        rules.staff_debrief_hours,
        "Staff debrief",
        SRC_004_STAFF,
        time_known,
    )


def child_debrief_due(start: datetime, rules: IncidentRules, *, time_known: bool) -> Due:
    due = _due(
        CHILD_DEBRIEF,
        start,
        rules.child_debrief_hours,
        "Each child's debrief",
        SRC_004_CHILD,
        time_known,
    )
    limit = child_debrief_limit(start, rules)
    return Due(
        due.kind,
        due.due,
        due.due_at,
        f"{due.basis}; {rules.child_debrief_limit_hours} hours at most ({fmt_instant(limit)})",
        due.source,
    )


def child_debrief_limit(start: datetime, rules: IncidentRules) -> datetime:
    return after_hours(start, rules.child_debrief_limit_hours)


def lado_referral_due(known_at: datetime, rules: IncidentRules) -> Due:
    return _due(
        LADO_REFERRAL,
        known_at,
        rules.lado_referral_hours,
        "Referral to the LADO",
        SRC_001_LADO,
        True,
    )


def debrief_timeliness(start: datetime, held_at: datetime, rules: IncidentRules) -> str:
    """How a child's debrief held at ``held_at`` stands against the two figures."""
    if held_at <= after_hours(start, rules.child_debrief_hours):
        return f"within {rules.child_debrief_hours} hours"
    if held_at <= child_debrief_limit(start, rules):
        return f"within the {rules.child_debrief_limit_hours}-hour limit"
    return f"after the {rules.child_debrief_limit_hours}-hour limit"


def on_time(due: Due, done_at: datetime) -> bool:
    return due.due_at is not None and done_at <= due.due_at
