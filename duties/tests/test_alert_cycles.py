"""The overdue sweep: a moved due date starts a new alert cycle, and the escalation at
overdue_5 reaches everyone the guidance names (000_… line 293: the team manager, the
service manager and the IRO)."""

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, Team
from accounts.tests.factories import TeamFactory, UserFactory
from duties import alerts
from duties.models import Alert, Duty, Notification
from placements.tests.factories import ChildFactory, SettingFactory

LONDON = ZoneInfo("Europe/London")
_subjects = itertools.count(1)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=LONDON)


def run(day: date, **kwargs) -> alerts.Stats:
    return alerts.sweep(today=day, now=noon(day), **kwargs)


def make_duty(owner, due, *, child=None, **extra):
    if child is None and "setting" not in extra:
        child = ChildFactory(team=owner.team, social_worker=owner)
    return Duty.objects.create(
        kind=extra.pop("kind", "statutory_visit"),
        subject=f"placement:{next(_subjects)}",
        child=child,
        owner=owner,
        team=extra.pop("team", owner.team if owner else None),
        due=due,
        **extra,
    )


def move(duty, due):
    Duty.objects.filter(pk=duty.pk).update(due=due)
    duty.refresh_from_db()


def cycles(duty) -> list[tuple[str, date]]:
    return list(duty.alerts.order_by("pk").values_list("level", "due"))


def told(duty, level="overdue_5") -> set[str]:
    return set(
        Notification.objects.filter(alert__duty=duty, alert__level=level).values_list(
            "user__username", flat=True
        )
    )


# --- A moved due date starts a new cycle ---------------------------------------------------


@pytest.mark.django_db
def test_a_moved_due_date_alerts_again_and_an_unmoved_one_does_not(social_worker):
    # Due Fri 13 Nov 2026: overdue from Sat 14.
    duty = make_duty(social_worker, date(2026, 11, 13))
    run(date(2026, 11, 16))
    run(date(2026, 11, 17))  # unmoved: nothing again
    assert cycles(duty) == [("overdue", date(2026, 11, 13))]
    assert len(mail.outbox) == 1
    # Moved to Fri 27 Nov: due soon from Tue 24 Nov (3 working days), not the day before.
    move(duty, date(2026, 11, 27))
    run(date(2026, 11, 23))
    assert cycles(duty) == [("overdue", date(2026, 11, 13))]
    run(date(2026, 11, 24))
    run(date(2026, 11, 24))  # twice on the day: once
    # On the new due date: still only due soon; the day after: overdue for the new date.
    run(date(2026, 11, 27))
    assert cycles(duty)[1:] == [("due_soon", date(2026, 11, 27))]
    run(date(2026, 11, 28))
    assert cycles(duty) == [
        ("overdue", date(2026, 11, 13)),
        ("due_soon", date(2026, 11, 27)),
        ("overdue", date(2026, 11, 27)),
    ]
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Overdue", "Due soon", "Overdue"]
    assert "Friday 27 November 2026" in mail.outbox[-1].body


@pytest.mark.django_db
def test_moving_back_to_a_due_date_that_already_alerted_sends_nothing_again(social_worker):
    duty = make_duty(social_worker, date(2026, 11, 13))
    run(date(2026, 11, 16))  # overdue for Fri 13
    move(duty, date(2026, 11, 18))
    run(date(2026, 11, 19))  # overdue for Wed 18: a new cycle
    move(duty, date(2026, 11, 13))
    stats = run(date(2026, 11, 19))  # overdue for Fri 13 again: already sent
    assert stats.alerts_created == {"due_soon": 0, "overdue": 0, "overdue_5": 0}
    assert cycles(duty) == [("overdue", date(2026, 11, 13)), ("overdue", date(2026, 11, 18))]
    assert len(mail.outbox) == 2
    # A level that date has not reached before is still sent, once.
    run(date(2026, 11, 20))
    run(date(2026, 11, 20))
    assert cycles(duty)[-1] == ("overdue_5", date(2026, 11, 13))
    assert Alert.objects.filter(duty=duty, level="overdue_5").count() == 1


