"""The missing episode's duties as ``deadlines --as-of`` prints them, at their edges: the
day before, on and after the due date; a return at 23:30; no time given; across both
clock changes; a month end and a bank holiday (hours are hours: no day is skipped)."""

from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from missing import services

from .conftest import london, travel

pytestmark = pytest.mark.django_db


def deadlines(as_of: date, kind: str) -> list[str]:
    out = StringIO()
    call_command("deadlines", "--as-of", as_of.isoformat(), "--kind", kind, stdout=out)
    return out.getvalue().splitlines()[1:]


def back(child, actor, *, start, end, end_time, start_time=None):
    now = london(end.year, end.month, end.day, 23, 59) + timedelta(days=1)
    with travel(now):
        episode = services.episode_record(
            child=child, actor=actor, now=now, kind="M", start_date=start, start_time=start_time
        )
        return services.episode_return(
            episode=episode, actor=actor, now=now, end_date=end, end_time=end_time
        )


def rhi_status(as_of: date) -> str:
    rows = deadlines(as_of, "return_home_interview")
    assert len(rows) == 1, rows
    kind, child_id, urn, due, status, owner = rows[0].split(",")
    assert (kind, child_id, urn, owner) == ("return_home_interview", "M100001", "SC123456", "sw")
    return f"{due} {status}"


@pytest.mark.parametrize(
    ("end", "end_time", "due"),
    [
        # Monday 23:30 -> Thursday 23:30.
        (date(2026, 3, 2), time(23, 30), date(2026, 3, 5)),
        # No time: the whole day, so the end of Thursday.
        (date(2026, 3, 2), None, date(2026, 3, 5)),
        # The clocks go back on Sunday 25 October 2026: 72 hours from Saturday 12:00 is
        # Tuesday 11:00 by the clock, still Tuesday.
        (date(2026, 10, 24), time(12, 0), date(2026, 10, 27)),
        # The clocks go forward on Sunday 29 March 2026: 72 hours from Thursday 23:30 is
        # 00:30 on Monday by the clock, so Monday, not Sunday.
        (date(2026, 3, 26), time(23, 30), date(2026, 3, 30)),
        # The month end: Thursday 30 April 10:00 -> Sunday 3 May (a weekend is not skipped).
        (date(2026, 4, 30), time(10, 0), date(2026, 5, 3)),
        # Friday 1 May 09:00 -> Monday 4 May, the early May bank holiday (not moved).
        (date(2026, 5, 1), time(9, 0), date(2026, 5, 4)),
    ],
)
def test_the_return_home_interview_the_day_before_on_and_after(
    child, social_worker, end, end_time, due
):
    back(child, social_worker, start=end - timedelta(days=1), end=end, end_time=end_time)
    assert rhi_status(due - timedelta(days=1)) == f"{due.isoformat()} open"
    assert rhi_status(due) == f"{due.isoformat()} open"
    assert rhi_status(due + timedelta(days=1)) == f"{due.isoformat()} overdue"


def test_the_interview_held_is_listed_done_on_that_day_and_then_not_at_all(child, social_worker):
    episode = back(
        child, social_worker, start=date(2026, 3, 1), end=date(2026, 3, 2), end_time=None
    )
    with travel(london(2026, 3, 4, 12)):
        services.interview_record(
            episode=episode,
            actor=social_worker,
            today=date(2026, 3, 4),
            outcome="held",
            held_on=date(2026, 3, 4),
            interviewer="Jo Bright",
            summary="Talked about school.",
        )
    assert rhi_status(date(2026, 3, 4)) == "2026-03-05 done"
    assert deadlines(date(2026, 3, 5), "return_home_interview") == []


@pytest.mark.parametrize(
    ("start", "start_time", "due"),
    [
        (date(2026, 3, 2), time(21, 15), date(2026, 3, 3)),
        (date(2026, 3, 2), time(23, 30), date(2026, 3, 3)),
        (date(2026, 3, 2), None, date(2026, 3, 3)),  # the end of the next day
        # Saturday 24 October 23:30 + 24 hours across the change: Sunday 22:30.
        (date(2026, 10, 24), time(23, 30), date(2026, 10, 25)),
        # Saturday 28 March 23:30 + 24 hours across the change: Monday 00:30.
        (date(2026, 3, 28), time(23, 30), date(2026, 3, 30)),
    ],
)
def test_the_settings_missing_report_the_day_before_on_and_after(
    child, social_worker, start, start_time, due
):
    now = london(start.year, start.month, start.day, 23, 59) + timedelta(days=3)
    with travel(now):
        services.episode_record(
            child=child,
            actor=social_worker,
            now=now,
            kind="A",
            start_date=start,
            start_time=start_time,
        )

    def status(as_of):
        rows = deadlines(as_of, "missing_report")
        assert len(rows) == 1, rows
        kind, child_id, urn, due_on, state, owner = rows[0].split(",")
        # The setting's duty: its URN, no owner (commissioning answers for it).
        assert (kind, child_id, urn, owner) == ("missing_report", "M100001", "SC123456", "")
        return f"{due_on} {state}"

    assert status(due - timedelta(days=1)) == f"{due.isoformat()} open"
    assert status(due) == f"{due.isoformat()} open"
    assert status(due + timedelta(days=1)) == f"{due.isoformat()} overdue"
