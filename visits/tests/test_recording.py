"""Case recording within 2 working days of a visit (003_… §20, line 1438: "Records updated
within two working days"): the rule at its edges, the ``visit_recording`` rows through
``deadlines``, and the managers' page of late recordings."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties import recompute
from duties.models import Duty, RuleValue
from duties.rules import LONDON
from duties.services import rule_value_set
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from visits import services
from visits.models import Visit, VisitKind
from visits.recording import (
    VISIT_RECORDING,
    RecordingRules,
    late_recordings_for,
    recording_due,
    visit_day,
)
from visits.tests.factories import VisitFactory
from visits.tests.test_visit_form import complete_answers

RULES = RecordingRules()


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def travel(day: date, hour: int = 9):
    return time_machine.travel(at(day, hour), tick=False)


# --- The rule (pure) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visited", "due"),
    [
        # Day 1 is the first working day after the visit: Friday -> Monday (1), Tuesday (2).
        (date(2026, 12, 18), date(2026, 12, 22)),
        # Christmas Day (Fri 25) and the substitute Boxing Day (Mon 28 Dec 2026) do not count.
        (date(2026, 12, 24), date(2026, 12, 30)),
        (date(2026, 12, 23), date(2026, 12, 29)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (date(2027, 3, 25), date(2027, 3, 31)),
        # A month end over the spring bank holiday (Mon 25 May 2026 is before it).
        (date(2026, 5, 28), date(2026, 6, 1)),
        # A visit at the weekend: Saturday -> Monday (1), Tuesday (2).
        (date(2026, 12, 19), date(2026, 12, 22)),
    ],
)
def test_a_visit_is_recorded_within_two_working_days(visited, due):
    answer = recording_due(visited, RULES)
    assert answer.kind == VISIT_RECORDING
    assert answer.due == due
    assert "003_… §20 (line 1438)" in answer.source


def test_the_day_of_a_visit_is_its_day_in_england_across_the_clock_change():
    # 00:30 BST on Friday 23 October 2026 is still Thursday in UTC: the visit is Friday's,
    # and over the weekend the clocks go back (Sunday 25 October) it is due on Tuesday.
    late_night = datetime(2026, 10, 22, 23, 30, tzinfo=UTC)
    assert visit_day(late_night) == date(2026, 10, 23)
    assert recording_due(visit_day(late_night), RULES).due == date(2026, 10, 27)
    # After the change, 00:30 GMT is 00:30 UTC.
    assert visit_day(datetime(2026, 10, 26, 0, 30, tzinfo=UTC)) == date(2026, 10, 26)


def test_zero_working_days_means_on_the_day():
    assert recording_due(date(2026, 12, 18), RecordingRules(0)).due == date(2026, 12, 18)
    with pytest.raises(ValueError):
        RecordingRules(-1)


# --- Rows, through the services and deadlines -----------------------------------------------


@pytest.fixture
def child(social_worker):
    child = ChildFactory(child_id="R100001", team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child, setting=SettingFactory(urn="SC900001"), decom=date(2026, 9, 7))
    return child


def deadlines(as_of: date, capsys) -> list[list[str]]:
    call_command("deadlines", "--as-of", as_of.isoformat(), "--kind", VISIT_RECORDING)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "kind,child,urn,due,status,owner"
    return [line.split(",") for line in lines[1:]]


def start_draft(child, actor, *, visited: date | None, capture) -> Visit:
    """A visit started in the browser and saved as a draft with its date (the save
    commits, then the child's duties are recomputed)."""
    with capture(execute=True):
        visit = services.visit_start(
            child=child, kind=VisitKind.STATUTORY, actor=actor, now=at(visited or date.today())
        )
        if visited is not None:
            visit = services.visit_save_draft(
                visit=visit, data={"visited_at": at(visited, 14, 30)}, actor=actor
            )
    return visit


def finish(visit, actor, capture) -> Visit:
    data = {
        "visited_at": visit.visited_at,
        "visitor_role": "Social worker",
        "venue": "Elm House",
        "within_timescales": True,
        "where_seen": "Lounge",
        "seen_alone": True,
        "issues_discussed": "School",
        "views_wishes_feelings": "Happy",
        "analysis": "Settled",
        "working_well": "Keyworker",
        "worried_about": "Nothing",
        "needs_to_happen": "Contact",
        "signature": "Sam Worker",
        "signed_on": date.today(),
    }
    with capture(execute=True):
        return services.visit_finish(visit=visit, data=data, actor=actor, now=datetime.now(UTC))


def row(visit) -> Duty:
    return Duty.objects.get(kind=VISIT_RECORDING, subject=f"visit:{visit.pk}")


@pytest.mark.django_db
def test_a_visit_on_friday_18_december_is_due_on_tuesday_and_overdue_on_wednesday(
    child, social_worker, capsys, django_capture_on_commit_callbacks
):
    with travel(date(2026, 12, 18)):
        visit = start_draft(
            child,
            social_worker,
            visited=date(2026, 12, 18),
            capture=django_capture_on_commit_callbacks,
        )
    expected = [VISIT_RECORDING, "R100001", "SC900001", "2026-12-22"]
    assert deadlines(date(2026, 12, 21), capsys) == [[*expected, "open", social_worker.username]]
    assert deadlines(date(2026, 12, 22), capsys) == [[*expected, "open", social_worker.username]]
    assert deadlines(date(2026, 12, 23), capsys) == [[*expected, "overdue", social_worker.username]]
    duty = row(visit)
    assert duty.owner == social_worker and duty.team == social_worker.team
    assert duty.placement == visit.placement and duty.setting == visit.setting
    assert "Friday 18 December 2026" in duty.basis
    assert duty.link == reverse("visits:visit", args=[visit.pk])


@pytest.mark.django_db
def test_finished_on_the_due_day_is_done_on_time(
    child, social_worker, capsys, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with travel(date(2026, 12, 24)):
        visit = start_draft(child, social_worker, visited=date(2026, 12, 24), capture=capture)
    assert row(visit).due == date(2026, 12, 30)
    with travel(date(2026, 12, 30)):
        finish(visit, social_worker, capture)
    duty = row(visit)
    assert (duty.status, duty.done_on, duty.done_by) == (
        Duty.Status.DONE,
        date(2026, 12, 30),
        f"visit:{visit.pk}",
    )
    assert deadlines(date(2026, 12, 30), capsys) == [
        [VISIT_RECORDING, "R100001", "SC900001", "2026-12-30", "done", social_worker.username]
    ]
    assert deadlines(date(2026, 12, 31), capsys) == []


@pytest.mark.django_db
def test_finished_the_day_after_is_done_late(
    child, social_worker, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with travel(date(2026, 12, 18)):
        visit = start_draft(child, social_worker, visited=date(2026, 12, 18), capture=capture)
    with travel(date(2026, 12, 23)):
        finish(visit, social_worker, capture)
    duty = row(visit)
    assert duty.status == Duty.Status.DONE
    assert duty.done_on == date(2026, 12, 23) > duty.due


@pytest.mark.django_db
def test_a_visit_started_and_finished_at_once_days_later_is_recorded_late(
    client, child, social_worker, django_capture_on_commit_callbacks
):
    """Through the page: the form posted complete with "Finish" saves the draft (with its
    date), then finishes it; the row is opened and done late in the same request."""
    with travel(date(2026, 3, 10)):
        draft = services.visit_start(
            child=child, kind=VisitKind.STATUTORY, actor=social_worker, now=at(date(2026, 3, 10))
        )
        client.force_login(social_worker)
        data = complete_answers(signed_on_0="10", signed_on_1="3", signed_on_2="2026")
        data["action"] = "finish"  # visited on Monday 2 March: due Wednesday 4 March
        data.update({"visit_date_0": "2", "visit_date_1": "3", "visit_date_2": "2026"})
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("visits:visit_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    duty = row(draft)
    assert (duty.due, duty.status, duty.done_on) == (
        date(2026, 3, 4),
        Duty.Status.DONE,
        date(2026, 3, 10),
    )


@pytest.mark.django_db
def test_a_draft_dated_ahead_has_no_row_until_its_day(
    child, social_worker, capsys, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with travel(date(2026, 12, 16)):
        visit = start_draft(child, social_worker, visited=date(2026, 12, 18), capture=capture)
    assert not Duty.objects.filter(kind=VISIT_RECORDING).exists()
    # The day before: the nightly recompute opens nothing yet.
    with travel(date(2026, 12, 17), hour=2):
        recompute.recompute_all()
    assert deadlines(date(2026, 12, 17), capsys) == []
    # On the day: the nightly recompute opens it.
    with travel(date(2026, 12, 18), hour=2):
        recompute.recompute_all()
    assert row(visit).due == date(2026, 12, 22)


@pytest.mark.django_db
def test_a_draft_whose_child_has_left_care_is_still_found_by_the_nightly_recompute(
    social_worker,
):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child, decom=date(2026, 1, 5), dec=date(2026, 6, 1))
    visit = VisitFactory(
        child=child,
        visitor=social_worker,
        status=Visit.Status.DRAFT,
        finished_at=None,
        on=date(2026, 5, 29),
    )
    with travel(date(2026, 6, 2), hour=2):
        recompute.recompute_all()
    assert row(visit).due == date(2026, 6, 2)


@pytest.mark.django_db
def test_moving_the_date_moves_the_row_and_clearing_it_cancels_it(
    child, social_worker, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with travel(date(2026, 12, 21)):
        visit = start_draft(child, social_worker, visited=date(2026, 12, 18), capture=capture)
        with capture(execute=True):
            services.visit_save_draft(
                visit=visit, data={"visited_at": at(date(2026, 12, 21))}, actor=social_worker
            )
        assert row(visit).due == date(2026, 12, 23)
        with capture(execute=True) as calls:
            services.visit_save_draft(visit=visit, data={"venue": "Elm"}, actor=social_worker)
        assert calls == []  # the date did not change: nothing to recompute
        with capture(execute=True):
            services.visit_save_draft(visit=visit, data={"visited_at": None}, actor=social_worker)
    duty = Duty.objects.get(kind=VISIT_RECORDING)
    assert duty.status == Duty.Status.CANCELLED and duty.due == date(2026, 12, 23)


@pytest.mark.django_db
def test_imported_visits_and_amendments_have_no_row(social_worker, child):
    imported = VisitFactory(
        child=child,
        source=Visit.Source.IMPORT,
        status=Visit.Status.DRAFT,
        finished_at=None,
        on=date(2026, 12, 1),
    )
    original = VisitFactory(child=child, visitor=social_worker, on=date(2026, 12, 1))
    amendment = VisitFactory(
        child=child,
        visitor=social_worker,
        supersedes=original,
        status=Visit.Status.DRAFT,
        finished_at=None,
        on=date(2026, 12, 1),
    )
    with travel(date(2026, 12, 10)):
        recompute.refresh_for_children([child.pk])
    assert not Duty.objects.filter(kind=VISIT_RECORDING).exists()
    assert imported.pk and amendment.pk


@pytest.mark.django_db
def test_a_changed_rule_moves_the_open_rows(
    child, social_worker, administrator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with travel(date(2026, 12, 18)):
        visit = start_draft(child, social_worker, visited=date(2026, 12, 18), capture=capture)
        rule = RuleValue.objects.get(name="visit_recording_working_days")
        assert rule.value == 2 and "line 1438" in rule.source
        with capture(execute=True):
            rule_value_set(rule_value=rule, value=3, actor=administrator)
    assert row(visit).due == date(2026, 12, 23)


# --- The managers' page ---------------------------------------------------------------------


def late_world(team_manager, social_worker, other_team_worker, n: int) -> None:
    """``n`` children of each of two workers (two teams), each with a visit recorded late
    this quarter, one recorded on time and one outstanding past its deadline."""
    children, finishing = [], {}
    for worker in (social_worker, other_team_worker):
        for _ in range(n):
            child = ChildFactory(team=worker.team, social_worker=worker)
            PlacementFactory(child=child, decom=date(2026, 9, 7))
            children.append(child.pk)
            draft = {
                "child": child,
                "visitor": worker,
                "visitor_name": worker.get_full_name(),
                "status": Visit.Status.DRAFT,
                "finished_at": None,
            }
            # Mon 2 Nov (due Wed 4 Nov) finished Fri 6 Nov: late. Mon 9 Nov (due Wed 11)
            # finished Tue 10: on time. Mon 16 Nov (due Wed 18): not finished.
            late = VisitFactory(**draft, on=date(2026, 11, 2))
            on_time = VisitFactory(**draft, on=date(2026, 11, 9))
            VisitFactory(**draft, on=date(2026, 11, 16))
            finishing[late.pk] = at(date(2026, 11, 6))
            finishing[on_time.pk] = at(date(2026, 11, 10))
    # The drafts' rows, as the recompute opens them; then the visits are finished.
    recompute.refresh_for_children(children, today=date(2026, 11, 20))
    for pk, finished_at in finishing.items():
        Visit.objects.filter(pk=pk).update(status=Visit.Status.FINISHED, finished_at=finished_at)
    recompute.refresh_for_children(children, today=date(2026, 11, 20))


@pytest.mark.django_db
def test_the_rows_of_the_world_are_late_on_time_and_outstanding(
    team_manager, social_worker, other_team_worker
):
    late_world(team_manager, social_worker, other_team_worker, 1)
    rows = list(
        Duty.objects.filter(kind=VISIT_RECORDING, owner=social_worker)
        .order_by("due")
        .values_list("due", "status", "done_on")
    )
    assert rows == [
        (date(2026, 11, 4), "done", date(2026, 11, 6)),
        (date(2026, 11, 11), "done", date(2026, 11, 10)),
        (date(2026, 11, 18), "open", None),
    ]


@pytest.mark.django_db
def test_a_team_manager_sees_their_teams_late_recordings_per_worker(
    client, team_manager, social_worker, other_team_worker
):
    late_world(team_manager, social_worker, other_team_worker, 2)
    client.force_login(team_manager)
    with travel(date(2026, 11, 20)):
        response = client.get(reverse("visits:late_recordings"))
    assert response.status_code == 200
    workers = response.context["workers"]
    assert [(w.name, len(w.late), len(w.outstanding)) for w in workers] == [
        (social_worker.get_full_name(), 2, 2)
    ]
    late = workers[0].late[0]
    assert (late.visited_on, late.duty.due, late.duty.done_on, late.days_late) == (
        date(2026, 11, 2),
        date(2026, 11, 4),
        date(2026, 11, 6),
        2,
    )
    assert workers[0].outstanding[0].days_late == 2  # due 18 Nov, today 20 Nov
    page = response.content.decode()
    assert "Q3 2026/27" in page and other_team_worker.get_full_name() not in page
    assert reverse("visits:visit", args=[late.visit_pk]) in page
    assert reverse("visits:late_recordings") in page  # in the navigation


@pytest.mark.django_db
def test_a_service_manager_sees_both_teams(
    team_manager, service_manager, social_worker, other_team_worker
):
    late_world(team_manager, social_worker, other_team_worker, 1)
    _quarter, workers = late_recordings_for(service_manager, date(2026, 11, 20))
    assert {w.name: (len(w.late), len(w.outstanding)) for w in workers} == {
        social_worker.get_full_name(): (1, 1),
        other_team_worker.get_full_name(): (1, 1),
    }


@pytest.mark.django_db
def test_recorded_late_last_quarter_is_not_this_quarters(
    team_manager, social_worker, other_team_worker
):
    late_world(team_manager, social_worker, other_team_worker, 1)
    # 1 January 2027 is Q4: the November lateness is last quarter's; the draft is still late.
    _quarter, workers = late_recordings_for(team_manager, date(2027, 1, 4))
    assert [(len(w.late), len(w.outstanding)) for w in workers] == [(0, 1)]


@pytest.mark.django_db
def test_the_page_runs_the_same_queries_for_more_workers_visits(
    client, team_manager, social_worker, other_team_worker, django_assert_num_queries
):
    client.force_login(team_manager)
    late_world(team_manager, social_worker, other_team_worker, 2)
    with travel(date(2026, 11, 20)):
        client.get(reverse("visits:late_recordings"))  # warm the session and caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            client.get(reverse("visits:late_recordings"))
    late_world(team_manager, social_worker, other_team_worker, 4)
    extra = UserFactory(role=Role.SOCIAL_WORKER, team=social_worker.team)
    late_world(team_manager, extra, other_team_worker, 2)
    with travel(date(2026, 11, 20)), django_assert_num_queries(len(small)):
        response = client.get(reverse("visits:late_recordings"))
    assert len(response.context["workers"]) == 2


@pytest.mark.django_db
def test_the_csv_lists_each_visit_with_its_worker(
    client, team_manager, social_worker, other_team_worker
):
    late_world(team_manager, social_worker, other_team_worker, 1)
    client.force_login(team_manager)
    with travel(date(2026, 11, 20)):
        response = client.get(reverse("visits:late_recordings") + "?format=csv")
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[0] == "worker,team,child,visit,visit_kind,visited_on,due,recorded_on,days_late"
    body = sorted(line.split(",")[5:] for line in lines[1:])
    assert body == [
        ["2026-11-02", "2026-11-04", "2026-11-06", "2"],
        ["2026-11-16", "2026-11-18", "", "2"],
    ]


@pytest.mark.django_db
def test_caseworkers_and_others_are_refused(client, social_worker, iro):
    for user in (social_worker, iro):
        client.force_login(user)
        assert client.get(reverse("visits:late_recordings")).status_code == 403
