"""The kinds of dated duty, each registered by the workflow app that owns it.

The engine keeps every dated duty in one table (``duties.models.Duty``) and imports no
workflow. A workflow tells it about each kind of duty it opens, once, from its
``AppConfig.ready()``::

    from duties import registry

    registry.register(
        registry.DutyType(
            kind="risk_assessment",                 # Duty.kind: a contract
            label="Risk assessment",
            owner="The child's social worker or personal adviser",
            links=((r"risk_assessment:(\\d+)", "scoping:risk_assessment"),),
        )
    )

and, for kinds whose rows follow from facts kept elsewhere (a schedule), how to recompute
them for a batch of children or settings: a :class:`Recomputer` (``registry.recomputer``).
Kinds opened and closed step by step by their workflow's services (an escalation's stage,
a meeting's action) need none: the services call ``duties.services``.

Adding a kind of duty is a module in the workflow's own app and a registration there;
nothing in ``duties/`` changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from django.db.models import QuerySet

Scope = Literal["child", "setting"]


@dataclass(frozen=True)
class DutyType:
    """One kind of duty, as its workflow describes it."""

    #: The value in ``Duty.kind``: a contract (``deadlines --kind``, the CSVs, filters).
    kind: str
    #: What people call it, in lists and emails.
    label: str
    #: Who owns a duty of this kind, in words (the README and the admin say it).
    owner: str
    #: Where the duty is done: (a regex matching the whole subject, with the pk as its
    #: first group; the URL name taking ``pk``). The first that matches wins.
    links: tuple[tuple[str, str], ...] = ()
    #: A role that answers for every duty of this kind: it is in that role's worktray, and
    #: an unallocated one alerts the team's members of that role when the team has no
    #: manager to tell (a commissioning visit is the commissioning team's, not a person's).
    answered_by: str | None = None
    #: In the worktray of the IRO of the duty's child too (an IRO visit, a LAC review).
    childs_iro_answers: bool = False
    #: Followed by the IRO of the duty's child, whoever owns it: the heading of the section
    #: of the IRO's worktray that lists it ("Reviews due", "Reports awaited"); kinds with
    #: the same heading share a section. Empty: not followed.
    iro_follows: str = ""
    #: A visit to a child: counted in "visits on time this quarter".
    is_visit: bool = False
    #: Listed on the page of the setting it is about, with the child's name where the
    #: reader may see the child (the concern workflow's duties).
    on_setting_page: bool = False
    #: Where it sits in lists of kinds (filters, counts by kind).
    order: int = 100


@dataclass(frozen=True)
class Recomputer:
    """How a workflow recomputes the rows of some of its kinds, for a batch of subjects.

    ``prepare(today)`` runs once per refresh (the rules in force, fixed team ids);
    ``load(ids, state)`` reads what a batch needs in a fixed number of queries;
    ``wants(pk, batch, state, open_subjects)`` gives the rows one child (or setting)
    should have, as :class:`duties.reconcile.Want`. A ``TypeError`` or ``ValueError``
    for one subject leaves that subject's rows as they are (and is logged).
    """

    name: str
    scope: Scope
    kinds: tuple[str, ...]
    #: The subjects of this recomputer's rows (a regex matching the whole subject): rows of
    #: the same kinds with other subjects are opened and closed by services, not here.
    subjects: str
    prepare: Callable[[date], Any]
    load: Callable[[Sequence[int], Any], Any]
    wants: Callable[[int, Any, Any, set[str]], list]  # of duties.reconcile.Want
    #: More subjects to recompute nightly besides those with an open row of these kinds
    #: (children with a placement open today or later, say): ids, as a queryset.
    candidates: Callable[[date], QuerySet] | None = None

    def owns(self, kind: str, subject: str) -> bool:
        return kind in self.kinds and re.fullmatch(self.subjects, subject) is not None


@dataclass
class _Registry:
    types: dict[str, DutyType] = field(default_factory=dict)
    recomputers: list[Recomputer] = field(default_factory=list)
    links: list[tuple[re.Pattern, str]] = field(default_factory=list)


_registry = _Registry()


def register(*types: DutyType, extra_links: Iterable[tuple[str, str]] = ()) -> None:
    """Register kinds of duty. ``extra_links``: subject patterns of records that discharge
    duties (``visit:12``: the page of the visit), for ``Duty.done_by``."""
    for duty_type in types:
        existing = _registry.types.get(duty_type.kind)
        if existing is not None and existing != duty_type:
            raise ValueError(f"Duty kind {duty_type.kind!r} is registered twice")
        _registry.types[duty_type.kind] = duty_type
        for pattern, url_name in duty_type.links:
            _add_link(pattern, url_name)
    for pattern, url_name in extra_links:
        _add_link(pattern, url_name)


def _add_link(pattern: str, url_name: str) -> None:
    compiled = re.compile(pattern)
    if (compiled, url_name) not in _registry.links:
        _registry.links.append((compiled, url_name))


def recomputer(spec: Recomputer) -> None:
    """Register how some kinds' rows are recomputed (each kind registered first)."""
    unknown = [kind for kind in spec.kinds if kind not in _registry.types]
    if unknown:
        raise ValueError(f"Register the duty kinds {unknown} before their recomputer")
    if any(existing.name == spec.name for existing in _registry.recomputers):
        return
    _registry.recomputers.append(spec)


def kinds() -> list[DutyType]:
    """Every registered kind, in list order."""
    return sorted(_registry.types.values(), key=lambda t: (t.order, t.kind))


def get(kind: str) -> DutyType | None:
    return _registry.types.get(kind)


def label(kind: str) -> str:
    found = _registry.types.get(kind)
    return found.label if found else kind.replace("_", " ").capitalize()


def choices() -> list[tuple[str, str]]:
    """(value, label) of every kind, for filters."""
    return [(t.kind, t.label) for t in kinds()]


def labels() -> dict[str, str]:
    return {t.kind: t.label for t in kinds()}


def visit_kinds() -> tuple[str, ...]:
    return tuple(t.kind for t in kinds() if t.is_visit)


def setting_page_kinds() -> tuple[str, ...]:
    return tuple(t.kind for t in kinds() if t.on_setting_page)


def answered_by(role: str) -> tuple[str, ...]:
    """The kinds every member of ``role`` answers for."""
    return tuple(t.kind for t in kinds() if t.answered_by == role)


def childs_iro_kinds() -> tuple[str, ...]:
    return tuple(t.kind for t in kinds() if t.childs_iro_answers)


def iro_followed() -> list[tuple[str, tuple[str, ...]]]:
    """The sections of the IRO's worktray: (heading, kinds), in the order of their kinds."""
    sections: dict[str, list[str]] = {}
    for duty_type in kinds():
        if duty_type.iro_follows:
            sections.setdefault(duty_type.iro_follows, []).append(duty_type.kind)
    return [(heading, tuple(found)) for heading, found in sections.items()]


def recomputers(scope: Scope | None = None) -> list[Recomputer]:
    return [r for r in _registry.recomputers if scope is None or r.scope == scope]


def recomputed_kinds(scope: Scope | None = None) -> tuple[str, ...]:
    return tuple(kind for r in recomputers(scope) for kind in r.kinds)


def link(subject: str) -> str:
    """The page of a duty's (or a discharging record's) subject, or "" if none is known."""
    if not subject:
        return ""
    for pattern, url_name in _registry.links:
        if found := pattern.fullmatch(subject):
            try:
                return reverse(url_name, kwargs={"pk": int(found.group(1))})
            except NoReverseMatch:
                return ""
    return ""
