"""The worktray: each person's home page, the filterable list, CSV and timeliness."""

import csv
import io
import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, Team
from accounts.tests.factories import TeamFactory, UserFactory
from duties import worktray
from duties.models import Duty
from placements.models import Child
from placements.tests.factories import ChildFactory, SettingFactory

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 18)  # a Wednesday: this week runs Mon 16 to Sun 22 November
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=LONDON)
_subjects = itertools.count(1)


@pytest.fixture
def on_today():
    with time_machine.travel(NOW, tick=False):
        yield


def make_duty(owner, due, *, child=None, kind="statutory_visit", team=None, **extra):
    if child is None:
        child = ChildFactory(team=owner.team if owner else team, social_worker=owner)
    return Duty.objects.create(
        kind=kind,
        subject=f"placement:{next(_subjects)}",
        child=child,
        owner=owner,
        team=team if team is not None else (owner.team if owner else None),
        due=due,
        basis=extra.pop("basis", f"Basis for {child.child_id}"),
        **extra,
    )


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def section(page: str, bucket: str) -> str:
    """The HTML of one worktray section of the home page."""
    start = page.index(f'data-testid="section-{bucket}"')
    end = page.find("</section>", start)
    return page[start:end]


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


# --- Buckets ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_sorts_my_duties_into_overdue_this_week_and_later(
    client, social_worker, team_manager, on_today
):
    teammate = UserFactory(role=Role.SOCIAL_WORKER, team=social_worker.team)
    late = make_duty(social_worker, date(2026, 11, 17))
    late_today = make_duty(
        social_worker, TODAY, due_at=datetime(2026, 11, 18, 10, 0, tzinfo=LONDON)
    )
    due_today = make_duty(social_worker, TODAY)
    due_sunday = make_duty(social_worker, date(2026, 11, 22))
    due_monday = make_duty(social_worker, date(2026, 11, 23))
    done = make_duty(
        social_worker, date(2026, 11, 10), status=Duty.Status.DONE, done_on=date(2026, 11, 9)
    )
    cancelled = make_duty(social_worker, date(2026, 11, 10), status=Duty.Status.CANCELLED)
    not_mine = make_duty(teammate, date(2026, 11, 17))

    response = home(client, social_worker)
    counts = response.context["counts"]
    assert counts == {"overdue": 2, "this_week": 2, "later": 1}
    page = response.content.decode()
    overdue, week, later = (
        section(page, "overdue"),
        section(page, "due_this_week"),
        section(page, "due_later"),
    )
    assert late.child.child_id in overdue and late_today.child.child_id in overdue
    assert "1 day late" in overdue and "Late today" in overdue
    assert due_today.child.child_id in week and due_sunday.child.child_id in week
    assert "Due today" in week
    assert due_monday.child.child_id in later and "Due in 5 days" in later
    assert due_monday.child.child_id not in overdue + week
    for hidden in (done, cancelled, not_mine):
        assert hidden.child.child_id not in page
    assert 'data-testid="count-overdue">2<' in page
    assert f'href="{reverse("placements:child", args=[late.child_id])}"' in overdue
    assert late.child.name in overdue and f"Basis for {late.child.child_id}" in overdue
    assert "Your details" in page


@pytest.mark.django_db
def test_home_shows_25_rows_a_section_and_links_to_all(client, social_worker, on_today):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    Duty.objects.bulk_create(
        Duty(
            kind="statutory_visit",
            subject=f"placement:{next(_subjects)}",
            child=child,
            owner=social_worker,
            team=social_worker.team,
            due=TODAY - timedelta(days=1 + i),
        )
        for i in range(30)
    )
    response = home(client, social_worker)
    overdue = response.context["sections"][0]
    assert overdue["count"] == 30 and len(overdue["rows"]) == 25
    assert overdue["rows"][0].days == 30  # the longest overdue first
    page = response.content.decode()
    assert f'href="{reverse("duties:worktray")}?status=overdue">See all 30 overdue' in page


