"""The permission matrix: every URL pattern, built from real records, requested as every
persona, against the table of who may see what (tests/permission_table.py).

A URL pattern without an entry in the table fails (test_every_url_pattern_has_an_entry).
A refusal leaks nothing: no child's name or ID, no setting's name or URN, and a 404 is
the very page a record that does not exist answers. No page names a child its reader may
not see.
"""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Duty, Notification
from duties.tests.factories import DutyFactory
from escalations.models import ActionPlan, Concern, LetterOfConcern, PlanAction
from placements.models import RegulatoryNotice
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping.models import RiskAssessment
from tests.permission_table import CHILD_KEYS, PERSONAS, SEES, TABLE
from tests.permission_table import parts as permission_parts
from visits.models import Visit
from visits.tests.factories import VisitFactory

SKIPPED_NAMESPACES = {"admin"}  # Django's admin: is_staff, tested in accounts/tests/test_sign_in.py
MISSING_PK = 999999
LOGIN_URL = "/accounts/login/"

CHILDREN = {
    "own": ("Ottoline", "Ownsworth", "CH70001"),
    "restricted": ("Rosamund", "Restrell", "CH70002"),
    "other": ("Octavia", "Otherbury", "CH70003"),
}
SETTING_NAME, SETTING_URN = "Quillon House", "SC771234"
VISITOR = "Vicky Visitor"


def url_patterns(resolver=None, namespace=""):
    """(namespace, namespace:name, pattern) for every URL pattern of the project."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield namespace, name, entry


def project_url_names() -> set[str]:
    names = set()
    for namespace, name, entry in url_patterns():
        if namespace.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        assert name, f"URL pattern {entry.pattern} has no name, so it cannot be in the table"
        names.add(name)
    return names


def test_every_url_pattern_has_an_entry():
    """A new URL without an entry in the table fails; so does an entry for a URL gone."""
    names = project_url_names()
    assert len(names) > 40
    assert names - set(TABLE) == set(), "URL patterns without an entry in the permission table"
    assert set(TABLE) - names == set(), "entries in the permission table for no URL pattern"
    for name, cases in TABLE.items():
        for case in cases:
            assert set(case.expect) == set(PERSONAS), f"{name}[{case.variant}] misses personas"
            assert set(case.wrong) <= set(PERSONAS)


# The world ------------------------------------------------------------------------------


def make_personas():
    """The personas of conftest.py, and a director and a personal adviser in the social
    worker's team (built here once for the module: see the world fixture)."""
    from accounts.models import Team
    from accounts.tests.factories import TeamFactory

    cic = TeamFactory(name="Children in Care North", kind=Team.Kind.CHILDREN_IN_CARE)
    south = TeamFactory(name="Children in Care South", kind=Team.Kind.CHILDREN_IN_CARE)
    senior = TeamFactory(name="Senior Leadership", kind=Team.Kind.MANAGEMENT)

    def team(name, kind):
        return TeamFactory(name=name, kind=kind)

    p = {}
    p["director"] = UserFactory(
        username="dir", first_name="Dana", last_name="Chief", role=Role.DIRECTOR, team=senior
    )
    p["assistant_director"] = UserFactory(
        username="ad",
        first_name="Alex",
        last_name="Director",
        role=Role.ASSISTANT_DIRECTOR,
        team=senior,
    )
    p["service_manager"] = UserFactory(
        username="sm",
        first_name="Sam",
        last_name="Manager",
        role=Role.SERVICE_MANAGER,
        team=senior,
        line_manager=p["assistant_director"],
    )
    p["team_manager"] = UserFactory(
        username="tm",
        first_name="Toni",
        last_name="Lead",
        role=Role.TEAM_MANAGER,
        team=cic,
        line_manager=p["service_manager"],
    )
    p["social_worker"] = UserFactory(
        username="sw",
        first_name="Sam",
        last_name="Worker",
        role=Role.SOCIAL_WORKER,
        team=cic,
        line_manager=p["team_manager"],
    )
    p["personal_adviser"] = UserFactory(
        username="pa",
        first_name="Pat",
        last_name="Adviser",
        role=Role.PERSONAL_ADVISER,
        team=cic,
        line_manager=p["team_manager"],
    )
    south_manager = UserFactory(
        username="tm2",
        first_name="Terry",
        last_name="Southgate",
        role=Role.TEAM_MANAGER,
        team=south,
        line_manager=p["service_manager"],
    )
    p["other_team_worker"] = UserFactory(
        username="sw2",
        first_name="Wren",
        last_name="Southgate",
        role=Role.SOCIAL_WORKER,
        team=south,
        line_manager=south_manager,
    )
    p["iro"] = UserFactory(
        username="iro",
        first_name="Ira",
        last_name="Reviewer",
        role=Role.IRO,
        team=team("IRO Service", Team.Kind.IRO_SERVICE),
    )
    p["lado"] = UserFactory(
        username="lado",
        first_name="Lee",
        last_name="Adebayo",
        role=Role.LADO,
        team=team("LADO Service", Team.Kind.LADO_SERVICE),
    )
    p["commissioning"] = UserFactory(
        username="comm",
        first_name="Cam",
        last_name="Commissioner",
        role=Role.COMMISSIONING_OFFICER,
        team=team("Commissioning", Team.Kind.COMMISSIONING),
    )
    p["administrator"] = UserFactory(
        username="admin",
        first_name="Ada",
        last_name="Admin",
        role=Role.ADMINISTRATOR,
        team=team("Business Support", Team.Kind.ADMINISTRATION),
        is_staff=True,
        is_superuser=True,
    )
    p["anonymous"] = None
    return p


