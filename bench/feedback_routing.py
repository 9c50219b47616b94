"""End-to-end throughput of the feedback pipeline on real PostgreSQL, Redis and Celery workers.

Submits N items through ``feedback_submit`` as fast as one process can, while real worker
processes classify them (queue ``default``) and deliver them (the team queues), and measures
from the first submit to the moment the last Delivery is DELIVERED (the ``delivered_at``
stamps, polled in the database). Prints items/s for each run and the median of the runs.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/okx_bench_routing \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/feedback_routing.py

Options: ``-n 2000`` items, ``--runs 3``, ``--team-workers all|each`` (one worker on every
team queue, or one per team queue), ``--pool solo|prefork``, ``--webhook`` (every team gets a
signed webhook to a local receiver process, so each delivery is an HTTP call too),
``--db-reuse N`` (what-if: the workers run with ``CELERY_DB_REUSE_MAX = N``, so Celery's Django
fix-up stops closing the database connection around every task), ``--profile DIR`` (each
worker, and the submitter while it submits, runs under cProfile timing CPU, not wall-clock
time, and writes ``DIR/<process>.pstats`` (``submitter``, ``default``, ``teams`` or the team
queue): read them with ``python -m pstats``; profiled, the processes run several times slower,
so read the shares, not the times).
It migrates the database, loads the demo taxonomy (``accounts.demo`` + ``feedback.demo``)
and, before each run, empties the feedback tables and the Celery queues it uses. Besides
items/s it prints the CPU time the bench's own processes (submitter and workers, not
PostgreSQL or Redis) spent per item, each process's share of it, and the load average: the
machine may be shared.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okxcommunity.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/okx_bench_routing")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")
os.environ.setdefault("CACHE_KEY_PREFIX", "okxbench")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"

TEXTS = [
    # source, language, title, body, tags chosen by the user, product area
    ("forum.post", "zh-hans", "USDT 提现", "USDT 提现一直没到账，TRC-20 网络", [], None),
    ("forum.post", "en", "Withdrawal stuck", "My BTC withdrawal has been pending for 3 hours.",
     [], None),
    ("tickets.ticket", "en", "App crashes on launch",
     "Since the update the app crashes when I open the markets tab. Not good.", [], None),
    ("tickets.ticket", "zh-hans", "安卓版闪退", "升级后打开行情页面就闪退，手机型号小米 13。", [],
     "mobile-app"),
    ("surveys.answer", "en", "Survey: fees", "The trading fee is a bit high compared to others.",
     [], None),
    ("surveys.answer", "zh-hans", "问卷回答", "整体很好用，希望增加深色模式。", [], None),
    ("web", "en", "Grid bot stop-loss", "Let me set a stop-loss per grid on the grid bot.",
     ["trading-bots"], "trading"),
    ("web", "zh-hans", "网格机器人止损", "希望网格机器人每一格都能设置止损，谢谢。", [], "trading"),
    ("forum.post", "en", "How do I change my nickname?", "Looked everywhere in settings.", [],
     None),
    ("tickets.ticket", "en", "Account hacked", "Someone logged in and my 2FA was disabled!",
     [], "security"),
    ("forum.post", "zh-hans", "充值和提现都很慢", "充值到账延迟，提现也要等很久，手续费还高。",
     [], "wallet"),
    ("tickets.ticket", "en", "KYC verification failed",
     "My identity verification failed three times, the error is not clear.", [], "account"),
]

RECEIVER = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="items per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--team-workers", choices=["all", "each"], default="all",
                        help="one worker on all team queues, or one per team queue")
    parser.add_argument("--pool", choices=["solo", "prefork"], default="solo")
    parser.add_argument("--webhook", action="store_true",
                        help="deliver to a local webhook receiver (an HTTP call per delivery)")
    parser.add_argument("--warmup", type=int, default=100, help="items sent before measuring")
    parser.add_argument("--loglevel", default="WARNING", help="the workers' log level")
    parser.add_argument("--db-reuse", type=int, default=0,
                        help="what-if: run the workers with CELERY_DB_REUSE_MAX set to this")
    parser.add_argument("--profile", type=Path, default=None, metavar="DIR",
                        help="write a CPU-time cProfile of every process to DIR")
    args = parser.parse_args()

    _create_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        sys.exit("DATABASE_URL must point at PostgreSQL")
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        sys.exit("REDIS_URL (or CELERY_BROKER_URL) must point at Redis")
    call_command("migrate", verbosity=0)
    _load_taxonomy()

    from feedback.models import Team

    receiver = None
    webhook_url = ""
    if args.webhook:
        receiver = subprocess.Popen([sys.executable, "-c", RECEIVER], stdout=subprocess.PIPE,
                                    text=True)
        webhook_url = f"http://127.0.0.1:{receiver.stdout.readline().strip()}/hook"
    Team.objects.update(webhook_url=webhook_url, webhook_secret="bench-secret")  # noqa: S106

    queues = [team.queue for team in Team.objects.order_by("slug")]
    worker_queues = [["default"]] + ([queues] if args.team_workers == "all"
                                     else [[q] for q in queues])
    print(f"PostgreSQL {settings.DATABASES['default']['NAME']}, broker "
          f"{settings.CELERY_BROKER_URL}, {os.cpu_count()} CPUs")
    print(f"workers ({args.pool}, concurrency 1): "
          + "; ".join(",".join(q) for q in worker_queues)
          + (f"; webhook {webhook_url}" if webhook_url else "; no webhooks")
          + f"; worker log level {args.loglevel}"
          + (f"; CELERY_DB_REUSE_MAX={args.db_reuse} (what-if)" if args.db_reuse else ""))

    workers = []
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    names = [q[0] if len(q) == 1 else "teams" for q in worker_queues]
    try:
        _reset(queues)
        workers = [_start_worker(q, args.pool, n, args.loglevel, args.db_reuse,
                                 args.profile / f"{names[n]}.pstats" if args.profile else None)
                   for n, q in enumerate(worker_queues)]
        for number, (process, log) in enumerate(workers):
            _wait_ready(process, log, number)
        if args.warmup:
            _run(args.warmup, queues, {}, quiet=True)
        profiler = _profiler() if args.profile else None
        results = [_run(args.n, queues, {name: process.pid for name, (process, _log)
                                         in zip(names, workers, strict=True)},
                        profiler=profiler)
                   for _ in range(args.runs)]
        if profiler is not None:
            profiler.dump_stats(args.profile / "submitter.pstats")
    finally:
        for process, _log in workers:
            process.terminate()
        for process, _log in workers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if receiver is not None:
            receiver.terminate()
            receiver.wait(timeout=10)

    print(f"\n{'run':<5}{'items':>7}{'deliveries':>12}{'submit/s':>10}{'items/s':>10}"
          f"{'p50 latency':>13}{'p95 latency':>13}{'CPU ms/item':>13}{'PG ms/item':>12}"
          f"{'load avg':>10}")
    for number, r in enumerate(results, 1):
        print(f"{number:<5}{r['items']:>7}{r['deliveries']:>12}{r['submit_rate']:>10,.0f}"
              f"{r['rate']:>10,.0f}{r['p50']:>12.2f}s{r['p95']:>12.2f}s"
              f"{r['cpu_ms']:>13.1f}{r['pg_ms']:>12.1f}{r['load']:>10.2f}")
    shares = ", ".join(
        f"{name} {statistics.median(r['cpu_by_process'][name] for r in results):.1f}"
        for name in results[0]["cpu_by_process"])
    print(f"CPU ms/item by process (median): {shares}")
    cpu = statistics.median(r["cpu_ms"] for r in results)
    pg = statistics.median(r["pg_ms"] for r in results)
    cores = os.cpu_count() or 1
    print(f"CPU per item: {cpu:.1f} ms in the submitter and workers, {pg:.1f} ms in PostgreSQL "
          f"backends that lived through a run (Redis not counted): with {cores} idle CPUs "
          f"at most ~{cores * 1000 / (cpu + pg):,.0f} items/s")
    rate = statistics.median(r["rate"] for r in results)
    print(f"\nend to end, median of {len(results)}: {rate:,.0f} items/s "
          f"(target >= 200: {'met' if rate >= 200 else 'MISSED'})")


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _load_taxonomy() -> None:
    import io

    from accounts import demo as accounts_demo
    from feedback import demo as feedback_demo

    accounts_demo.load(io.StringIO())
    feedback_demo.load(io.StringIO())


def _reset(queues: list[str]) -> None:
    """Empty the pipeline's tables and queues (only this bench's Redis database)."""
    from django.db import connection

    from okxcommunity.celery import app

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE feedback_delivery, feedback_outbox, feedback_itemtag, "
                       "feedback_vote, feedback_follow, feedback_comment, feedback_feedbackitem "
                       "RESTART IDENTITY")
    with app.connection_for_write() as conn:
        for queue in ["default", *queues]:
            conn.default_channel.queue_purge(queue)


WORKER_PROFILED = """
import sys, django
django.setup()
from okxcommunity.celery import app
sys.path.insert(0, "bench")
from feedback_routing import _profiler
profiler = _profiler()
profiler.enable()
try:
    app.worker_main(sys.argv[2:])
