"""The blog demo: six articles in both languages across the five categories, a featured
announcement and comments; loading it twice changes nothing."""

import io

import pytest

from accounts import demo as accounts_demo
from blog import demo
from blog.models import Article, Category, Comment, Tag
from blog.selectors import article_translation_states

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (Category.objects.count(), Tag.objects.count(), Article.objects.count(),
            Comment.objects.count())


def test_the_demo_loads_translated_articles_once(client):
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    first = counts()
    assert first[0] == 5 and first[2] >= 6 and first[3] >= 2
    articles = Article.objects.prefetch_related("translations")
    assert len({article.category_id for article in articles}) == 5
    for article in articles:
        assert [row.state for row in article_translation_states(article)] == [
            "source", "current"]
        assert len(article.get_translation("en").body) > 600
        # Paragraphs are whole: no line break of the source survives into the page.
        assert "<br" not in article.get_translation("zh-hans").body_html
    assert articles.filter(is_featured=True).count() == 1
    demo.load(io.StringIO())
    assert counts() == first
    assert "周日" in client.get("/zh-hans/").content.decode()
    html = client.get("/zh-hans/blog/shi-bie-diao-yu-xin-xi/").content.decode()
    assert "如何识别冒充 OKX 的钓鱼信息" in html


def test_without_the_demo_users_it_does_nothing(db):
    out = io.StringIO()
    demo.load(out)
    assert not Article.objects.exists() and "skipped" in out.getvalue()
