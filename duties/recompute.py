"""Recomputing the rows of the kinds workflows recompute: on a change, and nightly.

When an input changes (a placement starts, changes or ends, a visit or review is
recorded, a rule is edited, a child is reallocated) the code that changed it calls
:func:`refresh_for_children` (the engine's receivers do so for the register's events);
:func:`recompute_all` (the nightly task ``visits.recompute_all_duties``, named so before
the engine had an app of its own) walks every candidate in keyset batches with a fixed
number of queries per batch. Each registered ``registry.Recomputer`` answers what its
rows should be (``duties.reconcile``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from placements.models import Child, Placement, Setting

from . import registry
from .models import Duty
from .reconcile import Stats, new_row, reconcile, update_rows

logger = logging.getLogger(__name__)

BATCH = 500

_SCOPE_FIELD = {"child": "child_id", "setting": "setting_id"}


def _prepare(scope: registry.Scope, today: date) -> dict[str, object]:
    """Each recomputer's state for one refresh (the rules in force, say): read once."""
    return {spec.name: spec.prepare(today) for spec in registry.recomputers(scope)}


def _open_rows(scope: registry.Scope, ids: Sequence[int]) -> dict[tuple[str, int], list[Duty]]:
    """The open rows of these subjects that a recomputer keeps, locked, by (recomputer,
    subject's pk): one query."""
    field = _SCOPE_FIELD[scope]
    specs = registry.recomputers(scope)
    rows = (
        Duty.objects.filter(**{f"{field}__in": ids})
        .filter(kind__in=registry.recomputed_kinds(scope), status=Duty.Status.OPEN)
        .select_for_update()
        .order_by("pk")
    )
    existing: dict[tuple[str, int], list[Duty]] = defaultdict(list)
    for duty in rows:
        for spec in specs:
            if spec.owns(duty.kind, duty.subject):
                existing[(spec.name, getattr(duty, field))].append(duty)
                break
    return existing


def _refresh_batch(scope: registry.Scope, ids: Sequence[int], states: dict[str, object]) -> Stats:
    """Recompute the rows of these children (or settings): a fixed number of queries, one
    transaction."""
    stats = Stats(children=len(ids), batches=1)
    specs = registry.recomputers(scope)
    field = _SCOPE_FIELD[scope]
    with transaction.atomic():
        existing = _open_rows(scope, ids)
        to_update: list[Duty] = []
        to_create: list[Duty] = []
        for spec in specs:
            state = states[spec.name]
            batch = spec.load(ids, state)
            for pk in ids:
                mine = existing.get((spec.name, pk), [])
                try:
                    wants = spec.wants(pk, batch, state, {duty.subject for duty in mine})
                except (TypeError, ValueError):
                    # A fact the rules refuse must not stop every other subject's duties
                    # (nor the change being recorded): leave this one's rows as they are.
                    logger.exception("Cannot compute the %s duties of %s %s", spec.name, scope, pk)
                    stats.errors += 1
                    continue
                if scope == "setting":
                    for want in wants:
                        want.setting_id = want.setting_id or pk

                def new(want, pk=pk):
                    return new_row(want, **{field: pk})

                updates, creates = reconcile(wants, mine, stats, new)
                to_update += updates
                to_create += creates
        now = timezone.now()
        for duty in to_update:
            duty.updated_at = now
        if to_update:
            update_rows(to_update)
        if to_create:
            Duty.objects.bulk_create(to_create)
    return stats


def _is_retryable(error: Exception) -> bool:
    """A duplicate open row from an overlapping run, or a deadlock between two runs."""
    if isinstance(error, IntegrityError):
        return True
    cause = getattr(error, "__cause__", None)
    return type(cause).__name__ in {"DeadlockDetected", "SerializationFailure"}


