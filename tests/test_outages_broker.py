"""Outages of the broker and the workers: Redis down, a broker that never answers, a worker
killed mid-sweep. Redis being down is a broker URL on a port nothing listens on; a killed
worker is a subprocess sent SIGKILL. None of these stops the shared servers.

The sweep's own guarantees are also proved in duties/tests/test_alerts.py:
test_killed_while_sending_then_rerun_loses_nothing_and_repeats_nothing,
test_killed_while_creating_alerts_then_rerun_creates_the_rest,
test_a_claim_left_by_a_dead_worker_is_sent_by_the_next_run and
test_two_sweeps_at_once_send_no_duplicate (in-process).
"""

import logging
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import kombu.pools
import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from config.celery_app import app as celery_app
from core.tasks import enqueue_on_commit
from duties import alerts, tasks
from duties.models import Alert, Notification, RuleValue
from duties.tasks import recompute_all_duties
from duties.tests.factories import DutyFactory
from placements.tests.factories import ChildFactory
from tests.outage import ROOT, free_port, post_finish
from visits.models import Visit

# ============================================================================================
# (b) Redis down
# ============================================================================================


class Broker:
    """Point the Celery app at a port nothing listens on (down) and back (up)."""

    def __init__(self):
        self.saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
        self.dead_url = f"redis://127.0.0.1:{free_port()}/0"

    @staticmethod
    def _drop_connections():
        kombu.pools.reset()  # kombu keeps producer pools by URL, process-wide
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    def down(self):
        self._drop_connections()
        celery_app.conf.broker_url = self.dead_url
        celery_app.conf.task_always_eager = False

    def up(self):
        self._drop_connections()
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = self.saved


@pytest.fixture
def broker():
    control = Broker()
    yield control
    control.up()


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_finishing_a_visit_works_and_the_alerts_wait_in_the_database(
    broker, draft, social_worker, team_manager, caplog
):
    other_child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    overdue = DutyFactory(child=other_child, due=date(2026, 3, 9))
    broker.down()
    with pytest.raises(BrokerError):  # beat cannot queue the sweep either, while it is down
        tasks.send_overdue_alerts.delay()

    client = Client(raise_request_exception=False)
    client.force_login(social_worker)
    started = time.monotonic()
    response = post_finish(client, draft)
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    draft.refresh_from_db()
    assert draft.status == Visit.Status.FINISHED
    escalation = Notification.objects.get()
    assert escalation.user == team_manager
    assert escalation.email_status == Notification.Email.PENDING
    assert mail.outbox == []

    # The broker returns: the next beat tick queues the sweep, which finds it all in the
    # database: the escalation waiting to be emailed, and the overdue duty's alert to make.
    broker.up()
    stats = tasks.send_overdue_alerts.delay().get()
    assert Alert.objects.get(duty=overdue).level == "overdue"
    assert stats["emails_sent"] == Notification.objects.count() == len(mail.outbox)
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
    escalation.refresh_from_db()
    assert escalation.email_status == Notification.Email.SENT
    assert (team_manager.email, escalation.subject) in [(m.to[0], m.subject) for m in mail.outbox]
    assert social_worker.email in [m.to[0] for m in mail.outbox]


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_editing_a_rule_saves_and_answers_normally(broker, administrator, caplog):
    rule, _ = RuleValue.objects.get_or_create(
        name="statutory_interval_first_year_days", defaults={"value": 42}
    )
    new_value = 28 if rule.value != 28 else 35
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    broker.down()
    with caplog.at_level(logging.ERROR, logger="core.tasks"):
        response = client.post(
            reverse("admin:duties_rulevalue_change", args=[rule.pk]), {"value": str(new_value)}
        )
    rule.refresh_from_db()
    assert rule.value == new_value  # committed either way
    assert response.status_code == 302  # ...but today the user is told it failed (500)
    assert "Could not queue visits.recompute_all_duties" in caplog.text


# --- core.tasks.enqueue_on_commit -------------------------------------------------------------


