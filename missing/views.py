"""A child's missing and away episodes in the browser: the list, recording an episode and
the return, the setting's report received, the return home interview.

Every page: the child first (404 for a child the user may not see, the page an episode or
child that does not exist answers), then whose step it is (403, ``missing.services``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.pages import form_page, handle_form, posted
from placements.selectors import child_for

from . import rules, selectors, services
from .forms import EpisodeForm, HomeReportForm, InterviewForm, ReturnForm
from .models import InterviewOutcome, MissingEpisode


def _child_url(child_id: int) -> str:
    return reverse("missing:child_episodes", kwargs={"pk": child_id})


def _episode_url(episode: MissingEpisode) -> str:
    return reverse("missing:episode", kwargs={"pk": episode.pk})


def _caption(child) -> str:
    return f"{child.name} ({child.child_id})"


def child_episodes(request, pk: int):
    child = child_for(request.user, pk)
    return render(
        request,
        "missing/child_episodes.html",
        {
            "child": child,
            "episodes": list(selectors.child_episodes(child)),
            "can_record": services.may_record(request.user, child),
        },
    )


def episode_new(request, pk: int):
    child = child_for(request.user, pk)
    if not services.may_record(request.user, child):
        raise PermissionDenied
    now = timezone.now()
    return handle_form(
        request,
        EpisodeForm(posted(request), child=child),
        lambda data: services.episode_record(child=child, actor=request.user, now=now, **data),
        done="The episode is recorded. The child's social worker, team manager and IRO "
        "have been told.",
        to=_episode_url,
        page=lambda form: form_page(
            request,
            form,
            heading="Record a missing or away episode",
            caption=_caption(child),
            back_url=_child_url(child.pk),
        ),
    )


def episode(request, pk: int):
    found = selectors.episode_for(request.user, pk)
    child = found.child
    interview = getattr(found, "return_interview", None)
    may_record = services.may_record(request.user, child)
    due = {duty.kind: duty for duty in selectors.open_duties(found)}
    return render(
        request,
        "missing/episode.html",
        {
            "episode": found,
            "child": child,
            "interview": interview,
            "start": rules.described(
                found.start_date, found.start_time, rules.START_TIME_NOT_RECORDED
            ),
            "end": (
                rules.described(found.end_date, found.end_time, rules.RETURN_TIME_NOT_RECORDED)
                if found.end_date
                else ""
            ),
            "history": found.history.select_related("history_user").order_by("history_date"),
            "can_return": may_record and found.is_open,
            "can_report": may_record and found.home_report_received_at is None,
            "can_interview": (
                interview is None
                and not found.is_open
                and services.may_record_interview(request.user, child)
            ),
            "report_duty": due.get(rules.MISSING_REPORT),
            "interview_duty": due.get(rules.RETURN_HOME_INTERVIEW),
            "NOT_OFFERED": InterviewOutcome.NOT_OFFERED,
        },
    )


def _episode_step(request, pk: int, allowed) -> MissingEpisode:
    found = selectors.episode_for(request.user, pk)
    if not allowed(request.user, found.child):
        raise PermissionDenied
    return found


def episode_return(request, pk: int):
    found = _episode_step(request, pk, services.may_record)
    now = timezone.now()
    return handle_form(
        request,
        ReturnForm(posted(request)),
        lambda data: services.episode_return(episode=found, actor=request.user, now=now, **data),
        done="The return is recorded. The return home interview is now due.",
        to=_episode_url(found),
        page=lambda form: form_page(
            request,
            form,
            heading="Record the return",
            caption=_caption(found.child),
            back_url=_episode_url(found),
        ),
    )


def home_report(request, pk: int):
    found = _episode_step(request, pk, services.may_record)
    now = timezone.now()
    return handle_form(
        request,
        HomeReportForm(posted(request)),
        lambda data: services.home_report_received(
            episode=found, actor=request.user, now=now, **data
        ),
        done="The setting's report is recorded as received.",
        to=_episode_url(found),
        page=lambda form: form_page(
            request,
            form,
            heading="Record the setting's report as received",
            caption=_caption(found.child),
            back_url=_episode_url(found),
        ),
    )


def interview(request, pk: int):
    found = _episode_step(request, pk, services.may_record_interview)
    today = timezone.localdate()
    return handle_form(
        request,
        InterviewForm(
            posted(request), allow_not_offered=services.may_record_not_offered(request.user)
        ),
        lambda data: services.interview_record(
            episode=found, actor=request.user, today=today, **data
        ),
        done=lambda recorded: f"Return home interview recorded: {recorded.get_outcome_display()}.",
        to=_episode_url(found),
        page=lambda form: form_page(
            request,
            form,
            heading="Record the return home interview",
            caption=_caption(found.child),
            back_url=_episode_url(found),
        ),
    )
