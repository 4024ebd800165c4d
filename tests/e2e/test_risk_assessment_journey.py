"""A risk assessment goes through its three sign-offs in real Chromium, with one return."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duties.models import Duty
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping.models import RiskAssessment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECTIONS = {
    "Context of the reported risk of concern": "Ofsted judged the home inadequate on 2 March.",
    "Risk analysis": "Restraint used three times in a month.",
    "Protective and mitigating factors": "Waking night staff.",
    "Voice of the child or young person and professional observations": "She feels safe.",
    "Analysis and plan": "Visit weekly; review in four weeks.",
}


def test_a_risk_assessment_is_signed_off_after_one_return(
    live_server, page, sign_in, accessible, social_worker, team_manager, service_manager
):
    today = timezone.localdate()
    setting = SettingFactory(name="Willow House")
    child = ChildFactory(
        first_name="Maya", last_name="Okoro", team=social_worker.team, social_worker=social_worker
    )
    placement = PlacementFactory(child=child, setting=setting, decom=date(2025, 1, 6))
    # As the downgrade workflow (escalations) opens it: the row and its duty.
    ra = RiskAssessment.objects.create(
        child=child,
        setting=setting,
        placement=placement,
        trigger=RiskAssessment.Trigger.INADEQUATE,
        owner=social_worker,
        opened_on=today,
        due=today + timedelta(days=5),
    )
    Duty.objects.create(
        kind="risk_assessment",
        subject=f"risk_assessment:{ra.pk}",
        child=child,
        setting=setting,
        owner=social_worker,
        due=ra.due,
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def switch_to(user):
        page.context.clear_cookies()
        sign_in(user)
        page.goto(f"{live_server.url}/risk-assessments/")
        expect(page.get_by_role("heading", name="Risk assessments", level=1)).to_be_visible()
        accessible()
        page.get_by_role("link", name="Maya Okoro risk assessment").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Risk assessment")
        accessible()

    # The social worker completes it; signing too soon keeps what was typed.
    switch_to(social_worker)
    page.get_by_role("link", name="Complete the risk assessment").click()
    expect(page.get_by_label("Placed with")).to_have_value(
        "Willow House, Maidstone (URN " + setting.urn + ")"
    )
    accessible()
    page.get_by_label("Context of the reported risk of concern").fill(
        SECTIONS["Context of the reported risk of concern"]
    )
    page.get_by_role("button", name="Sign and send to the team manager").click()
    expect(page.get_by_role("alert")).to_contain_text("Give your risk analysis")
    expect(page.get_by_label("Context of the reported risk of concern")).to_have_value(
        SECTIONS["Context of the reported risk of concern"]
    )
    accessible()
    for label, text in SECTIONS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Sign and send to the team manager").click()
    expect(page.get_by_text("Signed and sent to the team manager.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("With the team manager")
    accessible()

    # The team manager returns it with comments (which are required).
    switch_to(team_manager)
    page.get_by_role("link", name="Return with comments").click()
    accessible()
    page.get_by_role("button", name="Return with comments").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what needs to change")
    accessible()
    page.get_by_label("Comments for the lead professional").fill("Who verified the staffing?")
    page.get_by_role("button", name="Return with comments").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Returned with comments")
    accessible()

    # The social worker revises and signs again.
    switch_to(social_worker)
    expect(page.get_by_text("Who verified the staffing?").first).to_be_visible()
    page.get_by_role("link", name="Complete the risk assessment").click()
    accessible()
    page.get_by_label("Protective and mitigating factors").fill(
        "Waking night staff, verified by the registered manager on 3 March."
    )
    page.get_by_role("button", name="Sign and send to the team manager").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("With the team manager")

    # The team manager signs; then the service manager signs it off.
    switch_to(team_manager)
    page.get_by_role("button", name="Sign as team manager").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("With the service manager")
    accessible()
    switch_to(service_manager)
    page.get_by_role("button", name="Sign as service manager").click()
    expect(page.get_by_text("Risk assessment signed off.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signed off")
    accessible()
    table = page.get_by_role("table", name="Sign-off")
    for name in ("Sam Worker", "Toni Lead", "Sam Manager"):
        expect(table).to_contain_text(name)

    ra.refresh_from_db()
    assert ra.status == RiskAssessment.Status.SIGNED_OFF
    assert Duty.objects.get(subject=f"risk_assessment:{ra.pk}").status == Duty.Status.DONE
    assert errors == []
