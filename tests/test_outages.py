"""Outages: PostgreSQL going away, Redis down, a worker killed mid-sweep.

None of these stops the shared servers other test runs use. PostgreSQL failing is
simulated in-process (``connection.execute_wrapper`` closes the real connection under a
chosen statement, so the driver fails as it does when the server goes) and for real with
a throwaway cluster started and stopped under /tmp; Redis being down is a broker URL on a
port nothing listens on; a killed worker is a subprocess sent SIGKILL.

The sweep's own guarantees are also proved in visits/tests/test_alerts.py:
test_killed_while_sending_then_rerun_loses_nothing_and_repeats_nothing,
test_killed_while_creating_alerts_then_rerun_creates_the_rest,
test_a_claim_left_by_a_dead_worker_is_sent_by_the_next_run and
test_two_sweeps_at_once_send_no_duplicate (in-process).
"""

import http.cookiejar
import logging
import os
import pwd
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import kombu.pools
import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from accounts.tests.factories import PASSWORD
from config.celery_app import app as celery_app
from core.tasks import enqueue_on_commit
from duties import alerts, tasks
from duties.models import Alert, Notification, RuleValue
from duties.tasks import recompute_all_duties
from duties.tests.factories import DutyFactory
from placements.models import Provider, Setting
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from visits import services
from visits.models import Visit, VisitKind
from visits.tests.test_visit_form import complete_answers

ROOT = Path(__file__).resolve().parents[1]
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)  # complete_answers() is a visit on 9 March
ERROR_LEAKS = ["Traceback", "OperationalError", "psycopg", "connection is closed", 'File "']


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_service_unavailable_page(status, headers, body: str) -> None:
    """The service's own GOV.UK page, with nothing of the failure in it."""
    assert status == 503, body[:2000]
    assert "Sorry, the service is unavailable" in body
    assert 'class="govuk-template"' in body and "govuk-heading-l" in body
    for leak in ERROR_LEAKS + [str(ROOT)]:
        assert leak not in body, leak
    assert headers.get("X-Frame-Options") == "DENY"
    assert "script-src 'self'" in headers.get("Content-Security-Policy", "")
    assert headers.get("Retry-After")


# ============================================================================================
# (a) PostgreSQL going away in the middle of a request
# ============================================================================================


class ServerGoesAway:
    """An execute wrapper: at the first statement ``when`` matches, the connection to the
    server is closed under Django, as when PostgreSQL stops; that statement and every later
    one fail in the driver (psycopg), exactly as they would."""

    def __init__(self, when=lambda sql: True):
        self.when = when
        self.gone = False
        self.before: list[str] = []  # statements the server ran before it went
        self.failed: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        if not self.gone and self.when(sql):
            self.gone = True
            context["connection"].connection.close()
        (self.failed if self.gone else self.before).append(sql)
        return execute(sql, params, many, context)


def statement(prefix: str):
    return lambda sql: sql.lstrip().upper().startswith(prefix.upper())


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def draft(frozen, social_worker, team_manager):
    setting = SettingFactory(name="Willow House", address_line_1="1 Lime Road", town="Maidstone")
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child, setting=setting, decom=date(2025, 1, 6))
    return services.visit_start(
        child=child, kind=VisitKind.PURPOSEFUL, actor=social_worker, now=timezone.now()
    )


def post_finish(client, visit):
    data = {**complete_answers(escalate_to_line_manager="yes"), "action": "finish"}
    return client.post(reverse("visits:visit_edit", args=[visit.pk]), data)


