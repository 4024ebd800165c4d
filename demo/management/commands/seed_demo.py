from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo import concerns as concerns_demo
from demo import register as register_demo
from demo import staff as demo
from demo import visits as visits_demo
from duties.calendar import add_working_days
from duties.models import Duty
from duties.recompute import recompute_all
from reviews.rules import LAC_REVIEW
from visits.models import DISCHARGED_BY

DEFAULT_CHILDREN = 200
MAX_CHILDREN = 999_999  # child IDs D000001 to D999999


class Command(BaseCommand):
    help = (
        "Create a believable demo authority: teams and staff of every role, sharing one "
        "known password, and a caseload of children with SSDA903 placement histories in "
        "providers' settings with Ofsted inspection histories; then each child's visits and "
        "LAC reviews as the guidance asked for them up to today (mostly on time, now and "
        "then late, about one visit duty in ten left overdue) and the duties computed from "
        "them. Refuses to run unless DEBUG is on or --i-know-this-is-not-production is "
        "given. Safe to run again: staff are refreshed; demo children are numbered "
        "D000001, D000002, … and --children N tops them up to N, leaving the ones already "
        "there (and their visits) alone, so a second run with the same N adds nothing. "
        "Settings (about N/8, at least 25) and providers are found again by name rather "
        "than added twice. The same --seed against the same database gives the same records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed for names and data (default 1)"
        )
        parser.add_argument(
            "--children",
            type=int,
            default=DEFAULT_CHILDREN,
            metavar="N",
            help=(
                f"Top the demo caseload up to N children (default {DEFAULT_CHILDREN}); "
                "existing demo children are kept, so this never removes any. "
                "0 adds no children, settings or providers (staff only)."
            ),
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Allow running with DEBUG off (the demo password is public)",
        )

    def handle(self, *args, seed, children, not_production, **opts):
        if not (settings.DEBUG or not_production):
            raise CommandError(
                "seed_demo creates accounts with a published password. Run it only with "
                "DEBUG on, or pass --i-know-this-is-not-production."
            )
        if not 0 <= children <= MAX_CHILDREN:
            raise CommandError(f"--children must be between 0 and {MAX_CHILDREN:,}.")
        users = demo.seed_staff(seed=seed)
        self.stdout.write(f"Staff: {len(users)} in {len(demo.TEAMS)} teams.")
        if children:
            try:
                summary = register_demo.seed_placements(
                    seed=seed, children=children, progress=self.stdout.write
                )
            except RuntimeError as error:
                raise CommandError(str(error)) from error
            for line in summary.lines():
                self.stdout.write(line)
            self.seed_visits(seed)
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD})")
        for user in users:
            self.stdout.write(f"  {user.username:<16} {user.role_label:<30} {user}")

    def seed_visits(self, seed: int) -> None:
        """The children's visits and reviews, then every duty computed from them."""
        today = timezone.localdate()
        summary = visits_demo.seed_visits(seed=seed, today=today, progress=self.stdout.write)
        for line in summary.lines():
            self.stdout.write(line)

        def progress(done: int, total: int) -> None:
            if done == total or done // DUTY_PROGRESS != (done - DUTY_BATCH) // DUTY_PROGRESS:
                self.stdout.write(f"duties: {done:,} / {total:,} children")

        stats = recompute_all(today=today, batch_size=DUTY_BATCH, progress=progress)
        if stats.errors:
            self.stderr.write(f"Duties not computed for {stats.errors:,} children (see the log).")
        for line in duty_lines(today):
            self.stdout.write(line)
        concerns_demo.seed_concern_workflow(today=today, progress=self.stdout.write)


DUTY_BATCH = 500
DUTY_PROGRESS = 2000  # a progress line about every this many children


def duty_lines(today) -> list[str]:
    """What the demo caseload's worktrays hold today."""
    demo_duties = Duty.objects.filter(
        status=Duty.Status.OPEN, child__child_id__startswith=visits_demo.CHILD_ID_PREFIX
    )
    visit_dues = list(
        demo_duties.filter(kind__in=DISCHARGED_BY).values_list("due", flat=True).iterator()
    )
    overdue = [due for due in visit_dues if due < today]
    long_overdue = sum(today >= add_working_days(due, 5) for due in overdue)
    this_week = sum(today <= due <= today + timedelta(days=7) for due in visit_dues)
    share = f" ({len(overdue) / len(visit_dues):.0%})" if visit_dues else ""
    reviews = demo_duties.filter(kind=LAC_REVIEW)
    return [
        f"Duties open: {len(visit_dues):,} visits, {len(overdue):,} overdue{share}, "
        f"{long_overdue:,} of them by 5 working days or more; {this_week:,} due in the "
        "next 7 days",
        f"LAC reviews open: {reviews.count():,} ({reviews.filter(due__lt=today).count():,} "
        "overdue)",
    ]
