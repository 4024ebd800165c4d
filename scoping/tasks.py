"""The scoping app's Celery tasks, where Celery's autodiscovery looks for them: the emails
to invitees who are not staff (``scoping.invitations``)."""

from .invitations import send_invitee_emails

__all__ = ["send_invitee_emails"]
