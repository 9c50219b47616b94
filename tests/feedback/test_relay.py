"""The outbox relay: what the broker never got is published again, and only that. With the
broker down a submission still succeeds at once and waits in the outbox."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from feedback.models import Delivery, FeedbackItem, Outbox
from feedback.routing import item_classify_and_route, outbox_relay
from feedback.services import feedback_submit
from feedback.tasks import relay_outbox
from okxcommunity.celery import app as celery_app
from tests.feedback.conftest import broker_away

pytestmark = pytest.mark.django_db(transaction=True)

TASK_CLASSIFY, TASK_DELIVER = "feedback.tasks.classify_and_route", "feedback.tasks.deliver"


def forum_post(title: str = "USDT 提现", **overrides) -> FeedbackItem:
    values = {"source": "forum.post", "source_ref": "t/42", "title": title,
              "body": "USDT 提现一直没到账，TRC-20 网络", "language": "zh-hans"}
    values.update(overrides)
    with transaction.atomic():
        return feedback_submit(**values)


def age(item: FeedbackItem, seconds: float) -> None:
    """Make the item's outbox row and deliveries look ``seconds`` old."""
    then = timezone.now() - timedelta(seconds=seconds)
    Outbox.objects.filter(item=item).update(created_at=then)
    Delivery.objects.filter(item=item).update(created_at=then)


def test_with_the_broker_down_a_submission_succeeds_at_once_and_waits(taxonomy, broker_down,
                                                                      webhook_receiver):
    started = time.monotonic()
    item = forum_post()
    elapsed = time.monotonic() - started

    assert elapsed < 1, f"submit took {elapsed:.2f}s with the broker down"
    entry = Outbox.objects.get(item=item)
    assert entry.processed_at is None and entry.published_at is None
    assert entry.attempts == 1
    item.refresh_from_db()
    assert item.classified_at is None
    assert not Delivery.objects.exists() and webhook_receiver.requests == []

    # The relay, run while the broker is still down, fails quietly and quickly.
    age(item, 60)
    started = time.monotonic()
    assert outbox_relay(older_than=timedelta(seconds=30)) == 0
    assert time.monotonic() - started < 1
    assert Outbox.objects.get(item=item).attempts == 2


def test_the_relay_publishes_what_the_broker_missed(taxonomy, webhook_receiver, task_log):
    with broker_away():
        missed = forum_post()
        fresh = forum_post(title="just now")
    age(missed, 60)

    assert outbox_relay(older_than=timedelta(seconds=30)) == 1

    entry = Outbox.objects.get(item=missed)
    assert entry.processed_at is not None and entry.published_at is not None
    assert Delivery.objects.get(item=missed).status == Delivery.Status.DELIVERED
    assert [r.json()["item"]["id"] for r in webhook_receiver.requests] == [missed.pk]
    assert Outbox.objects.get(item=fresh).processed_at is None  # its turn comes later
    assert task_log.ran == [(TASK_CLASSIFY, [missed.pk]),
                            (TASK_DELIVER, [Delivery.objects.get(item=missed).pk])]


def test_processed_rows_are_not_published_again(taxonomy, webhook_receiver, task_log):
    item = forum_post()
    age(item, 3600)
    calls = len(task_log.ran)

    assert outbox_relay(older_than=timedelta(seconds=30)) == 0
    assert len(task_log.ran) == calls
    assert len(webhook_receiver.requests) == 1


def test_deliveries_never_attempted_are_published_again(taxonomy, webhook_receiver, task_log):
    item = forum_post(product_area="mobile-app")  # wallet and mobile
    Delivery.objects.update(status=Delivery.Status.PENDING, attempts=0, delivered_at=None)
    with broker_away():
        # Routed, but the deliveries could not be queued.
        other = forum_post(title="other")
        item_classify_and_route(item_id=other.pk)
    assert Delivery.objects.filter(item=other, attempts=0).count() == 1
    age(item, 60)
    age(other, 60)
    webhook_receiver.requests.clear()
    task_log.ran.clear()

    assert outbox_relay(older_than=timedelta(seconds=30)) == 3

    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.DELIVERED}
    assert sorted(r.path for r in webhook_receiver.requests) == ["/mobile", "/wallet", "/wallet"]
    assert [name for name, _args in task_log.ran] == [TASK_DELIVER] * 3


def test_deliveries_already_attempted_or_done_are_left_alone(taxonomy, webhook_receiver,
                                                              task_log):
    for title, status, attempts in [("retrying", Delivery.Status.PENDING, 2),
                                    ("failed", Delivery.Status.FAILED, 9),
                                    ("done", Delivery.Status.DELIVERED, 1)]:
        item = forum_post(title=title)
        Delivery.objects.filter(item=item).update(status=status, attempts=attempts)
        age(item, 3600)
    task_log.ran.clear()
    assert outbox_relay(older_than=timedelta(seconds=30)) == 0
    assert task_log.ran == []


def test_the_relay_stops_at_the_first_broker_error_and_sends_the_rest_later(
        taxonomy, webhook_receiver):
    with broker_away():
        items = [forum_post(title=f"item {n}") for n in range(3)]
        for item in items:
            age(item, 60)
        assert outbox_relay(older_than=timedelta(seconds=30)) == 0
    # One attempt at submit, one for the first row in the relay; the rest were not tried.
    assert [Outbox.objects.get(item=i).attempts for i in items] == [2, 1, 1]

    assert outbox_relay(older_than=timedelta(seconds=30), batch=2) == 2
    assert outbox_relay(older_than=timedelta(seconds=30), batch=2) == 1
    assert not Outbox.objects.filter(processed_at__isnull=True).exists()
    assert len(webhook_receiver.requests) == 3


def test_beat_runs_the_relay_with_the_configured_age(taxonomy, webhook_receiver, settings):
    entry = celery_app.conf.beat_schedule["feedback-relay-outbox"]
    assert entry["task"] == relay_outbox.name and entry["task"] in celery_app.tasks
    with broker_away():
        item = forum_post()
    settings.FEEDBACK_RELAY_AFTER_SECONDS = 3600
    assert relay_outbox.delay().get() == 0
    settings.FEEDBACK_RELAY_AFTER_SECONDS = 0
    assert relay_outbox.delay().get() == 1
    assert Delivery.objects.get(item=item).status == Delivery.Status.DELIVERED
