"""The IRO's worktray (issue 15): reviews due, reports awaited and recommendations
outstanding for the children they review, whoever owns each duty; the kinds come from the
registry (``DutyType.iro_follows``)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties import registry, worktray
from duties.models import Duty
from duties.tests.test_worktray import (
    NOW,
    TODAY,
    _count_queries,
    _populate,
    csv_rows,
    home,
    make_duty,
)
from placements.tests.factories import ChildFactory

RECOMMENDATION = "test_recommendation"


@pytest.fixture
def on_today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def recommendations():
    """A kind followed under "Recommendations outstanding", as the review workflow
    registers its recommendations; taken out of the registry again afterwards."""
    duty_type = registry.DutyType(
        kind=RECOMMENDATION,
        label="Review recommendation (test)",
        owner="Whoever the review named",
        iro_follows="Recommendations outstanding",
        order=62,
    )
    registry.register(duty_type)
    yield duty_type
    registry._registry.types.pop(RECOMMENDATION)


def followed(response) -> dict[str, dict]:
    return {section["label"]: section for section in response.context["followed"]}


def ids(section: dict) -> set[int]:
    return {duty.pk for duty in section["rows"]}


@pytest.mark.django_db
def test_the_sections_follow_the_registry():
    sections = [(s.slug, s.label, s.kinds) for s in worktray.follow_sections()]
    assert sections[:2] == [
        ("reviews-due", "Reviews due", ("lac_review",)),
        ("reports-awaited", "Reports awaited", ("review_report",)),
    ]


@pytest.mark.django_db
def test_iro_sees_reviews_reports_and_recommendations_of_the_children_they_review(
    client, iro, social_worker, team_manager, recommendations, on_today
):
    reviewed = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    restricted = ChildFactory(
        team=social_worker.team, social_worker=social_worker, iro=iro, restricted=True
    )
    other = ChildFactory(team=social_worker.team, social_worker=social_worker)
    review = make_duty(social_worker, TODAY + timedelta(days=30), child=reviewed, kind="lac_review")
    report = make_duty(
        social_worker, TODAY - timedelta(days=2), child=reviewed, kind="review_report"
    )
    report_due = make_duty(social_worker, TODAY, child=restricted, kind="review_report")
    # A recommendation owned by the team manager, one by no one: followed whoever owns it.
    to_manager = make_duty(
        team_manager, TODAY + timedelta(days=3), child=reviewed, kind=RECOMMENDATION
    )
    unowned = make_duty(None, TODAY - timedelta(days=40), child=restricted, kind=RECOMMENDATION)
    # Not followed: another child's, another kind, one done, one cancelled.
    make_duty(social_worker, TODAY, child=other, kind="review_report")
    make_duty(social_worker, TODAY, child=other, kind=RECOMMENDATION)
    make_duty(social_worker, TODAY, child=reviewed, kind="statutory_visit")
    make_duty(social_worker, TODAY, child=reviewed, kind="review_report", status=Duty.Status.DONE)
    make_duty(
        social_worker, TODAY, child=reviewed, kind=RECOMMENDATION, status=Duty.Status.CANCELLED
    )

    response = home(client, iro)
    sections = followed(response)
    assert list(sections) == ["Reviews due", "Reports awaited", "Recommendations outstanding"]
    assert ids(sections["Reviews due"]) == {review.pk}
    assert sections["Reviews due"]["counts"] == {"overdue": 0, "this_week": 0, "later": 1}
    assert ids(sections["Reports awaited"]) == {report.pk, report_due.pk}
    assert sections["Reports awaited"]["counts"] == {"overdue": 1, "this_week": 1, "later": 0}
    assert ids(sections["Recommendations outstanding"]) == {to_manager.pk, unowned.pk}
    assert sections["Recommendations outstanding"]["count"] == 2
    # Oldest first: the overdue report before the one due today.
    assert [d.pk for d in sections["Reports awaited"]["rows"]] == [report.pk, report_due.pk]

    page = response.content.decode()
    start = page.index('data-testid="followed-reports-awaited"')
    html = page[start : page.index("</section>", start)]
    assert 'data-testid="count-reports-awaited">2<' in html
    assert "1 overdue, 1 due this week, 0 due later." in html
    assert str(social_worker) in html  # who the report is due from
    assert (
        f'<a class="govuk-link" href="{reverse("duties:worktray")}?follow=reports-awaited">'
        "See reports awaited with filters</a>" in html
    )
    start = page.index('data-testid="followed-recommendations-outstanding"')
    html = page[start : page.index("</section>", start)]
    assert "Not allocated" in html and str(team_manager) in html
    # The IRO's own worktray is as it was: the LAC review they answer for, not the reports.
    own = {d.pk for s in response.context["sections"] for d in s["rows"]}
    assert review.pk in own and report.pk not in own and to_manager.pk not in own


@pytest.mark.django_db
def test_an_iro_with_nothing_to_follow_is_told_so(client, iro, on_today):
    response = home(client, iro)
    assert [s["count"] for s in response.context["followed"]] == [0, 0, 0]
    assert response.content.decode().count("None for the children you review.") == 3


@pytest.mark.django_db
def test_other_roles_have_no_followed_sections(
    client, social_worker, team_manager, assistant_director, on_today
):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    make_duty(social_worker, TODAY, child=child, kind="review_report")
    for user in (social_worker, team_manager, assistant_director):
        response = home(client, user)
        assert "followed" not in response.context
        assert "The children you review" not in response.content.decode()


@pytest.mark.django_db
def test_the_list_shows_a_followed_section_with_filters_and_csv(
    client, iro, social_worker, on_today
):
    reviewed = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    other = ChildFactory(team=social_worker.team, social_worker=social_worker)
    late = make_duty(social_worker, TODAY - timedelta(days=3), child=reviewed, kind="review_report")
    later = make_duty(
        social_worker, TODAY + timedelta(days=30), child=reviewed, kind="review_report"
    )
    make_duty(social_worker, TODAY, child=other, kind="review_report")
    make_duty(social_worker, TODAY, child=reviewed, kind="lac_review")
    client.force_login(iro)
    url = reverse("duties:worktray")
    response = client.get(url, {"follow": "reports-awaited"})
    assert response.status_code == 200
    assert {d.pk for d in response.context["page"].object_list} == {late.pk, later.pk}
    body = response.content.decode()
    assert "Reports awaited: the children you review" in body
    assert '<option value="reports-awaited" selected>Reports awaited</option>' in body
    # The worker filter offers whom the reports are due from.
    assert f'<option value="{social_worker.pk}">' in body
    response = client.get(url, {"follow": "reports-awaited", "status": "overdue"})
    assert [d.pk for d in response.context["page"].object_list] == [late.pk]
    rows = csv_rows(client.get(url, {"follow": "reports-awaited", "format": "csv"}))
    assert rows[0] == ["kind", "child", "urn", "due", "status", "owner"]
    assert sorted(row[3] for row in rows[1:]) == [str(late.due), str(later.due)]
    # Without the choice: the duties the IRO answers for, as before.
    response = client.get(url)
    assert "Worktray" in response.content.decode()
    assert {d.kind for d in response.context["page"].object_list} == {"lac_review"}


@pytest.mark.django_db
def test_only_an_iro_may_follow(client, iro, social_worker, team_manager, on_today):
    """Anyone else asking for a followed section gets their own worktray; an unknown
    section gives the IRO theirs."""
    reviewed = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    report = make_duty(social_worker, TODAY, child=reviewed, kind="review_report")
    url = reverse("duties:worktray")
    other_iro = UserFactory(role=Role.IRO, team=iro.team)
    client.force_login(other_iro)
    response = client.get(url, {"follow": "reports-awaited"})
    assert list(response.context["page"].object_list) == []
    client.force_login(social_worker)
    response = client.get(url, {"follow": "reports-awaited"})
    assert [d.pk for d in response.context["page"].object_list] == [report.pk]
    assert "Reports awaited: the children" not in response.content.decode()
    assert 'name="follow"' not in response.content.decode()
    client.force_login(iro)
    response = client.get(url, {"follow": "nonsense"})
    assert "Reports awaited: the children" not in response.content.decode()
    assert report.pk not in {d.pk for d in response.context["page"].object_list}


def _reviewed_by(iro, start: int, stop: int, today: date) -> None:
    """Every child from ``start`` to ``stop`` reviewed by ``iro``, with a LAC review and a
    report each (as _populate made them: the kinds of its rows cycle)."""
    from placements.models import Child

    Child.objects.filter(child_id__in=[f"W{i:06d}" for i in range(start, stop)]).update(iro=iro)
    children = Child.objects.filter(child_id__in=[f"W{i:06d}" for i in range(start, stop)])
    Duty.objects.bulk_create(
        [
            Duty(
                kind="review_report",
                subject=f"report:{child.pk}",
                child=child,
                owner=child.social_worker,
                team=child.team,
                due=today + timedelta(days=child.pk % 30 - 10),
            )
            for child in children
        ],
        batch_size=5000,
    )


@pytest.mark.django_db
def test_iro_worktray_runs_a_fixed_number_of_queries_at_two_sizes(
    client,
    iro,
    social_worker,
    team_manager,
    assistant_director,
    cic_team,
    django_assert_num_queries,
    on_today,
):
    """The IRO's pages at 10 and 2,000 children reviewed; the other roles' home pages run
    the number of queries they ran before the IRO's sections existed."""
    teammate = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team, line_manager=team_manager)
    workers = [social_worker, teammate]
    pages = [
        (iro, "/"),
        (iro, "/worktray/"),
        (iro, "/worktray/?follow=reports-awaited"),
        (iro, "/worktray/?follow=reviews-due&status=overdue&page=2"),
        (iro, "/worktray/?follow=reports-awaited&format=csv"),
    ]
    _populate(0, 10, workers, cic_team)
    _reviewed_by(iro, 0, 10, TODAY)
    small = {}
    for user, url in pages:
        client.force_login(user)
        small[url], _ = _count_queries(client, url)
    # Before this part: social worker 10, team manager 12, assistant director 8.
    for user, expected in ((social_worker, 10), (team_manager, 12), (assistant_director, 8)):
        client.force_login(user)
        assert _count_queries(client, "/")[0] == expected, user.role
    _populate(10, 2_000, workers, cic_team)
    _reviewed_by(iro, 10, 2_000, TODAY)
    for user, url in pages:
        client.force_login(user)
        client.get(url)  # settle the session
        with django_assert_num_queries(small[url]):
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else b""
        if url == "/":
            sections = {s["label"]: s for s in response.context["followed"]}
            assert sections["Reports awaited"]["count"] == 2_000
            assert len(sections["Reports awaited"]["rows"]) == 25
            assert "See all 2,000 reports awaited</a>" in response.content.decode()
            assert (
                sections["Reviews due"]["count"]
                == Duty.objects.filter(kind="lac_review", status="open").count()
            )
        if url.endswith("format=csv"):
            assert len(body.decode().strip().splitlines()) == 1 + 2_000


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_iro_follows_the_reports_awaited_in_a_browser(live_server, page, iro, social_worker):
    """The IRO's home page and a followed section's list, with axe."""
    from accounts.tests.factories import PASSWORD
    from tests.e2e.axe import serious_violations

    today = date.today()
    reviewed = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    make_duty(social_worker, today + timedelta(days=40), child=reviewed, kind="lac_review")
    make_duty(social_worker, today - timedelta(days=2), child=reviewed, kind="review_report")
    make_duty(social_worker, today + timedelta(days=9), child=reviewed, kind="review_report")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(iro.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="The children you review").is_visible()
    assert page.get_by_test_id("count-reports-awaited").inner_text() == "2"
    assert serious_violations(page) == [], page.url
    page.get_by_role("link", name="See reports awaited with filters").click()
    assert page.get_by_role("heading", name="Reports awaited: the children you review").is_visible()
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_test_id("result-count").inner_text().startswith("1 duty")
    assert serious_violations(page) == [], page.url
