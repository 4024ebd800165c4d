"""Historical visits from the system being replaced: `import_visits FILE`.

The CSV's header is exactly ``child,date,kind,seen_alone,bedroom_seen,by``: ``child`` is
the SSDA903 CHILD id, ``date`` is ISO (YYYY-MM-DD), ``kind`` is a VisitKind value, the
flags are yes/no, and ``by`` is the visitor's username or, for someone who never had an
account, their name.

All or nothing: every row is checked before anything is written, and the writes run
in one transaction; every bad row is reported as "FILE line N: reason". Importing the
same file again adds nothing: a row matching an imported visit already stored (same
child, kind, date and visitor) is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from core import csvfiles
from placements.models import Child, Placement

from .models import Visit, VisitKind
from .services import after_visits_recorded

HEADER = ("child", "date", "kind", "seen_alone", "bedroom_seen", "by")
LONDON = ZoneInfo("Europe/London")
# The old system kept only the day of a visit: noon, London time, stands for it.
VISIT_TIME = time(12, 0)
BATCH_SIZE = 1000
CHANGE_REASON = "Imported from the previous system"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}
_VISITOR_NAME_MAX = Visit._meta.get_field("visitor_name").max_length


class VisitImportError(csvfiles.ImportRefused):
    """The file cannot be imported; each message names the file and, for a row, its line."""


@dataclass(frozen=True)
class Row:
    line: int
    child: Child
    day: date
    kind: str
    seen_alone: bool
    bedroom_seen: bool
    visitor: User | None
    visitor_name: str

    @property
    def key(self) -> tuple:
        who = ("user", self.visitor.pk) if self.visitor else ("name", self.visitor_name.lower())
        return (self.child.pk, self.kind, self.day, who)


@dataclass
class Summary:
    rows: int = 0
    imported: int = 0
    already_imported: int = 0
    repeated_in_file: int = 0
    children: int = 0

    def lines(self) -> list[str]:
        return [
            f"{self.rows:,} rows read.",
            f"{self.imported:,} visits imported, for {self.children:,} children.",
            f"{self.already_imported:,} rows skipped: already imported.",
            f"{self.repeated_in_file:,} rows skipped: repeated in the file.",
        ]


def read_rows(path: Path, name: str, stdout: TextIO | None) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank row, after checking the header."""
    return csvfiles.read_with_header(path, name, HEADER, stdout=stdout, error=VisitImportError)


def _flag(value: str, column: str) -> bool:
    text = value.strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"{column} must be yes or no, not {value.strip()!r}.")


class _Lookups:
    """Children and users named in the file, each fetched in one query."""

    def __init__(self, rows: list[tuple[int, list[str]]]):
        child_ids = {cells[0].strip() for _line, cells in rows if cells}
        by_names = {cells[5].strip() for _line, cells in rows if len(cells) > 5}
        self.children = {c.child_id: c for c in Child.objects.filter(child_id__in=child_ids)}
        users = list(
            User.objects.filter(
                Q(username__in=by_names)
                | Q(username__in=[n.lower() for n in by_names])  # usernames are lower case
            )
        )
        self.users = {u.username: u for u in users}
        self.users_lower = {u.username.lower(): u for u in users}

    def user(self, name: str) -> User | None:
        return self.users.get(name) or self.users_lower.get(name.lower())


def parse_row(line: int, cells: list[str], lookups: _Lookups, today: date) -> Row:
    if len(cells) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} values, found {len(cells)}.")
    child_id, day_text, kind, seen_alone, bedroom_seen, by = (cell.strip() for cell in cells)
    child = lookups.children.get(child_id)
    if child is None:
        raise ValueError(f"unknown child {child_id!r}: no child has this 903 CHILD id.")
    if not _ISO_DATE.match(day_text):
        raise ValueError(f"date must be YYYY-MM-DD, not {day_text!r}.")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise ValueError(f"{day_text} is not a date.") from None
    if day > today:
        raise ValueError(f"date {day_text} is in the future.")
    if day < child.date_of_birth:
        raise ValueError(f"date {day_text} is before the child was born.")
    kind = kind.lower()
    if kind not in VisitKind.values:
        raise ValueError(f"kind must be one of {', '.join(VisitKind.values)}, not {kind!r}.")
    if not by:
        raise ValueError("by is blank: give the visitor's username or name.")
    if len(by) > _VISITOR_NAME_MAX:
        raise ValueError(f"by is longer than {_VISITOR_NAME_MAX} characters.")
    visitor = lookups.user(by)
    return Row(
        line=line,
        child=child,
        day=day,
        kind=kind,
        seen_alone=_flag(seen_alone, "seen_alone"),
        bedroom_seen=_flag(bedroom_seen, "bedroom_seen"),
        visitor=visitor,
        visitor_name=(visitor.get_full_name() or visitor.username) if visitor else by,
    )


