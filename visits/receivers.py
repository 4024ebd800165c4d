"""What visits does when the register records a fact (``placements.events``)."""

from placements import events
from placements.models import RegulatoryNotice

from . import notices


def on_notice_recorded(sender, notice, actor=None, **kwargs) -> None:
    """An Ofsted notice for a children's home: every child placed there is visited within
    1 week (timescales.md §1)."""
    notices.open_notice_visits(notice)


def connect() -> None:
    events.notice_recorded.connect(
        on_notice_recorded, sender=RegulatoryNotice, dispatch_uid="visits.notice_recorded"
    )
