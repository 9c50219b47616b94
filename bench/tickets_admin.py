"""Page times and query counts of the staff's ticket list and the user's "My tickets" on 1,000,000
tickets.

Fills a PostgreSQL database up to ``--tickets`` tickets (default 1,000,000; tickets already there
are kept, so a second run measures at once): ~20,000 requesters (one of them, ``bench_heavy``,
with ~300 tickets), ten agents per support team, created over the last two years in time order,
with realistic spreads of status (old tickets closed, a backlog of recent ones open),
priority, category (and so team), channel, language and assignee, SLA due times by priority
(and the breaches they imply), CSAT on a third of the solved ones, and one or two messages per
ticket (the customer's, with a TxID to search for, and the agent's answer). Categories, teams,
SLA targets and the agent group come from the demo data (``accounts.demo`` + ``tickets.demo``).
Generation is SQL (``INSERT ... SELECT generate_series``) in batches, with progress, then
``VACUUM ANALYZE``.

Then it loads each page with Django's test client (``force_login``, the whole middleware stack)
``--runs`` times after ``--warmup`` untimed loads and prints, per page: the rows shown, the
median and p95 page time, the SQL queries (``CaptureQueriesContext``) and the share of the page
time spent in them, and whether the query count is fixed: the same page with 10 rows per
page (admin) or filtered to the user's few open tickets ("My tickets") must run as many.
Targets: median < 300 ms and a fixed query count. Pages: the admin changelist
``/admin/tickets/ticket/`` for a superuser and for an agent of one team (default page,
unassigned, mine, overdue, status open, a category and a team (for the default agent another
team's: a few rows among hundreds of thousands), search by reference, by requester email, by
message text, by a word in some 10,000 tickets, by a common word) and ``/en/support/`` for
``bench_heavy``.
``--explain`` prints ``EXPLAIN (ANALYZE, BUFFERS)`` of each page's slowest query.

    createdb -h 127.0.0.1 -U postgres okx_bench_tickets   # the bench creates it if missing
    DJANGO_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/okx_bench_tickets \\
    REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python bench/tickets_admin.py \\
        [--tickets 1000000] [--runs 7] [--warmup 1] [--only "default,search email"] [--explain]

Generating a million tickets takes a few minutes on two cores. The machine may be shared: the
load average is printed before and after, and the query share tells database time from Python.
"""

import argparse
import hashlib
import io
import logging
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okxcommunity.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/okx_bench_tickets")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("CACHE_KEY_PREFIX", "okx_bench_tickets")
# The demo tickets notify their requesters: no worker listens to this bench's broker.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

from bench.common import create_database, progress  # noqa: E402 - after sys.path is set

BATCH = 50_000
REQUESTERS = 20_000
HEAVY_TICKETS = 300
AGENTS_PER_TEAM = 10
YEARS = 2
TARGET_MS = 300
MY_FEW = "/en/support/?status=open"
STATUSES = ["new", "open", "waiting", "on_hold", "resolved", "closed"]
# Upper bounds of the status buckets (in STATUSES order, "closed" takes the rest) by age:
# yesterday's tickets are still being worked on, last fortnight's mostly solved, older ones
# closed but for a few stragglers.
STATUS_SPREAD = [
    (timedelta(days=2), [0.35, 0.75, 0.90, 0.95, 1.0]),
    (timedelta(days=14), [0.05, 0.25, 0.40, 0.45, 0.85]),
    (None, [0.001, 0.004, 0.005, 0.006, 0.15]),
]
PRIORITIES = ["low", "normal", "high", "urgent"]
PRIORITY_SPREAD = [0.20, 0.75, 0.93]
CHANNELS = ["web", "chat", "email"]
CHANNEL_SPREAD = [0.70, 0.90]
CATEGORY_SHARE = {"deposits-withdrawals": 0.35, "account": 0.20, "trading": 0.15,
                  "kyc": 0.12, "security": 0.08, "other": 0.07}  # the rest: no category
