"""The scheduling engine for statutory and purposeful visits and LAC reviews.

Pure functions of dates and facts: no ORM, no database, no clock. ``today`` (and,
for 24-hour duties, ``now``) is always passed in.

Every rule traces to ``/work/shared/domain/timescales.md`` (cited as "TS" below,
with its section) and through it to a seed document in ``/work/shared/seeds/``:
``000_…`` Kent placement guidance, ``003_…`` Northamptonshire practice standards
(appendix "Schedule of Statutory Visits").

The design is data + pure functions:

- :class:`RuleSet` holds every interval as data, with the TS values as defaults.
- :class:`PlacementFacts`, :class:`VisitFact` and a list of review dates describe
  one placement of one child.
- :func:`next_due` returns the next :class:`Due` of one duty kind (or ``None`` when
  the duty does not apply or a one-off duty is discharged); :func:`schedule`
  returns them for every kind.

General conventions (TS "Conventions"), applied throughout:

- Only visits on or before ``today`` count (a visit dated later has not been made).
- A visit counts for a duty only if its ``kind`` matches the duty (TS: "Only a
  visit of the right kind counts"): ``statutory_visit`` <- ``"statutory"``,
  ``purposeful_visit`` <- ``"purposeful"``, ``iro_visit`` <- ``"iro"``,
  ``commissioning_visit`` <- ``"commissioning"``, ``service_manager_visit`` <-
  ``"service_manager"``. A single visit that was both statutory and purposeful is
  passed in as two ``VisitFact`` objects.
- A visit before the placement started, or after it ended, does not count for it;
  the "before placement" visits of TS §2/§3 are their own requirement, due on the
  start date.
- A missed due date stays overdue (the same ``Due`` keeps being returned) until a
  qualifying visit is recorded; the next due date is then counted from that visit.
- Calendar-day due dates on weekends and bank holidays are not moved.
- Where the interval changes with time, the interval in force on the day of the
  last qualifying visit decides. Child-specific overrides follow the same rule: an
  override agreed on day D decides the next due date once the last qualifying
  visit is on or after D.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, Literal
from zoneinfo import ZoneInfo

from visits.calendar import (
    add_calendar_days,
    add_months,
    add_weeks,
    add_working_days,
    subtract_working_days,
    week_start,
)

LONDON = ZoneInfo("Europe/London")

# --- Duty kinds (a contract with the rest of the product) ---------------------------------
STATUTORY_VISIT = "statutory_visit"
PURPOSEFUL_VISIT = "purposeful_visit"
IRO_VISIT = "iro_visit"
COMMISSIONING_VISIT = "commissioning_visit"
SERVICE_MANAGER_VISIT = "service_manager_visit"
LAC_REVIEW = "lac_review"
DUTY_KINDS: tuple[str, ...] = (
    STATUTORY_VISIT,
    PURPOSEFUL_VISIT,
    IRO_VISIT,
    COMMISSIONING_VISIT,
    SERVICE_MANAGER_VISIT,
    LAC_REVIEW,
)
#: Local standard (TS §1 "Local standards on top", 003 10.10); not one of DUTY_KINDS.
BEDROOM_SEEN = "bedroom_seen"

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

Status = Literal["open", "overdue", "done"]
AlertLevel = Literal["due_soon", "overdue", "overdue_5"]

# --- Sources cited in Due.source ------------------------------------------------------------
SRC_REG28 = "TS §1: reg. 28 CPPCR 2010 / 003 appendix 'Schedule of Statutory Visits'"
SRC_REG28_PERMANENT = "TS §1: reg. 28 (placement intended to last until 18) / 003 appendix"
SRC_REG24 = "TS §1: reg. 28 (connected person, reg. 24) / 003 11.13 and appendix"
SRC_ICO_PARENT = "TS §1: reg. 28 (interim care order, placed with parent) / 003 appendix"
SRC_REG19 = "TS §1: reg. 28 (placed with parent before assessment, reg. 19)"
SRC_CARE_ORDER_PARENT = "TS §1: reg. 28 (full care order, living with parent) / 003 appendix"
SRC_CUSTODY = "TS §1: reg. 28 (another body decides where the child lives) / 003 appendix"
SRC_ADOPTION = "TS §1: Adoption Agencies Regulations 2005 reg. 36 / 003 appendix"
SRC_SHORT_BREAKS = "TS §1: reg. 48 short breaks, schedule agreed with the IRO and parents"
SRC_OFSTED_NOTICE = "TS §1: Ofsted notice for a children's home / 003 appendix"
SRC_BEDROOM = "TS §1 local standards: 003 10.10"
SRC_OVERRIDE = "TS Conventions: child-specific schedule agreed at a LAC review"
SRC_PURPOSEFUL = "TS §2: 000 'Visiting timescales for ALL regulated placements'"
SRC_UNREGISTERED = "TS §3: 000 'Visiting timescales for unregistered placements'"
SRC_LAC_REVIEW = "TS §4: reg. 33 CPPCR 2010"
SRC_REPORT = "TS §4: 003 10.22"


# ============================================================================================
# Rules as data
# ============================================================================================


def _rule(default: int, help_text: str, source: str) -> Any:
    """A RuleSet field: its default, what it means and the line of guidance it comes from."""
    return field(default=default, metadata={"help": help_text, "source": source})


# Fields that may be 0; every other field must be at least 1.
_MAY_BE_ZERO = frozenset(
    {"due_soon_working_days", "overdue_escalation_working_days", "unregistered_min_in_person"}
)


@dataclass(frozen=True)
class RuleSet:
    """Every interval the engine uses, as data an administrator can change.

    Each field's ``metadata`` holds its help text and source line (see
    :meth:`field_help`); the defaults are the values of timescales.md.
    """

    # TS §1 statutory visits (reg. 28; 003 appendix)
    statutory_first_visit_days: int = _rule(
        7,
        "Days from the start of a placement (or of the order or arrangement) by which the "
        "first statutory visit is due ('within 1 week').",
        "TS §1 all rows, 'first visit' column; 003 appendix",
    )
    placement_first_year_months: int = _rule(
        12,
        "Length in calendar months of 'the first year of the placement'.",
        "TS §1 'at least every 6 weeks in the first year of the placement'",
    )
    statutory_interval_first_year_days: int = _rule(
        42,
        "Days between statutory visits in the first year of any placement ('every 6 weeks').",
        "TS §1 row 'any looked-after child, any placement'",
    )
    statutory_interval_after_first_year_days: int = _rule(
        42,
        "Days between statutory visits after the first year, unless the placement is agreed "
        "as permanent ('any other placement stays 6-weekly').",
        "TS §1 row 'placement agreed as permanent': '(any other placement stays 6-weekly…)'",
    )
    statutory_interval_permanent_after_first_year_months: int = _rule(
        3,
        "Months between statutory visits after the first year of a placement agreed as "
        "permanent / intended to last until 18.",
        "TS §1 row 'placement agreed as permanent'; 003 appendix",
    )
    connected_person_weekly_days: int = _rule(
        7,
        "Days between statutory visits to a connected person with temporary approval (reg. 24) "
        "until the first LAC review ('at least weekly').",
        "TS §1 row 'connected person with temporary approval'; 003 11.13",
    )
    connected_person_after_first_review_days: int = _rule(
        28,
        "Days between statutory visits to a connected person with temporary approval after "
        "the first LAC review ('every 4 weeks').",
        "TS §1 row 'connected person with temporary approval'; 003 11.13",
    )
    ico_placement_with_parent_weekly_days: int = _rule(
        7,
        "Days between statutory visits, interim care order placed with parent, until the "
        "first LAC review.",
        "TS §1 row 'interim care order, placed with parent'; 003 appendix",
    )
    ico_placement_with_parent_after_first_review_days: int = _rule(
        28,
        "Days between statutory visits, interim care order placed with parent, after the "
        "first LAC review ('every 4 weeks').",
        "TS §1 row 'interim care order, placed with parent'; 003 appendix",
    )
    placement_with_parent_weekly_days: int = _rule(
        7,
        "Days between statutory visits, placed with a parent before the parent's assessment "
        "is complete (reg. 19), until the first LAC review.",
        "TS §1 row 'placed with a parent before the parent's assessment is complete'",
    )
    placement_with_parent_after_first_review_days: int = _rule(
        42,
        "Days between statutory visits, placed with a parent before assessment (reg. 19), "
        "after the first LAC review ('every 6 weeks').",
        "TS §1 row 'placed with a parent before the parent's assessment is complete'",
    )
    care_order_with_parent_after_first_year_months: int = _rule(
        3,
        "Months between statutory visits after the first year, full care order made while "
        "the child was living with a parent (6-weekly before).",
        "TS §1 row 'full care order, living with parent when the order was made'",
    )
    custody_after_first_year_months: int = _rule(
        3,
        "Months between statutory visits after the first year where another body decides "
        "where the child lives (custody, detention); 6-weekly before.",
        "TS §1 row 'care order, but another body decides where the child lives'; 003 appendix",
    )
    adoption_weekly_days: int = _rule(
        7,
        "Days between statutory visits to a child placed for adoption until the first review "
        "(and after it, until a review decides a frequency).",
        "TS §1 row 'placed for adoption'; AAR 2005 reg. 36; 003 appendix",
    )
    ofsted_notice_visit_days: int = _rule(
        7,
        "Days from an Ofsted notice (cancellation, proceedings, barred admissions) for a "
        "children's home by which every child placed there is visited.",
        "TS §1 row 'Ofsted notice of cancellation of registration'; 003 appendix",
    )
    bedroom_seen_weeks: int = _rule(
        12,
        "Weeks within which the social worker sees the child's bedroom again.",
        "TS §1 local standards; 003 10.10",
    )
    # TS §2 purposeful visits to regulated placements (000)
    purposeful_sw_interval_weeks: int = _rule(
        12,
        "Weeks between the social worker's purposeful visits to a regulated placement.",
        "TS §2 social worker: 'then within every 12 weeks'; 000 regulated placements table",
    )
    purposeful_sw_permanent_interval_months: int = _rule(
        3,
        "Months between the social worker's purposeful visits where the care plan is permanence.",
        "TS §2 social worker: '3-monthly where the care plan is permanence'",
    )
    iro_visits_per_year: int = _rule(
        2,
        "IRO visits a year after the second LAC review (2 = every 6 months from the last "
        "IRO visit).",
        "TS §2 IRO: 'then at least 2 visits a year throughout the placement'",
    )
    # TS §3 unregistered placements (000)
    unregistered_within_hours: int = _rule(
        24,
        "Hours from the start of an unregistered placement by which the social worker visits.",
        "TS §3 social worker: 'within 24 hours of it'",
    )
    unregistered_twice_weekly_months: int = _rule(
        3,
        "Months from the start of an unregistered placement during which visits are twice weekly.",
        "TS §3 social worker: 'twice weekly for the first 3 months'",
    )
    unregistered_visits_per_week: int = _rule(
        2,
        "Visits needed in each Monday-Sunday week during the twice-weekly period.",
        "TS §3 social worker: 'twice weekly'; TS Conventions 'twice weekly'",
    )
    unregistered_min_in_person: int = _rule(
        1,
        "Of the weekly visits, how many must be in person ('one of the two may be virtual').",
        "TS §3 social worker: '(one of the two may be virtual)'",
    )
    commissioning_visit_days: int = _rule(
        10,
        "Days from the start of an unregistered placement by which CIC commissioning visits.",
        "TS §3 CIC commissioning: 'within 10 days of placement'",
    )
    service_manager_visit_months: int = _rule(
        1,
        "Months from the start of an unregistered placement by which the service manager "
        "visits the child.",
        "TS §3 service manager: 'visits the child within 1 month of placement'",
    )
    iro_unregistered_concern_days: int = _rule(
        14,
        "Days from the start of an unregistered placement by which the IRO visits where "
        "there are concerns.",
        "TS §3 IRO: 'within 2 weeks of placement where there are concerns'",
    )
    # TS §4 LAC reviews (reg. 33; 003 10.22)
    lac_review_first_working_days: int = _rule(
        20,
        "Working days from the child becoming looked after to the first LAC review.",
        "TS §4: 'First review within 20 working days of the child becoming looked after'",
    )
    lac_review_second_months: int = _rule(
        3,
        "Months from the first LAC review to the second.",
        "TS §4: 'second within 3 months of the first'",
    )
    lac_review_subsequent_months: int = _rule(
        6,
        "Maximum months between later LAC reviews.",
        "TS §4: 'then at intervals of not more than 6 months'",
    )
    report_before_initial_review_working_days: int = _rule(
        3,
        "Working days before an initial LAC review by which the social worker's report "
        "reaches the IRO.",
        "TS §4: '3 working days before an initial review'; 003 10.22",
    )
    report_before_later_review_working_days: int = _rule(
        5,
        "Working days before a later LAC review by which the report reaches the IRO.",
        "TS §4: '5 working days before a later one'; 003 10.22",
    )
    # Alerts (product settings, not statutory)
    due_soon_working_days: int = _rule(
        3,
        "A duty is 'due soon' from this many working days before its due date.",
        "Product setting (alerts); not a statutory timescale",
    )
    overdue_escalation_working_days: int = _rule(
        5,
        "A duty is 'overdue_5' (escalate) once this many working days past its due date.",
        "Product setting (alerts); not a statutory timescale",
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"RuleSet.{f.name} must be an int, not {value!r}")
            minimum = 0 if f.name in _MAY_BE_ZERO else 1
            if value < minimum:
                raise ValueError(f"RuleSet.{f.name} must be at least {minimum}, not {value}")
        if self.unregistered_min_in_person > self.unregistered_visits_per_week:
            raise ValueError("unregistered_min_in_person exceeds unregistered_visits_per_week")

    @classmethod
    def defaults(cls) -> RuleSet:
        """The values shipped with the product (timescales.md)."""
        return cls()

    @classmethod
    def field_help(cls) -> dict[str, tuple[str, str]]:
        """``{field name: (help text, source)}`` for every rule, in declaration order."""
        return {f.name: (f.metadata["help"], f.metadata["source"]) for f in fields(cls)}


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
        return f"{every}, agreed by {self.agreed_by} on {_fmt(self.agreed_on)}"


def _to_london(dt: datetime) -> datetime:
    """Naive datetimes are London wall-clock times; aware ones are converted."""
    return dt.replace(tzinfo=LONDON) if dt.tzinfo is None else dt.astimezone(LONDON)


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
        return _to_london(self.when) if isinstance(self.when, datetime) else None

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
      must be ``start``. Without it the placement starts at 00:00 on ``start``.
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
            start_at = _to_london(self.start_at)
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
        """When the placement started: ``start_at``, else 00:00 Europe/London on ``start``."""
        if self.start_at is not None:
            return self.start_at
        return datetime.combine(self.start, time.min, LONDON)


@dataclass(frozen=True)
class Due:
    """The next due date of one duty.

    ``due`` is the last day on which the duty is met; it is overdue from the day
    after. For twice-weekly weeks ``due`` is the Sunday of the week (overdue from
    the Monday after). ``due_at`` is set only for "within 24 hours" duties (aware,
    Europe/London), and then ``due`` is its local date.
    """

    kind: str
    due: date
    due_at: datetime | None
    basis: str
    source: str


# ============================================================================================
# Helpers
# ============================================================================================


def _fmt(d: date) -> str:
    """'3 March 2026'."""
    return f"{d.day} {d:%B %Y}"


def _fmt_dt(dt: datetime) -> str:
    """'25 October 2026 at 23:00 GMT'."""
    local = _to_london(dt)
    return f"{_fmt(local.date())} at {local:%H:%M} {local.tzname()}"


def _every_days(n: int) -> str:
    """'Weekly', '6-weekly', 'Every 10 days'."""
    if n == 7:
        return "Weekly"
    if n % 7 == 0:
        return f"{n // 7}-weekly"
    return f"Every {n} days"


def _every_months(n: int) -> str:
    """'Monthly', '3-monthly'."""
    return "Monthly" if n == 1 else f"{n}-monthly"


def _weekday(d: date) -> str:
    return f"{d:%A} {_fmt(d)}"


def _before_placement(visit: VisitFact, placement: PlacementFacts) -> bool:
    """Made before the placement started (TS §2/§3 'before the placement').

    Compared by time when both times are known, otherwise by date: a visit dated on
    the start day counts as a visit before the placement.
    """
    instant = visit.instant
    if instant is not None and placement.start_at is not None:
        return instant < placement.start_at
    return visit.local_date <= placement.start


def _in_placement(visit: VisitFact, placement: PlacementFacts) -> bool:
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
class _Context:
    placement: PlacementFacts
    visits: tuple[VisitFact, ...]  # made on or before today, sorted by time
    rules: RuleSet
    held_reviews: tuple[date, ...]  # held on or before today, sorted
    looked_after_since: date | None
    today: date

    def visits_of(self, duty: str) -> list[VisitFact]:
        """Visits of the kind that discharges ``duty``, made during the placement."""
        kind = DISCHARGED_BY[duty]
        return [v for v in self.visits if v.kind == kind and _in_placement(v, self.placement)]

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


def _make_context(
    placement: PlacementFacts,
    visits: Sequence[VisitFact],
    rules: RuleSet,
    reviews: Sequence[date],
    looked_after_since: date | None,
    today: date,
) -> _Context:
    made = sorted((v for v in visits if v.local_date <= today), key=VisitFact._sort_key)
    held = set(reviews)
    if placement.first_lac_review is not None:
        held.add(placement.first_lac_review)
    # TS §4 counts reviews from the child becoming looked after: reviews before that date
    # belong to an earlier period of care.
    held_reviews = sorted(
        r for r in held if r <= today and (looked_after_since is None or r >= looked_after_since)
    )
    return _Context(placement, tuple(made), rules, tuple(held_reviews), looked_after_since, today)


def _within_placement(due: Due | None, placement: PlacementFacts) -> Due | None:
    """A duty falling due after the placement has ended never arises in it."""
    if due is None or placement.end is None or due.due <= placement.end:
        return due
    return None


def _override_due(kind: str, override: ScheduleOverride, last: date, what: str) -> Due:
    # TS Conventions: "A child-specific override agreed at a LAC review ... wins over the
    # default, and records who agreed it and when."
    return Due(
        kind,
        override.next_after(last),
        None,
        f"Child's own schedule ({override.describe()}): {what} {_fmt(last)}",
        SRC_OVERRIDE,
    )


# ============================================================================================
# TS §1 statutory visits
# ============================================================================================


def _statutory_circumstance(p: PlacementFacts) -> str:
    """Which row of TS §1 applies (most specific first)."""
    if p.provision_kind == "short_breaks":
        return "short_breaks"
    if p.provision_kind == "adoption":
        return "adoption"
    if p.provision_kind == "custody":
        return "custody"
    if p.connected_person_temporary:
        return "connected_person"
    if p.interim_care_order_with_parent:
        return "ico_with_parent"
    if p.placed_with_parent_pre_assessment:
        return "reg19_with_parent"
    if p.care_order_made_while_with_parent:
        return "care_order_with_parent"
    if p.permanent:
        return "permanent"
    return "default"


_FIRST_VISIT: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # circumstance: (the event the first visit is counted from, source)
        "default": ("the start of the placement", SRC_REG28),
        "permanent": ("the start of the placement", SRC_REG28_PERMANENT),
        "connected_person": ("the start of the placement", SRC_REG24),
        "ico_with_parent": ("the start of the placement", SRC_ICO_PARENT),
        "reg19_with_parent": ("the start of the placement", SRC_REG19),
        "care_order_with_parent": ("the care order", SRC_CARE_ORDER_PARENT),
        "custody": (
            "the start of the arrangement (a change to it is a new placement)",
            SRC_CUSTODY,
        ),
        "adoption": ("the placement", SRC_ADOPTION),
    }
)


def _statutory(ctx: _Context) -> Due | None:
    p, r = ctx.placement, ctx.rules
    circumstance = _statutory_circumstance(p)
    visits = ctx.visits_of(STATUTORY_VISIT)

    if circumstance == "short_breaks":
        # TS §1 short breaks row: "the reg. 28 schedule does not apply: visits at intervals
        # agreed with the IRO and the parents, recorded as the child's own schedule".
        override = ctx.override_in_force(STATUTORY_VISIT, ctx.today)
        if override is None:
            return None
        if visits:
            last, what = visits[-1].local_date, "last statutory visit"
        else:
            last, what = p.start, "counted from the start of the placement on"
        return Due(
            STATUTORY_VISIT,
            override.next_after(last),
            None,
            f"Short breaks, the child's own schedule ({override.describe()}): {what} {_fmt(last)}",
            SRC_SHORT_BREAKS,
        )

    if not visits:
        # TS §1 'first visit' column: "within 1 week of the start of every placement"
        # (of the order / of the arrangement / of the placement for adoption).
        event, source = _FIRST_VISIT[circumstance]
        days = r.statutory_first_visit_days
        return Due(
            STATUTORY_VISIT,
            add_calendar_days(p.start, days),
            None,
            f"First visit within {days} days of {event} on {_fmt(p.start)}",
            source,
        )

    last = visits[-1].local_date
    override = ctx.override_in_force(STATUTORY_VISIT, last)
    if override is not None:
        return _override_due(STATUTORY_VISIT, override, last, "last statutory visit")

    # TS Conventions: the interval in force on the day of the last qualifying visit decides.
    first_year_end = add_months(p.start, r.placement_first_year_months)
    in_first_year = last < first_year_end
    first_review = ctx.first_review_in_placement()
    before_first_review = first_review is None or last < first_review
    since = f"last statutory visit {_fmt(last)}"

    def due(days: int | None, months: int | None, basis: str, source: str) -> Due:
        when = add_calendar_days(last, days) if days is not None else add_months(last, months or 0)
        return Due(STATUTORY_VISIT, when, None, f"{basis}: {since}", source)

    def after_review(label: str) -> str:
        assert first_review is not None  # only called once the first review is held
        return f"{label} after the first LAC review on {_fmt(first_review)}"

    if circumstance in ("connected_person", "ico_with_parent", "reg19_with_parent"):
        # TS §1 rows: connected person (reg. 24), ICO placed with parent, reg. 19:
        # "at least weekly until the first LAC review, then at least every 4 / 4 / 6 weeks".
        weekly, after, source, who = {
            "connected_person": (
                r.connected_person_weekly_days,
                r.connected_person_after_first_review_days,
                SRC_REG24,
                "connected person with temporary approval",
            ),
            "ico_with_parent": (
                r.ico_placement_with_parent_weekly_days,
                r.ico_placement_with_parent_after_first_review_days,
                SRC_ICO_PARENT,
                "interim care order, placed with parent",
            ),
            "reg19_with_parent": (
                r.placement_with_parent_weekly_days,
                r.placement_with_parent_after_first_review_days,
                SRC_REG19,
                "placed with parent before assessment",
            ),
        }[circumstance]
        if before_first_review:
            return due(
                weekly, None, f"{_every_days(weekly)} until the first LAC review ({who})", source
            )
        return due(after, None, after_review(f"{_every_days(after)} ({who})"), source)

    if circumstance == "adoption":
        # TS §1 adoption row: "at least weekly until the first review, then as decided at
        # each review" - the decision is the override above; without one the weekly
        # minimum is kept.
        weekly = r.adoption_weekly_days
        if before_first_review:
            return due(weekly, None, f"{_every_days(weekly)} until the first review", SRC_ADOPTION)
        return due(
            weekly,
            None,
            after_review(f"{_every_days(weekly)}")
            + ": no frequency decided at a review is recorded, so the weekly minimum is kept",
            SRC_ADOPTION,
        )

    if in_first_year:
        # TS §1 row 'any placement': "at least every 6 weeks in the first year" (also
        # 'full care order, living with parent' and custody: 6-weekly in the first year).
        days = r.statutory_interval_first_year_days
        source = {
            "care_order_with_parent": SRC_CARE_ORDER_PARENT,
            "custody": SRC_CUSTODY,
            "permanent": SRC_REG28_PERMANENT,
        }.get(circumstance, SRC_REG28)
        return due(
            days,
            None,
            f"{_every_days(days)} in the first year of the placement",
            source,
        )

    after_year = f"after the first year of the placement (ended {_fmt(first_year_end)})"
    if circumstance == "permanent":
        # TS §1 row 'placement agreed as permanent': "after the first year: at least every
        # 3 months".
        months = r.statutory_interval_permanent_after_first_year_months
        return due(
            None,
            months,
            f"{_every_months(months)} {after_year}, placement agreed as permanent",
            SRC_REG28_PERMANENT,
        )
    if circumstance == "care_order_with_parent":
        # TS §1 row 'full care order, living with parent': "then at least every 3 months".
        months = r.care_order_with_parent_after_first_year_months
        return due(
            None,
            months,
            f"{_every_months(months)} {after_year} (care order, living with parent)",
            SRC_CARE_ORDER_PARENT,
        )
    if circumstance == "custody":
        # TS §1 custody row: "at least every 3 months after the first year".
        months = r.custody_after_first_year_months
        return due(
            None,
            months,
            f"{_every_months(months)} {after_year} (another body decides where the child lives)",
            SRC_CUSTODY,
        )
    # TS §1 row 'placement agreed as permanent': "(any other placement stays 6-weekly after
    # its first year)".
    days = r.statutory_interval_after_first_year_days
    return due(
        days,
        None,
        f"{_every_days(days)} {after_year}, placement not agreed as permanent",
        SRC_REG28,
    )


def ofsted_notice_visit_due(notice_date: date, rules: RuleSet) -> date:
    """Visit every child placed in the children's home within 1 week of the notice.

    TS §1 row 'Ofsted notice of cancellation of registration, proceedings, or barred
    admissions for a children's home'.
    """
    return add_calendar_days(notice_date, rules.ofsted_notice_visit_days)


def bedroom_seen_due(
    placement: PlacementFacts,
    visits: Sequence[VisitFact],
    rules: RuleSet,
    *,
    today: date,
) -> Due | None:
    """When the social worker next needs to see the child's bedroom (kind ``bedroom_seen``).

    TS §1 local standards (003 10.10): "see the child's bedroom at least every 12
    weeks". Counted from the start of the placement, then from the last statutory or
    purposeful visit (both are the social worker's) on which the bedroom was seen.
    None for short breaks and custody, where the child does not live in a placement
    the authority chose.
    """
    if placement.provision_kind in ("short_breaks", "custody"):
        return None
    seen = [
        v
        for v in sorted(visits, key=VisitFact._sort_key)
        if v.kind in ("statutory", "purposeful")
        and v.bedroom_seen
        and v.local_date <= today
        and _in_placement(v, placement)
    ]
    weeks = rules.bedroom_seen_weeks
    if seen:
        base, what = seen[-1].local_date, "bedroom last seen"
    else:
        base, what = placement.start, "placement started"
    due = Due(
        BEDROOM_SEEN,
        add_weeks(base, weeks),
        None,
        f"See the child's bedroom at least every {weeks} weeks: {what} {_fmt(base)}",
        SRC_BEDROOM,
    )
    return _within_placement(due, placement)


def statutory_visits_not_seen_alone(
    placement: PlacementFacts, visits: Sequence[VisitFact], *, today: date
) -> list[VisitFact]:
    """Statutory visits in the placement where the child was not seen alone.

    TS §1 local standards (003 10.10): "see the child alone at each statutory visit, or
    record why not" - each of these needs a recorded reason.
    """
    return [
        v
        for v in sorted(visits, key=VisitFact._sort_key)
        if v.kind == "statutory"
        and not v.seen_alone
        and v.local_date <= today
        and _in_placement(v, placement)
    ]


# ============================================================================================
# TS §2 purposeful visits (regulated) and TS §3 (unregistered, social worker)
# ============================================================================================


def _before_placement_due(ctx: _Context, source: str) -> Due:
    p = ctx.placement
    return Due(
        PURPOSEFUL_VISIT,
        p.start,
        None,
        f"A visit before the placement starts on {_fmt(p.start)}",
        source,
    )


def _purposeful(ctx: _Context) -> Due | None:
    p, r = ctx.placement, ctx.rules
    if p.provision_kind == "unregistered":
        return _unregistered_social_worker(ctx)
    if p.provision_kind != "regulated":
        # TS §2: "Mandatory for regulated placements except in-house foster care and
        # independent fostering agencies."
        return None

    purposeful = [v for v in ctx.visits if v.kind == "purposeful"]
    before = [v for v in purposeful if _before_placement(v, p)]
    in_placement = ctx.visits_of(PURPOSEFUL_VISIT)
    if not before and not in_placement:
        # TS §2 social worker: "a visit before the placement starts" (due on the start
        # date; once missed, the first visit in the placement discharges it late).
        return _before_placement_due(ctx, SRC_PURPOSEFUL)

    if in_placement:
        last, what = in_placement[-1].local_date, "last purposeful visit"
    else:
        last, what = p.start, "placement started"
    override = ctx.override_in_force(PURPOSEFUL_VISIT, last)
    if override is not None:
        # TS §2: "May be made more frequent at the first LAC review."
        return _override_due(PURPOSEFUL_VISIT, override, last, what)
    if p.permanent:
        # TS §2 social worker: "3-monthly where the care plan is permanence".
        months = r.purposeful_sw_permanent_interval_months
        return Due(
            PURPOSEFUL_VISIT,
            add_months(last, months),
            None,
            f"{_every_months(months)}, care plan of permanence: {what} {_fmt(last)}",
            SRC_PURPOSEFUL,
        )
    # TS §2 social worker: "then within every 12 weeks".
    weeks = r.purposeful_sw_interval_weeks
    return Due(
        PURPOSEFUL_VISIT,
        add_weeks(last, weeks),
        None,
        f"Within every {weeks} weeks: {what} {_fmt(last)}",
        SRC_PURPOSEFUL,
    )


def _twice_weekly_weeks(start: date, window_end: date) -> list[date]:
    """Mondays of the weeks under the twice-weekly rule.

    Every Monday-Sunday week beginning on or after the start date and before the end
    of the first 3 months. A part-week at the start of the placement is covered by
    the before-placement and 24-hour visits instead.
    """
    monday = start if start.weekday() == 0 else week_start(start) + timedelta(days=7)
    mondays = []
    while monday < window_end:
        mondays.append(monday)
        monday += timedelta(days=7)
    return mondays


def _unregistered_social_worker(ctx: _Context) -> Due:
    """TS §3 social worker / personal adviser: "before the placement; within 24 hours of
    it; twice weekly for the first 3 months (one of the two may be virtual); after that,
    as agreed at the LAC review". Visits are purposeful visits (recorded on the
    Purposeful Visiting Form, 000).
    """
    p, r = ctx.placement, ctx.rules
    purposeful = [v for v in ctx.visits if v.kind == "purposeful"]
    before = [v for v in purposeful if _before_placement(v, p)]
    in_placement = ctx.visits_of(PURPOSEFUL_VISIT)

    # 1. "before the placement": due on the start date.
    if not before and not in_placement:
        return _before_placement_due(ctx, SRC_UNREGISTERED)
    # The visit that met the before-placement requirement cannot also be the 24-hour
    # visit (a visit dated on the start day may count as both before and in placement).
    before_visit = before[0] if before else None
    after_start = [v for v in in_placement if v is not before_visit]

    # 2. "within 24 hours of it": a datetime, 24 elapsed hours (across clock changes).
    if not after_start:
        hours = r.unregistered_within_hours
        due_at = (p.start_instant.astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)
        return Due(
            PURPOSEFUL_VISIT,
            due_at.date(),
            due_at,
            f"Within {hours} hours of the placement starting {_fmt_dt(p.start_instant)}: "
            f"by {_fmt_dt(due_at)}",
            SRC_UNREGISTERED,
        )

    # 3. "twice weekly for the first 3 months": TS Conventions "at least two qualifying
    # visits in each calendar week (Monday to Sunday); a week with fewer is overdue from
    # the Monday after it". Due = the Sunday of the first week lacking them that has not
    # since been followed by a visit.
    months = r.unregistered_twice_weekly_months
    window_end = add_months(p.start, months)
    needed, in_person_needed = r.unregistered_visits_per_week, r.unregistered_min_in_person
    for monday in _twice_weekly_weeks(p.start, window_end):
        sunday = monday + timedelta(days=6)
        week = [v for v in after_start if monday <= v.local_date <= sunday]
        in_person = sum(1 for v in week if v.in_person)
        if len(week) >= needed and in_person >= in_person_needed:
            continue
        if any(v.local_date > sunday for v in after_start):
            continue  # a missed week stays missed; the next visit ends its overdue state
        return Due(
            PURPOSEFUL_VISIT,
            sunday,
            None,
            f"At least {needed} visits a week ({in_person_needed} in person) for the first "
            f"{months} months, to {_fmt(add_calendar_days(window_end, -1))}: the week "
            f"beginning {_weekday(monday)} has {len(week)} ({in_person} in person); "
            f"due by {_weekday(sunday)}, overdue from {_weekday(sunday + timedelta(days=1))}",
            SRC_UNREGISTERED,
        )

    # 4. "after that, as agreed at the LAC review": the child's own schedule, else the
    # reg. 28 statutory schedule (TS §1 'any placement' / 'permanent' rows).
    last = after_start[-1].local_date
    override = ctx.override_in_force(PURPOSEFUL_VISIT, last)
    if override is not None:
        return _override_due(PURPOSEFUL_VISIT, override, last, "last purposeful visit")
    first_year_end = add_months(p.start, r.placement_first_year_months)
    prefix = (
        f"After the first {months} months no schedule agreed at a LAC review is recorded, "
        "so the reg. 28 schedule applies"
    )
    if last < first_year_end:
        days = r.statutory_interval_first_year_days
        when = add_calendar_days(last, days)
        rule = f"{_every_days(days).lower()} in the first year of the placement"
    elif p.permanent:
        m = r.statutory_interval_permanent_after_first_year_months
        when = add_months(last, m)
        rule = f"{_every_months(m).lower()} after the first year, placement agreed as permanent"
    else:
        days = r.statutory_interval_after_first_year_days
        when = add_calendar_days(last, days)
        rule = f"{_every_days(days).lower()} after the first year"
    return Due(
        PURPOSEFUL_VISIT,
        when,
        None,
        f"{prefix} ({rule}): last purposeful visit {_fmt(last)}",
        f"{SRC_UNREGISTERED}; {SRC_REG28}",
    )


# ============================================================================================
# IRO visits (TS §2 regulated, TS §3 unregistered)
# ============================================================================================


@dataclass(frozen=True)
class _Requirement:
    due: date
    after: date | None  # only visits strictly after this date count (None: whole placement)
    basis: str
    source: str


def _first_unmet(requirements: Sequence[_Requirement], visit_dates: Sequence[date]) -> int | None:
    """Index of the first requirement neither met nor discharged late, else None."""
    for i, req in enumerate(requirements):
        met = any((req.after is None or d > req.after) and d <= req.due for d in visit_dates)
        late = any(d > req.due for d in visit_dates)
        if not met and not late:
            return i
    return None


def _projected_reviews(ctx: _Context) -> tuple[date, date]:
    """The next LAC review due and the one after it (TS §4)."""
    nxt = _lac_review(ctx).due
    held = len(ctx.held_reviews)
    r = ctx.rules
    months = r.lac_review_second_months if held == 0 else r.lac_review_subsequent_months
    return nxt, add_months(nxt, months)


def _iro(ctx: _Context) -> Due | None:
    p, r = ctx.placement, ctx.rules
    if p.provision_kind not in ("regulated", "unregistered"):
        # TS §2 (regulated placements, not in-house or IFA) and TS §3 (unregistered).
        return None
    visit_dates = [v.local_date for v in ctx.visits_of(IRO_VISIT)]
    if visit_dates:
        override = ctx.override_in_force(IRO_VISIT, visit_dates[-1])
        if override is not None:
            return _override_due(IRO_VISIT, override, visit_dates[-1], "last IRO visit")

    held = ctx.reviews_in_placement()
    nxt, after_next = _projected_reviews(ctx)
    reqs: list[_Requirement] = []

    if p.provision_kind == "regulated":
        # TS §2 IRO: "before the first LAC review; before the second LAC review; then at
        # least 2 visits a year throughout the placement". Reviews are those of this
        # placement (held on or after its start); a review not yet held is the next due.
        source = SRC_PURPOSEFUL
        first, how_first = (held[0], "held") if held else (nxt, "due")
        reqs.append(
            _Requirement(
                first,
                None,
                f"Before the first LAC review in this placement ({how_first} {_fmt(first)})",
                source,
            )
        )
        if held:
            second, how_second = (held[1], "held") if len(held) > 1 else (nxt, "due")
            reqs.append(
                _Requirement(
                    second,
                    held[0],
                    f"Before the second LAC review in this placement ({how_second} {_fmt(second)})",
                    source,
                )
            )
        idx = _first_unmet(reqs, visit_dates)
        if idx is not None:
            req = reqs[idx]
            return Due(IRO_VISIT, req.due, None, req.basis, req.source)
        if not held:
            # Visited before the first review, which is not yet held: the next visit is
            # before the second review, projected from the first review's due date.
            return Due(
                IRO_VISIT,
                after_next,
                None,
                f"Before the second LAC review in this placement (projected "
                f"{_fmt(after_next)}, as the first is due {_fmt(nxt)}); the first is met",
                source,
            )
        last = visit_dates[-1]
        per_year = r.iro_visits_per_year
        if 12 % per_year == 0:
            due = add_months(last, 12 // per_year)
        else:
            due = add_calendar_days(last, 365 // per_year)
        return Due(
            IRO_VISIT,
            due,
            None,
            f"At least {per_year} visits a year once the visits before the first and second "
            f"LAC reviews are made: last IRO visit {_fmt(last)}",
            source,
        )

    # Unregistered (TS §3 IRO): "within 2 weeks of placement where there are concerns,
    # otherwise before the first LAC review; then before every LAC review".
    source = SRC_UNREGISTERED
    if p.iro_concerns:
        days = r.iro_unregistered_concern_days
        reqs.append(
            _Requirement(
                add_calendar_days(p.start, days),
                None,
                f"Within {days} days of the placement starting on {_fmt(p.start)} "
                "(concerns recorded)",
                source,
            )
        )
    previous = None
    for review in held:
        reqs.append(
            _Requirement(review, previous, f"Before the LAC review held {_fmt(review)}", source)
        )
        previous = review
    reqs.append(
        _Requirement(nxt, previous, f"Before the next LAC review (due {_fmt(nxt)})", source)
    )
    reqs.append(
        _Requirement(
            after_next,
            nxt,
            f"Before the LAC review after next (projected {_fmt(after_next)})",
            source,
        )
    )
    reqs.sort(key=lambda q: q.due)
    idx = _first_unmet(reqs, visit_dates)
    req = reqs[-1] if idx is None else reqs[idx]
    return Due(IRO_VISIT, req.due, None, req.basis, req.source)


# ============================================================================================
# TS §3 commissioning and service manager visits
# ============================================================================================


def _one_off_unregistered(ctx: _Context, kind: str) -> Due | None:
    p, r = ctx.placement, ctx.rules
    if p.provision_kind != "unregistered":
        return None  # TS §3 applies to unregistered placements only
    if ctx.visits_of(kind):
        return None  # a one-off duty, discharged by any visit of its kind in the placement
    if kind == COMMISSIONING_VISIT:
        # TS §3 CIC commissioning: "within 10 days of placement".
        days = r.commissioning_visit_days
        return Due(
            kind,
            add_calendar_days(p.start, days),
            None,
            f"CIC commissioning visit within {days} days of the placement starting on "
            f"{_fmt(p.start)}",
            SRC_UNREGISTERED,
        )
    # TS §3 service manager: "visits the child within 1 month of placement".
    months = r.service_manager_visit_months
    return Due(
        kind,
        add_months(p.start, months),
        None,
        f"Service manager visits the child within {months} month{'s' if months != 1 else ''} "
        f"of the placement starting on {_fmt(p.start)}",
        SRC_UNREGISTERED,
    )


# ============================================================================================
# TS §4 LAC reviews
# ============================================================================================


def _lac_review(ctx: _Context) -> Due:
    r = ctx.rules
    held = ctx.held_reviews
    if not held:
        # TS §4: "First review within 20 working days of the child becoming looked after".
        n = r.lac_review_first_working_days
        if ctx.looked_after_since is not None:
            base = ctx.looked_after_since
            basis = f"becoming looked after on {_fmt(base)}"
        else:
            base = ctx.placement.start
            basis = (
                "becoming looked after (date not given: counted from the placement start on "
                f"{_fmt(base)})"
            )
        return Due(
            LAC_REVIEW,
            add_working_days(base, n),
            None,
            f"First LAC review within {n} working days of {basis}",
            SRC_LAC_REVIEW,
        )
    if len(held) == 1:
        # TS §4: "second within 3 months of the first".
        months = r.lac_review_second_months
        return Due(
            LAC_REVIEW,
            add_months(held[0], months),
            None,
            f"Second LAC review within {months} months of the first on {_fmt(held[0])}",
            SRC_LAC_REVIEW,
        )
    # TS §4: "then at intervals of not more than 6 months".
    months = r.lac_review_subsequent_months
    return Due(
        LAC_REVIEW,
        add_months(held[-1], months),
        None,
        f"LAC review not more than {months} months after the previous on {_fmt(held[-1])}",
        SRC_LAC_REVIEW,
    )


def review_report_due(review_date: date, is_initial: bool, rules: RuleSet) -> date:
    """When the social worker's report must reach the IRO before a LAC review.

    TS §4 / 003 10.22: "3 working days before an initial review and 5 working days
    before a later one".
    """
    n = (
        rules.report_before_initial_review_working_days
        if is_initial
        else rules.report_before_later_review_working_days
    )
    return subtract_working_days(review_date, n)


# ============================================================================================
# Public API
# ============================================================================================


def next_due(
    kind: str,
    placement: PlacementFacts,
    visits: Sequence[VisitFact],
    rules: RuleSet,
    *,
    reviews: Sequence[date] = (),
    looked_after_since: date | None = None,
    today: date,
) -> Due | None:
    """The next due date of duty ``kind`` for this placement, or None.

    None when the duty does not apply to the placement, when a one-off duty
    (commissioning, service manager) has been discharged, or when the due date falls
    after the placement ended. ``reviews`` are the dates of the child's LAC reviews
    held (dates after ``today`` are ignored; ``placement.first_lac_review`` is
    included). ``lac_review`` is a duty of the child, not of the placement.
    """
    if kind not in DUTY_KINDS:
        raise ValueError(f"unknown duty kind {kind!r}; expected one of {DUTY_KINDS}")
    ctx = _make_context(placement, visits, rules, reviews, looked_after_since, today)
    if kind == LAC_REVIEW:
        return _lac_review(ctx)
    if kind == STATUTORY_VISIT:
        due = _statutory(ctx)
    elif kind == PURPOSEFUL_VISIT:
        due = _purposeful(ctx)
    elif kind == IRO_VISIT:
        due = _iro(ctx)
    else:
        due = _one_off_unregistered(ctx, kind)
    return _within_placement(due, placement)


def schedule(
    placement: PlacementFacts,
    visits: Sequence[VisitFact],
    rules: RuleSet,
    *,
    reviews: Sequence[date] = (),
    looked_after_since: date | None = None,
    today: date,
) -> list[Due]:
    """:func:`next_due` for every duty kind that applies, in :data:`DUTY_KINDS` order."""
    result = []
    for kind in DUTY_KINDS:
        due = next_due(
            kind,
            placement,
            visits,
            rules,
            reviews=reviews,
            looked_after_since=looked_after_since,
            today=today,
        )
        if due is not None:
            result.append(due)
    return result


def status(due: Due, on: date, done_on: date | None, *, now: datetime | None = None) -> Status:
    """``"done"`` if a qualifying visit was made on or before ``on``; else ``"overdue"``
    once ``on`` is after ``due.due`` (or, for a 24-hour duty with ``now`` given, once
    ``now`` is after ``due.due_at``); else ``"open"``.
    """
    if done_on is not None:
        done_date = _to_london(done_on).date() if isinstance(done_on, datetime) else done_on
        if done_date <= on:
            return "done"
    if due.due_at is not None and now is not None:
        return "overdue" if _to_london(now) > due.due_at else "open"
    return "overdue" if on > due.due else "open"


def alert_level(
    due: Due, today: date, rules: RuleSet, *, now: datetime | None = None
) -> AlertLevel | None:
    """``"due_soon"`` from 3 working days before the due date; ``"overdue"`` after it;
    ``"overdue_5"`` once 5 working days past it (the numbers come from ``rules``).
    """
    if due.due_at is not None and now is not None:
        overdue = _to_london(now) > due.due_at
    else:
        overdue = today > due.due
    if overdue:
        if today >= add_working_days(due.due, rules.overdue_escalation_working_days):
            return "overdue_5"
        return "overdue"
    if today >= subtract_working_days(due.due, rules.due_soon_working_days):
        return "due_soon"
    return None
