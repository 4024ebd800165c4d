"""visits.count_cache: counts kept until the caseload changes, whoever changes it, or until
the clock moves a duty to another bucket."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.models import Child
from placements.tests.factories import ChildFactory
from visits import count_cache, worktray
from visits.models import Duty, DutyKind
from visits.tests.test_worktray import LONDON, NOW, TODAY, make_duty

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


def _home(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
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
    second, kept = _home(client)
    assert _counts(second) == (1, 1, 0)
    assert kept == computed - 1  # the version is read; the counts are not
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
    make_duty(social_worker, TODAY, due_at=due_at, kind=DutyKind.RISK_ASSESSMENT)
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
    url = reverse("visits:worktray")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.context["page"].paginator.count == 60
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
