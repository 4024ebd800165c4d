"""What visits adds to the register's pages (``placements.pages``): a child's visits; to
the managers' navigation, the statutory visits at which the child was not seen alone; and
to a LAC review's page and PDF, the visiting schedule agreed at it (``reviews.sections``)."""

from django.urls import reverse

from accounts import navigation
from placements import pages

from . import review_schedule
from .recording import LATE_RECORDING_ROLES
from .selectors import NOT_SEEN_ALONE_ROLES


def register() -> None:
    review_schedule.register()
    navigation.add(
        navigation.NavItem(
            "Not seen alone",
            "visits:not_seen_alone",
            NOT_SEEN_ALONE_ROLES,
            "/visits/not-seen-alone/",
            order=60,
        ),
        # 003_… §20: managers see who records their visits late.
        navigation.NavItem(
            "Late recordings",
            "visits:late_recordings",
            LATE_RECORDING_ROLES,
            "/visits/late-recordings/",
            order=61,
        ),
    )
    pages.add_child_link(
        pages.Link(
            "Visits", lambda child: reverse("visits:child_visits", args=[child.pk]), order=10
        )
    )
