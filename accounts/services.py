"""Every write to staff and teams goes through here, in one transaction, with history."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from simple_history.utils import update_change_reason

from .models import Role, Team, User


class ProvisioningError(ValueError):
    """A request to create staff that names something that does not exist, or clashes."""


def team_create(*, name: str, kind: str) -> Team:
    name = name.strip()
    if not name:
        raise ProvisioningError("A team needs a name.")
    if kind not in Team.Kind.values:
        raise ProvisioningError(
            f"Unknown team kind '{kind}'. Use one of: {', '.join(Team.Kind.values)}."
        )
    team, _ = Team.objects.get_or_create(name=name, defaults={"kind": kind})
    return team


def user_create(
    *,
    username: str,
    role: str,
    password: str,
    team_name: str | None = None,
    manager_username: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    actor: User | None = None,
) -> User:
    """Create a member of staff, refusing (and creating nothing) if any part is wrong."""
    try:
        parsed_role = Role.parse(role)
    except ValueError:
        raise ProvisioningError(
            f"Unknown role '{role}'. Use one of: {', '.join(Role.values)}."
        ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ProvisioningError(f"A user called '{username}' already exists.")
    team = None
    if team_name:
        team = Team.objects.filter(name__iexact=team_name.strip()).first()
        if team is None:
            raise ProvisioningError(f"No team called '{team_name}'.")
    manager = None
    if manager_username:
        manager = User.objects.filter(username__iexact=manager_username.strip()).first()
        if manager is None:
            raise ProvisioningError(f"No user called '{manager_username}' to be the line manager.")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title or parsed_role.label,
        role=parsed_role,
        team=team,
        line_manager=manager,
        # Administrators keep the rules and reference data in the admin site.
        is_staff=parsed_role == Role.ADMINISTRATOR,
        is_superuser=parsed_role == Role.ADMINISTRATOR,
    )
    try:
        validate_password(password, user)
    except Exception as exc:  # ValidationError carries a list of messages
        messages = getattr(exc, "messages", [str(exc)])
        raise ProvisioningError("Password refused: " + " ".join(messages)) from None
    user.set_password(password)
    with transaction.atomic():
        user._history_user = actor
        user.save()
        update_change_reason(user, "Provisioned")
    return user
