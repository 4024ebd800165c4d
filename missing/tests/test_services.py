"""Recording an episode, the return, the setting's report and the return home interview:
what is saved, the child's flag, the duties and who is told; and what is refused (nothing
saved half-way)."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Duty, Notification
from missing import services
from missing.models import InterviewOutcome, MissingEpisode, ReportedBy, ReturnInterview
from placements.models import Child
from placements.tests.factories import PlacementFactory, SettingFactory

from .conftest import london, travel

pytestmark = pytest.mark.django_db

NOW = london(2026, 3, 6, 15, 0)  # Friday 6 March 2026, 15:00


def record(child, actor, **fields):
    values = {"kind": "M", "start_date": date(2026, 3, 2), "start_time": time(21, 15)}
    values.update(fields)
    with travel(NOW):
        return services.episode_record(child=child, actor=actor, now=NOW, **values)


def give_back(episode, actor, end_date=date(2026, 3, 3), end_time=time(23, 30), **fields):
    with travel(NOW):
        return services.episode_return(
            episode=episode, actor=actor, now=NOW, end_date=end_date, end_time=end_time, **fields
        )


def saved_state() -> tuple:
    return (
        MissingEpisode.objects.count(),
        ReturnInterview.objects.count(),
        Duty.objects.count(),
        Notification.objects.count(),
        list(Child.objects.order_by("pk").values_list("missing_since", flat=True)),
        MissingEpisode.history.count(),
    )


def flags_agree_with_episodes() -> None:
    """The data check: a child is flagged exactly when one of their episodes is open."""
    for child in Child.objects.all():
        open_episode = MissingEpisode.objects.filter(child=child, end_date__isnull=True).first()
        assert (child.missing_since is not None) == (open_episode is not None), child.child_id


def test_recording_an_episode_flags_the_child_opens_the_report_and_tells_the_network(
    child, social_worker, team_manager, iro, home, commissioning
):
    episode = record(child, team_manager, police_reference=" KT-123 ")
    child.refresh_from_db()
    assert child.missing_since == london(2026, 3, 2, 21, 15)
    assert episode.placement.setting == home
    assert episode.reported_by == ReportedBy.STAFF
    assert episode.police_reference == "KT-123"
    report = Duty.objects.get(kind="missing_report")
    assert report.subject == f"missing:{episode.pk}:report"
    assert (report.setting, report.child, report.owner) == (home, child, None)
    assert report.due_at == london(2026, 3, 3, 21, 15)
    assert report.status == Duty.Status.OPEN
    assert not Duty.objects.filter(kind="return_home_interview").exists()
    # The social worker and IRO are told at once, once each; the team manager recorded it.
    told = Notification.objects.filter(key=f"missing:{episode.pk}:opened")
    assert sorted(n.user.username for n in told) == sorted([social_worker.username, iro.username])
    assert all("M100001" in n.subject and "Maya" not in n.body for n in told)
    assert episode.history.get().history_user == team_manager
    flags_agree_with_episodes()


def test_the_team_manager_is_told_when_the_social_worker_records_it(
    child, social_worker, team_manager, iro
):
    episode = record(child, social_worker)
    told = set(
        Notification.objects.filter(key=f"missing:{episode.pk}:opened").values_list(
            "user__username", flat=True
        )
    )
    assert told == {team_manager.username, iro.username}
    # Recording the return is an edit of the episode: nobody is told again.
    give_back(episode, social_worker)
    assert Notification.objects.filter(key__startswith="missing:").count() == 2


def test_the_return_lowers_the_flag_and_the_interview_falls_due_72_hours_later(
    child, social_worker
):
    episode = record(child, social_worker)
    give_back(episode, social_worker, where_found="friends", where_found_detail="Margate")
    child.refresh_from_db()
    assert child.missing_since is None
    interview = Duty.objects.get(kind="return_home_interview")
    assert interview.owner == social_worker
    assert interview.team == child.team
    assert interview.due == date(2026, 3, 6)
    assert interview.due_at == london(2026, 3, 6, 23, 30)
    assert "Within 72 hours of the return on 3 March 2026 at 23:30" in interview.basis
    assert [h.history_change_reason for h in episode.history.order_by("history_date")] == [
        "Episode recorded",
        "Return recorded",
    ]
    flags_agree_with_episodes()


def test_a_return_recorded_twice_is_refused(child, social_worker):
    episode = record(child, social_worker)
    give_back(episode, social_worker)
    before = saved_state()
    with pytest.raises(ValidationError, match="recorded already"):
        give_back(episode, social_worker, end_date=date(2026, 3, 4))
    assert saved_state() == before


def test_an_episode_recorded_after_the_child_is_back_opens_the_interview_at_once(
    child, social_worker
):
    episode = record(child, social_worker, end_date=date(2026, 3, 3), end_time=None)
    child.refresh_from_db()
    assert child.missing_since is None
    interview = Duty.objects.get(kind="return_home_interview", subject__endswith=":interview")
    assert interview.due == date(2026, 3, 6)
    assert interview.due_at.astimezone(london(2026, 1, 1).tzinfo).time() == time.max
    assert episode.is_open is False


def test_commissioning_enter_the_settings_report_which_is_received_with_it(child, commissioning):
    episode = record(child, commissioning)
    assert episode.reported_by == ReportedBy.SETTING
    assert episode.home_report_received_at == NOW
    report = Duty.objects.get(kind="missing_report")
    assert (report.status, report.done_on) == (Duty.Status.DONE, date(2026, 3, 6))


def test_the_settings_report_received_marks_the_duty_done(child, social_worker):
    episode = record(child, social_worker)
    with travel(NOW):
        services.home_report_received(
            episode=episode,
            actor=social_worker,
            now=NOW,
            received_on=date(2026, 3, 3),
            received_at=time(9, 45),
        )
    report = Duty.objects.get(kind="missing_report")
    assert (report.status, report.done_on, report.done_by) == (
        Duty.Status.DONE,
        date(2026, 3, 3),
        f"missing:{episode.pk}",
    )
    before = saved_state()
    with pytest.raises(ValidationError, match="recorded as received"):
        services.home_report_received(
            episode=episode,
            actor=social_worker,
            now=NOW,
            received_on=date(2026, 3, 4),
            received_at=time(9, 45),
        )
    assert saved_state() == before


@pytest.mark.parametrize(
    ("received_on", "received_at", "field", "message"),
    [
        (date(2026, 3, 1), time(9, 0), "received_on", "before the episode started"),
        (date(2026, 3, 7), time(9, 0), "received_on", "cannot be in the future"),
        (date(2026, 3, 6), time(15, 1), "received_at", "cannot be in the future"),
    ],
)
def test_a_report_date_that_cannot_be_is_refused(
    child, social_worker, received_on, received_at, field, message
):
    episode = record(child, social_worker)
    before = saved_state()
    with pytest.raises(ValidationError) as refused:
        services.home_report_received(
            episode=episode,
            actor=social_worker,
            now=NOW,
            received_on=received_on,
            received_at=received_at,
        )
    assert message in refused.value.message_dict[field][0]
    assert saved_state() == before


def test_a_setting_less_placement_has_no_missing_report(child, social_worker):
    child.placements.update(dec=date(2026, 1, 31))
    PlacementFactory(child=child, setting=None, decom=date(2026, 2, 1), place="P1")
    record(child, social_worker)
    assert not Duty.objects.filter(kind="missing_report").exists()


def test_the_placement_defaults_to_the_one_at_the_start_and_a_wrong_one_is_refused(
    child, social_worker
):
    first = child.placements.get()
    first.dec = date(2026, 2, 28)
    first.save()
    later_home = SettingFactory(name="Elm Lodge")
    later = PlacementFactory(child=child, setting=later_home, decom=date(2026, 2, 28))
    # On 28 February one placement ended and the next began: the later is the one.
    on_the_day = record(
        child, social_worker, start_date=date(2026, 2, 28), end_date=date(2026, 3, 1)
    )
    assert on_the_day.placement == later
    before = saved_state()
    with pytest.raises(ValidationError) as refused:
        record(child, social_worker, start_date=date(2026, 3, 2), placement=first)
    assert "was not in this placement on 2 March 2026" in refused.value.message_dict["placement"][0]
    assert saved_state() == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start_date": date(2011, 3, 31)}, "start_date", "before the child was born"),
        ({"start_date": date(2026, 3, 7), "start_time": None}, "start_date", "in the future"),
        ({"start_date": date(2026, 3, 6), "start_time": time(15, 1)}, "start_time", "future"),
        ({"start_date": date(2026, 3, 29), "start_time": time(1, 30)}, "start_date", "future"),
        ({"end_date": date(2026, 3, 1)}, "end_date", "cannot be before the start (2 March"),
        (
            {"end_date": date(2026, 3, 2), "end_time": time(21, 0)},
            "end_time",
            "cannot be before the start (21:15 on 2 March 2026)",
        ),
        ({"end_date": date(2026, 3, 7)}, "end_date", "The return cannot be in the future."),
        (
            {"end_date": date(2026, 3, 6), "end_time": time(16, 0)},
            "end_time",
            "The return cannot be in the future.",
        ),
        ({"end_time": time(9, 0)}, "end_date", "Enter the date of the return"),
    ],
)
def test_dates_that_cannot_be_are_refused_beside_the_field_and_nothing_is_saved(
    child, social_worker, fields, field, message
):
    before = saved_state()
    with pytest.raises(ValidationError) as refused:
        record(child, social_worker, **fields)
    assert message in " ".join(refused.value.message_dict[field])
    assert saved_state() == before


def test_a_time_the_clocks_skipped_is_refused(child, social_worker):
    now = london(2026, 4, 1, 12, 0)
    with travel(now), pytest.raises(ValidationError) as refused:
        services.episode_record(
            child=child,
            actor=social_worker,
            now=now,
            kind="A",
            start_date=date(2026, 3, 29),
            start_time=time(1, 30),
        )
    assert "the clocks went forward" in refused.value.message_dict["start_time"][0]


def test_overlapping_episodes_of_one_child_are_refused(child, social_worker):
    first = record(child, social_worker)
    before = saved_state()
    # Still open: nothing later may start.
    with pytest.raises(ValidationError) as refused:
        record(child, social_worker, start_date=date(2026, 3, 4))
    assert "is still open" in refused.value.message_dict["start_date"][0]
    # The same start date.
    with pytest.raises(ValidationError) as refused:
        record(child, social_worker, start_date=date(2026, 3, 2), start_time=time(23, 0))
    assert "already recorded" in refused.value.message_dict["start_date"][0]
    assert saved_state() == before
    give_back(first, social_worker, end_date=date(2026, 3, 4), end_time=time(10, 0))
    # Inside the episode now closed.
    with pytest.raises(ValidationError) as refused:
        record(child, social_worker, start_date=date(2026, 3, 3), start_time=None)
    assert (
        "overlaps the episode that started on 2 March 2026"
        in (refused.value.message_dict["start_date"][0])
    )
    # An earlier episode, closed, running into it.
    with pytest.raises(ValidationError):
        record(child, social_worker, start_date=date(2026, 2, 27), end_date=date(2026, 3, 3))
    # An earlier one that ended before it: fine.
    record(child, social_worker, start_date=date(2026, 2, 27), end_date=date(2026, 3, 1))
    # Away again at 10:00 on the day of the return at 10:00: fine (they touch).
    record(child, social_worker, kind="A", start_date=date(2026, 3, 4), start_time=time(10, 0))
    flags_agree_with_episodes()


def test_a_return_that_runs_into_a_later_episode_is_refused(child, social_worker):
    first = record(child, social_worker, start_date=date(2026, 2, 20), start_time=None)
    # The later one cannot be recorded while the first is open...
    with pytest.raises(ValidationError):
        record(child, social_worker, start_date=date(2026, 3, 2), end_date=date(2026, 3, 3))
    give_back(first, social_worker, end_date=date(2026, 2, 22), end_time=None)
    second = record(child, social_worker, start_date=date(2026, 3, 2), end_date=date(2026, 3, 3))
    assert not second.is_open


def interview(episode, actor, outcome, **fields):
    with travel(NOW):
        return services.interview_record(
            episode=episode, actor=actor, today=NOW.date(), outcome=outcome, **fields
        )


def test_an_interview_held_is_the_duty_done_on_the_day_held(child, social_worker):
    episode = give_back(record(child, social_worker), social_worker)
    held = interview(
        episode,
        social_worker,
        InterviewOutcome.HELD,
        held_on=date(2026, 3, 5),
        interviewer="Jo Bright, Young Lives",
        summary="Stayed with a friend.",
    )
    duty = Duty.objects.get(kind="return_home_interview")
    assert (duty.status, duty.done_on, duty.done_by) == (
        Duty.Status.DONE,
        date(2026, 3, 5),
        f"missing:{episode.pk}",
    )
    assert held.history.get().history_user == social_worker
    with pytest.raises(ValidationError, match="recorded already"):
        interview(episode, social_worker, InterviewOutcome.DECLINED, held_on=date(2026, 3, 5))


def test_an_interview_declined_needs_the_childs_reason(child, social_worker):
    episode = give_back(record(child, social_worker), social_worker)
    before = saved_state()
    with pytest.raises(ValidationError) as refused:
        interview(episode, social_worker, InterviewOutcome.DECLINED, held_on=date(2026, 3, 4))
    assert "the child's reason" in refused.value.message_dict["childs_reason"][0]
    assert saved_state() == before
    interview(
        episode,
        social_worker,
        InterviewOutcome.DECLINED,
        held_on=date(2026, 3, 4),
        childs_reason="Did not want to talk.",
    )
    assert Duty.objects.get(kind="return_home_interview").status == Duty.Status.DONE


def test_not_offered_is_a_managers_with_a_reason(child, social_worker, team_manager):
    episode = give_back(record(child, social_worker), social_worker)
    before = saved_state()
    with pytest.raises(ValidationError) as refused:
        interview(episode, social_worker, InterviewOutcome.NOT_OFFERED, manager_reason="x")
    assert "Only a team manager or above" in refused.value.message_dict["outcome"][0]
    with pytest.raises(ValidationError) as refused:
        interview(episode, team_manager, InterviewOutcome.NOT_OFFERED)
    assert "manager_reason" in refused.value.message_dict
    assert saved_state() == before
    recorded = interview(
        episode, team_manager, InterviewOutcome.NOT_OFFERED, manager_reason="Back in hospital."
    )
    assert recorded.manager == team_manager
    duty = Duty.objects.get(kind="return_home_interview")
    assert (duty.status, duty.done_on) == (Duty.Status.DONE, NOW.date())


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "held_on", "Enter the date the interview was held"),
        ({"held_on": date(2026, 3, 7)}, "held_on", "cannot be in the future"),
        ({"held_on": date(2026, 3, 2)}, "held_on", "before the child's return (3 March 2026)"),
        ({"held_on": date(2026, 3, 4), "summary": "x"}, "interviewer", "Enter who held"),
        ({"held_on": date(2026, 3, 4), "interviewer": "x"}, "summary", "Enter a summary"),
    ],
)
def test_an_interview_held_needs_its_date_interviewer_and_summary(
    child, social_worker, fields, field, message
):
    episode = give_back(record(child, social_worker), social_worker)
    before = saved_state()
    with pytest.raises(ValidationError) as refused:
        interview(episode, social_worker, InterviewOutcome.HELD, **fields)
    assert message in refused.value.message_dict[field][0]
    assert saved_state() == before


def test_no_interview_before_the_return(child, social_worker):
    episode = record(child, social_worker)
    with pytest.raises(ValidationError, match="Record the child's return first"):
        interview(episode, social_worker, InterviewOutcome.HELD, held_on=date(2026, 3, 4))


def test_who_may_record(child, social_worker, personal_adviser_factory=None):
    adviser = UserFactory(role=Role.PERSONAL_ADVISER, team=child.team)
    colleague = UserFactory(role=Role.SOCIAL_WORKER, team=child.team)
    iro = child.iro
    director = UserFactory(role=Role.DIRECTOR)
    assert services.may_record(social_worker, child)
    assert not services.may_record(adviser, child)
    child.personal_adviser = adviser
    assert services.may_record(adviser, child)
    assert services.may_record_interview(adviser, child)
    assert not services.may_record(colleague, child)
    assert not services.may_record(iro, child)
    assert not services.may_record_interview(iro, child)
    assert not services.may_record(director, child)
    assert services.may_record_interview(director, child)
    assert services.may_record_not_offered(director)
    assert not services.may_record_not_offered(social_worker)
    social_worker.is_active = False
    assert not services.may_record(social_worker, child)


def test_a_reallocated_child_s_open_interview_goes_to_the_new_social_worker(
    child, social_worker, team_manager, other_team_worker
):
    from placements.services import child_allocate

    episode = give_back(record(child, social_worker), social_worker)
    child_allocate(child=child, actor=team_manager, social_worker=other_team_worker, iro=child.iro)
    duty = Duty.objects.get(kind="return_home_interview", subject=f"missing:{episode.pk}:interview")
    assert (duty.owner, duty.team) == (other_team_worker, other_team_worker.team)