SUBJECTS_EN = [
    "Withdrawal pending for hours", "Deposit not credited", "Cannot log in after password reset",
    "2FA code not accepted", "Identity verification rejected", "Order filled at a wrong price",
    "Account frozen, why?", "Unauthorized login from another country", "Fee higher than shown",
    "How do I change my nickname?", "API key permissions", "P2P seller did not release USDT",
]
SUBJECTS_ZH = [
    "提现一直未到账", "充值没有到账", "重置密码后无法登录", "两步验证码无效", "实名认证被拒绝",
    "成交价格不对", "账户被冻结", "账户被盗，资金不见了", "手续费比显示的高", "如何修改昵称？",
]
BODIES = [
    "My withdrawal has been pending since this morning. TxID {txid}, network TRC-20.",
    "I deposited USDT two hours ago and it is still not in my account. TxID {txid}.",
    "I keep getting an error when I log in. Reference {txid}.",
    "今天早上收到异地登录提醒，账户里的资金被转走了！交易哈希 {txid}",
    "提现已经三个小时了还没到账，交易哈希 {txid}，网络 ERC-20。",
]
REPLIES = [
    "Thanks for reaching out. We traced the transaction: it is confirmed now.",
    "We have escalated this to the wallet team and will update you within 24 hours.",
    "您好，已为您核实，资金已到账，请查收。",
]


def txid(pk: int) -> str:
    """The TxID in ticket ``pk``'s first message (MESSAGES_SQL makes it): unique, so a search
    for it finds one ticket."""
    return "0x" + hashlib.md5(str(pk).encode()).hexdigest()[:24]  # noqa: S324 - not security


def setup_django() -> None:
    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("DATABASE_URL must point at PostgreSQL")


def ensure_desk() -> None:
    """Schema, the demo desk (teams, categories, SLA targets, groups), the bench's agents."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts import demo as accounts_demo
    from accounts.models import User
    from tickets import demo as tickets_demo
    from tickets.models import SupportTeam

    call_command("migrate", verbosity=0, interactive=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    accounts_demo.load(io.StringIO())
    tickets_demo.load(io.StringIO())
    agents = Group.objects.get(name="Support agents")
    for team in SupportTeam.objects.order_by("slug"):
        for n in range(1, AGENTS_PER_TEAM + 1):
            agent, _created = User.objects.get_or_create(
                username=f"bench_agent_{team.slug}_{n}",
                defaults={"email": f"bench_agent_{team.slug}_{n}@example.com", "is_staff": True,
                          "display_name": f"{team.name} agent {n}", "password": "!"})
            agent.groups.add(agents)
            team.members.add(agent)


def ensure_requesters() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
                email, is_staff, is_active, date_joined, display_name, avatar, bio, language,
                timezone, is_product_manager, is_ambassador)
            SELECT '!', false, name, '', '', name || '@example.com', false, true,
                now() - interval '3 years', initcap(replace(name, '_', ' ')), '', '',
                CASE WHEN g %% 5 < 2 THEN 'zh-hans' ELSE 'en' END, 'UTC', false, false
            FROM (SELECT g, CASE WHEN g = 0 THEN 'bench_heavy' ELSE 'bench_user_' || g END
                  FROM generate_series(0, %s) g) AS names (g, name)
            ON CONFLICT (username) DO NOTHING""", [REQUESTERS - 1])


