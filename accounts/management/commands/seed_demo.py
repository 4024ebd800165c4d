from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo
from placements import demo as placements_demo

DEFAULT_CHILDREN = 200
MAX_CHILDREN = 999_999  # child IDs D000001 to D999999


class Command(BaseCommand):
    help = (
        "Create a believable demo authority: teams and staff of every role, sharing one "
        "known password, and a caseload of children with SSDA903 placement histories in "
        "providers' settings with Ofsted inspection histories. Refuses to run unless DEBUG "
        "is on or --i-know-this-is-not-production is given. Safe to run again: staff are "
        "refreshed; demo children are numbered D000001, D000002, … and --children N tops "
        "them up to N, leaving the ones already there alone (a second run with the same N "
        "adds nothing). Settings (about N/8, at least 25) and providers are found again "
        "by name rather than added twice. The same --seed against the same database gives "
        "the same records."
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
                summary = placements_demo.seed_placements(
                    seed=seed, children=children, progress=self.stdout.write
                )
            except RuntimeError as error:
                raise CommandError(str(error)) from error
            for line in summary.lines():
                self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD})")
        for user in users:
            self.stdout.write(f"  {user.username:<16} {user.role_label:<30} {user}")