class FakeTask:
    name = "tests.fake"

    def __init__(self, error: Exception | None = None):
        self.error = error
        self.calls = []

    def apply_async(self, args=(), kwargs=None):
        self.calls.append((args, kwargs))
        if self.error is not None:
            raise self.error


@pytest.mark.django_db
def test_enqueue_on_commit_queues_after_commit_only(django_capture_on_commit_callbacks):
    task = FakeTask()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task, 1, "a", as_of="2026-11-10")
        assert task.calls == []  # not before the commit
    assert task.calls == [((1, "a"), {"as_of": "2026-11-10"})]

    rolled_back = FakeTask()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                enqueue_on_commit(rolled_back)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == [] and rolled_back.calls == []


@pytest.mark.django_db
def test_enqueue_on_commit_logs_a_broker_error_and_lets_a_bug_through(
    django_capture_on_commit_callbacks, caplog
):
    down = FakeTask(BrokerError("Error 111 connecting to 127.0.0.1:6390. Connection refused."))
    with (
        caplog.at_level(logging.ERROR, logger="core.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit(down)
    assert "Could not queue tests.fake: the broker is unavailable" in caplog.text

    refused = FakeTask(ConnectionRefusedError(111, "Connection refused"))
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(refused)

    buggy = FakeTask(TypeError("recompute_all_duties() got an unexpected keyword argument"))
    with pytest.raises(TypeError), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(buggy)


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_with_the_real_broker_down_returns_in_seconds(broker, caplog):
    broker.down()
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="core.tasks"), transaction.atomic():
        enqueue_on_commit(recompute_all_duties)
    assert time.monotonic() - started < 5
    assert "Could not queue visits.recompute_all_duties" in caplog.text


@pytest.mark.django_db
def test_enqueue_on_commit_with_the_broker_up_runs_the_task(django_capture_on_commit_callbacks):
    """The test settings run tasks eagerly: the call reaches the real task."""
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(recompute_all_duties, "2026-11-10")
    # No open duties: it ran and found nothing to do (an error would have propagated).


def test_a_broker_that_accepts_but_never_answers_does_not_hold_the_request():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # the kernel accepts; nobody ever answers
    control = Broker()
    control.down()
    celery_app.conf.broker_url = f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    outcome = queue.Queue()

    def queue_it():
        from core.tasks import enqueue

        outcome.put(enqueue(recompute_all_duties))

    worker = threading.Thread(target=queue_it, daemon=True)
    try:
        worker.start()
        worker.join(timeout=10)
        assert not worker.is_alive(), "still waiting on the broker after 10 seconds"
        assert outcome.get_nowait() is False
    finally:
        listener.close()  # the waiting client gets a reset and gives up
        worker.join(timeout=10)
        control.up()


# ============================================================================================
# (c) A worker killed (SIGKILL) in the middle of the sweep
# ============================================================================================

KILLED_SWEEP = """
import sys, time
import django

django.setup()
from datetime import date
from django.conf import settings

settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = sys.argv[1]
from duties import alerts

stage, today = sys.argv[2], date.fromisoformat(sys.argv[3])
calls = 0


def stalls_on_the_third(real, after=False):
    def wrapper(*args, **kwargs):
        global calls
        calls += 1
        if calls == 3:
            if after:
                real(*args, **kwargs)  # the mail server has it
            print("STALLED", flush=True)
            time.sleep(300)  # SIGKILL arrives here
        return real(*args, **kwargs)

    return wrapper


if stage == "sending":
    alerts.send_mail = stalls_on_the_third(alerts.send_mail)
elif stage == "sent":
    alerts.send_mail = stalls_on_the_third(alerts.send_mail, after=True)
else:
    alerts._recipients = stalls_on_the_third(alerts._recipients)
alerts.sweep(today=today, batch_size=2)
print("FINISHED", flush=True)
"""
APP_NAME = "outage-killed-sweep"


def emails_in(folder: Path) -> list[tuple[str, str]]:
    """(to, subject) of every message the file backend wrote."""
    found = []
    for path in folder.iterdir():
        text = path.read_text()
        tos = re.findall(r"^To: (.+)$", text, re.M)
        subjects = re.findall(r"^Subject: (.+)$", text, re.M)
        found += list(zip(tos, subjects, strict=True))
    return found


def run_and_kill_a_sweep(stage: str, outbox: Path, today: date) -> None:
    """A worker process runs the sweep against the test database and is SIGKILLed when it
    reaches the third send (``sending``) or the third recipient lookup (``creating``)."""
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PGAPPNAME": APP_NAME}
    env["TEST_DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", KILLED_SWEEP, str(outbox), stage, today.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line.strip()) for line in worker.stdout], daemon=True
    ).start()
    try:
        try:
            line = lines.get(timeout=90)
        except queue.Empty:
            line = None
        assert line == "STALLED", worker.stderr.read() if worker.poll() is not None else line
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    # PostgreSQL ends the dead worker's session (and rolls back its transaction) when it
    # sees the socket close; wait for that, so the rerun is not racing its locks.
    deadline = time.monotonic() + 20
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
            )
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the killed worker's database session did not end")


