"""The access log's receivers: sign-ins, failed sign-ins and sign-outs, and every PDF of a
record (``core.signals.record_exported``), written to ``placements.AccessLog``.

Django sends ``user_logged_in``, ``user_login_failed`` and ``user_logged_out`` wherever a
session starts or ends (the sign-in page, the sign-out button, ``Client.force_login`` in
tests), so the log does not depend on which view was used. Connected in
:meth:`placements.apps.PlacementsConfig.ready`.

A failed sign-in records the username that was tried, never the password (Django has
already replaced it in ``credentials``; it is not read here anyway). When the username
belongs to an account the row names that account, so an administrator searching the log
for a username sees the attempts against it; otherwise ``user`` is empty and the name
tried is in ``detail``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from core.signals import record_exported

from .models import AccessLog, Child

_PATH_MAX = AccessLog._meta.get_field("path").max_length
_DETAIL_MAX = AccessLog._meta.get_field("detail").max_length


def _path(request) -> str:
    if request is None:
        return ""
    return request.get_full_path()[:_PATH_MAX]


def on_signed_in(sender, request, user, **kwargs) -> None:
    AccessLog.objects.create(user=user, action=AccessLog.Action.SIGN_IN, path=_path(request))


def on_signed_out(sender, request, user, **kwargs) -> None:
    if user is None:  # signing out without having been signed in
        return
    AccessLog.objects.create(user=user, action=AccessLog.Action.SIGN_OUT, path=_path(request))


def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or "")
    account = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    detail = f"Username tried: {username}"
    if request is not None and getattr(request, "axes_locked_out", False):
        detail += " (locked out after repeated failures)"
    AccessLog.objects.create(
        user=account,
        action=AccessLog.Action.SIGN_IN_FAILED,
        path=_path(request),
        detail=detail[:_DETAIL_MAX],
    )


def on_record_exported(sender, request, context, filename, **kwargs) -> None:
    child = context.get("child")
    AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        child=child if isinstance(child, Child) else None,
        path=_path(request),
        detail=f"PDF {filename}"[:_DETAIL_MAX],
    )


def connect() -> None:
    user_logged_in.connect(on_signed_in, dispatch_uid="accounts.access_log.signed_in")
    user_logged_out.connect(on_signed_out, dispatch_uid="accounts.access_log.signed_out")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="accounts.access_log.failed")
    record_exported.connect(on_record_exported, dispatch_uid="placements.access_log.export")
