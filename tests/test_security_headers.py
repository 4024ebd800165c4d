"""Security review: headers, inline script, CSRF, cookies and request size, on every page.

Every URL pattern (the product's and the admin site's) is requested with real objects
behind its parameters, as each of several signed-in people, and every answer (a page, a
redirect, a 403, a 404, a PDF) is checked for the security headers; every HTML page for
inline script and for a CSRF token in each POST form.

``manage.py check --deploy`` with the production settings is
accounts/tests/test_settings_and_jobs.py::test_check_deploy_is_clean_with_production_settings.
"""

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.tests.factories import PASSWORD
from duties.tests.factories import DutyFactory
from escalations.models import ActionPlan, Concern, LetterOfConcern, PlanAction
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping.models import RiskAssessment
from visits.models import Visit
from visits.tests.factories import VisitFactory

ROOT = Path(__file__).resolve().parents[1]

EXPECTED_HEADERS = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
# Script types a browser runs; anything else in a <script> (e.g. JSON data) is not code.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Third-party admin pages with an inline script, which the CSP blocks (so it is no hole):
# django-celery-beat's periodic task form loses only its "readable crontab" helper.
KNOWN_INLINE_SCRIPTS = {
    "/admin/django_celery_beat/periodictask/": "const readableCrontabs = JSON.parse(",
}


# --- Walking the URLconf --------------------------------------------------------------------


def all_url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def fill(pattern: str, entry: URLPattern, ids: dict) -> str:
    """The pattern with each parameter replaced by the id of a real object where one is
    known (by URL name and parameter, then by parameter), else a placeholder."""
    model_admin = getattr(entry.callback, "model_admin", None)

    def value(match):
        param = match.group(1)
        if (entry.name, param) in ids:
            return str(ids[entry.name, param])
        if param in ids:
            return str(ids[param])
        if model_admin is not None and param == "object_id":
            obj = model_admin.model._default_manager.order_by("pk").first()
            return str(obj.pk) if obj else "1"
        if model_admin is not None and param == "id":
            obj = model_admin.model._default_manager.order_by("pk").first()
            return str(obj.pk) if obj else "1"
        return "1" if param.endswith(("id", "pk")) else "x"

    url = re.sub(r"<(?:\w+:)?(\w+)>", value, pattern)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "x", url)
    return "/" + url.replace("^", "").replace("$", "").replace("\\", "")


def all_urls(ids: dict) -> list[str]:
    urls = []
    for pattern, entry in all_url_patterns():
        url = fill(pattern, entry, ids)
        if url not in urls:
            urls.append(url)
    return urls


# --- What a page must (not) carry -------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [word.lower() for word in words[1:]]
    return directives


