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

from visits import schedule
from visits.models import Duty, DutyKind


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
        parser.add_argument("--kind", help="Only this kind of duty: " + ", ".join(DutyKind.values))

    def handle(self, *args, as_of=None, kind=None, **options):
        day = parse_as_of(as_of)
        queryset = Duty.objects.all()
        if kind:
            if kind not in DutyKind.values:
                raise CommandError(
                    f"Unknown kind {kind!r}. Valid kinds: {', '.join(DutyKind.values)}"
                )
            queryset = queryset.filter(kind=kind)
        writer = csv.writer(self.stdout, lineterminator="\n")
        try:
            writer.writerow(schedule.DEADLINE_HEADER)
            for duty in schedule.deadline_rows(day, queryset).iterator(chunk_size=2000):
                writer.writerow(schedule.deadline_csv_row(duty, day))
        except BrokenPipeError:
            # The reader (`| head`, say) has read enough: stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
