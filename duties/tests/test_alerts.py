"""The overdue alerts sweep: levels, recipients, and exactly-once delivery."""

import itertools
import threading
from datetime import date, datetime, timedelta
from io import StringIO
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties import alerts, context_processors, tasks
from duties.models import Alert, Duty, Notification
from duties.rules import AlertRules, Due, alert_level
from placements.tests.factories import ChildFactory

LONDON = ZoneInfo("Europe/London")
_subjects = itertools.count(1)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=LONDON)


def make_duty(owner=None, due=date(2026, 11, 13), *, child=None, team=None, **extra):
    if child is None and owner is not None:
        child = ChildFactory(team=owner.team, social_worker=owner)
    return Duty.objects.create(
        kind=extra.pop("kind", "statutory_visit"),
        subject=f"placement:{next(_subjects)}",
        child=child,
        owner=owner,
        team=team if team is not None else (owner.team if owner else None),
        due=due,
        basis=extra.pop("basis", "Within 6 weeks of the last statutory visit on 2 October 2026"),
        **extra,
    )


def run(day: date, **kwargs) -> alerts.Stats:
    return alerts.sweep(today=day, now=kwargs.pop("now", noon(day)), **kwargs)


def levels(duty) -> list[str]:
    return sorted(duty.alerts.values_list("level", flat=True))


def sent_pairs() -> list[tuple[str, str]]:
    return [(message.to[0], message.subject) for message in mail.outbox]


# --- Levels ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "due, today, expected",
    [
        # 3 working days before, over a weekend: Tue 10 Nov is due soon from Thu 5 Nov.
        (date(2026, 11, 10), date(2026, 11, 4), None),
        (date(2026, 11, 10), date(2026, 11, 5), "due_soon"),
        # Over the late summer bank holiday (Mon 31 Aug 2026): Wed 2 Sep from Thu 27 Aug.
        (date(2026, 9, 2), date(2026, 8, 26), None),
        (date(2026, 9, 2), date(2026, 8, 27), "due_soon"),
        # Overdue from the day after the due date, not on it.
        (date(2026, 11, 13), date(2026, 11, 13), "due_soon"),
        (date(2026, 11, 13), date(2026, 11, 14), "overdue"),
        # 5 working days after Thu 24 Dec 2026, over Christmas and New Year: Tue 5 Jan 2027.
        (date(2026, 12, 24), date(2027, 1, 4), "overdue"),
        (date(2026, 12, 24), date(2027, 1, 5), "overdue_5"),
        # 5 working days after Thu 25 Mar 2027, over Easter: Mon 5 Apr 2027.
        (date(2027, 3, 25), date(2027, 4, 2), "overdue"),
        (date(2027, 3, 25), date(2027, 4, 5), "overdue_5"),
    ],
)
def test_levels_at_the_edges(social_worker, due, today, expected):
    duty = make_duty(social_worker, due)
    run(today)
    assert levels(duty) == ([expected] if expected else [])
    # The same answer as the rules, which the worktray and schedule use.
    assert alert_level(Due("", due, None, "", ""), today, AlertRules.defaults()) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today", [date(2026, 8, 27), date(2026, 12, 24), date(2027, 1, 5), date(2027, 3, 30)]
)
def test_sweep_agrees_with_rules_alert_level_for_every_due_date(social_worker, today):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    duties = [
        make_duty(social_worker, today + timedelta(days=offset), child=child)
        for offset in range(-25, 16)
    ]
    run(today)
    rules = AlertRules.defaults()
    for duty in duties:
        expected = alert_level(Due("", duty.due, None, "", ""), today, rules)
        assert levels(duty) == ([expected] if expected else []), duty.due


@pytest.mark.django_db
def test_a_24_hour_duty_is_overdue_from_its_time_not_its_date(social_worker):
    due_at = datetime(2026, 11, 13, 15, 0, tzinfo=LONDON)
    duty = make_duty(social_worker, date(2026, 11, 13), due_at=due_at)
    run(date(2026, 11, 13), now=due_at - timedelta(minutes=1))
    assert levels(duty) == ["due_soon"]
    run(date(2026, 11, 13), now=due_at + timedelta(minutes=1))
    assert levels(duty) == ["due_soon", "overdue"]


