from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo


class Command(BaseCommand):
    help = (
        "Create a believable demo authority: teams and staff of every role, sharing one "
        "known password. Refuses to run unless DEBUG is on or "
        "--i-know-this-is-not-production is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Random seed for names (default 1)")
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Allow running with DEBUG off (the demo password is public)",
        )

    def handle(self, *args, seed, not_production, **opts):
        if not (settings.DEBUG or not_production):
            raise CommandError(
                "seed_demo creates accounts with a published password. Run it only with "
                "DEBUG on, or pass --i-know-this-is-not-production."
            )
        users = demo.seed_staff(seed=seed)
        self.stdout.write(f"Staff: {len(users)} in {len(demo.TEAMS)} teams.")
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD})")
        for user in users:
            self.stdout.write(f"  {user.username:<16} {user.role_label:<30} {user}")