class PageAudit(HTMLParser):
    """Inline script (elements, handlers, javascript: URLs) and POST forms without a token."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self.forms: list[dict] = []  # {"action", "token"}
        self._form = None
        self._script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}=...>")
            url = (value or "").strip().lower()
            if name in {"href", "src", "action", "formaction"} and url.startswith("javascript:"):
                self.js_urls.append(f"<{tag} {name}={value}>")
        if tag == "script":
            kind = (attributes.get("type") or "").strip().lower()
            if not attributes.get("src") and kind in SCRIPT_TYPES:
                self._script = []
        elif tag == "form":
            method = (attributes.get("method") or "get").lower()
            self._form = {"action": attributes.get("action"), "post": method == "post"}
            self._form["token"] = False
            self.forms.append(self._form)
        elif (
            tag == "input"
            and self._form is not None
            and attributes.get("name") == "csrfmiddlewaretoken"
            and attributes.get("value")
        ):
            self._form["token"] = True

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script).strip()[:80])
            self._script = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)


def problems(url: str, response) -> list[str]:
    found = []
    for header, expected in EXPECTED_HEADERS.items():
        if response.get(header) != expected:
            found.append(f"{url}: {header} is {response.get(header)!r}")
    csp = csp_directives(response)
    script_src = csp.get("script-src", csp.get("default-src"))
    if script_src is None:
        found.append(f"{url}: no Content-Security-Policy script-src")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(script_src):
        found.append(f"{url}: script-src {' '.join(script_src)}")
    if csp.get("frame-ancestors") != ["'none'"]:
        found.append(f"{url}: frame-ancestors {csp.get('frame-ancestors')}")
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        audit = PageAudit()
        audit.feed(response.content.decode())
        found += [
            f"{url}: inline <script> {text!r}"
            for text in audit.inline_scripts
            if not any(
                url.startswith(prefix) and text.startswith(known)
                for prefix, known in KNOWN_INLINE_SCRIPTS.items()
            )
        ]
        found += [f"{url}: inline handler {text}" for text in audit.handlers]
        found += [f"{url}: javascript: URL {text}" for text in audit.js_urls]
        found += [
            f"{url}: POST form to {form['action']!r} without a CSRF token"
            for form in audit.forms
            if form["post"] and not form["token"]
        ]
    return found


# --- Objects behind every parameter ---------------------------------------------------------


@pytest.fixture
def world(social_worker, team_manager, service_manager, commissioning, administrator, iro):
    today = timezone.localdate()
    setting = SettingFactory(name="Birch House")
    child = ChildFactory(
        team=social_worker.team, social_worker=social_worker, iro=iro, restricted=True
    )
    placement = PlacementFactory(child=child, setting=setting, decom=today - timedelta(days=90))
    finished = VisitFactory(
        child=child, visitor=social_worker, placement=placement, setting=setting, on=today
    )
    draft = VisitFactory(
        child=child,
        visitor=social_worker,
        created_by=social_worker,
        status=Visit.Status.DRAFT,
        visited_at=None,
        finished_at=None,
    )
    DutyFactory(child=child, due=today + timedelta(days=2))
    concern = Concern.objects.create(
        setting=setting,
        child=child,
        raised_by_name="Pat Carer",
        raised_by_role="School",
        recorded_by=social_worker,
        what="Restraint not logged",
        raised_on=today,
    )
    letter = LetterOfConcern.objects.create(
        setting=setting,
        matters_of_concern="Restraint",
        required_actions="Log every restraint",
        authority_action="Stop placing",
        addressed_to="Oak Care Ltd",
        drafted_by=commissioning,
    )
    plan = ActionPlan.objects.create(setting=setting, created_by=commissioning)
    action = PlanAction.objects.create(
        plan=plan, action="Train staff", lead="Manager", deadline=today + timedelta(days=30)
    )
    ra = RiskAssessment.objects.create(
        child=child,
        setting=setting,
        placement=placement,
        trigger=RiskAssessment.Trigger.INADEQUATE,
        owner=social_worker,
        opened_on=today,
        due=today + timedelta(days=5),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.models import Plan

    child_plan = Plan(
        child=child,
        kind="care_plan",
        completed_on=today,
        attachment_name="plan.pdf",
        attachment_type="application/pdf",
    )
    child_plan.attachment.save("plan.pdf", SimpleUploadedFile("plan.pdf", b"%PDF-1.7"), save=False)
    child_plan.save()
    ids = {
        "child_pk": child.pk,
        "setting_pk": setting.pk,
        "plan_pk": plan.pk,
        "pk": child.pk,
        **{(name, "pk"): child.pk for name in ["child", "child_pdf", "child_allocate"]},
        ("placement_start", "pk"): child.pk,
        ("placement_end", "pk"): placement.pk,
        **{
            (name, "pk"): setting.pk
            for name in ["setting", "setting_edit", "inspection_create", "notice_create"]
        },
        **{(name, "pk"): finished.pk for name in ["visit", "visit_pdf", "visit_amend"]},
        ("visit_edit", "pk"): draft.pk,
        ("concern", "pk"): concern.pk,
        **{
            (name, "pk"): letter.pk
            for name in [
                "letter",
                "letter_edit",
                "letter_issue",
                "letter_delivery",
                "letter_representations",
            ]
        },
        ("letter_pdf", "pk"): letter.pk,
        ("plan", "pk"): plan.pk,
        **{(name, "pk"): child_plan.pk for name in ["plan_edit", "plan_document"]},
        **{(name, "pk"): action.pk for name in ["action_edit", "action_complete"]},
        **{
            (name, "pk"): ra.pk
            for name in [
                "risk_assessment",
                "risk_assessment_edit",
                "risk_assessment_sign",
                "risk_assessment_return",
                "risk_assessment_pdf",
            ]
        },
    }
    return ids


def not_private(url: str, response) -> list[str]:
    """An answer to a signed-in person is kept by no cache, shared or the browser's
    (a child's record, a list, a CSV, a PDF)."""
    directives = {part.strip() for part in response.get("Cache-Control", "").lower().split(",")}
    if {"no-store", "private"} <= directives:
        return []
    return [f"{url}: Cache-Control is {response.get('Cache-Control')!r}"]


def walk(client, urls) -> tuple[list[str], dict[int, int]]:
    """Every URL as the client's signed-in user: the security headers, and no caching."""
    found, statuses = [], {}
    for url in urls:
        response = client.get(url)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        found += problems(url, response) + not_private(url, response)
    return found, statuses


@pytest.mark.django_db
def test_every_page_for_administrator_and_commissioning_has_headers_no_inline_script_and_tokens(
    client, world, administrator, commissioning
):
    urls = all_urls(world)
    assert len(urls) > 200  # the product's pages and the admin site's
    found = []
    for user in (administrator, commissioning):
        client.force_login(user)
        user_found, statuses = walk(client, urls)
        found += [f"[{user.username}] {problem}" for problem in user_found]
        assert statuses.get(200, 0) > 20, (user.username, statuses)
    assert found == []


@pytest.mark.django_db
def test_every_product_page_for_caseworker_and_managers_has_the_same(
    client, world, social_worker, team_manager, service_manager
):
    urls = [url for url in all_urls(world) if not url.startswith("/admin/")]
    found = []
    for user in (social_worker, team_manager, service_manager):
        client.force_login(user)
        user_found, statuses = walk(client, urls)
        found += [f"[{user.username}] {problem}" for problem in user_found]
        assert statuses.get(200, 0) > 15, (user.username, statuses)
    assert found == []


@pytest.mark.django_db
def test_pages_for_anonymous_visitors_and_error_pages_have_the_same(client, social_worker):
    found = []
    for url in ["/accounts/login/", "/healthz", "/", "/no-such-page/"]:
        found += problems(url, client.get(url))
    for _ in range(5):
        client.post(reverse("login"), {"username": "sw", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "sw", "password": PASSWORD})
    assert locked.status_code == 429
    found += problems("locked out", locked)
    client.force_login(social_worker)
    missing = client.get("/children/999999/")
    found += problems("404 signed in", missing) + not_private("404 signed in", missing)
    assert found == []


def test_the_audit_itself_finds_what_it_looks_for():
    class Fake(dict):
        streaming = False
        content = (
            b'<form method="post" action="/x"><input name="a"></form>'
            b'<form method="POST"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>'
            b'<form method="get"></form>'
            b'<script>alert(1)</script><script src="/s.js"></script>'
            b'<script type="application/json">{"a": 1}</script>'
            b'<a href="javascript:void(0)" onclick="x()">x</a>'
        )

        def get(self, key, default=None):
            return super().get(key, default)

    response = Fake(
        {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'",
            "X-Frame-Options": "SAMEORIGIN",
        }
    )
    found = problems("/", response)
    assert any("X-Frame-Options" in p for p in found)
    assert any("Referrer-Policy" in p for p in found)
    assert any("unsafe-inline" in p for p in found)
    assert any("frame-ancestors" in p for p in found)
    assert any("inline <script> 'alert(1)'" in p for p in found)
    assert sum("inline <script>" in p for p in found) == 1
    assert any("onclick" in p for p in found) and any("javascript:" in p for p in found)
    assert [p for p in found if "CSRF" in p] == ["/: POST form to '/x' without a CSRF token"]


# --- CSRF -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused_with_the_service_page(social_worker):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "sw", "password": PASSWORD})
    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    assert "The form could not be sent" in response.content.decode()
    assert "_auth_user_id" not in client.session

    client.force_login(social_worker)
    for url in [reverse("logout"), reverse("password_change"), reverse("duties:notifications")]:
        response = client.post(url, {"old_password": PASSWORD})
        assert response.status_code == 403, url
        assert "403_csrf.html" in [t.name for t in response.templates], url
    assert client.get(reverse("home")).status_code == 200  # still signed in: no sign-out


@pytest.mark.django_db
def test_the_token_in_the_sign_in_form_is_accepted(social_worker):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("login"), {"username": "sw", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and response.url == reverse("home")


# --- Cookies and HSTS -------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly_and_samesite(client, social_worker):
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": "sw", "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == "" and session["expires"] == ""  # ends with the browser
    csrf = client.get(reverse("login")).cookies.get("csrftoken") or client.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client

names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SESSION_COOKIE_AGE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "CSRF_COOKIE_NAME",
    "SECURE_PROXY_SSL_HEADER", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
]
out = {name: getattr(settings, name) for name in names}
client = Client(HTTP_X_FORWARDED_PROTO="https")
# The sign-in page touches no database (DATABASE_URL points at a closed port).
response = client.get("/accounts/login/", HTTP_HOST="placements.example.gov.uk")
out["status"] = response.status_code
out["headers"] = dict(response.headers)
cookie = response.cookies[settings.CSRF_COOKIE_NAME]
out["csrf_cookie"] = {k: cookie[k] for k in ("secure", "httponly", "samesite", "path", "domain")}
plain = Client().get("/accounts/login/", HTTP_HOST="placements.example.gov.uk")
out["plain_http"] = [plain.status_code, plain.get("Location")]
print(json.dumps(out, default=str))
"""


def test_production_settings_give_hsts_and_secure_host_only_cookies():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="production-probe-" + "k" * 50,
        ALLOWED_HOSTS="placements.example.gov.uk",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/none",
        REDIS_URL="redis://127.0.0.1:9/0",
    )
    script = (
        # The manifest storage needs collectstatic, which this checkout has not run: the
        # probe serves static files from the finders, as the test settings do.
        "import config.settings.production as p\n"
        "p.STORAGES = {**p.STORAGES, 'staticfiles': "
        "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        "p.WHITENOISE_USE_FINDERS = True\n" + PRODUCTION_PROBE
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["DEBUG"] is False
    assert out["SECURE_SSL_REDIRECT"] is True
    assert out["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert out["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert out["SESSION_COOKIE_SECURE"] and out["SESSION_COOKIE_HTTPONLY"]
    assert out["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert out["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert out["SESSION_EXPIRE_AT_BROWSER_CLOSE"] and out["SESSION_COOKIE_AGE"] <= 30 * 60
    assert out["CSRF_COOKIE_SECURE"] and out["CSRF_COOKIE_HTTPONLY"]
    assert out["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert out["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert out["status"] == 200
    headers = out["headers"]
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    cookie = out["csrf_cookie"]
    assert cookie["secure"] is True and cookie["httponly"] is True
    assert cookie["samesite"] in ("Lax", "Strict")
    assert cookie["path"] == "/" and cookie["domain"] == ""  # __Host-: this host only
    # Plain HTTP is sent to HTTPS.
    assert out["plain_http"] == [301, "https://placements.example.gov.uk/accounts/login/"]


# --- Request size -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_form_body_over_the_limit_is_refused_before_it_is_read(client, social_worker, settings):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = "username=sw&password=" + PASSWORD + "&filler=" + "a" * (limit + 1)
    response = client.post(reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "There is a problem with your request" in response.content.decode()
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
    assert "_auth_user_id" not in client.session  # not processed: nobody signed in


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_though_django_alone_would_spool_it(
    client, social_worker, settings, tmp_path
):
    """A path that takes no upload (all but the plan form's): a multipart body is still
    parsed (CSRF reads request.POST), and Django's own limit does not count file parts."""
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    client.force_login(social_worker)
    with big.open("rb") as upload:
        response = client.post(reverse("duties:notifications"), {"file": upload})
    assert response.status_code == 413


@pytest.mark.django_db
def test_too_many_fields_are_refused(client, social_worker):
    fields = {f"f{i}": "x" for i in range(2000)}
    response = client.post(reverse("login"), {"username": "sw", "password": PASSWORD, **fields})
    assert response.status_code == 400
    assert "There is a problem with your request" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_body_under_the_limit_is_processed(client, social_worker):
    response = client.post(
        reverse("login"), {"username": "sw", "password": PASSWORD, "filler": "a" * 100_000}
    )
    assert response.status_code == 302


def test_the_only_file_field_is_the_plans_attachment():
    """Uploads limited by type and size: the plan's document is the only one, taken by the
    plan form alone (its checks are tested below and in plans/tests/test_documents.py).
    Another needs its type and size checks tested, and its view marked takes_upload."""
    from django.apps import apps
    from django.db.models import FileField

    with_files = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
    ]
    assert with_files == ["plans.Plan.attachment"]
    templates = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if 'type="file"' in path.read_text() or "multipart/form-data" in path.read_text()
    ]
    assert templates == ["templates/plans/plan_form.html"]


