"""Personas and browser set-up shared by every app's tests."""

import os

import pytest
import time_machine

from accounts.models import Role, Team
from accounts.tests.factories import PASSWORD, TeamFactory, UserFactory
from tests.clock import DEMO_DAYS

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# must still be usable there for live-server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: Fixtures shared by tests of several apps.
pytest_plugins = ["tests.outage", "tests.placed"]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def demo_day(request):
    """The clock of a demo test: started at one of DEMO_DAYS and running from there (the
    first, unless the test is marked EVERY_DEMO_DAY). Request it before anything seeds."""
    start = getattr(request, "param", DEMO_DAYS["2 Dec 2026"])
    with time_machine.travel(start, tick=True):
        yield start


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def cic_team(db):
    return TeamFactory(name="Children in Care North", kind=Team.Kind.CHILDREN_IN_CARE)


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Children in Care South", kind=Team.Kind.CHILDREN_IN_CARE)


@pytest.fixture
def assistant_director(db):
    team = TeamFactory(name="Senior Leadership", kind=Team.Kind.MANAGEMENT)
    return UserFactory(
        username="ad",
        first_name="Alex",
        last_name="Director",
        role=Role.ASSISTANT_DIRECTOR,
        team=team,
    )


@pytest.fixture
def service_manager(db, assistant_director):
    return UserFactory(
        username="sm",
        first_name="Sam",
        last_name="Manager",
        role=Role.SERVICE_MANAGER,
        team=assistant_director.team,
        line_manager=assistant_director,
    )


@pytest.fixture
def team_manager(db, cic_team, service_manager):
    return UserFactory(
        username="tm",
        first_name="Toni",
        last_name="Lead",
        role=Role.TEAM_MANAGER,
        team=cic_team,
        line_manager=service_manager,
    )


@pytest.fixture
def social_worker(db, cic_team, team_manager):
    return UserFactory(
        username="sw",
        role=Role.SOCIAL_WORKER,
        team=cic_team,
        line_manager=team_manager,
        first_name="Sam",
        last_name="Worker",
    )


@pytest.fixture
def other_team_worker(db, other_team, service_manager):
    manager = UserFactory(
        username="tm2",
        first_name="Terry",
        last_name="Southgate",
        role=Role.TEAM_MANAGER,
        team=other_team,
        line_manager=service_manager,
    )
    return UserFactory(
        username="sw2",
        first_name="Wren",
        last_name="Southgate",
        role=Role.SOCIAL_WORKER,
        team=other_team,
        line_manager=manager,
    )


@pytest.fixture
def iro(db):
    team = TeamFactory(name="IRO Service", kind=Team.Kind.IRO_SERVICE)
    return UserFactory(
        username="iro", first_name="Ira", last_name="Reviewer", role=Role.IRO, team=team
    )


@pytest.fixture
def lado(db):
    team = TeamFactory(name="LADO Service", kind=Team.Kind.LADO_SERVICE)
    return UserFactory(
        username="lado", first_name="Lee", last_name="Adebayo", role=Role.LADO, team=team
    )


@pytest.fixture
def commissioning(db):
    team = TeamFactory(name="Commissioning", kind=Team.Kind.COMMISSIONING)
    return UserFactory(
        username="comm",
        first_name="Cam",
        last_name="Commissioner",
        role=Role.COMMISSIONING_OFFICER,
        team=team,
    )


@pytest.fixture
def administrator(db):
    team = TeamFactory(name="Business Support", kind=Team.Kind.ADMINISTRATION)
    return UserFactory(
        username="admin",
        first_name="Ada",
        last_name="Admin",
        role=Role.ADMINISTRATOR,
        team=team,
        is_staff=True,
        is_superuser=True,
    )
