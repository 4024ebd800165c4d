"""What the patterns of missing add to the register's pages (``placements.pages``) and the
navigation: a child's "Missing patterns" link, a setting's section (its episodes in the last
12 months, with a link to its patterns) and "Missing figures" for those who read them."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts import navigation
from placements import pages
from placements.selectors import CHILD_LIST_ROLES

from . import figures
from .models import MissingEpisode
from .pattern_views import FIGURES_ROLES
from .patterns import default_period


def has_missing_episodes():
    """Whether any child went missing from a placement at the setting, read with it: a
    setting without (most) costs the page no query more."""
    return {
        "has_missing_episodes": Exists(
            MissingEpisode.objects.filter(placement__setting=OuterRef("pk"))
        )
    }


def setting_missing_context(user, setting) -> dict:
    if user.role not in CHILD_LIST_ROLES:
        return {"missing_summary": None}
    period = default_period(timezone.localdate())
    summary = (
        figures.setting_summary(user, setting, period)
        if getattr(setting, "has_missing_episodes", True)
        else figures.SettingSummary()
    )
    return {
        "missing_summary": summary,
        "missing_period": period,
        "missing_scoped": not figures.sees_every_child(user),
    }


def register() -> None:
    navigation.add(
        navigation.NavItem(
            "Missing figures", "missing:figures", FIGURES_ROLES, "/missing/figures/", order=85
        )
    )
    pages.add_child_link(
        pages.Link(
            "Missing patterns",
            lambda child: reverse("missing:child_patterns", args=[child.pk]),
            order=40,
        )
    )
    pages.add_setting_section(
        pages.Section(
            "missing_patterns",
            "missing/_patterns_setting.html",
            setting_missing_context,
            order=40,
            annotations=has_missing_episodes,
        )
    )
