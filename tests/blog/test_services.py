"""Writing articles: rendering once, reading time per language, slugs unique per language,
translation fingerprints (outdated markers), the workflow and cover images."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from blog.models import Article
from blog.reading import reading_minutes
from blog.selectors import article_translation_states
from blog.services import (
    article_archive,
    article_cover_set,
    article_create,
    article_publish,
    article_translation_save,
)
from tests.uploads import image_upload, text_upload

pytestmark = pytest.mark.django_db


def states(article) -> dict[str, str]:
    article = Article.objects.prefetch_related("translations").get(pk=article.pk)
    return {row.language: row.state for row in article_translation_states(article)}


def test_reading_time_counts_words_in_english_and_characters_in_chinese():
    assert reading_minutes("word " * 230) == 1
    assert reading_minutes("word " * 231) == 2
    assert reading_minutes("比" * 400) == 1
    assert reading_minutes("比" * 1200) == 3
    # Mixed text: 460 words and 400 characters are two minutes plus one.
    assert reading_minutes("trade " * 460 + "币" * 400) == 3
    assert reading_minutes("") == 1


def test_an_article_is_rendered_once_with_its_reading_time(make_article):
    article = make_article(title="Phishing: how to spot it",
                           body="**Never** share codes <script>alert(1)</script> " + "x " * 500)
    row = article.get_translation("en")
    assert "<strong>Never</strong>" in row.body_html and "<script>" not in row.body_html
    assert row.reading_minutes == 3
    assert row.slug == "phishing-how-to-spot-it"


def test_each_language_has_its_own_slug_and_reading_time(make_article):
    article = make_article(title="Bitcoin weekly", zh_title="比特币周报",
                           zh_body="比" * 800)
    zh = article.get_translation("zh-hans")
    assert zh.slug == "比特币周报" and zh.reading_minutes == 2
    assert article.get_translation("en").slug == "bitcoin-weekly"


def test_slugs_are_unique_per_language_only(make_article):
    first = make_article(title="Weekly notes", zh_title="周报", zh_slug="weekly-notes")
    assert first.get_translation("zh-hans").slug == "weekly-notes"  # same as the English one
    second = make_article(title="Weekly notes")
    assert second.get_translation("en").slug == "weekly-notes-2"
    with pytest.raises(ValidationError):
        make_article(title="Other", slug="weekly-notes")
    with pytest.raises(ValidationError):
        make_article(title="Feed", slug="feed")


def test_an_article_needs_a_title_a_body_and_an_author(blog_category, blog_author):
    with pytest.raises(ValidationError):
        article_create(category=blog_category, authors=[blog_author], title=" ", body="x")
    with pytest.raises(ValidationError):
        article_create(category=blog_category, authors=[], title="Title", body="x")
    assert not Article.objects.exists()


def test_a_translation_is_outdated_when_the_english_text_changes(make_article):
    article = make_article(title="Product update", zh_title="产品更新")
    assert states(article) == {"en": "source", "zh-hans": "current"}
    article_translation_save(article=article, language="en", seo_title="Only SEO changed")
    assert states(article)["zh-hans"] == "current"
    article_translation_save(article=article, language="en", body="A new paragraph.")
    assert states(article)["zh-hans"] == "outdated"
    article_translation_save(article=article, language="zh-hans", body="新的段落。")
    assert states(article)["zh-hans"] == "current"
    assert states(make_article())["zh-hans"] == "missing"


def test_publish_now_schedule_and_archive(make_article):
    article = make_article(status=Article.Status.DRAFT)
    later = timezone.now() + timedelta(days=1)
    article_publish(article=article, at=later)
    assert article.status == Article.Status.PUBLISHED and article.published_at == later
    article_publish(article=article)
    assert article.published_at <= timezone.now()
    article_archive(article=article)
    assert Article.objects.get(pk=article.pk).status == Article.Status.ARCHIVED


def test_published_without_a_time_is_published_now(make_article, blog_category, blog_author):
    article = article_create(category=blog_category, authors=[blog_author], title="Now",
                             body="Body", status=Article.Status.PUBLISHED)
    assert article.published_at is not None and article.published_at <= timezone.now()


def test_a_cover_gets_its_renditions(make_article, settings):
    article = make_article(cover=image_upload("cover.png", size=(2000, 1000)))
    article.refresh_from_db()
    assert article.cover.name.endswith(".png")
    with Image.open(article.cover_large.path) as large:
        assert (large.format, large.size) == ("JPEG", (1200, 600))
    with Image.open(article.cover_small.path) as small:
        assert (small.format, small.size) == ("WEBP", (600, 300))
    old_small = article.cover_small.name
    article_cover_set(article=article, upload=image_upload("new.jpg", "JPEG", size=(800, 400)))
    article.refresh_from_db()
    assert article.cover_small.name != old_small
    with Image.open(article.cover_large.path) as large:
        assert large.size == (800, 400)  # never enlarged


def test_a_cover_that_is_not_an_image_is_refused(make_article):
    with pytest.raises(ValidationError, match="not a valid image"):
        make_article(title="Fake cover", cover=text_upload("cover.jpg"))
    assert not Article.objects.exists()
    article = make_article()
    with pytest.raises(ValidationError):
        article_cover_set(article=article, upload=text_upload("evil.jpg", b"<svg></svg>"))
    article.refresh_from_db()
    assert not article.cover and not article.cover_large
