"""The DfE's SSDA903 CSV layout, shared by every table's import and export: dates
DD/MM/YYYY (blank for empty), headings matched by name, every row read and checked with
its line number before anything is saved (``Ssda903ImportError`` names the file and
line), and the counts an import reports."""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from core import csvfiles

DATE_FORMAT = "%d/%m/%Y"
PROGRESS_EVERY = 1000
BATCH_SIZE = 1000
# bulk_update writes a CASE per field with a WHEN per row, so its cost grows with the
# square of the batch: small batches are much faster.
UPDATE_BATCH_SIZE = 100

CREATED_REASON = "Added from SSDA903 import"
UPDATED_REASON = "Updated from SSDA903 import"

_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


class Ssda903ImportError(Exception):
    """The files cannot be imported; the message names the file and, for a row, its line."""

    def __init__(self, file: str, line: int | None, reason: str):
        self.file, self.line, self.reason = file, line, reason
        super().__init__(f"{file} line {line}: {reason}" if line else f"{file}: {reason}")


class RowError(ValueError):
    """A bad value; the reader adds the file and line."""


# --- Values -----------------------------------------------------------------------------


def parse_date(value: str, column: str, *, required: bool = False) -> date | None:
    if not value:
        if required:
            raise RowError(f"{column} is blank.")
        return None
    if _DATE.fullmatch(value):
        try:
            parsed = datetime.strptime(value, DATE_FORMAT).date()
        except ValueError:
            pass
        else:
            # A 903 date is a child's lifetime, not the calendar's edge (9999 overflows).
            if EARLIEST_DATE <= parsed <= LATEST_DATE:
                return parsed
            raise RowError(f"{column} '{value}' is not a plausible date.")
    raise RowError(f"{column} '{value}' is not a date as DD/MM/YYYY.")


def format_date(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def short_value(value: str, column: str, max_length: int) -> str:
    if len(value) > max_length:
        raise RowError(f"{column} '{value}' is longer than {max_length} characters.")
    return value


# --- Reading ----------------------------------------------------------------------------


def _normalise_heading(text: str) -> str:
    return text.replace("\ufeff", "").strip().upper()


def find_file(directory: Path, name: str) -> Path | None:
    """`name` in `directory`, whatever the case of its file name."""
    exact = directory / name
    if exact.is_file():
        return exact
    for path in directory.iterdir():
        if path.is_file() and path.name.lower() == name:
            return path
    return None


def read_rows(
    source: Path,
    name: str,
    columns: Iterable[str],
    *,
    stdout: TextIO | None = None,
) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: stripped value}) for each row; headings matched by name.

    Headings may come in any order, in any case, with surrounding spaces and a
    byte-order mark; other columns are ignored. Blank rows are skipped.
    """
    columns = tuple(columns)
    text = csvfiles.decode(source.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    lines = csvfiles.rows(reader)
    try:
        for _line, headings in lines:
            if any(cell.strip() for cell in headings):
                break
        else:
            raise Ssda903ImportError(name, None, "the file is empty: no row of column headings.")
    except csvfiles.UnreadableRow as bad:
        raise Ssda903ImportError(name, bad.line, bad.reason) from None
    positions: dict[str, int] = {}
    for index, heading in enumerate(headings):
        heading = _normalise_heading(heading)
        if heading in columns:
            if heading in positions:
                raise Ssda903ImportError(
                    name, reader.line_num, f"column {heading} appears more than once."
                )
            positions[heading] = index
    missing = [column for column in columns if column not in positions]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise Ssda903ImportError(
            name,
            reader.line_num,
            f"missing required column{plural} {', '.join(missing)} "
            f"(expected {', '.join(columns)}).",
        )
    rows = []
    try:
        for line, cells in lines:
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                column: (cells[index].strip() if index < len(cells) else "")
                for column, index in positions.items()
            }
            rows.append((line, values))
            if stdout is not None and len(rows) % PROGRESS_EVERY == 0:
                stdout.write(f"{name}: {len(rows):,} rows read\n")
    except csvfiles.UnreadableRow as bad:
        raise Ssda903ImportError(name, bad.line, bad.reason) from None
    if stdout is not None and len(rows) % PROGRESS_EVERY:
        stdout.write(f"{name}: {len(rows):,} rows read\n")
    return rows


def parse_each(name: str, rows, parse: Callable):
    parsed = []
    for line, values in rows:
        try:
            parsed.append(parse(line, values))
        except RowError as error:
            raise Ssda903ImportError(name, line, str(error)) from None
    return parsed


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created:,} created, {self.updated:,} updated, {self.unchanged:,} unchanged"


def write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_with_history(model, new: list, changed: list, changed_fields: set, actor) -> list:
    """Write a table's new rows and changed rows in batches, each with its history (who:
    ``actor``; why: added or updated from the import). The new rows, as created."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    created = bulk_create_with_history(
        new,
        model,
        batch_size=BATCH_SIZE,
        default_user=actor,
        default_change_reason=CREATED_REASON,
    )
    if changed:
        bulk_update_with_history(
            changed,
            model,
            fields=sorted(changed_fields),
            batch_size=UPDATE_BATCH_SIZE,
            default_user=actor,
            default_change_reason=UPDATED_REASON,
        )
    return created
