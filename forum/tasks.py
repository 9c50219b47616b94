from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from core.broker import publish
from forum.digest import digest_send, digests_due


@shared_task
def forum_digests_send_due() -> int:
    """Beat, hourly: one task per member whose digest is due. Returns how many were queued."""
    queued = 0
    for digest_id in digests_due(now=timezone.now()):
        if not publish(forum_digest_send, args=[digest_id]):
            break
        queued += 1
    return queued


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def forum_digest_send(digest_id: int) -> bool:
    return digest_send(digest_id=digest_id)
