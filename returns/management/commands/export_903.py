from django.core.management.base import BaseCommand, CommandError

from returns import ssda903


class Command(BaseCommand):
    help = (
        "Write the SSDA903 files (header.csv, episodes.csv, reviews.csv, missing.csv) for a "
        "collection year: every episode open at any time from 1 April of --year to 31 March "
        "after, the header rows of those children, their reviews and missing episodes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="Collection year by the year it starts: 2025 is 1 April 2025 to 31 March 2026",
        )
        parser.add_argument("--out", required=True, help="Directory to write the files to")

    def handle(self, *args, year, out, **opts):
        if not 1991 <= year <= 2100:
            raise CommandError(f"--year must be a collection year such as 2025, not {year}.")
        try:
            ssda903.export_year(year, out, stdout=self.stdout)
        except OSError as exc:
            raise CommandError(f"Cannot write to {out}: {exc}") from None
