"""Every write about a missing or away episode: recording it, the return, the setting's
report received and the return home interview. Each is one transaction that keeps the
episode's history, the child's missing flag (``Child.missing_since``) and the episode's
duties together: nothing is saved half-way.

Who records (timescales.md §9; 004_… appendix B item 12; issue 17 "opened by the social
worker, the setting's report (entered by staff on its behalf) or import"):

- an episode, the return and the setting's report received: the child's social worker or
  personal adviser, a team or service manager who may see the child, and commissioning,
  who enter the setting's report on its behalf (``reported_by=setting``: the report is
  then received as the episode is recorded);
- the return home interview: the child's social worker or personal adviser, managers
  and the senior managers; **not offered** only by a team manager or above (004_…
  appendix A line 366 expects the authority challenged when the interview does not take
  place: a manager answers for it, named as the signed-in user).

Everyone else who may see the child reads (the IRO, the LADO, the senior managers).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import MANAGER_ROLES, SENIOR_ROLES, Role, User
from core.history import stamp
from duties import services as duty_services
from duties import timescales
from placements.models import Child, Placement

from . import rules
from .duty_kinds import interview_subject, report_subject
from .models import InterviewOutcome, MissingEpisode, ReportedBy, ReturnInterview

#: Who records that the interview was not offered: a team manager or above.
NOT_OFFERED_ROLES = MANAGER_ROLES | SENIOR_ROLES

FUTURE_START = "The start cannot be in the future."
FUTURE_RETURN = "The return cannot be in the future."


def _fmt(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


# --- Who may ---------------------------------------------------------------------------------


def _allocated(user: User, child: Child) -> bool:
    return user.pk in (child.social_worker_id, child.personal_adviser_id)


def may_record(user: User, child: Child) -> bool:
    """Record an episode, its return, the setting's report received (of a child the user
    may see: the views ask ``child_for`` first)."""
    if not user.is_active:
        return False
    return (
        _allocated(user, child)
        or user.role in MANAGER_ROLES
        or user.role == Role.COMMISSIONING_OFFICER
    )


def may_record_interview(user: User, child: Child) -> bool:
    if not user.is_active:
        return False
    return _allocated(user, child) or user.role in NOT_OFFERED_ROLES


def may_record_not_offered(user: User) -> bool:
    return user.is_active and user.role in NOT_OFFERED_ROLES


# --- Checks ----------------------------------------------------------------------------------


def _span(episode: MissingEpisode) -> rules.Span:
    return rules.Span(episode.start_date, episode.start_time, episode.end_date, episode.end_time)


def _placement_on(child: Child, day: date) -> Placement | None:
    """The child's placement open on ``day`` (the latest started)."""
    return (
        Placement.objects.filter(child=child, decom__lte=day)
        .exclude(dec__lt=day)
        .select_related("setting")
        .order_by("-decom", "-pk")
        .first()
    )


def _check_start(child: Child, start: date, start_time: time | None, now: datetime) -> dict:
    errors: dict[str, str] = {}
    if start < child.date_of_birth:
        errors["start_date"] = (
            f"The start cannot be before the child was born ({_fmt(child.date_of_birth)})."
        )
    elif rules.in_future(start, None, now):
        errors["start_date"] = FUTURE_START
    elif skipped := rules.skipped_time_error(start, start_time):
        errors["start_time"] = skipped
    elif rules.in_future(start, start_time, now):
        errors["start_time"] = FUTURE_START
    return errors


def _check_end(span: rules.Span, now: datetime) -> dict:
    errors: dict[str, str] = {}
    if span.end_date is None:
        if span.end_time is not None:
            errors["end_date"] = "Enter the date of the return as well as its time."
        return errors
    if rules.end_before_start(span):
        field = "end_date" if span.end_date < span.start_date else "end_time"
        errors[field] = "The return cannot be before the start " + (
            f"({_fmt(span.start_date)})."
            if field == "end_date"
            else f"({span.start_time:%H:%M} on {_fmt(span.start_date)})."
        )
    elif rules.in_future(span.end_date, None, now):
        errors["end_date"] = FUTURE_RETURN
    elif skipped := rules.skipped_time_error(span.end_date, span.end_time):
        errors["end_time"] = skipped
    elif rules.in_future(span.end_date, span.end_time, now):
        errors["end_time"] = FUTURE_RETURN
    return errors


