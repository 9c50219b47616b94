"""okxcommunity/celery.py: Celery reads Django's CELERY_* settings, and on Redis the broker's
channel sends its commands through one redis-py client per connection pool."""

import uuid

import pytest
from django.conf import settings
from kombu import Connection, Queue

from okxcommunity.celery import DjangoCelerySettings, RedisChannel, RedisTransport, app


def test_celery_reads_the_django_settings():
    config = DjangoCelerySettings()
    assert config["CELERY_TASK_DEFAULT_QUEUE"] == settings.CELERY_TASK_DEFAULT_QUEUE
    assert set(config) == {name for name in dir(settings) if name.startswith("CELERY_")}
    assert len(config) == len(set(config))
    with pytest.raises(KeyError):
        config["DEBUG"]  # only the CELERY_ namespace
    assert app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE


def test_redis_broker_uses_the_transport():
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("the broker is not Redis")
    with Connection(settings.CELERY_BROKER_URL,
                    transport=settings.CELERY_BROKER_TRANSPORT) as connection:
        assert isinstance(connection.transport, RedisTransport)
        assert isinstance(connection.default_channel, RedisChannel)


@pytest.mark.usefixtures("redis_broker")
def test_channel_reuses_one_client_per_pool():
    with Connection(settings.REDIS_URL, transport=RedisTransport) as connection:
        channel = connection.default_channel
        with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
            assert first is second
            assert first.connection_pool is channel.pool
        given = object()
        with channel.conn_or_acquire(given) as client:
            assert client is given  # a client passed in is used as is
        channel._disconnect_pools()  # as after a fork
        with channel.conn_or_acquire() as after:
            assert after is not first
            assert after.connection_pool is channel.pool


@pytest.mark.usefixtures("redis_broker")
def test_messages_go_through_and_are_acked():
    queue = Queue(f"test-celery-{uuid.uuid4().hex}")
    with Connection(settings.REDIS_URL, transport=RedisTransport) as connection:
        channel = connection.default_channel
        try:
            with connection.Producer() as producer:
                for n in range(3):
                    producer.publish({"n": n}, routing_key=queue.name, declare=[queue])
            received = []
            simple = connection.SimpleQueue(queue)
            for _ in range(3):
                message = simple.get(timeout=5)
                received.append(message.payload["n"])
                message.ack()
            assert received == [0, 1, 2]
            assert channel.client.hlen(channel.unacked_key) == 0
            assert channel.client.llen(queue.name) == 0
        finally:
            queue(channel).delete()
