"""The SSDA903 ``Missing`` table (``missing.csv``: CHILD, DOB, MISSING, MIS_START, MIS_END):
a child's episodes of being missing (M) or away from placement without authorisation (A),
as ``missing.models.MissingEpisode`` (timescales.md §9; issue 17).

Import (when the directory has ``missing.csv``): every row is checked with its line before
anything is saved, like the other tables. Refused, naming the line: a CHILD not in
``header.csv``, a DOB that is not the header's, MISSING other than M or A, a date that is
not DD/MM/YYYY, MIS_END before MIS_START, a date after today, the same child and start
twice, and two episodes of one child that overlap (one starting before the other ended, or
while it is open: the DfE's rule 574), in the file or with an episode recorded here.

An episode is the child and its start date: a row that matches one recorded here updates
its kind and its end (the end's time is kept when the date is the same, and cleared when
it moves); a new one is recorded as imported (``reported_by=import``) from the placement
the child was in on its start date. A blank MIS_END never reopens an episode recorded here
as ended: the return writes open an episode that ended after its year, and may be older
than what the child's worker recorded since; the summary counts them.

``--prune`` does not remove missing episodes: an episode is recorded here first (by the
child's worker, or from the setting's report, with its times, where the child was found
and the return home interview), and the return carries only its dates; one the return no
longer has is for a person to correct.

Export: the episodes open at any time in the collection year of the children in
``header.csv``; one that ends after the year is written open (the validator's rule 571
refuses a MIS_END after 31 March). The validator wants every child of ``missing.csv`` in
``header.csv`` (INT04): an episode of a child with no placement episode in the year is not
written, and counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from django.utils import timezone

from missing.models import EpisodeKind, MissingEpisode, ReportedBy
from placements.models import Child, Placement

from .csv903 import (
    Counts,
    RowError,
    Ssda903ImportError,
    find_file,
    format_date,
    parse_date,
    parse_each,
    read_rows,
    short_value,
    write_with_history,
)
from .years import collection_bounds

MISSING_FILE = "missing.csv"
MISSING_COLUMNS = ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")


@dataclass(frozen=True)
class MissingRow:
    line: int
    child_id: str
    dob: date
    kind: str
    start: date
    end: date | None


def parse_missing_row(line: int, v: dict[str, str], *, today: date) -> MissingRow:
    child_id = short_value(v["CHILD"], "CHILD", Child._meta.get_field("child_id").max_length)
    if not child_id:
        raise RowError("CHILD is blank.")
    kind = v["MISSING"].upper()
    if kind not in EpisodeKind.values:
        raise RowError(
            f"MISSING '{v['MISSING']}' must be M (missing) or A (away from placement "
            "without authorisation)."
        )
    start = parse_date(v["MIS_START"], "MIS_START", required=True)
    end = parse_date(v["MIS_END"], "MIS_END")
    if end is not None and end < start:
        raise RowError(
            f"MIS_END {format_date(end)} is before MIS_START {format_date(start)}: an "
            "episode cannot end before it starts."
        )
    for column, day in (("MIS_START", start), ("MIS_END", end)):
        if day is not None and day > today:
            raise RowError(f"{column} {format_date(day)} is in the future (today is "
                           f"{format_date(today)}).")  # fmt: skip
    return MissingRow(
        line=line,
        child_id=child_id,
        dob=parse_date(v["DOB"], "DOB", required=True),
        kind=kind,
        start=start,
        end=end,
    )


def _overlap(first_start, first_end, second_start) -> bool:
    """Whether an episode starting on ``second_start`` (not before ``first_start``) starts
    while the first is open or before it ended (rule 574: the same day it ended is not)."""
    return first_end is None or second_start < first_end


def _span(start: date, end: date | None) -> str:
    return f"from {format_date(start)}" + (f" to {format_date(end)}" if end else ", open")


def read_missing(
    directory: Path, header_dobs: dict[str, tuple[int, date]], *, stdout: TextIO | None = None
) -> list[MissingRow] | None:
    """The rows of ``missing.csv`` (None if there is none), checked; ``header_dobs``: each
    CHILD of ``header.csv`` with its line and DOB."""
    path = find_file(directory, MISSING_FILE)
    if path is None:
        return None
    today = timezone.localdate()
    rows = parse_each(
        MISSING_FILE,
        read_rows(path, MISSING_FILE, MISSING_COLUMNS, stdout=stdout),
        lambda line, values: parse_missing_row(line, values, today=today),
    )
    by_child: dict[str, list[MissingRow]] = defaultdict(list)
    for row in rows:
        if row.child_id not in header_dobs:
            raise Ssda903ImportError(
                MISSING_FILE, row.line, f"CHILD {row.child_id} is not in header.csv."
            )
        header_line, dob = header_dobs[row.child_id]
        if row.dob != dob:
            raise Ssda903ImportError(
                MISSING_FILE,
                row.line,
                f"DOB {format_date(row.dob)} is not CHILD {row.child_id}'s date of birth in "
                f"header.csv ({format_date(dob)}, line {header_line}).",
            )
        by_child[row.child_id].append(row)
    for child_rows in by_child.values():
        ordered = sorted(child_rows, key=lambda r: (r.start, r.line))
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if later.start == earlier.start:
                raise Ssda903ImportError(
                    MISSING_FILE,
                    max(later.line, earlier.line),
                    f"CHILD {later.child_id} already has an episode starting "
                    f"{format_date(later.start)} (line {min(later.line, earlier.line)}).",
                )
            if _overlap(earlier.start, earlier.end, later.start):
                raise Ssda903ImportError(
                    MISSING_FILE,
                    later.line,
                    f"CHILD {later.child_id}: the episode {_span(later.start, later.end)} "
                    f"overlaps the one {_span(earlier.start, earlier.end)} on line "
                    f"{earlier.line}.",
                )
    return rows


# --- Saving ------------------------------------------------------------------------------


@dataclass
class MissingCounts(Counts):
    #: Rows with a blank MIS_END for an episode recorded here as ended: its end is kept.
    kept_ended: int = 0

    def lines(self) -> list[str]:
        lines = [f"Missing episodes: {self}."]
        if self.kept_ended:
            lines.append(
                f"Missing episodes the file has open but recorded here as ended: "
                f"{self.kept_ended:,}; their end is kept."
            )
        return lines


def _placement_on(placements: list[Placement], day: date) -> Placement | None:
    """The child's placement open on ``day`` (the latest to start, on a day of change)."""
    open_then = [p for p in placements if p.decom <= day and (p.dec is None or p.dec >= day)]
    return max(open_then, key=lambda p: p.decom, default=None)


