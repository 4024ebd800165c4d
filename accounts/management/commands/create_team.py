from django.core.management.base import BaseCommand, CommandError

from accounts.models import Team
from accounts.services import ProvisioningError, team_create


class Command(BaseCommand):
    help = "Create a team (does nothing if a team of that name exists)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--kind", required=True, help=f"One of: {', '.join(Team.Kind.values)}")

    def handle(self, *args, name, kind, **opts):
        try:
            team = team_create(name=name, kind=kind)
        except ProvisioningError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Team {team.name} ({team.get_kind_display()}) is ready.")
