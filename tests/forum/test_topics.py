from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forum.models import Category, Post, Topic, TopicRead
from forum.services import DEFAULT_ANTISPAM, antispam_lifted, post_reply, topic_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_topic_create_makes_post_one_counts_and_read_state(forum_category, forum_member):
    topic = topic_create(category=forum_category, author=forum_member,
                         title="  How do  I deposit? ", body="Use **the** app.",
                         language="zh-hans")
    topic.refresh_from_db()
    forum_category.refresh_from_db()
    assert topic.title == "How do I deposit?"
    assert topic.slug == "how-do-i-deposit"
    assert topic.language == "zh-hans"
    assert (topic.last_post_number, topic.reply_count, topic.last_poster) == (1, 0, forum_member)
    assert topic.last_posted_at is not None
    post = topic.posts.get()
    assert post.number == 1 and "<strong>the</strong>" in post.body_html
    assert (forum_category.topic_count, forum_category.post_count) == (1, 1)
    assert TopicRead.objects.get(topic=topic, user=forum_member).last_read_number == 1


def test_topic_body_html_is_sanitised(make_topic):
    topic = make_topic(body='<script>alert(1)</script>[x](javascript:alert(1))')
    html = topic.posts.get().body_html
    assert "<script" not in html and "javascript:" not in html


def test_chinese_title_keeps_a_unicode_slug(make_topic):
    assert make_topic(title="如何充值 USDT？").slug == "如何充值-usdt"


def test_staff_only_category_refuses_members(staff_only_category, forum_member):
    with pytest.raises(PermissionDenied):
        topic_create(category=staff_only_category, author=forum_member, title="Big news today",
                     body="Hello", language="en")
    assert not Topic.objects.exists()
    staff = UserFactory(is_staff=True)
    topic = topic_create(category=staff_only_category, author=staff, title="Big news today",
                         body="Hello", language="en")
    assert topic.category == staff_only_category


def test_sections_hold_no_topics(forum_section, forum_member):
    with pytest.raises(ValidationError) as exc:
        topic_create(category=forum_section, author=forum_member, title="In a section",
                     body="Hello", language="en")
    assert exc.value.code == "section"
    assert not Topic.objects.exists()


@pytest.mark.parametrize(("title", "body", "code"), [
    ("Hi", "A body", "title"), ("x" * 201, "A body", "title"), ("A fine title", "   ", "empty"),
    ("A fine title", "x" * 30_001, "too_long"),
])
def test_bad_input_is_refused_and_changes_nothing(forum_category, forum_member, title, body,
                                                   code):
    with pytest.raises(ValidationError) as exc:
        topic_create(category=forum_category, author=forum_member, title=title, body=body,
                     language="en")
    assert exc.value.code == code
    assert not Topic.objects.exists()
    assert Category.objects.get(pk=forum_category.pk).topic_count == 0


# --- Anti-spam: the real limits -------------------------------------------------------------

@pytest.fixture
def real_limits(settings):
    settings.FORUM_ANTISPAM = DEFAULT_ANTISPAM


@pytest.fixture
def new_member(db):
    return UserFactory()  # joined just now


def test_new_accounts_may_start_three_topics_an_hour(real_limits, forum_category, new_member):
    for n in range(3):
        topic_create(category=forum_category, author=new_member, title=f"Question {n}",
                     body=f"Body {n}", language="en")
    with pytest.raises(ValidationError) as exc:
        topic_create(category=forum_category, author=new_member, title="Question 4",
                     body="Body 4", language="en")
    assert exc.value.code == "rate_limit"
    assert Topic.objects.count() == 3


def test_established_accounts_get_more_topics(real_limits, forum_category, forum_member):
    for n in range(10):
        topic_create(category=forum_category, author=forum_member, title=f"Question {n}",
                     body=f"Body {n}", language="en")
    with pytest.raises(ValidationError):
        topic_create(category=forum_category, author=forum_member, title="One too many",
                     body="Body", language="en")
    assert Topic.objects.count() == 10


def test_reply_rate_limit_for_new_accounts(real_limits, make_topic, new_member):
    topic = make_topic()
    for n in range(10):
        post_reply(topic=topic, author=new_member, body=f"Reply {n}")
    with pytest.raises(ValidationError) as exc:
        post_reply(topic=topic, author=new_member, body="Reply 11")
    assert exc.value.code == "rate_limit"
    assert topic.posts.count() == 11


def test_new_accounts_may_post_two_links_at_most(real_limits, make_topic, new_member):
    topic = make_topic()
    body = "See https://a.example and ![chart](https://b.example/c.png) and www.c.example"
    with pytest.raises(ValidationError) as exc:
        post_reply(topic=topic, author=new_member, body=body)
    assert exc.value.code == "links"
    assert "at most 2 links" in exc.value.messages[0]
    post_reply(topic=topic, author=new_member, body="See https://a.example and https://b.example")
    assert topic.posts.count() == 2


def test_established_accounts_are_not_link_limited(real_limits, make_topic, forum_member):
    topic = make_topic()
    post_reply(topic=topic, author=forum_member,
               body="https://a.example https://b.example https://c.example")
    assert topic.posts.count() == 2


def test_the_same_text_twice_is_refused(real_limits, make_topic, forum_member):
    topic = make_topic()
    post_reply(topic=topic, author=forum_member, body="Thanks, that worked!")
    with pytest.raises(ValidationError) as exc:
        post_reply(topic=topic, author=forum_member, body="  Thanks, that worked!  ")
    assert exc.value.code == "duplicate"
    assert topic.posts.count() == 2
    # After the window, or from someone else, it is fine.
    Post.objects.filter(body="Thanks, that worked!").update(
        created_at=timezone.now() - timedelta(minutes=10))
    post_reply(topic=topic, author=forum_member, body="Thanks, that worked!")
    post_reply(topic=topic, author=UserFactory(), body="Thanks, that worked!")
    assert topic.posts.count() == 4


def test_staff_are_exempt_from_antispam(real_limits, make_topic):
    staff = UserFactory(is_staff=True)
    topic = make_topic()
    for n in range(12):
        post_reply(topic=topic, author=staff, body=f"https://a.example https://b.example {n} "
                                                   "https://c.example")
    assert topic.posts.count() == 13


def test_antispam_lifted_only_inside_the_block(real_limits, make_topic, new_member):
    topic = make_topic()
    with antispam_lifted():
        for _n in range(12):
            post_reply(topic=topic, author=new_member, body="Same text")
        post_reply(topic=topic, author=new_member,
                   body="https://a.example https://b.example https://c.example")
    assert topic.posts.count() == 14
    with pytest.raises(ValidationError) as exc:
        post_reply(topic=topic, author=new_member, body="Same text")
    assert exc.value.code == "duplicate"
    with pytest.raises(ValidationError) as exc:
        post_reply(topic=topic, author=new_member, body="https://a.example https://b.example "
                                                        "https://d.example")
    assert exc.value.code == "links"
    assert topic.posts.count() == 14
