"""Throughput of a forum topic page (20 posts), and of the blog's home, under gunicorn, against a
bare Django view measured in the same run.

Makes sure the database holds the bench's topic: exactly 20 posts (one page) in "Spot &
futures", written through the forum's services by forty members (among them staff, an
ambassador and a product manager, so badges show), with Markdown bodies like the generator's
and reactions from several members. It works on the database of ``bench/forum_posts.py``
(1,000,000 posts: the default) or on any other, which it creates and migrates if needed.

Then it starts gunicorn (2 sync workers) with ``bench.baseline.settings``: the project's
settings, debug off, a random secret key, the same PostgreSQL and Redis, whitenoise with the
collected static files; requests carry ``X-Forwarded-Proto: https`` as behind the TLS proxy
(``DJANGO_BEHIND_PROXY=1``), so pages answer 200 rather than redirect. Before measuring, each
URL must answer 200 with the expected content (the 20th post; the member's name when signed
in), and wrk counts every answer that is not a 200: any of them fails the run.

It measures with wrk, ``--rounds`` times, interleaved: the baseline ``/bench/baseline/`` (one
query of 20 rows through a minimal template, same middleware), the topic page anonymous and
signed in (a real session of a regular member plus the CSRF cookie), and the blog home (the
demo's articles, loaded if missing). Signed in, it reads the page as two members: one who
took no part in the topic, as most of its readers ("signed in"), whose page is shared with
every such member, and one who wrote a reply and reacted there ("signed in, took part"), who
has a page of their own (forum.views). It prints each round's requests per second, the
medians, the ratios to the baseline and PASS/FAIL against the targets: anonymous at least 50%
of the baseline, signed in at least 35% (both members), the blog home at least 50%.
``--profile`` then loads each page 200 times in this process under cProfile and prints where
the time goes.

    apt-get install wrk   # Debian's wrk package
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/okx_bench_forum \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/forum_topic_page.py \\
        [--rounds 5] [--duration 10] [--connections 8] [--profile]

The machine may be shared: the load average is printed before and after; wrk, gunicorn,
PostgreSQL and Redis share its CPUs, the same way for the three URLs.
"""

import argparse
import cProfile
import http.client
import io
import os
import pstats
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TITLE = "My futures routine after two years: sizing, stops and funding"
CATEGORY = "spot-futures"
POSTS = 20
MEMBERS = 40
# Regular members (not staff: staff must set up MFA first). The first wrote reply #7 and
# reacted to posts; the second, one past the forty writers, has no part in the topic.
PARTICIPANT = "bench_forum_5"
READER = f"bench_forum_{MEMBERS}"
# Replies by staff (bench_forum_3), the ambassador (_1), the product manager (_7) and others.
REPLIERS = [1, 3, 7, 12, 18, 3, 5, 21, 1, 25, 7, 30, 9, 3, 33, 14, 5, 36, 1]
# The blog home (demo articles, anonymous) is held to the blog's own target.
TARGETS = {"anonymous": 0.50, "signed in": 0.35, "blog home": 0.50,
           "signed in, took part": 0.35}
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("non-200 responses: %d\\n", total))
end
"""


def configure(args) -> dict:
    """The environment of gunicorn and of this process (the session must be signed with the
    same key): production-like settings on the bench's database and Redis."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.baseline.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CACHE_KEY_PREFIX": args.cache_prefix,
        # The setup's notifications run here: no worker listens to this bench's broker.
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    os.environ.update(env)
    return env


