"""What every CSV import refuses before it looks at a value."""

import csv
from collections.abc import Iterator

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