@pytest.mark.django_db(transaction=True)
def test_database_gone_mid_finish_rolls_the_finish_back_whole_and_shows_503(
    draft, social_worker, team_manager
):
    """Finishing with escalation writes, in one transaction: the visit, its history, the
    escalation alert and the line manager's notification. The server goes at the last of
    these; nothing of the transaction stays.

    The view saves the answers as a draft first, in its own transaction (visits/visit_views.py
    visit_edit: "nothing typed is lost"), so the draft keeps the answers: a whole, consistent
    state, and the page the user gets says to check before entering it again.
    """
    client = Client(raise_request_exception=False)
    client.force_login(social_worker)
    gone = ServerGoesAway(when=statement('INSERT INTO "visits_notification"'))
    with connection.execute_wrapper(gone):
        response = post_finish(client, draft)
    connection.close()  # Django reconnects on the next query: the server is "back"

    assert gone.gone
    writes = [sql.split("(")[0].strip() for sql in gone.before if not sql.startswith("SELECT")]
    assert 'UPDATE "visits_visit" SET' in " ".join(writes)  # the finish had written
    assert any(w.startswith('INSERT INTO "visits_alert"') for w in writes)
    assert_service_unavailable_page(response.status_code, response, response.content.decode())
    assert "503.html" in [t.name for t in response.templates]

    draft.refresh_from_db()
    assert draft.status == Visit.Status.DRAFT and draft.finished_at is None
    assert draft.venue == "Willow House"  # the draft save before the finish committed
    assert not Alert.objects.exists() and not Notification.objects.exists()
    assert not draft.history.filter(history_change_reason="Visit finished").exists()

    # The server is back: the same click now works, and tells the manager once.
    response = post_finish(client, draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Visit.Status.FINISHED
    assert Notification.objects.get().user == team_manager


@pytest.mark.django_db(transaction=True)
def test_a_failing_duty_refresh_after_the_finish_still_tells_the_user_it_is_finished(
    draft, social_worker, monkeypatch
):
    """The visit is committed before the duties are refreshed: if the refresh fails, the user
    is still told the visit is finished (the nightly recompute puts the duties right)."""
    from visits import services as visit_services

    def refresh_fails(child_ids):
        raise RuntimeError("duty refresh failed")

    monkeypatch.setattr(visit_services, "after_visits_recorded", refresh_fails)
    client = Client(raise_request_exception=False)
    client.force_login(social_worker)
    response = post_finish(client, draft)
    draft.refresh_from_db()
    assert draft.status == Visit.Status.FINISHED
    assert Notification.objects.count() == 1
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_database_gone_before_the_view_runs_shows_503_not_a_traceback(social_worker):
    """The first query of a signed-in request is the session, read in middleware."""
    client = Client(raise_request_exception=False)
    client.force_login(social_worker)
    for method, url in [("get", "/"), ("get", "/worktray/"), ("post", "/notifications/")]:
        gone = ServerGoesAway()
        with connection.execute_wrapper(gone):
            response = getattr(client, method)(url)
        connection.close()
        assert gone.failed, url
        assert_service_unavailable_page(response.status_code, response, response.content.decode())
    assert client.get("/").status_code == 200  # back, and still signed in


@pytest.mark.django_db(transaction=True)
def test_sign_in_page_shows_without_the_database_and_signing_in_is_a_503(social_worker):
    client = Client(raise_request_exception=False)
    gone = ServerGoesAway()
    with connection.execute_wrapper(gone):
        page = client.get(reverse("login"))
        response = client.post(reverse("login"), {"username": "sw", "password": PASSWORD})
    connection.close()
    assert page.status_code == 200
    assert_service_unavailable_page(response.status_code, response, response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_with_debug_on_a_developer_still_gets_the_technical_page(social_worker, settings):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(social_worker)
    with connection.execute_wrapper(ServerGoesAway()):
        response = client.get("/worktray/")
    connection.close()
    assert response.status_code == 500
    assert "OperationalError" in response.content.decode()


@pytest.mark.django_db
def test_any_other_error_is_the_500_page_not_the_503(social_worker, monkeypatch):
    from duties import worktray

    def broken(user):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(worktray, "home_context", broken)
    client = Client(raise_request_exception=False)
    client.force_login(social_worker)
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "a bug, not an outage" not in body and "Traceback" not in body
    assert response["X-Frame-Options"] == "DENY" and "Retry-After" not in response


def test_error_pages_need_no_database_and_no_request():
    """Django renders 500.html with no context; the middleware 503.html likewise."""
    from django.template.loader import render_to_string

    for name, heading in [
        ("500.html", "Sorry, there is a problem with the service"),
        ("503.html", "Sorry, the service is unavailable"),
    ]:
        page = render_to_string(name)
        assert heading in page and 'href="/"' in page
        assert "Sign out" not in page  # no user on it: nothing read to render it


@pytest.mark.django_db(transaction=True)
def test_adding_a_setting_with_a_new_provider_leaves_no_provider_when_the_save_fails(
    commissioning,
):
    client = Client(raise_request_exception=False)
    client.force_login(commissioning)
    data = {
        "name": "Elm House",
        "urn": "SC999998",
        "provision_type": "childrens_home",
        "regulator": "ofsted",
        "registration_status": "active",
        "new_provider": "Elm Care Ltd",
    }
    gone = ServerGoesAway(when=statement('INSERT INTO "placements_setting"'))
    with connection.execute_wrapper(gone):
        response = client.post(reverse("placements:setting_create"), data)
    connection.close()
    assert gone.gone, response.content.decode()[:3000]
    assert response.status_code == 503
    assert not Setting.objects.filter(name="Elm House").exists()
    assert not Provider.objects.filter(name="Elm Care Ltd").exists()


# --- The same with a real server, stopped and started ----------------------------------------


PG_BIN = Path("/usr/lib/postgresql/15/bin")


class ThrowawayPostgres:
    """A PostgreSQL cluster of our own under /tmp, on a free port, run as ``postgres``."""

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="outage-pg-", dir="/tmp"))
        self.base.chmod(0o755)
        self.data = self.base / "data"
        self.data.mkdir()
        owner = pwd.getpwnam("postgres")
        os.chown(self.data, owner.pw_uid, owner.pw_gid)
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _pg(self, *args, check=True):
        command = ["runuser", "-u", "postgres", "--", *map(str, args)]
        return subprocess.run(
            command, cwd="/tmp", capture_output=True, text=True, check=check, timeout=120
        )

    def init(self):
        self._pg(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self):
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = self.data / "server.log"
        self._pg(PG_BIN / "pg_ctl", "-D", self.data, "-l", log, "-o", options, "-w", "start")

    def stop(self):
        """As a crash or a kill: no clean shutdown, every connection dropped."""
        self._pg(PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)

    def remove(self):
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


