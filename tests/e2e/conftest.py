import pytest

from accounts.tests.factories import PASSWORD
from tests.e2e.axe import serious_violations


@pytest.fixture
def sign_in(live_server, page):
    def _sign_in(user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _sign_in


@pytest.fixture
def accessible(page):
    """Assert the page now shown has no serious or critical axe violation."""

    def _check():
        assert serious_violations(page) == [], page.url

    return _check
