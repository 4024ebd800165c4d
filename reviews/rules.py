"""When a looked-after child's LAC review, and the social worker's report for it, are due.

Pure functions of dates: no ORM, no clock. timescales.md §4 (reg. 33 CPPCR 2010;
003_… 10.22): the first review within 20 working days of the child becoming looked
after, the second within 3 months of the first, then at intervals of not more than 6
months; the report reaches the IRO 3 working days before an initial review and 5
before a later one. The review is the child's, across placements, for as long as they
are looked after; reviews of an earlier period of care do not count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from duties.calendar import add_months, add_working_days, subtract_working_days
from duties.rules import Due, Timescales, rule

LAC_REVIEW = "lac_review"
REVIEW_REPORT = "review_report"
#: A decision or recommendation of a LAC review, for its owner by its due date (issue 15;
#: opened and closed step by step by reviews.records, not recomputed).
REVIEW_RECOMMENDATION = "review_recommendation"
SRC_LAC_REVIEW = "TS §4: reg. 33 CPPCR 2010"
#: 003_… Northamptonshire practice standards, 10.22 (line 960): "I have made sure the report
#: is available for the Independent Reviewing Officer (IRO) 3 working days before an Initial
#: Review and 5 working days before a subsequent review."
SRC_REPORT = "003_… 10.22 (line 960); TS §4"


@dataclass(frozen=True)
class ReviewRules(Timescales):
    """The LAC review's timescales, each a rule an administrator may change."""

    lac_review_first_working_days: int = rule(
        20,
        "Working days from the child becoming looked after to the first LAC review.",
        "TS §4: 'First review within 20 working days of the child becoming looked after'",
    )
    lac_review_second_months: int = rule(
        3,
        "Months from the first LAC review to the second.",
        "TS §4: 'second within 3 months of the first'",
    )
    lac_review_subsequent_months: int = rule(
        6,
        "Maximum months between later LAC reviews.",
        "TS §4: 'then at intervals of not more than 6 months'",
    )
    report_before_initial_review_working_days: int = rule(
        3,
        "Working days before an initial LAC review by which the social worker's report "
        "reaches the IRO.",
        "TS §4: '3 working days before an initial review'; 003_… 10.22 (line 960): "
        "'available for the IRO 3 working days before an Initial Review'",
    )
    report_before_later_review_working_days: int = rule(
        5,
        "Working days before a later LAC review by which the report reaches the IRO.",
        "TS §4: '5 working days before a later one'; 003_… 10.22 (line 960): "
        "'5 working days before a subsequent review'",
    )


def _fmt(d: date) -> str:
    """'3 March 2026'."""
    return f"{d.day} {d:%B %Y}"


def held_in_period(
    reviews: Sequence[date], *, looked_after_since: date | None, today: date
) -> list[date]:
    """The reviews that count: held on or before ``today``, in the current period of care
    (from ``looked_after_since``), in date order, each once."""
    return sorted(
        {
            r
            for r in reviews
            if r <= today and (looked_after_since is None or r >= looked_after_since)
        }
    )


def lac_review_due(
    held: Sequence[date],
    rules: ReviewRules,
    *,
    looked_after_since: date | None,
    placement_start: date | None = None,
) -> Due:
    """The next LAC review due, given the reviews ``held`` in this period of care (sorted).

    Without ``looked_after_since`` the first review is counted from ``placement_start``
    (and the basis says so)."""
    if not held:
        # TS §4: "First review within 20 working days of the child becoming looked after".
        n = rules.lac_review_first_working_days
        if looked_after_since is not None:
            base = looked_after_since
            basis = f"becoming looked after on {_fmt(base)}"
        elif placement_start is not None:
            base = placement_start
            basis = (
                "becoming looked after (date not given: counted from the placement start on "
                f"{_fmt(base)})"
            )
        else:
            raise ValueError("give looked_after_since or placement_start")
        return Due(
            LAC_REVIEW,
            add_working_days(base, n),
            None,
            f"First LAC review within {n} working days of {basis}",
            SRC_LAC_REVIEW,
        )
    if len(held) == 1:
        # TS §4: "second within 3 months of the first".
        months = rules.lac_review_second_months
        return Due(
            LAC_REVIEW,
            add_months(held[0], months),
            None,
            f"Second LAC review within {months} months of the first on {_fmt(held[0])}",
            SRC_LAC_REVIEW,
        )
    # TS §4: "then at intervals of not more than 6 months".
    months = rules.lac_review_subsequent_months
    return Due(
        LAC_REVIEW,
        add_months(held[-1], months),
        None,
        f"LAC review not more than {months} months after the previous on {_fmt(held[-1])}",
        SRC_LAC_REVIEW,
    )


def review_after(due: date, held_count: int, rules: ReviewRules) -> date:
    """When the review after the one due on ``due`` would fall, if that one were held on
    its due date (``held_count`` reviews held before it)."""
    months = (
        rules.lac_review_second_months if held_count == 0 else rules.lac_review_subsequent_months
    )
    return add_months(due, months)


def review_report_due(review_date: date, is_initial: bool, rules: ReviewRules) -> date:
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


def review_report(review_date: date, is_initial: bool, rules: ReviewRules, *, booked: bool) -> Due:
    """The ``review_report`` duty for the review on ``review_date``: counted back from the
    booked date where one is recorded (``booked``), else from the review's due date.

    003_… 10.22 (line 960): "available for the Independent Reviewing Officer (IRO) 3 working
    days before an Initial Review and 5 working days before a subsequent review". Working
    days are England's (duties.calendar: weekends and bank holidays do not count).
    """
    n = (
        rules.report_before_initial_review_working_days
        if is_initial
        else rules.report_before_later_review_working_days
    )
    which = "initial" if is_initial else "next"
    when = "booked for" if booked else "due by"
    return Due(
        REVIEW_REPORT,
        review_report_due(review_date, is_initial, rules),
        None,
        f"Report to the IRO {n} working day{'s' if n != 1 else ''} before the {which} LAC "
        f"review, {when} {_fmt(review_date)}",
        SRC_REPORT,
    )
