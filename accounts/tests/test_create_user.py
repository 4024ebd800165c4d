import io
import os
import subprocess
import sys

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.models import Role, User
from accounts.tests.factories import TeamFactory, UserFactory


class FakeTty(io.StringIO):
    def isatty(self):
        return True


class Piped(io.StringIO):
    def isatty(self):
        return False


def run(*args, stdin):
    out = io.StringIO()
    call_command("create_user", *args, stdin=stdin, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_piped_password_creates_a_user_who_can_sign_in():
    team = TeamFactory(name="Care Leavers")
    manager = UserFactory(username="tm.leavers", role=Role.TEAM_MANAGER, team=team)
    output = run(
        "pa.jones",
        "--role",
        "personal_adviser",
        "--team",
        "Care Leavers",
        "--manager",
        "tm.leavers",
        "--email",
        "pa.jones@example.gov.uk",
        stdin=Piped("a-long-passphrase-for-jones\n"),
    )
    user = User.objects.get(username="pa.jones")
    assert (user.role, user.team, user.line_manager) == (Role.PERSONAL_ADVISER, team, manager)
    assert user.email == "pa.jones@example.gov.uk"
    assert "Password" not in output
    assert (
        authenticate(
            RequestFactory().post("/accounts/login/"),
            username="pa.jones",
            password="a-long-passphrase-for-jones",
        )
        == user
    )
    assert user.history.count() == 1
    assert user.history.first().history_change_reason == "Provisioned"


@pytest.mark.django_db
def test_without_a_pipe_a_password_is_generated_and_printed_once():
    output = run("iro.smith", "--role", "IRO", stdin=FakeTty())
    lines = [line for line in output.splitlines() if line.startswith("Password (shown once): ")]
    assert len(lines) == 1
    password = lines[0].split(": ", 1)[1]
    assert len(password) >= 20
    user = User.objects.get(username="iro.smith")
    assert user.role == Role.IRO
    assert (
        authenticate(
            RequestFactory().post("/accounts/login/"), username="iro.smith", password=password
        )
        == user
    )


@pytest.mark.django_db
def test_administrator_role_may_use_the_admin_site():
    run("admin.one", "--role", "administrator", stdin=Piped("a-long-passphrase-for-admin\n"))
    user = User.objects.get(username="admin.one")
    assert user.is_staff and user.is_superuser


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "wizard"], "Unknown role 'wizard'"),
        (["--role", "social_worker", "--team", "Nowhere"], "No team called 'Nowhere'"),
        (["--role", "social_worker", "--manager", "ghost"], "No user called 'ghost'"),
    ],
)
def test_bad_role_team_or_manager_creates_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        run("new.person", *args, stdin=Piped("a-long-passphrase-123\n"))
    assert not User.objects.filter(username="new.person").exists()


@pytest.mark.django_db
def test_weak_piped_password_is_refused():
    with pytest.raises(CommandError, match="Password refused"):
        run("weak", "--role", "social_worker", stdin=Piped("12345\n"))
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db(transaction=True)
def test_bad_role_exits_1_with_one_line(settings):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    db = settings.DATABASES["default"]
    env["TEST_DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "create_user", "x", "--role", "wizard"],
        input="a-long-passphrase-123\n",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "Unknown role 'wizard'" in result.stderr
    assert not User.objects.filter(username="x").exists()