TICKETS_SQL = """
INSERT INTO tickets_ticket (id, subject, priority, status, channel, language, created_at,
    first_response_at, resolved_at, last_customer_reply_at, first_response_due,
    resolution_due, sla_paused_at, first_response_breached_at, resolution_breached_at,
    suggested_priority, classification_pattern, csat_score, csat_comment, csat_at,
    chat_escalated_at, feedback_ref, assignee_id, category_id, requester_id, team_id)
SELECT id, subject, priority, status, channel, language, created_at,
    first_response_at, resolved_at,
    created_at, first_response_due, resolution_due,
    CASE WHEN status = 'waiting' THEN first_response_at END,
    CASE WHEN COALESCE(first_response_at, %(now)s) > first_response_due
         THEN first_response_due END,
    CASE WHEN COALESCE(resolved_at, %(now)s) > resolution_due THEN resolution_due END,
    '', '', csat_score, '', CASE WHEN csat_score IS NOT NULL THEN resolved_at END,
    -- A chat nobody answered in time became a ticket (chats_escalate).
    CASE WHEN channel = 'chat' AND created_at < %(now)s - %(chat_timeout)s
              AND COALESCE(first_response_at, %(now)s) > created_at + %(chat_timeout)s
         THEN created_at + %(chat_timeout)s END,
    '', assignee_id, category_id, requester_id, team_id
FROM (
    SELECT s.*, (%(priorities)s::text[])[s.p] AS priority,
        s.created_at + make_interval(mins => (%(first_minutes)s::int[])[s.p]) AS first_response_due,
        s.created_at + make_interval(mins => (%(resolution_minutes)s::int[])[s.p])
            AS resolution_due,
        CASE WHEN s.status <> 'new' THEN LEAST(%(now)s, s.created_at + make_interval(
            secs => s.r_first * 1.3 * 60 * CASE s.channel WHEN 'chat' THEN %(chat_minutes)s
                                           ELSE (%(first_minutes)s::int[])[s.p] END)) END
            AS first_response_at,
        CASE WHEN s.status IN ('resolved', 'closed') THEN LEAST(%(now)s, s.created_at
            + make_interval(secs => s.r_first * 1.3 * 60 * (%(first_minutes)s::int[])[s.p]
                            + s.r_resolve * 1.2 * 60 * (%(resolution_minutes)s::int[])[s.p]))
            END AS resolved_at,
        CASE WHEN s.status IN ('resolved', 'closed') AND s.r_csat < 0.3
             THEN 1 + width_bucket(s.r_score, ARRAY[0.05, 0.10, 0.20, 0.45]::float8[]) END
             AS csat_score,
        CASE WHEN s.r_unassigned < CASE s.status WHEN 'new' THEN 0.7
                                     WHEN 'resolved' THEN 0.01 WHEN 'closed' THEN 0.01
                                     ELSE 0.15 END THEN NULL
             ELSE (%(agents)s::bigint[])[(%(category_team_position)s::int[])[s.c]
                  * %(agents_per_team)s + 1 + floor(s.r_agent * %(agents_per_team)s)::int]
             END AS assignee_id,
        (%(categories)s::bigint[])[s.c] AS category_id,
        (%(category_teams)s::bigint[])[s.c] AS team_id,
        CASE WHEN s.id %% %(heavy_every)s = 0 THEN %(heavy)s
             ELSE (%(requesters)s::bigint[])[1 + floor(s.r_requester * %(requester_count)s)::int]
             END AS requester_id,
        CASE WHEN s.language = 'zh-hans'
             THEN (%(subjects_zh)s::text[])[1 + floor(s.r_subject * %(subjects_zh_count)s)::int]
             ELSE (%(subjects_en)s::text[])[1 + floor(s.r_subject * %(subjects_en_count)s)::int]
             END AS subject
    FROM (
        SELECT r.*,
            (%(statuses)s::text[])[1 + width_bucket(r.r_status, CASE
                WHEN r.created_at > %(now)s - %(recent)s THEN %(spread_recent)s::float8[]
                WHEN r.created_at > %(now)s - %(middle)s THEN %(spread_middle)s::float8[]
                ELSE %(spread_old)s::float8[] END)] AS status,
            1 + width_bucket(r.r_priority, %(priority_spread)s::float8[]) AS p,
            1 + width_bucket(r.r_category, %(category_spread)s::float8[]) AS c,
            (%(channels)s::text[])[1 + width_bucket(r.r_channel, %(channel_spread)s::float8[])]
                AS channel,
            CASE WHEN r.r_language < 0.4 THEN 'zh-hans' ELSE 'en' END AS language
        FROM (
            SELECT g AS id, %(start)s + (g - %(first_id)s) * %(step)s AS created_at,
                random() AS r_status, random() AS r_priority, random() AS r_category,
                random() AS r_channel, random() AS r_language, random() AS r_unassigned,
                random() AS r_agent, random() AS r_requester, random() AS r_subject,
                random() AS r_first, random() AS r_resolve, random() AS r_csat,
                random() AS r_score
            FROM generate_series(%(low)s, %(high)s) AS g
        ) AS r
    ) AS s
) AS t
"""

