"""The forum demo: the four seed sections, Q&A and staff-only categories, English and Chinese
topics with replies, reactions, an accepted answer and a pinned announcement; loading it twice
changes nothing."""

import io

import pytest
from django.db.models import F

from accounts import demo as accounts_demo
from forum import demo
from forum.models import Category, Post, Reaction, Topic
from forum.services import DEFAULT_ANTISPAM

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (Category.objects.count(), Topic.objects.count(), Post.objects.count(),
            Reaction.objects.count())


@pytest.fixture
def loaded(db):
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())


def test_the_four_sections_in_both_languages(loaded):
    sections = Category.objects.filter(parent=None).order_by("position")
    names = [(s.safe_translation_getter("name", language_code="en"),
              s.safe_translation_getter("name", language_code="zh-hans")) for s in sections]
    assert names == [("Getting started", "新手入门"), ("Trading strategies", "交易策略"),
                     ("Platform features", "平台功能"), ("Announcements", "公告")]
    for section in sections:
        assert 1 <= section.children.count() <= 3
    assert Category.objects.get(slug="questions-answers").is_qa
    news = Category.objects.get(slug="official-news")
    assert news.who_can_start == Category.Starters.STAFF
    assert news.safe_translation_getter("name", language_code="zh-hans") == "官方动态"


def test_topics_replies_reactions_answer_and_pin(loaded):
    assert Topic.objects.count() == len(demo.TOPICS)
    assert set(Topic.objects.values_list("language", flat=True)) == {"en", "zh-hans"}
    assert Post.objects.filter(number__gt=1).count() >= 10
    solved = Topic.objects.get(accepted_post__isnull=False)
    assert solved.category.is_qa and solved.accepted_post.number > 1
    pinned = Topic.objects.get(is_pinned_globally=True)
    assert pinned.category.slug == "official-news"
    for post in Post.objects.exclude(reaction_counts={}):
        assert sum(post.reaction_counts.values()) == post.reactions.count()
    assert not Reaction.objects.filter(user_id=F("post__author_id")).exists()


def test_loads_under_the_real_antispam_limits(db, settings):
    settings.FORUM_ANTISPAM = DEFAULT_ANTISPAM
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert Topic.objects.count() == len(demo.TOPICS)


def test_loading_twice_changes_nothing(loaded):
    before = counts()
    demo.load(io.StringIO())
    assert counts() == before