def _refresh_batch_retrying(
    scope: registry.Scope, ids: Sequence[int], states: dict[str, object]
) -> Stats:
    """An overlapping run (the nightly job and a service, say) can insert the same open
    row first: the batch is rolled back and run once more, reading what that run wrote."""
    try:
        return _refresh_batch(scope, ids, states)
    except (IntegrityError, OperationalError) as error:
        if not _is_retryable(error):
            raise
        logger.warning("Duties of %s %ss changed under us; retrying", len(ids), scope)
        stats = _refresh_batch(scope, ids, states)
        stats.retries += 1
        return stats


def refresh(scope: registry.Scope, ids: Iterable[int], *, today: date | None = None) -> Stats:
    ids = sorted({int(pk) for pk in ids})
    stats = Stats()
    if not ids or not registry.recomputers(scope):
        return stats
    states = _prepare(scope, today or timezone.localdate())
    for start in range(0, len(ids), BATCH):
        stats.add(_refresh_batch_retrying(scope, ids[start : start + BATCH], states))
    return stats


def refresh_for_children(child_ids: Iterable[int], *, today: date | None = None) -> int:
    """Recompute the duties of these children now; returns how many rows changed.

    For whatever changes an input: a placement started, changed or ended, a visit
    finished, a LAC review recorded, a child reallocated, an override agreed. Safe inside
    the caller's transaction (the rows change with it) and outside one.
    """
    return refresh("child", child_ids, today=today).changed


def refresh_for_settings(setting_ids: Iterable[int], *, today: date | None = None) -> int:
    """As :func:`refresh_for_children`, for the duties owed about settings."""
    return refresh("setting", setting_ids, today=today).changed


def children_to_recompute(today: date) -> QuerySet[Child]:
    """Children with a placement open on ``today`` or later, with an open row of a
    recomputed kind, or named by a recomputer's own candidates."""
    open_placement = Placement.objects.filter(child=OuterRef("pk")).filter(
        Q(dec__isnull=True) | Q(dec__gt=today)
    )
    open_duty = Duty.objects.filter(
        child=OuterRef("pk"), status=Duty.Status.OPEN, kind__in=registry.recomputed_kinds("child")
    )
    found = Exists(open_placement) | Exists(open_duty)
    for spec in registry.recomputers("child"):
        if spec.candidates is not None:
            found |= Q(pk__in=spec.candidates(today))
    return Child.objects.filter(found)


def settings_to_recompute(today: date) -> QuerySet[Setting]:
    """Settings with an open row of a recomputed kind, or named by a recomputer."""
    found = Exists(
        Duty.objects.filter(
            setting=OuterRef("pk"),
            child__isnull=True,
            status=Duty.Status.OPEN,
            kind__in=registry.recomputed_kinds("setting"),
        )
    )
    for spec in registry.recomputers("setting"):
        if spec.candidates is not None:
            found |= Q(pk__in=spec.candidates(today))
    return Setting.objects.filter(found)


def recompute_all(
    *,
    today: date | None = None,
    batch_size: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> Stats:
    """Recompute every candidate's duties: the nightly safety net.

    Children, then settings, are walked in primary-key order, ``batch_size`` at a time
    (keyset pagination: memory is bounded by the batch), each batch in its own
    transaction with a fixed number of queries. ``progress(done, total)`` is called after
    each batch; asking for it costs a COUNT query per scope.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    today = today or timezone.localdate()
    scopes: list[tuple[registry.Scope, QuerySet]] = []
    if registry.recomputers("child"):
        scopes.append(("child", children_to_recompute(today)))
    if registry.recomputers("setting"):
        scopes.append(("setting", settings_to_recompute(today)))
    candidates = [
        (scope, queryset.order_by("pk").values_list("pk", flat=True)) for scope, queryset in scopes
    ]
    total = sum(c.count() for _, c in candidates) if progress is not None else 0
    stats = Stats()
    done = 0
    for scope, queryset in candidates:
        states = _prepare(scope, today)
        last = 0
        while True:
            ids = list(queryset.filter(pk__gt=last)[:batch_size])
            if not ids:
                break
            stats.add(_refresh_batch_retrying(scope, ids, states))
            done += len(ids)
            last = ids[-1]
            if progress is not None:
                progress(done, total)
            if len(ids) < batch_size:
                break
    return stats
