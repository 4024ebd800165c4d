"""A team manager reads a child's and a setting's patterns of missing, and the missing
figures, in real Chromium (axe on every page): the charts are images with their counts,
the tables beside them say the same, and the period filter explains a bad period."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from missing.models import EpisodeKind, InterviewOutcome, MissingEpisode, ReturnInterview
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_reads_the_patterns_of_a_child_and_a_home_and_the_figures(
    live_server, page, sign_in, accessible, team_manager, social_worker
):
    today = timezone.localdate()
    home = SettingFactory(name="Birch House")
    child = ChildFactory(
        first_name="Leo", last_name="Hart", team=social_worker.team, social_worker=social_worker
    )
    placement = PlacementFactory(child=child, setting=home, decom=today - timedelta(days=400))
    returned = MissingEpisode.objects.create(
        child=child, placement=placement, kind=EpisodeKind.MISSING,
        start_date=today - timedelta(days=20), start_time=time(22, 10),
        end_date=today - timedelta(days=19), end_time=time(2, 0), where_found="friends",
    )  # fmt: skip
    ReturnInterview.objects.create(
        episode=returned, outcome=InterviewOutcome.HELD, held_on=today - timedelta(days=18)
    )
    MissingEpisode.objects.create(
        child=child, placement=placement, kind=EpisodeKind.AWAY,
        start_date=today - timedelta(days=2),
    )  # fmt: skip
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(team_manager)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Missing patterns").click()
    expect(page.get_by_role("heading", name="Patterns of missing", level=1)).to_be_visible()
    expect(page.get_by_test_id("patterns-summary")).to_contain_text("2 episodes")
    expect(page.get_by_role("img", name="By duration")).to_be_visible()
    duration = page.get_by_test_id("missing-duration-table")
    expect(duration.get_by_role("row", name="Under 24 hours")).to_contain_text("1")
    expect(duration.get_by_role("row", name="Still open")).to_contain_text("1")
    accessible()

    # A period that ends before it starts: explained, and the last 12 months shown.
    page.get_by_role("group", name="To").get_by_label("Year").fill(str(today.year - 2))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The end of the period must be on or after its start"
    )
    accessible()

    page.goto(f"{live_server.url}/settings/{home.pk}/")
    expect(page.get_by_test_id("setting-missing-summary")).to_contain_text("2 episodes of 1 child")
    page.get_by_role("link", name="Patterns of missing").click()
    expect(page.get_by_role("img", name="By where found")).to_be_visible()
    expect(
        page.get_by_test_id("missing-found-table").get_by_role(
            "row", name="With friends or a partner"
        )
    ).to_contain_text("1")
    accessible()

    page.get_by_role("link", name="Missing figures").click()
    teams = page.get_by_test_id("figures-teams")
    expect(teams.get_by_role("row", name="The authority")).to_contain_text("2")
    expect(page.get_by_test_id("figures-settings")).to_contain_text("Birch House")
    accessible()
    assert errors == []