def _check_overlap(child: Child, span: rules.Span, *, exclude: int | None = None) -> dict:
    """Another episode of the child certainly away at the same time (the child's episodes,
    locked, so that two recorded at once cannot both pass)."""
    others = MissingEpisode.objects.select_for_update().filter(child=child).order_by("start_date")
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if other.start_date == span.start_date:
            return {
                "start_date": f"An episode starting on {_fmt(span.start_date)} is already "
                "recorded for this child. Record the return on that episode instead."
            }
        if span.overlaps(_span(other)):
            what = (
                "is still open: record the return on it first"
                if other.is_open
                else f"ended on {_fmt(other.end_date)}"
            )
            field = "start_date" if span.end_date is None or other.is_open else "end_date"
            if other.start_date < span.start_date:
                field = "start_date"
            return {
                field: f"This overlaps the episode that started on {_fmt(other.start_date)}, "
                f"which {what}."
            }
    return {}


# --- The child's flag ------------------------------------------------------------------------


def _keep_flag(child: Child) -> None:
    """``Child.missing_since``: the start of the child's open episode, else blank. One
    UPDATE (the register keeps no history of the flag: the episode's own history does)."""
    open_episode = (
        MissingEpisode.objects.filter(child=child, end_date__isnull=True)
        .order_by("-start_date")
        .first()
    )
    since = (
        rules.earliest_instant(open_episode.start_date, open_episode.start_time)
        if open_episode is not None
        else None
    )
    Child.objects.filter(pk=child.pk).update(missing_since=since)
    child.missing_since = since


# --- Duties and notifications ----------------------------------------------------------------


def _open_report_duty(episode: MissingEpisode) -> None:
    """The setting's missing report, 24 hours after the start: only where the child went
    missing from a setting (a placement with a provider behind it)."""
    placement = episode.placement
    if placement is None or placement.setting_id is None:
        return
    due = rules.missing_report_due(
        episode.start_date, episode.start_time, timescales.current(rules.MissingRules)
    )
    duty_services.duty_open(
        kind=rules.MISSING_REPORT,
        subject=report_subject(episode.pk),
        due=due.due,
        due_at=due.due_at,
        child=episode.child,
        setting=placement.setting,
        placement=placement,
        team=episode.child.team,
        basis=due.basis,
        source=due.source,
    )
    if episode.home_report_received_at is not None:
        _report_done(episode)


def _report_done(episode: MissingEpisode) -> None:
    assert episode.home_report_received_at is not None
    duty_services.duty_done(
        kind=rules.MISSING_REPORT,
        subject=report_subject(episode.pk),
        done_on=episode.home_report_received_at.astimezone(rules.LONDON).date(),
        done_by=f"missing:{episode.pk}",
    )


def _open_interview_duty(episode: MissingEpisode) -> None:
    assert episode.end_date is not None
    child = episode.child
    due = rules.return_home_interview_due(
        episode.end_date, episode.end_time, timescales.current(rules.MissingRules)
    )
    duty_services.duty_open(
        kind=rules.RETURN_HOME_INTERVIEW,
        subject=interview_subject(episode.pk),
        due=due.due,
        due_at=due.due_at,
        owner=child.social_worker,
        team=child.team,
        child=child,
        setting=episode.placement.setting if episode.placement else None,
        placement=episode.placement,
        basis=due.basis,
        source=due.source,
    )


def _team_managers(child: Child) -> list[User]:
    """The child's team's team managers, and the social worker's line manager where they
    are a team manager."""
    found = {}
    if child.team_id is not None:
        for manager in User.objects.filter(
            team_id=child.team_id, role=Role.TEAM_MANAGER, is_active=True
        ):
            found[manager.pk] = manager
    worker = child.social_worker
    if worker is not None and worker.line_manager_id is not None:
        line_manager = User.objects.filter(pk=worker.line_manager_id).first()
        if line_manager is not None and line_manager.role == Role.TEAM_MANAGER:
            found[line_manager.pk] = line_manager
    return list(found.values())


