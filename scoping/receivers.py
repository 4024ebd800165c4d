"""What the concern workflow does when the register records a fact (``placements.events``)."""

from placements import events
from placements.models import Inspection

from . import judgements


def connect() -> None:
    # An Inadequate judgement: risk assessments, a scoping meeting to convene, a request.
    events.judgement_recorded.connect(
        judgements.on_judgement_recorded,
        sender=Inspection,
        dispatch_uid="scoping.judgement_recorded",
    )