def ensure_topic():
    """The bench's topic with its 20 posts and reactions (created once), the member who took
    part in it and the reader who did not."""
    from django.core.management import call_command

    from accounts.models import User
    from bench.common import create_database
    from bench.forum_posts import Texts, ensure_demo, ensure_members
    from forum.models import Category, Topic
    from forum.reactions import reaction_toggle
    from forum.services import antispam_lifted, post_reply, topic_create

    create_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0, interactive=False)
    topic = Topic.objects.filter(title=TITLE).first()
    if topic is None:
        ensure_demo()
        members = User.objects.in_bulk(ensure_members(MEMBERS))
        members = [members[pk] for pk in sorted(members)]
        texts = Texts(random.Random(20), size=80)
        with antispam_lifted():
            topic = topic_create(category=Category.objects.get(slug=CATEGORY),
                                 author=members[0], title=TITLE, body=texts.body(False, 3)[0])
            posts = [topic.posts.get(number=1)]
            for n, replier in enumerate(REPLIERS):
                posts.append(post_reply(topic=topic, author=members[replier],
                                        body=texts.body(n % 4 == 3, 1 + n % 3)[0]))
        rng = random.Random(5)
        for post in posts:
            for member in rng.sample(members, rng.choice([0, 1, 2, 3, 5, 8])):
                if member.pk != post.author_id:
                    reaction_toggle(post=post, user=member,
                                    kind=rng.choice(["like", "like", "heart", "rocket"]))
        topic.refresh_from_db()
    if topic.last_post_number != POSTS:
        sys.exit(f"the bench topic #{topic.pk} has {topic.last_post_number} posts, not {POSTS}")
    ensure_members(MEMBERS + 1)
    return topic, User.objects.get(username=PARTICIPANT), User.objects.get(username=READER)


def signed_in_cookie(user) -> str:
    """A real session for ``user`` (in the database, as in production)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def member_cookie(port: int, name: str, path: str, member, last_post_html: str) -> str:
    """``signed_in_cookie`` for ``member`` plus the CSRF cookie ``path`` sets, once ``path``
    answers with the last post and the member's own menu (the link to their profile)."""
    from django.utils import translation

    cookie = signed_in_cookie(member)
    with translation.override("en"):
        profile = f'href="{member.get_absolute_url()}"'
    headers = check(port, name, path, cookie, [last_post_html, profile])
    csrf = re.search(r"csrftoken=([^;]+)", " ".join(headers.get_all("Set-Cookie", [])))
    return f"{cookie}; csrftoken={csrf.group(1)}" if csrf else cookie


def collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "okxcommunity.wsgi:application", "--workers", "2",
         "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT)],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited:\n{log.read_text()}")
        try:
            get(port, "/bench/baseline/", "")
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def get(port: int, path: str, cookie: str) -> tuple[int, http.client.HTTPMessage, str]:
    """One request, redirects not followed: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={**HEADERS, **({"Cookie": cookie} if cookie
                                                                 else {})})
        response = connection.getresponse()
        return response.status, response.msg, response.read().decode()
    finally:
        connection.close()


def check(port: int, name: str, path: str, cookie: str,
          expected: list[str]) -> http.client.HTTPMessage:
    """Fail loudly unless ``path`` answers 200 with each of ``expected`` in the page."""
    status, headers, body = get(port, path, cookie)
    if status != 200:
        sys.exit(f"{name}: {path} answered {status} {headers.get('Location', '')}, not 200")
    missing = [text for text in expected if text not in body]
    if missing:
        sys.exit(f"{name}: {path} lacks {missing[0][:80]!r}")
    return headers


def wrk(url: str, cookie: str, *, duration: int, connections: int, script: Path) -> float:
    """Requests per second; exits if any answer was not a 200 or timed out."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
               "-s", str(script)]
    for header, value in {**HEADERS, **({"Cookie": cookie} if cookie else {})}.items():
        command += ["-H", f"{header}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    bad = int(re.search(r"non-200 responses: (\d+)", output).group(1))
    timeouts = re.search(r"timeout (\d+)", output)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if bad or not rate or timeouts and int(timeouts.group(1)):
        sys.exit(f"wrk {url}: {bad} answers were not 200 or some timed out\n{output}")
    return rate


def profile(pages: dict, loads: int = 200) -> None:
    """Where the time of each page goes: cProfile over ``loads`` loads through the test
    client (the whole middleware stack), with the query count."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    for name, (path, member) in pages.items():
        client = Client(headers={"X-Forwarded-Proto": "https"})
        if member:
            client.force_login(member)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        # Read now: every request empties the connection's query log.
        count = len(queries.captured_queries)
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(loads):
            client.get(path)
        profiler.disable()
        elapsed = (time.perf_counter() - started) / loads
        print(f"\n--- {name}: {elapsed * 1000:.1f} ms per page in-process under cProfile, "
              f"{count} queries ({sql * 1000:.1f} ms)")
        out = io.StringIO()
        # The project's own code and Django's template engine, by time spent inside.
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
            rf"{re.escape(str(ROOT))}/(?!\.venv)|django/template/", 30)
        print(out.getvalue().split("\n", 6)[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/okx_bench_forum"))
    parser.add_argument("--redis-url", default=os.environ.get(
        "REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--cache-prefix", default="okx_bench_topic_page")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds of wrk runs")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--profile", action="store_true",
                        help="then profile each page in this process with cProfile")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    if not args.database_url.startswith("postgres"):
        sys.exit("--database-url (DATABASE_URL) must point at PostgreSQL")

    env = configure(args)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    topic, participant, reader = ensure_topic()
    last = topic.posts.get(number=POSTS)
    collect_static()
    with translation.override("en"):
        topic_path = topic.get_absolute_url()
    call_command("load_demo", stdout=io.StringIO())  # idempotent: the blog's articles
    # name: (path, the member reading it or None)
    pages = {"baseline": ("/bench/baseline/", None), "anonymous": (topic_path, None),
             "signed in": (topic_path, reader), "blog home": ("/en/blog/", None),
             "signed in, took part": (topic_path, participant)}

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="okx_bench_") as folder:
        script = Path(folder) / "status.lua"
        script.write_text(WRK_SCRIPT)
        server = start_gunicorn(env, port, Path(folder) / "gunicorn.log")
        try:
            check(port, "baseline", pages["baseline"][0], "", ["<ol>"])
            check(port, "anonymous", topic_path, "", [last.body_html, TITLE])
            check(port, "blog home", "/en/blog/", "", ['class="blog-card'])
            cookies = {name: member_cookie(port, name, path, member, last.body_html)
                       if member else "" for name, (path, member) in pages.items()}
            load_before = os.getloadavg()
            print(f"topic #{topic.pk} ({POSTS} posts) on {env['DATABASE_URL'].rsplit('/', 1)[1]}"
                  f", gunicorn 2 sync workers, wrk -t2 -c{args.connections} "
                  f"-d{args.duration}s, {args.rounds} rounds")
            for name, (path, _member) in pages.items():  # warm-up, not counted
                for _ in range(10):  # both workers load their code and templates first
                    get(port, path, cookies[name])
                wrk(f"http://127.0.0.1:{port}{path}", cookies[name], duration=3,
                    connections=args.connections, script=script)
            rates = {name: [] for name in pages}
            for n in range(1, args.rounds + 1):
                for name, (path, _member) in pages.items():
                    rates[name].append(wrk(f"http://127.0.0.1:{port}{path}", cookies[name],
                                           duration=args.duration,
                                           connections=args.connections, script=script))
                print(f"  round {n}: " + ", ".join(f"{name} {rates[name][-1]:.1f} req/s"
                                                   for name in pages), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    medians = {name: statistics.median(values) for name, values in rates.items()}
    print("\nmedian req/s: " + ", ".join(f"{name} {value:.1f}"
                                          for name, value in medians.items()))
    failed = False
    for name, target in TARGETS.items():
        ratio = medians[name] / medians["baseline"]
        passed = ratio >= target
        failed = failed or not passed
        print(f"{name} / baseline: {ratio:.0%} (target >= {target:.0%}) "
              f"{'PASS' if passed else 'FAIL'}")
    print(f"load average (1 min) before: {load_before[0]:.2f}, after: {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs")
    if args.profile:
        profile(pages)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
