"""TS §1: statutory visits by the social worker (reg. 28 CPPCR 2010; 003 appendix
"Schedule of Statutory Visits"), by circumstance, and the local standards on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType

from duties.calendar import add_calendar_days, add_months, add_weeks

from .facts import (
    BEDROOM_SEEN,
    PLACEMENT_DAY_VISIT,
    SOCIAL_WORKER_VISIT_KINDS,
    SRC_ADOPTION,
    SRC_BEDROOM,
    SRC_CARE_ORDER_PARENT,
    SRC_CUSTODY,
    SRC_ICO_PARENT,
    SRC_PLACEMENT_DAY,
    SRC_REG19,
    SRC_REG24,
    SRC_REG28,
    SRC_REG28_PERMANENT,
    SRC_SHORT_BREAKS,
    STATUTORY_VISIT,
    Context,
    Due,
    PlacementFacts,
    VisitFact,
    every_days,
    every_months,
    fmt,
    in_placement,
    override_due,
    within_placement,
)
from .ruleset import RuleSet


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


def statutory_due(ctx: Context) -> Due | None:
    p, r = ctx.placement, ctx.rules
    circumstance = _statutory_circumstance(p)
    visits = ctx.visits_of(STATUTORY_VISIT)

    if circumstance == "short_breaks":
        return _short_breaks_due(ctx, visits)

    if not visits:
        # TS §1 'first visit' column: "within 1 week of the start of every placement"
        # (of the order / of the arrangement / of the placement for adoption).
        event, source = _FIRST_VISIT[circumstance]
        days = r.statutory_first_visit_days
        return Due(
            STATUTORY_VISIT,
            add_calendar_days(p.start, days),
            None,
            f"First visit within {days} days of {event} on {fmt(p.start)}",
            source,
        )

    last = visits[-1].local_date
    override = ctx.override_in_force(STATUTORY_VISIT, last)
    if override is not None:
        return override_due(STATUTORY_VISIT, override, last, "last statutory visit")

    # TS Conventions: the interval in force on the day of the last qualifying visit decides.
    first_year_end = add_months(p.start, r.placement_first_year_months)
    in_first_year = last < first_year_end
    first_review = ctx.first_review_in_placement()
    before_first_review = first_review is None or last < first_review
    since = f"last statutory visit {fmt(last)}"

    def due(days: int | None, months: int | None, basis: str, source: str) -> Due:
        when = add_calendar_days(last, days) if days is not None else add_months(last, months or 0)
        return Due(STATUTORY_VISIT, when, None, f"{basis}: {since}", source)

    def after_review(label: str) -> str:
        assert first_review is not None  # only called once the first review is held
        return f"{label} after the first LAC review on {fmt(first_review)}"

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
                weekly, None, f"{every_days(weekly)} until the first LAC review ({who})", source
            )
        return due(after, None, after_review(f"{every_days(after)} ({who})"), source)

    if circumstance == "adoption":
        # TS §1 adoption row: "at least weekly until the first review, then as decided at
        # each review" - the decision is the override above; without one the weekly
        # minimum is kept.
        weekly = r.adoption_weekly_days
        if before_first_review:
            return due(weekly, None, f"{every_days(weekly)} until the first review", SRC_ADOPTION)
        return due(
            weekly,
            None,
            after_review(f"{every_days(weekly)}")
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
            f"{every_days(days)} in the first year of the placement",
            source,
        )

    after_year = f"after the first year of the placement (ended {fmt(first_year_end)})"
    if circumstance == "permanent":
        # TS §1 row 'placement agreed as permanent': "after the first year: at least every
        # 3 months".
        months = r.statutory_interval_permanent_after_first_year_months
        return due(
            None,
            months,
            f"{every_months(months)} {after_year}, placement agreed as permanent",
            SRC_REG28_PERMANENT,
        )
    if circumstance == "care_order_with_parent":
        # TS §1 row 'full care order, living with parent': "then at least every 3 months".
        months = r.care_order_with_parent_after_first_year_months
        return due(
            None,
            months,
            f"{every_months(months)} {after_year} (care order, living with parent)",
            SRC_CARE_ORDER_PARENT,
        )
    if circumstance == "custody":
        # TS §1 custody row: "at least every 3 months after the first year".
        months = r.custody_after_first_year_months
        return due(
            None,
            months,
            f"{every_months(months)} {after_year} (another body decides where the child lives)",
            SRC_CUSTODY,
        )
    # TS §1 row 'placement agreed as permanent': "(any other placement stays 6-weekly after
    # its first year)".
    days = r.statutory_interval_after_first_year_days
    return due(
        days,
        None,
        f"{every_days(days)} {after_year}, placement not agreed as permanent",
        SRC_REG28,
    )


def _short_breaks_due(ctx: Context, visits: Sequence[VisitFact]) -> Due:
    """TS §1 short breaks row; 003 appendix "Short Breaks" (Care Planning Regulations
    2010, reg. 48; lines 2029, 2039-2040): "1st visit: within 3 months of the start of
    the 1st placement"; "Subsequently: every 3 months"; "Frequency of visits must be
    agreed with the IRO and the child's parents". The agreed frequency is the child's own
    schedule (an override), which wins once in force; without one the appendix's minimum
    stands. ``placement.start`` is the start of the first short break of the series."""
    p, r = ctx.placement, ctx.rules
    if visits:
        last, what = visits[-1].local_date, "last statutory visit"
        override = ctx.override_in_force(STATUTORY_VISIT, last)
    else:
        last, what = p.start, "counted from the start of the first short break on"
        override = ctx.override_in_force(STATUTORY_VISIT, ctx.today)
    if override is not None:
        return Due(
            STATUTORY_VISIT,
            override.next_after(last),
            None,
            f"Short breaks, the frequency agreed with the IRO and the parents "
            f"({override.describe()}): {what} {fmt(last)}",
            SRC_SHORT_BREAKS,
        )
    if not visits:
        months = r.short_breaks_first_visit_months
        return Due(
            STATUTORY_VISIT,
            add_months(p.start, months),
            None,
            f"Short breaks: first visit within {months} months of the start of the first "
            f"short break on {fmt(p.start)}",
            SRC_SHORT_BREAKS,
        )
    months = r.short_breaks_interval_months
    return Due(
        STATUTORY_VISIT,
        add_months(last, months),
        None,
        f"Short breaks: {every_months(months).lower()} (no frequency agreed with the IRO "
        f"and the parents is recorded): {what} {fmt(last)}",
        SRC_SHORT_BREAKS,
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
        if v.kind in SOCIAL_WORKER_VISIT_KINDS
        and v.bedroom_seen
        and v.local_date <= today
        and in_placement(v, placement)
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
        f"See the child's bedroom at least every {weeks} weeks: {what} {fmt(base)}",
        SRC_BEDROOM,
    )
    return within_placement(due, placement)


def placement_day_visit_due(
    placement: PlacementFacts,
    visits: Sequence[VisitFact],
    rules: RuleSet,
    *,
    today: date,
) -> Due | None:
    """Whether the social worker still has to see the child on the day they were placed
    (kind ``placement_day_visit``).

    003 10.2 (TS §1 local standards): "I have arranged to see the child/young person on
    the day they were placed, to assist in the placement process". Due on the start day
    (``placement_day_visit_days`` later, 0 by default); met by a statutory or purposeful
    visit (both the social worker's) made in the placement on or by that day. Once
    missed, the first statutory visit of the placement ends it: the chance has passed,
    and the duty leaves the worktray as done late by that visit, so it stays, late, on
    the child's record and in the visits-on-time figures. None when already met or ended
    so, and where nobody places the child that day: a care order made while the child
    lives with a parent (the start is the order), and custody (another body decides where
    the child lives).
    """
    if placement.provision_kind == "custody" or placement.care_order_made_while_with_parent:
        return None
    days = rules.placement_day_visit_days
    by = add_calendar_days(placement.start, days)
    last_day = placement.end
    for v in sorted(visits, key=VisitFact._sort_key):
        day = v.local_date
        if v.kind not in SOCIAL_WORKER_VISIT_KINDS or day > today or day < placement.start:
            continue
        if last_day is not None and day > last_day:
            continue
        if day <= by:
            return None  # seen on the day (by date: the day, not the hour, is the standard)
        if v.kind == "statutory":
            return None  # missed; the first statutory visit of the placement ends it
    if days == 0:
        basis = f"See the child on the day they were placed, {fmt(placement.start)}"
    else:
        basis = (
            f"See the child within {days} day{'s' if days != 1 else ''} of the day they were "
            f"placed, {fmt(placement.start)}"
        )
    return within_placement(Due(PLACEMENT_DAY_VISIT, by, None, basis, SRC_PLACEMENT_DAY), placement)


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
        and in_placement(v, placement)
    ]
