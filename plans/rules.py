"""When a looked-after child's plans and assessments are due (timescales.md §7).

Pure functions of dates and facts: no ORM, no clock. Each figure is a rule an
administrator may change (:class:`PlanRules`), its default and source from the guidance:

- ``care_plan``: prepared before the child's first placement of a period of care, or
  within 10 working days of it (003_… "Children in Care" key timescale, line 890; reg. 4
  CPPCR 2010);
- ``placement_plan``: before each placement, or within 5 working days of its start
  (TS §7; reg. 9 CPPCR 2010);
- ``health_assessment``: the initial one within 20 working days of becoming looked after
  (TS §7; 003_… 10.14, line 935), then a review every 6 months while the child is under 5
  and every 12 months from 5, the interval in force on the date of the last assessment
  deciding (TS §7 and its Conventions);
- ``pep``: within 10 working days of becoming looked after (TS §7; 003_… 10.15, line
  939), then reviewed every school term (``plans.terms``) while the child is of
  compulsory school age;
- ``updated_assessment``: before each LAC review, at least six-monthly (003_… 10.12, line
  929); the LAC review's dates are the reviews app's (``reviews.assessment``).

A due date missed stays due until a record of the kind comes; the next is counted from
that record (TS Conventions). Records of an earlier period of care do not count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from duties.calendar import add_months, add_working_days, subtract_working_days
from duties.rules import Due, Timescales, rule
from placements.models import age_on

from .models import PlanKind
from .terms import TermCalendar, of_school_age, school_age_starts, school_leaving_date

CARE_PLAN = PlanKind.CARE_PLAN.value
PLACEMENT_PLAN = PlanKind.PLACEMENT_PLAN.value
HEALTH_ASSESSMENT = PlanKind.HEALTH_ASSESSMENT.value
PEP = PlanKind.PEP.value
UPDATED_ASSESSMENT = PlanKind.UPDATED_ASSESSMENT.value

#: 003_… line 890, "Children in Care" key timescale: "a Care Plan must be prepared prior to
#: a child's first placement, or, if it is not practicable to do so, within 10 working days
#: of the child's first placement".
SRC_CARE_PLAN = "003_… 'Children in Care' key timescale (line 890); TS §7; reg. 4 CPPCR 2010"
SRC_PLACEMENT_PLAN = "TS §7; reg. 9 CPPCR 2010"
#: 003_… 10.14 (line 935): "an initial health assessment from a relevant medical practitioner
#: within timescales, as outlined in the Health Care Assessments and Plans procedure".
SRC_HEALTH = (
    "TS §7; 003_… 10.14 (line 935); Promoting the health and well-being of looked-after "
    "children (2015)"
)
#: 003_… 10.15 (line 939): "an up-to-date PEP (Personal Education Plan) in the child/young
#: person's case record".
SRC_PEP = (
    "TS §7; 003_… 10.15 (line 939); Promoting the education of looked-after and previously "
    "looked-after children (2018); Education Act 1996 s.8"
)
#: 003_… 10.12 (line 929): "I have completed a six monthly (minimum) updated assessment
#: contained in Child in Care Update Assessment to the LAC review."
SRC_UPDATED_ASSESSMENT = "003_… 10.12 (line 929); TS §7"


@dataclass(frozen=True)
class PlanRules(Timescales):
    """The plans' and assessments' timescales, each a rule an administrator may change."""

    care_plan_working_days: int = rule(
        10,
        "Working days from the first placement of a period of care by which the care plan "
        "is in place (when none was prepared before it).",
        "003_… 'Children in Care' key timescale (line 890): 'a Care Plan must be prepared "
        "prior to a child's first placement, or, if it is not practicable to do so, within "
        "10 working days of the child's first placement'; TS §7",
    )
    placement_plan_working_days: int = rule(
        5,
        "Working days from the start of each placement by which its placement plan is in "
        "place (when none was made before it).",
        "TS §7: 'before the placement, or within 5 working days of its start (every "
        "placement)'; reg. 9 CPPCR 2010",
    )
    health_assessment_initial_working_days: int = rule(
        20,
        "Working days from the child becoming looked after to the initial health assessment.",
        "TS §7: 'within 20 working days of becoming looked after'; 003_… 10.14 (line 935): "
        "'an initial health assessment ... within timescales'",
    )
    health_assessment_age_years: int = rule(
        5,
        "The age from which review health assessments are yearly rather than six-monthly "
        "(the age on the date of the last assessment decides).",
        "TS §7: 'every 6 months while under 5, every 12 months from 5'",
    )
    health_assessment_under_age_months: int = rule(
        6,
        "Months from a health assessment of a child under that age to the next.",
        "TS §7: 'every 6 months while under 5'; Promoting the health and well-being of "
        "looked-after children (2015)",
    )
    health_assessment_from_age_months: int = rule(
        12,
        "Months from a health assessment of a child of that age or older to the next.",
        "TS §7: 'every 12 months from 5'; Promoting the health and well-being of "
        "looked-after children (2015)",
    )
    pep_initial_working_days: int = rule(
        10,
        "Working days from a child of compulsory school age becoming looked after to their "
        "first personal education plan (PEP).",
        "TS §7: 'within 10 working days of becoming looked after'; 003_… 10.15 (line 939): "
        "'an up-to-date PEP'",
    )
    pep_before_term_end_working_days: int = rule(
        0,
        "Working days before the end of each school term by which that term's PEP review is "
        "done (0: by the term's last day).",
        "TS §7: 'reviewed every school term'; no day count in 003_… 10.15 (line 939), so "
        "by the end of the term",
        minimum=0,
    )
    updated_assessment_before_review_working_days: int = rule(
        0,
        "Working days before each LAC review (booked, else due) by which the social "
        "worker's updated assessment is done (0: by the review's date).",
        "003_… 10.12 (line 929): 'a six monthly (minimum) updated assessment ... to the LAC "
        "review' gives no day count, so before the review; TS §7",
        minimum=0,
    )


def _fmt(d: date) -> str:
    """'3 March 2026'."""
    return f"{d.day} {d:%B %Y}"


def _days(n: int, unit: str = "working day") -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def in_period(records: Sequence[date], *, since: date, today: date) -> list[date]:
    """The records that count: dated from ``since`` (the period of care's first day) to
    ``today``, in date order, each date once."""
    return sorted({d for d in records if since <= d <= today})


# --- Care plan and placement plan: once each ------------------------------------------------


def care_plan_due(period_start: date, rules: PlanRules) -> Due:
    """003_… line 890: "prepared prior to a child's first placement, or ... within 10
    working days of the child's first placement" (the period of care's first day)."""
    n = rules.care_plan_working_days
    return Due(
        CARE_PLAN,
        add_working_days(period_start, n),
        None,
        f"Care plan within {_days(n)} of the first placement of the period of care on "
        f"{_fmt(period_start)}",
        SRC_CARE_PLAN,
    )


def placement_plan_due(placement_start: date, rules: PlanRules) -> Due:
    """TS §7 (reg. 9): "before the placement, or within 5 working days of its start"."""
    n = rules.placement_plan_working_days
    return Due(
        PLACEMENT_PLAN,
        add_working_days(placement_start, n),
        None,
        f"Placement plan within {_days(n)} of the placement's start on {_fmt(placement_start)}",
        SRC_PLACEMENT_PLAN,
    )


# --- Health assessment ----------------------------------------------------------------------


def health_assessment_due(
    done: Sequence[date], rules: PlanRules, *, looked_after_since: date, date_of_birth: date
) -> Due:
    """The next health assessment, given those ``done`` in this period of care (sorted).

    TS §7: initial within 20 working days of becoming looked after; then every 6 months
    while under 5 and every 12 months from 5, "the interval in force on the date of the
    last assessment": a child assessed at 4 years 10 months is next due 6 months later,
    although 5 by then.
    """
    if not done:
        n = rules.health_assessment_initial_working_days
        return Due(
            HEALTH_ASSESSMENT,
            add_working_days(looked_after_since, n),
            None,
            f"Initial health assessment within {_days(n)} of becoming looked after on "
            f"{_fmt(looked_after_since)}",
            SRC_HEALTH,
        )
    last = done[-1]
    age = age_on(date_of_birth, last)
    threshold = rules.health_assessment_age_years
    if age < threshold:
        months = rules.health_assessment_under_age_months
        when = f"under {threshold}"
    else:
        months = rules.health_assessment_from_age_months
        when = f"aged {threshold} or over"
    return Due(
        HEALTH_ASSESSMENT,
        add_months(last, months),
        None,
        f"Review health assessment within {_days(months, 'month')} of the last on "
        f"{_fmt(last)} ({when} then)",
        SRC_HEALTH,
    )


# --- Personal education plan ----------------------------------------------------------------


def pep_due(
    done: Sequence[date],
    rules: PlanRules,
    *,
    looked_after_since: date,
    date_of_birth: date,
    terms: TermCalendar,
) -> Due | None:
    """The next PEP, given those ``done`` in this period of care (sorted); None when no
    more falls due (past compulsory school age).

    - None done, of compulsory school age on becoming looked after: the first PEP within
      10 working days of it (TS §7).
    - None done, not yet of school age then: the review of the first term in which they
      are (one ending after compulsory school age starts, ``plans.terms``).
    - Otherwise one PEP review per school term (TS §7 "reviewed every school term"): the
      first school-age term starting after the last PEP (a PEP dated in a term is that
      term's; one dated in a holiday counts for no term), due by the term's last day (less
      ``pep_before_term_end_working_days``).
    - None once the next term starts after the school leaving date (the last Friday in
      June of the school year they turn 16), or after it when they became looked after.
    """
    if not done and of_school_age(date_of_birth, looked_after_since):
        n = rules.pep_initial_working_days
        return Due(
            PEP,
            add_working_days(looked_after_since, n),
            None,
            f"First PEP within {_days(n)} of becoming looked after on {_fmt(looked_after_since)}",
            SRC_PEP,
        )
    starts, leaving = school_age_starts(date_of_birth), school_leaving_date(date_of_birth)
    after = done[-1] if done else looked_after_since
    # With no PEP yet, the term the child became looked after in may be the first.
    term = terms.first_starting_after(after) if done else terms.first_ending_after(after)
    while term is not None:
        if max(term.starts_on, looked_after_since) > leaving:
            return None  # past compulsory school age: no more PEP reviews
        if term.ends_on > starts:
            break  # of compulsory school age in this term
        term = terms.first_starting_after(term.starts_on)
    if term is None:
        return None
    n = rules.pep_before_term_end_working_days
    by = "its last day" if n == 0 else f"{_days(n)} before its end"
    return Due(
        PEP,
        subtract_working_days(term.ends_on, n),
        None,
        f"PEP review for {term.describe()}, by {by}",
        SRC_PEP,
    )


# --- Updated assessment for the LAC review --------------------------------------------------


def updated_assessment_due(
    review_date: date, rules: PlanRules, *, is_initial: bool, booked: bool
) -> Due:
    """003_… 10.12 (line 929): "a six monthly (minimum) updated assessment ... to the LAC
    review": done before each review (its booked date, else its due date), less
    ``updated_assessment_before_review_working_days``. Reviews are at most 6 months
    apart (TS §4), so one before each is at least six-monthly."""
    n = rules.updated_assessment_before_review_working_days
    which = "initial" if is_initial else "next"
    when = "booked for" if booked else "due by"
    lead = "by" if n == 0 else f"{_days(n)} before"
    return Due(
        UPDATED_ASSESSMENT,
        subtract_working_days(review_date, n),
        None,
        f"Updated assessment {lead} the {which} LAC review, {when} {_fmt(review_date)}",
        SRC_UPDATED_ASSESSMENT,
    )
