"""Celery finds tasks here; each is defined beside the service it wraps."""