@pytest.mark.django_db
def test_a_moved_due_date_over_a_bank_holiday_and_a_month_end(social_worker):
    # Moved to Tue 1 Sep 2026, after the late summer bank holiday (Mon 31 Aug): due soon
    # from Wed 26 Aug (26, 27, 28 Aug: 3 working days before), not Tue 25 Aug.
    duty = make_duty(social_worker, date(2026, 8, 14))
    run(date(2026, 8, 17))
    move(duty, date(2026, 9, 1))
    run(date(2026, 8, 25))
    assert cycles(duty) == [("overdue", date(2026, 8, 14))]
    run(date(2026, 8, 26))
    assert cycles(duty)[-1] == ("due_soon", date(2026, 9, 1))


@pytest.mark.django_db
def test_a_sweep_that_dies_after_a_move_then_reruns_sends_each_alert_once(
    social_worker, monkeypatch
):
    duties = [make_duty(social_worker, date(2026, 11, 13)) for _ in range(4)]
    run(date(2026, 11, 16))
    for duty in duties:
        move(duty, date(2026, 11, 17))
    real, calls = alerts._recipients, itertools.count(1)

    def dies_on_the_third(*args, **kwargs):
        if next(calls) == 3:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(alerts, "_recipients", dies_on_the_third)
    with pytest.raises(RuntimeError):
        run(date(2026, 11, 18), batch_size=2)
    monkeypatch.setattr(alerts, "_recipients", real)
    run(date(2026, 11, 18), batch_size=2)
    run(date(2026, 11, 18), batch_size=2)
    for duty in duties:
        assert cycles(duty) == [("overdue", date(2026, 11, 13)), ("overdue", date(2026, 11, 17))]
    assert len(mail.outbox) == 8
    assert len({(m.to[0], m.body) for m in mail.outbox}) == 8


# --- Who the escalation reaches -------------------------------------------------------------


@pytest.fixture
def iro_service(db):
    return TeamFactory(name="IRO Service", kind=Team.Kind.IRO_SERVICE)


@pytest.fixture
def child_iro(iro_service):
    return UserFactory(username="iro", role=Role.IRO, team=iro_service)


@pytest.mark.django_db
def test_overdue_5_reaches_team_managers_service_managers_and_the_iro(
    social_worker, team_manager, service_manager, cic_team, child_iro
):
    second_tm = UserFactory(
        username="tm2", role=Role.TEAM_MANAGER, team=cic_team, line_manager=service_manager
    )
    in_team_sm = UserFactory(username="sm2", role=Role.SERVICE_MANAGER, team=cic_team)
    UserFactory(username="gone", role=Role.TEAM_MANAGER, team=cic_team, is_active=False)
    UserFactory(username="peer", role=Role.SOCIAL_WORKER, team=cic_team)
    child = ChildFactory(team=cic_team, social_worker=social_worker, iro=child_iro)
    duty = make_duty(social_worker, date(2026, 11, 13), child=child)
    # The day before the escalation: only the social worker.
    run(date(2026, 11, 19))
    assert told(duty, "overdue") == {"sw"}
    stats = run(date(2026, 11, 20))
    assert told(duty) == {"sw", "tm", "tm2", "sm", "sm2", "iro"}
    assert stats.notifications_created == 6 and len(mail.outbox) == 7
    bodies = {m.to[0]: m.body for m in mail.outbox[1:]}
    assert "because you are their line manager" in bodies[team_manager.email]
    assert "team manager of the team" in bodies[second_tm.email]
    assert "service manager of the team" in bodies[service_manager.email]
    assert "service manager of the team" in bodies[in_team_sm.email]
    assert "because you are the child's IRO" in bodies[child_iro.email]
    assert all("allocated to Sam Worker" in m.subject for m in mail.outbox[2:])
    assert child.first_name not in "".join(m.subject + m.body for m in mail.outbox)


@pytest.mark.django_db
def test_one_person_in_two_roles_is_told_once(social_worker, team_manager, service_manager):
    # The service manager is also the child's IRO (and the team manager's line manager).
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=service_manager)
    duty = make_duty(social_worker, date(2026, 11, 13), child=child)
    stats = run(date(2026, 11, 20))
    assert told(duty) == {"sw", "tm", "sm"} and stats.notifications_created == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [social_worker.email, team_manager.email, service_manager.email]
    )


