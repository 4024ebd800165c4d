"""Celery finds tasks here; each is defined beside the service it wraps."""

from .alerts import send_overdue_alerts
from .schedule import recompute_all_duties

__all__ = ["recompute_all_duties", "send_overdue_alerts"]
