"""Sign-in throttling by person and by address (django-axes).

Two counts, both over the last ``AXES_COOLOFF_TIME``:

- failures for one username *from one address* (``AXES_FAILURE_LIMIT``, 5): a person who
  mistypes is locked out where they are; an attacker who tries the Director's name five
  times locks the Director out only at the attacker's own address, not at County Hall;
- failures from one address whatever the username (``AXES_ADDRESS_FAILURE_LIMIT``, 30):
  a password spray across many usernames is stopped, while staff sharing an office's
  address are not locked out by a few colleagues' typing.

axes compares a single figure with a single limit; this handler gives it the larger of
the two counts scaled to that limit, so either threshold locks.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def _sum(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class PersonAndAddressHandler(AxesDatabaseHandler):
    """Needs ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]``:
    axes then reads the attempts of the person at the address, and of the address."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        per_person, per_address = (
            _sum(attempts) for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(per_person, get_failure_limit(request, credentials))
        return per_person


def client_address(request) -> str:
    """The address a request came from: the connection's, or, behind
    ``TRUSTED_PROXY_COUNT`` proxies, the address the outermost trusted proxy saw (a client
    can write what it likes at the left of X-Forwarded-For; only the proxies' own entries,
    counted from the right, are believed)."""
    direct = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return direct
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < trusted:
        return forwarded[0] if forwarded else direct
    return forwarded[-trusted]