@pytest.mark.django_db
def test_done_and_cancelled_duties_raise_no_alert(social_worker):
    make_duty(social_worker, date(2026, 11, 2), status=Duty.Status.DONE)
    make_duty(social_worker, date(2026, 11, 2), status=Duty.Status.CANCELLED)
    stats = run(date(2026, 11, 20))
    assert Alert.objects.count() == 0 and stats.notifications_created == 0


@pytest.mark.django_db
def test_a_duty_climbs_the_levels_one_alert_each(social_worker):
    duty = make_duty(social_worker, date(2026, 11, 13))
    for day in [date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 16), date(2026, 11, 20)]:
        run(day)
    assert levels(duty) == ["due_soon", "overdue", "overdue_5"]
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Due soon",
        "Overdue",
        "Overdue by 5 working days",  # the social worker
        "Overdue by 5 working days",  # the team manager (their line manager)
        "Overdue by 5 working days",  # the team's service manager
    ]


# --- Who is told, and what ----------------------------------------------------------------


@pytest.mark.django_db
def test_overdue_5_notifies_owner_line_manager_and_service_manager(
    social_worker, team_manager, service_manager
):
    soon = make_duty(social_worker, date(2026, 11, 23))
    late = make_duty(social_worker, date(2026, 11, 12))
    run(date(2026, 11, 20))
    assert levels(soon) == ["due_soon"] and levels(late) == ["overdue_5"]
    assert set(
        Notification.objects.filter(alert__duty=soon).values_list("user__username", flat=True)
    ) == {"sw"}
    told = Notification.objects.filter(alert__duty=late)
    assert set(told.values_list("user__username", flat=True)) == {"sw", "tm", "sm"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [social_worker.email, social_worker.email, team_manager.email, service_manager.email]
    )
    manager_mail = next(m for m in mail.outbox if m.to == [team_manager.email])
    assert "(allocated to Sam Worker)" in manager_mail.subject
    assert "you are their line manager" in manager_mail.body


@pytest.mark.django_db
def test_an_unallocated_duty_tells_the_team_manager_and_at_5_days_their_manager(
    social_worker, team_manager, service_manager, cic_team
):
    child = ChildFactory(team=cic_team, social_worker=None)
    duty = make_duty(None, date(2026, 11, 12), child=child, team=cic_team)
    leaver = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team, is_active=False)
    left_behind = make_duty(leaver, date(2026, 11, 19))
    run(date(2026, 11, 20))
    assert set(
        Notification.objects.filter(alert__duty=duty).values_list("user__username", flat=True)
    ) == {"tm", "sm"}
    assert set(
        Notification.objects.filter(alert__duty=left_behind).values_list(
            "user__username", flat=True
        )
    ) == {"tm"}
    assert not any(leaver.email in m.to for m in mail.outbox)


@pytest.mark.django_db
def test_a_commissioning_visit_for_the_team_tells_its_commissioning_officers(
    commissioning, social_worker
):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    head = UserFactory(role=Role.TEAM_MANAGER, team=commissioning.team)
    visit = make_duty(
        None,
        date(2026, 11, 19),
        child=child,
        team=commissioning.team,
        kind="commissioning_visit",
    )
    run(date(2026, 11, 20))
    # The team's manager first; the officers only where the team has no manager.
    assert list(Notification.objects.values_list("user", flat=True)) == [head.pk]
    head.is_active = False
    head.save()
    second = make_duty(
        None,
        date(2026, 11, 19),
        child=child,
        team=commissioning.team,
        kind="commissioning_visit",
    )
    run(date(2026, 11, 20))
    assert list(Notification.objects.filter(alert__duty=second).values_list("user", flat=True)) == [
        commissioning.pk
    ]
    assert "Commissioning visit for child" in mail.outbox[-1].subject
    assert visit.alerts.count() == 1


