"""The blog in a browser: an editor writes an article in English in the admin, adds the
Chinese translation in its language tab and schedules it a few seconds ahead. Until then
readers see it nowhere; at its time it appears by itself in both languages' lists and feeds,
and a reader comments on it."""

import time
from datetime import timedelta

import feedparser
import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Article, Category
from tests.e2e.test_layout import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e
AHEAD = timedelta(seconds=25)


@pytest.fixture
def editor(transactional_db, settings):
    settings.STAFF_REQUIRE_MFA = False  # MFA itself is tested in tests/accounts
    Category.objects.language("en").create(slug="market-analysis", name="Market analysis")
    user = UserFactory(is_staff=True, display_name="Chen Jing")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="blog"))
    return user


def feed_titles(page, url: str) -> list[str]:
    return [entry.title for entry in feedparser.parse(page.request.get(url).body()).entries]


def test_an_editor_schedules_a_translated_article_and_a_reader_comments(
        person_page, live_server, editor):
    site = live_server.url
    page = person_page("editor")
    log_in(page, live_server, editor)

    # English first: the article is scheduled a few seconds ahead.
    at = timezone.now() + AHEAD
    page.goto(f"{site}/admin/blog/article/add/?language=en")
    # The address first: once edited, it is no longer filled in from the title.
    page.locator("#id_slug").fill("bitcoin-weekly-range")
    page.locator("#id_title").fill("Bitcoin weekly: the range holds")
    page.locator("#id_summary").fill("BTC spent another week between 58k and 64k.")
    page.locator("#id_body").fill("Bitcoin **held its range** again this week.")
    page.locator("#id_category").select_option(label="Market analysis")
    page.locator("#id_status").select_option("published")
    page.locator("#id_published_at_0").fill(at.strftime("%Y-%m-%d"))
    page.locator("#id_published_at_1").fill(at.strftime("%H:%M:%S"))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    # Then the Chinese translation, in its language tab.
    page.locator(".parler-language-tabs").get_by_role("link", name="Simplified Chinese").click()
    page.locator("#id_slug").fill("bi-te-bi-zhou-bao-qu-jian")
    page.locator("#id_title").fill("比特币周报：区间依旧")
    page.locator("#id_body").fill("比特币本周再次**守住区间**。")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    article = Article.objects.prefetch_related("translations").get()
    assert sorted((row.language_code, row.slug) for row in article.translations.all()) == [
        ("en", "bitcoin-weekly-range"), ("zh-hans", "bi-te-bi-zhou-bao-qu-jian")]

    # Not yet: nowhere for readers.
    reader = person_page("reader", locale="zh-CN")
    reader.goto(f"{site}/en/blog/")
    expect(reader.locator("main")).not_to_contain_text("Bitcoin weekly")
    assert "比特币周报：区间依旧" not in feed_titles(reader, f"{site}/zh-hans/blog/feed/")
    assert timezone.now() < at, "the editor took longer than the schedule allows"

    # At its time it is there, in both languages, without anything being run.
    time.sleep(max((at - timezone.now()).total_seconds(), 0) + 1)
    reader.goto(f"{site}/en/blog/")
    expect(reader.locator("main")).to_contain_text("Bitcoin weekly: the range holds")
    reader.goto(f"{site}/zh-hans/blog/")
    reader.get_by_role("link", name="比特币周报：区间依旧").click()
    expect(reader.locator("h1")).to_have_text("比特币周报：区间依旧")
    assert "Bitcoin weekly: the range holds" in feed_titles(reader, f"{site}/en/blog/feed/")
    assert "比特币周报：区间依旧" in feed_titles(reader, f"{site}/zh-hans/blog/feed/atom/")

    # A reader signs in and comments on the Chinese page.
    member = UserFactory(display_name="小明")
    log_in(reader, live_server, member)
    reader.goto(f"{site}/zh-hans/blog/bi-te-bi-zhou-bao-qu-jian/")
    reader.locator("#comment-form textarea").fill("分析很清楚，**谢谢**！")
    reader.locator("#comment-form button[type=submit]").click()
    expect(reader.locator(".blog-comment").first).to_contain_text("分析很清楚，谢谢！")
    expect(reader.locator(".blog-comment strong").first).to_have_text("谢谢")
