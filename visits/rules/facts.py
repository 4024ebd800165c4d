"""The facts the visit schedule is computed from, and the helpers every rule shares.

The duty kinds and visit kinds here are a contract with the rest of the product
(``deadlines --kind``, ``import_visits``' ``kind`` column).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from types import MappingProxyType

from duties.calendar import add_calendar_days, add_months
from duties.rules import LONDON, Due, to_london

from .ruleset import RuleSet

# --- Duty kinds (a contract with the rest of the product) ---------------------------------
STATUTORY_VISIT = "statutory_visit"
PURPOSEFUL_VISIT = "purposeful_visit"
IRO_VISIT = "iro_visit"
COMMISSIONING_VISIT = "commissioning_visit"
SERVICE_MANAGER_VISIT = "service_manager_visit"
DUTY_KINDS: tuple[str, ...] = (
    STATUTORY_VISIT,
    PURPOSEFUL_VISIT,
    IRO_VISIT,
    COMMISSIONING_VISIT,
    SERVICE_MANAGER_VISIT,
)
#: Local standards (TS §1 "Local standards on top", 003 10.2 and 10.10): duties of the
#: social worker on top of the schedule, not among DUTY_KINDS (``next_due`` and
#: DISCHARGED_BY are the five kinds of visit; these have their own rules in ``statutory``).
PLACEMENT_DAY_VISIT = "placement_day_visit"
BEDROOM_SEEN = "bedroom_seen"
LOCAL_STANDARD_KINDS: tuple[str, ...] = (PLACEMENT_DAY_VISIT, BEDROOM_SEEN)
#: The visits that may discharge a local standard: the social worker's.
SOCIAL_WORKER_VISIT_KINDS: tuple[str, ...] = ("statutory", "purposeful")

# --- Visit kinds and which duty each discharges (TS Conventions: "the right kind") ----------
VISIT_KINDS: tuple[str, ...] = (
    "statutory",
    "purposeful",
    "iro",
    "commissioning",
    "service_manager",
)
DISCHARGED_BY: Mapping[str, str] = MappingProxyType(
    {
        STATUTORY_VISIT: "statutory",
        PURPOSEFUL_VISIT: "purposeful",
        IRO_VISIT: "iro",
        COMMISSIONING_VISIT: "commissioning",
        SERVICE_MANAGER_VISIT: "service_manager",
    }
)
#: Duties that a LAC review may give the child their own schedule for (TS Conventions).
OVERRIDABLE_KINDS: tuple[str, ...] = (STATUTORY_VISIT, PURPOSEFUL_VISIT, IRO_VISIT)

PROVISION_KINDS: tuple[str, ...] = (
    "in_house_fostering",
    "ifa_fostering",
    "regulated",
    "unregistered",
    "placed_with_parent",
    "adoption",
    "custody",
    "short_breaks",
    "other",
)

# --- Sources cited in Due.source ------------------------------------------------------------
SRC_REG28 = "TS §1: reg. 28 CPPCR 2010 / 003 appendix 'Schedule of Statutory Visits'"
SRC_REG28_PERMANENT = "TS §1: reg. 28 (placement intended to last until 18) / 003 appendix"
SRC_REG24 = "TS §1: reg. 28 (connected person, reg. 24) / 003 11.13 and appendix"
SRC_ICO_PARENT = "TS §1: reg. 28 (interim care order, placed with parent) / 003 appendix"
SRC_REG19 = "TS §1: reg. 28 (placed with parent before assessment, reg. 19)"
SRC_CARE_ORDER_PARENT = "TS §1: reg. 28 (full care order, living with parent) / 003 appendix"
SRC_CUSTODY = "TS §1: reg. 28 (another body decides where the child lives) / 003 appendix"
SRC_ADOPTION = "TS §1: Adoption Agencies Regulations 2005 reg. 36 / 003 appendix"
SRC_SHORT_BREAKS = "TS §1: reg. 48 short breaks / 003 appendix 'Short Breaks'"
SRC_PLACEMENT_DAY = "TS §1 local standards: 003 10.2"
SRC_OFSTED_NOTICE = "TS §1: Ofsted notice for a children's home / 003 appendix"
SRC_BEDROOM = "TS §1 local standards: 003 10.10"
SRC_OVERRIDE = "TS Conventions: child-specific schedule agreed at a LAC review"
SRC_PURPOSEFUL = "TS §2: 000 'Visiting timescales for ALL regulated placements'"
SRC_UNREGISTERED = "TS §3: 000 'Visiting timescales for unregistered placements'"

#: What a placement without a start time says, wherever its start is shown.
START_TIME_NOT_RECORDED = "start time not recorded: treated as the end of the day"


# ============================================================================================
# Facts
# ============================================================================================


@dataclass(frozen=True)
class ScheduleOverride:
    """A child-specific visiting schedule agreed at a LAC review (TS Conventions).

    Exactly one of ``interval_days`` and ``interval_months`` is set. It wins over the
    default schedule once the last qualifying visit is on or after ``agreed_on``.
    """

    interval_days: int | None
    interval_months: int | None
    agreed_by: str
    agreed_on: date

    def __post_init__(self) -> None:
        if (self.interval_days is None) == (self.interval_months is None):
            raise ValueError("set exactly one of interval_days and interval_months")
        interval = self.interval_days if self.interval_days is not None else self.interval_months
        if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
            raise ValueError("the override interval must be a positive int")
        if not self.agreed_by.strip():
            raise ValueError("agreed_by must say who agreed the schedule")

    def next_after(self, d: date) -> date:
        if self.interval_days is not None:
            return add_calendar_days(d, self.interval_days)
        assert self.interval_months is not None
        return add_months(d, self.interval_months)

    def describe(self) -> str:
        if self.interval_days is not None:
            n, unit = self.interval_days, "day"
        else:
            assert self.interval_months is not None
            n, unit = self.interval_months, "month"
        every = f"every {unit}" if n == 1 else f"every {n} {unit}s"
        return f"{every}, agreed by {self.agreed_by} on {fmt(self.agreed_on)}"


@dataclass(frozen=True)
class VisitFact:
    """One recorded visit. ``when`` is a date, or a datetime (naive = Europe/London)."""

    kind: str
    when: datetime | date
    in_person: bool = True
    seen_alone: bool = False
    bedroom_seen: bool = False

    def __post_init__(self) -> None:
        if self.kind not in VISIT_KINDS:
            raise ValueError(f"unknown visit kind {self.kind!r}; expected one of {VISIT_KINDS}")

    @property
    def instant(self) -> datetime | None:
        """The visit's time in Europe/London, or None when only the date is known."""
        return to_london(self.when) if isinstance(self.when, datetime) else None

    @property
    def local_date(self) -> date:
        instant = self.instant
        return instant.date() if instant is not None else self.when

    def _sort_key(self) -> tuple[date, datetime]:
        instant = self.instant
        if instant is None:
            instant = datetime.combine(self.local_date, time.min, LONDON)
        return (self.local_date, instant.astimezone(UTC))


