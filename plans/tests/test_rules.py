"""The plan duties' rules, without a database: timescales.md §7 at their edges (working
days over bank holidays, the 5th birthday between two health assessments, school terms
and compulsory school age)."""

from datetime import date

import pytest

from plans.rules import (
    PlanRules,
    care_plan_due,
    health_assessment_due,
    pep_due,
    placement_plan_due,
    updated_assessment_due,
)
from plans.terms import (
    Term,
    TermCalendar,
    default_terms,
    of_school_age,
    school_age_starts,
    school_leaving_date,
    school_year_of,
)

RULES = PlanRules()
DEFAULT_TERMS = TermCalendar()


# --- Care plan and placement plan -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Monday 5 January 2026: two weeks of working days.
        (date(2026, 1, 5), date(2026, 1, 19)),
        # Friday 18 December 2026, over Christmas: 25 Dec, the Boxing Day holiday on Monday
        # 28 Dec and New Year's Day do not count.
        (date(2026, 12, 18), date(2027, 1, 6)),
        # Friday 27 March 2026, over the clock change (29 March) and Easter (3 and 6 April).
        (date(2026, 3, 27), date(2026, 4, 14)),
    ],
)
def test_the_care_plan_is_due_10_working_days_after_the_first_placement(start, due):
    found = care_plan_due(start, RULES)
    assert found.due == due
    assert "within 10 working days of the first placement" in found.basis
    assert "line 890" in found.source


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 12, 18), date(2026, 12, 29)),  # 21, 22, 23, 24, 29 December
        (date(2026, 3, 27), date(2026, 4, 7)),  # 30, 31 March, 1, 2, 7 April
        (date(2026, 1, 30), date(2026, 2, 6)),  # over a month end
        (date(2026, 10, 23), date(2026, 10, 30)),  # over the clock change (25 October)
    ],
)
def test_the_placement_plan_is_due_5_working_days_after_the_placement_starts(start, due):
    assert placement_plan_due(start, RULES).due == due


def test_a_rule_changed_by_the_administrator_moves_the_due_date():
    assert care_plan_due(date(2026, 1, 5), PlanRules(care_plan_working_days=5)).due == date(
        2026, 1, 12
    )


def test_the_rules_refuse_what_an_administrator_may_not_set():
    with pytest.raises(ValueError, match="care_plan_working_days must be at least 1"):
        PlanRules(care_plan_working_days=0)
    with pytest.raises(ValueError):
        PlanRules(pep_before_term_end_working_days=-1)
    # 0 is allowed where the guidance says "by" a day.
    assert PlanRules(updated_assessment_before_review_working_days=0)


# --- Health assessment ----------------------------------------------------------------------

BORN = date(2021, 5, 20)  # five on 20 May 2026


def ha(done, *, since=date(2025, 1, 6), born=BORN):
    return health_assessment_due(done, RULES, looked_after_since=since, date_of_birth=born)


def test_the_initial_health_assessment_is_due_20_working_days_after_becoming_looked_after():
    assert ha([], since=date(2026, 12, 18)).due == date(2027, 1, 20)
    assert "Initial health assessment within 20 working days" in ha([]).basis


def test_the_interval_in_force_on_the_last_assessment_decides_across_the_5th_birthday():
    # Assessed at 4 years 10 months (20 March 2026): next due 6 months later, 20 September,
    # although five by then.
    found = ha([date(2025, 1, 20), date(2026, 3, 20)])
    assert found.due == date(2026, 9, 20)
    assert "under 5 then" in found.basis
    # The assessment on 20 September 2026 is of a five-year-old: the next is 12 months on.
    found = ha([date(2025, 1, 20), date(2026, 3, 20), date(2026, 9, 20)])
    assert found.due == date(2027, 9, 20)
    assert "aged 5 or over then" in found.basis


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (date(2026, 5, 19), date(2026, 11, 19)),  # the day before the 5th birthday: 6 months
        (date(2026, 5, 20), date(2027, 5, 20)),  # on it: 12 months
        (date(2026, 5, 21), date(2027, 5, 21)),  # the day after: 12 months
    ],
)
def test_the_5th_birthday_itself(last, due):
    assert ha([last]).due == due


def test_a_review_from_a_month_end_is_due_at_the_shorter_months_end():
    # Under five on 31 August 2025: six months on is 28 February 2026.
    assert ha([date(2025, 8, 31)]).due == date(2026, 2, 28)


# --- Compulsory school age and terms --------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "starts", "leaves"),
    [
        # Five on a prescribed day: school age starts that day; 16 on 31 August 2037, the
        # last day of the 2036/37 school year: leaves on its last Friday in June.
        (date(2021, 8, 31), date(2026, 8, 31), date(2037, 6, 26)),
        # Five on 1 September: school age from 31 December; 16 in the 2037/38 school year.
        (date(2021, 9, 1), date(2026, 12, 31), date(2038, 6, 25)),
        (date(2022, 1, 1), date(2027, 3, 31), date(2038, 6, 25)),
        (date(2022, 4, 1), date(2027, 8, 31), date(2038, 6, 25)),
        # Born on 29 February: five on 1 March 2025.
        (date(2020, 2, 29), date(2025, 3, 31), date(2036, 6, 27)),
    ],
)
def test_compulsory_school_age(born, starts, leaves):
    assert school_age_starts(born) == starts
    assert school_leaving_date(born) == leaves
    assert leaves.weekday() == 4 and leaves.month == 6 and leaves.day > 23
    assert not of_school_age(born, date.fromordinal(starts.toordinal() - 1))
    assert of_school_age(born, starts) and of_school_age(born, leaves)
    assert not of_school_age(born, date.fromordinal(leaves.toordinal() + 1))


