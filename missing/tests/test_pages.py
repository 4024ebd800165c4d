"""The pages: a child's episodes, recording an episode, the return, the setting's report and
the interview in the browser; and the missing flag wherever the child's name is shown,
at no query more."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duties.models import Duty
from duties.tests.factories import DutyFactory
from missing import services
from missing.models import MissingEpisode
from placements.tests.factories import ChildFactory, PlacementFactory

pytestmark = pytest.mark.django_db

TAG = 'govuk-tag--red">Missing</strong>'


def post_date(name: str, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_a_social_worker_records_an_episode_the_return_and_the_interview(
    client, child, social_worker, team_manager
):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    client.force_login(social_worker)
    record = client.get(reverse("placements:child", args=[child.pk]))
    assert reverse("missing:child_episodes", args=[child.pk]) in record.content.decode()
    page = client.get(reverse("missing:child_episodes", args=[child.pk]))
    assert "No missing or away episode is recorded for Maya Okoro." in page.content.decode()

    response = client.post(
        reverse("missing:episode_new", args=[child.pk]),
        {
            "kind": "M",
            **post_date("start_date", yesterday),
            "start_time": "21:15",
            "notes": "<b>x</b>",
        },
    )
    episode = MissingEpisode.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "missing:episode", args=[episode.pk]
    )
    shown = client.get(response.url).content.decode()
    assert "have been told" in shown and "&lt;b&gt;x&lt;/b&gt;" in shown
    assert TAG in shown and "Oak House" in shown and "Record the return" in shown
    assert TAG in client.get(reverse("placements:child", args=[child.pk])).content.decode()

    # The return, then the interview (a social worker is not offered "not offered").
    client.post(
        reverse("missing:episode_return", args=[episode.pk]),
        {**post_date("end_date", today), "end_time": "", "where_found": "friends"},
    )
    episode.refresh_from_db()
    assert episode.end_date == today and episode.end_time is None
    form = client.get(reverse("missing:interview", args=[episode.pk])).content.decode()
    assert 'value="not_offered"' not in form
    response = client.post(
        reverse("missing:interview", args=[episode.pk]),
        {
            "outcome": "held",
            **post_date("held_on", today),
            "interviewer": "Jo Bright, Young Lives",
            "summary": "Stayed with a friend.",
        },
    )
    assert response.status_code == 302
    listed = client.get(reverse("missing:child_episodes", args=[child.pk])).content.decode()
    assert 'govuk-tag--green">Held</strong>' in listed and TAG not in listed
    assert Duty.objects.get(kind="return_home_interview").status == Duty.Status.DONE


def test_not_offered_shows_as_not_offered_with_the_manager(
    client, child, social_worker, team_manager
):
    now = timezone.now()
    episode = services.episode_record(
        child=child,
        actor=social_worker,
        now=now,
        kind="A",
        start_date=timezone.localdate() - timedelta(days=3),
        start_time=None,
        end_date=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(team_manager)
    form = client.get(reverse("missing:interview", args=[episode.pk])).content.decode()
    assert 'value="not_offered"' in form
    client.post(
        reverse("missing:interview", args=[episode.pk]),
        {"outcome": "not_offered", "manager_reason": "Admitted to hospital on return."},
    )
    listed = client.get(reverse("missing:child_episodes", args=[child.pk])).content.decode()
    assert 'govuk-tag--red">Not offered</strong> (agreed by Toni Lead)' in listed
    setting_page = client.get(
        reverse("placements:setting", args=[child.placements.get().setting_id])
    )
    assert 'govuk-tag--red">Not offered</strong>' in setting_page.content.decode()


def test_a_refused_return_is_explained_beside_the_field(client, child, social_worker):
    episode = services.episode_record(
        child=child,
        actor=social_worker,
        now=timezone.now(),
        kind="M",
        start_date=timezone.localdate() - timedelta(days=1),
        start_time=None,
    )
    client.force_login(social_worker)
    response = client.post(
        reverse("missing:episode_return", args=[episode.pk]),
        post_date("end_date", timezone.localdate() - timedelta(days=2)),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "govuk-error-message" in html
    assert "The return cannot be before the start" in html
    assert MissingEpisode.objects.get().is_open


def _requests(client, urls) -> dict[str, tuple[int, str]]:
    found = {}
    for url in urls:
        client.get(url)  # settle the session and any kept fragment
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            assert response.status_code == 200, url
        found[url] = (len(ctx.captured_queries), response.content.decode())
    return found


def _placed(n: int, social_worker, home, *, missing: bool) -> list:
    children = []
    for _ in range(n):
        child = ChildFactory(team=social_worker.team, social_worker=social_worker)
        PlacementFactory(child=child, setting=home, decom=date(2025, 6, 2))
        DutyFactory(child=child, due=timezone.localdate())
        if missing:
            services.episode_record(
                child=child,
                actor=social_worker,
                now=timezone.now(),
                kind="M",
                start_date=timezone.localdate(),
                start_time=None,
            )
        children.append(child)
    return children


def test_the_flag_is_shown_wherever_the_child_is_named_at_no_query_more(
    client, social_worker, home, child
):
    """The child's record, the children list, the placements list, the setting page (its
    children and what is due there), the worktray and the deadlines page: the same number
    of queries with 1 of 2 children missing as with 3 of 6, each missing child tagged."""
    client.force_login(social_worker)
    DutyFactory(child=child, due=timezone.localdate())
    _placed(1, social_worker, home, missing=True)
    urls = [
        reverse("placements:children"),
        reverse("placements:placements"),
        reverse("placements:setting", args=[home.pk]),
        reverse("duties:worktray"),
        reverse("duties:deadlines"),
        reverse("home"),
    ]
    small = _requests(client, urls)
    _placed(2, social_worker, home, missing=True)
    _placed(2, social_worker, home, missing=False)
    large = _requests(client, urls)
    for url in urls:
        assert large[url][0] == small[url][0], url
        assert small[url][1].count(TAG) >= 1, url
        assert large[url][1].count(TAG) >= 3, url
    # The children list: exactly the missing ones.
    assert large[reverse("placements:children")][1].count(TAG) == 3
    missing = MissingEpisode.objects.first().child
    record = client.get(reverse("placements:child", args=[missing.pk])).content.decode()
    assert TAG in record and "is missing or away from placement now" in record
    assert TAG not in client.get(reverse("placements:child", args=[child.pk])).content.decode()


def test_the_childs_record_costs_no_query_more_when_the_child_is_missing(
    client, social_worker, child
):
    client.force_login(social_worker)
    url = reverse("placements:child", args=[child.pk])
    before = _requests(client, [url])[url][0]
    services.episode_record(
        child=child,
        actor=social_worker,
        now=timezone.now(),
        kind="M",
        start_date=timezone.localdate(),
        start_time=None,
    )
    after, html = _requests(client, [url])[url]
    assert after == before and TAG in html


def test_the_episodes_list_runs_a_fixed_number_of_queries(client, social_worker, child):
    client.force_login(social_worker)
    url = reverse("missing:child_episodes", args=[child.pk])
    today = timezone.localdate()

    def episode(days_ago):
        services.episode_record(
            child=child,
            actor=social_worker,
            now=timezone.now(),
            kind="M",
            start_date=today - timedelta(days=days_ago),
            start_time=None,
            end_date=today - timedelta(days=days_ago - 1),
        )

    for days_ago in (40, 30):
        episode(days_ago)
    small = _requests(client, [url])[url][0]
    for days_ago in (20, 15, 10, 5):
        episode(days_ago)
    assert _requests(client, [url])[url][0] == small