@dataclass(frozen=True, kw_only=True)
class PlacementFacts:
    """One placement of one child. A change of placement is a new PlacementFacts.

    - ``start``: first day of the placement; for "full care order, living with parent"
      the date the order was made; for custody, the start of (or last change to) the
      arrangement.
    - ``end``: last day of the placement, or None while it continues.
    - ``provision_kind``: one of :data:`PROVISION_KINDS`.
    - ``permanent``: agreed as permanent / intended to last until 18 (SSDA903 U1, U4).
    - ``connected_person_temporary``: connected person with temporary approval (reg. 24).
    - ``placed_with_parent_pre_assessment``: placed with a parent before the parent's
      assessment is complete (reg. 19).
    - ``interim_care_order_with_parent``: interim care order, placed with parent under a
      placement-with-parent agreement.
    - ``care_order_made_while_with_parent``: full care order made while the child lived
      with a parent (TS §1 row 'full care order, living with parent').
    - ``first_lac_review``: date of the child's first LAC review, if held.
    - ``start_at``: the time the placement started (naive = Europe/London); its date
      must be ``start``. Without it (903 files carry dates only) the placement is taken
      to start at the end of ``start``, 23:59:59.999999 Europe/London, so that a duty
      counted in hours from it is never due before it could be (seed 000 "within 24
      hours of placement"); see :attr:`start_instant`.
    - ``iro_concerns``: there are concerns about an unregistered placement (TS §3 IRO).
    - ``overrides``: duty kind -> :class:`ScheduleOverride` (only
      :data:`OVERRIDABLE_KINDS`).
    """

    start: date
    end: date | None = None
    provision_kind: str
    permanent: bool = False
    connected_person_temporary: bool = False
    placed_with_parent_pre_assessment: bool = False
    interim_care_order_with_parent: bool = False
    care_order_made_while_with_parent: bool = False
    first_lac_review: date | None = None
    start_at: datetime | None = None
    iro_concerns: bool = False
    overrides: Mapping[str, ScheduleOverride] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if isinstance(self.start, datetime):
            raise TypeError("start is a date; pass the time as start_at")
        if self.provision_kind not in PROVISION_KINDS:
            raise ValueError(
                f"unknown provision kind {self.provision_kind!r}; expected one of {PROVISION_KINDS}"
            )
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        parent_flags = (
            self.placed_with_parent_pre_assessment,
            self.interim_care_order_with_parent,
            self.care_order_made_while_with_parent,
        )
        if sum(parent_flags) > 1:
            raise ValueError("at most one placed-with-parent circumstance applies")
        if any(parent_flags) and self.provision_kind != "placed_with_parent":
            raise ValueError(
                "placed-with-parent circumstances need provision_kind placed_with_parent"
            )
        if self.connected_person_temporary and any(parent_flags):
            raise ValueError("a connected-person placement is not a placement with parent")
        if self.start_at is not None:
            start_at = to_london(self.start_at)
            if start_at.date() != self.start:
                raise ValueError("start_at must fall on the start date (Europe/London)")
            object.__setattr__(self, "start_at", start_at)
        for kind, override in self.overrides.items():
            if kind not in OVERRIDABLE_KINDS:
                raise ValueError(f"no child-specific schedule for {kind!r}")
            if not isinstance(override, ScheduleOverride):
                raise TypeError("overrides maps a duty kind to a ScheduleOverride")
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))

    @property
    def start_instant(self) -> datetime:
        """When the placement started: ``start_at``, else the end of the start day.

        Without a recorded time (903 files carry dates only) the start is the last
        instant of ``start``, 23:59:59.999999 Europe/London: the latest it can have
        started, so 24 hours after it is the end of the next day, the duty's due date
        stays that day (next midnight would put it on the day after), and nobody is
        shown a visit overdue that may not yet be. Seed 000 'Visiting timescales for
        unregistered placements': "Within 24 hours of placement"."""
        if self.start_at is not None:
            return self.start_at
        return datetime.combine(self.start, time.max, LONDON)

    @property
    def start_described(self) -> str:
        """The start in words, saying when no time was recorded (what the basis shows)."""
        if self.start_at is not None:
            return fmt_dt(self.start_at)
        return f"{fmt(self.start)} ({START_TIME_NOT_RECORDED})"


