"""What missing adds to the register's pages (``placements.pages``): a child's episodes,
and, on a setting's page, the episodes from it in the last year."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from placements import pages

from . import selectors
from .models import MissingEpisode

#: How far back a setting's page lists episodes from it.
SETTING_PAGE_DAYS = 365
#: How many it lists at most (the child's own page has them all).
SETTING_PAGE_EPISODES = 25


def missing_flags() -> dict:
    return {
        "has_missing_episodes": Exists(
            MissingEpisode.objects.filter(placement__setting=OuterRef("pk"))
        )
    }


def setting_missing_context(user, setting) -> dict:
    """The episodes from this setting in the last year, of the children the user may see
    (one query, none for a setting no child ever went missing from)."""
    episodes: list = []
    if getattr(setting, "has_missing_episodes", True):
        since = timezone.localdate() - timedelta(days=SETTING_PAGE_DAYS)
        episodes = list(
            selectors.setting_episodes(user, setting, since=since)[:SETTING_PAGE_EPISODES]
        )
    return {"setting_missing_episodes": episodes}


def register() -> None:
    pages.add_child_link(
        pages.Link(
            "Missing and away episodes",
            lambda child: reverse("missing:child_episodes", args=[child.pk]),
            order=17,
        )
    )
    pages.add_setting_section(
        pages.Section(
            "missing",
            "missing/_setting_missing.html",
            setting_missing_context,
            order=25,
            annotations=missing_flags,
        )
    )
