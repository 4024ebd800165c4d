"""The timescales of incidents and allegations, without a database: elapsed hours across
the clock change, a time not recorded, restraint, and the child's debrief's two figures."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from incidents import rules

LONDON = ZoneInfo("Europe/London")
R = rules.IncidentRules()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_defaults_are_the_seeds_figures():
    assert (R.incident_report_hours, R.staff_debrief_hours, R.child_debrief_hours) == (24, 48, 48)
    assert R.child_debrief_limit_hours == 72
    assert R.staff_debrief_after_restraint_hours == 24
    assert R.lado_referral_hours == 24


def test_an_allegation_known_at_2330_is_due_at_2330_the_next_day():
    due = rules.lado_referral_due(at(2026, 3, 10, 23, 30), R)
    assert due.due_at == at(2026, 3, 11, 23, 30)
    assert due.due == date(2026, 3, 11)
    assert "24 hours of 10 March 2026 at 23:30" in due.basis
    assert "001_" in due.source


def test_24_hours_across_the_autumn_clock_change_is_an_hour_earlier_by_the_clock():
    # 25 Oct 2026: the clocks go back at 2am, so the day has 25 hours.
    due = rules.lado_referral_due(at(2026, 10, 24, 12, 0), R)
    assert due.due_at.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 10, 25, 11, 0)
    assert due.due == date(2026, 10, 25)


def test_24_hours_across_the_spring_clock_change_is_an_hour_later_by_the_clock():
    due = rules.lado_referral_due(at(2026, 3, 28, 12, 0), R)
    assert due.due_at.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 3, 29, 13, 0)


def test_an_incident_without_a_time_is_taken_as_the_end_of_its_day():
    start = rules.instant(date(2026, 1, 30), None)
    due = rules.incident_report_due(start, R, time_known=False)
    assert due.due == date(2026, 1, 31)
    assert due.due_at.astimezone(LONDON).time() == time.max
    assert rules.TIME_NOT_KNOWN in due.basis


def test_an_incident_at_a_month_end_runs_into_the_next_month():
    start = rules.instant(date(2026, 2, 28), time(22, 15))
    assert rules.incident_report_due(start, R, time_known=True).due_at == at(2026, 3, 1, 22, 15)
    debrief = rules.staff_debrief_due(start, R, restraint=False, time_known=True)
    assert debrief.due_at == at(2026, 3, 2, 22, 15)


def test_the_staff_debrief_after_restraint_is_due_in_24_hours():
    start = rules.instant(date(2026, 5, 6), time(9, 0))
    plain = rules.staff_debrief_due(start, R, restraint=False, time_known=True)
    restraint = rules.staff_debrief_due(start, R, restraint=True, time_known=True)
    assert plain.due_at == at(2026, 5, 8, 9, 0)
    assert restraint.due_at == at(2026, 5, 7, 9, 0)
    assert "line 482" in restraint.source


def test_the_childs_debrief_is_due_at_48_hours_with_the_72_hour_limit_beside_it():
    start = rules.instant(date(2026, 5, 6), time(9, 0))
    due = rules.child_debrief_due(start, R, time_known=True)
    assert due.due_at == at(2026, 5, 8, 9, 0)
    assert "72 hours at most (9 May 2026 at 09:00)" in due.basis
    assert rules.child_debrief_limit(start, R) == at(2026, 5, 9, 9, 0)


def test_a_childs_debrief_is_judged_against_both_figures_at_their_edges():
    start = at(2026, 5, 6, 9, 0)
    assert rules.debrief_timeliness(start, at(2026, 5, 8, 9, 0), R) == "within 48 hours"
    assert rules.debrief_timeliness(start, at(2026, 5, 8, 9, 1), R) == "within the 72-hour limit"
    assert rules.debrief_timeliness(start, at(2026, 5, 9, 9, 0), R) == "within the 72-hour limit"
    assert rules.debrief_timeliness(start, at(2026, 5, 9, 9, 1), R) == "after the 72-hour limit"


def test_a_repeated_hour_is_its_first_occurrence():
    # 01:30 on 25 Oct 2026 happens twice; the first (BST, UTC+1) is meant.
    start = rules.instant(date(2026, 10, 25), time(1, 30))
    assert start.utcoffset().total_seconds() == 3600
