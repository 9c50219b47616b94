"""How fast, and in how little memory, the analysts' CSV export streams a million items.

Fills the configured database up to ``--rows`` feedback items (default 1,000,000; rows already
there are kept, so a second run starts exporting at once), with tags on ~60 % of them and one
or two team deliveries on ~85 %. Then streams the export through the real download view
(``feedback.export.export_download`` with a RequestFactory request, consuming
``streaming_content`` as the WSGI server would) ``--runs`` times and prints:

* rows/s: the median of the timed runs;
* peak memory, two ways: the growth of the process's peak RSS (``ru_maxrss``) over the timed
  runs, and the peak of Python allocations (``tracemalloc``) in one extra, untimed run.

Targets: >= 50,000 rows/s and < 150 MB peak. Run it against PostgreSQL:

    createdb -h 127.0.0.1 -U postgres okx_bench_export
    DJANGO_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/okx_bench_export \\
        .venv/bin/python bench/feedback_export.py [--rows 1000000] [--runs 3]

Data is generated in a child process, so the export's memory figures do not include it.
"""

import argparse
import io
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okxcommunity.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from accounts.models import User  # noqa: E402
from feedback.export import export_download  # noqa: E402
from feedback.models import (  # noqa: E402
    Delivery,
    FeedbackItem,
    ItemTag,
    ProductArea,
    Tag,
    Team,
)

BATCH = 10_000
BENCH_USERS = 200
TITLES = [
    ("en", "USDT withdrawal stuck for {n} minutes"),
    ("en", "Grid bot: add a trailing stop, please (#{n})"),
    ("en", 'Fees shown as "0.1%" but charged more, order {n}'),
    ("en", "App crashes when opening the chart, build {n}"),
    ("en", "=HYPERLINK(\"http://evil.example\",\"{n}\")"),
    ("zh-hans", "提现到账太慢，订单 {n}"),
    ("zh-hans", "安卓版更新后闪退（第 {n} 次）"),
    ("zh-hans", "希望增加深色模式 {n}"),
]
BODIES = [
    "Waited a long time, support said it is a network delay.\nStill nothing.",
    "Love the new layout, great work, thanks!",
    "The fee, the spread, and the slippage, all at once; please fix.",
    "打开行情页面就闪退，手机型号小米 13，系统 Android 14。",
    "-2 stars. @support please look at this",
]


def progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    print(f"\r  {label}: {done:>9,} / {total:,}  ({rate:,.0f}/s)", end="", flush=True)


