"""The scoping app's Celery task: the emails to invitees who are not staff."""

from celery import shared_task


@shared_task(name="scoping.send_invitee_emails", ignore_result=True)
def send_invitee_emails() -> dict:
    """Send the invitees' emails waiting (queued when one is made; every 15 minutes by
    beat, for those the broker never heard of and the retries)."""
    from .invitations import send_pending

    return send_pending()
