"""Timescales as data: the ``RuleValue`` rows an administrator edits, read and changed.

A workflow registers its :class:`duties.rules.Timescales` class (``register``), whose
fields name the rows, from its ``AppConfig.ready()``; a workflow with a single figure
reads it with :func:`value`. Changing a row (``duties.services.rule_value_set``, used by the
admin) checks the new value here (:func:`check`) against every registered class holding
that field, and, when one of them is a recomputed schedule's input
(:func:`recomputes`), recomputes every open duty once the change is committed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from typing import TypeVar

from django.core.exceptions import ValidationError

from .models import RuleValue
from .rules import Timescales

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=Timescales)


@dataclass(frozen=True)
class _Registered:
    cls: type[Timescales]
    recompute: bool


_registered: list[_Registered] = []


def register(cls: type[Timescales], *, recompute: bool) -> None:
    """Make ``cls``'s fields rules an administrator may change. ``recompute``: the duties
    are recomputed when one of them changes (a schedule's input)."""
    if not any(entry.cls is cls for entry in _registered):
        _registered.append(_Registered(cls, recompute))


def _names(cls: type[Timescales]) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def registered_names() -> frozenset[str]:
    """Every rule name a registered class declares."""
    names: frozenset[str] = frozenset()
    for entry in _registered:
        names |= _names(entry.cls)
    return names


def current(cls: type[T]) -> T:
    """The rules in force: the rows over the shipped defaults (one query).

    A rule without a row (a field added since the seed) keeps its default. Rows edited
    around :func:`rule_value_set` into values the class refuses must not stop the duties:
    the defaults stand in, loudly."""
    names = _names(cls)
    values = {
        name: value
        for name, value in RuleValue.objects.values_list("name", "value")
        if name in names
    }
    try:
        return cls(**values)
    except (TypeError, ValueError):
        logger.exception("RuleValue rows do not make a valid %s; using the defaults", cls.__name__)
        return cls.defaults()


def check(name: str, value: int) -> None:
    """ValidationError unless ``value`` may be given to rule ``name``: every registered
    class with that field must accept it with the other rules in force; a single figure
    (:func:`value`) must be at least 1."""
    owners = [entry.cls for entry in _registered if name in _names(entry.cls)]
    if not owners:
        if value < 1:
            raise ValidationError({"value": "The value must be at least 1."})
        return
    rows = dict(RuleValue.objects.values_list("name", "value"))
    for cls in owners:
        names = _names(cls)
        values = {n: v for n, v in rows.items() if n in names}
        values[name] = value
        try:
            cls(**values)
        except (TypeError, ValueError) as invalid:
            raise ValidationError({"value": str(invalid)}) from invalid


def seed_rule_values(**kwargs) -> int:
    """A row for every field of every registered class that has none, with the field's
    default, help text and source (rows that exist are left alone: an administrator may
    have changed them). Run after every ``migrate`` (``post_migrate``), so a timescale a
    workflow adds is in the admin at once. Returns how many rows it made."""
    existing = set(RuleValue.objects.values_list("name", flat=True))
    rows = []
    for entry in _registered:
        defaults = entry.cls.defaults()
        for name, (help_text, source) in entry.cls.field_help().items():
            if name not in existing:
                existing.add(name)
                rows.append(
                    RuleValue(
                        name=name,
                        value=getattr(defaults, name),
                        help_text=help_text,
                        source=source,
                    )
                )
    RuleValue.objects.bulk_create(rows)
    return len(rows)


def recomputes(name: str) -> bool:
    """Whether rule ``name`` is an input of a recomputed schedule."""
    return any(entry.recompute and name in _names(entry.cls) for entry in _registered)


def value(name: str, *, default: int, help_text: str, source: str) -> int:
    """A workflow's single figure (a risk assessment's days, an escalation stage's working
    days), created with its default, help text and source the first time it is read (or if
    an administrator deleted it)."""
    row, _ = RuleValue.objects.get_or_create(
        name=name, defaults={"value": default, "help_text": help_text, "source": source}
    )
    return row.value