@pytest.mark.django_db
def test_email_names_the_903_id_and_kind_never_the_child(social_worker):
    child = ChildFactory(
        team=social_worker.team, social_worker=social_worker, first_name="Zelda", last_name="Quux"
    )
    make_duty(social_worker, date(2026, 11, 16), child=child)
    run(date(2026, 11, 20))
    [message] = mail.outbox
    assert message.subject == f"Overdue: Statutory visit for child {child.child_id}"
    assert "Zelda" not in message.subject + message.body
    assert "Quux" not in message.subject + message.body
    assert "Monday 16 November 2026" in message.body
    assert reverse("placements:child", args=[child.pk]) in message.body
    notification = Notification.objects.get()
    assert notification.url == reverse("placements:child", args=[child.pk])
    assert "Zelda" not in notification.body


@pytest.mark.django_db
def test_a_user_without_an_email_address_is_notified_in_app_only(cic_team, team_manager):
    worker = UserFactory(role=Role.SOCIAL_WORKER, team=cic_team, email="")
    make_duty(worker, date(2026, 11, 16))
    stats = run(date(2026, 11, 20))
    notification = Notification.objects.get(user=worker)
    assert notification.email_status == Notification.Email.NONE
    assert mail.outbox == [] and stats.emails_without_address == 1


@pytest.mark.django_db
def test_an_escalation_notification_from_another_service_is_emailed(social_worker):
    notification = Notification.objects.create(
        user=social_worker,
        key="visit-escalation:42",
        subject="A visit was escalated to you",
        body="A visit to child C100042 was escalated.",
        url="/visits/42/",
    )
    stats = run(date(2026, 11, 20))
    notification.refresh_from_db()
    assert notification.email_status == Notification.Email.SENT
    assert notification.email_sent_at is not None and stats.emails_sent == 1
    assert sent_pairs() == [(social_worker.email, "A visit was escalated to you")]
    run(date(2026, 11, 20))
    assert len(mail.outbox) == 1


# --- Exactly once ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_twice_sends_nothing_twice(social_worker, team_manager):
    for due in [date(2026, 11, 12), date(2026, 11, 19), date(2026, 11, 23)]:
        make_duty(social_worker, due)
    first = run(date(2026, 11, 20))
    assert first.alerts_created == {"due_soon": 1, "overdue": 1, "overdue_5": 1}
    # sw three times; at overdue_5 also the team manager and the service manager.
    assert first.notifications_created == 5 and first.emails_sent == 5
    second = run(date(2026, 11, 20))
    assert second.alerts_created == {"due_soon": 0, "overdue": 0, "overdue_5": 0}
    assert second.notifications_created == 0 and second.emails_sent == 0
    assert Alert.objects.count() == 3 and Notification.objects.count() == 5
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_claiming_twice_before_sending_never_claims_the_same_row(social_worker):
    for due in [date(2026, 11, 16), date(2026, 11, 17)]:
        make_duty(social_worker, due)
    alerts.create_alerts(
        today=date(2026, 11, 20), now=noon(date(2026, 11, 20)), batch_size=500, stats=alerts.Stats()
    )
    first, second = alerts.claim_next(), alerts.claim_next()
    assert first is not None and second is not None and first.pk != second.pk
    assert alerts.claim_next() is None  # both are "sending": nobody else may take them
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sending"}
    alerts.deliver(first)
    alerts.deliver(second)
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_no_duplicate(monkeypatch):
    manager = UserFactory(username="tmx", role=Role.TEAM_MANAGER)
    workers = [
        UserFactory(role=Role.SOCIAL_WORKER, team=manager.team, line_manager=manager)
        for _ in range(3)
    ]
    for i in range(30):
        make_duty(workers[i % 3], date(2026, 11, 10) + timedelta(days=i % 14))
    real_send = alerts.send_mail
    senders = set()

    def slow_send(*args, **kwargs):
        senders.add(threading.get_ident())
        threading.Event().wait(0.01)  # keep both sweeps sending at the same time
        return real_send(*args, **kwargs)

    monkeypatch.setattr(alerts, "send_mail", slow_send)
    start = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            start.wait()
            results.append(run(date(2026, 11, 20), batch_size=4))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected = Notification.objects.count()
    assert expected == 30 + Alert.objects.filter(level="overdue_5").count()
    assert Alert.objects.count() == 30
    assert len(mail.outbox) == expected
    assert len(set(sent_pairs())) == len(sent_pairs())
    assert sum(r.emails_sent for r in results) == expected
    assert sum(r.notifications_created for r in results) == expected
    assert sum(sum(r.alerts_created.values()) for r in results) == 30
    assert len(senders) == 2  # both really sent: the test exercised the overlap
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}


