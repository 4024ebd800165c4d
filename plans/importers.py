"""A child's plans and assessments from the system being replaced: `import_plans FILE`.

The CSV's header is exactly ``child,kind,date,by`` (issue 15): ``child`` is the SSDA903
CHILD id, ``kind`` a ``PlanKind`` value (the contract of the duty kinds of the same
names), ``date`` the day it was completed, DD/MM/YYYY as the 903 files or YYYY-MM-DD as
``import_visits``, and ``by`` who completed it, as a name (a health professional, a
school's designated teacher: often not one of our staff).

What the row alone does not say is worked out from the register:

- a ``placement_plan`` is for the placement the child was in on that date (timescales.md
  §7, reg. 9: one for every placement); a date on which the child was in no placement is
  refused;
- a ``health_assessment`` is the *initial* one when it is the first of the period of care
  (no earlier one, stored or in the file, since the child became looked after), else a
  *review* (§7; `003_…` 10.14).

All or nothing: every row is checked before anything is written, and the writes run in
one transaction; every bad row is reported as "FILE line N: reason". Importing the same
file again adds nothing: a row matching a record already stored (one of a kind a day, per
placement for placement plans: the table's own unique constraints) is skipped. The
affected children's duties are recomputed once, at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import csvfiles
from duties.recompute import refresh_for_children
from placements.models import Child, Placement
from placements.periods import current_episode, looked_after_since

from .models import HealthStage, Plan, PlanKind, Source

HEADER = ("child", "kind", "date", "by")
BATCH_SIZE = 1000
CHANGE_REASON = "Imported from the previous system (import_plans)"

_CHILD_ID_MAX = Child._meta.get_field("child_id").max_length
_BY_MAX = Plan._meta.get_field("completed_by_name").max_length


class PlanImportError(csvfiles.ImportRefused):
    """The file cannot be imported; each message names the file and, for a row, its line."""


@dataclass(frozen=True)
class Row:
    line: int
    child: Child
    kind: str
    day: date
    by: str


@dataclass
class Summary:
    rows: int = 0
    imported: int = 0
    already_imported: int = 0
    children: int = 0

    def lines(self) -> list[str]:
        return [
            f"{self.rows:,} rows read.",
            f"{self.imported:,} plans and assessments imported, for {self.children:,} children.",
            f"{self.already_imported:,} rows skipped: already recorded.",
        ]


def _required(value: str, column: str, max_length: int) -> str:
    if not value:
        raise ValueError(f"{column} is blank.")
    if len(value) > max_length:
        raise ValueError(f"{column} is longer than {max_length} characters.")
    return value


def parse_row(line: int, cells: list[str], children: dict[str, Child], today: date) -> Row:
    if len(cells) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} values, found {len(cells)}.")
    child_id, kind, day_text, by = (cell.strip() for cell in cells)
    child = children.get(_required(child_id, "child", _CHILD_ID_MAX))
    if child is None:
        raise ValueError(f"unknown child {child_id!r}: no child has this 903 CHILD id.")
    kind = _required(kind, "kind", max(len(k) for k in PlanKind.values)).lower()
    if kind not in PlanKind.values:
        raise ValueError(f"kind must be one of {', '.join(PlanKind.values)}, not {kind!r}.")
    day = csvfiles.parse_day(_required(day_text, "date", 10))
    if day > today:
        raise ValueError(f"date {day_text} is in the future.")
    if day < child.date_of_birth:
        raise ValueError(f"date {day_text} is before the child was born.")
    return Row(line=line, child=child, kind=kind, day=day, by=_required(by, "by", _BY_MAX))


def _children(raw_rows: list[tuple[int, list[str]]]) -> dict[str, Child]:
    ids = {cells[0].strip() for _line, cells in raw_rows if cells}
    return {
        child.child_id: child
        for child in Child.objects.filter(child_id__in=ids).only("pk", "child_id", "date_of_birth")
    }


def _episodes(child_ids: set[int]) -> dict[int, list[Placement]]:
    """Each child's placements in DECOM order (as placements.periods wants them)."""
    episodes: dict[int, list[Placement]] = {}
    placements = Placement.objects.filter(child_id__in=child_ids).only(
        "pk", "child_id", "decom", "dec"
    )
    for placement in placements.order_by("child_id", "decom", "pk"):
        episodes.setdefault(placement.child_id, []).append(placement)
    return episodes


