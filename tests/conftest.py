"""Shared fixtures.

Tests that need something the machine may lack (PostgreSQL, Redis, a Celery worker, Chromium)
ask for it through ``require(...)``: without it they skip and say why. ``TEST_REQUIRE`` (a comma
list: ``postgres,redis,chromium`` or ``all``) turns those skips into failures, which is how CI
proves the real-service and browser tests ran.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from okxcommunity.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {c.strip() for c in os.environ.get("TEST_REQUIRE", "").split(",") if c.strip()}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which(
    "chromium-browser")


def require(capability: str, available: bool, why: str) -> None:
    """Skip (or fail, when CI requires ``capability``) unless ``available``."""
    if available:
        return
    if capability in REQUIRED or "all" in REQUIRED:
        pytest.fail(f"{why} — required by TEST_REQUIRE={','.join(sorted(REQUIRED))}",
                    pytrace=False)
    pytest.skip(why)


def redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def user():
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def user_client(client, user):
    """The test client, signed in as ``user``."""
    client.force_login(user)
    return client


@pytest.fixture
def postgres():
    require("postgres", settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
            "needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def redis_broker():
    require("redis", redis_available(), "needs Redis: set REDIS_URL to a running server")


@pytest.fixture
def chromium_path():
    require("chromium", bool(CHROMIUM), "needs Chromium: apt-get install chromium")
    return CHROMIUM


@pytest.fixture(autouse=True)
def _isolated_state(settings, tmp_path):
    """Each test starts in English, with an empty cache (rate limits live there), its own media
    folders and eager Celery. Tests that want the real broker and worker use ``celery_worker``.
    Passwords use a fast hasher: the real one costs a third of a second per user. Anonymous
    pages are not cached (tests/forum/test_anonymous_cache.py turns it on), so each request shows
    what the test just wrote."""
    _clear_cache()
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with translation.override("en"):
        yield
    celery_app.conf.task_always_eager = eager
    _clear_cache()


def _clear_cache() -> None:
    if settings.REDIS_URL:
        # Only this project's keys: the broker may share the Redis database.
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


class CeleryWorker:
    """A ``celery worker`` subprocess started by ``celery_workers``."""

    def __init__(self, *, process: subprocess.Popen, log: Path, mail_dir: Path, queues):
        self.process, self.log, self.mail_dir, self.queues = process, log, mail_dir, queues

    def output(self) -> str:
        return self.log.read_text()

    def wait_ready(self, timeout: float = 60) -> "CeleryWorker":
        _wait_for_log(self.process, self.log, "ready.", timeout=timeout)
        return self

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def worker_env(*, broker_url: str | None = None, mail_dir: Path | None = None,
               extra: dict | None = None) -> dict:
    """The environment of a worker process on the test database (and ``broker_url``)."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    if mail_dir is not None:
        env["EMAIL_URL"] = f"filemail:///{mail_dir}"
    env.update(extra or {})
    return env


def purge_queues(queues, *, broker_url: str | None = None) -> None:
    """Drop whatever earlier runs left in ``queues`` (only those: the Redis may be shared)."""
    with celery_app.connection_for_write(broker_url) as connection:
        channel = connection.default_channel
        for queue in queues:
            channel.queue_purge(queue)


@pytest.fixture
def celery_workers(redis_broker, postgres, transactional_db, tmp_path):
    """A factory of real ``celery worker`` processes on the test database.

    ``start(queues=["default"], broker_url=None, env=None)`` starts one (solo pool) on those
    queues and the given broker (default: the configured one; ``env`` adds settings), empties
    those queues first, waits until it is ready (``wait=False``: call ``.wait_ready()``), turns
    eager mode off in the test process and returns a ``CeleryWorker``. Every worker started is
    stopped at the end of the test. Tests using it must commit their data (the fixture brings
    ``transactional_db``)."""
    started: list[CeleryWorker] = []

    def start(*, queues=("default",), broker_url: str | None = None, env: dict | None = None,
              purge: bool = True, name: str | None = None, wait: bool = True) -> CeleryWorker:
        queues = list(queues)
        name = name or f"worker{len(started) + 1}"
        mail_dir = tmp_path / f"{name}-mail"
        mail_dir.mkdir(exist_ok=True)
        if purge:
            purge_queues(queues, broker_url=broker_url)
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "okxcommunity", "worker",
             "-Q", ",".join(queues), "-n", f"{name}@%h", "-P", "solo", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
            cwd=ROOT, env=worker_env(broker_url=broker_url, mail_dir=mail_dir, extra=env),
            stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        worker = CeleryWorker(process=process, log=log, mail_dir=mail_dir, queues=queues)
        started.append(worker)
        if wait:
            worker.wait_ready()
        celery_app.conf.task_always_eager = False
        return worker

    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = True
        for worker in started:
            worker.stop()


@pytest.fixture
def celery_worker(celery_workers):
    """A real ``celery worker`` process on queue ``default``, on the real Redis broker, using
    the test database. Its email goes to files in the returned ``mail_dir``.

    Tests using it must commit their data (the fixture brings ``transactional_db``)."""
    return celery_workers(queues=["default"]).mail_dir


def _wait_for_log(process: subprocess.Popen, log: Path, text: str, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if text in log.read_text():
            return
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("Celery worker did not start:\n" + log.read_text()[-4000:])


DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down():
    """Publishing really goes to a broker that refuses connections."""
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = DEAD_BROKER
    _drop_connections()
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, url
    _drop_connections()


def _drop_connections():
    # The app keeps a connection pool and a producer pool made from the old broker URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def wait_until(predicate, *, timeout: float = 20, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