def kill_on_the_third(real_send, *, after_the_server_took_it: bool):
    calls = itertools.count(1)

    def send(*args, **kwargs):
        if next(calls) == 3:
            if after_the_server_took_it:
                real_send(*args, **kwargs)
            raise KeyboardInterrupt  # the worker is killed: no except clause catches it
        return real_send(*args, **kwargs)

    return send


@pytest.mark.parametrize("after_the_server_took_it", [False, True])
@pytest.mark.django_db
def test_killed_while_sending_then_rerun_repeats_nothing(
    social_worker, monkeypatch, after_the_server_took_it
):
    """Issue 24, finding 11: a worker killed after the mail server took an email, before
    it recorded so, re-sent it on the next run (7 emails for 6 notifications). An email
    left "sending" is now never re-sent by itself: interrupted, for the administrator."""
    for i in range(6):
        make_duty(social_worker, date(2026, 11, 16) + timedelta(days=i % 2))
    real_send = alerts.send_mail
    monkeypatch.setattr(
        alerts,
        "send_mail",
        kill_on_the_third(real_send, after_the_server_took_it=after_the_server_took_it),
    )
    with pytest.raises(KeyboardInterrupt):
        run(date(2026, 11, 20))
    statuses = list(Notification.objects.order_by("pk").values_list("email_status", flat=True))
    assert statuses == ["sent", "sent", "sending", "pending", "pending", "pending"]
    delivered = 3 if after_the_server_took_it else 2
    assert len(mail.outbox) == delivered

    monkeypatch.setattr(alerts, "send_mail", real_send)
    again = run(date(2026, 11, 20))
    assert again.emails_sent == 3  # the rest; the one in flight keeps its fresh claim
    with time_machine.travel(timezone.now() + alerts.STALE_CLAIM + timedelta(minutes=1)):
        last = run(date(2026, 11, 20))
    assert last.emails_sent == 0 and last.emails_interrupted == 1
    assert len(mail.outbox) == delivered + 3
    assert len({m.subject for m in mail.outbox}) == len(mail.outbox)  # none twice
    interrupted = Notification.objects.get(email_status="interrupted")
    assert "may have been delivered" in interrupted.email_last_error
    assert set(Notification.objects.values_list("email_status", flat=True)) == {
        "sent",
        "interrupted",
    }
    # The administrator, told it did not arrive, sends it again: once.
    Notification.objects.filter(pk=interrupted.pk).update(
        email_status="pending", email_attempts=0, email_claimed_at=None
    )
    assert run(date(2026, 11, 20)).emails_sent == 1
    assert len(mail.outbox) == delivered + 4


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_interrupted_not_sent_again(social_worker):
    make_duty(social_worker, date(2026, 11, 16))
    alerts.create_alerts(
        today=date(2026, 11, 20), now=noon(date(2026, 11, 20)), batch_size=500, stats=alerts.Stats()
    )
    Notification.objects.update(
        email_status="sending",
        email_attempts=1,
        email_claimed_at=timezone.now() - timedelta(minutes=11),
    )
    stats = run(date(2026, 11, 20))
    assert stats.emails_sent == 0 and mail.outbox == []
    assert stats.emails_interrupted == 1
    assert Notification.objects.get().email_status == "interrupted"


@pytest.mark.django_db
def test_every_attempt_at_one_notification_carries_the_same_message_id(social_worker):
    make_duty(social_worker, date(2026, 11, 16))
    run(date(2026, 11, 20))
    notification = Notification.objects.get()
    Notification.objects.update(email_status="pending", email_attempts=0, email_claimed_at=None)
    run(date(2026, 11, 20))
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert ids == [f"<notification-{notification.pk}@localhost>"] * 2
    with override_settings(SITE_URL="https://placements.example.gov.uk"):
        assert alerts.message_id(notification) == (
            f"<notification-{notification.pk}@placements.example.gov.uk>"
        )


