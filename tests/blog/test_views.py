"""Reading the blog: the home with featured announcements first, category, tag and author
pages, related articles and neighbours, the portal home's announcements, and a fixed number
of queries on every page whatever the number of articles, tags, comments and languages."""

import pytest

from blog.comments import comment_create
from blog.models import Article
from tests.blog.conftest import category_create, queries, tag_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_home_lists_featured_announcements_first_then_the_newest(client, make_article):
    make_article(title="Newest analysis")
    make_article(title="Maintenance announcement", is_featured=True)
    make_article(title="Older analysis")
    html = client.get("/en/blog/").content.decode()
    positions = [html.index(title) for title in
                 ("Maintenance announcement", "Newest analysis", "Older analysis")]
    assert positions == sorted(positions)
    assert html.count('<article class="blog-card') == 3


def test_the_home_is_paginated(client, make_article):
    for _ in range(13):
        make_article()
    assert client.get("/en/blog/").content.decode().count('<article class="blog-card') == 12
    assert client.get("/en/blog/?page=2").content.decode().count('<article class="blog-card') == 1
    assert client.get("/en/blog/?page=zz").status_code == 200


def test_the_portal_home_shows_the_featured_announcements(client, make_article):
    make_article(title="Scheduled maintenance on Sunday", zh_title="周日系统维护",
                 is_featured=True)
    make_article(title="Not featured")
    html = client.get("/en/").content.decode()
    assert "Scheduled maintenance on Sunday" in html and "Not featured" not in html
    assert "周日系统维护" in client.get("/zh-hans/").content.decode()


def test_the_portal_home_shows_the_announcements_category(client, make_article):
    announcements = category_create("announcements", "Announcements", "公告")
    make_article(title="New listing: TON perpetuals", category=announcements)
    make_article(title="An ordinary analysis")
    html = client.get("/en/").content.decode()
    assert "New listing: TON perpetuals" in html and "An ordinary analysis" not in html


def test_category_tag_and_author_pages(client, make_article, other_category, blog_author):
    tag = tag_create("bitcoin", "Bitcoin", "比特币")
    make_article(title="Tagged analysis", tags=[tag])
    make_article(title="Security guide", category=other_category,
                 authors=[UserFactory(username="guard")])
    page = client.get("/en/blog/c/security/").content.decode()
    assert "Security guide" in page and "Tagged analysis" not in page
    page = client.get("/zh-hans/blog/tag/bitcoin/").content.decode()
    assert "Tagged analysis" in page and "Security guide" not in page and "比特币" in page
    page = client.get("/en/blog/author/analyst/").content.decode()
    assert "Tagged analysis" in page and "Security guide" not in page
    assert "<strong>OKX</strong>" in page  # the bio, rendered
    assert 'class="badge badge-staff"' in page
    for url in ("/en/blog/c/nope/", "/en/blog/tag/nope/", "/en/blog/author/nobody/"):
        assert client.get(url).status_code == 404
    UserFactory(username="reader")
    assert client.get("/en/blog/author/reader/").status_code == 404  # wrote nothing


def test_related_articles_and_neighbours(client, make_article, other_category):
    tag = tag_create("security", "Security", "安全")
    oldest = make_article(title="Oldest", category=other_category, tags=[tag])
    unrelated = make_article(title="Unrelated", category=other_category)
    article = make_article(title="Middle", tags=[tag])
    newest = make_article(title="Newest")
    for year, row in ((2020, oldest), (2021, unrelated), (2022, article), (2023, newest)):
        Article.objects.filter(pk=row.pk).update(published_at=row.published_at.replace(year=year))
    html = client.get("/en/blog/middle/").content.decode()
    related = html[html.index('id="related-title"'):]
    assert related.index("Oldest") < related.index("Newest")  # a shared tag comes first
    assert "Unrelated" not in related
    assert 'rel="prev" href="/en/blog/unrelated/"' in html
    assert 'rel="next" href="/en/blog/newest/"' in html


def test_list_pages_run_a_fixed_number_of_queries(client, make_article, blog_category):
    tag = tag_create("btc", "BTC", "比特币")
    make_article(tags=[tag])
    urls = ["/en/blog/", "/zh-hans/blog/", "/en/blog/c/market-analysis/", "/en/blog/tag/btc/",
            "/en/blog/author/analyst/"]
    few = {url: queries(client, url) for url in urls}
    for n in range(10):
        make_article(zh_title=f"第 {n} 篇", tags=[tag], authors=[UserFactory(), UserFactory()])
    many = {url: queries(client, url) for url in urls}
    assert few == many == {"/en/blog/": 7, "/zh-hans/blog/": 7, "/en/blog/c/market-analysis/": 7,
                           "/en/blog/tag/btc/": 7, "/en/blog/author/analyst/": 6}


def test_the_article_page_runs_a_fixed_number_of_queries(client, make_article):
    small = make_article(title="Small", tags=[tag_create("one", "One", "一")])
    big = make_article(title="Big", zh_title="大", authors=[UserFactory(), UserFactory()],
                       tags=[tag_create(f"t{n}", f"Tag {n}", f"标签 {n}") for n in range(6)])
    make_article(title="Neighbour")
    members = [UserFactory() for _ in range(4)]
    for n in range(8):
        parent = comment_create(article=big, author=members[n % 4], body=f"Comment {n}")
        comment_create(article=big, author=members[(n + 1) % 4], body="Reply", parent=parent)
    comment_create(article=small, author=members[0], body="Only one")
    counts = {}
    for who in ("anonymous", "member"):
        if who == "member":
            client.force_login(members[0])
            client.get("/en/blog/small/")  # from then on the bell's unread count is cached
        counts[who] = [queries(client, url) for url in
                       ("/en/blog/small/", "/en/blog/big/", "/zh-hans/blog/大/")]
    assert counts == {"anonymous": [11] * 3, "member": [13] * 3}