def ensure_schema_and_demo() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if not Group.objects.filter(name="Analyst").exists() or not Team.objects.exists():
        # The demo's notification emails would fill the console.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("load_demo", stdout=io.StringIO())


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """``executemany`` of a plain INSERT: about three times faster than ``bulk_create`` for a
    million rows, as no model instance or per-field preparation is made. On PostgreSQL it goes
    through a server-side-binding psycopg cursor, whose ``executemany`` pipelines the rows."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.Cursor(connection.connection) as cursor:
            cursor.executemany(sql, rows)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def generate(*, rows: int) -> None:
    """Add ``rows`` items with tags and deliveries, in batches of ``BATCH``, printing progress.

    Item ids are assigned here (after the current largest), so tags and deliveries can point at
    them without reading anything back; the id sequence is reset at the end."""
    rng = random.Random(2026)
    have = User.objects.filter(username__startswith="bench").count()
    User.objects.bulk_create([User(username=f"bench{n}", email=f"bench{n}@example.com")
                              for n in range(have, BENCH_USERS)])
    authors = list(User.objects.values_list("pk", flat=True))
    areas = [None, *ProductArea.objects.values_list("pk", flat=True)]
    tags = list(Tag.objects.values_list("pk", flat=True))
    teams = list(Team.objects.values_list("pk", flat=True))
    sources = FeedbackItem.Source.values
    statuses = FeedbackItem.Status.values
    sentiments = FeedbackItem.Sentiment.values
    adapt = connection.ops.adapt_datetimefield_value
    now = timezone.now()
    stamp = adapt(now)
    # Items arrive in time order, as in production (created_at is set on insert): spread over
    # the last 120 days, oldest first.
    first = now - timedelta(days=120)
    step = timedelta(days=120) / max(rows, 1)
    item_columns = ["id", "source", "source_ref", "author_id", "title", "body", "language",
                    "product_area_id", "sentiment", "status", "is_public", "vote_count",
                    "comment_count", "created_at", "updated_at", "classified_at"]
    next_id = (FeedbackItem.objects.order_by("-pk").values_list("pk", flat=True).first()
               or 0) + 1
    delivered = Delivery.Status.DELIVERED
    started = time.perf_counter()
    done = 0
    while done < rows:
        size = min(BATCH, rows - done)
        items, links, deliveries = [], [], []
        for pk in range(next_id + done, next_id + done + size):
            language, title = rng.choice(TITLES)
            source = rng.choice(sources)
            items.append((
                pk, source, f"bench/{pk}", rng.choice(authors), title.format(n=pk),
                rng.choice(BODIES), language, rng.choice(areas), rng.choice(sentiments),
                rng.choice(statuses), source == "web", rng.randint(0, 50), rng.randint(0, 9),
                adapt(first + step * (pk - next_id)), stamp, stamp))
            if rng.random() < 0.6:
                links += [(pk, tag_id, True) for tag_id in rng.sample(tags, rng.choice((1, 1, 2)))]
            if rng.random() < 0.85:
                deliveries += [(pk, team_id, delivered, 1, "", stamp, stamp)
                               for team_id in rng.sample(teams, rng.choice((1, 1, 2)))]
        with transaction.atomic():
            _insert(FeedbackItem, item_columns, items)
            _insert(ItemTag, ["item_id", "tag_id", "auto"], links)
            _insert(Delivery, ["item_id", "team_id", "status", "attempts", "last_error",
                               "created_at", "delivered_at"], deliveries)
        done += size
        progress("generated", done, rows, started)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [FeedbackItem]):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    print(f"\n  generation: {rows:,} items in {time.perf_counter() - started:.1f} s")


def export_once(request) -> tuple[int, float]:
    """Bytes streamed and seconds taken by one export through the real view."""
    started = time.perf_counter()
    response = export_download(request)
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    response.close()  # as the WSGI server does: request_finished, connection housekeeping
    return size, time.perf_counter() - started


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bench(*, runs: int) -> None:
    # As in production: with DEBUG on, Django would also keep the text of every query (the
    # relation queries carry 10,000 ids each) in connection.queries.
    settings.DEBUG = False
    rows = FeedbackItem.objects.count()
    analyst = User.objects.filter(groups__name="Analyst").first()
    if analyst is None:
        analyst = User.objects.filter(is_superuser=True).first()
    translation.activate("en")
    request = RequestFactory().get("/en/feedback/export/download/")
    request.user = analyst
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, "
          f"{rows:,} items, exporting as @{analyst.username}")

    logging.getLogger("feedback.export").setLevel(logging.WARNING)  # one line per export
    rss_before = max_rss_mb()
    rates = []
    for run in range(1, runs + 1):
        cpu = time.process_time()
        size, seconds = export_once(request)
        rates.append(rows / seconds)
        print(f"  run {run}: {rows:,} rows, {size / 2**20:,.1f} MiB in {seconds:.2f} s "
              f"(CPU {time.process_time() - cpu:.2f} s) = {rows / seconds:,.0f} rows/s, "
              f"peak RSS so far {max_rss_mb():.0f} MB")
    rss_growth = max_rss_mb() - rss_before

    tracemalloc.start()
    export_once(request)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"\nrows/s (median of {runs}):        {statistics.median(rates):>12,.0f}"
          "   target >= 50,000")
    print(f"peak RSS growth (ru_maxrss):    {rss_growth:>12.1f} MB"
          f"   (process peak RSS {max_rss_mb():.0f} MB, {rss_before:.0f} MB before exporting)")
    print(f"peak Python heap (tracemalloc): {traced_peak / 2**20:>12.1f} MB   target < 150 MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="items to export")
    parser.add_argument("--runs", type=int, default=3, help="timed export runs")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    ensure_schema_and_demo()
    missing = args.rows - FeedbackItem.objects.count()
    if args.generate_only:
        if missing > 0:
            generate(rows=missing)
        return
    if missing > 0:
        print(f"generating {missing:,} items (in a child process)")
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--generate-only"],
                       check=True)
    elif missing < 0:
        print(f"note: the database holds {-missing:,} more items than --rows; all are exported")
    bench(runs=args.runs)


if __name__ == "__main__":
    main()
