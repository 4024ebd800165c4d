"""The IRO's record of a LAC review held, and its decisions and recommendations
(reviews.records), through the browser and the duty table."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Duty, Notification
from placements.tests.factories import ChildFactory, PlacementFactory
from reviews.models import BookedReview, LacReview, ReviewRecommendation

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=LONDON), tick=False
    )


@pytest.fixture
def child(social_worker, iro):
    child = ChildFactory(
        child_id="R500001",
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
        date_of_birth=date(2012, 5, 12),
    )
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    return child


def _date(name: str, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def record_data(held_on: date, iro, **extra) -> dict:
    return {
        **_date("held_on", held_on),
        "place": "Room 4, County Hall",
        "participants": "Rhys (the child)\nJo Carer, foster carer\nSam Worker, social worker",
        "review_code": "PN1",
        "participation": "Rhys chaired the first part himself.",
        "chaired_by": str(iro.pk),
        **extra,
    }


def book(child, iro, on: date, today: date):
    from reviews import services

    with at(today):
        return services.review_book(
            child=child, review_date=on, place="County Hall", actor=iro, today=today
        )


def open_row(child, kind: str) -> Duty:
    return Duty.objects.get(child=child, kind=kind, status=Duty.Status.OPEN)


# --- Recording that the review was held -----------------------------------------------------


def test_the_iro_records_the_review_and_the_next_dates_follow_it(client, child, iro):
    book(child, iro, date(2026, 1, 29), date(2026, 1, 20))
    first = open_row(child, "lac_review")
    report = open_row(child, "review_report")
    client.force_login(iro)
    with at(date(2026, 1, 29)):
        page = client.get(reverse("reviews:child_reviews", args=[child.pk])).content.decode()
        assert reverse("reviews:review_record", args=[child.pk]) in page
        form = client.get(reverse("reviews:review_record", args=[child.pk])).content.decode()
        assert 'value="Room 4' not in form and 'value="County Hall"' in form  # the booking's
        response = client.post(
            reverse("reviews:review_record", args=[child.pk]),
            record_data(date(2026, 1, 29), iro),
            follow=True,
        )
    review = LacReview.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reviews:review", args=[review.pk])
    page = response.content.decode()
    assert "The LAC review held on 29 January 2026 is recorded." in page
    assert "PN1: Child physically attends and speaks for him or herself" in page
    assert "Jo Carer, foster carer" in page
    assert (review.review_code, review.chaired_by, review.recorded_by) == ("PN1", iro, iro)
    assert review.booked_for == date(2026, 1, 29) and review.early_reason == ""
    assert review.history.get().history_user == iro

    # The review discharges its duty; the next is due 3 months on (TS §4), and the report
    # for it 5 working days before (003_… 10.22); this cycle's unsent report is cancelled.
    first.refresh_from_db()
    assert (first.status, first.done_on) == (Duty.Status.DONE, date(2026, 1, 29))
    assert first.done_by == f"lac_review:{review.pk}"
    assert open_row(child, "lac_review").due == date(2026, 4, 29)
    report.refresh_from_db()
    assert report.status == Duty.Status.CANCELLED
    assert open_row(child, "review_report").due == date(2026, 4, 22)


@pytest.mark.parametrize(
    ("held_on", "reason", "refused"),
    [
        (date(2026, 1, 28), "", "Say why the review was held before the date it was booked"),
        (date(2026, 1, 28), "The carer is away on the 29th.", ""),
        (date(2026, 1, 29), "", ""),  # on the booked date: no reason asked
    ],
)
def test_a_review_held_before_its_booked_date_needs_a_reason(
    client, child, iro, held_on, reason, refused
):
    book(child, iro, date(2026, 1, 29), date(2026, 1, 20))
    client.force_login(iro)
    with at(date(2026, 1, 29)):
        response = client.post(
            reverse("reviews:review_record", args=[child.pk]),
            record_data(held_on, iro, early_reason=reason),
        )
    if refused:
        html = response.content.decode()
        assert response.status_code == 200 and refused in html
        assert 'id="early_reason-error"' in html or "govuk-error-message" in html
        assert not LacReview.objects.exists()
        assert open_row(child, "lac_review").status == Duty.Status.OPEN
    else:
        assert response.status_code == 302
        review = LacReview.objects.get()
        assert review.review_date == held_on and review.early_reason == reason


@pytest.mark.parametrize(
    ("held_on", "refused"),
    [
        (date(2026, 1, 21), "The date the review was held must be today or earlier."),
        (date(2026, 1, 20), ""),
        (date(2026, 1, 4), "on or after 5 January 2026, when R500001 became looked after"),
        (date(2026, 1, 5), ""),
    ],
)
def test_the_date_held_is_not_in_the_future_nor_before_care(client, child, iro, held_on, refused):
    client.force_login(iro)
    with at(date(2026, 1, 20)):
        response = client.post(
            reverse("reviews:review_record", args=[child.pk]), record_data(held_on, iro)
        )
    if refused:
        assert refused in response.content.decode()
        assert not LacReview.objects.exists()
    else:
        assert response.status_code == 302 and LacReview.objects.get().review_date == held_on


def test_a_review_on_the_date_of_an_imported_one_completes_it(client, child, iro, tmp_path):
    imported = LacReview.objects.create(child=child, review_date=date(2026, 1, 26))
    client.force_login(iro)
    with at(date(2026, 2, 2)):
        page = client.get(reverse("reviews:review", args=[imported.pk])).content.decode()
        assert "Imported from the SSDA903 return" in page and "Complete the record" in page
        client.post(
            reverse("reviews:review_record", args=[child.pk]),
            record_data(date(2026, 1, 26), iro, review_code="PN6"),
        )
        # Recording it again is refused: it is changed from its page.
        again = client.post(
            reverse("reviews:review_record", args=[child.pk]),
            record_data(date(2026, 1, 26), iro),
        )
    assert "is already recorded: change it from its page" in again.content.decode()
    imported.refresh_from_db()
    assert LacReview.objects.count() == 1
    assert imported.is_recorded and imported.review_code == "PN6"
    assert [h.history_change_reason for h in imported.history.order_by("history_id")][-1] == (
        "Record completed by the IRO"
    )
    # The 903 export carries the code recorded in the app.
    call_command("export_903", "--year", "2025", "--out", str(tmp_path), stdout=StringIO())
    assert "R500001,12/05/2012,26/01/2026,PN6" in (tmp_path / "reviews.csv").read_text()


def test_the_iro_completes_an_imported_review_from_its_page(client, child, iro):
    imported = LacReview.objects.create(
        child=child, review_date=date(2026, 1, 26), review_code="PN1"
    )
    client.force_login(iro)
    url = reverse("reviews:review_edit", args=[imported.pk])
    with at(date(2026, 2, 2)):
        assert "Complete the record of the LAC review" in client.get(url).content.decode()
        data = record_data(date(2026, 1, 26), iro)
        data.pop("participants")
        refused = client.post(url, data)
        assert "Say who took part in the review" in refused.content.decode()
        client.post(url, record_data(date(2026, 1, 26), iro))
    imported.refresh_from_db()
    assert imported.recorded_by == iro and imported.participants.startswith("Rhys")


@pytest.mark.parametrize(
    ("code", "refused"),
    [
        ("PN1", "was under 4 on 20 January 2026: choose PN0"),
        ("PN0", ""),
    ],
)
def test_pn0_is_for_a_child_under_4(client, social_worker, iro, code, refused):
    toddler = ChildFactory(
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
        date_of_birth=date(2022, 1, 21),  # 4 on 21 January 2026: the day after
    )
    PlacementFactory(child=toddler, decom=date(2026, 1, 5))
    client.force_login(iro)
    with at(date(2026, 1, 20)):
        response = client.post(
            reverse("reviews:review_record", args=[toddler.pk]),
            record_data(date(2026, 1, 20), iro, review_code=code),
        )
    if refused:
        assert refused in response.content.decode() and not LacReview.objects.exists()
    else:
        assert LacReview.objects.get().review_code == "PN0"


def test_only_the_childs_iro_records_the_review(client, child, team_manager, social_worker, iro):
    """The team manager books the review but does not record it: the record is the
    independent chair's (reviews.records)."""
    url = reverse("reviews:review_record", args=[child.pk])
    other_iro = UserFactory(role=Role.IRO, team=iro.team)
    with at(date(2026, 1, 20)):
        for user in (team_manager, social_worker):
            client.force_login(user)
            page = client.get(reverse("reviews:child_reviews", args=[child.pk])).content.decode()
            assert url not in page
            assert client.get(url).status_code == 403
            assert client.post(url, record_data(date(2026, 1, 20), iro)).status_code == 403
        client.force_login(other_iro)  # not this child's IRO: the child is not theirs to see
        assert client.get(url).status_code == 404
    assert not LacReview.objects.exists()