@pytest.mark.django_db
def test_killed_while_creating_alerts_then_rerun_creates_the_rest(social_worker, monkeypatch):
    for i in range(5):
        make_duty(social_worker, date(2026, 11, 16) + timedelta(days=i % 3))
    real = alerts._recipients
    calls = itertools.count(1)

    def dies_on_the_third(*args, **kwargs):
        if next(calls) == 3:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(alerts, "_recipients", dies_on_the_third)
    with pytest.raises(RuntimeError):
        run(date(2026, 11, 20), batch_size=2)
    # The first batch committed whole; the second rolled back whole: no alert is orphaned.
    assert Alert.objects.count() == 2 and Notification.objects.count() == 2
    assert not Alert.objects.filter(notifications__isnull=True).exists()
    monkeypatch.setattr(alerts, "_recipients", real)
    stats = run(date(2026, 11, 20), batch_size=2)
    assert sum(stats.alerts_created.values()) == 3
    assert Alert.objects.count() == 5 and Notification.objects.count() == 5
    assert len(mail.outbox) == 5 and len({m.subject for m in mail.outbox}) == 5


@pytest.mark.django_db
def test_a_failing_mail_server_is_recorded_and_retried(social_worker, monkeypatch):
    make_duty(social_worker, date(2026, 11, 16))
    real_send = alerts.send_mail

    def refuses(*args, **kwargs):
        raise SMTPException("421 Service not available")

    monkeypatch.setattr(alerts, "send_mail", refuses)
    stats = run(date(2026, 11, 20))
    notification = Notification.objects.get()
    assert (stats.emails_sent, stats.emails_failed) == (0, 1)
    assert notification.email_status == "failed" and notification.email_attempts == 1
    assert notification.email_last_error == "SMTPException: 421 Service not available"

    monkeypatch.setattr(alerts, "send_mail", real_send)
    run(date(2026, 11, 20))  # straight away: the retry waits
    notification.refresh_from_db()
    assert notification.email_status == "failed" and mail.outbox == []
    with time_machine.travel(timezone.now() + alerts.RETRY_AFTER[1] + timedelta(seconds=5)):
        stats = run(date(2026, 11, 20))
    notification.refresh_from_db()
    assert stats.emails_sent == 1 and len(mail.outbox) == 1
    assert notification.email_status == "sent" and notification.email_attempts == 2


@pytest.mark.django_db
def test_after_the_last_attempt_the_email_waits_for_an_administrator(social_worker):
    make_duty(social_worker, date(2026, 11, 16))
    alerts.create_alerts(
        today=date(2026, 11, 20), now=noon(date(2026, 11, 20)), batch_size=500, stats=alerts.Stats()
    )
    Notification.objects.update(
        email_status="failed",
        email_attempts=alerts.MAX_ATTEMPTS,
        email_claimed_at=timezone.now() - timedelta(days=30),
    )
    run(date(2026, 11, 20))
    assert mail.outbox == []
    assert Notification.objects.get().email_status == "failed"


@pytest.mark.django_db
def test_alert_creation_runs_a_fixed_number_of_queries(cic_team, team_manager):
    workers = [
        UserFactory(role=Role.SOCIAL_WORKER, team=cic_team, line_manager=team_manager)
        for _ in range(3)
    ]
    children = [ChildFactory(team=cic_team, social_worker=w) for w in workers]

    def add(n, due):
        Duty.objects.bulk_create(
            Duty(
                kind="statutory_visit",
                subject=f"placement:{next(_subjects)}",
                child=children[i % 3],
                owner=workers[i % 3],
                team=cic_team,
                due=due,
            )
            for i in range(n)
        )

    def measure(due):
        with CaptureQueriesContext(connection) as ctx:
            alerts.create_alerts(
                today=date(2026, 11, 20),
                now=noon(date(2026, 11, 20)),
                batch_size=500,
                stats=alerts.Stats(),
            )
        return len(ctx.captured_queries)

    add(10, date(2026, 11, 12))
    small = measure(date(2026, 11, 12))
    add(400, date(2026, 11, 11))
    assert measure(date(2026, 11, 11)) == small
    # The owner, their line manager (the team manager) and the team's service manager.
    assert Notification.objects.count() == 3 * 410


