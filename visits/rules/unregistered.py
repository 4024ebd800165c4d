"""TS §3: the one-off visits of an unregistered placement: CIC commissioning within 10
days, the service manager within 1 month (000 'Visiting timescales for unregistered
placements')."""

from __future__ import annotations

from duties.calendar import add_calendar_days, add_months

from .facts import COMMISSIONING_VISIT, SRC_UNREGISTERED, Context, Due, fmt


def one_off_unregistered_due(ctx: Context, kind: str) -> Due | None:
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
            f"{fmt(p.start)}",
            SRC_UNREGISTERED,
        )
    # TS §3 service manager: "visits the child within 1 month of placement".
    months = r.service_manager_visit_months
    return Due(
        kind,
        add_months(p.start, months),
        None,
        f"Service manager visits the child within {months} month{'s' if months != 1 else ''} "
        f"of the placement starting on {fmt(p.start)}",
        SRC_UNREGISTERED,
    )
