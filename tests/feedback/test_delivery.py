"""Delivering to a team: the signed webhook, retries with backoff, failure, and the admin's
retry. A real HTTP server on 127.0.0.1 plays the team's endpoint; Celery runs eagerly, so a
retry runs at once (its countdown is recorded, not waited for)."""

import hashlib
import hmac
import socket

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from feedback.models import Delivery, FeedbackItem, Team
from feedback.routing import (
    delivery_deliver,
    delivery_retry,
    item_classify_and_route,
    webhook_signature,
)
from feedback.services import feedback_submit
from feedback.tasks import deliver, retry_countdown
from tests.feedback.conftest import broker_away, team_secret

pytestmark = pytest.mark.django_db(transaction=True)


def forum_post(**overrides) -> FeedbackItem:
    values = {"source": "forum.post", "source_ref": "https://community.example/t/42#p7",
              "title": "USDT 提现", "body": "USDT 提现一直没到账，TRC-20 网络",
              "language": "zh-hans", "tags": ["praise"]}
    values.update(overrides)
    with transaction.atomic():
        item = feedback_submit(**values)
    item.refresh_from_db()
    return item


def verify(secret: str, body: bytes, signature: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def test_the_webhook_gets_signed_json(taxonomy, webhook_receiver, settings):
    item = forum_post()
    delivery = Delivery.objects.get(item=item)

    [request] = webhook_receiver.requests
    assert request.path == "/wallet"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.headers["X-Delivery-Id"] == str(delivery.pk)
    assert verify(team_secret("wallet"), request.body, request.headers["X-Signature"])
    assert not verify(team_secret("trading"), request.body, request.headers["X-Signature"])
    assert not verify(team_secret("wallet"), request.body + b" ", request.headers["X-Signature"])
    payload = request.json()
    assert payload["delivery_id"] == delivery.pk and payload["team"] == "wallet"
    assert payload["item"] == {
        "id": item.pk, "title": "USDT 提现", "body": "USDT 提现一直没到账，TRC-20 网络",
        "language": "zh-hans", "source": "forum.post",
        "source_ref": "https://community.example/t/42#p7", "product_area": None,
        "tags": ["praise", "withdrawal"], "sentiment": "negative", "status": "open",
        "url": f"{settings.SITE_URL}{item.get_absolute_url()}",
        "created_at": item.created_at.isoformat(),
    }


def test_webhook_signature_is_hmac_sha256_of_the_raw_body():
    body = '{"a":"提现"}'.encode()
    assert webhook_signature(secret="s3cret", body=body) == (
        "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest())


def test_a_team_without_a_webhook_gets_it_in_its_inbox(taxonomy, webhook_receiver):
    Team.objects.filter(slug="wallet").update(webhook_url="")
    item = forum_post()
    delivery = Delivery.objects.get(item=item)
    assert delivery.status == Delivery.Status.DELIVERED and delivery.delivered_at
    assert webhook_receiver.requests == []


def inbox_only_delivery() -> Delivery:
    """A forum post routed to wallet, which has no webhook here; the delivery is not sent on,
    the test delivers it."""
    Team.objects.filter(slug="wallet").update(webhook_url="")
    with broker_away():
        [delivery] = item_classify_and_route(item_id=forum_post().pk)
    return delivery


def test_an_inbox_only_delivery_is_one_statement_and_done_once(taxonomy, webhook_receiver):
    delivery = inbox_only_delivery()

    with CaptureQueriesContext(connection) as queries:
        delivery_deliver(delivery_id=delivery.pk)
    delivery_deliver(delivery_id=delivery.pk)  # a redelivered message

    assert len(queries) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.delivered_at
    assert delivery.attempts == 1 and delivery.last_error == ""
    assert webhook_receiver.requests == []


def test_a_failed_inbox_only_delivery_retried_by_staff_is_delivered(taxonomy):
    delivery = inbox_only_delivery()
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, attempts=9,
                                                    last_error="HTTP 500 from an old hook")

    assert delivery_retry(deliveries=Delivery.objects.all()) == 1

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 10 and delivery.last_error == ""


def test_a_failing_webhook_is_retried_with_backoff_until_it_recovers(
        taxonomy, webhook_receiver, fast_retries, task_log):
    webhook_receiver.fail_first = 2
    item = forum_post()

    delivery = Delivery.objects.get(item=item)
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 3 and delivery.last_error == ""
    assert [r.status for r in webhook_receiver.requests] == [500, 500, 200]
    ids = {r.headers["X-Delivery-Id"] for r in webhook_receiver.requests}
    assert ids == {str(delivery.pk)}  # the receiver can tell a retry from a new item
    # The task ran three times (Celery's own retries), not a loop inside one run.
    assert task_log.names().count("feedback.tasks.deliver") == 3


def test_the_backoff_doubles_up_to_an_hour_with_jitter(settings):
    settings.FEEDBACK_WEBHOOK_RETRY_BASE = 10
    for retries, expected in enumerate([10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600,
                                        3600]):
        waits = [retry_countdown(retries) for _ in range(200)]
        assert all(0.8 * expected <= wait <= 1.2 * expected for wait in waits)
        assert max(waits) - min(waits) > 0.2 * expected  # really jittered


def test_a_webhook_that_keeps_failing_ends_failed_with_the_error(
        taxonomy, webhook_receiver, fast_retries):
    webhook_receiver.fail_first = 100
    item = forum_post()

    delivery = Delivery.objects.get(item=item)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == fast_retries.FEEDBACK_WEBHOOK_MAX_RETRIES + 1
    assert delivery.last_error == f"HTTP 500 from {webhook_receiver.url}/wallet"
    assert delivery.delivered_at is None
    assert len(webhook_receiver.requests) == fast_retries.FEEDBACK_WEBHOOK_MAX_RETRIES + 1


def test_the_admin_retry_sends_failed_deliveries_again(taxonomy, webhook_receiver, fast_retries):
    webhook_receiver.fail_first = 4  # every attempt of the first round fails
    failed = Delivery.objects.get(item=forum_post())
    delivered = Delivery.objects.get(item=forum_post(title="USDT 提现 2"))
    assert failed.status == Delivery.Status.FAILED
    assert delivered.status == Delivery.Status.DELIVERED
    calls = len(webhook_receiver.requests)

    assert delivery_retry(deliveries=Delivery.objects.all()) == 1  # the delivered one stays

    failed.refresh_from_db()
    assert failed.status == Delivery.Status.DELIVERED and failed.last_error == ""
    assert failed.attempts == 5
    assert len(webhook_receiver.requests) == calls + 1
    assert webhook_receiver.requests[-1].headers["X-Delivery-Id"] == str(failed.pk)


def test_the_admin_retry_of_a_still_failing_webhook_fails_again(
        taxonomy, webhook_receiver, fast_retries):
    webhook_receiver.fail_first = 100
    failed = Delivery.objects.get(item=forum_post())
    assert delivery_retry(deliveries=Delivery.objects.filter(pk=failed.pk)) == 1
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.FAILED and failed.attempts == 8


@pytest.mark.parametrize(("status", "error"), [
    (404, "HTTP 404 from"),
    (302, "HTTP 302 from"),  # a redirect is not a delivery: the body would be dropped
    (0, "bad answer"),       # not HTTP at all
])
def test_other_bad_answers_are_recorded_and_retried(taxonomy, webhook_receiver, fast_retries,
                                                    status, error):
    webhook_receiver.fail_first, webhook_receiver.fail_status = 1, status
    item = forum_post()
    delivery = Delivery.objects.get(item=item)
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 2
    assert [r.path for r in webhook_receiver.requests] == ["/wallet", "/wallet"]

    webhook_receiver.fail_first = 100
    item = forum_post(title="again")
    delivery = Delivery.objects.get(item=item)
    assert delivery.status == Delivery.Status.FAILED
    assert error in delivery.last_error


def test_an_unreachable_webhook_is_recorded(taxonomy, fast_retries):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Team.objects.filter(slug="wallet").update(webhook_url=f"http://127.0.0.1:{port}/hook")
    delivery = Delivery.objects.get(item=forum_post())
    assert delivery.status == Delivery.Status.FAILED
    assert "Connection refused" in delivery.last_error or "ConnectionRefused" in \
        delivery.last_error


def test_a_slow_webhook_times_out(taxonomy, webhook_receiver, fast_retries):
    fast_retries.FEEDBACK_WEBHOOK_TIMEOUT = 0.2
    fast_retries.FEEDBACK_WEBHOOK_MAX_RETRIES = 0
    webhook_receiver.delay = 0.5
    delivery = Delivery.objects.get(item=forum_post())
    assert delivery.status == Delivery.Status.FAILED
    assert "timed out" in delivery.last_error


def test_delivering_twice_calls_the_webhook_once(taxonomy, webhook_receiver):
    delivery = Delivery.objects.get(item=forum_post())
    deliver.delay(delivery.pk)
    delivery_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert len(webhook_receiver.requests) == 1


def test_a_deleted_delivery_is_skipped(taxonomy):
    delivery_deliver(delivery_id=987654)
    deliver.delay(987654)
    assert not Delivery.objects.exists()
