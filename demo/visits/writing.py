"""Writing the demo visits, a chunk of children at a time (seed_visits).

Rows are built in memory a chunk of children at a time, with no query per child, and
written with one history row each ("Demo data"): on PostgreSQL with COPY, as a large
caseload has hundreds of thousands of visits (see USE_COPY), elsewhere with
bulk_create_with_history. A child who already has visits or reviews is left alone (a
second run adds nothing). The Duty rows are not written here: seed_demo runs
duties.recompute.recompute_all, so what is overdue is the engine's own answer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from placements.models import Child, Placement
from reviews.models import LacReview
from visits import schedule
from visits.models import ScheduleOverride, Visit, VisitKind

from .plan import _staff
from .rows import Row, _Generator

CHANGE_REASON = "Demo data"
CHILD_ID_PREFIX = "D"
BATCH = 1000  # rows per INSERT
CHUNK = 1000  # children per transaction and per progress line

Progress = Callable[[str], None]


@dataclass
class Summary:
    children: int = 0
    children_already: int = 0
    visits: int = 0
    reviews: int = 0
    overrides: int = 0
    by_kind: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        kinds = ", ".join(
            f"{VisitKind(kind).label.lower()} {n:,}" for kind, n in sorted(self.by_kind.items())
        )
        lines = [
            f"Visits: {self.visits:,} new for {self.children:,} children "
            f"({self.children_already:,} already had a history)",
            f"LAC reviews: {self.reviews:,} new",
        ]
        if kinds:
            lines.insert(1, f"  by kind: {kinds}")
        if self.overrides:
            lines.append(f"Short-break schedules agreed: {self.overrides:,}")
        return lines


def _demo_children_to_do() -> tuple[list[int], int]:
    """(pks of demo children without visits or reviews, in child ID order; how many have)."""
    rows = (
        Child.objects.filter(child_id__startswith=CHILD_ID_PREFIX)
        .annotate(
            has_visits=Exists(Visit.objects.filter(child=OuterRef("pk"))),
            has_reviews=Exists(LacReview.objects.filter(child=OuterRef("pk"))),
        )
        .order_by("child_id")
        .values_list("pk", "child_id", "has_visits", "has_reviews")
    )
    todo, already = [], 0
    for pk, child_id, has_visits, has_reviews in rows:
        if len(child_id) != 7 or not child_id[1:].isdigit():
            continue
        if has_visits or has_reviews:
            already += 1
        else:
            todo.append(pk)
    return todo, already


#: Write with PostgreSQL's COPY (ids drawn from the table's sequence) rather than
#: bulk_create_with_history: the same rows and history rows, several times faster for
#: the hundreds of thousands of visits of a large caseload. Other databases (and a
#: test comparing the two) use bulk_create_with_history.
USE_COPY = True


def _column_defaults(model, now: datetime) -> dict[str, object]:
    defaults: dict[str, object] = {}
    for f in model._meta.concrete_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.has_default():
            defaults[f.attname] = f.get_default()
        elif f.null:
            defaults[f.attname] = None
        else:
            defaults[f.attname] = ""
    return defaults


def _write(model, rows: Iterable[Row], count: int, *, user: str) -> int:
    """Insert ``count`` rows, each with one history row ("+", "Demo data", by ``row[user]``).

    The rows may be a generator: with COPY they are made while the database is busy
    storing the ones before.
    """
    if not count:
        for _row in rows:  # a generator may have more to do after its last row
            raise ValueError("more rows than counted")
        return 0
    now = timezone.now()
    if USE_COPY and connection.vendor == "postgresql":
        _copy(model, rows, count, user, now)
    else:
        objects = []
        for row in rows:
            obj = model(**row)
            if row.get(user) is not None:
                obj._history_user = User(pk=row[user])
            objects.append(obj)
        assert len(objects) == count
        bulk_create_with_history(
            objects, model, batch_size=BATCH, default_change_reason=CHANGE_REASON, default_date=now
        )
    return count


def _copy(model, rows: Iterable[Row], count: int, user: str, now: datetime) -> None:
    qn = connection.ops.quote_name
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk]
    defaults = _column_defaults(model, now)
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, count],
        )
        ids = [pk_value for (pk_value,) in cursor.fetchall()]
        columns = ", ".join(qn(c) for c in [pk.column, *(f.column for f in fields)])
        with cursor.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk_value, row in zip(ids, rows, strict=True):
                copy.write_row([pk_value, *(row[n] if n in row else defaults[n] for n in attnames)])
        # One history row each, as bulk_create_with_history writes them: the row as
        # created, "+", the change reason, and who made it.
        history = model.history.model
        model_columns = {f.attname: f.column for f in meta.concrete_fields}
        extra = {"history_date": now, "history_change_reason": CHANGE_REASON, "history_type": "+"}
        targets, sources, params = [], [], []
        for f in history._meta.concrete_fields:
            if f.attname == "history_id":
                continue
            targets.append(qn(f.column))
            if f.attname in extra:
                sources.append("%s")
                params.append(extra[f.attname])
            elif f.attname == "history_user_id":
                sources.append(qn(model_columns[user]))
            else:
                sources.append(qn(model_columns[f.attname]))
        cursor.execute(
            f"INSERT INTO {qn(history._meta.db_table)} ({', '.join(targets)}) "  # noqa: S608
            f"SELECT {', '.join(sources)} FROM {qn(meta.db_table)} "
            f"WHERE {qn(pk.column)} = ANY(%s) ORDER BY {qn(pk.column)}",
            [*params, ids],
        )


#: Write each chunk on a second thread (with its own connection) while the next chunk
#: is planned, so that the database's work (indexes, foreign key checks, history rows)
#: runs alongside Python's. Only when nothing has a transaction open around the call
#: (a test's does: then each chunk is written in turn, on the caller's connection).
WRITE_IN_BACKGROUND = True


def _write_chunk(visits: list[Row], reviews: list[Row], overrides: list[Row]) -> None:
    """Write a chunk's visits, reviews and schedule overrides in one transaction."""
    with transaction.atomic():
        _write(Visit, visits, len(visits), user="visitor_id")
        _write(LacReview, reviews, len(reviews), user="chaired_by_id")
        _write(ScheduleOverride, overrides, len(overrides), user="created_by_id")


