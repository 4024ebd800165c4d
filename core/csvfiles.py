"""What every CSV import refuses before it looks at a value, and the reading the imports
share: decoding, an exact header, progress, line-numbered refusals, dates."""

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

NUL = "\x00"


class UnreadableRow(ValueError):
    """A row no importer can read: the reason names the line."""

    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(reason)


def rows(reader) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) from a csv.reader, refusing NUL characters and cells too long
    for the csv module with a line number instead of a crash."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UnreadableRow(reader.line_num, f"the row cannot be read ({error}).") from None
        if any(NUL in cell for cell in cells):
            raise UnreadableRow(reader.line_num, "a cell holds a NUL character, which is not text.")
        yield reader.line_num, cells


PROGRESS_EVERY = 1000
MAX_ERRORS_SHOWN = 50

_DMY = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


class ImportRefused(Exception):
    """A file cannot be imported; each message names the file and, for a row, its line.
    Only the first ``MAX_ERRORS_SHOWN`` are shown, with how many more there are."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        shown = messages[:MAX_ERRORS_SHOWN]
        more = len(messages) - len(shown)
        text = "\n".join(shown) + (f"\n… and {more} more errors" if more > 0 else "")
        super().__init__(text)


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows.
        return raw.decode("cp1252", errors="replace")


def read_with_header(
    path: Path,
    name: str,
    header: tuple[str, ...],
    *,
    stdout: TextIO | None = None,
    error: type[ImportRefused] = ImportRefused,
) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank row of a file whose first row is exactly
    ``header`` (in any case, cells stripped), with "N rows read" every PROGRESS_EVERY rows.
    Anything unreadable raises ``error`` naming the file and line."""
    try:
        text = decode(path.read_bytes())
    except OSError as problem:
        raise error([f"{name}: cannot read the file ({problem.strerror})."]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        found = next(rows(reader), (0, None))[1]
    except UnreadableRow as bad:
        raise error([f"{name} line {bad.line}: {bad.reason}"]) from None
    if found is None or tuple(cell.strip().lower() for cell in found) != header:
        shown = ",".join(found) if found else "nothing"
        raise error(
            [f"{name} line 1: the header must be exactly {','.join(header)} (found {shown})."]
        )
    read = []
    try:
        for line, cells in rows(reader):
            if not any(cell.strip() for cell in cells):
                continue
            read.append((line, cells))
            if stdout is not None and len(read) % PROGRESS_EVERY == 0:
                stdout.write(f"{name}: {len(read):,} rows read\n")
    except UnreadableRow as bad:
        raise error([f"{name} line {bad.line}: {bad.reason}"]) from None
    return read


def parse_day(text: str, column: str = "date") -> date:
    """A date written DD/MM/YYYY (as the SSDA903 files) or YYYY-MM-DD (as import_visits)."""
    try:
        if _DMY.fullmatch(text):
            return datetime.strptime(text, "%d/%m/%Y").date()
        if _ISO.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a date.") from None
    raise ValueError(f"{column} must be DD/MM/YYYY or YYYY-MM-DD, not {text!r}.")