@pytest.mark.django_db
def test_each_email_costs_a_fixed_number_of_queries(social_worker):
    for i in range(12):
        make_duty(social_worker, date(2026, 11, 18) + timedelta(days=i % 2))
    alerts.create_alerts(
        today=date(2026, 11, 20), now=noon(date(2026, 11, 20)), batch_size=500, stats=alerts.Stats()
    )
    with CaptureQueriesContext(connection) as ctx:
        alerts.send_emails(stats=alerts.Stats(), limit=100, deadline=float("inf"))
    assert len(mail.outbox) == 12
    # One claim (select + update), one outcome, per email; plus the dead-claim check, the
    # check that anything waits before a mail session is opened, and the final empty claim.
    # (Savepoints stand in for the claim's COMMIT inside a test.)
    queries = [q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(queries) == 3 * 12 + 3


# --- Admin, task, command, in-app -------------------------------------------------------


@pytest.mark.django_db
def test_administrator_sees_failed_emails_and_retries_them(client, administrator, social_worker):
    make_duty(social_worker, date(2026, 11, 16))
    alerts.create_alerts(
        today=date(2026, 11, 20), now=noon(date(2026, 11, 20)), batch_size=500, stats=alerts.Stats()
    )
    Notification.objects.update(
        email_status="failed", email_attempts=5, email_last_error="SMTPException: 550 No such user"
    )
    notification = Notification.objects.get()
    client.force_login(administrator)
    page = client.get("/admin/duties/notification/?email_status__exact=failed").content.decode()
    assert "550 No such user" in page and notification.subject in page
    response = client.post(
        "/admin/duties/notification/",
        {"action": "retry_failed_emails", "_selected_action": [notification.pk]},
        follow=True,
    )
    assert "1 email will be sent" in response.content.decode()
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == ("pending", 0)
    run(date(2026, 11, 20))
    assert len(mail.outbox) == 1
    client.force_login(social_worker)
    assert client.get("/admin/duties/notification/").status_code == 302


@pytest.mark.django_db
def test_command_runs_the_sweep_as_of_a_date_and_summarises(social_worker, team_manager):
    make_duty(social_worker, date(2026, 11, 12))
    make_duty(social_worker, date(2026, 11, 23))
    out = StringIO()
    call_command("send_overdue_alerts", "--as-of", "2026-11-20", stdout=out)
    text = out.getvalue()
    assert "Overdue alerts for 20/11/2026" in text
    assert "alerts created, due soon: 1" in text
    assert "alerts created, overdue: 0" in text
    assert "alerts created, overdue by 5 working days: 1" in text
    assert "notifications created: 4" in text and "emails sent: 4" in text
    out = StringIO()
    call_command("send_overdue_alerts", "--as-of", "2026-11-20", stdout=out)
    assert "notifications created: 0" in out.getvalue() and len(mail.outbox) == 4
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_overdue_alerts", "--as-of", "20/11/2026")


@pytest.mark.django_db
def test_celery_task_sweeps_for_today(social_worker):
    make_duty(social_worker, date(2026, 11, 16))
    with time_machine.travel(noon(date(2026, 11, 20))):
        result = tasks.send_overdue_alerts.delay().get()
    assert tasks.send_overdue_alerts.name == "visits.send_overdue_alerts"
    assert result["alerts_created"]["overdue"] == 1 and result["emails_sent"] == 1


@pytest.mark.django_db
def test_unread_count_context_is_one_query_and_only_when_used(
    rf, social_worker, django_assert_num_queries
):
    Notification.objects.create(user=social_worker, key="a", subject="A", body="")
    Notification.objects.create(user=social_worker, key="b", subject="B", body="")
    Notification.objects.create(
        user=social_worker, key="c", subject="C", body="", read_at=timezone.now()
    )
    Notification.objects.create(user=UserFactory(), key="d", subject="D", body="")
    request = rf.get("/")
    request.user = social_worker
    with django_assert_num_queries(0):
        context = context_processors.unread_notifications(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"] == 2
        assert f"{context['unread_notifications']}" == "2"
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert context_processors.unread_notifications(request) == {"unread_notifications": 0}


@pytest.mark.django_db
def test_notifications_page_lists_mine_and_marks_them_read(
    client, social_worker, other_team_worker, django_assert_num_queries
):
    mine = Notification.objects.create(
        user=social_worker, key="k1", subject="Overdue: statutory visit", body="Line one\nTwo"
    )
    read = Notification.objects.create(
        user=social_worker, key="k2", subject="Older news", body="", read_at=timezone.now()
    )
    theirs = Notification.objects.create(
        user=other_team_worker, key="k3", subject="Not for you", body=""
    )
    client.force_login(social_worker)
    url = reverse("duties:notifications")
    page = client.get(url).content.decode()
    assert "Overdue: statutory visit" in page and "Older news" in page
    assert "Not for you" not in page and "1 unread" in page
    assert "Line one<br>Two" in page
    client.post(url, {"notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(url, {"notification": mine.pk}, follow=True)
    mine.refresh_from_db()
    assert mine.read_at is not None and "1 notification marked as read" in response.content.decode()
    assert read.read_at is not None
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(80):
        Notification.objects.create(user=social_worker, key=f"n{i}", subject=f"S{i}", body="")
    with django_assert_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert "Page 1 of 2" in page and "80 unread" in page
    client.post(url, {"all": "1"})
    assert not Notification.objects.filter(user=social_worker, read_at__isnull=True).exists()


class CountingBackend(locmem.EmailBackend):
    """The test mail backend, counting the sessions opened; ``refuse`` makes it
    unreachable, as a mail server that is down."""

    opened = 0
    refuse = False

    def open(self):
        if CountingBackend.refuse:
            raise ConnectionRefusedError("[Errno 111] Connection refused")
        CountingBackend.opened += 1
        return True


@pytest.fixture
def counted_sessions(monkeypatch):
    CountingBackend.opened, CountingBackend.refuse = 0, False
    monkeypatch.setattr(alerts, "get_connection", lambda: CountingBackend())
    return CountingBackend


@pytest.mark.django_db
def test_one_mail_session_carries_every_email_of_a_run(social_worker, counted_sessions):
    for i in range(6):
        make_duty(social_worker, date(2026, 11, 16) + timedelta(days=i % 2))
    stats = run(date(2026, 11, 20))
    assert stats.emails_sent == 6 and len(mail.outbox) == 6
    assert counted_sessions.opened == 1
    # The next run has nothing to send: it opens no session, even to an unreachable server.
    counted_sessions.refuse = True
    stats = run(date(2026, 11, 20))
    assert stats.emails_sent == 0 and not stats.mail_server_unavailable
    assert counted_sessions.opened == 1


@pytest.mark.django_db
def test_after_a_failed_email_the_next_one_opens_a_new_session(
    social_worker, counted_sessions, monkeypatch
):
    for i in range(4):
        make_duty(social_worker, date(2026, 11, 16) + timedelta(days=i % 2))
    real_send, calls = alerts.send_mail, itertools.count(1)

    def fails_the_second(*args, **kwargs):
        if next(calls) == 2:
            raise SMTPException("451 Connection lost")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(alerts, "send_mail", fails_the_second)
    stats = run(date(2026, 11, 20))
    assert (stats.emails_sent, stats.emails_failed) == (3, 1)
    assert counted_sessions.opened == 2


@pytest.mark.django_db
def test_an_unreachable_mail_server_spends_no_attempt_and_the_next_run_sends(
    social_worker, counted_sessions
):
    for i in range(3):
        make_duty(social_worker, date(2026, 11, 16) + timedelta(days=i % 2))
    counted_sessions.refuse = True
    stats = run(date(2026, 11, 20))
    assert stats.mail_server_unavailable and stats.emails_sent == stats.emails_failed == 0
    assert sum(stats.alerts_created.values()) == 3  # the alerts are made all the same
    assert (
        list(Notification.objects.values_list("email_status", "email_attempts"))
        == [("pending", 0)] * 3
    )
    counted_sessions.refuse = False
    stats = run(date(2026, 11, 20))
    assert stats.emails_sent == 3 and not stats.mail_server_unavailable
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 3
