"""Sign-in throttling by person and by address (issue 24, finding 10; accounts.throttle).

Before: locking was per username only. A spray of one password across 30 usernames from
one address was never slowed, and five wrong passwords for the Director's username, typed
anywhere, locked the Director out everywhere for 30 minutes."""

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.throttle import client_address

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.20"


def sign_in(client, username, password=PASSWORD, address=ATTACKER):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_five_wrong_passwords_lock_a_person_out_only_at_that_address(client):
    director = UserFactory(role="director")
    for _ in range(5):
        sign_in(client, director.username, "guess")
    assert sign_in(client, director.username).status_code == 429
    # The Director, at the office, signs in.
    assert sign_in(client, director.username, address=OFFICE).status_code == 302


@pytest.mark.django_db
@override_settings(AXES_ADDRESS_FAILURE_LIMIT=30)
def test_a_spray_across_usernames_from_one_address_is_stopped(client):
    users = [UserFactory() for _ in range(31)]
    for user in users[:29]:
        assert sign_in(client, user.username, "Winter2026!").status_code == 200
    # The 30th failure from the address locks it, as the fifth for one person does.
    assert sign_in(client, users[29].username, "Winter2026!").status_code == 429
    # The 31st username, even with its right password, is refused from that address...
    assert sign_in(client, users[30].username).status_code == 429
    # ...and not from another.
    assert sign_in(client, users[30].username, address=OFFICE).status_code == 302


@pytest.mark.django_db
@override_settings(AXES_ADDRESS_FAILURE_LIMIT=30)
def test_colleagues_sharing_an_address_are_not_locked_out_by_a_few_mistakes(client):
    colleagues = [UserFactory() for _ in range(8)]
    for user in colleagues:
        sign_in(client, user.username, "typo", address=OFFICE)
        sign_in(client, user.username, "typo again", address=OFFICE)
    assert sign_in(client, colleagues[0].username, address=OFFICE).status_code == 302


@pytest.mark.django_db
def test_the_address_lock_ends_with_the_cool_off():
    from django.test import Client

    client = Client()
    with (
        override_settings(AXES_ADDRESS_FAILURE_LIMIT=3),
        time_machine.travel("2026-11-22 10:00 +0000", tick=False) as traveller,
    ):
        users = [UserFactory() for _ in range(4)]
        for user in users[:3]:
            sign_in(client, user.username, "guess")
        assert sign_in(client, users[3].username).status_code == 429
        traveller.shift(31 * 60)
        assert sign_in(client, users[3].username).status_code == 302


class _Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_with_no_trusted_proxy_the_forwarded_header_is_ignored():
    assert client_address(_Request("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_only_its_entry_is_believed():
    # A client writes its own X-Forwarded-For; the proxy appends what it saw.
    assert client_address(_Request("10.0.0.1", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_address(_Request("10.0.0.1", "203.0.113.9")) == "203.0.113.9"
    assert client_address(_Request("10.0.0.1")) == "10.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_outer_ones_entry_is_the_client():
    assert client_address(_Request("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"