# --- Decisions and recommendations ----------------------------------------------------------


@pytest.fixture
def review(child, iro):
    return LacReview.objects.create(
        child=child,
        review_date=date(2026, 1, 29),
        review_code="PN1",
        chaired_by=iro,
        participants="Rhys",
        recorded_by=iro,
        recorded_at=datetime(2026, 1, 29, 12, tzinfo=LONDON),
    )


def add(client, review, owner, due: date | None, text="Arrange contact with his brother."):
    data = {"text": text, "owner": str(owner.pk) if owner else ""}
    if due is not None:
        data.update(_date("due", due))
    return client.post(reverse("reviews:recommendation_add", args=[review.pk]), data)


def deadlines(as_of: date) -> list[str]:
    out = StringIO()
    call_command(
        "deadlines", "--as-of", f"{as_of:%Y-%m-%d}", "--kind", "review_recommendation", stdout=out
    )
    return out.getvalue().splitlines()[1:]


def test_a_recommendation_is_its_owners_duty(client, review, child, social_worker, iro):
    client.force_login(iro)
    with at(date(2026, 1, 30)):
        form = client.get(reverse("reviews:recommendation_add", args=[review.pk]))
        assert "Sam Worker" in form.content.decode()
        response = add(client, review, social_worker, date(2026, 2, 27))
    assert response.status_code == 302
    rec = ReviewRecommendation.objects.get()
    duty = Duty.objects.get(kind="review_recommendation")
    assert duty.subject == f"review_recommendation:{rec.pk}"
    assert (duty.owner, duty.child, duty.due) == (social_worker, child, date(2026, 2, 27))
    assert duty.basis == "Agreed at the LAC review of 29 January 2026"
    assert duty.link == reverse("reviews:recommendation", args=[rec.pk])
    assert Notification.objects.get(user=social_worker).url == duty.link
    # Listed by deadlines --as-of: open the day before and on, overdue after.
    assert deadlines(date(2026, 2, 26)) == ["review_recommendation,R500001,,2026-02-27,open,sw"]
    assert deadlines(date(2026, 2, 27)) == ["review_recommendation,R500001,,2026-02-27,open,sw"]
    assert deadlines(date(2026, 2, 28)) == ["review_recommendation,R500001,,2026-02-27,overdue,sw"]
    # In the social worker's worktray, and the IRO's (childs_iro_answers).
    for user in (social_worker, iro):
        with at(date(2026, 2, 2)):
            client.force_login(user)
            page = client.get(reverse("duties:worktray")).content.decode()
        assert "LAC review recommendation" in page, user


