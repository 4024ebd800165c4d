"""A believable authority's staff for demonstrations and trials.

Usernames are fixed so that the README can name them; the people's names
change with --seed. Everyone shares one demo password.
"""

import random
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Role, Team, User

DEMO_PASSWORD = "demo-placements-2026"

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Daniel",
    "Esther",
    "Farah",
    "Grace",
    "Hassan",
    "Imogen",
    "James",
    "Kemi",
    "Liam",
    "Maryam",
    "Nathan",
    "Olivia",
    "Priya",
    "Rhys",
    "Sofia",
    "Tomasz",
    "Uzma",
    "Victoria",
    "Wei",
    "Yusuf",
    "Zara",
    "Aidan",
    "Bethan",
    "Callum",
    "Deborah",
    "Ellis",
    "Fatima",
]
LAST_NAMES = [
    "Adeyemi",
    "Bennett",
    "Chowdhury",
    "Davies",
    "Evans",
    "Fletcher",
    "Gallagher",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kowalski",
    "Lewis",
    "Mensah",
    "Nowak",
    "O'Connor",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Thompson",
    "Underwood",
    "Vaughan",
    "Walsh",
    "Yilmaz",
    "Ahmed",
    "Clarke",
]

TEAMS = [
    ("Children in Care North", Team.Kind.CHILDREN_IN_CARE),
    ("Children in Care South", Team.Kind.CHILDREN_IN_CARE),
    ("Care Leavers", Team.Kind.CARE_LEAVERS),
    ("IRO Service", Team.Kind.IRO_SERVICE),
    ("LADO Service", Team.Kind.LADO_SERVICE),
    ("Commissioning and Placements", Team.Kind.COMMISSIONING),
    ("Senior Leadership", Team.Kind.MANAGEMENT),
    ("Business Support", Team.Kind.ADMINISTRATION),
]


@dataclass(frozen=True)
class StaffSpec:
    username: str
    role: Role
    team: str
    manager: str | None
    job_title: str = ""


STAFF = [
    StaffSpec(
        "director", Role.DIRECTOR, "Senior Leadership", None, "Director of Children's Services"
    ),
    StaffSpec(
        "ad",
        Role.ASSISTANT_DIRECTOR,
        "Senior Leadership",
        "director",
        "Assistant Director, Corporate Parenting",
    ),
    StaffSpec(
        "sm.cic",
        Role.SERVICE_MANAGER,
        "Senior Leadership",
        "ad",
        "Service Manager, Children in Care",
    ),
    StaffSpec("sm.iro", Role.SERVICE_MANAGER, "IRO Service", "ad", "Service Manager, IRO Service"),
    StaffSpec("tm.north", Role.TEAM_MANAGER, "Children in Care North", "sm.cic"),
    StaffSpec("tm.south", Role.TEAM_MANAGER, "Children in Care South", "sm.cic"),
    StaffSpec("tm.leavers", Role.TEAM_MANAGER, "Care Leavers", "sm.cic"),
    StaffSpec("sw.north1", Role.SOCIAL_WORKER, "Children in Care North", "tm.north"),
    StaffSpec("sw.north2", Role.SOCIAL_WORKER, "Children in Care North", "tm.north"),
    StaffSpec("sw.north3", Role.SOCIAL_WORKER, "Children in Care North", "tm.north"),
    StaffSpec("sw.south1", Role.SOCIAL_WORKER, "Children in Care South", "tm.south"),
    StaffSpec("sw.south2", Role.SOCIAL_WORKER, "Children in Care South", "tm.south"),
    StaffSpec("sw.south3", Role.SOCIAL_WORKER, "Children in Care South", "tm.south"),
    StaffSpec("pa.leavers1", Role.PERSONAL_ADVISER, "Care Leavers", "tm.leavers"),
    StaffSpec("pa.leavers2", Role.PERSONAL_ADVISER, "Care Leavers", "tm.leavers"),
    StaffSpec("iro1", Role.IRO, "IRO Service", "sm.iro"),
    StaffSpec("iro2", Role.IRO, "IRO Service", "sm.iro"),
    StaffSpec("iro3", Role.IRO, "IRO Service", "sm.iro"),
    StaffSpec("lado.manager", Role.LADO, "LADO Service", "ad", "LADO Service Manager"),
    StaffSpec(
        "lado1", Role.LADO, "LADO Service", "lado.manager", "Local Authority Designated Officer"
    ),
    StaffSpec("commissioning1", Role.COMMISSIONING_OFFICER, "Commissioning and Placements", "ad"),
    StaffSpec("commissioning2", Role.COMMISSIONING_OFFICER, "Commissioning and Placements", "ad"),
    StaffSpec("admin", Role.ADMINISTRATOR, "Business Support", "sm.cic", "Systems Administrator"),
]


@transaction.atomic
def seed_staff(*, seed: int) -> list[User]:
    """Create or refresh the demo teams and staff; safe to run again."""
    rng = random.Random(seed)
    teams = {}
    for name, kind in TEAMS:
        teams[name], _ = Team.objects.update_or_create(name=name, defaults={"kind": kind})
    users: dict[str, User] = {}
    for spec in STAFF:
        admin = spec.role == Role.ADMINISTRATOR
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{spec.username}@example.gov.uk",
            },
        )
        user.role = spec.role
        user.team = teams[spec.team]
        user.line_manager = users.get(spec.manager) if spec.manager else None
        user.job_title = spec.job_title or spec.role.label
        user.is_staff = user.is_superuser = admin
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user._change_reason = "Demo data" if created else "Demo data refreshed"
        user.save()
        users[spec.username] = user
    return list(users.values())
