"""The Celery app. Configuration comes from Django settings (``CELERY_*``); on Redis, the broker
is kombu's Redis transport with fewer redis-py clients built (``RedisTransport``).

With no broker configured the tasks run eagerly in the calling process (embedded default).
"""

import os
import threading
import time
from collections.abc import Mapping
from contextlib import contextmanager
from functools import cached_property

from celery import Celery, states
from celery.signals import task_postrun, task_prerun
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okxcommunity.settings")


class DjangoCelerySettings(Mapping):
    """Django's ``CELERY_*`` settings, read once, when Celery first needs its configuration.

    Celery looks a setting up under more than one name, several times for every message it
    sends or takes. On Django's settings object each name that is not there raises and catches
    an AttributeError, which makes the lookups cost more than sending the message to Redis;
    a dict answers at once. The settings do not change while a process runs.
    """

    @cached_property
    def _settings(self) -> dict:
        from django.conf import settings

        return {name: getattr(settings, name) for name in dir(settings)
                if name.startswith("CELERY_")}

    def __getitem__(self, key):
        return self._settings[key]

    def __iter__(self):
        return iter(self._settings)

    def __len__(self):
        return len(self._settings)


class RedisChannel(kombu_redis.Channel):
    """kombu's Redis channel, sending its commands through one redis-py client.

    kombu builds a new client for every command it sends outside its event loop: twice for each
    message a worker takes (the unacked index, then the ack) and once for each message sent.
    Building one copies redis-py's table of some two hundred reply parsers, which costs more
    CPU than the command itself. The client holds no connection of its own (they come from the
    channel's pool), so one per channel does; a new pool (after a fork) gets a new client.
    """

    _command_client = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        if self._command_client is None or self._command_client.connection_pool is not self.pool:
            self._command_client = self._create_client()
        yield self._command_client


class RedisTransport(kombu_redis.Transport):
    Channel = RedisChannel


app = Celery("okxcommunity")
app.config_from_object(DjangoCelerySettings(), namespace="CELERY")
app.autodiscover_tasks()


# A connection that served a task without a database error this long ago is not checked again
# before the next task: a worker busy with short tasks would otherwise ask the database
# "SELECT 1" before each of them. Celery's Django fix-up still replaces it every
# CELERY_DB_REUSE_MAX tasks, and a task that fails has the next one check it.
FRESH_AFTER_SUCCESS = 1.0  # seconds
# Per thread, as Django's connections are (a worker may run its tasks in threads).
_fresh = threading.local()


@task_prerun.connect
def _drop_unusable_connections(task=None, **kwargs):
    """In a worker, as Django does at each request: a connection broken by a database restart,
    or older than CONN_MAX_AGE, is replaced instead of failing the task. Eager tasks run inside
    their caller's connection and transaction, which must be left alone."""
    if task is None or getattr(task.request, "is_eager", False):
        return
    if time.monotonic() < getattr(_fresh, "until", 0.0):
        return
    from django.db import close_old_connections

    close_old_connections()


@task_postrun.connect
def _note_fresh_connections(task=None, state=None, **kwargs):
    if task is None or getattr(task.request, "is_eager", False):
        return
    from django.db import connections

    fresh = state == states.SUCCESS and all(
        connection.connection is None  # closed: the next task opens a new one
        or (connection.get_autocommit() and not connection.errors_occurred)
        for connection in connections.all(initialized_only=True))
    _fresh.until = time.monotonic() + FRESH_AFTER_SUCCESS if fresh else 0.0
