"""The missing episode's timescales and date checks: pure functions, no database."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from missing import rules
from missing.rules import MissingRules, Span

LONDON = ZoneInfo("Europe/London")
RULES = MissingRules()


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def test_the_shipped_rules_are_72_and_24_hours_citing_the_guidance():
    assert RULES.return_home_interview_hours == 72
    assert RULES.missing_report_hours == 24
    help_text = MissingRules.field_help()
    assert "TS §9" in help_text["return_home_interview_hours"][1]
    assert "line 504" in help_text["return_home_interview_hours"][1]
    assert "line 503" in help_text["missing_report_hours"][1]


def test_a_return_at_2330_on_monday_is_due_by_2330_on_thursday():
    due = rules.return_home_interview_due(date(2026, 3, 2), time(23, 30), RULES)
    assert due.due == date(2026, 3, 5)  # Thursday
    assert due.due_at == at(2026, 3, 5, 23, 30)
    assert "2 March 2026 at 23:30" in due.basis and "5 March 2026 at 23:30" in due.basis


def test_a_return_with_no_time_is_the_whole_day_due_by_the_end_of_the_third_day_after():
    due = rules.return_home_interview_due(date(2026, 3, 2), None, RULES)
    assert due.due == date(2026, 3, 5)
    assert due.due_at == datetime.combine(date(2026, 3, 5), time.max, LONDON)
    assert rules.RETURN_TIME_NOT_RECORDED in due.basis


def test_72_hours_across_the_autumn_clock_change_are_elapsed_hours():
    # The clocks go back at 02:00 on Sunday 25 October 2026: 72 hours after 12:00 on
    # Saturday 24 October is 11:00 on Tuesday 27 October by the clock.
    due = rules.return_home_interview_due(date(2026, 10, 24), time(12, 0), RULES)
    assert due.due_at == at(2026, 10, 27, 11, 0)
    assert due.due == date(2026, 10, 27)


def test_72_hours_across_the_spring_clock_change_are_elapsed_hours():
    # The clocks go forward at 01:00 on Sunday 29 March 2026: 72 hours after 12:00 on
    # Friday 27 March is 13:00 on Monday 30 March by the clock.
    due = rules.return_home_interview_due(date(2026, 3, 27), time(12, 0), RULES)
    assert due.due_at == at(2026, 3, 30, 13, 0)


def test_a_return_at_2330_before_the_spring_change_moves_the_due_date_past_midnight():
    # 23:30 on Thursday 26 March + 72 hours: the clock has gained an hour, 00:30 Monday.
    due = rules.return_home_interview_due(date(2026, 3, 26), time(23, 30), RULES)
    assert due.due_at == at(2026, 3, 30, 0, 30)
    assert due.due == date(2026, 3, 30)


def test_the_missing_report_is_due_24_hours_after_the_start():
    due = rules.missing_report_due(date(2026, 3, 2), time(21, 15), RULES)
    assert due.due_at == at(2026, 3, 3, 21, 15)
    no_time = rules.missing_report_due(date(2026, 3, 2), None, RULES)
    assert no_time.due == date(2026, 3, 3)
    assert no_time.due_at == datetime.combine(date(2026, 3, 3), time.max, LONDON)
    assert rules.START_TIME_NOT_RECORDED in no_time.basis


def test_a_changed_rule_moves_the_due_time():
    due = rules.return_home_interview_due(
        date(2026, 3, 2), time(9, 0), MissingRules(return_home_interview_hours=48)
    )
    assert due.due_at == at(2026, 3, 4, 9, 0)
    with pytest.raises(ValueError):
        MissingRules(missing_report_hours=0)


def test_a_time_the_clocks_skipped_is_refused():
    assert "no 01:30 on 29/03/2026" in rules.skipped_time_error(date(2026, 3, 29), time(1, 30))
    assert rules.skipped_time_error(date(2026, 3, 29), time(2, 0)) is None
    assert rules.skipped_time_error(date(2026, 10, 25), time(1, 30)) is None  # repeated: BST
    assert rules.skipped_time_error(date(2026, 3, 29), None) is None


@pytest.mark.parametrize(
    ("day", "clock", "future"),
    [
        (date(2026, 3, 2), time(14, 59), False),
        (date(2026, 3, 2), time(15, 1), True),
        (date(2026, 3, 2), None, False),  # today, no time: not in the future
        (date(2026, 3, 3), None, True),
        (date(2026, 3, 1), time(23, 59), False),
    ],
)
def test_in_future(day, clock, future):
    assert rules.in_future(day, clock, at(2026, 3, 2, 15, 0)) is future


def span(start, start_time=None, end=None, end_time=None):
    return Span(start, start_time, end, end_time)


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        # Two open episodes: always.
        (span(date(2026, 3, 1)), span(date(2026, 3, 5)), True),
        # A later open start inside a closed one.
        (span(date(2026, 3, 1), end=date(2026, 3, 4)), span(date(2026, 3, 3)), True),
        # After it ended.
        (span(date(2026, 3, 1), end=date(2026, 3, 4)), span(date(2026, 3, 5)), False),
        # The same day as the return, no times: it may not overlap, so it does not.
        (span(date(2026, 3, 1), end=date(2026, 3, 4)), span(date(2026, 3, 4), time(20, 0)), False),
        # Back at 10:00, away again at 10:00: they touch.
        (
            span(date(2026, 3, 1), time(9, 0), date(2026, 3, 4), time(10, 0)),
            span(date(2026, 3, 4), time(10, 0)),
            False,
        ),
        # Back at 10:00, away again at 09:59: overlap.
        (
            span(date(2026, 3, 1), time(9, 0), date(2026, 3, 4), time(10, 0)),
            span(date(2026, 3, 4), time(9, 59)),
            True,
        ),
        # An earlier open start runs over a later closed episode.
        (span(date(2026, 2, 20)), span(date(2026, 3, 1), end=date(2026, 3, 2)), True),
        # A closed episode before a later one.
        (span(date(2026, 2, 20), end=date(2026, 2, 21)), span(date(2026, 3, 1)), False),
    ],
)
def test_overlaps_either_way(first, second, overlap):
    assert first.overlaps(second) is overlap
    assert second.overlaps(first) is overlap


def test_an_end_before_the_start():
    assert rules.end_before_start(span(date(2026, 3, 2), end=date(2026, 3, 1)))
    assert rules.end_before_start(span(date(2026, 3, 2), time(10, 0), date(2026, 3, 2), time(9, 0)))
    assert not rules.end_before_start(span(date(2026, 3, 2), time(10, 0), date(2026, 3, 2)))
    assert not rules.end_before_start(span(date(2026, 3, 2), None, date(2026, 3, 2), time(9, 0)))
    assert not rules.end_before_start(span(date(2026, 3, 2)))


def test_an_untimed_return_is_due_three_calendar_days_after_whatever_the_clocks_do():
    # Saturday 28 March 2026, no time: the clocks go forward on the Sunday. Whole days:
    # due at the end of Tuesday 31 March (72 elapsed hours from the end of Saturday would
    # have been 00:59 on Wednesday by the clock).
    due = rules.return_home_interview_due(date(2026, 3, 28), None, RULES)
    assert due.due == date(2026, 3, 31)
    assert due.due_at.date() == date(2026, 3, 31)
    autumn = rules.return_home_interview_due(date(2026, 10, 24), None, RULES)
    assert autumn.due == date(2026, 10, 27) and autumn.due_at.date() == date(2026, 10, 27)
    report = rules.missing_report_due(date(2026, 3, 28), None, RULES)
    assert report.due == date(2026, 3, 29)


def test_the_figures_and_the_duty_agree_on_an_untimed_return():
    from missing.patterns import rhi_due_on

    for day in (date(2026, 3, 28), date(2026, 10, 24), date(2026, 12, 31)):
        assert rhi_due_on(day, None, 72) == rules.return_home_interview_due(day, None, RULES).due
