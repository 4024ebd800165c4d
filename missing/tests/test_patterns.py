"""The patterns' arithmetic (missing.patterns), without a database: bands at their edges,
whole days for dates without times, the clock changes, and the return home interview's
72 hours."""

from datetime import date, time

import pytest

from missing import patterns as p
from missing.charts import bar_chart
from missing.models import WhereFound


def facts(start, start_time=None, end=None, end_time=None, found=""):
    return p.EpisodeFacts(start, start_time, end, end_time, found)


# --- Bands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "band"),
    [
        (time(0, 0), "00:00 to 03:59"),
        (time(3, 59), "00:00 to 03:59"),
        (time(4, 0), "04:00 to 07:59"),
        (time(16, 0), "16:00 to 19:59"),
        (time(23, 59), "20:00 to 23:59"),
        (None, "Time not known"),
    ],
)
def test_time_of_day_bands_at_their_edges_and_time_not_known(at, band):
    assert p.time_band(facts(date(2026, 3, 2), at)) == band


def test_day_of_the_week_is_the_day_the_episode_started():
    assert p.day_of_week(facts(date(2026, 3, 1), end=date(2026, 3, 2))) == "Sunday"
    assert p.day_of_week(facts(date(2026, 3, 2))) == "Monday"


@pytest.mark.parametrize(
    ("episode", "band"),
    [
        # With times: hours between them.
        (facts(date(2026, 3, 2), time(22), date(2026, 3, 3), time(21, 59)), "Under 24 hours"),
        (facts(date(2026, 3, 2), time(22), date(2026, 3, 3), time(22)), "1 to 3 days"),
        (facts(date(2026, 3, 2), time(22), date(2026, 3, 5), time(22)), "1 to 3 days"),
        (facts(date(2026, 3, 2), time(22), date(2026, 3, 5), time(22, 1)), "Over 3 days"),
        # Dates only (or one time missing): whole days.
        (facts(date(2026, 3, 2), None, date(2026, 3, 2)), "Under 24 hours"),
        (facts(date(2026, 3, 2), time(9), date(2026, 3, 3)), "1 to 3 days"),
        (facts(date(2026, 3, 2), None, date(2026, 3, 5)), "1 to 3 days"),
        (facts(date(2026, 3, 2), None, date(2026, 3, 6), time(1)), "Over 3 days"),
        # Across a month end.
        (facts(date(2026, 1, 30), None, date(2026, 2, 3)), "Over 3 days"),
        (facts(date(2026, 3, 2)), "Still open"),
    ],
)
def test_duration_bands_with_times_and_in_whole_days(episode, band):
    assert p.duration_band(episode) == band


def test_duration_across_the_clock_change_is_the_hours_that_passed():
    # 29 March 2026: the clocks go forward at 01:00; 23:30 to 00:30 two days on is 24 hours
    # on the wall clock but 23 hours passed.
    spring = facts(date(2026, 3, 28), time(0, 30), date(2026, 3, 29), time(0, 30))
    assert p.hours_missing(spring) == 24
    forward = facts(date(2026, 3, 28), time(12), date(2026, 3, 29), time(12))
    assert p.hours_missing(forward) == 23
    assert p.duration_band(forward) == "Under 24 hours"
    # 25 October 2026: back at 02:00; noon to noon is 25 hours.
    back = facts(date(2026, 10, 24), time(12), date(2026, 10, 25), time(12))
    assert p.hours_missing(back) == 25
    assert p.duration_band(back) == "1 to 3 days"


def test_where_found_by_label_an_open_episode_not_found_yet():
    assert p.where_found_band(facts(date(2026, 3, 2), end=date(2026, 3, 2), found="")) == (
        "Not known"
    )
    assert (
        p.where_found_band(facts(date(2026, 3, 2), end=date(2026, 3, 3), found="police"))
        == WhereFound.POLICE.label
    )
    assert p.where_found_band(facts(date(2026, 3, 2), found="police")) == "Not found yet"
    assert p.where_found_band(facts(date(2026, 3, 2), end=date(2026, 3, 3), found="gone")) == (
        WhereFound.OTHER.label
    )


# --- Periods and tallies ------------------------------------------------------------------


def test_the_default_period_is_the_last_12_months_to_today():
    assert p.default_period(date(2026, 12, 7)) == p.Period(date(2025, 12, 8), date(2026, 12, 7))
    # 29 Feb a year on: 28 Feb, so the period starts on 1 March.
    assert p.default_period(date(2028, 2, 29)).start == date(2027, 3, 1)
    assert p.default_period(date(2026, 3, 31)).start == date(2025, 4, 1)


