"""What reviews adds to the register's pages (``placements.pages``): a child's reviews."""

from django.urls import reverse

from placements import pages

from . import timeline


def register() -> None:
    pages.add_child_link(
        pages.Link(
            "LAC reviews",
            lambda child: reverse("reviews:child_reviews", args=[child.pk]),
            order=15,
        )
    )
    pages.add_timeline_source(pages.TimelineSource("reviews", timeline.timeline, order=20))