MESSAGES_SQL = """
INSERT INTO tickets_message (body, is_internal, is_staff_reply, created_at, author_id, ticket_id)
SELECT replace((%(bodies)s::text[])[1 + id %% %(body_count)s], '{txid}',
               '0x' || substr(md5(id::text), 1, 24)),
       false, false, created_at, requester_id, id
FROM tickets_ticket WHERE id BETWEEN %(low)s AND %(high)s
UNION ALL
SELECT (%(replies)s::text[])[1 + id %% %(reply_count)s], false, true, first_response_at,
       assignee_id, id
FROM tickets_ticket WHERE id BETWEEN %(low)s AND %(high)s AND first_response_at IS NOT NULL
"""


def generate(*, count: int) -> None:
    """Add ``count`` tickets after the newest, created over the last ``YEARS`` years in id order
    (as ``auto_now_add`` does), with their messages, in batches of ``BATCH``."""
    from django.conf import settings
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from tickets.models import Category, SLAPolicy, SupportTeam, Ticket

    ensure_requesters()
    teams = list(SupportTeam.objects.order_by("slug"))
    position = {team.pk: n for n, team in enumerate(teams)}
    default_team = next(team for team in teams if team.is_default)
    agents = []
    for team in teams:
        agents += list(User.objects.filter(username__startswith=f"bench_agent_{team.slug}_")
                       .order_by("pk").values_list("pk", flat=True))
    categories = {category.slug: category for category in Category.objects.all()}
    chosen = [categories[slug] for slug in CATEGORY_SHARE]
    spread, total = [], 0.0
    for share in CATEGORY_SHARE.values():
        total += share
        spread.append(total)
    policies = {policy.priority: policy for policy in SLAPolicy.objects.all()}
    requesters = list(User.objects.filter(username__startswith="bench_user_")
                      .values_list("pk", flat=True))
    now = timezone.now()
    first_id = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    span = timedelta(days=365 * YEARS)
    params = {
        "now": now, "start": now - span,
        "first_id": first_id, "step": span / count,
        "chat_minutes": settings.SUPPORT_CHAT_TIMEOUT_MINUTES,
        "chat_timeout": timedelta(minutes=settings.SUPPORT_CHAT_TIMEOUT_MINUTES),
        "recent": STATUS_SPREAD[0][0], "middle": STATUS_SPREAD[1][0],
        "statuses": STATUSES, "spread_recent": STATUS_SPREAD[0][1],
        "spread_middle": STATUS_SPREAD[1][1], "spread_old": STATUS_SPREAD[2][1],
        "priorities": PRIORITIES, "priority_spread": PRIORITY_SPREAD,
        "first_minutes": [policies[p].first_response_minutes for p in PRIORITIES],
        "resolution_minutes": [policies[p].resolution_minutes for p in PRIORITIES],
        "channels": CHANNELS, "channel_spread": CHANNEL_SPREAD,
        "categories": [category.pk for category in chosen] + [None],
        "category_teams": [category.team_id or default_team.pk for category in chosen]
        + [default_team.pk],
        "category_team_position": [position[category.team_id or default_team.pk]
                                   for category in chosen] + [position[default_team.pk]],
        "category_spread": spread,
        "agents": agents, "agents_per_team": AGENTS_PER_TEAM,
        "requesters": requesters, "requester_count": len(requesters),
        "heavy": User.objects.get(username="bench_heavy").pk,
        "heavy_every": max(count // HEAVY_TICKETS, 1),
        "subjects_en": SUBJECTS_EN, "subjects_en_count": len(SUBJECTS_EN),
        "subjects_zh": SUBJECTS_ZH, "subjects_zh_count": len(SUBJECTS_ZH),
        "bodies": BODIES, "body_count": len(BODIES),
        "replies": REPLIES, "reply_count": len(REPLIES),
    }
    started = time.perf_counter()
    for low in range(first_id, first_id + count, BATCH):
        batch = {**params, "low": low, "high": min(low + BATCH, first_id + count) - 1}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(TICKETS_SQL, batch)
            cursor.execute(MESSAGES_SQL, batch)
        progress("tickets", batch["high"] - first_id + 1, count, started)
    print(f"\n  generated {count:,} tickets in {time.perf_counter() - started:.0f} s; "
          "VACUUM ANALYZE", flush=True)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Ticket]):
            cursor.execute(sql)
        cursor.execute("VACUUM ANALYZE tickets_ticket, tickets_message, accounts_user")


