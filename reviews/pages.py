"""What reviews adds to the register's pages (``placements.pages``): a child's reviews."""

from django.urls import reverse

from placements import pages


def register() -> None:
    pages.add_child_link(
        pages.Link(
            "LAC reviews",
            lambda child: reverse("reviews:child_reviews", args=[child.pk]),
            order=15,
        )
    )