def test_months_of_a_period_run_from_its_first_month_to_its_last():
    period = p.Period(date(2025, 12, 8), date(2026, 2, 1))
    assert period.months == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_patterns_count_the_episodes_starting_in_the_period_into_every_band():
    period = p.Period(date(2026, 1, 1), date(2026, 3, 31))
    episodes = [
        (1, facts(date(2025, 12, 31), time(23), date(2026, 1, 2), found="family")),  # before
        (1, facts(date(2026, 1, 1), time(23), date(2026, 1, 2), time(1), found="family")),
        (1, facts(date(2026, 1, 6), None, date(2026, 1, 10), found="police")),
        (2, facts(date(2026, 3, 31), time(16, 30))),  # open; the last day counts
        (3, facts(date(2026, 4, 1), time(16, 30))),  # after
    ]

    found = p.patterns(episodes, period)

    assert (found.episodes, found.children) == (3, 2)
    tallies = {t.key: dict(t.rows) for t in found.tallies}
    assert tallies["month"] == {"Jan 2026": 2, "Feb 2026": 0, "Mar 2026": 1}
    assert tallies["day"]["Thursday"] == 1  # 1 January 2026
    assert tallies["day"]["Tuesday"] == 2  # 6 January and 31 March
    assert sum(tallies["day"].values()) == 3
    assert tallies["time"]["20:00 to 23:59"] == 1
    assert tallies["time"]["16:00 to 19:59"] == 1
    assert tallies["time"]["Time not known"] == 1
    assert tallies["duration"] == {
        "Under 24 hours": 1,
        "1 to 3 days": 0,
        "Over 3 days": 1,
        "Still open": 1,
    }
    assert tallies["found"]["With family"] == 1
    assert tallies["found"]["Found by or returned to the police"] == 1
    assert tallies["found"]["Not found yet"] == 1
    assert all(t.total == 3 for t in found.tallies)


def test_a_chart_scales_its_bars_to_the_largest_count_and_describes_every_count():
    tally = p.Tally(
        "day", "By day of the week", "Day", (("Monday", 4), ("Tuesday", 1), ("Wednesday", 0))
    )

    chart = bar_chart(tally, "Amy <Smith>")

    widths = [bar.width for bar in chart.bars]
    assert widths[0] > widths[1] > widths[2] == 0
    assert widths[0] == 390  # the room between the labels and the count
    assert widths[1] == round(390 / 4)
    assert chart.description == (
        "Missing episodes of Amy <Smith>, by day of the week. Monday: 4; Tuesday: 1; Wednesday: 0."
    )
    assert chart.id == "chart-day"


def test_a_chart_of_nothing_has_no_bars():
    tally = p.Tally("day", "By day", "Day", (("Monday", 0),))
    assert [bar.width for bar in bar_chart(tally, "x").bars] == [0]


# --- The return home interview ----------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "end_time", "due"),
    [
        (date(2026, 3, 2), None, date(2026, 3, 5)),  # whole days: the 3rd day after
        (date(2026, 3, 2), time(9), date(2026, 3, 5)),
        (date(2026, 3, 2), time(23, 30), date(2026, 3, 5)),
        (date(2026, 2, 27), None, date(2026, 3, 2)),  # across a month end
        (date(2028, 2, 27), None, date(2028, 3, 1)),  # a leap year
        # Spring forward (29 March 2026, 01:00): 72 hours after 23:30 on the 28th end at
        # 00:30 on the 1st of April, an hour of the wall clock lost.
        (date(2026, 3, 28), time(23, 30), date(2026, 4, 1)),
        (date(2026, 3, 28), time(22, 30), date(2026, 3, 31)),
        # Fall back (25 October 2026, 02:00): 72 hours after 00:30 on the 25th end at 23:30
        # on the 27th.
        (date(2026, 10, 25), time(0, 30), date(2026, 10, 27)),
        (date(2026, 10, 25), time(1, 30), date(2026, 10, 28)),
    ],
)
def test_the_interview_is_due_72_hours_after_a_timed_return_or_3_days_after_a_date(
    end, end_time, due
):
    assert p.rhi_due_on(end, end_time) == due


def test_an_interview_is_on_time_up_to_the_day_it_is_due_and_late_the_day_after():
    end = date(2026, 3, 2)
    assert p.rhi_on_time(end, None, date(2026, 3, 2))
    assert p.rhi_on_time(end, None, date(2026, 3, 5))
    assert not p.rhi_on_time(end, None, date(2026, 3, 6))
    assert not p.rhi_on_time(end, time(9), None)