@pytest.fixture
def plan_form(client, social_worker):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    client.force_login(social_worker)
    url = reverse("plans:plan_new", args=[child.pk])
    fields = {
        "kind": "care_plan",
        "completed_on_0": "2",
        "completed_on_1": "3",
        "completed_on_2": "2026",
        "completed_by_name": "Sam Worker",
    }

    def post(name: str, content: bytes):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        return client.post(url, {**fields, "attachment": upload})

    return post


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Europe/London")), tick=False)
def test_the_plan_document_is_checked_by_its_content_and_size(plan_form, settings):
    from plans.models import Plan

    # A program renamed as a PDF: refused by its first bytes, beside the field.
    refused = plan_form("care plan.pdf", b"MZ\x90\x00" + b"\0" * 60)
    assert refused.status_code == 200
    assert "its contents are not what its name says" in refused.content.decode()
    # One byte over the limit (a setting): refused beside the field, not with a 413.
    limit = settings.PLAN_ATTACHMENT_MAX_BYTES
    over = plan_form("care plan.pdf", b"%PDF-" + b"0" * (limit + 1 - 5))
    assert over.status_code == 200
    assert "The selected file must be 10 MB or smaller" in over.content.decode()
    assert not Plan.objects.exists()
    assert plan_form("care plan.pdf", b"%PDF-1.7\n").status_code == 302
    assert Plan.objects.get().attachment_type == "application/pdf"


@pytest.mark.django_db
def test_the_raised_body_limit_is_only_the_plan_forms(plan_form, client, settings):
    """Beyond the document's limit and the room for the other fields, the plan form too
    answers 413 before reading the body; every other path keeps its own limit."""
    settings.PLAN_ATTACHMENT_MAX_BYTES = 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    assert plan_form("big.pdf", b"%PDF-" + b"0" * (1024 * 1024)).status_code == 413
    # Within the document's limit and the room beside it: read, and refused by the form.
    refused = plan_form("small.pdf", b"%PDF-" + b"0" * 2048)
    assert refused.status_code == 200
    assert "The selected file must be 1 KB or smaller" in refused.content.decode()
