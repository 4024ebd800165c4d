"""A social worker records a child missing and then returned; the return home interview
appears in her worktray, is recorded as held, and leaves it (issue 17), in real Chromium
with axe on every page.

Last, the setting's page shows the episode, and its patterns page the episode in its
charts (the day it started, where she was found), each with its table.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duties.models import Duty
from missing.models import MissingEpisode
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_social_worker_records_a_child_missing_returned_and_interviewed(
    live_server, page, sign_in, accessible, social_worker, team_manager
):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    home = SettingFactory(name="Willow House")
    child = ChildFactory(
        first_name="Maya", last_name="Okoro", team=social_worker.team, social_worker=social_worker
    )
    PlacementFactory(child=child, setting=home, decom=today - timedelta(days=200))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # From the child's record to the episodes, and record one.
    sign_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Missing and away episodes").click()
    expect(page.get_by_role("heading", name="Missing and away episodes", level=1)).to_be_visible()
    accessible()
    page.get_by_role("link", name="Record a missing or away episode").click()
    accessible()
    page.get_by_role("button", name="Record the episode").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    accessible()
    page.get_by_label("Missing", exact=True).check()
    fill_date(page, "start_date", yesterday)
    page.get_by_label("Time they went missing or away (optional)").fill("21:15")
    page.get_by_label("Police reference (optional)").fill("KT-2026-0042")
    page.get_by_role("button", name="Record the episode").click()
    expect(page.get_by_text("The episode is recorded.")).to_be_visible()
    expect(page.locator(".govuk-tag--red", has_text="Missing").first).to_be_visible()
    accessible()

    # The child's record and the children list flag her.
    page.goto(f"{live_server.url}/children/{child.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Missing")
    accessible()
    page.goto(f"{live_server.url}/children/")
    expect(page.get_by_role("row", name="Maya Okoro")).to_contain_text("Missing")

    # She is back: record the return (no time known: the end of the day).
    episode = MissingEpisode.objects.get()
    page.goto(f"{live_server.url}/missing/{episode.pk}/")
    page.get_by_role("link", name="Record the return").click()
    accessible()
    fill_date(page, "end_date", today)
    page.get_by_label("Where they were found", exact=True).select_option("friends")
    page.get_by_role("button", name="Record the return").click()
    expect(page.get_by_text("The return home interview is now due.")).to_be_visible()
    accessible()

    # The interview is in her worktray, linked to where it is recorded.
    page.goto(f"{live_server.url}/worktray/")
    interview_link = page.get_by_role("link", name="Return home interview")
    expect(interview_link).to_be_visible()
    accessible()
    interview_link.click()
    expect(page.get_by_role("heading", name="Record the return home interview")).to_be_visible()
    accessible()
    page.get_by_label("Held", exact=True).check()
    fill_date(page, "held_on", today)
    page.get_by_label("Who held it (if held)").fill("Jo Bright, Young Lives")
    page.get_by_label("Summary (if held)").fill("Stayed with a friend in Margate.")
    page.get_by_role("button", name="Record the interview").click()
    expect(page.get_by_text("Return home interview recorded: Held.")).to_be_visible()
    accessible()

    # It has left the worktray; the duty is done on the day held.
    page.goto(f"{live_server.url}/worktray/")
    expect(page.get_by_role("link", name="Return home interview")).to_have_count(0)
    duty = Duty.objects.get(kind="return_home_interview")
    assert (duty.status, duty.done_on) == (Duty.Status.DONE, today)

    # The setting's page shows the episode, and its pattern chart counts it.
    page.goto(f"{live_server.url}/settings/{home.pk}/")
    expect(page.get_by_role("heading", name="Missing episodes")).to_be_visible()
    accessible()
    page.get_by_role("link", name="Patterns of missing").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    day_chart = page.get_by_test_id("missing-day")
    expect(day_chart).to_be_visible()
    expect(day_chart.locator("desc")).to_contain_text(f"{yesterday:%A}: 1")
    expect(page.get_by_test_id("missing-found").locator("desc")).to_contain_text(
        "With friends or a partner: 1"
    )
    expect(page.get_by_role("table").first).to_be_visible()
    accessible()
    assert errors == []
