"""Queueing Celery work from a request without letting the broker take the request down.

The database is the record; the broker only says "do this sooner". Every job a request
queues has a periodic safety net that finds the same work from the database (the overdue
sweep every 15 minutes sends pending notifications; the nightly recompute refreshes every
open duty). So when Redis is down a request that queues work must still succeed: the
work is logged as not queued and left to the safety net.

Use :func:`enqueue_on_commit` instead of ``transaction.on_commit(lambda: task.delay(...))``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

try:  # the redis client is installed with celery[redis]; the filesystem broker needs none
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = KombuOperationalError

logger = logging.getLogger(__name__)

#: What a broker that is down, unreachable or refusing raises from ``apply_async`` (after
#: Celery's publish retries, CELERY_TASK_PUBLISH_RETRY_POLICY): kombu wraps most of them
#: in its OperationalError; the rest are the socket's and the redis client's own.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    KombuOperationalError,
    RedisError,
    ConnectionError,
    TimeoutError,
)


def enqueue(task, *args, **kwargs) -> bool:
    """Queue ``task`` now; True if the broker took it, False (logged) if it is down."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except BROKER_ERRORS as exc:
        logger.error(
            "Could not queue %s: the broker is unavailable (%s: %s). The work is left for "
            "its periodic run (overdue sweep / nightly recompute).",
            task.name,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def enqueue_on_commit(task, *args, using: str | None = None, **kwargs) -> None:
    """Queue ``task`` once the current transaction commits (at once outside one).

    A broker error is logged, not raised: by then the user's change is committed, and an
    exception from an on_commit callback would answer a saved change with an error page.
    """
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs), using=using)
