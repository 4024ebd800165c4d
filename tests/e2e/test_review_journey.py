"""An IRO books a LAC review, records it held with a recommendation and a change to the
visiting schedule, and the social worker sees the new due dates and the recommendation in
their worktray: end to end in real Chromium, with axe on every page."""

import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duties.calendar import add_months
from duties.models import Duty
from duties.recompute import refresh_for_children
from placements.tests.factories import ChildFactory, PlacementFactory
from reviews.models import BookedReview, LacReview, ReviewRecommendation
from visits.models import ScheduleOverride
from visits.tests.factories import VisitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fill_date(page, name: str, day) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def _row(page, kind_label: str):
    """The worktray's row of the child's duty of this kind (its kind cell)."""
    return page.locator("tr").filter(has=page.get_by_role("cell", name=kind_label, exact=True))


def test_iro_records_a_review_and_the_social_worker_sees_what_follows(
    live_server, page, sign_in, accessible, social_worker, iro, tmp_path
):
    today = timezone.localdate()
    child = ChildFactory(
        first_name="Maya",
        last_name="Okoro",
        child_id="E700001",
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
    )
    PlacementFactory(child=child, decom=today - timedelta(days=10))
    # A statutory visit made earlier today: the schedule agreed at today's review counts
    # from it (visits.rules: an override agreed on or before the last visit decides).
    # Midnight, so that it is never in the future whenever the test runs.
    early = timezone.make_aware(datetime.combine(today, time(0, 0)))
    VisitFactory(child=child, visitor=social_worker, visited_at=early, finished_at=early)
    refresh_for_children([child.pk])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The IRO books the review from the child's record.
    sign_in(iro)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="LAC reviews").click()
    expect(page.get_by_role("heading", name="LAC reviews", level=1)).to_be_visible()
    accessible()
    page.get_by_role("link", name="Book the review").click()
    _fill_date(page, "review_date", today)
    page.get_by_label("Where the review is held").fill("Room 4, County Hall")
    page.get_by_label("Who is invited (optional)").fill(
        "Jo Carer, foster carer\nSam Worker, social worker"
    )
    accessible()
    page.get_by_role("button", name="Book the review").click()
    expect(page.get_by_text("The next LAC review is booked for")).to_be_visible()
    expect(page.get_by_test_id("next-review")).to_contain_text("At Room 4, County Hall")
    assert BookedReview.objects.get().place == "Room 4, County Hall"

    # ...records it held: too soon without who took part, then in full.
    page.get_by_role("link", name="Record the review as held").click()
    expect(page.get_by_role("heading", name="Record the LAC review as held")).to_be_visible()
    expect(page.get_by_label("Who took part")).to_have_value(
        "Jo Carer, foster carer\nSam Worker, social worker"
    )
    accessible()
    page.get_by_label("Who took part").fill("")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("alert")).to_contain_text("Say who took part in the review")
    expect(page.get_by_role("alert")).to_contain_text("Choose how the child participated")
    accessible()
    page.get_by_label("Who took part").fill(
        "Maya\nJo Carer, foster carer\nSam Worker, social worker"
    )
    page.get_by_label("PN1: Child physically attends and speaks for him or herself").check()
    page.get_by_label("How the child took part, in your words (optional)").fill(
        "Maya read out her own views."
    )
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("is recorded.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("LAC review held on")
    accessible()
    review = LacReview.objects.get()
    assert (review.review_code, review.recorded_by) == ("PN1", iro)

    # ...a recommendation for the social worker...
    page.get_by_role("link", name="Add a decision or recommendation").click()
    page.get_by_label("Decision or recommendation").fill("Arrange contact with her brother.")
    page.get_by_label("Owner").select_option(label="Sam Worker (Social worker)")
    due = today + timedelta(days=21)
    _fill_date(page, "due", due)
    accessible()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("The recommendation is added for Sam Worker")).to_be_visible()
    expect(page.get_by_role("link", name="Arrange contact with her brother.")).to_be_visible()

    # ...and the statutory visits every 14 days, agreed at the review.
    page.get_by_role("link", name="Record a change to the visiting schedule").click()
    page.get_by_label("Statutory visit").check()
    page.get_by_label("Every").fill("14")
    page.get_by_label("Days", exact=True).check()
    page.get_by_label("Why the review agreed it").fill("Maya is settling in.")
    accessible()
    page.get_by_role("button", name="Record the schedule").click()
    expect(page.get_by_text("The schedule is recorded")).to_be_visible()
    expect(page.get_by_text("Maya is settling in.")).to_be_visible()
    accessible()
    override = ScheduleOverride.objects.get()
    assert (override.agreed_by, override.agreed_on, override.review) == (iro, today, review)

    # The IRO's record as a PDF, like the paper review record.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the review record as PDF").click()
    path = tmp_path / "review.pdf"
    download_info.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "E700001" in text and "Arrange contact with her brother." in text
    assert "Maya is settling in." in text

    # The social worker sees the new due dates and the recommendation in their worktray.
    page.context.clear_cookies()
    sign_in(social_worker)
    page.goto(f"{live_server.url}/worktray/")
    accessible()
    next_review = add_months(today, 3)  # TS §4: the second review within 3 months
    statutory = today + timedelta(days=14)
    recommendation = ReviewRecommendation.objects.get()
    assert Duty.objects.get(kind="lac_review", status="open", child=child).due == next_review
    assert Duty.objects.get(kind="statutory_visit", status="open", child=child).due == statutory
    expect(_row(page, "LAC review recommendation")).to_contain_text("Due in 21 days")
    expect(_row(page, "LAC review recommendation")).to_contain_text("Agreed at the LAC review of")
    expect(_row(page, "Statutory visit")).to_contain_text("Due in 14 days")
    expect(_row(page, "LAC review")).to_contain_text(f"Due in {(next_review - today).days} days")

    # The recommendation is done from there.
    _row(page, "LAC review recommendation").get_by_role(
        "link", name="LAC review recommendation"
    ).click()
    expect(page.get_by_role("heading", name="Decision or recommendation")).to_be_visible()
    accessible()
    page.get_by_role("link", name="Mark as done").click()
    page.get_by_label("What was done").fill("Saturday contact arranged.")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("The recommendation is marked as done.")).to_be_visible()
    accessible()
    recommendation.refresh_from_db()
    assert recommendation.status == ReviewRecommendation.Status.DONE
    assert errors == []
