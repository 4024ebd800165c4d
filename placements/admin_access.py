"""Views of restricted records in Django's admin are logged like any other (issue 24,
finding 3; README "Who sees what"): the change, history and delete pages of a child, or
of any record that belongs to a child (a visit, a placement, a review: anything with a
``child``, or a ``placement`` with one), when that child is restricted.

A middleware rather than a mixin on every ModelAdmin, so a workflow's admin added later
is covered without remembering to be.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote

from .access import log_restricted_view
from .models import Child

#: The admin pages that show one record (Django's URL names end so).
RECORD_PAGES = ("_change", "_history", "_delete")


def child_of(record) -> Child | None:
    if isinstance(record, Child):
        return record
    for path in (("child",), ("placement", "child")):
        found = record
        for name in path:
            found = getattr(found, name, None)
            if found is None:
                break
        if isinstance(found, Child):
            return found
    return None


class AdminRestrictedViewLog:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = getattr(view_func, "model_admin", None)
        match = request.resolver_match
        if (
            model_admin is None
            or "object_id" not in view_kwargs
            or match is None
            or not (match.url_name or "").endswith(RECORD_PAGES)
            or not request.user.is_authenticated
            or not model_admin.has_view_or_change_permission(request)
        ):
            return None
        record = model_admin.model._default_manager.filter(
            pk=unquote(view_kwargs["object_id"])
        ).first()
        child = child_of(record) if record is not None else None
        if child is not None:
            log_restricted_view(request, child)
        return None