@pytest.mark.parametrize(
    ("owner", "due", "refused"),
    [
        (None, date(2026, 2, 27), "Choose who owns the recommendation"),
        ("other_team_worker", date(2026, 2, 27), "may not open R500001&#x27;s record"),
        ("social_worker", date(2026, 1, 28), "on or after the review, held on 29 January 2026"),
        ("social_worker", date(2026, 1, 29), ""),
        ("social_worker", None, "Enter the date it is due by"),
    ],
)
def test_a_recommendation_needs_an_owner_who_sees_the_child_and_a_due_date(
    client, review, iro, request, owner, due, refused
):
    client.force_login(iro)
    user = request.getfixturevalue(owner) if owner else None
    with at(date(2026, 1, 30)):
        response = add(client, review, user, due)
    if refused:
        html = response.content.decode()
        assert refused in html and "govuk-error-message" in html
        assert (
            not ReviewRecommendation.objects.exists()
            and not Duty.objects.filter(kind="review_recommendation").exists()
        )
    else:
        assert ReviewRecommendation.objects.get().due == due


def test_the_owner_marks_it_done_and_the_iro_may_not(client, review, social_worker, iro):
    with at(date(2026, 1, 30)):
        client.force_login(iro)
        add(client, review, social_worker, date(2026, 2, 27))
        rec = ReviewRecommendation.objects.get()
        url = reverse("reviews:recommendation_done", args=[rec.pk])
        assert client.get(url).status_code == 403
    with at(date(2026, 2, 3)):
        client.force_login(social_worker)
        page = client.get(reverse("reviews:recommendation", args=[rec.pk])).content.decode()
        assert url in page
        assert "Say what was done" in client.post(url, {"note": "  "}).content.decode()
        client.post(url, {"note": "Contact arranged for Saturdays."})
        rec.refresh_from_db()
        assert (rec.status, rec.done_on) == (ReviewRecommendation.Status.DONE, date(2026, 2, 3))
        duty = Duty.objects.get(kind="review_recommendation")
        assert (duty.status, duty.done_on) == (Duty.Status.DONE, date(2026, 2, 3))
        assert rec.history.order_by("-history_id").first().history_user == social_worker
        # Done is done: the form is not offered again.
        assert client.get(url).status_code == 302


