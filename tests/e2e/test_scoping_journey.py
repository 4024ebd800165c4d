"""A route-2 scoping meeting request goes from a social worker through the assistant
director's approval to a convened meeting, its minutes PDF and an action, in real Chromium."""

import re
import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duties.models import Duty, Notification
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping.models import MeetingAction, MeetingChild, ScopingMeeting, ScopingRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Names no other text on the pages could contain by chance.
CHILDREN = (("Zephyrine", "Quartermaine"), ("Oriel", "Blackthorne"))
CONCERNS = "Three missing episodes in a month; staff did not report them."
TRIED = "Raised with the registered manager on 2 and 9 March; no change since."


def _fill_date(page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _names_absent(text: str) -> None:
    for first, last in CHILDREN:
        assert first not in text
        assert last not in text


def test_a_route_2_request_becomes_a_meeting_with_minutes_and_an_action(
    live_server,
    page,
    sign_in,
    accessible,
    social_worker,
    assistant_director,
    lado,
    tmp_path,
):
    today = timezone.localdate()
    meeting_day = today + timedelta(days=3)
    deadline = meeting_day + timedelta(days=14)
    review_day = meeting_day + timedelta(days=42)
    setting = SettingFactory(name="Willow House")
    children = [
        ChildFactory(
            first_name=first,
            last_name=last,
            team=social_worker.team,
            social_worker=social_worker,
        )
        for first, last in CHILDREN
    ]
    for child in children:
        PlacementFactory(child=child, setting=setting, decom=today - timedelta(days=200))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def switch_to(user):
        page.context.clear_cookies()
        sign_in(user)

    # 1. The social worker asks for a meeting from the setting's page.
    switch_to(social_worker)
    page.goto(f"{live_server.url}/settings/{setting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willow House")
    accessible()
    page.get_by_role("link", name="Request a scoping meeting").click()
    expect(page.get_by_role("heading", name="Request a scoping meeting", level=1)).to_be_visible()
    accessible()
    concerns = page.get_by_label("What are the provision of care and safeguarding concerns")
    concerns.fill(CONCERNS)
    for child in children:
        page.get_by_label(f"{child.name} ({child.child_id})").check()
    # Without what was tried: the error is beside the field and nothing typed is lost.
    page.get_by_role("button", name="Request a scoping meeting").click()
    tried = page.get_by_label("What has been tried")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    said = "Say how the concerns were raised with the provider, and why that is exhausted"
    expect(page.get_by_role("alert")).to_contain_text(said)
    # Beside the field, and read out with it.
    expect(page.locator("#id_what_was_tried_1_error")).to_contain_text(said)
    expect(tried).to_have_accessible_description(re.compile(re.escape(said)))
    expect(concerns).to_have_value(CONCERNS)
    for child in children:
        expect(page.get_by_label(f"{child.name} ({child.child_id})")).to_be_checked()
    accessible()
    tried.fill(TRIED)
    page.get_by_role("button", name="Request a scoping meeting").click()
    expect(page.get_by_text("Request sent to the assistant director to decide.")).to_be_visible()
    expect(page.get_by_role("heading", name="Scoping meeting request", level=1)).to_be_visible()
    expect(page.get_by_text("Awaiting the assistant director").first).to_be_visible()
    accessible()
    request = ScopingRequest.objects.get()
    assert request.status == ScopingRequest.Status.SUBMITTED
    assert request.route == ScopingRequest.Route.PROFESSIONAL
    assert set(request.children.all()) == set(children)

    # 2. The assistant director approves it.
    switch_to(assistant_director)
    page.get_by_role("link", name="Scoping requests").click()
    expect(page.get_by_role("heading", name="Scoping meeting requests", level=1)).to_be_visible()
    accessible()
    page.get_by_role("link", name=f"Willow House scoping meeting request {request.pk}").click()
    accessible()
    page.get_by_role("link", name="Decide").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decide the scoping meeting")
    accessible()
    page.get_by_label("Approve: the LADO service convenes a scoping meeting").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded. The requester has been told.")).to_be_visible()
    expect(page.get_by_text("Approved: for the LADO service to convene").first).to_be_visible()
    accessible()
    assert Notification.objects.filter(
        user=social_worker, subject__startswith="Scoping meeting request approved"
    ).exists()

    # 3. The LADO service convenes the meeting.
    switch_to(lado)
    page.get_by_role("link", name="Scoping requests").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("to convene")
    accessible()
    page.get_by_role("link", name=f"Willow House scoping meeting request {request.pk}").click()
    page.get_by_role("link", name="Convene the meeting").click()
    expect(page.get_by_role("heading", name="Convene a scoping meeting", level=1)).to_be_visible()
    accessible()
    _fill_date(page, "Date of the meeting", meeting_day)
    page.get_by_label("Time", exact=True).fill("10:00")
    page.get_by_label("Location", exact=True).fill("Room 2, Sessions House, Maidstone")
    expect(page.get_by_label("Chair")).to_have_value(str(lado.pk))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Meeting convened. Invite the professionals below.")).to_be_visible()
    expect(page.get_by_role("heading", name="Risk management scoping meeting")).to_be_visible()
    accessible()
    meeting = ScopingMeeting.objects.get()
    meeting_url = page.url
    rows = list(MeetingChild.objects.filter(meeting=meeting).order_by("number"))
    assert [r.number for r in rows] == [1, 2]
    for row in rows:
        expect(
            page.get_by_role("heading", name=f"Child {row.number} – {row.initials}")
        ).to_be_visible()
    assert sorted(r.initials for r in rows) == ["OB", "ZQ"]
    _names_absent(page.content())
    request.refresh_from_db()
    assert request.status == ScopingRequest.Status.CONVENED

    # A health professional from outside, then who came.
    page.get_by_role("link", name="Invite or withdraw").click()
    accessible()
    page.get_by_label("Name", exact=True).fill("Dr Priya Shah")
    page.get_by_label("Role", exact=True).fill("Designated nurse")
    page.get_by_label("Organisation").fill("Kent and Medway ICB")
    page.get_by_label("A health professional").check()
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("Invited.", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Invited")).to_contain_text("Dr Priya Shah")
    accessible()
    page.goto(meeting_url)
    page.get_by_role("link", name="Record attendance").click()
    expect(page.get_by_role("heading", name="Attendance", level=1)).to_be_visible()
    accessible()
    page.get_by_role("group", name=re.compile("^Lee Adebayo")).get_by_label("Attended").check()
    page.get_by_role("group", name=re.compile("^Sam Worker")).get_by_label("Attended").check()
    page.get_by_role("group", name=re.compile("^Dr Priya Shah")).get_by_label(
        "Apologies received"
    ).check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    expect(page.get_by_role("table", name="Invitees and attendance")).to_contain_text(
        "Apologies received"
    )

    # The review of Child 1, the discussions and decisions.
    page.get_by_role("link", name="Change the review of Child 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Child 1")
    _names_absent(page.content())
    accessible()
    page.get_by_label("Wishes and feelings of the child or young person").fill(
        "Wants to stay; worried about the night staff."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Review of Child 1 saved.")).to_be_visible()
    expect(page.get_by_text("Wants to stay; worried about the night staff.")).to_be_visible()
    page.get_by_role("link", name="Change the discussions and decisions").click()
    expect(page.get_by_role("heading", name="Discussions and decisions", level=1)).to_be_visible()
    expect(page.get_by_label("Why the meeting is held")).to_have_value(CONCERNS)
    accessible()
    page.get_by_label("Discussions", exact=True).fill("Ofsted visited on 12 March.")
    page.get_by_label("It can continue to be used, with conditions").check()
    page.get_by_label("Conditions of continued use").fill("Waking night staff every night.")
    _fill_date(page, "Review date", review_day)
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text("Minutes saved.")).to_be_visible()
    expect(page.get_by_text("Waking night staff every night.")).to_be_visible()
    accessible()

    # An action for the social worker, on her worktray.
    page.get_by_role("link", name="Add an action").click()
    expect(page.get_by_role("heading", name="Add an action", level=1)).to_be_visible()
    accessible()
    page.get_by_role("group", name="For").get_by_label(f"Child 1 ({rows[0].initials})").check()
    page.get_by_label("Action", exact=True).fill("Update the child's risk assessment.")
    page.get_by_label("Owner").select_option(label="Sam Worker (Social worker)")
    _fill_date(page, "Deadline", deadline)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added. It is on its owner's worktray.")).to_be_visible()
    expect(page.get_by_role("table", name="Actions")).to_contain_text("Sam Worker")
    _names_absent(page.content())
    accessible()

    # Finalised: the provision continues, with conditions, and is reviewed.
    page.get_by_role("link", name="Finalise the minutes").click()
    expect(page.get_by_role("heading", name="Finalise the minutes", level=1)).to_be_visible()
    accessible()
    page.get_by_role("button", name="Finalise the minutes").click()
    expect(page.get_by_text("Minutes finalised.", exact=True)).to_be_visible()
    expect(page.get_by_text("Minutes finalised on")).to_be_visible()
    _names_absent(page.content())
    _names_absent(page.locator("body").inner_text())
    accessible()
    meeting.refresh_from_db()
    assert meeting.status == ScopingMeeting.Status.FINALISED
    assert meeting.provision_decision == ScopingMeeting.Provision.CONTINUE_WITH_CONDITIONS
    assert Duty.objects.filter(
        kind="scoping_meeting", subject=f"meeting:{meeting.pk}:review", due=review_day
    ).exists()

    # The minutes as a PDF, with the same session.
    href = page.get_by_role("link", name="Minutes (PDF)").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.ok
    assert response.headers["content-type"].startswith("application/pdf")
    body = response.body()
    assert body.startswith(b"%PDF")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(body)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "STRICTLY PRIVATE AND CONFIDENTIAL" in text
    assert "Waking night staff every night." in text
    assert "Child 1" in text
    _names_absent(text)

    # 4. The social worker finds the action on her worktray and marks it done.
    switch_to(social_worker)
    page.get_by_role("link", name="Worktray").first.click()
    expect(page.get_by_role("heading", name="Worktray", level=1)).to_be_visible()
    accessible()
    page.get_by_role("link", name="Scoping meeting action").click()
    expect(page.get_by_role("heading", name="Scoping meeting action", level=1)).to_be_visible()
    expect(page.get_by_text(f"Child 1 ({rows[0].initials})")).to_be_visible()
    _names_absent(page.content())
    accessible()
    page.get_by_label("What was done").fill("Risk assessment updated and signed.")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Action marked as done.")).to_be_visible()
    expect(page.get_by_text("Risk assessment updated and signed.")).to_be_visible()
    accessible()
    action = MeetingAction.objects.get()
    assert action.status == MeetingAction.Status.DONE
    assert action.owner == social_worker
    assert (
        Duty.objects.get(kind="scoping_action", subject=f"scoping_action:{action.pk}").status
        == Duty.Status.DONE
    )
    assert errors == []
