from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from notifications.services import (
    notification_email_send,
    notification_email_sweep,
    notification_prune,
)


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def notification_send_email(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)


@shared_task
def notifications_prune() -> int:
    return notification_prune(older_than=timedelta(days=settings.NOTIFICATIONS_KEEP_READ_DAYS))


@shared_task
def notifications_email_sweep() -> int:
    """Beat: emails whose first publish found no broker."""
    return notification_email_sweep(older_than=timedelta(minutes=2))