# ============================================================================================
# Helpers
# ============================================================================================


def fmt(d: date) -> str:
    """'3 March 2026'."""
    return f"{d.day} {d:%B %Y}"


def fmt_dt(dt: datetime) -> str:
    """'25 October 2026 at 23:00 GMT'."""
    local = to_london(dt)
    return f"{fmt(local.date())} at {local:%H:%M} {local.tzname()}"


def every_days(n: int) -> str:
    """'Weekly', '6-weekly', 'Every 10 days'."""
    if n == 7:
        return "Weekly"
    if n % 7 == 0:
        return f"{n // 7}-weekly"
    return f"Every {n} days"


def every_months(n: int) -> str:
    """'Monthly', '3-monthly'."""
    return "Monthly" if n == 1 else f"{n}-monthly"


def weekday_label(d: date) -> str:
    return f"{d:%A} {fmt(d)}"


def before_placement(visit: VisitFact, placement: PlacementFacts) -> bool:
    """Made before the placement started (TS §2/§3 'before the placement').

    Compared by time when both times are known, otherwise by date: a visit dated on
    the start day counts as a visit before the placement.
    """
    instant = visit.instant
    if instant is not None and placement.start_at is not None:
        return instant < placement.start_at
    return visit.local_date <= placement.start


def in_placement(visit: VisitFact, placement: PlacementFacts) -> bool:
    """Made while the placement lasted (TS Conventions: earlier visits do not count).

    Compared by time when both times are known, otherwise by date (a visit dated on
    the start day counts).
    """
    instant = visit.instant
    if instant is not None and placement.start_at is not None:
        if instant < placement.start_at:
            return False
    elif visit.local_date < placement.start:
        return False
    return placement.end is None or visit.local_date <= placement.end