def _care_began(episodes: list[Placement], since: dict[int, date], day: date) -> date | None:
    """When the period of care holding ``day`` began: that of the placement open on the
    day, else of the last one begun before it (an assessment just after care ended)."""
    episode = current_episode(episodes, day) or next(
        (e for e in reversed(episodes) if e.decom <= day), None
    )
    return since[episode.pk] if episode else None


def _key(child_id: int, kind: str, day: date, placement_id: int | None) -> tuple:
    """The table's own uniqueness: one of a kind a day, per placement for placement plans."""
    return ("placement", placement_id, day) if placement_id else ("child", child_id, kind, day)


def _plans(rows: list[Row], actor, errors: list[tuple[int, str]]) -> tuple[list[Plan], int]:
    """The Plan records the rows make, and how many were already recorded."""
    child_ids = {row.child.pk for row in rows}
    episodes = _episodes(child_ids)
    stored = list(
        Plan.objects.filter(child_id__in=child_ids).values_list(
            "child_id", "kind", "completed_on", "placement_id"
        )
    )
    stored_keys = {_key(*values) for values in stored}
    health_days: dict[int, set[date]] = {}
    for child_id, kind, day, _placement in stored:
        if kind == PlanKind.HEALTH_ASSESSMENT:
            health_days.setdefault(child_id, set()).add(day)
    for row in rows:
        if row.kind == PlanKind.HEALTH_ASSESSMENT:
            health_days.setdefault(row.child.pk, set()).add(row.day)

    since = {pk: d for eps in episodes.values() for pk, d in looked_after_since(eps).items()}
    seen: dict[tuple, int] = {}
    plans: list[Plan] = []
    already = 0
    for row in rows:
        child_episodes = episodes.get(row.child.pk, [])
        placement = None
        if row.kind == PlanKind.PLACEMENT_PLAN:
            placement = current_episode(child_episodes, row.day)
            if placement is None:
                errors.append(
                    (
                        row.line,
                        f"a placement plan dated {row.day:%d/%m/%Y}, but child "
                        f"{row.child.child_id} was in no placement on that date.",
                    )
                )
                continue
        key = _key(row.child.pk, row.kind, row.day, placement.pk if placement else None)
        if key in seen:
            errors.append((row.line, f"repeats line {seen[key]} (the same child, kind and date)."))
            continue
        seen[key] = row.line
        if key in stored_keys:
            already += 1
            continue
        stage = ""
        if row.kind == PlanKind.HEALTH_ASSESSMENT:
            began = _care_began(child_episodes, since, row.day)
            earlier = any(
                d < row.day and (began is None or d >= began) for d in health_days[row.child.pk]
            )
            stage = HealthStage.REVIEW if earlier else HealthStage.INITIAL
        plans.append(
            Plan(
                child=row.child,
                kind=row.kind,
                placement=placement,
                stage=stage,
                completed_on=row.day,
                completed_by_name=row.by,
                source=Source.IMPORT,
                recorded_by=actor,
            )
        )
    return plans, already


def import_plans(
    path,
    *,
    stdout: TextIO | None = None,
    actor=None,
    now: datetime | None = None,
    refresh: Callable[[list[int]], object] | None = None,
) -> Summary:
    """Check every row, then write them all in one transaction, then refresh the affected
    children's duties once. ``actor``: the history user (None from the command line)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    path = Path(path)
    name = str(path)
    raw_rows = csvfiles.read_with_header(path, name, HEADER, stdout=stdout, error=PlanImportError)
    children = _children(raw_rows)
    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    for line, cells in raw_rows:
        try:
            rows.append(parse_row(line, cells, children, today))
        except ValueError as error:
            errors.append((line, str(error)))
    if not raw_rows:
        raise PlanImportError([f"{name}: there are no plans in the file."])
    plans, already = _plans(rows, actor, errors)
    if errors:
        raise PlanImportError([f"{name} line {line}: {text}" for line, text in sorted(errors)])

    with transaction.atomic():
        for start in range(0, len(plans), BATCH_SIZE):
            batch = plans[start : start + BATCH_SIZE]
            bulk_create_with_history(
                batch,
                Plan,
                batch_size=BATCH_SIZE,
                default_user=actor,
                default_change_reason=CHANGE_REASON,
                default_date=now,
            )
            if stdout is not None:
                stdout.write(f"{name}: {start + len(batch):,} plans saved\n")
    child_ids = sorted({plan.child_id for plan in plans})
    if child_ids:
        (refresh or refresh_for_children)(child_ids)
    return Summary(
        rows=len(rows), imported=len(plans), already_imported=already, children=len(child_ids)
    )
