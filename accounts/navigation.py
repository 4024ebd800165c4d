"""What the navigation shows each role: each app adds its own entries (``add``, from its
``AppConfig.ready()``), in ``order``."""

from dataclasses import dataclass

from django.urls import reverse

from .models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every role
    section: str = ""  # URL prefix that marks the item as current
    order: int = 100

    def visible_to(self, user) -> bool:
        return self.roles is None or user.role in self.roles


#: Everyone who works on cases (everyone but the administrator).
CASEWORK = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.PERSONAL_ADVISER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.IRO,
        Role.LADO,
        Role.COMMISSIONING_OFFICER,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
    }
)

ITEMS: list[NavItem] = [
    NavItem("Home", "home", order=0),
    NavItem(
        "Administration",
        "admin:index",
        frozenset({Role.ADMINISTRATOR}),
        "/admin/",
        order=1000,
    ),
]


def add(*items: NavItem) -> None:
    for item in items:
        if item not in ITEMS:
            ITEMS.append(item)
    ITEMS.sort(key=lambda item: item.order)


def items_for(user, path: str) -> list[dict]:
    entries = []
    for item in ITEMS:
        if not item.visible_to(user):
            continue
        url = reverse(item.url_name)
        current = path == url if not item.section else path.startswith(item.section)
        entries.append({"label": item.label, "url": url, "current": current})
    return entries
