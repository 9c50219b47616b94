"""RSS and Atom feeds per language and per category, parsed as a feed reader would; the
sitemap with its language alternates; robots.txt."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from tests.blog.conftest import queries, tag_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def articles(make_article, other_category):
    return [
        make_article(title="Bitcoin weekly", zh_title="比特币周报", zh_slug="bi-te-bi-zhou-bao",
                     summary="Range-bound.", body="**BTC** held 60k."),
        make_article(title="Spot the phishing email", zh_title="识别钓鱼邮件",
                     category=other_category),
        make_article(title="English only"),
    ]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_the_rss_feed_in_each_language(client, articles):
    english = parse(client, "/en/blog/feed/")
    assert english.version == "rss20" and english.feed.language == "en"
    assert [entry.title for entry in english.entries] == [
        "Bitcoin weekly", "Spot the phishing email", "English only"]
    first = english.entries[0]
    assert first.link.endswith("/en/blog/bitcoin-weekly/")
    assert "<strong>BTC</strong>" in first.description
    assert first.author == "Chen Jing"
    chinese = parse(client, "/zh-hans/blog/feed/")
    assert chinese.feed.language == "zh-hans"
    assert [entry.title for entry in chinese.entries] == [
        "比特币周报", "识别钓鱼邮件", "English only"]
    assert chinese.entries[0].link.endswith("/zh-hans/blog/bi-te-bi-zhou-bao/")


def test_the_atom_feed_and_the_category_feeds(client, articles, other_category, settings):
    atom = parse(client, "/en/blog/feed/atom/")
    assert atom.version == "atom10"
    assert "<strong>BTC</strong>" in atom.entries[0].summary
    url = reverse("blog:category_feed", kwargs={"slug": other_category.slug})
    assert [entry.title for entry in parse(client, url).entries] == ["Spot the phishing email"]
    url = reverse("blog:category_feed_atom", kwargs={"slug": other_category.slug})
    assert [entry.title for entry in parse(client, url).entries] == ["Spot the phishing email"]
    assert client.get("/en/blog/c/nope/feed/").status_code == 404
    settings.BLOG_HIDE_UNTRANSLATED = True
    assert "English only" not in [e.title for e in parse(client, "/zh-hans/blog/feed/").entries]


def test_the_sitemap_lists_each_translation_with_its_alternates(client, articles):
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own XML
    urls = {url.findtext(f"{SITEMAP}loc"): {
        link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        for url in root.iter(f"{SITEMAP}url")}
    zh = "http://127.0.0.1:8000/zh-hans/blog/bi-te-bi-zhou-bao/"
    en = "http://127.0.0.1:8000/en/blog/bitcoin-weekly/"
    assert urls[zh] == urls[en] == {"en": en, "zh-hans": zh,
                                    "x-default": "http://127.0.0.1:8000/blog/bitcoin-weekly/"}
    assert "http://127.0.0.1:8000/en/blog/english-only/" in urls
    assert not [url for url in urls if url.startswith("http://127.0.0.1:8000/zh-hans/blog/eng")]
    assert "http://127.0.0.1:8000/zh-hans/blog/" in urls


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /en/blog/preview/" in text


def test_feeds_and_the_sitemap_run_a_fixed_number_of_queries(client, articles, make_article):
    urls = ["/en/blog/feed/", "/zh-hans/blog/feed/atom/", "/en/blog/c/market-analysis/feed/",
            "/sitemap.xml"]
    tags = [tag_create(f"t{n}", f"Tag {n}", f"标签 {n}") for n in range(3)]
    make_article(title="Tagged", tags=tags[:1])
    queries(client, urls[0])  # the first request of a test loads what is cached afterwards
    few = {url: queries(client, url) for url in urls}
    for n in range(6):
        make_article(zh_title=f"第 {n} 篇", tags=tags, authors=[UserFactory(), UserFactory()])
    many = {url: queries(client, url) for url in urls}
    assert few == many == {"/en/blog/feed/": 5, "/zh-hans/blog/feed/atom/": 5,
                           "/en/blog/c/market-analysis/feed/": 7, "/sitemap.xml": 2}
