from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory

LONDON = ZoneInfo("Europe/London")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def travel(when: datetime):
    return time_machine.travel(when, tick=False)


def deadlines(day: date, kind: str) -> list[str]:
    out = StringIO()
    call_command("deadlines", "--as-of", day.isoformat(), "--kind", kind, stdout=out)
    return out.getvalue().splitlines()[1:]


@pytest.fixture
def home(db):
    return SettingFactory(urn="SC654321", name="Birch House")


@pytest.fixture
def child(social_worker, home, iro):
    child = ChildFactory(
        child_id="K700001",
        first_name="Ada",
        last_name="Incidentson",
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
    )
    PlacementFactory(child=child, setting=home, decom=date(2026, 1, 5))
    return child


@pytest.fixture
def other_child(other_team_worker, home):
    child = ChildFactory(
        child_id="K700002",
        first_name="Bea",
        last_name="Elsewhere",
        team=other_team_worker.team,
        social_worker=other_team_worker,
    )
    PlacementFactory(child=child, setting=home, decom=date(2026, 1, 5))
    return child
