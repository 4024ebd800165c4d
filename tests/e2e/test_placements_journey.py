from datetime import date

import pytest
from playwright.sync_api import expect

from placements.models import Rating
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_social_worker_finds_a_child_and_reads_the_record(
    live_server, page, sign_in, accessible, social_worker
):
    setting = SettingFactory(name="Willow House", current_rating=Rating.GOOD)
    child = ChildFactory(
        first_name="Maya", last_name="Okoro", team=social_worker.team, social_worker=social_worker
    )
    PlacementFactory(child=child, setting=setting, decom=date(2026, 3, 2))
    sign_in(social_worker)
    page.get_by_role("link", name="Children", exact=True).click()
    expect(page.get_by_role("heading", name="Children", exact=True)).to_be_visible()
    accessible()
    page.get_by_label("Name or child ID").fill("Okoro")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 child")
    page.get_by_role("link", name="Maya Okoro").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maya Okoro")
    expect(page.get_by_text("Willow House").first).to_be_visible()
    accessible()
    page.get_by_role("link", name="Willow House").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willow House")
    accessible()


def test_commissioning_records_a_judgement_by_keyboard(
    live_server, page, sign_in, accessible, commissioning
):
    setting = SettingFactory(name="Beech Court", current_rating=Rating.GOOD)
    sign_in(commissioning)
    page.goto(f"{live_server.url}/settings/{setting.pk}/inspections/new/")
    accessible()
    page.get_by_role("button", name="Record judgement").click()  # nothing filled in
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    accessible()
    page.get_by_label("Day").first.fill("14")
    page.keyboard.press("Tab")
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.keyboard.type("2026")
    page.get_by_label("Inadequate").check()
    page.get_by_role("button", name="Record judgement").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Judgement recorded: Inadequate. This is a downgrade.")).to_be_visible()
    accessible()
