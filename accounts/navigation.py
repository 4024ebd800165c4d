"""What the navigation shows each role. Later apps add their entries here."""

from dataclasses import dataclass

from django.urls import reverse

from .models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every role
    section: str = ""  # URL prefix that marks the item as current

    def visible_to(self, user) -> bool:
        return self.roles is None or user.role in self.roles


_CASEWORK = frozenset(
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
    NavItem("Home", "home"),
    NavItem("Worktray", "visits:worktray", _CASEWORK, "/worktray/"),
    NavItem("Children", "placements:children", _CASEWORK, "/children/"),
    NavItem("Placements", "placements:placements", _CASEWORK, "/placements/"),
    NavItem("Settings", "placements:settings", None, "/settings/"),
    NavItem("Deadlines", "visits:deadlines", _CASEWORK, "/deadlines/"),
    NavItem("Risk assessments", "scoping:risk_assessments", _CASEWORK, "/risk-assessments/"),
    NavItem(
        "IRO escalations",
        "escalations:iro_escalations",
        _CASEWORK - {Role.LADO, Role.COMMISSIONING_OFFICER},
        "/escalations/",
    ),
    NavItem(
        "Scoping requests",
        "scoping:requests",
        frozenset({Role.ASSISTANT_DIRECTOR, Role.DIRECTOR, Role.LADO}),
        "/scoping-requests/",
    ),
    NavItem(
        "Scoping meetings",
        "scoping:meetings",
        frozenset({Role.ASSISTANT_DIRECTOR, Role.LADO}),
        "/scoping-meetings/",
    ),
    NavItem("Administration", "admin:index", frozenset({Role.ADMINISTRATOR}), "/admin/"),
]


def items_for(user, path: str) -> list[dict]:
    entries = []
    for item in ITEMS:
        if not item.visible_to(user):
            continue
        url = reverse(item.url_name)
        current = path == url if not item.section else path.startswith(item.section)
        entries.append({"label": item.label, "url": url, "current": current})
    return entries
