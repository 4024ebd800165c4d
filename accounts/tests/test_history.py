import pytest

from accounts.models import Team
from accounts.services import team_create


@pytest.mark.django_db
def test_changes_to_staff_keep_who_when_and_what(client, administrator, social_worker, other_team):
    client.force_login(administrator)
    data = {
        "username": social_worker.username,
        "first_name": social_worker.first_name,
        "last_name": social_worker.last_name,
        "email": social_worker.email,
        "is_active": "on",
        "role": social_worker.role,
        "job_title": "Senior social worker",
        "team": other_team.pk,
        "line_manager": social_worker.line_manager_id,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "phone": "",
    }
    response = client.post(f"/admin/accounts/user/{social_worker.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = social_worker.history.first()
    assert latest.history_user == administrator
    assert latest.team_id == other_team.pk
    assert latest.job_title == "Senior social worker"
    previous = latest.prev_record
    assert previous.team_id != other_team.pk
    assert "team" in {change.field for change in latest.diff_against(previous).changes}


@pytest.mark.django_db
def test_team_history_and_passwords_not_kept_in_history(social_worker):
    team = team_create(name="Fostering Support", kind=Team.Kind.CHILDREN_IN_CARE)
    assert team.history.count() == 1
    assert not hasattr(social_worker.history.first(), "password")
