"""A child placed at Oak House with a social worker, her team manager and an IRO."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory

LONDON = ZoneInfo("Europe/London")


def london(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def travel(when: datetime):
    return time_machine.travel(when, tick=False)


@pytest.fixture
def home(db):
    return SettingFactory(name="Oak House", urn="SC123456")


@pytest.fixture
def child(social_worker, team_manager, iro, home):
    found = ChildFactory(
        child_id="M100001",
        first_name="Maya",
        last_name="Okoro",
        date_of_birth=date(2011, 4, 1),
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
    )
    PlacementFactory(child=found, setting=home, decom=date(2025, 6, 2))
    return found