# --- Measuring -------------------------------------------------------------------------------

@dataclass
class Page:
    name: str
    user: str  # username
    url: str
    # The same list with fewer rows, to tell a fixed query count from one per row: None for
    # the admin (it is loaded with list_per_page = 10), else the URL of a filtered list.
    fewer: str | None = None


@dataclass
class Result:
    page: Page
    status: int
    rows: int | None
    times: list[float]  # seconds
    queries: int
    query_share: float
    fewer_queries: int | None
    slowest: str  # the SQL of the slowest SELECT

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.times)
        return ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000

    @property
    def fixed(self) -> bool:
        return self.fewer_queries == self.queries

    @property
    def passed(self) -> bool:
        return self.status == 200 and self.median_ms < TARGET_MS and self.fixed


def pages(*, agent: str) -> list[Page]:
    """The pages to load. The filter parameters are those of ``tickets/admin.py``."""
    from tickets.models import Category, Ticket

    middle = Ticket.objects.order_by("pk").values_list("pk", flat=True)[
        Ticket.objects.count() // 2]
    ticket = Ticket.objects.select_related("requester").get(pk=middle)
    kyc = Category.objects.get(slug="kyc")
    admin = "/admin/tickets/ticket/"
    queries = [
        ("default", ""),
        ("unassigned", "?queue=unassigned"),
        ("mine", "?queue=mine"),
        ("overdue", "?queue=overdue"),
        ("status open", "?status__exact=open"),
        ("category", f"?category={kyc.pk}"),
        ("team", f"?team__id__exact={kyc.team_id}"),
        ("search reference", f"?q={ticket.reference}"),
        ("search email", f"?q={ticket.requester.email}"),
        ("search message", f"?q={txid(middle)}"),
        # The requesters of one in a hundred (bench_user_99, _199...): some 10,000 tickets,
        # too many to list by id, too few to find a page of soon row by row.
        ("search some", "?q=99@example.com"),
        ("search word", "?q=withdrawal"),
    ]
    found = [Page(f"admin {name}", user, admin + query)
             for user in ("admin", agent) for name, query in queries]
    # bench_heavy's ~300 tickets fill every page; a few of them are still open.
    return [*found, Page("my tickets", "bench_heavy", "/en/support/", MY_FEW),
            Page("my tickets solved", "bench_heavy", "/en/support/?status=resolved", MY_FEW)]


def rows_shown(response) -> int | None:
    """Rows on the page, from the rendered context (admin: the ChangeList; portal: a page)."""
    context = response.context
    if context is None:
        return None
    if "cl" in context:
        return len(context["cl"].result_list)
    for key in ("page_obj", "page", "tickets"):
        if key in context:
            found = context[key]
            return len(getattr(found, "object_list", found))
    return None


def load(client, url: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        response.content  # noqa: B018 - a streamed page is read to the end, as a browser would
        elapsed = time.perf_counter() - started
    return response, elapsed, captured.captured_queries


def measure(page: Page, *, runs: int, warmup: int) -> Result:
    from django.contrib import admin
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from accounts.models import User
    from tickets.models import Ticket

    # A page still being written answers 500 in the table rather than stopping the bench.
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=page.user))
    # Only this untimed load records template contexts (to count the rows): recording them
    # costs time on every page.
    setup_test_environment()
    try:
        response = client.get(page.url)
        rows = rows_shown(response)
    finally:
        teardown_test_environment()
    for _ in range(warmup):
        load(client, page.url)
    times, shares = [], []
    for _ in range(runs):
        response, elapsed, queries = load(client, page.url)
        times.append(elapsed)
        shares.append(sum(float(q["time"]) for q in queries) / elapsed)
    # EXPLAIN ANALYZE runs the query: only reads are explained (not the paginator's EXPLAIN).
    reads = [q for q in queries if q["sql"].startswith("SELECT")]
    slowest = max(reads, key=lambda q: float(q["time"]))["sql"] if reads else ""

    if page.fewer is None:
        model_admin = admin.site._registry.get(Ticket)
        per_page = getattr(model_admin, "list_per_page", None)
        if model_admin is not None:
            model_admin.list_per_page = 10
        try:
            fewer = len(load(client, page.url)[2])
        finally:
            if model_admin is not None:
                model_admin.list_per_page = per_page
    else:
        fewer = len(load(client, page.fewer)[2])
    return Result(page, response.status_code, rows, times, len(queries),
                  statistics.median(shares), fewer, slowest)


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(f"    {line}" for (line,) in cursor.fetchall())