# --- Scope -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_team_manager_sees_the_teams_duties_with_counts_per_worker(
    client, team_manager, social_worker, other_team_worker, cic_team, on_today
):
    teammate = UserFactory(
        role=Role.SOCIAL_WORKER, team=cic_team, line_manager=team_manager, first_name="Tia"
    )
    make_duty(social_worker, date(2026, 11, 10))
    make_duty(social_worker, date(2026, 11, 12))
    make_duty(social_worker, date(2026, 11, 20))
    make_duty(teammate, date(2026, 12, 1))
    unallocated = make_duty(None, date(2026, 11, 2), team=cic_team)
    elsewhere = make_duty(other_team_worker, date(2026, 11, 10))

    response = home(client, team_manager)
    page = response.content.decode()
    assert response.context["counts"] == {"overdue": 3, "this_week": 1, "later": 1}
    assert unallocated.child.child_id in section(page, "overdue")
    assert elsewhere.child.child_id not in page
    assert str(other_team_worker) not in page
    rows = {row["worker"]: row for row in response.context["worker_counts"]}
    assert (rows["Sam Worker"]["overdue"], rows["Sam Worker"]["this_week"]) == (2, 1)
    assert (rows[str(teammate)]["overdue"], rows[str(teammate)]["later"]) == (0, 1)
    assert rows["Not allocated"]["overdue"] == 1
    assert "Your team" in page and f"?worker={social_worker.pk}" in page

    # The service manager above both teams sees both.
    sm = team_manager.line_manager
    response = home(client, sm)
    assert response.context["counts"]["overdue"] == 4


@pytest.mark.django_db
def test_iro_sees_their_iro_visits_and_reviews_of_children_they_review(
    client, iro, social_worker, on_today
):
    reviewed = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=iro)
    other = ChildFactory(team=social_worker.team, social_worker=social_worker)
    visit = make_duty(iro, date(2026, 11, 17), child=reviewed, kind="iro_visit")
    review = make_duty(social_worker, date(2026, 11, 19), child=reviewed, kind="lac_review")
    statutory = make_duty(social_worker, date(2026, 11, 17), child=reviewed)
    not_theirs = make_duty(social_worker, date(2026, 11, 19), child=other, kind="lac_review")
    response = home(client, iro)
    assert response.context["counts"] == {"overdue": 1, "this_week": 1, "later": 0}
    ids = {d.pk for s in response.context["sections"] for d in s["rows"]}
    assert ids == {visit.pk, review.pk}
    assert statutory.pk not in ids and not_theirs.pk not in ids


@pytest.mark.django_db
def test_commissioning_sees_commissioning_visits(client, commissioning, social_worker, on_today):
    visit = make_duty(social_worker, date(2026, 11, 17), kind="commissioning_visit")
    make_duty(social_worker, date(2026, 11, 17))
    response = home(client, commissioning)
    ids = {d.pk for s in response.context["sections"] for d in s["rows"]}
    assert ids == {visit.pk}


@pytest.mark.django_db
def test_assistant_director_sees_authority_counts_by_kind_and_team(
    client, assistant_director, social_worker, other_team_worker, on_today
):
    make_duty(social_worker, date(2026, 11, 17))
    make_duty(social_worker, date(2026, 11, 19), kind="lac_review")
    make_duty(other_team_worker, date(2026, 12, 17))
    response = home(client, assistant_director)
    assert response.context["counts"] == {"overdue": 1, "this_week": 1, "later": 1}
    kinds = {row["kind"]: row for row in response.context["kind_counts"]}
    assert (kinds["statutory_visit"]["overdue"], kinds["statutory_visit"]["later"]) == (1, 1)
    assert kinds["lac_review"]["this_week"] == 1 and kinds["iro_visit"]["overdue"] == 0
    teams = {row["team"]: row for row in response.context["team_counts"]}
    assert teams["Children in Care North"]["overdue"] == 1
    assert teams["Children in Care South"]["later"] == 1
    page = response.content.decode()
    assert 'data-testid="kind-counts"' in page and 'data-testid="team-counts"' in page


