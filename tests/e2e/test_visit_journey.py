"""A social worker records a purposeful visit end to end in real Chromium."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from duties.models import Duty
from placements.models import Rating
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from visits.models import Visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RESTORED = "Restored what you typed before your session ended"


def _overdue_purposeful_duty(child, placement):
    """The open, overdue purposeful-visit duty for the placement, as the duties engine keeps
    it (visits.schedule, another engineer's): made by the engine so that it is exactly the
    row the engine will later recognise as discharged by the visit."""
    from duties.recompute import refresh_for_children

    refresh_for_children([child.pk])
    duty = Duty.objects.get(
        kind="purposeful_visit",
        subject=f"placement:{placement.pk}",
        status=Duty.Status.OPEN,
    )
    assert duty.due < timezone.localdate()
    return duty


def test_social_worker_records_a_purposeful_visit_and_downloads_the_pdf(
    live_server, page, sign_in, accessible, social_worker, tmp_path
):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    setting = SettingFactory(name="Willow House", current_rating=Rating.GOOD)
    child = ChildFactory(
        first_name="Maya", last_name="Okoro", team=social_worker.team, social_worker=social_worker
    )
    placement = PlacementFactory(child=child, setting=setting, decom=today - timedelta(days=200))
    duty = _overdue_purposeful_duty(child, placement)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The child's visits: choose the kind of visit and start recording it.
    sign_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/visits/")
    expect(page.get_by_role("heading", name="Visits", level=1)).to_be_visible()
    expect(page.get_by_text("No visits are recorded for Maya Okoro yet.")).to_be_visible()
    accessible()
    page.get_by_label("Purposeful visit").check()
    page.get_by_role("button", name="Record a visit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Purposeful visit")
    expect(page.get_by_label("Venue")).to_have_value("Willow House, Maidstone")
    accessible()
    edit_url = page.url

    # Finishing too soon: the problems are listed and nothing typed is lost.
    page.get_by_label("What issues were discussed?").fill("School, and contact with her brother.")
    page.get_by_role("button", name="Finish and sign").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_role("alert")).to_contain_text("Enter the date and time of the visit")
    expect(page.get_by_label("What issues were discussed?")).to_have_value(
        "School, and contact with her brother."
    )
    accessible()

    # The session ends while she types; saving sends her to sign in, and the POST is lost.
    working_well = page.get_by_label("What is working well?")
    working_well.fill("Her key worker knows her well.")
    page.wait_for_function(
        "() => Object.keys(localStorage).some(k => k.startsWith('draft-keeper:')"
        " && localStorage.getItem(k).includes('Her key worker'))"
    )
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(social_worker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(edit_url)
    expect(page.get_by_text(RESTORED)).to_be_visible()
    expect(working_well).to_have_value("Her key worker knows her well.")
    accessible()
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Draft saved. You can come back and finish it later.")).to_be_visible()
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    expect(page.get_by_label("What is working well?")).to_have_value(
        "Her key worker knows her well."
    )
    assert Visit.objects.get().working_well == "Her key worker knows her well."

    # The rest of the form, then finish and sign.
    page.locator("#id_visit_date_0").fill(str(yesterday.day))
    page.locator("#id_visit_date_1").fill(str(yesterday.month))
    page.locator("#id_visit_date_2").fill(str(yesterday.year))
    page.get_by_label("Time of visit").fill("14:30")
    page.get_by_role("group", name="Was the visit within timescales?").get_by_label("Yes").check()
    page.get_by_label("Where was the child or young person seen?").fill("Her bedroom")
    page.get_by_role("group", name="Was the child or young person seen alone?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="Did you see the child or young person's bedroom?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Communication").fill("Staff talk with her directly; it works.")
    page.get_by_label("What are the child or young person's views, wishes and feelings?").fill(
        "Happy at Willow House; wants more contact."
    )
    page.get_by_label("Analysis of the visit").fill("The placement meets her needs.")
    page.get_by_label("What are you worried about?").fill("Nothing at present.")
    page.get_by_label("What needs to happen?").fill("Arrange contact with her brother.")
    page.get_by_label("Daily logs: Seen").check()
    page.get_by_label("Incident reports: Not seen").check()
    page.get_by_label("Visiting professional's signature").fill("Sam Worker")
    page.locator("#id_signed_on_0").fill(str(today.day))
    page.locator("#id_signed_on_1").fill(str(today.month))
    page.locator("#id_signed_on_2").fill(str(today.year))
    page.get_by_role("button", name="Finish and sign").click()
    expect(page.get_by_text("Visit finished and signed.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Finished")
    accessible()
    visit = Visit.objects.get()
    assert visit.status == Visit.Status.FINISHED
    assert (
        page.evaluate(
            "() => Object.keys(localStorage).filter(k => k.startsWith('draft-keeper:')).length"
        )
        == 0
    )

    # DUTIES ENGINE: finishing the visit refreshes the child's duties (on commit, through
    # duties.recompute.refresh_for_children, kept by another engineer), which marks the
    # overdue purposeful-visit duty done by this visit, so it leaves the overdue list.
    duty.refresh_from_db()
    assert duty.status == Duty.Status.DONE
    assert duty.done_by == f"visit:{visit.pk}"
    assert not Duty.objects.filter(
        kind="purposeful_visit", child=child, status=Duty.Status.OPEN, due__lt=today
    ).exists()

    # The visit as a PDF, like the paper form.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the visit as PDF").click()
    path = tmp_path / "visit.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert child.child_id in text
    assert "Purposeful Visiting Form" in text
    assert "Her key worker knows her well." in text

    # A finished visit is only amended, with a reason.
    page.get_by_role("link", name="Amend this visit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amend the purposeful visit")
    accessible()
    page.get_by_label("Why does the visit record need amending?").fill("Wrong time")
    page.get_by_role("button", name="Start the amendment").click()
    expect(page.get_by_text("Amendment started")).to_be_visible()
    expect(page.get_by_label("What is working well?")).to_have_value(
        "Her key worker knows her well."
    )
    assert Visit.objects.count() == 2
    assert errors == []  # no script error, nothing refused by the CSP
