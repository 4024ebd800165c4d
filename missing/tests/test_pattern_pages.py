"""A child's and a setting's patterns of missing, and the missing figures, in the browser:
who may see them, what they show, the period filter, the CSV, and fixed query counts."""

import csv
import io
from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from missing import figures
from missing.models import EpisodeKind, InterviewOutcome, MissingEpisode, ReturnInterview
from missing.patterns import Period, rhi_due_on
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-06-15 12:00 +01:00", tick=False):
        yield


def episode(child, start, start_time=None, end=None, end_time=None, *, placement=None, **kw):
    return MissingEpisode.objects.create(
        child=child,
        placement=placement,
        kind=kw.pop("kind", EpisodeKind.MISSING),
        start_date=start,
        start_time=start_time,
        end_date=end,
        end_time=end_time,
        **kw,
    )


def interview(ep, outcome=InterviewOutcome.HELD, held_on=None):
    return ReturnInterview.objects.create(episode=ep, outcome=outcome, held_on=held_on)


@pytest.fixture
def home():
    return SettingFactory(name="Oak House", urn="SC900001")


@pytest.fixture
def child(social_worker, home):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, first_name="Amy")
    PlacementFactory(child=child, setting=home, decom=date(2025, 1, 6))
    return child


def placement_of(child):
    return child.placements.get()


# --- A child's patterns -------------------------------------------------------------------