@pytest.mark.django_db
def test_a_restricted_childs_duties_show_only_to_those_who_may_open_the_record(
    client, social_worker, team_manager, assistant_director, cic_team, on_today
):
    child = ChildFactory(team=cic_team, social_worker=social_worker, restricted=True)
    make_duty(social_worker, date(2026, 11, 17), child=child)
    teammate = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team, line_manager=team_manager)
    make_duty(teammate, date(2026, 11, 17))
    assert home(client, social_worker).context["counts"]["overdue"] == 1
    assert home(client, team_manager).context["counts"]["overdue"] == 2  # her line manager
    response = home(client, assistant_director)
    assert response.context["counts"]["overdue"] == 1
    client.force_login(assistant_director)
    page = client.get(reverse("duties:worktray")).content.decode()
    assert child.child_id not in page and child.name not in page


# --- The worktray page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_worktray_page_filters_and_csv_is_exactly_what_is_shown(
    client, team_manager, social_worker, cic_team, on_today
):
    teammate = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team, line_manager=team_manager)
    setting = SettingFactory(urn="SC123456")
    a = make_duty(social_worker, date(2026, 11, 17), setting=setting)
    b = make_duty(social_worker, date(2026, 11, 20), kind="lac_review")
    c = make_duty(teammate, date(2026, 11, 17))
    d = make_duty(teammate, date(2027, 1, 4))
    client.force_login(team_manager)
    url = reverse("duties:worktray")

    def shown(query=""):
        response = client.get(url + query)
        assert response.status_code == 200
        return [duty.pk for duty in response.context["page"].object_list]

    assert shown() == [a.pk, c.pk, b.pk, d.pk]
    assert shown("?status=overdue") == [a.pk, c.pk]
    assert shown("?status=due_this_week") == [b.pk]
    assert shown("?status=due_later") == [d.pk]
    assert shown("?kind=lac_review") == [b.pk]
    assert shown(f"?worker={teammate.pk}") == [c.pk, d.pk]
    assert shown(f"?worker={teammate.pk}&status=overdue") == [c.pk]

    rows = csv_rows(client.get(url + "?status=overdue&format=csv"))
    assert rows[0] == ["kind", "child", "urn", "due", "status", "owner"]
    assert rows[1:] == [
        ["statutory_visit", a.child.child_id, "SC123456", "2026-11-17", "overdue", "Sam Worker"],
        ["statutory_visit", c.child.child_id, "", "2026-11-17", "overdue", str(teammate)],
    ]
    rows = csv_rows(client.get(url + "?format=csv"))
    assert [r[4] for r in rows[1:]] == ["overdue", "overdue", "due_this_week", "due_later"]

    unallocated = make_duty(None, date(2026, 11, 30), team=cic_team)
    assert shown("?worker=null") == [unallocated.pk]
    rows = csv_rows(client.get(url + "?worker=null&format=csv"))
    assert rows[1:] == [
        ["statutory_visit", unallocated.child.child_id, "", "2026-11-30", "due_later", ""]
    ]


@pytest.mark.django_db
def test_worktray_page_for_a_social_worker_has_no_worker_filter(
    client, social_worker, other_team_worker, on_today
):
    mine = make_duty(social_worker, date(2026, 11, 17))
    theirs = make_duty(other_team_worker, date(2026, 11, 17))
    client.force_login(social_worker)
    response = client.get(reverse("duties:worktray") + f"?worker={other_team_worker.pk}")
    assert "worker" not in response.context["filter"].form.fields
    assert [d.pk for d in response.context["page"].object_list] == [mine.pk]
    body = b"".join(client.get(reverse("duties:worktray") + "?format=csv").streaming_content)
    assert theirs.child.child_id not in body.decode()


@pytest.mark.django_db
def test_worker_choices_are_only_people_in_scope(
    client, team_manager, social_worker, other_team_worker, on_today
):
    make_duty(social_worker, date(2026, 11, 17))
    make_duty(other_team_worker, date(2026, 11, 17))
    client.force_login(team_manager)
    response = client.get(reverse("duties:worktray"))
    choices = list(response.context["filter"].form.fields["worker"].queryset)
    assert choices == [social_worker]
    page = response.content.decode()
    assert str(other_team_worker) not in page