def _child(variant, **fields):
    first, last, child_id = CHILDREN[variant]
    return ChildFactory(first_name=first, last_name=last, child_id=child_id, **fields)


def _ra(child, placement):
    today = timezone.localdate()
    return RiskAssessment.objects.create(
        child=child,
        setting=placement.setting,
        placement=placement,
        trigger=RiskAssessment.Trigger.INADEQUATE,
        owner=child.social_worker,
        opened_on=today,
        due=today + timedelta(days=5),
    )


def _concern(setting, child, actor):
    return Concern.objects.create(
        setting=setting,
        child=child,
        raised_by_name="A neighbour",
        raised_by_role="Member of the public",
        recorded_by=actor,
        what="Shouting late at night.",
        raised_on=date(2026, 2, 3),
    )


def make_world(personas):
    sw, other_sw = personas["social_worker"], personas["other_team_worker"]
    comm = personas["commissioning"]
    setting = SettingFactory(name=SETTING_NAME, urn=SETTING_URN)
    child = _child("own", team=sw.team, social_worker=sw, iro=personas["iro"])
    # Its personal adviser (Child.personal_adviser) sees it: not as a colleague in the team.
    restricted = _child(
        "restricted",
        team=sw.team,
        social_worker=sw,
        personal_adviser=personas["personal_adviser"],
        restricted=True,
    )
    other = _child("other", team=other_sw.team, social_worker=other_sw)
    placements = {
        c: PlacementFactory(child=c, setting=setting, decom=date(2025, 1, 6))
        for c in (child, restricted, other)
    }
    visit_fields = {"visitor": sw, "visitor_name": VISITOR, "setting": setting}
    w = {
        "setting": setting,
        "child": child,
        "restricted_child": restricted,
        "other_child": other,
        "placement": placements[child],
        "restricted_placement": placements[restricted],
        "visit": VisitFactory(child=child, placement=placements[child], **visit_fields),
        "draft_visit": VisitFactory(
            child=child,
            placement=placements[child],
            status=Visit.Status.DRAFT,
            visited_at=None,
            finished_at=None,
            **visit_fields,
        ),
        "restricted_visit": VisitFactory(
            child=restricted, placement=placements[restricted], **visit_fields
        ),
        "ra": _ra(child, placements[child]),
        "restricted_ra": _ra(restricted, placements[restricted]),
        "other_ra": _ra(other, placements[other]),
        "concern": _concern(setting, child, sw),
        "restricted_concern": _concern(setting, restricted, sw),
        "other_concern": _concern(setting, other, other_sw),
        "setting_concern": _concern(setting, None, comm),
        "letter": LetterOfConcern.objects.create(
            setting=setting,
            addressed_to="Morgan Owner",
            copy_to="Rita Ind",
            matters_of_concern="Restraints are not recorded.",
            required_actions="Record every restraint.",
            authority_action="Report the home to Ofsted.",
            drafted_by=comm,
        ),
        "plan": ActionPlan.objects.create(setting=setting, created_by=comm),
        "notice": RegulatoryNotice.objects.create(
            setting=setting,
            kind=RegulatoryNotice.Kind.CANCELLATION,
            notice_date=date(2026, 2, 2),
            recorded_by=comm,
        ),
        "notification": Notification.objects.create(
            user=sw, key="matrix", subject="A visit is due", body="", url="/"
        ),
    }
    w["action"] = PlanAction.objects.create(
        plan=w["plan"],
        action="Review restraints",
        lead="Registered manager",
        deadline=date(2026, 12, 1),
    )
    for c in (child, restricted, other):
        DutyFactory(child=c, setting=setting, placement=placements[c], due=timezone.localdate())
    Duty.objects.create(
        kind="risk_assessment",
        subject=f"risk_assessment:{w['restricted_ra'].pk}",
        child=restricted,
        setting=setting,
        owner=sw,
        due=timezone.localdate(),
    )
    for part in permission_parts():
        before = dict(w)
        part.extend_world(w, personas)
        # A part adds to the world; one that replaced another's record ("plan": an action
        # plan, then a child's plan) would test every URL built from it against the wrong one.
        replaced = [key for key, value in before.items() if w[key] is not value]
        assert not replaced, f"{part.__name__} replaced the world's {replaced}"
    return w


