import random
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from feedback.routing import (
    WebhookError,
    delivery_deliver,
    delivery_mark_failed,
    item_classify_and_route,
    outbox_relay,
)


@shared_task
def classify_and_route(item_id: int) -> int:
    """Queue ``default``: tag, score and route one item. Returns how many teams own it."""
    return len(item_classify_and_route(item_id=item_id))


@shared_task(bind=True, max_retries=None)
def deliver(self, delivery_id: int) -> None:
    """Queue ``team.<slug>``: put one item in one team's inbox and call its webhook."""
    try:
        delivery_deliver(delivery_id=delivery_id)
    except WebhookError as exc:
        if self.request.retries >= settings.FEEDBACK_WEBHOOK_MAX_RETRIES:
            delivery_mark_failed(delivery_id=delivery_id)
            return
        # Exponential backoff with jitter, so a recovering endpoint is not hit all at once.
        delay = min(settings.FEEDBACK_WEBHOOK_RETRY_BASE * 2 ** self.request.retries, 3600)
        raise self.retry(exc=exc, countdown=delay * random.uniform(0.8, 1.2)) from exc


@shared_task
def relay_outbox() -> int:
    """Beat, every 30 s: publish again whatever the broker did not take."""
    return outbox_relay(older_than=timedelta(seconds=settings.FEEDBACK_RELAY_AFTER_SECONDS))
