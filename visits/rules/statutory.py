"""TS §1: statutory visits by the social worker (reg. 28 CPPCR 2010; 003 appendix
"Schedule of Statutory Visits"), by circumstance, and the local standards on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType

from duties.calendar import add_calendar_days, add_months, add_weeks

from .facts import (
    BEDROOM_SEEN,
    SRC_ADOPTION,
    SRC_BEDROOM,
    SRC_CARE_ORDER_PARENT,
    SRC_CUSTODY,
    SRC_ICO_PARENT,
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
            f"Short breaks, the child's own schedule ({override.describe()}): {what} {fmt(last)}",
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
