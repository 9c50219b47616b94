"""Shared blog fixtures: a category, an author, and ``make_article``, which writes through
the services as the admin does."""

from datetime import timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Article, Category, Tag
from blog.services import article_create, article_translation_save
from tests.factories import UserFactory

PUBLISHED = Article.Status.PUBLISHED


def queries(client, url: str) -> int:
    """How many queries a successful GET of ``url`` runs."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def translated_create(model, slug: str, en: str, zh: str):
    """A category or tag named ``en`` in English and ``zh`` in Chinese."""
    row = model.objects.language("en").create(slug=slug, name=en)
    row.set_current_language("zh-hans")
    row.name = zh
    row.save()
    return row


def category_create(slug: str, en: str, zh: str) -> Category:
    return translated_create(Category, slug, en, zh)


def tag_create(slug: str, en: str, zh: str) -> Tag:
    return translated_create(Tag, slug, en, zh)


@pytest.fixture
def blog_category(db) -> Category:
    return category_create("market-analysis", "Market analysis", "市场分析")


@pytest.fixture
def other_category(db) -> Category:
    return category_create("security", "Security", "安全")


@pytest.fixture
def blog_author(db):
    return UserFactory(username="analyst", display_name="Chen Jing", is_staff=True,
                       bio="Analyst at **OKX**.")


@pytest.fixture
def make_article(blog_category, blog_author):
    """``make_article(title=..., zh_title=None, published_at=an hour ago, status=published,
    ...)``: an English article, with a Chinese translation when ``zh_title`` is given."""
    numbers = count(1)

    def make(*, title=None, body=None, zh_title=None, zh_body=None, zh_slug="",
             status=PUBLISHED, published_at=None, category=None, authors=None, tags=(),
             **fields):
        n = next(numbers)
        when = published_at or timezone.now() - timedelta(hours=n)
        article = article_create(
            category=category or blog_category, authors=authors or [blog_author],
            title=title or f"Weekly market notes {n}",
            body=body or f"Bitcoin held its range this week, note {n}.", status=status,
            published_at=when, tags=tags, **fields)
        if zh_title:
            article_translation_save(article=article, language="zh-hans", title=zh_title,
                                     slug=zh_slug, body=zh_body or f"本周比特币维持区间震荡 {n}。")
        return article

    return make
