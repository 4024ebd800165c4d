"""What incidents and allegations add to the register's pages (``placements.pages``) and the
navigation: a setting's recent incidents, a child's incidents and allegations, and the
allegations list. Higher layers add links to an allegation's page here (``add_allegation_link``:
scoping's "Request a scoping meeting"), as the register's pages take theirs."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts import navigation
from placements import pages
from placements.selectors import CHILD_LIST_ROLES

from . import selectors
from .models import Incident

#: How many of a setting's incidents its page lists (the rest: "All incidents").
RECENT = 5

_allegation_links: list[pages.Link] = []


def add_allegation_link(link: pages.Link) -> None:
    if link not in _allegation_links:
        _allegation_links.append(link)
        _allegation_links.sort(key=lambda entry: entry.order)


def allegation_links(user, allegation) -> list[dict]:
    return [
        {"label": link.label, "url": link.url(allegation), "button": link.button}
        for link in _allegation_links
        if link.shown_to(user) and link.url(allegation)
    ]


def incident_flags() -> dict:
    return {"has_incidents": Exists(Incident.objects.filter(setting=OuterRef("pk")))}


def incident_context(user, setting) -> dict:
    """The setting's latest incidents the user may read (two queries when it has any)."""
    recent = []
    if user.role in selectors.READ_ROLES and getattr(setting, "has_incidents", True):
        recent = list(selectors.setting_incidents(user, setting)[:RECENT])
    return {
        "recent_incidents": recent,
        "can_read_incidents": user.role in selectors.READ_ROLES,
        "can_record_incident": user.role in selectors.RECORD_ROLES,
    }


def register() -> None:
    navigation.add(
        navigation.NavItem(
            "Allegations",
            "incidents:allegations",
            selectors.READ_ROLES,
            "/allegations/",
            order=85,
        )
    )
    pages.add_child_link(
        pages.Link(
            "Incidents and allegations",
            lambda child: reverse("incidents:child_incidents", kwargs={"pk": child.pk}),
            order=40,
            shown_to=lambda user: user.role in CHILD_LIST_ROLES,
        )
    )
    pages.add_child_link(
        pages.Link(
            "Record an allegation",
            lambda child: f"{reverse('incidents:allegation_create')}?child={child.pk}",
            order=41,
            shown_to=lambda user: user.role in selectors.READ_ROLES,
        )
    )
    pages.add_setting_section(
        pages.Section(
            "incidents",
            "incidents/_setting_incidents.html",
            incident_context,
            order=30,
            annotations=incident_flags,
        )
    )
