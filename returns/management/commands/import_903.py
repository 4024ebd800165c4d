from django.core.management.base import BaseCommand, CommandError

from duties.recompute import recompute_all
from returns import ssda903


class Command(BaseCommand):
    help = (
        "Import an authority's SSDA903 return (header.csv, episodes.csv and, if there, "
        "reviews.csv) from a directory: children by CHILD, episodes by CHILD and DECOM. "
        "Nothing is saved if any row is bad; importing the same files again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The directory holding the 903 CSV files")

    def handle(self, *args, directory, **opts):
        try:
            summary = ssda903.import_directory(directory, stdout=self.stdout)
        except ssda903.Ssda903ImportError as exc:
            raise CommandError(f"{exc}\nNothing from the files was saved.") from None
        for line in summary.lines():
            self.stdout.write(line)
        # The import writes in bulk, past the services that keep duties up to date.
        stats = recompute_all(
            progress=lambda done, total: self.stdout.write(f"duties: {done:,} / {total:,} children")
        )
        self.stdout.write(f"Duties recomputed: {stats.summary()}")