@pytest.mark.django_db
def test_administrator_has_no_worktray(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("duties:worktray")).status_code == 403
    page = home(client, administrator).content.decode()
    assert "Staff by role" in page and "section-overdue" not in page


# --- Timeliness ----------------------------------------------------------------------------


def test_financial_quarters():
    assert worktray.financial_quarter(date(2026, 11, 18)) == worktray.Quarter(
        date(2026, 10, 1),
        date(2026, 12, 31),
        "Q3 2026/27: 1 October 2026 to 31 December 2026",
    )
    q4 = worktray.financial_quarter(date(2027, 2, 28))
    assert (q4.start, q4.end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert q4.label.startswith("Q4 2026/27")
    q1 = worktray.financial_quarter(date(2026, 4, 1))
    assert (q1.start, q1.end) == (date(2026, 4, 1), date(2026, 6, 30))
    q2 = worktray.financial_quarter(date(2026, 9, 30))
    assert (q2.start, q2.end) == (date(2026, 7, 1), date(2026, 9, 30))


@pytest.mark.django_db
def test_timeliness_per_cent_of_visits_on_time_this_quarter(
    client, team_manager, social_worker, other_team_worker, assistant_director, on_today
):
    def done(owner, due, done_on, kind="statutory_visit"):
        return make_duty(owner, due, kind=kind, status=Duty.Status.DONE, done_on=done_on)

    done(social_worker, date(2026, 10, 5), date(2026, 10, 1))  # early: on time
    done(social_worker, date(2026, 10, 20), date(2026, 10, 20))  # on the day: on time
    done(social_worker, date(2026, 11, 2), date(2026, 11, 9), "purposeful_visit")  # late
    done(social_worker, date(2026, 9, 28), date(2026, 10, 2))  # late, done in this quarter
    done(social_worker, date(2026, 9, 20), date(2026, 9, 20))  # last quarter: not counted
    done(social_worker, date(2026, 10, 20), date(2026, 10, 30), "lac_review")  # not a visit
    make_duty(social_worker, date(2026, 10, 1))  # still open: not counted
    make_duty(social_worker, date(2026, 10, 1), status=Duty.Status.CANCELLED)
    done(other_team_worker, date(2026, 11, 1), date(2026, 10, 31), "iro_visit")

    response = home(client, team_manager)
    rows = {row["team"].name: row for row in response.context["timeliness"]}
    assert set(rows) == {"Children in Care North"}
    north = rows["Children in Care North"]
    assert (north["on_time"], north["done"], north["per_cent"]) == (2, 4, 50)
    page = response.content.decode()
    assert "Q3 2026/27: 1 October 2026 to 31 December 2026" in page
    assert "April to June, July to September, October to December and January to March" in page
    assert ">50%<" in page

    response = home(client, assistant_director)
    rows = {row["team"].name: row for row in response.context["timeliness"]}
    assert rows["Children in Care South"]["per_cent"] == 100
    assert rows["Children in Care North"]["per_cent"] == 50
    assert "Senior Leadership" not in rows  # not a casework team, and no visits

    empty = TeamFactory(name="Care Leavers East", kind=Team.Kind.CARE_LEAVERS)
    response = home(client, assistant_director)
    rows = {row["team"].name: row for row in response.context["timeliness"]}
    assert rows[empty.name]["per_cent"] is None and "No visits yet" in response.content.decode()
    assert home(client, social_worker).context.get("timeliness") is None


# --- A fixed number of queries at 10 and 10,000 -------------------------------------------


def _populate(start: int, stop: int, workers, team):
    """Children start..stop-1, each with an open duty in one of the buckets, and a done visit
    for every tenth; in bulk."""
    today = date.today()
    children = Child.objects.bulk_create(
        Child(
            child_id=f"W{i:06d}",
            first_name="Child",
            last_name=f"Number {i}",
            date_of_birth=date(2012, 5, 17),
            sex="1",
            ethnicity="WBRI",
            team=team,
            social_worker=workers[i % len(workers)],
        )
        for i in range(start, stop)
    )
    kinds = ["statutory_visit", "purposeful_visit", "lac_review"]
    duties = []
    for n, child in enumerate(children):
        i = start + n
        duties.append(
            Duty(
                kind=kinds[i % 3],
                subject=f"child:{i}",
                child=child,
                owner=child.social_worker,
                team=team,
                due=today + timedelta(days=(i * 7) % 40 - 15),
            )
        )
        if i % 10 == 0:
            duties.append(
                Duty(
                    kind="statutory_visit",
                    subject=f"child:{i}",
                    child=child,
                    owner=child.social_worker,
                    team=team,
                    due=today - timedelta(days=i % 7),
                    status=Duty.Status.DONE,
                    done_on=today - timedelta(days=i % 5),
                )
            )
    Duty.objects.bulk_create(duties, batch_size=5000)


def _count_queries(client, url):
    warm = client.get(url)
    if warm.streaming:
        b"".join(warm.streaming_content)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else b""
        assert response.status_code == 200
    return len(ctx.captured_queries), body


@pytest.mark.django_db
def test_worktray_runs_a_fixed_number_of_queries_at_10_and_10000_children(
    client, social_worker, team_manager, assistant_director, cic_team, django_assert_num_queries
):
    teammate = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team, line_manager=team_manager)
    workers = [social_worker, teammate]
    pages = [
        (social_worker, "/"),
        (social_worker, "/worktray/"),
        (social_worker, "/worktray/?status=overdue&kind=statutory_visit&page=2"),
        (social_worker, "/worktray/?format=csv"),
        (team_manager, "/"),
        (team_manager, f"/worktray/?worker={teammate.pk}"),
        (team_manager, "/worktray/?format=csv"),
        (assistant_director, "/"),
        (assistant_director, f"/worktray/?team={cic_team.pk}&status=due_later"),
    ]
    _populate(0, 10, workers, cic_team)
    small = {}
    for user, url in pages:
        client.force_login(user)
        small[(user.pk, url)], _ = _count_queries(client, url)
        response = client.get(url)
        if not response.streaming and "page" in response.context:
            assert response.context["page"].object_list, url  # measured with rows to show
    _populate(10, 10_000, workers, cic_team)
    assert Duty.objects.filter(status="open").count() == 10_000
    for user, url in pages:
        client.force_login(user)
        client.get(url)  # settle the session
        with django_assert_num_queries(small[(user.pk, url)]):
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else b""
        if url == "/worktray/?format=csv" and user == social_worker:
            assert len(body.decode().strip().splitlines()) == 1 + 5_000
        if url == "/" and user == team_manager:
            sections = response.context["sections"]
            assert sum(s["count"] for s in sections) == 10_000
            assert all(len(s["rows"]) == 25 for s in sections)
    print({f"{pk} {url}": n for (pk, url), n in small.items()})


# --- In a real browser ------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_worktray_pages_are_accessible_in_a_browser(live_server, page, team_manager, social_worker):
    from accounts.tests.factories import PASSWORD
    from tests.e2e.axe import serious_violations

    today = date.today()
    for offset in (-9, -1, 0, 2, 30):
        make_duty(social_worker, today + timedelta(days=offset))
    make_duty(None, today - timedelta(days=3), team=social_worker.team)

    for user in (social_worker, team_manager):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_role("heading", name="Overdue").is_visible()
        assert serious_violations(page) == [], user.username
        page.get_by_role("link", name="Every duty, with filters").click()
        page.get_by_label("Status").select_option("overdue")
        page.get_by_role("button", name="Apply filters").click()
        assert (
            page.get_by_test_id("result-count")
            .inner_text()
            .startswith("2 duties" if user == social_worker else "3 duties")
        )
        assert serious_violations(page) == [], page.url
        page.goto(f"{live_server.url}/notifications/")
        assert serious_violations(page) == [], page.url
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{live_server.url}/accounts/login/")
