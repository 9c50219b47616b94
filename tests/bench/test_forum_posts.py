"""The forum generator (bench/forum_posts.py) at small scale: what it writes is what the forum
itself would have written, as users see it. PostgreSQL only (it loads with COPY)."""

from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.test import override_settings

from accounts.models import User
from bench.forum_posts import generate
from core.markdown import render_markdown
from forum.models import Category, Post, Reaction, Topic, TopicRead
from forum.services import post_reply
from okxcommunity.celery import app as celery_app
from tests.conftest import require

POSTS = 3000


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """3,000 generated posts, shared by this module's tests, in a transaction rolled back at
    the end (each test's own transaction nests in it, as in Django's TestCase)."""
    require("postgres", settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
            "needs PostgreSQL: set DATABASE_URL=postgres://...")
    module = transaction.atomic()
    with django_db_blocker.unblock():
        module.__enter__()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # the demo's notifications
    try:
        # The demo's users get passwords: the fast hasher, as in every other test.
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[
                "django.contrib.auth.hashers.MD5PasswordHasher"]):
            generate(posts=POSTS, users=150, seed=7, paragraphs=400, vacuum=False)
        celery_app.conf.task_always_eager = eager
        yield
    finally:
        celery_app.conf.task_always_eager = eager
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module.__exit__(None, None, None)


def _generated_posts():
    return Post.objects.filter(author__username__startswith="bench_forum_")


def test_topics_are_numbered_without_gaps_and_their_counters_match(generated, db):
    assert _generated_posts().count() == POSTS
    last_author = {(topic, number): author for topic, number, author in
                   Post.objects.values_list("topic_id", "number", "author_id")}
    topics = Topic.objects.select_related("author").annotate(
        posts_in=Count("posts"), low=Min("posts__number"), high=Max("posts__number"),
        first_at=Min("posts__created_at"), last_at=Max("posts__created_at"))
    for topic in topics:
        assert (topic.low, topic.high, topic.posts_in) == (1, topic.last_post_number,
                                                           topic.last_post_number)
        if topic.author.username.startswith("bench_forum_"):  # the demo's are written by services
            assert (topic.created_at, topic.last_posted_at) == (topic.first_at, topic.last_at)
        assert topic.last_poster_id == last_author[topic.pk, topic.last_post_number]
    lengths = Counter(topic.last_post_number for topic in topics)
    assert lengths[1] > 0 and max(lengths) > 20  # unanswered topics and long ones


def test_posts_are_in_time_order(generated, db):
    times = list(_generated_posts().order_by("pk").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert (times[-1] - times[0]).days > 365


def test_category_counts_match_their_topics_and_posts(generated, db):
    categories = Category.objects.annotate(topics_in=Count("topics", distinct=True),
                                           posts_in=Count("topics__posts"))
    for category in categories:
        assert (category.topic_count, category.post_count) == (category.topics_in,
                                                               category.posts_in)
    assert Category.objects.get(slug="questions-answers").topic_count > 100


def test_reaction_counts_match_the_reactions(generated, db):
    counted = {}
    for post_id, kind, author_id, user_id in Reaction.objects.values_list(
            "post_id", "kind", "post__author_id", "user_id"):
        assert user_id != author_id  # nobody reacts to their own post
        counted.setdefault(post_id, Counter())[kind] += 1
    posts = dict(Post.objects.values_list("pk", "reaction_counts"))
    assert {pk: counts for pk, counts in posts.items() if counts} == {
        pk: dict(kinds) for pk, kinds in counted.items()}
    assert POSTS / 5 < len(counted) < POSTS / 2


def test_posters_have_read_the_topic_up_to_their_post(generated, db):
    read = {(user, topic): number for user, topic, number in
                TopicRead.objects.values_list("user_id", "topic_id", "last_read_number")}
    for row in _generated_posts().values("author_id", "topic_id").annotate(last=Max("number")):
        assert read[row["author_id"], row["topic_id"]] >= row["last"]


def test_accepted_answers_are_replies_in_their_own_qa_topic(generated, db):
    solved = Topic.objects.filter(accepted_post__isnull=False).select_related(
        "category", "accepted_post")
    assert solved
    for topic in solved:
        assert topic.category.is_qa
        assert topic.accepted_post.topic_id == topic.pk and topic.accepted_post.number > 1


def test_bodies_render_to_their_stored_html(generated, db):
    posts = list(_generated_posts().order_by("pk").values_list("body", "body_html")[::10])
    for body, html in posts:
        assert html == render_markdown(body)
    rendered = "".join(html for _body, html in posts)
    for markup in ("<li>", "<a href=", "<code>", "<blockquote>", "<strong>", "<br"):
        assert markup in rendered
    assert any("的" in body for body, _html in posts)  # Chinese as well as English


def test_topic_page_shows_its_first_twenty_posts(generated, db, client):
    topic = Topic.objects.filter(last_post_number__gt=20).order_by("pk").first()
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert [post.number for post in response.context["page"]] == list(range(1, 21))
    twentieth = topic.posts.get(number=20)
    assert twentieth.body_html in response.content.decode()
    assert b'id="post-21"' not in response.content


def test_the_forum_takes_new_replies_after_generation(generated, db):
    topic = Topic.objects.filter(category__slug="spot-futures").order_by("pk").first()
    author = User.objects.get(username="bench_forum_9")
    before = Category.objects.get(slug="spot-futures").post_count
    post = post_reply(topic=topic, author=author, body="Thanks for the *detailed* answer.")
    assert post.number == topic.last_post_number + 1
    assert post.pk > Post.objects.exclude(pk=post.pk).aggregate(top=Max("pk"))["top"]
    assert Category.objects.get(slug="spot-futures").post_count == before + 1


def test_a_tenth_of_the_posts_are_chinese(generated, db):
    """The search bench's mix: about one post in ten written in Chinese, in topics of their
    own and as replies in English topics (and the other way round)."""
    chinese = _generated_posts().filter(body__regex=r"[一-鿿]")
    share = chinese.count() / POSTS
    assert 0.07 <= share <= 0.13
    assert chinese.filter(topic__language="en").exists()
    assert _generated_posts().filter(topic__language="zh-hans").exclude(
        pk__in=chinese).exists()