def test_a_childs_patterns_show_charts_and_tables_of_the_last_12_months(client, child):
    placement = placement_of(child)
    episode(child, date(2026, 6, 1), time(22, 15), date(2026, 6, 2), time(3), placement=placement,
            where_found="friends")  # fmt: skip
    episode(child, date(2026, 5, 2), None, date(2026, 5, 6), placement=placement)
    episode(child, date(2025, 6, 15), time(9), date(2025, 6, 15), placement=placement)  # too old
    client.force_login(child.social_worker)

    response = client.get(reverse("missing:child_patterns", args=[child.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "From 16 June 2025 to 15 June 2026: <strong>2</strong> episodes" in html
    assert html.count('role="img"') == 5
    assert '<title id="missing-day-title">By day of the week</title>' in html
    assert "Monday: 1; Tuesday: 0; Wednesday: 0; Thursday: 0; Friday: 0; Saturday: 1" in html
    tables = response.context["charts"]
    rows = {chart.id: dict(tally.rows) for tally, chart in tables}
    assert rows["missing-time"]["20:00 to 23:59"] == 1
    assert rows["missing-time"]["Time not known"] == 1
    assert rows["missing-duration"] == {
        "Under 24 hours": 1,
        "1 to 3 days": 0,
        "Over 3 days": 1,
        "Still open": 0,
    }
    assert rows["missing-found"]["With friends or a partner"] == 1
    assert 'data-testid="missing-found-table"' in html


def test_a_period_chosen_counts_that_period(client, child):
    episode(child, date(2025, 6, 15), time(9), date(2025, 6, 15))
    client.force_login(child.social_worker)

    response = client.get(
        reverse("missing:child_patterns", args=[child.pk]),
        {"start_0": "1", "start_1": "6", "start_2": "2025", "end_0": "30", "end_1": "6",
         "end_2": "2025"},
    )  # fmt: skip

    assert response.context["found"].episodes == 1
    assert "From 1 June 2025 to 30 June 2025" in response.content.decode()


def test_a_period_ending_before_it_starts_is_refused_beside_the_field(client, child):
    client.force_login(child.social_worker)

    response = client.get(
        reverse("missing:child_patterns", args=[child.pk]),
        {"start_0": "1", "start_1": "6", "start_2": "2026", "end_0": "1", "end_1": "5",
         "end_2": "2026"},
    )  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The end of the period must be on or after its start" in html
    assert response.context["found"].period == Period(date(2025, 6, 16), TODAY)


def test_a_child_the_user_may_not_see_is_not_found(client, child, other_team_worker):
    client.force_login(other_team_worker)
    assert client.get(reverse("missing:child_patterns", args=[child.pk])).status_code == 404


def test_the_childs_record_links_to_the_patterns(client, child):
    client.force_login(child.social_worker)
    html = client.get(reverse("placements:child", args=[child.pk])).content.decode()
    assert reverse("missing:child_patterns", args=[child.pk]) in html


# --- A setting's patterns -----------------------------------------------------------------


def test_a_settings_patterns_count_the_children_the_user_may_see(
    client, child, home, other_team_worker, commissioning
):
    other = ChildFactory(team=other_team_worker.team, social_worker=other_team_worker)
    elsewhere = PlacementFactory(child=other, setting=home, decom=date(2025, 1, 6))
    episode(child, date(2026, 6, 1), time(22), date(2026, 6, 2), placement=placement_of(child))
    episode(other, date(2026, 6, 3), placement=elsewhere)
    url = reverse("missing:setting_patterns", args=[home.pk])

    client.force_login(commissioning)
    everyone = client.get(url)
    client.force_login(child.social_worker)
    own = client.get(url)

    assert (everyone.context["found"].episodes, everyone.context["found"].children) == (2, 2)
    assert "Only the episodes of children whose records" not in everyone.content.decode()
    assert (own.context["found"].episodes, own.context["found"].children) == (1, 1)
    assert "Only the episodes of children whose records you can see" in own.content.decode()


def test_a_settings_patterns_are_refused_to_a_role_that_opens_no_child(client, home, administrator):
    client.force_login(administrator)
    url = reverse("missing:setting_patterns", args=[home.pk])
    assert client.get(url).status_code == 403


def test_the_setting_page_shows_its_missing_episodes_and_links_to_the_patterns(
    client, child, home, commissioning
):
    episode(child, date(2026, 6, 1), placement=placement_of(child))
    client.force_login(commissioning)

    html = client.get(reverse("placements:setting", args=[home.pk])).content.decode()

    assert "1 episode of 1 child missing or away from a placement here, 1 still open" in html
    assert reverse("missing:setting_patterns", args=[home.pk]) in html


def test_a_setting_without_episodes_says_so(client, home, commissioning):
    client.force_login(commissioning)
    url = reverse("placements:setting", args=[home.pk])
    client.get(url)  # warm the caches the page keeps

    html = client.get(url).content.decode()

    assert "No child went missing from a placement here in the last 12 months" in html


# --- The figures --------------------------------------------------------------------------


@pytest.fixture
def returns(child, other_team_worker, home):
    """Returns in June 2026 of every kind the figures count, in two teams."""
    placement = placement_of(child)
    on_time = episode(child, date(2026, 6, 1), None, date(2026, 6, 2), placement=placement)
    interview(on_time, held_on=date(2026, 6, 5))  # the 3rd day after: on time
    late = episode(child, date(2026, 6, 6), time(20), date(2026, 6, 6), time(23, 30),
                   placement=placement)  # fmt: skip
    interview(late, held_on=date(2026, 6, 10))  # the 4th day: late
    declined = episode(child, date(2026, 6, 11), None, date(2026, 6, 11), placement=placement)
    interview(declined, InterviewOutcome.DECLINED, held_on=date(2026, 6, 12))
    episode(child, date(2026, 6, 13), None, date(2026, 6, 14), placement=placement)  # none yet
    other = ChildFactory(team=other_team_worker.team, social_worker=other_team_worker)
    there = PlacementFactory(child=other, setting=home, decom=date(2025, 1, 6))
    not_offered = episode(other, date(2026, 5, 30), None, date(2026, 6, 1), placement=there)
    interview(not_offered, InterviewOutcome.NOT_OFFERED)
    episode(other, date(2026, 6, 14), placement=there)  # still missing
    return child, other


def test_figures_count_children_episodes_and_interviews_by_team_setting_and_authority(
    client, returns, team_manager, home
):
    child, other = returns
    client.force_login(team_manager)

    response = client.get(reverse("missing:figures"))

    assert response.status_code == 200
    authority = response.context["authority"]
    assert (authority.looked_after, authority.children_missing, authority.episodes) == (2, 2, 6)
    assert (authority.returns, authority.rhi_on_time, authority.rhi_late) == (5, 1, 1)
    assert (authority.rhi_declined, authority.rhi_not_offered, authority.rhi_none) == (1, 1, 1)
    assert authority.rate == "100.0%"
    assert authority.on_time_rate == "20.0%"
    teams = {one.name: one for one in response.context["teams"]}
    north, south = teams["Children in Care North"], teams["Children in Care South"]
    assert (north.episodes, north.returns, north.rhi_on_time) == (4, 4, 1)
    assert (south.episodes, south.returns, south.rhi_not_offered) == (2, 1, 1)
    [oak] = response.context["settings"]
    assert (oak.name, oak.urn, oak.episodes, oak.looked_after) == ("Oak House", "SC900001", 6, 2)
    html = response.content.decode()
    assert reverse("missing:setting_patterns", args=[home.pk]) in html


def test_figures_for_a_team_and_the_authority_beside_it(client, returns, team_manager):
    child, _ = returns
    client.force_login(team_manager)

    response = client.get(reverse("missing:figures"), {"team": child.team.pk})

    assert response.context["authority"].episodes == 6
    assert [one.name for one in response.context["teams"]] == ["Children in Care North"]
    assert response.context["settings"][0].episodes == 4


def test_figures_as_csv(client, returns, service_manager):
    client.force_login(service_manager)

    response = client.get(reverse("missing:figures"), {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["level"], r["name"]) for r in rows] == [
        ("authority", "The authority"),
        ("team", "Children in Care North"),
        ("team", "Children in Care South"),
        ("setting", "Oak House"),
    ]
    assert rows[0]["from"] == "2025-06-16" and rows[0]["to"] == "2026-06-15"
    assert (rows[0]["episodes"], rows[0]["rhi_on_time"], rows[0]["rhi_not_recorded"]) == (
        "6",
        "1",
        "1",
    )


@pytest.mark.parametrize("who", ["social_worker", "iro", "lado", "administrator"])
def test_figures_are_refused_to_other_roles(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("missing:figures")).status_code == 403


#: The pages' queries at any caseload (the session, the user, the navigation's and the
#: page's own): pinned at 2 and at 6 children.
QUERIES = {"missing:figures": 16, "missing:setting_patterns": 8}


def _caseload(n: int, team, setting):
    for i in range(n):
        child = ChildFactory(team=team, social_worker=None)
        placement = PlacementFactory(child=child, setting=setting, decom=date(2025, 1, 6))
        ep = episode(child, date(2026, 6, 1), time(i % 24), date(2026, 6, 2), placement=placement)
        interview(ep, held_on=date(2026, 6, 3))
        episode(child, date(2026, 6, 10), placement=placement)


@pytest.mark.parametrize("url_name", ["missing:figures", "missing:setting_patterns"])
def test_the_pages_read_a_fixed_number_of_queries(
    client, assistant_director, cic_team, other_team, django_assert_num_queries, url_name
):
    client.force_login(assistant_director)
    homes = [SettingFactory(), SettingFactory()]
    url = reverse(url_name, args=[homes[0].pk] if url_name != "missing:figures" else [])
    _caseload(1, cic_team, homes[0])
    _caseload(1, other_team, homes[1])
    client.get(url)  # the session, the navigation's counts
    with django_assert_num_queries(QUERIES[url_name]):
        assert client.get(url).status_code == 200
    _caseload(2, cic_team, homes[0])  # 6 children in all
    _caseload(2, other_team, homes[1])
    with django_assert_num_queries(QUERIES[url_name]):
        assert client.get(url).status_code == 200


def test_the_sql_due_date_is_the_rule_s_at_its_edges(child):
    """figures.rhi_due_on (SQL) and patterns.rhi_due_on (Python) agree: a return at 23:30,
    across both clock changes, at a month end, without a time."""
    ends = [
        (date(2026, 3, 28), time(23, 30)),
        (date(2026, 3, 28), time(22, 30)),
        (date(2026, 10, 25), time(0, 30)),
        (date(2026, 10, 25), time(1, 30)),
        (date(2026, 1, 31), time(23, 59)),
        (date(2026, 2, 26), None),
        (date(2026, 12, 31), time(0, 0)),
    ]
    for i, (end, end_time) in enumerate(ends):
        episode(child, date(2020, 1, 1 + i), None, end, end_time)

    rows = MissingEpisode.objects.annotate(due=figures.rhi_due_on(72)).values_list(
        "end_date", "end_time", "due"
    )

    assert {(e, t): due for e, t, due in rows} == {(e, t): rhi_due_on(e, t) for e, t in ends}


@pytest.mark.django_db
def test_the_figures_count_on_time_by_the_rule_the_administrator_keeps(child):
    """A changed ``return_home_interview_hours`` moves what the figures count as on time,
    as it moves the duty."""
    from duties.models import RuleValue
    from missing.models import InterviewOutcome, ReturnInterview

    ended = episode(child, date(2026, 3, 2), None, date(2026, 3, 2), time(9, 0))
    ReturnInterview.objects.create(
        episode=ended, outcome=InterviewOutcome.HELD, held_on=date(2026, 3, 5)
    )
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert figures.authority_figures(period, figures.rhi_hours()).rhi_on_time == 1
    RuleValue.objects.update_or_create(name="return_home_interview_hours", defaults={"value": 48})
    assert figures.rhi_hours() == 48
    assert figures.authority_figures(period, figures.rhi_hours()).rhi_on_time == 0
