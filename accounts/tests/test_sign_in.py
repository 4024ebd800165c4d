import re

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from accounts.tests.factories import PASSWORD, UserFactory

PUBLIC = {"login", "healthz"}


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def all_url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def concrete(pattern: str) -> str:
    """A URL for a pattern, with placeholder values for its parameters."""
    url = re.sub(r"<(?:int:)?\w*(?:id|pk)>", "1", pattern)
    url = re.sub(r"<(?:\w+:)?\w+>", "x", url)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "x", url)
    url = url.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + url


@pytest.mark.django_db
def test_every_url_sends_an_anonymous_visitor_to_sign_in(client):
    checked = 0
    for pattern, entry in all_url_patterns():
        if entry.name in PUBLIC:
            continue
        url = concrete(pattern)
        response = client.get(url, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        assert final.startswith(reverse("login")), f"{url} answered {response.status_code}"
        checked += 1
    assert checked > 20


@pytest.mark.django_db
def test_sign_in_page_and_healthz_need_no_sign_in(client):
    assert client.get(reverse("login")).status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_and_sees_its_home_page(client, role):
    user = UserFactory(role=role, first_name="Jo", last_name="Bloggs")
    response = sign_in(client, user.username)
    assert response.status_code == 302 and response.url == reverse("home")
    page = client.get(reverse("home")).content.decode()
    assert "Jo Bloggs" in page
    assert f"({role.label})" in page


@pytest.mark.django_db
def test_wrong_password_shows_error_beside_form(client, social_worker):
    response = sign_in(client, social_worker.username, "not-the-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct username and password" in page


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_with_the_right_password(client, social_worker):
    for _ in range(5):
        sign_in(client, social_worker.username, "not-the-password")
    response = sign_in(client, social_worker.username)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_thirty_minutes(client, social_worker):
    with time_machine.travel("2026-11-22 10:00 +0000", tick=False) as traveller:
        for _ in range(5):
            sign_in(client, social_worker.username, "not-the-password")
        assert sign_in(client, social_worker.username).status_code == 429
        traveller.shift(31 * 60)
        assert sign_in(client, social_worker.username).status_code == 302


@pytest.mark.django_db
def test_session_ends_after_thirty_idle_minutes_only(client, social_worker):
    with time_machine.travel("2026-11-22 10:00 +0000", tick=False) as traveller:
        sign_in(client, social_worker.username)
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200  # activity pushes expiry on
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(31 * 60)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_sign_out_is_a_post(client, social_worker):
    client.force_login(social_worker)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_password_change(client, social_worker):
    client.force_login(social_worker)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )
    assert response.status_code == 302
    social_worker.refresh_from_db()
    assert social_worker.check_password("a-much-longer-passphrase")


@pytest.mark.django_db
def test_admin_site_sends_anonymous_users_to_the_one_sign_in_page(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


@pytest.mark.django_db
def test_admin_site_refuses_staff_who_are_not_administrators(client, social_worker, administrator):
    client.force_login(social_worker)
    assert client.get("/admin/accounts/user/").status_code == 302
    client.force_login(administrator)
    assert client.get("/admin/accounts/user/").status_code == 200
