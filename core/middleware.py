"""Middleware for failures (the database going away, request bodies too large to take) and
for what no cache may keep (every answer to a signed-in person).

Both answer with the service's own GOV.UK pages, rendered without the request (as Django
renders 500.html): no context processor runs, so nothing on the error page needs the
database that has just failed.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

#: Set on a request whose unhandled exception was the database failing.
_DATABASE_FAILED = "_core_database_unavailable"
#: Seconds a client (or a load balancer) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def _note_database_failure(sender, request=None, **kwargs) -> None:
    """got_request_exception: Django calls it inside its ``except`` for an unhandled error,
    from the view or from any middleware (a session or user read with the server gone)."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, (OperationalError, InterfaceError)):
        setattr(request, _DATABASE_FAILED, True)


got_request_exception.connect(_note_database_failure, dispatch_uid="core.database_unavailable")


class DatabaseUnavailableMiddleware:
    """Turn the 500 of a request that failed because the database did into a 503.

    Django has already logged the error (with its traceback) and rolled back the
    request's transaction; this only changes what the user and the load balancer see:
    "Sorry, the service is unavailable" and ``Retry-After``.

    Goes just after SecurityMiddleware, outside everything that may read the database.
    Being outside, it also sees the 500s Django makes when a middleware's own response
    step fails: with the server gone, SessionMiddleware fails again reading the expiry of
    a session it could not load, and its 500 is made outside the clickjacking and CSP
    middleware. Every 5xx leaving here gets their headers if it lacks them.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header_middleware = [
            XFrameOptionsMiddleware(get_response),
            CSPMiddleware(get_response),
        ]

    def __call__(self, request):
        response = self.get_response(request)
        failed = response.status_code == 500 and getattr(request, _DATABASE_FAILED, False)
        if failed and not settings.DEBUG:  # a developer keeps Django's technical page
            response.status_code = 503
            response.content = render_to_string("503.html")
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            response["Cache-Control"] = "no-store"
        if response.status_code >= 500:
            for middleware in self.header_middleware:  # each leaves a header already set
                response = middleware.process_response(request, response)
        return response


def max_request_body() -> int:
    """The largest body accepted anywhere but a view that takes an upload
    (:func:`takes_upload`): no form needs more than DATA_UPLOAD_MAX_MEMORY_SIZE
    (MAX_REQUEST_BODY_SIZE raises it everywhere, which nothing should need)."""
    return getattr(settings, "MAX_REQUEST_BODY_SIZE", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def takes_upload(limit: Callable[[], int]):
    """Mark a view that takes a file: its body may be up to ``limit()`` bytes (read when a
    request comes, so a setting changed in a test applies). Only that view's path is
    raised; every other path keeps :func:`max_request_body`. The view still checks the
    file's own size, beside its field."""

    def mark(view):
        view.max_request_body = limit
        return view

    return mark


def _body_limit(request) -> int:
    """The limit for this request's path: a marked view's, else :func:`max_request_body`."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return max_request_body()
    limit = getattr(view, "max_request_body", None)
    return max(limit(), max_request_body()) if limit is not None else max_request_body()


class RequestBodyLimitMiddleware:
    """413 for a body over :func:`max_request_body` (or the raised limit of a view marked
    with :func:`takes_upload`), decided from Content-Length alone.

    Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE, a 400) does not count files in a
    multipart body: those are streamed to a temporary file whatever their size, as soon as
    anything reads ``request.POST`` (CSRF checking does, on every POST). This refuses them
    before a byte is read. Place it last: a response it returns still passes through every
    other middleware, so it carries the same security headers as any page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then either
        # The URL is resolved only for a body over the usual limit: other requests pay nothing.
        if length > max_request_body() and length > _body_limit(request):
            logger.warning("Refused a %s-byte body to %s %s", length, request.method, request.path)
            return HttpResponse(render_to_string("400.html"), status=413)
        return self.get_response(request)


class PrivateResponseMiddleware:
    """``Cache-Control: no-store, private`` on every answer to a signed-in person.

    A child's record, a list, a CSV or a PDF must not be kept by a shared cache (a proxy)
    or left in the browser's cache on a shared computer after signing out. Directives a
    view set already (the admin's ``never_cache``) are kept beside these. Placed just
    after AuthenticationMiddleware, so it sees who the request is from.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
