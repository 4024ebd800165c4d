"""Reads of missing and away episodes, scoped to the children the user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from duties.models import Duty
from placements.models import Child
from placements.selectors import child_visibility

from .duty_kinds import interview_subject, report_subject
from .models import MissingEpisode


def episode_for(user: User, pk: int) -> MissingEpisode:
    """The episode if this user may see its child; otherwise 404 (what an episode that
    does not exist answers)."""
    episode = (
        MissingEpisode.objects.filter(child_visibility(user, prefix="child__"), pk=pk)
        .select_related(
            "child",
            "child__team",
            "child__social_worker",
            "child__social_worker__line_manager",
            "child__personal_adviser",
            "child__iro",
            "placement",
            "placement__setting",
            "recorded_by",
        )
        .first()
    )
    if episode is None:
        raise Http404("No such episode")
    return episode


def child_episodes(child: Child) -> QuerySet[MissingEpisode]:
    """A child's episodes, latest first, each with its placement's setting and interview
    (one query)."""
    return (
        MissingEpisode.objects.filter(child=child)
        .select_related("placement__setting", "return_interview", "return_interview__manager")
        .order_by("-start_date", "-start_time", "-pk")
    )


def setting_episodes(user: User, setting, *, since) -> QuerySet[MissingEpisode]:
    """Episodes from this setting's placements that started on or after ``since``, of the
    children this user may see, latest first, with their child and interview."""
    return (
        MissingEpisode.objects.filter(placement__setting=setting, start_date__gte=since)
        .filter(child_visibility(user, prefix="child__"))
        .select_related("child", "return_interview")
        .order_by("-start_date", "-start_time", "-pk")
    )


def open_duties(episode: MissingEpisode):
    """The episode's open duties (its report, its interview), for their due dates."""
    return Duty.objects.filter(
        subject__in=[report_subject(episode.pk), interview_subject(episode.pk)],
        status=Duty.Status.OPEN,
    )