def test_the_iro_withdraws_it_with_a_reason(client, review, social_worker, iro):
    with at(date(2026, 2, 4)):
        client.force_login(iro)
        add(client, review, social_worker, date(2026, 2, 27))
        rec = ReviewRecommendation.objects.get()
        url = reverse("reviews:recommendation_withdraw", args=[rec.pk])
        refused = client.post(url, {"reason": ""})
        assert "Say why the recommendation is withdrawn" in refused.content.decode()
        client.post(url, {"reason": "The brother has moved abroad."})
        rec.refresh_from_db()
        assert rec.status == ReviewRecommendation.Status.WITHDRAWN
        assert rec.withdrawn_reason == "The brother has moved abroad."
        duty = Duty.objects.get(kind="review_recommendation")
        assert duty.status == Duty.Status.CANCELLED and duty.due == date(2026, 2, 27)
        assert Notification.objects.filter(
            user=social_worker, key=f"review_recommendation:{rec.pk}:withdrawn"
        ).exists()
        client.force_login(social_worker)
        assert client.get(url).status_code == 403  # the IRO's step, not the owner's


# --- The review's page and its PDF ----------------------------------------------------------


def _recommendations(review, owner, n: int):
    for i in range(n):
        ReviewRecommendation.objects.create(
            review=review,
            text=f"Recommendation {i}",
            owner=owner,
            due=date(2026, 2, 1) + timedelta(days=i),
            created_by=review.chaired_by,
        )


@pytest.mark.parametrize("n", [2, 6])
def test_the_review_page_runs_a_fixed_number_of_queries(
    client, review, social_worker, iro, n, django_assert_num_queries
):
    _recommendations(review, social_worker, n)
    client.force_login(iro)
    url = reverse("reviews:review", args=[review.pk])
    client.get(url)  # the session and anything cached once
    with django_assert_num_queries(QUERIES_REVIEW_PAGE):
        page = client.get(url).content.decode()
    assert page.count("Recommendation ") == n
    assert reverse("visits:review_schedule", args=[review.pk]) in page
    assert reverse("reviews:recommendation_add", args=[review.pk]) in page


QUERIES_REVIEW_PAGE = 9


def test_the_record_prints_like_the_paper_review_record(
    client, review, child, social_worker, iro, monkeypatch
):
    from tests.test_permission_matrix import FakeHTML

    monkeypatch.setattr("weasyprint.HTML", FakeHTML)
    review.place = "Room 4 <b>County</b> Hall"
    review.save()
    _recommendations(review, social_worker, 2)
    client.force_login(social_worker)
    response = client.get(reverse("reviews:review_pdf", args=[review.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "lac-review-R500001-2026-01-29.pdf" in response["Content-Disposition"]
    html = response.content.decode()
    for words in (
        "Looked after child review: record of the review",
        "R500001",
        "12/05/2012",
        "Room 4 &lt;b&gt;County&lt;/b&gt; Hall",
        "PN1: Child physically attends and speaks for him or herself",
        "Recommendation 1",
        "Sam Worker",
        "02/02/2026",
        "Changes to the visiting schedule agreed at the review",
        "Independent Reviewing Officer's signature",
    ):
        assert words in html, words


def test_the_pdf_is_a_pdf(client, review, iro):
    client.force_login(iro)
    response = client.get(reverse("reviews:review_pdf", args=[review.pk]))
    assert response.content.startswith(b"%PDF")


def test_another_teams_worker_is_refused_every_page(client, review, other_team_worker, iro):
    rec = ReviewRecommendation.objects.create(
        review=review, text="x", owner=iro, due=date(2026, 2, 1), created_by=iro
    )
    client.force_login(other_team_worker)
    for name, pk in (
        ("reviews:review", review.pk),
        ("reviews:review_edit", review.pk),
        ("reviews:review_pdf", review.pk),
        ("reviews:recommendation_add", review.pk),
        ("visits:review_schedule", review.pk),
        ("reviews:recommendation", rec.pk),
        ("reviews:recommendation_done", rec.pk),
        ("reviews:recommendation_withdraw", rec.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.get(reverse("reviews:review_record", args=[review.child.pk])).status_code == 404
    assert BookedReview.objects.count() == 0
