"""The access log: who looked at which restricted record, and who took what away."""

from .models import AccessLog, Child

_PATH_MAX = AccessLog._meta.get_field("path").max_length
_DETAIL_MAX = AccessLog._meta.get_field("detail").max_length


def log_access(request, action: str, child: Child | None = None, detail: str = "") -> None:
    AccessLog.objects.create(
        user=request.user,
        action=action,
        child=child,
        path=request.get_full_path()[:_PATH_MAX],
        detail=detail[:_DETAIL_MAX],
    )


def log_restricted_view(request, child: Child) -> None:
    """Every view of a restricted record is logged (README, "Who sees what")."""
    if child.restricted:
        log_access(request, AccessLog.Action.VIEW_RESTRICTED, child=child)
