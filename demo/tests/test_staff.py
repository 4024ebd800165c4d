"""seed_demo's staff: every role, one published password, refused in production."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from demo import staff as demo


@pytest.mark.django_db
def test_seed_demo_refuses_when_not_debug():
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_builds_every_role_and_can_run_twice(capsys, demo_day):
    call_command("seed_demo", "--i-know-this-is-not-production", "--seed", "7")
    call_command("seed_demo", "--i-know-this-is-not-production", "--seed", "7")
    assert User.objects.count() == len(demo.STAFF)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    out = capsys.readouterr().out
    assert demo.DEMO_PASSWORD in out
    worker = User.objects.get(username="sw.north1")
    assert worker.check_password(demo.DEMO_PASSWORD)
    assert worker.line_manager.username == "tm.north"
