import secrets
import string
import sys

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role
from accounts.services import ProvisioningError, user_create

ALPHABET = string.ascii_letters + string.digits


def generate_password(length: int = 20) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Create a member of staff. The password is read from standard input when it is piped; "
        "otherwise one is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=f"One of: {', '.join(Role.values)}")
        parser.add_argument("--team", help="Name of an existing team")
        parser.add_argument("--manager", help="Username of the line manager")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, role, team, manager, email, first_name, last_name, **opts):
        stdin = opts.get("stdin") or sys.stdin
        piped = not stdin.isatty()
        if piped:
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
        else:
            password = generate_password()
        try:
            user = user_create(
                username=username,
                role=role,
                password=password,
                team_name=team,
                manager_username=manager,
                email=email,
                first_name=first_name,
                last_name=last_name,
            )
        except ProvisioningError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Created {user.username} ({user.role_label}).")
        if not piped:
            self.stdout.write(f"Password (shown once): {password}")
