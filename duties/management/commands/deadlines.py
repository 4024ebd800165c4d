"""Print the deadlines as CSV: every open duty, and every duty done on the as-of date.

    python manage.py deadlines --as-of 2026-11-09 [--kind statutory_visit]

Reads the Duty table as the services and the nightly recompute keep it; it does not
recompute (``recompute_duties`` does).
"""

import csv
import os
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from duties import registry, selectors
from duties.models import Duty


def parse_as_of(value: str | None) -> date:
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError as invalid:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}") from invalid


class Command(BaseCommand):
    help = "Print open duties, and duties done on the as-of date, as CSV."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", dest="as_of", help="YYYY-MM-DD (default: today, Europe/London)"
        )
        parser.add_argument(
            "--kind",
            help="Only this kind of duty: " + ", ".join(kind for kind, _ in registry.choices()),
        )

    def handle(self, *args, as_of=None, kind=None, **options):
        day = parse_as_of(as_of)
        queryset = Duty.objects.all()
        if kind:
            if registry.get(kind) is None:
                valid = ", ".join(value for value, _label in registry.choices())
                raise CommandError(f"Unknown kind {kind!r}. Valid kinds: {valid}")
            queryset = queryset.filter(kind=kind)
        writer = csv.writer(self.stdout, lineterminator="\n")
        try:
            writer.writerow(selectors.DEADLINE_HEADER)
            for duty in selectors.deadline_rows(day, queryset).iterator(chunk_size=2000):
                writer.writerow(selectors.deadline_csv_row(duty, day))
        except BrokenPipeError:
            # The reader (`| head`, say) has read enough: stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
