"""The editorial workflow in Django admin: an editor with the blog's permissions writes in
English, adds the Chinese translation in its language tab, sees which translations are
missing or outdated, schedules, publishes and archives; covers are verified."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from blog.comments import comment_create, comment_flag
from blog.models import Article
from tests.blog.conftest import queries
from tests.factories import UserFactory
from tests.uploads import image_upload, text_upload

pytestmark = pytest.mark.django_db
ADD = reverse("admin:blog_article_add")
LIST = reverse("admin:blog_article_changelist")


@pytest.fixture
def editor(db, settings):
    settings.STAFF_REQUIRE_MFA = False
    user = UserFactory(is_staff=True, username="editor")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="blog"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def form_data(*, category, authors, when=None, **fields):
    when = when or timezone.now()
    return {"title": "Bitcoin weekly", "slug": "bitcoin-weekly", "summary": "", "body": "Text",
            "seo_title": "", "seo_description": "", "cover_alt": "", "status": "published",
            "published_at_0": when.strftime("%Y-%m-%d"),
            "published_at_1": when.strftime("%H:%M:%S"),
            "category": category.pk, "authors": [a.pk for a in authors], **fields}


def change_url(article, language="en"):
    return reverse("admin:blog_article_change", args=[article.pk]) + f"?language={language}"


def test_an_editor_writes_translates_and_schedules(editor_client, editor, blog_category):
    later = timezone.now() + timedelta(hours=1)
    response = editor_client.post(ADD + "?language=en", form_data(
        category=blog_category, authors=[editor], when=later, body="**BTC** held 60k."))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    row = article.get_translation("en")
    assert row.body_html == "<p><strong>BTC</strong> held 60k.</p>"
    assert article.status == "published" and article.published_at > timezone.now()
    response = editor_client.post(change_url(article, "zh-hans"), form_data(
        category=blog_category, authors=[editor], when=later, title="比特币周报",
        slug="bi-te-bi-zhou-bao", body="比特币守住六万。"))
    assert response.status_code == 302
    article = Article.objects.prefetch_related("translations").get()
    assert article.get_translation("zh-hans").reading_minutes == 1
    assert "zh-hans&nbsp;✓" in editor_client.get(LIST).content.decode()
    # The English text changes: the Chinese translation is now outdated.
    editor_client.post(change_url(article), form_data(
        category=blog_category, authors=[editor], when=later, body="BTC broke out."))
    listing = editor_client.get(LIST).content.decode()
    assert "zh-hans&nbsp;⚠" in listing and "outdated" in listing
    assert reverse("blog:preview", kwargs={"pk": article.pk}) in listing


def test_a_slug_taken_in_the_language_is_a_form_error(editor_client, editor, make_article,
                                                      blog_category):
    make_article(title="Bitcoin weekly")
    for slug in ("bitcoin-weekly", "feed"):
        response = editor_client.post(ADD + "?language=en", form_data(
            category=blog_category, authors=[editor], slug=slug))
        assert response.status_code == 200 and b"errornote" in response.content
    assert Article.objects.count() == 1


def test_a_cover_that_is_not_an_image_is_refused(editor_client, editor, blog_category):
    response = editor_client.post(ADD + "?language=en", form_data(
        category=blog_category, authors=[editor], cover=text_upload("cover.jpg")))
    assert response.status_code == 200
    assert b"valid image" in response.content
    assert not Article.objects.exists()
    response = editor_client.post(ADD + "?language=en", form_data(
        category=blog_category, authors=[editor], cover=image_upload("c.png", size=(1600, 900))))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.cover_large.name.endswith(".jpg") and article.cover_small.name.endswith(".webp")


def test_actions_publish_now_and_archive(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    live = make_article()
    editor_client.post(LIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at <= timezone.now()
    editor_client.post(LIST, {"action": "archive", "_selected_action": [live.pk]})
    live.refresh_from_db()
    assert live.status == "archived"
    scheduled = editor_client.get(LIST + "?when=scheduled").content.decode()
    assert "Weekly market notes" not in scheduled


def test_the_admin_lists_cost_the_same_whatever_the_number_of_rows(editor_client,
                                                                   make_article):
    urls = [LIST, reverse("admin:blog_comment_changelist"),
            reverse("admin:blog_commentflag_changelist")]

    def add_rows():
        article = make_article(zh_title="一篇")
        parent = comment_create(article=article, author=UserFactory(), body="Send BTC to x")
        comment_create(article=article, author=UserFactory(), body="Reply", parent=parent)
        comment_flag(comment=parent, user=UserFactory(), reason="scam")

    add_rows()
    few = [queries(editor_client, url) for url in urls]
    for _ in range(5):
        add_rows()
    assert few == [queries(editor_client, url) for url in urls] == [12, 8, 7]


def test_staff_without_the_blog_permission_cannot_edit(client, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(UserFactory(is_staff=True))
    assert client.get(ADD).status_code == 403
