"""What the engine adds to a setting's page (``placements.pages``): what is due there."""

from django.db.models import Count, Exists, OuterRef, Window

from accounts import navigation
from placements import pages
from placements.selectors import children_visible_to

from . import registry
from .models import Duty

#: How many of a setting's open duties its page lists (the total is given).
SETTING_PAGE_DUTIES = 25


def setting_duties_context(user, setting) -> dict:
    """The open duties of the kinds registered as shown on a setting's page, the first few
    by due date with the total (one query). Not each child's visits, which carry the
    setting (tens of thousands at an authority's fostering service), nor a scoping
    meeting's actions, which are for the meeting's invitees. A child's name is shown only
    where the user may see the child."""
    visible = Exists(children_visible_to(user).filter(pk=OuterRef("child_id")))
    duties = list(
        Duty.objects.filter(
            setting=setting, status=Duty.Status.OPEN, kind__in=registry.setting_page_kinds()
        )
        .select_related("child", "owner")
        .annotate(child_visible=visible, total=Window(Count("pk")))
        .order_by("due", "pk")[:SETTING_PAGE_DUTIES]
    )
    return {"setting_duties": duties}


def register() -> None:
    navigation.add(
        navigation.NavItem(
            "Worktray", "duties:worktray", navigation.CASEWORK, "/worktray/", order=10
        ),
        navigation.NavItem(
            "Deadlines", "duties:deadlines", navigation.CASEWORK, "/deadlines/", order=50
        ),
    )
    pages.add_setting_section(
        pages.Section("duties", "duties/_setting_duties.html", setting_duties_context, order=30)
    )