@dataclass(frozen=True)
class Context:
    placement: PlacementFacts
    visits: tuple[VisitFact, ...]  # made on or before today, sorted by time
    rules: RuleSet
    held_reviews: tuple[date, ...]  # held on or before today, sorted
    looked_after_since: date | None
    today: date

    def visits_of(self, duty: str) -> list[VisitFact]:
        """Visits of the kind that discharges ``duty``, made during the placement."""
        kind = DISCHARGED_BY[duty]
        return [v for v in self.visits if v.kind == kind and in_placement(v, self.placement)]

    def override_in_force(self, duty: str, on: date) -> ScheduleOverride | None:
        """The child's own schedule for ``duty`` if agreed on or before ``on``."""
        override = self.placement.overrides.get(duty)
        if override is not None and override.agreed_on <= min(on, self.today):
            return override
        return None

    def reviews_in_placement(self) -> list[date]:
        return [r for r in self.held_reviews if r >= self.placement.start]

    def first_review_in_placement(self) -> date | None:
        reviews = self.reviews_in_placement()
        return reviews[0] if reviews else None


def make_context(
    placement: PlacementFacts,
    visits: Sequence[VisitFact],
    rules: RuleSet,
    reviews: Sequence[date],
    looked_after_since: date | None,
    today: date,
) -> Context:
    made = sorted((v for v in visits if v.local_date <= today), key=VisitFact._sort_key)
    held = set(reviews)
    if placement.first_lac_review is not None:
        held.add(placement.first_lac_review)
    # TS §4 counts reviews from the child becoming looked after: reviews before that date
    # belong to an earlier period of care.
    held_reviews = sorted(
        r for r in held if r <= today and (looked_after_since is None or r >= looked_after_since)
    )
    return Context(placement, tuple(made), rules, tuple(held_reviews), looked_after_since, today)


def within_placement(due: Due | None, placement: PlacementFacts) -> Due | None:
    """A duty falling due after the placement has ended never arises in it."""
    if due is None or placement.end is None or due.due <= placement.end:
        return due
    return None


def override_due(kind: str, override: ScheduleOverride, last: date, what: str) -> Due:
    # TS Conventions: "A child-specific override agreed at a LAC review ... wins over the
    # default, and records who agreed it and when."
    return Due(
        kind,
        override.next_after(last),
        None,
        f"Child's own schedule ({override.describe()}): {what} {fmt(last)}",
        SRC_OVERRIDE,
    )
