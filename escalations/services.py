"""Writes to a setting's concern level: one ConcernLevelChange per change, with history."""

from django.db import transaction

from placements.models import Inspection, Setting

from .models import ConcernLevelChange


@transaction.atomic
def concern_level_change(
    *,
    setting: Setting,
    level: str,
    reason: str,
    source: str = ConcernLevelChange.Source.MANUAL,
    inspection: Inspection | None = None,
    actor=None,
) -> ConcernLevelChange | None:
    """Set a setting's concern level and record why; None when nothing changes.

    A judgement changes the level once (the (inspection, source) constraint): recording
    the same judgement again returns None, as does setting the level it already has.
    """
    setting = Setting.objects.select_for_update().get(pk=setting.pk)
    if inspection is not None and (
        ConcernLevelChange.objects.filter(inspection=inspection, source=source).exists()
    ):
        return None
    if setting.concern_level == level:
        return None
    change = ConcernLevelChange(
        setting=setting,
        level=level,
        previous_level=setting.concern_level,
        reason=reason,
        source=source,
        inspection=inspection,
        set_by=actor,
    )
    if actor is not None:
        change._history_user = actor
        setting._history_user = actor
    change.save()
    setting.concern_level = level
    setting._change_reason = f"Concern level: {change.get_level_display()}"
    setting.save(update_fields=["concern_level"])
    return change
