"""TS §2 and §3: the social worker's purposeful visits to regulated placements (000
'Visiting timescales for ALL regulated placements') and to unregistered placements (000
'Visiting timescales for unregistered placements': within 24 hours, twice weekly for
the first 3 months)."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from duties.calendar import add_calendar_days, add_months, add_weeks, week_start

from .facts import (
    LONDON,
    PURPOSEFUL_VISIT,
    SRC_PURPOSEFUL,
    SRC_REG28,
    SRC_UNREGISTERED,
    Context,
    Due,
    before_placement,
    every_days,
    every_months,
    fmt,
    fmt_dt,
    override_due,
    weekday_label,
)


def _before_placement_due(ctx: Context, source: str) -> Due:
    p = ctx.placement
    return Due(
        PURPOSEFUL_VISIT,
        p.start,
        None,
        f"A visit before the placement starts on {fmt(p.start)}",
        source,
    )


def purposeful_due(ctx: Context) -> Due | None:
    p, r = ctx.placement, ctx.rules
    if p.provision_kind == "unregistered":
        return _unregistered_social_worker(ctx)
    if not r.in_purposeful_schedule(p.provision_kind):
        # TS §2: "Mandatory for regulated placements except in-house foster care and
        # independent fostering agencies": which kinds of placement the schedule covers
        # is the authority's setting (RuleSet.purposeful_includes_*), 000 by default.
        return None

    purposeful = [v for v in ctx.visits if v.kind == "purposeful"]
    before = [v for v in purposeful if before_placement(v, p)]
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
        return override_due(PURPOSEFUL_VISIT, override, last, what)
    if p.permanent:
        # TS §2 social worker: "3-monthly where the care plan is permanence".
        months = r.purposeful_sw_permanent_interval_months
        return Due(
            PURPOSEFUL_VISIT,
            add_months(last, months),
            None,
            f"{every_months(months)}, care plan of permanence: {what} {fmt(last)}",
            SRC_PURPOSEFUL,
        )
    # TS §2 social worker: "then within every 12 weeks".
    weeks = r.purposeful_sw_interval_weeks
    return Due(
        PURPOSEFUL_VISIT,
        add_weeks(last, weeks),
        None,
        f"Within every {weeks} weeks: {what} {fmt(last)}",
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


def _unregistered_social_worker(ctx: Context) -> Due:
    """TS §3 social worker / personal adviser: "before the placement; within 24 hours of
    it; twice weekly for the first 3 months (one of the two may be virtual); after that,
    as agreed at the LAC review". Visits are purposeful visits (recorded on the
    Purposeful Visiting Form, 000).
    """
    p, r = ctx.placement, ctx.rules
    purposeful = [v for v in ctx.visits if v.kind == "purposeful"]
    before = [v for v in purposeful if before_placement(v, p)]
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
            f"Within {hours} hours of the placement starting {p.start_described}: "
            f"by {fmt_dt(due_at)}",
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
            f"{months} months, to {fmt(add_calendar_days(window_end, -1))}: the week "
            f"beginning {weekday_label(monday)} has {len(week)} ({in_person} in person); "
            f"due by {weekday_label(sunday)}, "
            f"overdue from {weekday_label(sunday + timedelta(days=1))}",
            SRC_UNREGISTERED,
        )

    # 4. "after that, as agreed at the LAC review": the child's own schedule, else the
    # reg. 28 statutory schedule (TS §1 'any placement' / 'permanent' rows).
    last = after_start[-1].local_date
    override = ctx.override_in_force(PURPOSEFUL_VISIT, last)
    if override is not None:
        return override_due(PURPOSEFUL_VISIT, override, last, "last purposeful visit")
    first_year_end = add_months(p.start, r.placement_first_year_months)
    prefix = (
        f"After the first {months} months no schedule agreed at a LAC review is recorded, "
        "so the reg. 28 schedule applies"
    )
    if last < first_year_end:
        days = r.statutory_interval_first_year_days
        when = add_calendar_days(last, days)
        rule = f"{every_days(days).lower()} in the first year of the placement"
    elif p.permanent:
        m = r.statutory_interval_permanent_after_first_year_months
        when = add_months(last, m)
        rule = f"{every_months(m).lower()} after the first year, placement agreed as permanent"
    else:
        days = r.statutory_interval_after_first_year_days
        when = add_calendar_days(last, days)
        rule = f"{every_days(days).lower()} after the first year"
    return Due(
        PURPOSEFUL_VISIT,
        when,
        None,
        f"{prefix} ({rule}): last purposeful visit {fmt(last)}",
        f"{SRC_UNREGISTERED}; {SRC_REG28}",
    )