finally:
    profiler.disable()
    profiler.dump_stats(sys.argv[1])
"""


def _profiler():
    """A cProfile of CPU time: waiting on PostgreSQL or Redis does not count."""
    import cProfile

    return cProfile.Profile(time.process_time)


def _start_worker(queues: list[str], pool: str, number: int, loglevel: str, db_reuse: int,
                  stats: Path | None):
    log = Path(f"/tmp/bench-feedback-worker-{number}.log")  # noqa: S108 - a bench's scratch
    argv = ["worker", "-Q", ",".join(queues), "-P", pool, "-c", "1", "-n", f"bench{number}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", loglevel]
    command = ([sys.executable, "-c", WORKER_PROFILED, str(stats), *argv] if stats
               else [sys.executable, "-m", "celery", "-A", "okxcommunity", *argv])
    env = {**os.environ, **({"CELERY_DB_REUSE_MAX": str(db_reuse)} if db_reuse else {})}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    return process, log


def _database_backends() -> set[int]:
    """The PostgreSQL server processes serving this database now (root may read their CPU).
    Backends that come and go between two looks are missed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {pid for (pid,) in cursor.fetchall()}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (a prefork pool's)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    return total + sum(_cpu_seconds(int(child)) for child in children)


def _wait_ready(process: subprocess.Popen, log: Path, number: int,
                timeout: float = 60) -> None:
    """Until the worker answers a ping (at WARNING level it logs no banner)."""
    import socket

    from okxcommunity.celery import app

    name = f"bench{number}@{socket.gethostname()}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("worker died:\n" + log.read_text()[-3000:])
        if app.control.ping(destination=[name], timeout=0.5):
            return
    sys.exit("worker did not start:\n" + log.read_text()[-3000:])


def _run(n: int, queues: list[str], workers: dict[str, int], *, quiet: bool = False,
         profiler=None) -> dict:
    """Submit ``n`` items and wait for every delivery. The worker processes' CPU (``workers``:
    name to pid) is counted from /proc (Linux); the polling below costs a little of the
    submitter's."""
    from django.db.models import Max
    from django.utils import timezone

    from accounts.models import User
    from feedback.models import Delivery, FeedbackItem, Outbox
    from feedback.services import feedback_submit

    _reset(queues)
    authors = list(User.objects.order_by("pk")[:4])
    plan = [(TEXTS[i % len(TEXTS)], authors[i % len(authors)] if authors else None, i)
            for i in range(n)]

    submitter_before = time.process_time()
    workers_before = {name: _cpu_seconds(pid) for name, pid in workers.items()}
    backends = _database_backends()
    server_before = {pid: _cpu_seconds(pid) for pid in backends}
    started = timezone.now()
    clock = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    for (source, language, title, body, tags, area), author, i in plan:
        feedback_submit(source=source, source_ref=f"bench/{i}", author=author,
                        title=f"{title} #{i}", body=body, language=language, tags=tags,
                        product_area=area)
    if profiler is not None:
        profiler.disable()
    submit_seconds = time.perf_counter() - clock

    deadline = time.monotonic() + max(120, n / 5)
    while True:
        unrouted = Outbox.objects.filter(processed_at__isnull=True).count()
        undelivered = Delivery.objects.exclude(status=Delivery.Status.DELIVERED).count()
        if not unrouted and not undelivered:
            break
        if time.monotonic() > deadline:
            sys.exit(f"gave up: {unrouted} items unrouted, {undelivered} deliveries not done")
        time.sleep(0.05)
    cpu_by_process = {"submitter": time.process_time() - submitter_before} | {
        name: _cpu_seconds(pid) - workers_before[name] for name, pid in workers.items()}
    cpu = sum(cpu_by_process.values())
    backends |= _database_backends()
    server = sum(_cpu_seconds(pid) - server_before.get(pid, 0.0) for pid in backends)
    finished = Delivery.objects.aggregate(last=Max("delivered_at"))["last"]
    seconds = (finished - started).total_seconds()
    latencies = sorted(
        (d.delivered_at - d.item.created_at).total_seconds()
        for d in Delivery.objects.select_related("item").only("delivered_at",
                                                              "item__created_at"))
    result = {
        "items": FeedbackItem.objects.count(),
        "deliveries": len(latencies),
        "submit_rate": n / submit_seconds,
        "rate": n / seconds,
        "p50": latencies[len(latencies) // 2],
        "p95": latencies[int(len(latencies) * 0.95)],
        "cpu_ms": cpu / n * 1000,
        "cpu_by_process": {name: seconds / n * 1000 for name, seconds in cpu_by_process.items()},
        "pg_ms": server / n * 1000,
        "load": os.getloadavg()[0],
    }
    if not quiet:
        print(f"  {n} items: submitted in {submit_seconds:.2f}s, last delivery after "
              f"{seconds:.2f}s -> {result['rate']:,.0f} items/s", flush=True)
    return result


if __name__ == "__main__":
    main()
