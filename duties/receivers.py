"""The engine's own receivers: when the register's facts change, the duties that follow
from them are recomputed in the same transaction (``placements.events``)."""

from placements import events

from .recompute import refresh_for_children


def on_placement(sender, placement, actor=None, **kwargs) -> None:
    refresh_for_children([placement.child_id])


def on_placements_changed(sender, child_ids, actor=None, **kwargs) -> None:
    refresh_for_children(child_ids)


def on_child_allocated(sender, child, actor=None, **kwargs) -> None:
    refresh_for_children([child.pk])


def connect() -> None:
    events.placement_started.connect(on_placement, dispatch_uid="duties.placement_started")
    events.placement_ended.connect(on_placement, dispatch_uid="duties.placement_ended")
    events.placements_changed.connect(
        on_placements_changed, dispatch_uid="duties.placements_changed"
    )
    events.child_allocated.connect(on_child_allocated, dispatch_uid="duties.child_allocated")
