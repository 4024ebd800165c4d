"""What escalations does when the register records a fact (``placements.events``)."""

from placements import events
from placements.models import Inspection

from . import judgements


def connect() -> None:
    # A judgement's consequences for the setting's standing: suspension, concern level.
    events.judgement_recorded.connect(
        judgements.on_judgement_recorded,
        sender=Inspection,
        dispatch_uid="escalations.judgement_recorded",
    )
