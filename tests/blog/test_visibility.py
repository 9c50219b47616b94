"""Who sees which article: published ones whose time has come, for everyone, everywhere
(lists, pages, feeds, sitemap); drafts, scheduled and archived ones only in an editor's
preview."""

from datetime import timedelta
from unittest import mock

import feedparser
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def everywhere(client, slug: str, zh_title: str = "") -> dict[str, bool]:
    """Where the article at ``slug`` (``zh_title`` in Chinese) shows up for a reader."""
    return {
        "list": slug in client.get("/en/blog/").content.decode(),
        "page": client.get(f"/en/blog/{slug}/").status_code == 200,
        "feed": any(entry.link.endswith(f"/{slug}/") for entry in
                    feedparser.parse(client.get("/en/blog/feed/").content).entries),
        "zh-feed": any(entry.title == (zh_title or slug) for entry in
                       feedparser.parse(client.get("/zh-hans/blog/feed/atom/").content).entries),
        "sitemap": f"/{slug}/" in client.get("/sitemap.xml").content.decode(),
    }


def test_a_scheduled_article_appears_by_itself_at_its_time(client, make_article):
    at = timezone.now() + timedelta(hours=2)
    make_article(title="Scheduled", zh_title="定时发布", published_at=at)
    assert not any(everywhere(client, "scheduled", "定时发布").values())
    with mock.patch("django.utils.timezone.now", return_value=at + timedelta(seconds=1)):
        assert all(everywhere(client, "scheduled", "定时发布").values())


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.ARCHIVED])
def test_drafts_and_archived_articles_are_nowhere(client, make_article, status):
    make_article(title="Not for readers", status=status)
    assert not any(everywhere(client, "not-for-readers").values())


@pytest.fixture
def draft(make_article):
    return make_article(title="Secret draft", status=Article.Status.DRAFT,
                        published_at=timezone.now() + timedelta(days=3))


def test_the_preview_is_for_editors_only(client, draft):
    url = reverse("blog:preview", kwargs={"pk": draft.pk})
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 404  # staff, but not a blog editor
    staff.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200 and b"Secret draft" in response.content
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content
    assert client.get(reverse("blog:preview", kwargs={"pk": 999})).status_code == 404


def test_the_preview_shows_translation_states(client, draft):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("blog:preview", kwargs={"pk": draft.pk})).content.decode()
    assert "zh-hans: missing" in html