def test_the_default_terms_cover_a_school_year_in_whole_months():
    autumn, spring, summer = default_terms(2026)
    assert (autumn.starts_on, autumn.ends_on) == (date(2026, 9, 1), date(2026, 12, 31))
    assert (spring.starts_on, spring.ends_on) == (date(2027, 1, 1), date(2027, 3, 31))
    assert (summer.starts_on, summer.ends_on) == (date(2027, 4, 1), date(2027, 7, 31))
    assert school_year_of(date(2026, 8, 31)) == 2025 and school_year_of(date(2026, 9, 1)) == 2026


def test_a_year_with_recorded_terms_uses_them_and_only_them():
    recorded = [
        Term("Autumn 2026", date(2026, 9, 3), date(2026, 12, 18)),
        Term("Spring 2027", date(2027, 1, 5), date(2027, 3, 26)),
        Term("Summer 2027", date(2027, 4, 12), date(2027, 7, 21)),
    ]
    calendar = TermCalendar(recorded)
    assert calendar.of_year(2026) == recorded
    assert calendar.of_year(2027) == list(default_terms(2027))
    # The Christmas holiday belongs to no term: the next to start is the spring term.
    assert calendar.first_starting_after(date(2026, 12, 20)).name == "Spring 2027"
    assert calendar.first_ending_after(date(2027, 7, 25)).name == "Autumn 2027"


# --- Personal education plan ----------------------------------------------------------------

SCHOOL_CHILD = date(2015, 3, 10)  # of school age from 2020 to 26 June 2031


def pep(done, *, since=date(2026, 12, 18), born=SCHOOL_CHILD, terms=DEFAULT_TERMS, rules=RULES):
    return pep_due(done, rules, looked_after_since=since, date_of_birth=born, terms=terms)


def test_the_first_pep_is_due_10_working_days_after_becoming_looked_after():
    found = pep([])
    assert found.due == date(2027, 1, 6)  # over Christmas and New Year
    assert "First PEP within 10 working days of becoming looked after" in found.basis
    assert "10.15 (line 939)" in found.source


def test_then_one_pep_review_a_term_by_the_terms_last_day():
    # The first PEP on 5 January 2027 is the spring term's: the next is the summer term's.
    found = pep([date(2027, 1, 5)])
    assert found.due == date(2027, 7, 31)
    assert "the Summer 2027 term (1 April 2027 to 31 July 2027)" in found.basis
    # Done on the last day of the summer term: the autumn term's is next.
    assert pep([date(2027, 1, 5), date(2027, 7, 31)]).due == date(2027, 12, 31)
    # Done on 1 August (the holiday): it counts for no term, the autumn term's is still due.
    assert pep([date(2027, 1, 5), date(2027, 8, 1)]).due == date(2027, 12, 31)


def test_a_day_count_before_the_terms_end_counts_back_in_working_days():
    rules = PlanRules(pep_before_term_end_working_days=5)
    # 31 December 2027 is a Friday; five working days back, over Christmas (27 and 28
    # December are the holidays for Saturday's Christmas Day and Sunday's Boxing Day).
    found = pep([date(2027, 5, 4)], since=date(2027, 4, 20), rules=rules)
    assert found.due == date(2027, 12, 22)
    assert "5 working days before its end" in found.basis


def test_the_administrators_terms_decide():
    terms = TermCalendar([Term("Spring 2027", date(2027, 1, 5), date(2027, 3, 26))])
    assert pep([date(2026, 12, 21)], terms=terms).due == date(2027, 3, 26)


def test_a_child_not_yet_of_school_age_has_a_pep_from_their_first_school_term():
    born = date(2021, 9, 1)  # school age from 31 December 2026
    assert pep([], since=date(2026, 3, 2), born=born).due == date(2027, 3, 31)
    born = date(2021, 8, 31)  # school age from 31 August 2026: the autumn term
    assert pep([], since=date(2026, 3, 2), born=born).due == date(2026, 12, 31)


def test_no_pep_past_compulsory_school_age():
    born = date(2011, 1, 15)  # leaves school on Friday 25 June 2027
    # The summer term of 2027 starts before the leaving date: its review is due.
    assert pep([date(2027, 2, 1)], since=date(2027, 1, 4), born=born).due == date(2027, 7, 31)
    # After it, no more.
    assert pep([date(2027, 5, 1)], since=date(2027, 1, 4), born=born) is None
    # Looked after after the leaving date: none at all.
    assert pep([], since=date(2027, 6, 28), born=born) is None


# --- Updated assessment ---------------------------------------------------------------------


def test_the_updated_assessment_is_due_by_the_review():
    found = updated_assessment_due(date(2026, 6, 1), RULES, is_initial=True, booked=True)
    assert found.due == date(2026, 6, 1)
    assert found.basis == "Updated assessment by the initial LAC review, booked for 1 June 2026"
    assert "10.12 (line 929)" in found.source
    # With a day count: working days back over the spring bank holiday (25 May 2026).
    rules = PlanRules(updated_assessment_before_review_working_days=5)
    found = updated_assessment_due(date(2026, 6, 1), rules, is_initial=False, booked=False)
    assert found.due == date(2026, 5, 22)
    assert "5 working days before the next LAC review, due by 1 June 2026" in found.basis