@pytest.fixture(scope="module")
def everything(django_db_setup, django_db_blocker):
    """Personas and world, built once for the module inside a transaction that is rolled
    back at its end. Each test runs in a savepoint within it (pytest-django's django_db),
    so what one request changes (a POST) is undone before the next: every (URL, persona)
    starts from the same world."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            personas = make_personas()
            world = make_world(personas)
            # One signed-in session a persona, made once (force_login per test is slow).
            sessions = {}
            for persona, user in personas.items():
                if user is not None:
                    signed_in = Client()
                    signed_in.force_login(user)
                    sessions[persona] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
            yield personas, world, sessions
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def personas(everything, db):
    return everything[0]


@pytest.fixture
def world(everything, db):
    return everything[1]


@pytest.fixture
def sessions(everything, db):
    return everything[2]


# The requests ---------------------------------------------------------------------------


class FakeHTML:
    """WeasyPrint stand-in: the PDF's HTML, so that a PDF is fast and can be read."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, *args, **kwargs):
        return self.string.encode()


def outcome(response, method: str) -> str:
    status = response.status_code
    if status == 302:
        return "login" if response["Location"].startswith(LOGIN_URL) else "ok"
    if 200 <= status < 300 or (status == 400 and method == "post"):
        return "ok"
    return str(status)


def normalised(response) -> str:
    text = response.content.decode(errors="replace")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'name="csrf-token" content="[^"]*"', "", text)
    text = re.sub(r"nonce=\"[^\"]*\"", "", text)
    return re.sub(r"/[\w\-/.]*\d+[\w\-/.]*", "<path>", text)


def unseen_children(persona: str) -> list[str]:
    return [variant for variant, seers in SEES.items() if persona not in seers]


def _params():
    for name, cases in TABLE.items():
        for case in cases:
            for persona in PERSONAS:
                marks = ()
                if persona in case.wrong:
                    marks = pytest.mark.xfail(strict=True, reason=case.wrong[persona])
                label = f"{name}[{case.variant}]" if case.variant else name
                yield pytest.param(name, case, persona, id=f"{label}-{persona}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case", "persona"), list(_params()))
def test_permission_matrix(client, monkeypatch, sessions, world, name, case, persona):
    monkeypatch.setattr("weasyprint.HTML", FakeHTML)
    if persona in sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[persona]
    kwargs = case.kwargs(world)
    url = reverse(name, kwargs=kwargs)
    request = getattr(client, case.method)
    with CaptureQueriesContext(connection) as refused_queries:
        response = request(url)
    expected = case.expect[persona]
    got = outcome(response, case.method)
    where = f"{case.method.upper()} {url} as {persona}"
    assert got == expected, f"{where}: expected {expected}, got {response.status_code}"

    body = response.content.decode(errors="replace")
    # No page names, or gives the ID of, a child its reader may not see.
    for variant in unseen_children(persona):
        for word in CHILDREN[variant]:
            assert word not in body, f"{where} shows {word} of the {variant} child"

    if got in ("403", "404"):
        # A refusal leaks nothing: no child, no setting, nothing not in the URL.
        for words in CHILDREN.values():
            for word in words:
                assert word not in body, f"{where} refused, but shows {word}"
        for word in (SETTING_NAME, SETTING_URN, VISITOR):
            assert word not in body, f"{where} refused, but shows {word}"
    if got in ("403", "404") and kwargs:
        # ...and answers as a record that does not exist does: the same page, by the same
        # road (the same number of queries: no different timing branch). A 403 of a record
        # the persona sees but may not act on is the one refusal that may differ.
        missing = reverse(name, kwargs=dict.fromkeys(kwargs, MISSING_PK))
        with CaptureQueriesContext(connection) as missing_queries:
            absent = request(missing)
        if got == "404" or absent.status_code == 403:
            assert absent.status_code == response.status_code, f"{missing}: {absent.status_code}"
            assert normalised(response) == normalised(absent), f"{where}: unlike a missing one"
            assert len(refused_queries) == len(missing_queries), (
                f"{where}: {len(refused_queries)} queries, {len(missing_queries)} for a "
                "missing record: " + " | ".join(q["sql"][:120] for q in refused_queries)
            )


def test_the_world_is_as_the_table_says(personas, world):
    """The SEES column of the table agrees with placements.selectors for the world."""
    from placements.selectors import children_visible_to

    for persona, user in personas.items():
        if user is None:
            continue
        visible = set(children_visible_to(user).values_list("pk", flat=True))
        for variant, key in CHILD_KEYS.items():
            assert (world[key].pk in visible) == (persona in SEES[variant]), (persona, variant)
