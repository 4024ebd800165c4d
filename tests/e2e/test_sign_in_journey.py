from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import PASSWORD, UserFactory
from tests.e2e.axe import serious_violations

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_social_worker_signs_in_and_sees_home(live_server, page):
    UserFactory(username="sam", role=Role.SOCIAL_WORKER, first_name="Sam", last_name="Okafor")
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert serious_violations(page) == []

    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_text("Enter a correct username and password")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")  # works by keyboard as well as by click
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sam Okafor")
    expect(page.get_by_test_id("signed-in-as")).to_have_text("Sam Okafor (Social worker)")
    # Scripts loaded and ran: GOV.UK Frontend marks the body as supported.
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    assert serious_violations(page) == []

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert hosts == {urlsplit(live_server.url).netloc}
