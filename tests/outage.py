"""What the outage tests share: a free port, the 503 page's checks, and a draft visit to
finish (the fixtures ``frozen`` and ``draft``, through conftest's pytest_plugins)."""

import socket
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from visits import services
from visits.models import VisitKind
from visits.tests.test_visit_form import complete_answers

ROOT = Path(__file__).resolve().parents[1]
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)  # complete_answers() is a visit on 9 March
ERROR_LEAKS = ["Traceback", "OperationalError", "psycopg", "connection is closed", 'File "']


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_service_unavailable_page(status, headers, body: str) -> None:
    """The service's own GOV.UK page, with nothing of the failure in it."""
    assert status == 503, body[:2000]
    assert "Sorry, the service is unavailable" in body
    assert 'class="govuk-template"' in body and "govuk-heading-l" in body
    for leak in ERROR_LEAKS + [str(ROOT)]:
        assert leak not in body, leak
    assert headers.get("X-Frame-Options") == "DENY"
    assert "script-src 'self'" in headers.get("Content-Security-Policy", "")
    assert headers.get("Retry-After")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def draft(frozen, social_worker, team_manager):
    setting = SettingFactory(name="Willow House", address_line_1="1 Lime Road", town="Maidstone")
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child, setting=setting, decom=date(2025, 1, 6))
    return services.visit_start(
        child=child, kind=VisitKind.PURPOSEFUL, actor=social_worker, now=timezone.now()
    )


def post_finish(client, visit):
    data = {**complete_answers(escalate_to_line_manager="yes"), "action": "finish"}
    return client.post(reverse("visits:visit_edit", args=[visit.pk]), data)