def _placements_of(rows: list[Row]) -> dict[int, list[Placement]]:
    placements: dict[int, list[Placement]] = {}
    child_ids = {row.child.pk for row in rows}
    for placement in Placement.objects.filter(child_id__in=child_ids).order_by("-decom", "-pk"):
        placements.setdefault(placement.child_id, []).append(placement)
    return placements


def _placement_on(placements: list[Placement], day: date) -> Placement | None:
    """The placement open on `day` (as Placement.is_current), latest start first."""
    return next((p for p in placements if p.is_current(day)), None)


def _existing_keys(rows: list[Row]) -> set[tuple]:
    keys = set()
    existing = Visit.objects.filter(
        source=Visit.Source.IMPORT, child_id__in={row.child.pk for row in rows}
    ).values_list("child_id", "kind", "visited_at", "visitor_id", "visitor_name")
    for child_id, kind, visited_at, visitor_id, visitor_name in existing.iterator():
        day = timezone.localtime(visited_at, LONDON).date()
        who = ("user", visitor_id) if visitor_id else ("name", visitor_name.lower())
        keys.add((child_id, kind, day, who))
    return keys


def _visit(row: Row, placement: Placement | None, now: datetime) -> Visit:
    visitor = row.visitor
    return Visit(
        child=row.child,
        placement=placement,
        setting_id=placement.setting_id if placement else None,
        kind=row.kind,
        status=Visit.Status.FINISHED,
        source=Visit.Source.IMPORT,
        visitor=visitor,
        visitor_name=row.visitor_name,
        visitor_role=(visitor.job_title or visitor.role_label) if visitor else "",
        visited_at=datetime.combine(row.day, VISIT_TIME, tzinfo=LONDON),
        seen_alone=row.seen_alone,
        bedroom_seen=row.bedroom_seen,
        finished_at=now,
    )


def import_visits(
    path,
    *,
    stdout: TextIO | None = None,
    now: datetime | None = None,
    refresh: Callable[[list[int]], None] | None = None,
) -> Summary:
    """Check every row, then write them all in one transaction, then refresh duties once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    path = Path(path)
    name = str(path)
    raw_rows = read_rows(path, name, stdout)
    lookups = _Lookups(raw_rows)
    rows: list[Row] = []
    errors: list[str] = []
    for line, cells in raw_rows:
        try:
            rows.append(parse_row(line, cells, lookups, today))
        except ValueError as error:
            errors.append(f"{name} line {line}: {error}")
    if errors:
        raise VisitImportError(errors)
    if not rows:
        raise VisitImportError([f"{name}: there are no visits in the file."])

    summary = Summary(rows=len(rows))
    placements = _placements_of(rows)
    stored = _existing_keys(rows)
    in_file: set[tuple] = set()
    new: list[Visit] = []
    for row in rows:
        if row.key in stored:
            summary.already_imported += 1
        elif row.key in in_file:
            summary.repeated_in_file += 1
        else:
            in_file.add(row.key)
            placement = _placement_on(placements.get(row.child.pk, []), row.day)
            new.append(_visit(row, placement, now))

    with transaction.atomic():
        for start in range(0, len(new), BATCH_SIZE):
            batch = new[start : start + BATCH_SIZE]
            bulk_create_with_history(
                batch, Visit, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
            )
            if stdout is not None:
                stdout.write(f"{name}: {start + len(batch):,} visits saved\n")
    summary.imported = len(new)
    child_ids = sorted({visit.child_id for visit in new})
    summary.children = len(child_ids)
    if child_ids:
        (refresh or after_visits_recorded)(child_ids)
    return summary