def _check_against_held(rows: list[MissingRow], held: list[MissingEpisode]) -> None:
    """Refuse a row overlapping an episode of the same child recorded here that the file
    does not have (one the file has is the row itself)."""
    starts = {row.start for row in rows}
    others = [episode for episode in held if episode.start_date not in starts]
    for row in rows:
        for episode in others:
            first, second = sorted(
                [(row.start, row.end), (episode.start_date, episode.end_date)],
                key=lambda span: span[0],
            )
            if _overlap(first[0], first[1], second[0]):
                raise Ssda903ImportError(
                    MISSING_FILE,
                    row.line,
                    f"CHILD {row.child_id}: the episode {_span(row.start, row.end)} overlaps "
                    f"the one recorded here {_span(episode.start_date, episode.end_date)}; "
                    "correct one of them.",
                )


def save_missing(rows: list[MissingRow], children: dict[str, Child], actor) -> MissingCounts:
    """Create and update the episodes of ``rows`` (inside the import's transaction: a
    refusal here undoes everything)."""
    counts = MissingCounts()
    pks = [child.pk for child in children.values()]
    held: dict[int, list[MissingEpisode]] = defaultdict(list)
    for episode in MissingEpisode.objects.filter(child_id__in=pks):
        held[episode.child_id].append(episode)
    placements: dict[int, list[Placement]] = defaultdict(list)
    for placement in Placement.objects.filter(child_id__in=pks).only(
        "pk", "child_id", "decom", "dec"
    ):
        placements[placement.child_id].append(placement)

    by_child: dict[int, list[MissingRow]] = defaultdict(list)
    for row in rows:
        by_child[children[row.child_id].pk].append(row)
    new, changed, changed_fields = [], [], set()
    for child_pk, child_rows in by_child.items():
        _check_against_held(child_rows, held[child_pk])
        existing = {episode.start_date: episode for episode in held[child_pk]}
        for row in child_rows:
            episode = existing.get(row.start)
            if episode is None:
                placement = _placement_on(placements[child_pk], row.start)
                new.append(
                    MissingEpisode(
                        child_id=child_pk,
                        placement_id=placement.pk if placement else None,
                        kind=row.kind,
                        start_date=row.start,
                        end_date=row.end,
                        reported_by=ReportedBy.IMPORT,
                        recorded_by=actor,
                    )
                )
                continue
            differences = {}
            if episode.kind != row.kind:
                differences["kind"] = row.kind
            if row.end is None and episode.end_date is not None:
                counts.kept_ended += 1
            elif row.end != episode.end_date:
                differences["end_date"] = row.end
                if episode.end_time is not None:
                    differences["end_time"] = None
            if differences:
                for name, value in differences.items():
                    setattr(episode, name, value)
                changed.append(episode)
                changed_fields.update(differences)
            else:
                counts.unchanged += 1
    write_with_history(MissingEpisode, new, changed, changed_fields, actor)
    counts.created, counts.updated = len(new), len(changed)
    return counts


# --- Export ------------------------------------------------------------------------------


@dataclass
class MissingExport:
    rows: list[dict[str, str]] = field(default_factory=list)
    open_at_year_end: int = 0
    #: Episodes of children with no placement episode in the year (so not in header.csv).
    not_in_header: int = 0


def missing_rows(year: int, header: dict[int, tuple[str, date | None]]) -> MissingExport:
    """``missing.csv`` rows for the episodes open at any time in the collection year;
    ``header``: child pk -> (CHILD, DOB) of the children ``header.csv`` holds."""
    start, end = collection_bounds(year)
    export = MissingExport()
    episodes = (
        MissingEpisode.objects.filter(start_date__lte=end)
        .exclude(end_date__lt=start)
        .order_by("child__child_id", "start_date", "pk")
        .values_list("child_id", "kind", "start_date", "end_date")
    )
    for child_pk, kind, started, ended in episodes:
        if child_pk not in header:
            export.not_in_header += 1
            continue
        child_id, dob = header[child_pk]
        if ended is not None and ended > end:
            export.open_at_year_end += 1
            ended = None
        export.rows.append(
            {
                "CHILD": child_id,
                "DOB": format_date(dob),
                "MISSING": kind,
                "MIS_START": format_date(started),
                "MIS_END": format_date(ended),
            }
        )
    return export
