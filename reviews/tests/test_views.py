"""A child's LAC reviews page: where the next review and its report stand, booking the
review and recording the report sent, through the browser."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from duties.models import Duty
from placements.tests.factories import ChildFactory, PlacementFactory
from reviews.models import BookedReview, ReviewReport

pytestmark = pytest.mark.django_db

ON = datetime(2026, 1, 20, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def child(social_worker, iro):
    child = ChildFactory(
        child_id="R400001", team=social_worker.team, social_worker=social_worker, iro=iro
    )
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    return child


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(ON, tick=False):
        yield


def test_the_page_shows_the_next_review_and_its_report(client, child, social_worker):
    client.force_login(social_worker)
    assert (
        "LAC reviews" in client.get(reverse("placements:child", args=[child.pk])).content.decode()
    )
    page = client.get(reverse("reviews:child_reviews", args=[child.pk])).content.decode()
    assert "Initial review" in page and "Monday 2 February 2026" in page
    assert "Not booked yet" in page and "Due by Wednesday 28 January 2026" in page
    assert reverse("reviews:review_book", args=[child.pk]) in page
    assert reverse("reviews:report_sent", args=[child.pk]) in page


def test_the_iro_books_and_the_social_worker_records_the_report(client, child, social_worker, iro):
    client.force_login(iro)
    page = client.get(reverse("reviews:child_reviews", args=[child.pk])).content.decode()
    assert reverse("reviews:report_sent", args=[child.pk]) not in page  # not the IRO's
    response = client.post(
        reverse("reviews:review_book", args=[child.pk]),
        {
            "review_date_0": "29",
            "review_date_1": "1",
            "review_date_2": "2026",
            "place": "Room 4, County Hall",
            "invitees": "Jo Carer, foster carer\n\n  Sam Worker, social worker  ",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The next LAC review is booked for 29 January 2026." in page
    assert "At Room 4, County Hall" in page
    assert "Invited: Jo Carer, foster carer; Sam Worker, social worker" in page
    booking = BookedReview.objects.get()
    assert booking.booked_by == iro
    assert booking.invitee_lines == ["Jo Carer, foster carer", "Sam Worker, social worker"]
    duty = Duty.objects.get(child=child, kind="review_report")
    assert duty.due == date(2026, 1, 26)
    assert client.get(reverse("reviews:report_sent", args=[child.pk])).status_code == 403

    client.force_login(social_worker)
    response = client.post(
        reverse("reviews:report_sent", args=[child.pk]),
        {"sent_on_0": "20", "sent_on_1": "1", "sent_on_2": "2026"},
        follow=True,
    )
    page = response.content.decode()
    assert "The report is recorded as sent to the IRO." in page
    assert "Sent</strong> on 20 January 2026" in page
    duty.refresh_from_db()
    assert duty.status == Duty.Status.DONE and duty.done_on == date(2026, 1, 20)
    assert ReviewReport.objects.get().history.get().history_user == social_worker


def test_a_colleague_who_sees_the_child_may_read_but_not_book(client, child, cic_team):
    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    colleague = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team)
    client.force_login(colleague)
    page = client.get(reverse("reviews:child_reviews", args=[child.pk]))
    assert page.status_code == 200
    assert reverse("reviews:review_book", args=[child.pk]) not in page.content.decode()
    assert client.get(reverse("reviews:review_book", args=[child.pk])).status_code == 403
    assert client.post(reverse("reviews:report_sent", args=[child.pk])).status_code == 403
    assert not BookedReview.objects.exists() and not ReviewReport.objects.exists()


def test_booking_needs_a_place_and_changing_it_keeps_the_history(client, child, iro):
    client.force_login(iro)
    url = reverse("reviews:review_book", args=[child.pk])
    date_parts = {"review_date_0": "29", "review_date_1": "1", "review_date_2": "2026"}
    response = client.post(url, date_parts)
    assert "Enter where the review is held" in response.content.decode()
    assert not BookedReview.objects.exists()
    client.post(url, {**date_parts, "place": "County Hall"})
    client.post(url, {**date_parts, "place": "The foster home", "invitees": "Jo, carer"})
    booking = BookedReview.objects.get()
    assert (booking.place, booking.invitees) == ("The foster home", "Jo, carer")
    reasons = [h.history_change_reason for h in booking.history.order_by("history_id")]
    assert reasons == ["Booked for 29 January 2026", "Place or invitees changed"]
    # The form starts from the booking.
    page = client.get(url).content.decode()
    assert 'value="The foster home"' in page