class Browser:
    """Cookies and CSRF tokens, no redirects followed: enough to use the site by HTTP."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base_url + path, data=body)
        if body is not None:
            req.add_header("Referer", self.base_url + path)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def token(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")


@pytest.mark.skipif(
    os.geteuid() != 0 or not (PG_BIN / "initdb").exists() or not shutil.which("runuser"),
    reason="needs root and PostgreSQL 15's initdb to run a throwaway cluster",
)
def test_a_real_postgresql_stopping_and_starting_under_gunicorn(tmp_path):
    """The service as deployed (gunicorn, persistent connections with health checks) on a
    cluster of its own: signed in, the server is killed, every page is the 503 page (and
    /healthz says so); started again, the same session carries on without a restart."""
    pg = ThrowawayPostgres()
    web = None
    web_log = tmp_path / "gunicorn.log"
    try:
        pg.init()
        pg.start()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "DATABASE_URL", "PGAPPNAME"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DEBUG="0",
            DATABASE_URL=pg.url,
            VAR_DIR=str(tmp_path / "var"),
            ALLOWED_HOSTS="127.0.0.1",
        )
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
        subprocess.run(
            [
                python,
                "-c",
                "import django; django.setup()\n"
                "from accounts.models import Role, Team, User\n"
                "team = Team.objects.create(name='North', kind='children_in_care')\n"
                f"User.objects.create_user('sw', password={PASSWORD!r}, role=Role.SOCIAL_WORKER,"
                " team=team, first_name='Sam', last_name='Worker')\n",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
        )
        port = free_port()
        with web_log.open("w") as log:
            web = subprocess.Popen(
                [
                    str(Path(python).parent / "gunicorn"),
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--timeout",
                    "60",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        browser = Browser(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                if browser.request("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        status, _, page = browser.request("/accounts/login/")
        assert status == 200
        status, headers, _ = browser.request(
            "/accounts/login/",
            {"username": "sw", "password": PASSWORD, "csrfmiddlewaretoken": browser.token()},
        )
        assert status == 302 and headers["Location"] == "/"
        status, _, page = browser.request("/")
        assert status == 200 and "Sam Worker" in page

        pg.stop()
        for path in ["/", "/worktray/"]:
            assert_service_unavailable_page(*browser.request(path))
        status, headers, page = browser.request(
            "/notifications/", {"csrfmiddlewaretoken": browser.token()}
        )
        assert_service_unavailable_page(status, headers, page)
        # A load balancer's check carries no session cookie: the view's own JSON answer.
        status, _, body = Browser(browser.base_url).request("/healthz")
        assert status == 503 and '"database": "unavailable"' in body

        pg.start()
        status, _, page = browser.request("/")
        assert status == 200 and "Sam Worker" in page  # same session, no restart
        log_text = web_log.read_text()
        assert "OperationalError" in log_text  # the operators' log has what the user did not
    finally:
        if web is not None:
            web.terminate()
            try:
                web.wait(timeout=20)
            except subprocess.TimeoutExpired:
                web.kill()
        pg.remove()


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


def stalls_on_the_third(real):
    def wrapper(*args, **kwargs):
        global calls
        calls += 1
        if calls == 3:
            print("STALLED", flush=True)
            time.sleep(300)  # SIGKILL arrives here
        return real(*args, **kwargs)

    return wrapper


if stage == "sending":
    alerts.send_mail = stalls_on_the_third(alerts.send_mail)
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


@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_sending_loses_no_alert_and_repeats_no_email(tmp_path, social_worker):
    today = timezone.localdate()
    overdue_duties(social_worker, 6, today)
    outbox = tmp_path / "mail"
    outbox.mkdir()

    run_and_kill_a_sweep("sending", outbox, today)

    assert Alert.objects.count() == 6 and Notification.objects.count() == 6
    statuses = list(Notification.objects.order_by("pk").values_list("email_status", flat=True))
    assert statuses == ["sent", "sent", "sending", "pending", "pending", "pending"]
    sent_by_the_dead = emails_in(outbox)
    assert len(sent_by_the_dead) == 2

    again = alerts.sweep(today=today)  # the next run: a new worker
    assert sum(again.alerts_created.values()) == 0
    assert again.emails_sent == 3  # the claim of the dead worker is still fresh
    with time_machine.travel(timezone.now() + alerts.STALE_CLAIM + timedelta(minutes=1)):
        last = alerts.sweep(today=today)
    assert last.emails_sent == 1

    everything = sent_by_the_dead + [(m.to[0], m.subject) for m in mail.outbox]
    expected = {(n.user.email, n.subject) for n in Notification.objects.select_related("user")}
    assert len(everything) == 6 and set(everything) == expected  # each exactly once
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}


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
