from smtplib import SMTPException

from celery import shared_task

from forum.watching import post_email_if_unread


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def forum_post_email(notification_id: int, post_id: int) -> bool:
    """The delayed email of a forum notification, skipped if the post was read meanwhile."""
    return post_email_if_unread(notification_id=notification_id, post_id=post_id)
