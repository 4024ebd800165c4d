"""core.count_cache: counts kept until the caseload changes, whoever changes it, or until
the clock moves a duty to another bucket."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import count_cache
from duties import worktray
from duties.models import Duty
from duties.tests.test_worktray import LONDON, NOW, TODAY, make_duty
from placements.models import Child
from placements.tests.factories import ChildFactory

COUNTS_ON = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "counts": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "counts-under-test",
    },
}


@pytest.fixture
def counts_cached(settings):
    settings.CACHES = COUNTS_ON
    caches["counts"].clear()
    yield
    caches["counts"].clear()


@pytest.fixture
def on_today():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _home(client, *, queries: list | None = None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    if queries is not None:
        queries.extend(q["sql"] for q in ctx.captured_queries)
    return response, len(ctx.captured_queries)


def _counts(response) -> tuple[int, int, int]:
    counts = response.context["counts"]
    return counts["overdue"], counts["this_week"], counts["later"]


@pytest.mark.django_db
def test_every_write_to_a_duty_child_or_member_of_staff_advances_the_version(social_worker):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    before = count_cache.version()
    duty = make_duty(social_worker, TODAY, child=child)
    after_insert = count_cache.version()
    assert after_insert > before
    # A set-based update, as the recompute and other apps' services make: no signal.
    Duty.objects.filter(pk=duty.pk).update(due=TODAY + timedelta(days=1))
    after_update = count_cache.version()
    assert after_update > after_insert
    Child.objects.filter(pk=child.pk).update(restricted=True)
    assert count_cache.version() > after_update
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET first_name = 'Raw' WHERE id = %s", [social_worker.pk]
        )
    assert count_cache.version() > after_update + 1


@pytest.mark.django_db(transaction=True)
def test_the_version_advances_again_as_the_writing_transaction_commits(social_worker):
    with transaction.atomic():
        make_duty(social_worker, TODAY)
        inside = count_cache.version()
    # The deferred trigger: a count read between the write and the commit is not kept.
    assert count_cache.version() > inside


@pytest.mark.django_db
def test_home_counts_are_kept_until_a_duty_changes_however_it_is_written(
    client, social_worker, counts_cached, on_today
):
    late = make_duty(social_worker, date(2026, 11, 17))
    make_duty(social_worker, date(2026, 11, 20))
    client.force_login(social_worker)
    client.get(reverse("home"))  # settle the session
    Duty.objects.filter(pk=late.pk).update(basis="Reworded")  # a write: the next page counts
    first, computed = _home(client)
    assert _counts(first) == (1, 1, 0)
    kept_sql: list[str] = []
    second, kept = _home(client, queries=kept_sql)
    assert _counts(second) == (1, 1, 0)
    # The version is read; neither the counts nor the three sections' rows are.
    assert kept == computed - 4
    assert not any("visits_duty" in sql for sql in kept_sql)
    assert second.content == first.content.replace(
        first.context["csrf_token"].encode(), second.context["csrf_token"].encode()
    )
    # Done by a set-based update (no model signal): the next page counts again.
    Duty.objects.filter(pk=late.pk).update(status=Duty.Status.DONE, done_on=TODAY)
    third, recounted = _home(client)
    assert _counts(third) == (0, 1, 0)
    assert recounted == computed
    assert 'data-testid="count-overdue">0<' in third.content.decode()


def _home_counts(user) -> tuple[int, int, int]:
    counts = worktray.home_context(user)["counts"]
    return counts["overdue"], counts["this_week"], counts["later"]


@pytest.mark.django_db
def test_a_24_hour_duty_turns_overdue_in_the_cached_counts_when_its_time_passes(
    social_worker, counts_cached, on_today
):
    # Three minutes after NOW: within the cache's five-minute ceiling, so only due_at
    # passing can drop the counts.
    due_at = datetime(2026, 11, 18, 12, 3, tzinfo=LONDON)
    make_duty(social_worker, TODAY, due_at=due_at, kind="risk_assessment")
    assert _home_counts(social_worker) == (0, 1, 0)
    with CaptureQueriesContext(connection) as ctx:
        on_today.move_to(due_at - timedelta(minutes=1))
        assert _home_counts(social_worker) == (0, 1, 0)
    assert not any("COUNT(" in q["sql"] for q in ctx.captured_queries)  # kept
    on_today.move_to(due_at + timedelta(minutes=1))
    assert _home_counts(social_worker) == (1, 0, 0)


@pytest.mark.django_db
def test_cached_counts_move_with_the_day(social_worker, counts_cached, on_today):
    make_duty(social_worker, date(2026, 11, 19))
    make_duty(social_worker, date(2026, 11, 23))
    assert _home_counts(social_worker) == (0, 1, 1)
    on_today.move_to(datetime(2026, 11, 20, 9, 0, tzinfo=LONDON))
    assert _home_counts(social_worker) == (1, 0, 1)
    on_today.move_to(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON))  # a new week
    assert _home_counts(social_worker) == (1, 1, 0)


@pytest.mark.django_db
def test_worktray_list_takes_its_page_count_from_the_kept_counts(
    client, team_manager, social_worker, counts_cached, on_today
):
    for day in range(60):
        make_duty(social_worker, date(2026, 11, 1) + timedelta(days=day))
    client.force_login(team_manager)
    url = reverse("duties:worktray")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    # Kept: the count, the filters and the page of rows are one cache read.
    assert 'data-testid="result-count">60 duties' in response.content.decode()
    assert not any("visits_duty" in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page": "2"})  # another page: its rows, counts kept
    assert response.context["page"].paginator.count == 60
    assert len(response.context["page"].object_list) == 10
    assert not any("COUNT(" in q["sql"] and "visits_duty" in q["sql"] for q in ctx.captured_queries)
    Duty.objects.filter(owner=social_worker, due__lt=date(2026, 11, 11)).delete()
    response = client.get(url)
    assert response.context["page"].paginator.count == 50
    assert sum(response.context["counts"].values()) == 50


@pytest.mark.django_db(transaction=True)
def test_a_sign_in_keeps_the_version_and_a_change_of_team_advances_it(
    client, social_worker, other_team_worker
):
    before = count_cache.version()
    client.force_login(social_worker)  # writes last_login alone
    social_worker.refresh_from_db()
    assert social_worker.last_login is not None
    assert count_cache.version() == before
    social_worker.team = other_team_worker.team
    social_worker.save(update_fields=["team"])
    assert count_cache.version() > before


@pytest.mark.django_db
def test_the_kept_worktray_shows_a_renamed_child_setting_or_worker_at_once(
    client, team_manager, social_worker, counts_cached, on_today
):
    from placements.models import Setting
    from placements.tests.factories import SettingFactory

    setting = SettingFactory(name="Old Oak House")
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, first_name="Ada")
    make_duty(social_worker, date(2026, 11, 17), child=child)
    Duty.objects.create(  # a duty about the setting alone shows the setting's name
        kind="commissioning_visit",
        subject=f"setting:{setting.pk}:test",
        setting=setting,
        owner=social_worker,
        team=social_worker.team,
        due=date(2026, 11, 18),
    )
    client.force_login(team_manager)
    for change, seen in [
        (lambda: None, ["Ada", "Old Oak House"]),
        (lambda: Child.objects.filter(pk=child.pk).update(first_name="Bea"), ["Bea"]),
        (lambda: Setting.objects.filter(pk=setting.pk).update(name="New Elm House"), ["New Elm"]),
        (
            lambda: (
                type(social_worker).objects.filter(pk=social_worker.pk).update(first_name="Renamed")
            ),
            ["Renamed"],
        ),
    ]:
        change()
        page = client.get(reverse("home")).content.decode()
        for text in seen:
            assert text in page
        assert client.get(reverse("home")).content.decode().count(seen[0]) == page.count(seen[0])


@pytest.mark.django_db
def test_the_kept_deadlines_page_turns_a_24_hour_duty_overdue_at_its_time(
    client, social_worker, counts_cached, on_today
):
    due_at = datetime(2026, 11, 18, 12, 3, tzinfo=LONDON)
    make_duty(social_worker, TODAY, due_at=due_at, kind="risk_assessment")
    client.force_login(social_worker)
    url = reverse("duties:deadlines")
    assert 'govuk-tag--blue">Open<' in client.get(url).content.decode()
    on_today.move_to(due_at - timedelta(minutes=1))
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert 'govuk-tag--blue">Open<' in page
    assert not any("visits_duty" in q["sql"] for q in ctx.captured_queries)  # kept
    on_today.move_to(due_at + timedelta(minutes=1))
    assert 'govuk-tag--red">Overdue<' in client.get(url).content.decode()
    # The status filter on today's page is never kept: its rows move with the clock.
    with CaptureQueriesContext(connection) as ctx:
        assert "Overdue<" in client.get(url, {"status": "overdue"}).content.decode()
    assert any("visits_duty" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_the_kept_list_of_children_placed_at_a_setting_follows_each_placement(
    client, commissioning, social_worker, counts_cached, on_today
):
    from placements.models import Placement
    from placements.tests.factories import SettingFactory

    setting = SettingFactory(name="Rowan House")
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, first_name="Ada")
    client.force_login(commissioning)
    url = reverse("placements:setting", args=[setting.pk])
    assert "0 children placed here today" in client.get(url).content.decode()
    placement = Placement.objects.create(
        child=child, setting=setting, decom=date(2026, 11, 1), rne="S", ls="C2", cin="N1"
    )
    page = client.get(url).content.decode()
    assert "1 child placed here today" in page and child.name in page
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).content.decode().count(child.name) == page.count(child.name)
    # Kept: nothing reads who is placed there now (by start date). Other sections of the
    # page may join the setting's placements (the missing episodes from it, say).
    assert not any('"placements_placement"."decom"' in q["sql"] for q in ctx.captured_queries)
    Placement.objects.filter(pk=placement.pk).update(dec=date(2026, 11, 10))
    assert "0 children placed here today" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_kept_list_is_only_ever_shown_to_the_user_it_was_made_for(
    client, social_worker, other_team_worker, counts_cached, on_today
):
    """Two workers of different teams, one after the other and again, with every list
    kept: neither ever sees the other's child on the home page, /worktray/, /deadlines/
    or the list of children placed at a setting they share."""
    from placements.models import Placement
    from placements.tests.factories import SettingFactory

    setting = SettingFactory(name="Shared House")
    mine = ChildFactory(team=social_worker.team, social_worker=social_worker, first_name="Ada")
    theirs = ChildFactory(
        team=other_team_worker.team, social_worker=other_team_worker, first_name="Zoe"
    )
    for worker, child in ((social_worker, mine), (other_team_worker, theirs)):
        make_duty(worker, date(2026, 11, 17), child=child)
        Placement.objects.create(
            child=child, setting=setting, decom=date(2026, 11, 1), rne="S", ls="C2", cin="N1"
        )
    pages = [
        reverse("home"),
        reverse("duties:worktray"),
        reverse("duties:deadlines"),
        reverse("placements:setting", args=[setting.pk]),
    ]
    for _ in range(2):  # the second time round, every list is the kept one
        for worker, own, other in (
            (social_worker, mine, theirs),
            (other_team_worker, theirs, mine),
        ):
            client.force_login(worker)
            for url in pages:
                page = client.get(url).content.decode()
                assert own.name in page, url
                assert other.name not in page and f">{other.child_id}<" not in page, url
