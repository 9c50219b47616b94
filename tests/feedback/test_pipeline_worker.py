"""The pipeline for real: Celery workers in their own processes (one on ``default``, one on
every team queue as printed by ``manage.py team_queues``), Redis as the broker, the test
PostgreSQL database, and a real HTTP server as the teams' webhook endpoint."""

import hashlib
import hmac
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from feedback.models import Delivery, FeedbackItem, ItemTag, Outbox, RoutingRule, Tag, TagRule
from feedback.routing import outbox_relay
from feedback.services import feedback_submit
from feedback.tasks import classify_and_route, deliver
from okxcommunity.celery import FRESH_AFTER_SUCCESS
from tests.conftest import wait_until
from tests.feedback.conftest import broker_at, team_secret

pytestmark = [pytest.mark.worker, pytest.mark.services]

FORUM_BODY = "USDT 提现一直没到账，TRC-20 网络"


def team_queues() -> list[str]:
    out = StringIO()
    call_command("team_queues", stdout=out)
    return out.getvalue().strip().split(",")


def start_pipeline(celery_workers, *, broker_url=None, defaults=1, teams=1, env=None):
    """``defaults`` workers on queue default and ``teams`` on all team queues, started
    together."""
    workers = [celery_workers(queues=["default"], broker_url=broker_url, env=env, wait=False,
                              name=f"default{n}") for n in range(defaults)]
    workers += [celery_workers(queues=team_queues(), broker_url=broker_url, env=env,
                               wait=False, name=f"teams{n}") for n in range(teams)]
    for worker in workers:
        worker.wait_ready()
    return workers


def forum_post(title="USDT 提现", **overrides) -> FeedbackItem:
    values = {"source": "forum.post", "source_ref": "https://community.example/t/42#p7",
              "title": title, "body": FORUM_BODY, "language": "zh-hans", "tags": ["praise"]}
    values.update(overrides)
    with transaction.atomic():
        return feedback_submit(**values)


def delivered(item: FeedbackItem, count: int = 1) -> list[Delivery]:
    done = list(Delivery.objects.filter(item=item, status=Delivery.Status.DELIVERED))
    return done if len(done) >= count else []


def signed_by(secret: str, request) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request.headers["X-Signature"])


def settle(seconds: float = 1.5) -> None:
    """Give duplicates (if any) the time to show up before counting."""
    time.sleep(seconds)


def logs(workers) -> str:
    return "\n\n".join(f"--- {' '.join(w.queues)}\n{w.output()[-3000:]}" for w in workers)


def wait_for(predicate, workers, *, timeout: float = 30):
    """``wait_until``, showing the workers' logs when it times out."""
    try:
        return wait_until(predicate, timeout=timeout)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{logs(workers)}") from None


def test_a_chinese_forum_post_is_tagged_routed_and_delivered_by_workers(
        taxonomy, celery_workers, webhook_receiver):
    workers = start_pipeline(celery_workers)
    item = forum_post()

    [delivery] = wait_for(lambda: delivered(item), workers)
    item.refresh_from_db()
    assert item.sentiment == FeedbackItem.Sentiment.NEGATIVE
    assert {t.tag.slug: t.auto for t in ItemTag.objects.filter(item=item)
            .select_related("tag")} == {"withdrawal": True, "praise": False}
    assert delivery.team.slug == "wallet" and delivery.attempts == 1
    assert Outbox.objects.get(item=item).processed_at is not None

    [request] = webhook_receiver.requests
    assert request.path == "/wallet"
    assert request.headers["X-Delivery-Id"] == str(delivery.pk)
    assert signed_by(team_secret("wallet"), request)
    assert request.json()["item"]["id"] == item.pk
    assert request.json()["item"]["tags"] == ["praise", "withdrawal"]
    # The classification ran in the default worker, the delivery in the team worker.
    assert "classify_and_route" in workers[0].output()
    assert "feedback.tasks.deliver" in workers[1].output()


def test_nothing_is_lost_while_the_broker_is_away(taxonomy, celery_workers, webhook_receiver,
                                                   private_redis):
    """The broker (a private redis-server) dies: submitting still works at once and the item
    waits in the outbox. Redis comes back empty; the relay (as beat runs it) publishes the item
    again and it is delivered exactly once."""
    with broker_at(private_redis.url):
        workers = start_pipeline(celery_workers, broker_url=private_redis.url)
        before = forum_post(title="before the outage", product_area="trading")
        wait_for(lambda: delivered(before, 2), workers)

        private_redis.stop()
        started = time.monotonic()
        item = forum_post(product_area="mobile-app")  # wallet and mobile
        assert time.monotonic() - started < 1
        entry = Outbox.objects.get(item=item)
        assert entry.processed_at is None and entry.published_at is None
        assert outbox_relay(older_than=timedelta(0)) == 0  # still away

        private_redis.start()  # empty: whatever it held is gone
        for worker in workers:
            worker.stop()
        workers = start_pipeline(celery_workers, broker_url=private_redis.url)
        assert outbox_relay(older_than=timedelta(0)) == 1

        done = wait_for(lambda: delivered(item, 2), workers)
        settle()
        assert sorted(d.team.slug for d in done) == ["mobile", "wallet"]
        assert Delivery.objects.filter(item=item).count() == 2
        assert sorted(r.path for r in webhook_receiver.requests
                      if r.json()["item"]["id"] == item.pk) == ["/mobile", "/wallet"]
        assert all(d.attempts == 1 for d in done)
        # The item delivered before the outage was not sent again.
        assert len([r for r in webhook_receiver.requests
                    if r.json()["item"]["id"] == before.pk]) == 2
        assert outbox_relay(older_than=timedelta(0)) == 0
        assert Outbox.objects.get(item=item).processed_at is not None


