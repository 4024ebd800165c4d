"""Periods of care: a child's 903 episodes joined end to start.

Pure functions over episodes (anything with ``pk``, ``decom`` and ``dec``, in DECOM
order): no ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol


class Episode(Protocol):
    pk: int
    decom: date
    dec: date | None


def looked_after_since(episodes: Sequence[Episode]) -> dict[int, date]:
    """For each episode, the DECOM of the first episode of its continuous period of care
    (episodes joined end-to-start: one's DEC is the next one's DECOM)."""
    since: dict[int, date] = {}
    previous = None
    for episode in episodes:
        if previous is not None and previous.dec == episode.decom:
            since[episode.pk] = since[previous.pk]
        else:
            since[episode.pk] = episode.decom
        previous = episode
    return since


def current_episode(episodes: Sequence[Episode], today: date) -> Episode | None:
    """The episode the child is in on ``today`` (open, or ending after it); of several
    (data that overlaps), the one that started last."""
    current = [e for e in episodes if e.decom <= today and (e.dec is None or e.dec > today)]
    return max(current, key=lambda e: (e.decom, e.pk)) if current else None