def overdue_duties(owner, count: int, today: date):
    return [
        DutyFactory(
            child=ChildFactory(team=owner.team, social_worker=owner),
            owner=owner,
            team=owner.team,
            due=today - timedelta(days=1 + i % 2),
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("stage", ["sending", "sent"])
@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_sending_loses_no_alert_and_repeats_no_email(
    tmp_path, social_worker, stage
):
    """Killed with the third email in the mail server's hands, before (``sending``) or
    after (``sent``) the server took it: the next runs send the rest, never that one
    again (issue 24, finding 11: it used to be re-sent, a duplicate when the server had
    it); it is marked interrupted for the administrator, and no alert is lost."""
    today = timezone.localdate()
    overdue_duties(social_worker, 6, today)
    outbox = tmp_path / "mail"
    outbox.mkdir()

    run_and_kill_a_sweep(stage, outbox, today)

    assert Alert.objects.count() == 6 and Notification.objects.count() == 6
    statuses = list(Notification.objects.order_by("pk").values_list("email_status", flat=True))
    assert statuses == ["sent", "sent", "sending", "pending", "pending", "pending"]
    sent_by_the_dead = emails_in(outbox)
    assert len(sent_by_the_dead) == (3 if stage == "sent" else 2)

    again = alerts.sweep(today=today)  # the next run: a new worker
    assert sum(again.alerts_created.values()) == 0
    assert again.emails_sent == 3  # the claim of the dead worker is still fresh
    with time_machine.travel(timezone.now() + alerts.STALE_CLAIM + timedelta(minutes=1)):
        last = alerts.sweep(today=today)
    assert last.emails_sent == 0 and last.emails_interrupted == 1

    everything = sent_by_the_dead + [(m.to[0], m.subject) for m in mail.outbox]
    assert len(everything) == len(set(everything))  # none twice
    assert len(everything) == (6 if stage == "sent" else 5)
    statuses = list(Notification.objects.order_by("pk").values_list("email_status", flat=True))
    assert statuses == ["sent", "sent", "interrupted", "sent", "sent", "sent"]


@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_creating_alerts_leaves_no_half_batch(tmp_path, social_worker):
    today = timezone.localdate()
    duties = overdue_duties(social_worker, 5, today)
    outbox = tmp_path / "mail"
    outbox.mkdir()

    run_and_kill_a_sweep("creating", outbox, today)

    # The first batch (2 duties) committed whole; the second died inside its transaction
    # and PostgreSQL rolled it back whole: no alert without its notification.
    assert Alert.objects.count() == 2 and Notification.objects.count() == 2
    assert not Alert.objects.filter(notifications__isnull=True).exists()
    assert emails_in(outbox) == []

    again = alerts.sweep(today=today)
    assert sum(again.alerts_created.values()) == 3
    assert Alert.objects.count() == 5 and Notification.objects.count() == 5
    assert {a.duty_id for a in Alert.objects.all()} == {d.pk for d in duties}
    assert again.emails_sent == 5
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 5
