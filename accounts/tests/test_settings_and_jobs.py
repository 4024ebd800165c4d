import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from config.celery_app import app


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", **extra)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, env=env, check=False
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="placements.example.gov.uk",
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
            REDIS_URL="redis://127.0.0.1:6379/0",
        ),
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = manage(
        "check",
        env=production_env(
            ALLOWED_HOSTS="placements.example.gov.uk",
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        ),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_clear_expired_sessions_task_removes_only_expired():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="new", session_data="", expire_date=now + timedelta(1))
    assert clear_expired_sessions.delay().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


def test_beat_schedule_names_real_tasks():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_tests_use_redis_as_the_broker_and_it_answers():
    assert app.conf.broker_url.startswith("redis://")
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)


def test_local_default_broker_needs_no_server(tmp_path):
    """make run with nothing configured: a message goes through the filesystem broker."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", VAR_DIR=str(tmp_path))
    script = (
        "import django; django.setup()\n"
        "from config.celery_app import app\n"
        "with app.connection_for_write() as conn:\n"
        "    queue = conn.SimpleQueue('smoke')\n"
        "    queue.put({'hello': 'world'})\n"
        "    message = queue.get(timeout=5)\n"
        "    message.ack()\n"
        "    print(app.conf.broker_url, message.payload['hello'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "filesystem:// world"
