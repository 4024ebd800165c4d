"""Bringing a subject's open rows into line with what its workflow says is due.

A recomputer (``registry.Recomputer``) answers, for one child or setting, the rows it
should have: a :class:`Want` per (kind, subject). :func:`reconcile` compares them with
the open rows and decides, for each:

- the answer is unchanged: the row is updated in place if its owner or words moved;
- a qualifying input (a visit, a review) moved the due date: the row is **done**
  (``done_on`` = the input's date, ``done_by`` = the input, "visit:12") and a new open
  row carries the next due date;
- anything else moved it (a rule, an override, a reallocation): updated in place;
- the duty no longer arises (it would fall after the placement ends, a one-off duty no
  longer applies), its placement has ended, or the recomputer no longer wants it: the
  row is **cancelled**, keeping its due date, so a missed duty stays on the record.

Which input discharged a row is found by asking the workflow's rule itself
(``Want.answer``): the row matches the answer for the inputs up to some point, and the
next input is the one that changed it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date

from django.db import connection

from .models import Duty
from .rules import Due

# How many earlier answers to try when looking for the input that discharged a row.
DISCHARGE_SEARCH = 60

# Duty.basis / Duty.source lengths: the rule's words are cut to fit, the same way every
# time, so that an unchanged answer is recognised as unchanged.
_BASIS_MAX = Duty._meta.get_field("basis").max_length
_SOURCE_MAX = Duty._meta.get_field("source").max_length


@dataclass
class Want:
    """What one (kind, subject) should be, with what is needed to explain a change."""

    kind: str
    subject: str
    due: Due | None
    active: bool = True  # False: the placement has ended, no open row may stay
    placement_id: int | None = None
    setting_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    #: The rule's answer for the first k inputs; None: no input discharges this duty.
    answer: Callable[[int], Due | None] | None = None
    #: (date, record as a subject, "visit:12") of each qualifying input, in order.
    inputs: Sequence[tuple[date, str]] = ()


@dataclass
class Stats:
    children: int = 0
    batches: int = 0
    created: int = 0
    updated: int = 0
    done: int = 0
    cancelled: int = 0
    unchanged: int = 0
    errors: int = 0
    retries: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.done + self.cancelled

    def add(self, other: Stats) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def summary(self) -> str:
        return (
            f"children: {self.children:,} in {self.batches:,} "
            f"batch{'es' if self.batches != 1 else ''}; duties created "
            f"{self.created:,}, updated {self.updated:,}, done {self.done:,}, cancelled "
            f"{self.cancelled:,}, unchanged {self.unchanged:,}; errors {self.errors:,}"
        )


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same(duty: Duty, due: Due | None) -> bool:
    return due is not None and duty.due == due.due and duty.due_at == due.due_at


def _discharger(duty: Duty, want: Want) -> tuple[date, str] | None:
    """The input that moved ``duty`` on, if one did.

    The row is the rule's answer for the first k inputs (largest such k); input k+1 is
    the one that discharged it. None when the full set still gives the row's answer, or
    no prefix does (something else, such as a rule, moved it).
    """
    if want.answer is None:
        return None
    n = len(want.inputs)
    for k in range(n, max(-1, n - DISCHARGE_SEARCH - 1), -1):
        if _same(duty, want.due if k == n else want.answer(k)):
            return None if k == n else want.inputs[k]
    return None


def _apply_want(duty: Duty, want: Want) -> bool:
    """Copy the wanted answer and its owner onto an open row; True if anything changed."""
    due = want.due
    assert due is not None
    values = {
        "due": due.due,
        "due_at": due.due_at,
        "owner_id": want.owner_id,
        "team_id": want.team_id,
        "placement_id": want.placement_id,
        "setting_id": want.setting_id,
        "basis": _cut(due.basis, _BASIS_MAX),
        "source": _cut(due.source, _SOURCE_MAX),
    }
    changed = False
    for name, value in values.items():
        if getattr(duty, name) != value:
            setattr(duty, name, value)
            changed = True
    return changed


def new_row(want: Want, *, child_id: int | None = None, setting_id: int | None = None) -> Duty:
    duty = Duty(
        kind=want.kind,
        subject=want.subject,
        child_id=child_id,
        setting_id=setting_id,
        status=Duty.Status.OPEN,
    )
    _apply_want(duty, want)
    return duty


def reconcile(
    wants: list[Want], existing: list[Duty], stats: Stats, new: Callable[[Want], Duty]
) -> tuple[list[Duty], list[Duty]]:
    """(rows to update, rows to create) for one subject; ``new(want)`` makes a fresh row."""
    to_update: list[Duty] = []
    to_create: list[Duty] = []
    rows: dict[tuple[str, str], Duty] = {}
    for duty in existing:
        key = (duty.kind, duty.subject)
        if key in rows:  # cannot happen under the partial unique index; heal if it does
            duty.status = Duty.Status.CANCELLED
            to_update.append(duty)
            stats.cancelled += 1
        else:
            rows[key] = duty
    for want in wants:
        duty = rows.pop((want.kind, want.subject), None)
        live = want.active and want.due is not None
        if duty is None:
            if live:
                to_create.append(new(want))
                stats.created += 1
            continue
        if live and _same(duty, want.due):
            if _apply_want(duty, want):
                to_update.append(duty)
                stats.updated += 1
            else:
                stats.unchanged += 1
            continue
        discharged = _discharger(duty, want)
        if discharged is not None:
            duty.status = Duty.Status.DONE
            duty.done_on, duty.done_by = discharged
            to_update.append(duty)
            stats.done += 1
            if live:
                to_create.append(new(want))
                stats.created += 1
        elif live:
            _apply_want(duty, want)
            to_update.append(duty)
            stats.updated += 1
        else:
            duty.status = Duty.Status.CANCELLED
            to_update.append(duty)
            stats.cancelled += 1
    for duty in rows.values():  # rows the subject no longer has
        duty.status = Duty.Status.CANCELLED
        to_update.append(duty)
        stats.cancelled += 1
    return to_update, to_create


_UPDATE_FIELDS = [
    "due",
    "due_at",
    "status",
    "done_on",
    "done_by",
    "owner",
    "team",
    "placement",
    "setting",
    "basis",
    "source",
    "updated_at",
]
_UPDATE_CHUNK = 4000  # rows per UPDATE: 13 parameters each, well under PostgreSQL's 65,535


def update_rows(rows: list[Duty]) -> None:
    """Write the changed rows in one UPDATE per 4,000 rows.

    On PostgreSQL an ``UPDATE ... FROM (VALUES ...)``: Django's bulk_update builds a
    CASE expression per row and field, which costs seconds of Python per batch when a
    rule edit moves every duty. Elsewhere (the SQLite of a laptop) bulk_update.
    """
    if connection.vendor != "postgresql":
        Duty.objects.bulk_update(rows, _UPDATE_FIELDS, batch_size=_UPDATE_CHUNK)
        return
    qn = connection.ops.quote_name
    model_fields = [Duty._meta.get_field(name) for name in _UPDATE_FIELDS]
    columns = ", ".join(qn(f.column) for f in model_fields)
    assignments = ", ".join(
        f"{qn(f.column)} = v.{qn(f.column)}::{f.db_type(connection)}" for f in model_fields
    )
    row_sql = "(" + ", ".join(["%s"] * (1 + len(model_fields))) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _UPDATE_CHUNK):
            chunk = rows[start : start + _UPDATE_CHUNK]
            params: list = []
            for duty in chunk:
                params.append(duty.pk)
                params.extend(
                    f.get_db_prep_save(getattr(duty, f.attname), connection) for f in model_fields
                )
            cursor.execute(
                f"UPDATE {qn(Duty._meta.db_table)} AS d SET {assignments} "  # noqa: S608
                f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v(id, {columns}) "
                "WHERE d.id = v.id::bigint",
                params,
            )
