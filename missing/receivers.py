"""What missing does when the register changes: a reallocated child's open return home
interview goes to the new social worker (the interview is the child's social worker's)."""

from duties import services as duty_services
from placements import events

from . import rules


def on_child_allocated(sender, child, actor=None, **kwargs) -> None:
    duty_services.duties_reassign(
        kind=rules.RETURN_HOME_INTERVIEW, child=child, owner=child.social_worker, team=child.team
    )


def connect() -> None:
    events.child_allocated.connect(on_child_allocated, dispatch_uid="missing.child_allocated")
