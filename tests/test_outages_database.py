"""Outages of PostgreSQL: the database going away mid-request, before the view runs, under
a real gunicorn; the 503 page instead of a traceback, and nothing half saved.

PostgreSQL failing is simulated in-process (``connection.execute_wrapper`` closes the
real connection under a chosen statement, so the driver fails as it does when the server
goes) and for real with a throwaway cluster started and stopped under /tmp. None of these
stops the shared server other test runs use.
"""

import http.cookiejar
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from duties.models import Alert, Notification
from placements.models import Provider, Setting
from tests.outage import (
    ROOT,
    assert_service_unavailable_page,
    free_port,
    post_finish,
)
from visits.models import Visit

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
