"""Who may request which URL: the table tests/test_permission_matrix.py checks.

One entry per URL name (namespace:name). Each entry is a list of cases: a variant (which
record of the world the URL is built from), a kwargs builder, the HTTP method and the
expected outcome for every persona:

- "ok": 2xx, or a 302 somewhere other than the sign-in page (a form post, a redirect);
  for a POST also 400;
- "404" / "403" / "405": the refusal;
- "login": 302 to the sign-in page (anonymous users; and sign-out).

Expectations follow the design (README "Who sees what" and the views), not whatever the
code happens to answer. Where the code is wrong, the right answer is written here and the
case is listed in WRONG_TODAY, which the test marks xfail(strict=True) until the view is
fixed.

Django's own admin (namespace ``admin``) is not in the table: it is guarded by Django's
is_staff check, and accounts/tests/test_sign_in.py tests that anonymous users go to the
one sign-in page and that staff who are not administrators are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "social_worker",
    "personal_adviser",
    "other_team_worker",
    "team_manager",
    "service_manager",
    "iro",
    "lado",
    "commissioning",
    "assistant_director",
    "director",
    "administrator",
)
STAFF = tuple(p for p in PERSONAS if p != "anonymous")

# Who sees which child of the world (README "Who sees what"; placements.selectors):
# - own: Children in Care North, allocated to social_worker, IRO = iro;
# - restricted: the same team and social worker, restricted;
# - other: Children in Care South, allocated to other_team_worker.
SEES = {
    "own": {
        "social_worker",
        "personal_adviser",  # same team
        "team_manager",
        "service_manager",  # the team manager's line manager: the team is theirs
        "iro",  # reviews the child
        "lado",
        "commissioning",
        "assistant_director",
        "director",
    },
    # Only its allocated staff and their line managers up the chain: the social worker, its
    # personal adviser (Child.personal_adviser), the team manager and the service manager
    # above (who signs a restricted child's risk assessment off: issue 24, finding 2). Not a
    # colleague in the team, nor the roles that see every other child.
    "restricted": {"social_worker", "personal_adviser", "team_manager", "service_manager"},
    "other": {
        "other_team_worker",
        "service_manager",  # line manager of both team managers
        "lado",
        "commissioning",
        "assistant_director",
        "director",
    },
}

CASEWORKERS = {"social_worker", "personal_adviser", "other_team_worker"}
MANAGERS = {"team_manager", "service_manager"}
SEE_ALL = {"lado", "commissioning", "assistant_director", "director"}
SENIOR = {"assistant_director", "director"}
CHILD_LIST = CASEWORKERS | MANAGERS | SEE_ALL | {"iro"}  # placements.selectors.CHILD_LIST_ROLES
PLACING = CASEWORKERS | MANAGERS | {"commissioning"} | SENIOR
ALLOCATING = MANAGERS | SENIOR
REGISTER = {"commissioning"}
# Who prepares letters of concern (escalations.letters.LETTER_ROLES); deciding a concern
# level and issuing a letter are the senior managers' (tests/permission_escalations.py).
LETTER = MANAGERS | SENIOR | {"commissioning"}
LETTER_READ = LETTER | {"lado"}
WORKTRAY = CASEWORKERS | MANAGERS | SEE_ALL | {"iro"}  # everyone but the administrator
# Who may record a visit of some kind (visits.services.RECORDING_ROLES).
RECORDING = CASEWORKERS | MANAGERS | {"iro", "commissioning"}


@dataclass(frozen=True)
class Case:
    variant: str
    kwargs: Callable[[dict], dict]
    expect: dict[str, str]
    method: str = "get"
    # Persona -> why the code answers otherwise today (the lead fixes the view).
    wrong: dict[str, str] = field(default_factory=dict)


def _anon(expect: dict[str, str]) -> dict[str, str]:
    return {"anonymous": "login", **expect}


def everyone() -> dict[str, str]:
    return _anon(dict.fromkeys(STAFF, "ok"))


def roles(allowed: set[str]) -> dict[str, str]:
    """A role check and nothing else: the other roles are refused with 403."""
    return _anon({p: "ok" if p in allowed else "403" for p in STAFF})


def child_scoped(
    child: str, allowed_roles: set[str] | None = None, *, step: set[str] | None = None
):
    """A record of a child: the role check first (403), then the child (404 if not seen),
    then, with `step`, whose turn it is (403 for anyone else who sees the child)."""
    expect = {}
    for p in STAFF:
        if allowed_roles is not None and p not in allowed_roles:
            expect[p] = "403"
        elif p not in SEES[child]:
            expect[p] = "404"
        elif step is not None and p not in step:
            expect[p] = "403"
        else:
            expect[p] = "ok"
    return _anon(expect)


def child_then_role(child: str, allowed_roles: set[str]) -> dict[str, str]:
    """The child first (404 if not seen), then the role (403)."""
    return _anon(
        {
            p: "404" if p not in SEES[child] else ("ok" if p in allowed_roles else "403")
            for p in STAFF
        }
    )


def pk(key):
    return lambda w: {"pk": w[key].pk}


def kw(name, key):
    return lambda w: {name: w[key].pk}


CHILD_KEYS = {"own": "child", "restricted": "restricted_child", "other": "other_child"}


def per_child(build, kwarg="pk", children=("own", "restricted", "other"), **extra):
    return [
        Case(variant, kw(kwarg, CHILD_KEYS[variant]), build(variant), **extra)
        for variant in children
    ]


NONE = lambda w: {}  # noqa: E731

TABLE: dict[str, list[Case]] = {
    # accounts ---------------------------------------------------------------------------
    "home": [Case("", NONE, everyone())],
    "healthz": [Case("", NONE, dict.fromkeys(PERSONAS, "ok"))],
    # The admin pages of the models that moved out of visits: a permanent redirect to
    # where they are now (the admin itself then checks who may see them).
    "moved_admin": [
        Case("", lambda w: {"model": "rulevalue", "rest": ""}, _anon(dict.fromkeys(STAFF, "301")))
    ],
    # Signed-in users are sent on to their home page (redirect_authenticated_user).
    "login": [Case("", NONE, dict.fromkeys(PERSONAS, "ok"))],
    # Sign-out is a POST and ends at the sign-in page, whoever asks.
    "logout": [Case("", NONE, dict.fromkeys(PERSONAS, "login"), method="post")],
    "password_change": [Case("", NONE, everyone())],
    "password_change_done": [Case("", NONE, everyone())],
    # placements -------------------------------------------------------------------------
    "placements:children": [Case("", NONE, roles(CHILD_LIST))],
    "placements:child": per_child(lambda c: child_scoped(c, CHILD_LIST)),
    "placements:child_pdf": per_child(lambda c: child_scoped(c, CHILD_LIST)),
    "placements:child_allocate": per_child(lambda c: child_scoped(c, ALLOCATING)),
    "placements:placement_start": per_child(
        lambda c: child_scoped(c, PLACING), children=("own", "restricted")
    ),
    "placements:placements": [Case("", NONE, roles(CHILD_LIST))],
    "placements:placement_end": [
        Case("own", pk("placement"), child_scoped("own", PLACING)),
        Case("restricted", pk("restricted_placement"), child_scoped("restricted", PLACING)),
    ],
    # The provider register is public Ofsted information: every member of staff reads it.
    "placements:settings": [Case("", NONE, everyone())],
    "placements:setting_create": [Case("", NONE, roles(REGISTER))],
    "placements:setting": [Case("", pk("setting"), everyone())],
    "placements:setting_edit": [Case("", pk("setting"), roles(REGISTER))],
    "placements:inspection_create": [Case("", pk("setting"), roles(REGISTER))],
    # visits -----------------------------------------------------------------------------
    "duties:deadlines": [Case("", NONE, roles(CHILD_LIST))],
    "duties:worktray": [Case("", NONE, roles(WORKTRAY))],
    "duties:notifications": [Case("", NONE, everyone())],
    "visits:child_visits": per_child(lambda c: child_scoped(c), kwarg="child_pk"),
    # An empty POST: the list again with the form's errors (200) for those who may record
    # a visit of some kind; the LADO and senior managers record none (403).
    "visits:visit_new": per_child(
        lambda c: child_then_role(c, RECORDING),
        kwarg="child_pk",
        children=("own", "restricted"),
        method="post",
    ),
    "visits:visit": [
        Case("draft", pk("draft_visit"), child_scoped("own")),
        Case("finished", pk("visit"), child_scoped("own")),
        Case("restricted", pk("restricted_visit"), child_scoped("restricted")),
    ],
    # A draft is its visitor's (social_worker) and their line manager's to change.
    "visits:visit_edit": [
        Case(
            "draft", pk("draft_visit"), child_scoped("own", step={"social_worker", "team_manager"})
        )
    ],
    "visits:visit_amend": [
        Case("finished", pk("visit"), child_scoped("own", step={"social_worker", "team_manager"}))
    ],
    "visits:visit_pdf": [
        Case("finished", pk("visit"), child_scoped("own")),
        Case("restricted", pk("restricted_visit"), child_scoped("restricted")),
    ],
    # escalations ------------------------------------------------------------------------
    "escalations:notice_create": [Case("", pk("setting"), roles(REGISTER))],
    # Anyone may record a concern about a setting (escalations/views.py).
    "concerns:concern_create": [Case("", kw("setting_pk", "setting"), everyone())],
    "concerns:concern": [
        Case("own", pk("concern"), child_scoped("own")),
        Case(
            "restricted",
            pk("restricted_concern"),
            child_scoped("restricted"),
        ),
        Case("setting-only", pk("setting_concern"), everyone()),
    ],
    "concerns:level_history": [Case("", kw("setting_pk", "setting"), everyone())],
    "concerns:letter_create": [Case("", kw("setting_pk", "setting"), roles(LETTER))],
    "concerns:letter": [Case("", pk("letter"), roles(LETTER_READ))],
    "concerns:letter_edit": [Case("", pk("letter"), roles(LETTER))],
    "concerns:letter_representations": [Case("", pk("letter"), roles(LETTER))],
    "concerns:letter_pdf": [Case("", pk("letter"), roles(LETTER_READ))],
    "concerns:plan_create": [Case("", kw("setting_pk", "setting"), roles(LETTER), method="post")],
    "concerns:plan": [Case("", pk("plan"), roles(LETTER_READ))],
    "concerns:action_add": [Case("", kw("plan_pk", "plan"), roles(LETTER))],
    "concerns:action_edit": [Case("", pk("action"), roles(LETTER))],
    "concerns:action_complete": [Case("", pk("action"), roles(LETTER), method="post")],
    # scoping ----------------------------------------------------------------------------
    # The list is scoped (a caseworker's own; others what they may see): nobody is refused.
    "scoping:risk_assessments": [Case("", NONE, everyone())],
    "scoping:risk_assessment": [
        Case("own", pk("ra"), child_scoped("own")),
        Case("restricted", pk("restricted_ra"), child_scoped("restricted")),
    ],
    # An open risk assessment is the lead professional's (the social worker) to edit and sign.
    "scoping:risk_assessment_edit": [
        Case("own", pk("ra"), child_scoped("own", step={"social_worker"}))
    ],
    # An empty POST by the lead professional: "complete the sections" and back to the form.
    "scoping:risk_assessment_sign": [
        Case("own", pk("ra"), child_scoped("own", step={"social_worker"}), method="post")
    ],
    # An open risk assessment is not with a manager, so nobody may return it yet.
    "scoping:risk_assessment_return": [Case("own", pk("ra"), child_scoped("own", step=set()))],
    "scoping:risk_assessment_pdf": [
        Case("own", pk("ra"), child_scoped("own")),
        Case("restricted", pk("restricted_ra"), child_scoped("restricted")),
    ],
}


#: The parts kept in their own modules (tests/permission_<part>.py), in the order their
#: worlds are built (a part may use the objects of one before it); a part not named here
#: is merged after these, in name order.
FIRST_PARTS = (
    "escalations",
    "scoping_requests",
    "scoping_meetings",
    "visits_oversight",
    "reviews",
    "scoping_actions",
    "admissions",
)


def parts() -> list:
    """The part modules, in order."""
    import importlib
    from pathlib import Path

    found = sorted(
        path.stem.removeprefix("permission_")
        for path in Path(__file__).parent.glob("permission_*.py")
        if path.stem != "permission_table"
    )
    names = [n for n in FIRST_PARTS if n in found] + [n for n in found if n not in FIRST_PARTS]
    return [importlib.import_module(f"tests.permission_{name}") for name in names]


def _merge_parts() -> None:
    for part in parts():
        for name, cases in part.TABLE.items():
            assert name not in TABLE, f"{name} has two entries"
            TABLE[name] = cases


_merge_parts()
