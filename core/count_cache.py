"""Counts over a caseload, and the lists rendered from them, kept until the caseload changes.

The worktray's headings, the per-worker and per-team tables, the deadlines and setting
pages' page counts are aggregates over every open duty (or placement) in the user's
scope: at 84,000 children a social worker's scope alone holds tens of thousands of
duties, and counting them on every request costs more than the rest of the page. The
counts change only when a duty, child, placement, member of staff or team is written, or
when the clock passes a due date or a 24-hour duty's ``due_at``.

So each count is kept in the ``counts`` cache under the *caseload version*: a PostgreSQL
sequence that triggers on those tables advance on every write (visits migration 0007;
on the staff table only writes to the columns a count reads: a sign-in's last_login
changes nothing, migration 0009; settings, whose names the kept worktray shows,
migration 0010). The rendered lists are kept the same way (``CountCache.fragment``: the
home worktray, /worktray/, /deadlines/, a setting's children placed): every row they list
is a duty or placement in the scope, and every name they show is of a child, setting,
placement, member of staff or team.
The triggers fire on every statement, whoever issues it (services, the set-based
recompute's ``UPDATE … FROM (VALUES …)``, ``bulk_create``, ``QuerySet.update``, raw SQL,
the admin), and again as each writing transaction commits, so a count read between a
write and its commit is not kept past the commit. A count is also keyed by the day (the
buckets move at midnight and on Mondays) and dropped once the clock passes the earliest
``due_at`` it depends on; ``COUNT_CACHE_SECONDS`` bounds any entry's life as a last
resort. Reading the version is one query per request; the count queries run only when
the caseload has changed.

Not on SQLite (a laptop's demo): no sequence, no cache, every count is computed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

#: The sequence the triggers advance (visits/migrations/0007).
VERSION_SEQUENCE = "visits_caseload_version"
#: The tables whose writes change a count: the triggers are on these.
WATCHED_TABLES = (
    "visits_duty",
    "placements_child",
    "placements_placement",
    "accounts_user",
    "accounts_team",
    "placements_setting",
)
CACHE_ALIAS = "counts"
DEFAULT_SECONDS = 300


def _cache():
    return caches[CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"]


def version() -> int | None:
    """The caseload version now, or None where there is none (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {VERSION_SEQUENCE}")  # noqa: S608 (a constant)
        return cursor.fetchone()[0]


class CountCache:
    """The counts of one request: the version is read once, at the first count asked."""

    _unread = object()

    def __init__(self, now: datetime | None = None):
        self.now = now or timezone.now()
        self._version: Any = self._unread

    @property
    def version(self) -> int | None:
        if self._version is self._unread:
            self._version = version()
        return self._version

    def get(
        self,
        parts: tuple,
        compute: Callable[[], Any],
        *,
        valid_until: Callable[[Any], datetime | None] | None = None,
    ) -> Any:
        """``compute()``'s value for ``parts``, from the cache if the caseload has not
        changed since it was stored. ``valid_until(value)`` is when the clock makes it
        wrong (the next ``due_at`` it counted as not yet overdue), or None."""
        cache = _cache()
        if isinstance(cache, DummyCache):  # no cache: no version to read either
            return compute()
        current = self.version
        if current is None:
            return compute()
        raw = repr(parts).encode()
        key = f"caseload:{current}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"
        found = cache.get(key)
        if found is not None:
            stored_parts, until, value = found
            if stored_parts == parts and (until is None or self.now < until):
                return value
        value = compute()
        until = valid_until(value) if valid_until else None
        seconds = getattr(settings, "COUNT_CACHE_SECONDS", DEFAULT_SECONDS)
        if until is not None:
            seconds = min(seconds, max(1, int((until - self.now).total_seconds()) + 1))
        cache.set(key, (parts, until, value), seconds)
        return value

    def fragment(
        self,
        parts: tuple,
        template: str,
        build: Callable[[], tuple[dict, datetime | None]],
        *,
        keep: tuple[str, ...] = (),
    ) -> tuple[str, dict]:
        """``template`` rendered with the context ``build()`` returns (with when the clock
        makes it wrong, as ``valid_until``), kept as a count is: a page's list between two
        changes to the caseload is one cache read. Returns the HTML and a context: the
        one ``build()`` made when it ran, else the values named in ``keep``, kept with the
        HTML for the rest of the page."""
        built: dict = {}

        def compute() -> dict:
            context, until = build()
            built.update(context)
            return {
                "html": render_to_string(template, context),
                "until": until,
                "kept": {name: context[name] for name in keep},
            }

        value = self.get(parts, compute, valid_until=lambda value: value["until"])
        return value["html"], built or value["kept"]
