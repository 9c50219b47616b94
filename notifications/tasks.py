from smtplib import SMTPException

from celery import shared_task

from notifications.services import notification_email_send


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def notification_send_email(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)
