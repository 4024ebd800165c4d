"""A social worker records a child's health assessment with its document, in real
Chromium, and finds it on the child's timeline (with an axe check on every page)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from plans.models import Plan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_social_worker_records_a_health_assessment_with_its_document(
    live_server, page, sign_in, accessible, social_worker, tmp_path
):
    today = timezone.localdate()
    setting = SettingFactory(name="Willow House")
    child = ChildFactory(
        first_name="Maya", last_name="Okoro", team=social_worker.team, social_worker=social_worker
    )
    PlacementFactory(child=child, setting=setting, decom=today - timedelta(days=40))
    document = tmp_path / "Initial health assessment.pdf"
    document.write_bytes(b"%PDF-1.7\n%%EOF\n")
    renamed = tmp_path / "assessment.pdf"
    renamed.write_bytes(b"MZ\x90\x00" + b"\0" * 60)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The child's record: nothing recorded yet, and the way to the plans.
    sign_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    expect(page.get_by_role("heading", name="Plans, health, education and reviews")).to_be_visible()
    expect(page.get_by_text("No plan, assessment or review is recorded.")).to_be_visible()
    accessible()
    page.get_by_role("link", name="Plans, health and education").click()
    expect(page.get_by_role("heading", name="Plans, health and education", level=1)).to_be_visible()
    accessible()
    page.get_by_role("link", name="Record a plan or assessment").click()
    expect(page.get_by_label("Completed by")).to_have_value("Sam Worker")
    accessible()

    # A program renamed as a PDF, and no stage: both explained beside their fields.
    page.get_by_label("Health assessment", exact=True).check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Completed by").fill("Nurse Okafor")
    page.get_by_label("Document (optional)").set_input_files(str(renamed))
    page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("There is a problem")
    expect(alert).to_contain_text("Select whether this is an initial or a review")
    expect(alert).to_contain_text("its contents are not what its name says")
    accessible()
    assert not Plan.objects.exists()

    page.get_by_label("Initial health assessment").check()
    page.get_by_label("Summary (optional)").fill("Immunisations up to date.")
    page.get_by_label("Document (optional)").set_input_files(str(document))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Health assessment completed on")).to_be_visible()
    expect(page.get_by_text("Immunisations up to date.")).to_be_visible()
    accessible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Initial health assessment.pdf").click()
    assert download.value.suggested_filename == "Initial health assessment.pdf"
    assert Path(download.value.path()).read_bytes() == document.read_bytes()

    # On the child's timeline.
    page.get_by_role("link", name=f"{child.name}").first.click()
    timeline = page.get_by_test_id("timeline-entries")
    expect(timeline).to_contain_text("Initial health assessment")
    expect(timeline).to_contain_text("By Nurse Okafor. Immunisations up to date.")
    accessible()
    assert errors == []
