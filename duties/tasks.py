"""The engine's Celery tasks, thin wrappers of a service each.

They keep the names they were registered under before the engine had an app of its
own (``visits.…``): the beat schedule's rows and any message already queued name them.
"""

import logging
from dataclasses import asdict
from datetime import date

from celery import shared_task
from django.utils import timezone

from .alerts import sweep
from .recompute import recompute_all

logger = logging.getLogger(__name__)


@shared_task(name="visits.recompute_all_duties", ignore_result=True)
def recompute_all_duties(as_of: str | None = None, batch_size: int = 500) -> dict:
    """Recompute every open duty of the recomputed kinds (nightly, after a rule is edited)."""
    stats = recompute_all(today=date.fromisoformat(as_of) if as_of else None, batch_size=batch_size)
    logger.info("Duties recomputed: %s", stats.summary())
    return asdict(stats)


@shared_task(name="visits.send_overdue_alerts")
def send_overdue_alerts() -> dict:
    """Celery beat entry: the overdue sweep for today (Europe/London)."""
    return sweep(today=timezone.localdate()).as_dict()