class _Now:
    """A finished Future, for writing in turn on the caller's thread."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def seed_visits(
    *, seed: int, today: date | None = None, progress: Progress | None = None
) -> Summary:
    """Give every demo child without visits or reviews their history up to ``today``."""
    say = progress or (lambda _line: None)
    today = today or timezone.localdate()
    summary = Summary()
    todo, summary.children_already = _demo_children_to_do()
    if not todo:
        return summary
    generator = _Generator(
        seed=seed, today=today, staff=_staff(), ruleset=schedule.current_ruleset()
    )
    background = (
        WRITE_IN_BACKGROUND
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and len(todo) > CHUNK
    )
    writer = ThreadPoolExecutor(max_workers=1) if background else None
    pending = None  # (future, children done) of the chunk being written

    def finish(job) -> None:
        future, done = job
        future.result()
        say(f"visits: {done:,} / {len(todo):,} children")

    try:
        for start in range(0, len(todo), CHUNK):
            ids = todo[start : start + CHUNK]
            children = {
                c.pk: c
                for c in Child.objects.filter(pk__in=ids).select_related(
                    "social_worker__line_manager__line_manager", "iro"
                )
            }
            episodes: dict[int, list[Placement]] = defaultdict(list)
            for placement in (
                Placement.objects.filter(child_id__in=ids)
                .select_related("setting")
                .order_by("child_id", "decom", "pk")
            ):
                episodes[placement.child_id].append(placement)
            plans = [generator.plan(children[pk], episodes[pk]) for pk in ids if episodes.get(pk)]
            reviews: list[Row] = []
            overrides: list[Row] = []
            visits = list(generator.rows(plans, reviews, overrides))
            summary.visits += len(visits)
            summary.reviews += len(reviews)
            summary.overrides += len(overrides)
            summary.by_kind.update(visit["kind"] for visit in visits)
            summary.children += len(ids)
            if pending is not None:
                finish(pending)
            if writer is not None:
                future = writer.submit(_write_chunk, visits, reviews, overrides)
            else:
                future = _Now(_write_chunk(visits, reviews, overrides))
            pending = (future, start + len(ids))
        finish(pending)
    finally:
        if writer is not None:
            writer.submit(connections.close_all)  # the writer thread's own connection
            writer.shutdown(wait=True)
    return summary
