"""python manage.py send_overdue_alerts [--as-of YYYY-MM-DD]: the beat job, by hand."""

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from duties.alerts import sweep
from duties.models import AlertLevel


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {text!r}") from exc


class Command(BaseCommand):
    help = (
        "Create the due-soon and overdue alerts for today (or --as-of), notify the owners "
        "and line managers, and send the emails waiting. Safe to run twice or alongside "
        "the scheduled job."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            type=_date,
            help="The day to sweep for, YYYY-MM-DD (default: today). 24-hour duties are "
            "judged at the current time of day on that date.",
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, as_of=None, batch_size=500, **options):
        now = timezone.now()
        if as_of is not None:
            local = timezone.localtime(now)
            now = timezone.make_aware(datetime.combine(as_of, local.time().replace(tzinfo=None)))
        today = as_of or timezone.localdate(now)
        stats = sweep(today=today, now=now, batch_size=batch_size)
        write = self.stdout.write
        write(f"Overdue alerts for {today:%d/%m/%Y}")
        for level in (AlertLevel.DUE_SOON, AlertLevel.OVERDUE, AlertLevel.OVERDUE_5):
            write(f"  alerts created, {level.label.lower()}: {stats.alerts_created[level]}")
        write(f"  notifications created: {stats.notifications_created}")
        write(f"  emails sent: {stats.emails_sent}")
        write(f"  emails failed (retried later): {stats.emails_failed}")
        write(f"  no email address: {stats.emails_without_address}")
        if stats.emails_interrupted:
            write(
                f"  emails interrupted (a worker stopped while sending; not re-sent): "
                f"{stats.emails_interrupted}"
            )
