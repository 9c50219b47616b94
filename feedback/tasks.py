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


def retry_countdown(retries: int) -> float:
    """Seconds to wait before retry ``retries + 1``: FEEDBACK_WEBHOOK_RETRY_BASE doubled each
    time, at most an hour, with ±20 % jitter so a recovering endpoint is not hit all at once."""
    delay = min(settings.FEEDBACK_WEBHOOK_RETRY_BASE * 2 ** retries, 3600)
    return delay * random.uniform(0.8, 1.2)


@shared_task(bind=True, max_retries=None)
def deliver(self, delivery_id: int):
    """Queue ``team.<slug>``: put one item in one team's inbox and call its webhook."""
    try:
        delivery_deliver(delivery_id=delivery_id)
    except WebhookError as exc:
        if self.request.retries >= settings.FEEDBACK_WEBHOOK_MAX_RETRIES:
            delivery_mark_failed(delivery_id=delivery_id)
            return None
        countdown = retry_countdown(self.request.retries)
        if self.request.is_eager:
            # Run eagerly with task_eager_propagates, a raised Retry would not be retried:
            # it would reach the caller (the user's request). Returned, Celery's apply() runs
            # the retry at once, in process.
            return self.retry(exc=exc, countdown=countdown, throw=False)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return None


@shared_task
def relay_outbox() -> int:
    """Beat, every 30 s: publish again whatever the broker did not take."""
    return outbox_relay(older_than=timedelta(seconds=settings.FEEDBACK_RELAY_AFTER_SECONDS))