def test_workers_survive_a_broker_restart(taxonomy, celery_workers, webhook_receiver,
                                          private_redis):
    """The same outage with the workers left running: they reconnect by themselves."""
    with broker_at(private_redis.url):
        workers = start_pipeline(celery_workers, broker_url=private_redis.url)
        private_redis.stop()
        item = forum_post()
        time.sleep(1)
        private_redis.start()
        wait_until(lambda: outbox_relay(older_than=timedelta(0)), timeout=30)
        [delivery] = wait_for(lambda: delivered(item), workers, timeout=60)
        settle()
        assert len(webhook_receiver.requests) == 1
        assert delivery.attempts == 1


def test_workers_replace_database_connections_broken_while_idle(
        taxonomy, celery_workers, webhook_receiver):
    """A busy worker does not ask the database "SELECT 1" before every task, but one that was
    idle does: a connection broken meanwhile (a database restart) is replaced, no task fails."""
    workers = start_pipeline(celery_workers)
    first = forum_post()
    wait_for(lambda: delivered(first), workers)
    time.sleep(FRESH_AFTER_SUCCESS + 0.5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND pid <> pg_backend_pid()")

    second = forum_post(title="USDT 提现 again")
    wait_for(lambda: delivered(second), workers)
    assert "Traceback" not in logs(workers)


def test_redelivered_messages_make_one_delivery_and_one_webhook_call(
        taxonomy, celery_workers, webhook_receiver):
    """Messages delivered twice (a redelivery after a lost ack, the relay racing a slow
    queue): two workers per queue take the copies at the same time."""
    webhook_receiver.delay = 0.5  # the first call is still running when the copy arrives
    defaults = [celery_workers(queues=["default"], name=f"default{n}", wait=False)
                for n in range(2)]
    for worker in defaults:
        worker.wait_ready()
    item = forum_post(product_area="mobile-app")
    classify_and_route.apply_async(args=[item.pk])
    classify_and_route.apply_async(args=[item.pk])

    deliveries = wait_until(lambda: list(Delivery.objects.filter(item=item)) if len(
        Delivery.objects.filter(item=item)) == 2 else None, timeout=30)
    time.sleep(1)  # let every copy of classify_and_route finish
    for delivery in deliveries:  # two more copies of each deliver message
        deliver.apply_async(args=[delivery.pk], queue=delivery.team.queue)
        deliver.apply_async(args=[delivery.pk], queue=delivery.team.queue)
    teams = [celery_workers(queues=team_queues(), name=f"teams{n}", wait=False, purge=False)
             for n in range(2)]
    for worker in teams:
        worker.wait_ready()

    wait_until(lambda: delivered(item, 2), timeout=30)
    settle(2)
    assert Delivery.objects.filter(item=item).count() == 2
    assert sorted(r.path for r in webhook_receiver.requests) == ["/mobile", "/wallet"]
    assert all(d.attempts == 1 for d in Delivery.objects.filter(item=item))
    assert ItemTag.objects.filter(item=item).count() == 2
    output = logs(defaults + teams)
    assert output.count("classify_and_route") >= 3 and "Traceback" not in output


def test_a_failing_webhook_is_retried_with_real_backoff(taxonomy, celery_workers,
                                                        webhook_receiver):
    webhook_receiver.fail_first = 2
    start_pipeline(celery_workers, env={"FEEDBACK_WEBHOOK_RETRY_BASE": "0.5",
                                        "FEEDBACK_WEBHOOK_MAX_RETRIES": "3"})
    item = forum_post()
    started = time.monotonic()
    [delivery] = wait_until(lambda: delivered(item), timeout=30)
    assert delivery.attempts == 3
    assert [r.status for r in webhook_receiver.requests] == [500, 500, 200]
    # Waited about 0.5 s and 1 s (±20 %) between the calls.
    assert time.monotonic() - started >= 0.4 + 0.8


def test_a_webhook_that_keeps_failing_is_marked_failed_by_the_worker(
        taxonomy, celery_workers, webhook_receiver):
    webhook_receiver.fail_first = 100
    start_pipeline(celery_workers, env={"FEEDBACK_WEBHOOK_RETRY_BASE": "0.1",
                                        "FEEDBACK_WEBHOOK_MAX_RETRIES": "2"})
    item = forum_post()
    delivery = wait_until(lambda: Delivery.objects.filter(
        item=item, status=Delivery.Status.FAILED).first(), timeout=30)
    assert delivery.attempts == 3
    assert delivery.last_error.startswith("HTTP 500 from")
    settle(1)
    assert len(webhook_receiver.requests) == 3


def test_a_rule_added_while_the_workers_run_applies_to_the_next_item(
        taxonomy, celery_workers, webhook_receiver):
    """The workers cache the rules; a rule saved here (as in the admin) reaches them through the
    version stamp in Redis."""
    workers = start_pipeline(celery_workers)
    first = forum_post(title="Earn: APY too low", body="", language="en", tags=[])
    wait_for(lambda: delivered(first), workers)  # the worker has loaded (and cached) the rules
    assert Delivery.objects.get(item=first).team.slug == "customer-service"

    tag = Tag.objects.create(slug="earn")
    TagRule.objects.create(tag=tag, pattern="APY")
    RoutingRule.objects.create(tag=tag, team=taxonomy.teams["trading"])
    second = forum_post(title="Earn: APY too low again", body="", language="en", tags=[])

    [delivery] = wait_for(lambda: delivered(second), workers)
    assert delivery.team.slug == "trading"
    assert webhook_receiver.to("trading")[-1].json()["item"]["tags"] == ["earn"]