def notify_opened(episode: MissingEpisode, *, actor: User | None) -> int:
    """The child's social worker, team manager and IRO are told at once, each once for the
    episode (``missing:<pk>:opened``): recording the return or changing the episode tells
    nobody again. The person who recorded it is not told. By 903 ID only."""
    child = episode.child
    people: dict[int, User] = {}
    for person in [child.social_worker, *_team_managers(child), child.iro]:
        if person is not None and (actor is None or person.pk != actor.pk):
            people[person.pk] = person
    kind = "missing" if episode.kind == "M" else "away from placement without authorisation"
    began = rules.described(episode.start_date, episode.start_time, "time not recorded")
    return duty_services.notify_many(
        people.values(),
        key=f"missing:{episode.pk}:opened",
        subject=f"Child {child.child_id} is {kind}",
        body=(
            f"Child {child.child_id} was recorded as {kind} from {began}. "
            "Open the episode to see what is known and what is due."
        ),
        url=reverse("missing:episode", kwargs={"pk": episode.pk}),
    )


# --- Writes ----------------------------------------------------------------------------------


def _reported_by(actor: User) -> str:
    """Commissioning enter the setting's own report on its behalf."""
    if actor.role == Role.COMMISSIONING_OFFICER:
        return ReportedBy.SETTING
    return ReportedBy.STAFF