@pytest.mark.django_db
def test_missing_and_departed_people_are_skipped(cic_team):
    # No team manager with a service manager above, no IRO: the worker and their team's
    # team manager only; a service manager who has left is not told.
    departed_sm = UserFactory(username="old-sm", role=Role.SERVICE_MANAGER, is_active=False)
    tm = UserFactory(username="tm", role=Role.TEAM_MANAGER, team=cic_team, line_manager=departed_sm)
    worker = UserFactory(username="sw", role=Role.SOCIAL_WORKER, team=cic_team)
    gone_iro = UserFactory(username="iro", role=Role.IRO, is_active=False)
    child = ChildFactory(team=cic_team, social_worker=worker, iro=gone_iro)
    duty = make_duty(worker, date(2026, 11, 13), child=child)
    run(date(2026, 11, 20))
    assert told(duty) == {"sw", "tm"}
    assert tm.email in {m.to[0] for m in mail.outbox}
    # A worker in no team, with nobody recorded above: only the worker.
    lone = UserFactory(username="lone", role=Role.SOCIAL_WORKER, team=None)
    alone = make_duty(lone, date(2026, 11, 13), child=ChildFactory(team=None, social_worker=lone))
    run(date(2026, 11, 20))
    assert told(alone) == {"lone"}


@pytest.mark.django_db
def test_an_iro_visit_escalates_to_the_childs_social_workers_managers(
    social_worker, team_manager, service_manager, child_iro
):
    iro_manager = UserFactory(
        username="sm.iro",
        role=Role.SERVICE_MANAGER,
        team=child_iro.team,
        line_manager=None,
    )
    child_iro.line_manager = iro_manager
    child_iro.save()
    child = ChildFactory(team=social_worker.team, social_worker=social_worker, iro=child_iro)
    duty = make_duty(child_iro, date(2026, 11, 13), child=child, kind="iro_visit")
    run(date(2026, 11, 20))
    # The owner (the IRO), their line manager, and the social worker's team's managers.
    assert told(duty) == {"iro", "sm.iro", "tm", "sm"}


@pytest.mark.django_db
def test_a_duty_about_a_setting_escalates_to_its_owners_team_managers(
    commissioning, service_manager
):
    head = UserFactory(
        username="head",
        role=Role.TEAM_MANAGER,
        team=commissioning.team,
        line_manager=service_manager,
    )
    duty = make_duty(commissioning, date(2026, 11, 13), setting=SettingFactory())
    run(date(2026, 11, 20))
    assert told(duty) == {commissioning.username, "head", "sm"}
    assert head.email in {m.to[0] for m in mail.outbox}


@pytest.mark.django_db
def test_escalation_costs_a_fixed_number_of_queries_whatever_the_teams(service_manager, child_iro):
    teams = [TeamFactory(name=f"Children in Care {n}") for n in range(3)]
    workers = []
    for team in teams:
        tm = UserFactory(role=Role.TEAM_MANAGER, team=team, line_manager=service_manager)
        UserFactory(role=Role.SERVICE_MANAGER, team=team)
        workers.append(UserFactory(role=Role.SOCIAL_WORKER, team=team, line_manager=tm))
    children = [ChildFactory(team=w.team, social_worker=w, iro=child_iro) for w in workers]

    def add(n, due):
        Duty.objects.bulk_create(
            Duty(
                kind="statutory_visit",
                subject=f"placement:{next(_subjects)}",
                child=children[i % 3],
                owner=workers[i % 3],
                team=workers[i % 3].team,
                due=due,
            )
            for i in range(n)
        )

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            alerts.create_alerts(
                today=date(2026, 11, 20),
                now=noon(date(2026, 11, 20)),
                batch_size=500,
                stats=alerts.Stats(),
            )
        return len(ctx.captured_queries)

    add(6, date(2026, 11, 12))
    small = measure()
    add(300, date(2026, 11, 11))
    assert measure() == small
    # Each: the worker, their team manager, the team's service manager (in the team), the
    # service manager above the team manager, and the IRO.
    assert Notification.objects.count() == 5 * 306
