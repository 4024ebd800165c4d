"""What visits adds to the register's pages (``placements.pages``): a child's visits."""

from django.urls import reverse

from placements import pages


def register() -> None:
    pages.add_child_link(
        pages.Link(
            "Visits", lambda child: reverse("visits:child_visits", args=[child.pk]), order=10
        )
    )
