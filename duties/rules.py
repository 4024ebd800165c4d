"""What every dated duty shares: its answer (:class:`Due`), its status and alert level on
a day, and timescales as data (:class:`Timescales`).

Pure functions of dates and facts: no ORM, no clock (``today`` and ``now`` are passed in).
A workflow's own rules (``visits.rules``, ``reviews.rules``) build on these.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from .calendar import add_working_days, subtract_working_days

LONDON = ZoneInfo("Europe/London")

Status = Literal["open", "overdue", "done"]
Level = Literal["due_soon", "overdue", "overdue_5"]


@dataclass(frozen=True)
class Due:
    """The next due date of one duty.

    ``due`` is the last day on which the duty is met; it is overdue from the day after.
    ``due_at`` is set only for "within 24 hours" duties (aware, Europe/London), and then
    ``due`` is its local date.
    """

    kind: str
    due: date
    due_at: datetime | None
    basis: str
    source: str


# --- Timescales as data -----------------------------------------------------------------------


def rule(default: int, help_text: str, source: str, *, minimum: int = 1) -> Any:
    """A field of a :class:`Timescales`: its default (the guidance's figure), what it means,
    the line of guidance it comes from, and the least value an administrator may set."""
    return field(
        default=default, metadata={"help": help_text, "source": source, "minimum": minimum}
    )


@dataclass(frozen=True)
class Timescales:
    """A workflow's timescales, each a ``RuleValue`` row an administrator may change (by
    the field's name), with the guidance's figure as its default. Subclasses declare their
    fields with :func:`rule`; ``duties.timescales`` reads them from the database."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{type(self).__name__}.{f.name} must be an int, not {value!r}")
            minimum = f.metadata.get("minimum", 1)
            if value < minimum:
                raise ValueError(
                    f"{type(self).__name__}.{f.name} must be at least {minimum}, not {value}"
                )

    @classmethod
    def defaults(cls):
        """The values shipped with the product (the guidance's figures)."""
        return cls()

    @classmethod
    def field_help(cls) -> dict[str, tuple[str, str]]:
        """``{field name: (help text, source)}`` for every rule, in declaration order."""
        return {f.name: (f.metadata["help"], f.metadata["source"]) for f in fields(cls)}


@dataclass(frozen=True)
class AlertRules(Timescales):
    """When the overdue sweep tells people (product settings, not statutory timescales)."""

    due_soon_working_days: int = rule(
        3,
        "A duty is 'due soon' from this many working days before its due date.",
        "Product setting (alerts); not a statutory timescale",
        minimum=0,
    )
    overdue_escalation_working_days: int = rule(
        5,
        "A duty is 'overdue_5' (escalate) once this many working days past its due date.",
        "Product setting (alerts); not a statutory timescale",
        minimum=0,
    )


# --- A duty on a day --------------------------------------------------------------------------


def to_london(dt: datetime) -> datetime:
    """Naive datetimes are London wall-clock times; aware ones are converted."""
    return dt.replace(tzinfo=LONDON) if dt.tzinfo is None else dt.astimezone(LONDON)


def status(due: Due, on: date, done_on: date | None, *, now: datetime | None = None) -> Status:
    """``"done"`` if it was done on or before ``on``; else ``"overdue"`` once ``on`` is after
    ``due.due`` (or, for a 24-hour duty with ``now`` given, once ``now`` is after
    ``due.due_at``); else ``"open"``.
    """
    if done_on is not None:
        done_date = to_london(done_on).date() if isinstance(done_on, datetime) else done_on
        if done_date <= on:
            return "done"
    if due.due_at is not None and now is not None:
        return "overdue" if to_london(now) > due.due_at else "open"
    return "overdue" if on > due.due else "open"


def alert_level(
    due: Due, today: date, rules: AlertRules, *, now: datetime | None = None
) -> Level | None:
    """``"due_soon"`` from 3 working days before the due date; ``"overdue"`` after it;
    ``"overdue_5"`` once 5 working days past it (the numbers come from ``rules``).
    """
    if due.due_at is not None and now is not None:
        overdue = to_london(now) > due.due_at
    else:
        overdue = today > due.due
    if overdue:
        if today >= add_working_days(due.due, rules.overdue_escalation_working_days):
            return "overdue_5"
        return "overdue"
    if today >= subtract_working_days(due.due, rules.due_soon_working_days):
        return "due_soon"
    return None
