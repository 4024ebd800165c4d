"""What visits does when the register records a fact (``placements.events``)."""

from placements import events
from placements.models import Child, RegulatoryNotice

from . import notices, pvf_review


def on_notice_recorded(sender, notice, actor=None, **kwargs) -> None:
    """An Ofsted notice for a children's home: every child placed there is visited within
    1 week (timescales.md §1)."""
    notices.open_notice_visits(notice)


def on_child_allocated(sender, child, actor=None, **kwargs) -> None:
    """A new IRO takes over the review of the child's first visit form (000_… line 137)."""
    pvf_review.reallocate(child)


def connect() -> None:
    events.child_allocated.connect(
        on_child_allocated, sender=Child, dispatch_uid="visits.child_allocated"
    )
    events.notice_recorded.connect(
        on_notice_recorded, sender=RegulatoryNotice, dispatch_uid="visits.notice_recorded"
    )
