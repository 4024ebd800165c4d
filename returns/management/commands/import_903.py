from django.core.management.base import BaseCommand, CommandError

from duties.recompute import recompute_all
from returns import ssda903


class Command(BaseCommand):
    help = (
        "Import an authority's SSDA903 return (header.csv, episodes.csv and, if there, "
        "reviews.csv and missing.csv) from a directory: children by CHILD, episodes by CHILD "
        "and DECOM, missing episodes by CHILD and MIS_START. "
        "Nothing is saved if any row is bad; importing the same files again changes nothing. "
        "Lists the episodes the database holds for the file's children in the return's year "
        "that the file no longer has; --prune removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The directory holding the 903 CSV files")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Remove the episodes of the file's children, open in the return's collection "
            "year, that the file no longer has (without it they are only listed). A file with "
            "an error removes nothing. Missing episodes are never removed.",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="The return's collection year, by the year it starts (2025 for 2025-26); "
            "by default the year of the latest date in the files.",
        )

    def handle(self, *args, directory, prune=False, year=None, **opts):
        if year is not None and not 1990 <= year <= 2100:
            raise CommandError(f"--year {year} is not a collection year.")
        try:
            summary = ssda903.import_directory(
                directory, stdout=self.stdout, prune=prune, year=year
            )
        except ssda903.Ssda903ImportError as exc:
            raise CommandError(f"{exc}\nNothing from the files was saved.") from None
        for line in summary.lines():
            self.stdout.write(line)
        # The import writes in bulk, past the services that keep duties up to date.
        stats = recompute_all(
            progress=lambda done, total: self.stdout.write(f"duties: {done:,} / {total:,} children")
        )
        self.stdout.write(f"Duties recomputed: {stats.summary()}")
