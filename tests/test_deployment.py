"""docker-compose.yml cannot be run here (no Docker engine); these pin what it must say."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_long_running_service_has_a_health_check():
    services = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name in ["web", "worker", "beat", "db", "redis"]:
        assert "test" in services[name]["healthcheck"], name


def test_app_services_get_the_environment_production_needs():
    services = compose()["services"]
    for name in ["web", "worker", "beat", "migrate"]:
        env = services[name]["environment"]
        for key in ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST"]:
            assert key in env, (name, key)
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")


def test_web_runs_gunicorn_and_waits_for_migrations():
    services = compose()["services"]
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "DatabaseScheduler" in " ".join(services["beat"]["command"])
