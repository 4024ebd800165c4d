"""review_report: the social worker's report reaches the IRO 3 working days before an
initial LAC review and 5 before a later one (003_… 10.22, line 960), counted back from
the booked date where one is recorded, else from the review's due date; done when the
report is recorded as sent."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from duties import alerts
from duties.models import Alert, Duty
from duties.recompute import recompute_all, refresh_for_children
from placements.tests.factories import ChildFactory, PlacementFactory
from reviews import services
from reviews.models import BookedReview, LacReview, ReviewReport

LONDON = ZoneInfo("Europe/London")
#: Looked after from Monday 5 January 2026: the initial review is due by Monday 2 February
#: (20 working days), its report by Wednesday 28 January (3 working days before).
START = date(2026, 1, 5)

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(social_worker, iro):
    child = ChildFactory(
        child_id="R300001", team=social_worker.team, social_worker=social_worker, iro=iro
    )
    PlacementFactory(child=child, decom=START)
    return child


def reports(child, **filters):
    return Duty.objects.filter(child=child, kind="review_report", **filters).order_by("pk")


def the_open_report(child) -> Duty:
    return reports(child, status=Duty.Status.OPEN).get()


def refresh(child, today):
    refresh_for_children([child.pk], today=today)


def hold_review(child, on: date):
    LacReview.objects.create(child=child, review_date=on)
    refresh(child, on)


def deadlines(as_of: date) -> list[str]:
    out = StringIO()
    call_command("deadlines", "--as-of", f"{as_of:%Y-%m-%d}", "--kind", "review_report", stdout=out)
    return out.getvalue().splitlines()[1:]


# --- When it is due -------------------------------------------------------------------------


def test_the_initial_reviews_report_is_due_3_working_days_before_its_due_date(child, social_worker):
    refresh(child, date(2026, 1, 10))
    duty = the_open_report(child)
    assert duty.due == date(2026, 1, 28)
    assert duty.owner == social_worker and duty.team == child.team
    assert duty.subject == f"child:{child.pk}:report_after:2026-01-05"
    assert "3 working days before the initial LAC review, due by 2 February 2026" in duty.basis
    assert "003_… 10.22" in duty.source
    assert duty.link == f"/children/{child.pk}/reviews/"
    # The day before, on and after the due date.
    assert deadlines(date(2026, 1, 27)) == ["review_report,R300001,,2026-01-28,open,sw"]
    assert deadlines(date(2026, 1, 28)) == ["review_report,R300001,,2026-01-28,open,sw"]
    assert deadlines(date(2026, 1, 29)) == ["review_report,R300001,,2026-01-28,overdue,sw"]


def test_a_later_reviews_report_is_due_5_working_days_before(child):
    refresh(child, date(2026, 1, 10))
    hold_review(child, date(2026, 2, 2))
    # The second review is due by Saturday 2 May 2026 (3 months): 5 working days before
    # is Monday 27 April.
    duty = the_open_report(child)
    assert duty.due == date(2026, 4, 27)
    assert duty.subject == f"child:{child.pk}:report_after:2026-02-02"
    assert "5 working days before the next LAC review, due by 2 May 2026" in duty.basis
    # The first cycle's report was never recorded: cancelled, its due date on the record.
    missed = reports(child, status=Duty.Status.CANCELLED).get()
    assert missed.due == date(2026, 1, 28)


@pytest.mark.parametrize(
    ("held", "booked", "expected"),
    [
        # Booked for Monday 1 June 2026, the Monday after the spring bank holiday (25 May).
        # Initial: 3 working days before is Wednesday 27 May.
        ((), date(2026, 6, 1), date(2026, 5, 27)),
        # Later: 29, 28, 27, 26 May, then (25 May is a bank holiday) Friday 22 May.
        ((date(2026, 2, 2),), date(2026, 6, 1), date(2026, 5, 22)),
        # Booked for Monday 4 January 2027: New Year's Day, Christmas and Boxing Day
        # (observed on Monday 28 December) are skipped: Tuesday 29 December, initial;
        # Wednesday 23 December, later.
        ((), date(2027, 1, 4), date(2026, 12, 29)),
        ((date(2026, 2, 2),), date(2027, 1, 4), date(2026, 12, 23)),
        # A month end: booked for Tuesday 3 March 2026, later: Tuesday 24 February.
        ((date(2026, 2, 2),), date(2026, 3, 3), date(2026, 2, 24)),
    ],
)
def test_booked_dates_count_back_in_england_working_days(
    child, social_worker, held, booked, expected
):
    for day in held:
        hold_review(child, day)
    today = date(2026, 2, 20)
    services.review_book(child=child, review_date=booked, actor=social_worker, today=today)
    duty = the_open_report(child)
    assert duty.due == expected
    assert f"booked for {booked.day} {booked:%B %Y}" in duty.basis


def test_the_booked_date_wins_over_the_due_date_and_moving_it_moves_the_same_row(
    child, social_worker, team_manager
):
    refresh(child, date(2026, 1, 10))
    first = the_open_report(child)
    assert first.due == date(2026, 1, 28)  # from the due date, Monday 2 February
    # Booked for Thursday 29 January: the report is due Monday 26 January.
    services.review_book(
        child=child, review_date=date(2026, 1, 29), actor=social_worker, today=date(2026, 1, 10)
    )
    assert the_open_report(child).pk == first.pk
    assert the_open_report(child).due == date(2026, 1, 26)
    # Moved to Friday 6 February by the team manager: Tuesday 3 February.
    services.review_book(
        child=child, review_date=date(2026, 2, 6), actor=team_manager, today=date(2026, 1, 12)
    )
    assert reports(child).count() == 1 and the_open_report(child).due == date(2026, 2, 3)
    booking = BookedReview.objects.get()
    assert [h.review_date for h in booking.history.order_by("history_date")] == [
        date(2026, 1, 29),
        date(2026, 2, 6),
    ]
    latest = booking.history.latest()
    assert latest.history_user == team_manager
    assert latest.history_change_reason == "Moved from 29 January 2026 to 6 February 2026"


def test_a_moved_report_due_date_alerts_again(child, social_worker):
    refresh(child, date(2026, 1, 10))
    mine = Alert.objects.filter(duty__kind="review_report").order_by("pk")
    alerts.sweep(today=date(2026, 1, 29), now=datetime(2026, 1, 29, 12, tzinfo=LONDON))
    assert list(mine.values_list("level", "due")) == [("overdue", date(2026, 1, 28))]
    services.review_book(
        child=child, review_date=date(2026, 2, 9), actor=social_worker, today=date(2026, 1, 29)
    )
    # Due Wednesday 4 February now: due soon from Friday 30 January (3 working days).
    alerts.sweep(today=date(2026, 1, 29), now=datetime(2026, 1, 29, 13, tzinfo=LONDON))
    assert mine.count() == 1
    alerts.sweep(today=date(2026, 1, 30), now=datetime(2026, 1, 30, 12, tzinfo=LONDON))
    alerts.sweep(today=date(2026, 1, 30), now=datetime(2026, 1, 30, 13, tzinfo=LONDON))
    assert list(mine.values_list("level", "due")) == [
        ("overdue", date(2026, 1, 28)),
        ("due_soon", date(2026, 2, 4)),
    ]


# --- Booking: what is refused ----------------------------------------------------------------


def test_a_booking_in_the_past_or_not_after_the_previous_review_is_refused(child, iro):
    hold_review(child, date(2026, 2, 2))
    with pytest.raises(ValidationError) as past:
        services.review_book(
            child=child, review_date=date(2026, 2, 9), actor=iro, today=date(2026, 2, 10)
        )
    assert past.value.message_dict == {"review_date": ["The booked date must be today or later."]}
    # Today is allowed (not in the past).
    booking = services.review_book(
        child=child, review_date=date(2026, 2, 10), actor=iro, today=date(2026, 2, 10)
    )
    # A review recorded for a later date than today still counts as the previous one.
    LacReview.objects.create(child=child, review_date=date(2026, 2, 20))
    for day in (date(2026, 2, 19), date(2026, 2, 20)):
        with pytest.raises(ValidationError, match="after the previous review, held on 20 Feb"):
            services.review_book(child=child, review_date=day, actor=iro, today=date(2026, 2, 10))
    again = services.review_book(
        child=child, review_date=date(2026, 2, 21), actor=iro, today=date(2026, 2, 10)
    )
    assert again.pk == booking.pk and BookedReview.objects.count() == 1


def test_a_child_no_longer_looked_after_has_no_review_to_book_and_no_report(child, social_worker):
    refresh(child, date(2026, 1, 10))
    placement = child.placements.get()
    placement.dec = date(2026, 1, 20)
    placement.save()
    refresh(child, date(2026, 1, 21))
    assert not reports(child, status=Duty.Status.OPEN).exists()
    assert reports(child, status=Duty.Status.CANCELLED).get().due == date(2026, 1, 28)
    with pytest.raises(ValidationError, match="not looked after today"):
        services.review_book(
            child=child, review_date=date(2026, 2, 1), actor=social_worker, today=date(2026, 1, 21)
        )
    assert not BookedReview.objects.exists()


# --- The report sent --------------------------------------------------------------------------


def test_recording_the_report_sent_closes_the_duty_with_history(child, social_worker):
    refresh(child, date(2026, 1, 10))
    duty = the_open_report(child)
    report = services.report_sent(
        child=child, sent_on=date(2026, 1, 27), actor=social_worker, today=date(2026, 1, 28)
    )
    duty.refresh_from_db()
    assert duty.status == Duty.Status.DONE and duty.done_on == date(2026, 1, 27)
    assert duty.done_by == f"review_report:{report.pk}"
    assert report.review_date == date(2026, 2, 2) and report.cycle_start == START
    history = report.history.get()
    assert history.history_user == social_worker
    assert history.history_change_reason == "Sent to the IRO"
    # Recomputing changes nothing; once the review is held, the next report is due.
    assert recompute_all(today=date(2026, 1, 29)).changed == 0
    hold_review(child, date(2026, 2, 2))
    assert reports(child, status=Duty.Status.DONE).get().pk == duty.pk
    assert the_open_report(child).due == date(2026, 4, 27)


def test_a_report_is_recorded_once_a_cycle_and_not_in_the_future_or_before_it(child, social_worker):
    refresh(child, date(2026, 1, 10))
    with pytest.raises(ValidationError) as future:
        services.report_sent(
            child=child, sent_on=date(2026, 1, 29), actor=social_worker, today=date(2026, 1, 28)
        )
    assert future.value.message_dict == {"sent_on": ["The date sent must be today or earlier."]}
    with pytest.raises(ValidationError, match="on or after 5 January 2026"):
        services.report_sent(
            child=child, sent_on=date(2026, 1, 4), actor=social_worker, today=date(2026, 1, 28)
        )
    services.report_sent(
        child=child, sent_on=date(2026, 1, 28), actor=social_worker, today=date(2026, 1, 28)
    )
    with pytest.raises(ValidationError, match="recorded as sent on 28 January 2026"):
        services.report_sent(
            child=child, sent_on=date(2026, 1, 28), actor=social_worker, today=date(2026, 1, 28)
        )
    assert ReviewReport.objects.count() == 1


def test_the_nightly_recompute_keeps_the_rows_as_they_are(child, social_worker):
    services.review_book(
        child=child, review_date=date(2026, 1, 30), actor=social_worker, today=date(2026, 1, 10)
    )
    first = recompute_all(today=date(2026, 1, 11))
    again = recompute_all(today=date(2026, 1, 11))
    assert first.changed == 0 and again.changed == 0
    assert the_open_report(child).due == date(2026, 1, 27)
