"""TS §2 and §3: the IRO's visits, before LAC reviews (regulated and unregistered
placements; 000)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from duties.calendar import add_calendar_days, add_months
from reviews.rules import lac_review_due, review_after

from .facts import IRO_VISIT, SRC_PURPOSEFUL, SRC_UNREGISTERED, Context, Due, fmt, override_due


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


def _projected_reviews(ctx: Context) -> tuple[date, date]:
    """The next LAC review due and the one after it (TS §4)."""
    nxt = lac_review_due(
        ctx.held_reviews,
        ctx.rules,
        looked_after_since=ctx.looked_after_since,
        placement_start=ctx.placement.start,
    ).due
    return nxt, review_after(nxt, len(ctx.held_reviews), ctx.rules)


def iro_due(ctx: Context) -> Due | None:
    p, r = ctx.placement, ctx.rules
    unregistered = p.provision_kind == "unregistered"
    if not unregistered and not r.in_purposeful_schedule(p.provision_kind):
        # TS §2 (regulated placements, not in-house or IFA: the authority's setting,
        # RuleSet.purposeful_includes_*) and TS §3 (unregistered).
        return None
    visit_dates = [v.local_date for v in ctx.visits_of(IRO_VISIT)]
    if visit_dates:
        override = ctx.override_in_force(IRO_VISIT, visit_dates[-1])
        if override is not None:
            return override_due(IRO_VISIT, override, visit_dates[-1], "last IRO visit")

    held = ctx.reviews_in_placement()
    nxt, after_next = _projected_reviews(ctx)
    reqs: list[_Requirement] = []

    if not unregistered:
        # TS §2 IRO: "before the first LAC review; before the second LAC review; then at
        # least 2 visits a year throughout the placement". Reviews are those of this
        # placement (held on or after its start); a review not yet held is the next due.
        source = SRC_PURPOSEFUL
        first, how_first = (held[0], "held") if held else (nxt, "due")
        reqs.append(
            _Requirement(
                first,
                None,
                f"Before the first LAC review in this placement ({how_first} {fmt(first)})",
                source,
            )
        )
        if held:
            second, how_second = (held[1], "held") if len(held) > 1 else (nxt, "due")
            reqs.append(
                _Requirement(
                    second,
                    held[0],
                    f"Before the second LAC review in this placement ({how_second} {fmt(second)})",
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
                f"{fmt(after_next)}, as the first is due {fmt(nxt)}); the first is met",
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
            f"LAC reviews are made: last IRO visit {fmt(last)}",
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
                f"Within {days} days of the placement starting on {fmt(p.start)} "
                "(concerns recorded)",
                source,
            )
        )
    previous = None
    for review in held:
        reqs.append(
            _Requirement(review, previous, f"Before the LAC review held {fmt(review)}", source)
        )
        previous = review
    reqs.append(_Requirement(nxt, previous, f"Before the next LAC review (due {fmt(nxt)})", source))
    reqs.append(
        _Requirement(
            after_next,
            nxt,
            f"Before the LAC review after next (projected {fmt(after_next)})",
            source,
        )
    )
    reqs.sort(key=lambda q: q.due)
    idx = _first_unmet(reqs, visit_dates)
    req = reqs[-1] if idx is None else reqs[idx]
    return Due(IRO_VISIT, req.due, None, req.basis, req.source)
