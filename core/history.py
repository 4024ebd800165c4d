"""Who changed a case record and why, for django-simple-history."""

#: django-simple-history keeps the reason in a 100-character column.
REASON_MAX = 100


def stamp(instance, actor, reason: str = ""):
    """Tell django-simple-history who is making this change (when known) and why; returns
    the instance, so that ``stamp(row, actor, "Closed").save()`` reads as one step."""
    if actor is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason[:REASON_MAX]
    return instance
