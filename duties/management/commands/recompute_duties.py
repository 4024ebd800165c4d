"""Recompute every child's duties now, as the nightly job does.

python manage.py recompute_duties [--as-of YYYY-MM-DD] [--batch-size 500]
"""

import time

from django.core.management.base import BaseCommand

from duties.management.commands.deadlines import parse_as_of
from duties.recompute import recompute_all


class Command(BaseCommand):
    help = "Recompute the dated duties of every child in care (the nightly safety net)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", dest="as_of", help="YYYY-MM-DD (default: today, Europe/London)"
        )
        parser.add_argument("--batch-size", dest="batch_size", type=int, default=500)

    def handle(self, *args, as_of=None, batch_size=500, **options):
        day = parse_as_of(as_of)
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"children: {done:,} / {total:,} …")

        stats = recompute_all(today=day, batch_size=batch_size, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Duties as of {day:%Y-%m-%d}: {stats.summary()} ({elapsed:.1f}s)")
        )
