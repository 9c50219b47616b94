"""Feedback fixtures: a small taxonomy (tags with auto-tag rules, product areas), product teams
with routing rules and signed webhooks, and a real HTTP server on 127.0.0.1 standing in for the
teams' webhook endpoints."""

import json
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis
from celery.signals import before_task_publish, task_prerun, task_retry

from feedback.models import ProductArea, RoutingRule, Tag, TagRule, Team
from okxcommunity.celery import app as celery_app
from tests.conftest import DEAD_BROKER, _drop_connections, require

REDIS_SERVER = shutil.which("redis-server")

TAGS = {
    # slug: (keyword rules, regex rules)
    "withdrawal": (["withdrawal", "withdraw", "提现", "提币", "到账"],
                   [r"usdt.{0,20}(trc|erc)-?20"]),
    "deposit": (["deposit", "充值", "充币"], []),
    "fees": (["fee", "fees", "手续费"], []),
    "app-crash": (["crash", "crashes", "闪退", "崩溃"], []),
    "login": (["login", "log in", "登录"], []),
    "account-security": (["hacked", "2fa", "被盗"], []),
    "praise": ([], []),  # only ever chosen by users
}
AREAS = ["trading", "mobile-app", "wallet", "security", "account"]
TEAMS = {
    # slug: (name, triage, owned tags, owned areas)
    "trading": ("Trading", False, ["fees"], ["trading"]),
    "mobile": ("Mobile app", False, ["app-crash"], ["mobile-app"]),
    "wallet": ("Wallet & payments", False, ["withdrawal", "deposit"], ["wallet"]),
    "security": ("Security", False, ["account-security"], ["security"]),
    "customer-service": ("Customer service", True, ["login"], ["account"]),
}


def team_secret(slug: str) -> str:
    return f"whsec-{slug}-0123456789"


@dataclass
class Taxonomy:
    tags: dict[str, Tag]
    areas: dict[str, ProductArea]
    teams: dict[str, Team]


def make_taxonomy(*, webhook_base: str = "") -> Taxonomy:
    """Tags, rules, areas and teams; each team's webhook is ``<webhook_base>/<team slug>``."""
    tags, areas, teams = {}, {}, {}
    for slug, (keywords, regexes) in TAGS.items():
        tag = Tag.objects.create(slug=slug)
        tags[slug] = tag
        TagRule.objects.bulk_create(
            [TagRule(tag=tag, kind=TagRule.Kind.KEYWORD, pattern=k) for k in keywords]
            + [TagRule(tag=tag, kind=TagRule.Kind.REGEX, pattern=r) for r in regexes])
    for position, slug in enumerate(AREAS):
        areas[slug] = ProductArea.objects.create(slug=slug, position=position)
    position = 0
    for slug, (name, triage, owned_tags, owned_areas) in TEAMS.items():
        team = Team.objects.create(
            slug=slug, name=name, is_triage=triage,
            webhook_url=f"{webhook_base}/{slug}" if webhook_base else "",
            webhook_secret=team_secret(slug))
        teams[slug] = team
        for tag_slug in owned_tags:
            position += 1
            RoutingRule.objects.create(position=position, tag=tags[tag_slug], team=team)
        for area_slug in owned_areas:
            position += 1
            RoutingRule.objects.create(position=position, product_area=areas[area_slug],
                                       team=team)
    return Taxonomy(tags=tags, areas=areas, teams=teams)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """Records every request; answers ``fail_status`` to the first ``fail_first`` of them
    (0 means a garbled, non-HTTP answer) and takes ``delay`` seconds over each answer."""

    url: str = ""
    fail_first: int = 0
    fail_status: int = 500
    delay: float = 0
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            status = self.fail_status if len(self.requests) < self.fail_first else 200
            self.requests.append(Received(path=path, headers=headers, body=body, status=status))
            return status

    def delivered(self) -> list[Received]:
        """The requests that were answered 2xx."""
        with self.lock:
            return [r for r in self.requests if 200 <= r.status < 300]

    def to(self, team_slug: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == f"/{team_slug}"]


def _handler(receiver: WebhookReceiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = receiver.answer(self.path, dict(self.headers.items()), body)
            if receiver.delay:
                time.sleep(receiver.delay)
            if status == 0:
                self.wfile.write(b"garbage, not HTTP\r\n\r\n")
                self.close_connection = True
                return
            payload = b'{"ok": true}' if status < 300 else b'{"error": "boom"}'
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):  # noqa: A002 - quiet
            pass

    return Handler


@pytest.fixture
def webhook_receiver():
    """A real HTTP server on 127.0.0.1 (a free port) in a thread, recording webhook calls."""
    receiver = WebhookReceiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def taxonomy(db, webhook_receiver) -> Taxonomy:
    """Tags, areas and teams whose webhooks point at ``webhook_receiver``."""
    return make_taxonomy(webhook_base=webhook_receiver.url)


@pytest.fixture
def fast_retries(settings):
    """Webhook retries without waiting (eager Celery retries inline anyway)."""
    settings.FEEDBACK_WEBHOOK_RETRY_BASE = 0.01
    settings.FEEDBACK_WEBHOOK_MAX_RETRIES = 3
    settings.FEEDBACK_WEBHOOK_TIMEOUT = 2
    return settings


@dataclass
class TaskLog:
    """Tasks published to a broker or run eagerly in this process, and retries asked for."""

    published: list[tuple[str, list]] = field(default_factory=list)
    ran: list[tuple[str, list]] = field(default_factory=list)
    retries: list[tuple[str, float]] = field(default_factory=list)

    def names(self) -> list[str]:
        return [name for name, _args in self.published + self.ran]


@pytest.fixture
def task_log():
    log = TaskLog()

    def on_publish(sender=None, body=None, headers=None, **kwargs):
        log.published.append((sender, list((body or [()])[0])))

    def on_prerun(sender=None, args=None, **kwargs):
        log.ran.append((sender.name, list(args or ())))

    def on_retry(sender=None, reason=None, **kwargs):
        log.retries.append((sender.name, getattr(reason, "when", None)))

    before_task_publish.connect(on_publish, weak=False)
    task_prerun.connect(on_prerun, weak=False)
    task_retry.connect(on_retry, weak=False)
    try:
        yield log
    finally:
        before_task_publish.disconnect(on_publish)
        task_prerun.disconnect(on_prerun)
        task_retry.disconnect(on_retry)


@contextmanager
def broker_at(url: str, *, eager: bool = False):
    """Publish from this process to the broker at ``url`` (not eagerly) for a while, like
    ``broker_down`` does: the app's connection and producer pools are dropped both ways."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, url
    _drop_connections()
    try:
        yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
        _drop_connections()


def broker_away():
    """The broker refuses connections while this lasts."""
    return broker_at(DEAD_BROKER)


class PrivateRedis:
    """A throwaway ``redis-server`` (no persistence) on its own port, started and stopped by
    the test: a broker that can really go away and come back empty."""

    def __init__(self, *, port: int, log_path):
        self.port, self.log_path, self.process = port, log_path, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "no"],
            stdout=self.log_path.open("a"), stderr=subprocess.STDOUT)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start:\n" + self.log_path.read_text())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port")


@pytest.fixture
def private_redis(tmp_path):
    """A private redis-server on a free port (6391 if free), running; stopped at the end."""
    require("redis", bool(REDIS_SERVER), "needs the redis-server binary (apt-get install "
                                         "redis-server) for a broker it can stop")
    server = PrivateRedis(port=_free_port(6391), log_path=tmp_path / "private-redis.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
