import re

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory

EXTERNAL = re.compile(r"""(?:src|href|action)=["'](?:https?:)?//""", re.IGNORECASE)


@pytest.mark.django_db
def test_team_manager_sees_the_team(client, team_manager, social_worker, other_team_worker):
    client.force_login(team_manager)
    page = client.get(reverse("home")).content.decode()
    assert "Your team" in page
    assert str(social_worker) in page
    assert str(other_team_worker) not in page


@pytest.mark.django_db
def test_social_worker_sees_own_details_not_a_team_table(client, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("home")).content.decode()
    assert "Your details" in page
    assert "Children in Care North" in page
    assert str(social_worker.line_manager) in page
    assert "Your team" not in page


@pytest.mark.django_db
def test_navigation_shows_administration_to_administrators_only(
    client, social_worker, administrator
):
    client.force_login(social_worker)
    assert "Administration" not in client.get(reverse("home")).content.decode()
    client.force_login(administrator)
    page = client.get(reverse("home")).content.decode()
    assert "Administration" in page
    assert "Staff by role" in page


@pytest.mark.django_db
def test_names_are_escaped(client, cic_team):
    user = UserFactory(
        role=Role.SOCIAL_WORKER, team=cic_team, first_name="<script>alert(1)</script>"
    )
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_pages_load_nothing_from_another_host(client, role):
    client.force_login(UserFactory(role=role))
    for url in [reverse("home"), reverse("password_change")]:
        response = client.get(url)
        assert response.status_code == 200
        assert not EXTERNAL.search(response.content.decode()), url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy


@pytest.mark.django_db
def test_unknown_page_is_a_gov_uk_404(client, social_worker):
    client.force_login(social_worker)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