def report(results: list[Result], *, runs: int, load_before: tuple, explain_plans: bool) -> None:
    print(f"\n{'page':<26}{'user':<26}{'status':>7}{'rows':>6}{'median ms':>11}{'p95 ms':>9}"
          f"{'queries':>9}{'fixed':>8}{'SQL share':>11}  result")
    for r in results:
        fixed = "yes" if r.fixed else f"no ({r.fewer_queries})"
        rows = "-" if r.rows is None else r.rows
        print(f"{r.page.name:<26}{r.page.user:<26}{r.status:>7}{rows:>6}{r.median_ms:>11.0f}"
              f"{r.p95_ms:>9.0f}{r.queries:>9}{fixed:>8}{r.query_share:>10.0%}  "
              f"{'pass' if r.passed else 'FAIL'}")
    passed = sum(r.passed for r in results)
    print(f"\n{passed} of {len(results)} pages pass (median of {runs} < {TARGET_MS} ms, HTTP 200, "
          "the same query count with fewer rows)")
    print(f"load average (1 min) before: {load_before[0]:.2f}, after: {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs")
    if explain_plans:
        for r in results:
            if r.slowest:
                print(f"\n{r.page.name} ({r.page.user}), slowest query:\n    {r.slowest}\n"
                      + explain(r.slowest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000, help="tickets in the database")
    parser.add_argument("--runs", type=int, default=7, help="timed loads of each page")
    parser.add_argument("--warmup", type=int, default=1, help="untimed loads before them")
    parser.add_argument("--only", default="", help="comma-separated page names to load")
    parser.add_argument("--agent", default="bench_agent_payments_1",
                        help="the agent of one team whose admin pages are loaded")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN ANALYZE of every page's slowest query")
    args = parser.parse_args()

    setup_django()
    # A page that answers 404 or 500 shows its status in the table, not a log line per load.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.conf import settings
    from django.db import connection

    from tickets.models import Ticket

    ensure_desk()
    missing = args.tickets - Ticket.objects.count()
    if missing > 0:
        print(f"generating {missing:,} tickets")
        generate(count=missing)
    elif missing < 0:
        print(f"note: the database holds {-missing:,} more tickets than --tickets")
    # As in production: no debug pages, no query log kept beyond what is captured here.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"database: {connection.settings_dict['NAME']}, {Ticket.objects.count():,} tickets; "
          f"{args.warmup} warm-up + {args.runs} timed loads per page")
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    load_before = os.getloadavg()
    results = []
    for page in pages(agent=args.agent):
        if wanted and page.name.removeprefix("admin ") not in wanted and page.name not in wanted:
            continue
        results.append(measure(page, runs=args.runs, warmup=args.warmup))
        r = results[-1]
        print(f"  {page.name} ({page.user}): {r.median_ms:.0f} ms, {r.queries} queries",
              flush=True)
    report(results, runs=args.runs, load_before=load_before, explain_plans=args.explain)


if __name__ == "__main__":
    main()
