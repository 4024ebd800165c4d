"""The episode table's own rules, held by the database whatever path writes to it."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from missing.models import EpisodeKind, MissingEpisode
from placements.tests.factories import ChildFactory


@pytest.mark.django_db
def test_an_episode_cannot_end_before_it_starts():
    child = ChildFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MissingEpisode.objects.create(
            child=child,
            kind=EpisodeKind.MISSING,
            start_date=date(2026, 3, 2),
            end_date=date(2026, 3, 1),
        )
    episode = MissingEpisode.objects.create(
        child=child,
        kind=EpisodeKind.MISSING,
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 2),
    )
    assert not episode.is_open
