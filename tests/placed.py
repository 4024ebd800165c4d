"""Children placed at a Good children's home: the fixtures of the tests of what follows
a judgement or a notice about it (``scoping``, ``visits``)."""

from datetime import date

import pytest

from placements.models import Inspection, Rating
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory


def place_three(setting, cic_team, social_worker, other_team_worker, iro):
    """Three children placed, two social workers, one IRO; and one who left."""
    children = [
        ChildFactory(child_id="C000001", team=cic_team, social_worker=social_worker, iro=iro),
        ChildFactory(child_id="C000002", team=cic_team, social_worker=social_worker, iro=iro),
        ChildFactory(
            child_id="C000003",
            team=other_team_worker.team,
            social_worker=other_team_worker,
            iro=None,
        ),
    ]
    for child in children:
        PlacementFactory(child=child, setting=setting, decom=date(2026, 1, 5))
    # A child who left before the judgement gets nothing.
    gone = ChildFactory(child_id="C000009", team=cic_team, social_worker=social_worker)
    PlacementFactory(child=gone, setting=setting, decom=date(2025, 1, 5), dec=date(2025, 3, 1))
    return children


@pytest.fixture
def staff(cic_team, social_worker, team_manager, other_team_worker, iro, lado):
    return cic_team, social_worker, other_team_worker, iro


@pytest.fixture
def placed(staff):
    """A Good children's home with three children placed."""
    setting = SettingFactory(name="Oak House", current_rating=Rating.GOOD)
    Inspection.objects.create(
        setting=setting,
        inspection_date=date(2025, 5, 1),
        overall_judgement=Rating.GOOD,
        recorded_on=date(2025, 6, 1),
    )
    return setting, place_three(setting, *staff)
