import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory


@pytest.fixture
def director(db):
    """The Director of Children's Services (seed 001: the Executive Director, Children)."""
    return UserFactory(
        username="dcs", first_name="Dana", last_name="Chief", role=Role.DIRECTOR, team=None
    )