@transaction.atomic
def episode_record(
    *,
    child: Child,
    actor: User,
    now: datetime,
    kind: str,
    start_date: date,
    start_time: time | None,
    placement: Placement | None = None,
    end_date: date | None = None,
    end_time: time | None = None,
    where_found: str = "",
    where_found_detail: str = "",
    police_reference: str = "",
    risk_level: str = "",
    notes: str = "",
) -> MissingEpisode:
    """Record an episode (and, when the child is already back, its return). The placement
    defaults to the one the child was in at the start; one chosen must have been open then.
    Refused beside the field: a start before the child's birth or in the future, a return
    before the start or in the future, an episode overlapping another of the child's."""
    Child.objects.select_for_update().filter(pk=child.pk).first()
    span = rules.Span(start_date, start_time, end_date, end_time)
    errors = _check_start(child, start_date, start_time, now)
    if not errors:
        errors = _check_end(span, now)
    if not errors:
        errors = _check_overlap(child, span)
    if not errors:
        at_start = _placement_on(child, start_date)
        if placement is None:
            placement = at_start
        elif placement.child_id != child.pk or not (
            placement.decom <= start_date and (placement.dec is None or placement.dec >= start_date)
        ):
            errors["placement"] = (
                f"The child was not in this placement on {_fmt(start_date)}. Choose the "
                "placement they went missing from."
            )
    if errors:
        raise ValidationError(errors)
    reported_by = _reported_by(actor)
    episode = MissingEpisode(
        child=child,
        placement=placement,
        kind=kind,
        start_date=start_date,
        start_time=start_time,
        end_date=end_date,
        end_time=end_time if end_date is not None else None,
        where_found=where_found if end_date is not None else "",
        where_found_detail=where_found_detail if end_date is not None else "",
        police_reference=police_reference.strip(),
        risk_level=risk_level,
        notes=notes,
        reported_by=reported_by,
        home_report_received_at=now if reported_by == ReportedBy.SETTING else None,
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            stamp(episode, actor, "Episode recorded").save()
    except IntegrityError as clash:  # another request recorded the same start meanwhile
        raise ValidationError(
            {"start_date": f"An episode starting on {_fmt(start_date)} is already recorded."}
        ) from clash
    _keep_flag(child)
    _open_report_duty(episode)
    if episode.end_date is not None:
        _open_interview_duty(episode)
    notify_opened(episode, actor=actor)
    return episode


@transaction.atomic
def episode_return(
    *,
    episode: MissingEpisode,
    actor: User,
    now: datetime,
    end_date: date,
    end_time: time | None,
    where_found: str = "",
    where_found_detail: str = "",
) -> MissingEpisode:
    """Record the child's return: the flag is lowered and the return home interview falls
    due. Once: a return already recorded is refused (its history keeps what was entered)."""
    episode = (
        MissingEpisode.objects.select_for_update(of=("self",))
        .select_related(
            "child", "child__social_worker", "child__team", "placement", "placement__setting"
        )
        .get(pk=episode.pk)
    )
    if not episode.is_open:
        raise ValidationError(
            f"The return was recorded already: {_fmt(episode.end_date)}."  # type: ignore[arg-type]
        )
    span = rules.Span(episode.start_date, episode.start_time, end_date, end_time)
    errors = _check_end(span, now) or _check_overlap(episode.child, span, exclude=episode.pk)
    if errors:
        raise ValidationError(errors)
    episode.end_date, episode.end_time = end_date, end_time
    episode.where_found, episode.where_found_detail = where_found, where_found_detail
    stamp(episode, actor, "Return recorded").save()
    _keep_flag(episode.child)
    _open_interview_duty(episode)
    return episode


@transaction.atomic
def home_report_received(
    *, episode: MissingEpisode, actor: User, now: datetime, received_on: date, received_at: time
) -> MissingEpisode:
    """The setting's report of the episode reached us: the ``missing_report`` duty is done
    on that day. Not before the episode started, not in the future; once."""
    episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.home_report_received_at is not None:
        raise ValidationError(
            "The setting's report was recorded as received on "
            f"{rules.fmt_instant(episode.home_report_received_at)}."
        )
    errors: dict[str, str] = {}
    if received_on < episode.start_date:
        errors["received_on"] = (
            f"The report cannot have come before the episode started ({_fmt(episode.start_date)})."
        )
    elif rules.in_future(received_on, None, now):
        errors["received_on"] = "The date received cannot be in the future."
    elif skipped := rules.skipped_time_error(received_on, received_at):
        errors["received_at"] = skipped
    elif rules.in_future(received_on, received_at, now):
        errors["received_at"] = "The time received cannot be in the future."
    if errors:
        raise ValidationError(errors)
    episode.home_report_received_at = rules.local(received_on, received_at)
    stamp(episode, actor, "Setting's report received").save()
    _report_done(episode)
    return episode


@transaction.atomic
def interview_record(
    *,
    episode: MissingEpisode,
    actor: User,
    today: date,
    outcome: str,
    held_on: date | None = None,
    interviewer: str = "",
    summary: str = "",
    childs_reason: str = "",
    manager_reason: str = "",
) -> ReturnInterview:
    """Record the return home interview: held (date, interviewer, summary), declined by the
    child (date, the child's reason) or not offered (a manager's reason; the manager is the
    person recording it, a team manager or above). The ``return_home_interview`` duty is
    done: on the day held or declined, or, not offered, on the day recorded. Once."""
    episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.is_open:
        raise ValidationError("Record the child's return first: the interview follows it.")
    if ReturnInterview.objects.filter(episode=episode).exists():
        raise ValidationError("The return home interview is recorded already.")
    errors: dict[str, str] = {}
    interview = ReturnInterview(episode=episode, outcome=outcome, recorded_by=actor)
    if outcome in (InterviewOutcome.HELD, InterviewOutcome.DECLINED):
        word = "held" if outcome == InterviewOutcome.HELD else "declined"
        if held_on is None:
            errors["held_on"] = f"Enter the date the interview was {word}."
        elif held_on > today:
            errors["held_on"] = f"The date {word} cannot be in the future."
        elif held_on < episode.end_date:  # type: ignore[operator]
            errors["held_on"] = (
                f"The date {word} cannot be before the child's return "
                f"({_fmt(episode.end_date)})."  # type: ignore[arg-type]
            )
        interview.held_on = held_on
    if outcome == InterviewOutcome.HELD:
        if not interviewer.strip():
            errors["interviewer"] = "Enter who held the interview."
        if not summary.strip():
            errors["summary"] = "Enter a summary of what the child said."
        interview.interviewer, interview.summary = interviewer.strip(), summary
    elif outcome == InterviewOutcome.DECLINED:
        if not childs_reason.strip():
            errors["childs_reason"] = "Enter the child's reason for declining."
        interview.childs_reason = childs_reason
    elif outcome == InterviewOutcome.NOT_OFFERED:
        if not may_record_not_offered(actor):
            errors["outcome"] = (
                "Only a team manager or above may record that the interview was not offered."
            )
        elif not manager_reason.strip():
            errors["manager_reason"] = "Enter why the interview was not offered."
        interview.manager_reason, interview.manager = manager_reason, actor
    else:
        errors["outcome"] = "Choose what happened."
    if errors:
        raise ValidationError(errors)
    stamp(interview, actor, f"Interview: {interview.get_outcome_display()}"[:100]).save()
    duty_services.duty_done(
        kind=rules.RETURN_HOME_INTERVIEW,
        subject=interview_subject(episode.pk),
        done_on=interview.held_on or today,
        done_by=f"missing:{episode.pk}",
    )
    return interview
