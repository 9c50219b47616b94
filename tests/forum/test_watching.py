"""Watch levels: topic rows beat category rows; the watch form on topic and category pages."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from forum.models import Watch
from forum.watching import watch_level, watch_set
from notifications.models import Notification
from tests.factories import UserFactory

L = Watch.Level
pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(make_topic):
    return make_topic()


def told(post) -> set:
    """Who was notified of ``post``."""
    return {notification.recipient for notification in
            Notification.objects.filter(key=f"forum.post:{post.pk}").select_related("recipient")}


def test_category_watchers_are_told_and_topic_row_wins(topic, make_reply, forum_category):
    fan, quiet, reader = UserFactory(), UserFactory(), UserFactory()
    watch_set(user=fan, category=forum_category, level=L.WATCHING)
    watch_set(user=quiet, category=forum_category, level=L.WATCHING)
    watch_set(user=quiet, topic=topic, level=L.MUTED)
    watch_set(user=reader, topic=topic, level=L.WATCHING)
    post = make_reply(topic=topic)
    assert told(post) == {fan, reader}


def test_tracking_and_default_are_not_told_of_every_post(topic, make_reply, forum_category):
    tracker = UserFactory()
    watch_set(user=tracker, category=forum_category, level=L.TRACKING)
    assert told(make_reply(topic=topic)) == set()


def test_author_of_the_post_is_never_in_the_watchers(topic, make_reply, forum_member):
    watch_set(user=forum_member, topic=topic, level=L.WATCHING)
    assert told(make_reply(topic=topic, author=forum_member)) == set()


def test_watch_set_replaces_and_clears(topic, user):
    watch_set(user=user, topic=topic, level=L.WATCHING)
    watch_set(user=user, topic=topic, level=L.MUTED)
    assert watch_level(user=user, topic=topic) == L.MUTED
    assert Watch.objects.filter(user=user).count() == 1
    watch_set(user=user, topic=topic, level="")
    assert watch_level(user=user, topic=topic) == ""
    with pytest.raises(ValidationError):
        watch_set(user=user, topic=topic, level="loud")


def test_watch_form_on_topic_page(user_client, user, topic):
    page = user_client.get(topic.get_absolute_url())
    assert b'name="level"' in page.content and b"csrfmiddlewaretoken" in page.content
    url = reverse("forum:watch", kwargs={"kind": "topic", "key": topic.pk})
    response = user_client.post(url, {"level": "watching"})
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    assert watch_level(user=user, topic=topic) == L.WATCHING
    response = user_client.post(url, {"level": "bogus"}, follow=True)
    assert "Choose watching, tracking or muted." in response.content.decode()
    assert watch_level(user=user, topic=topic) == L.WATCHING


def test_watch_form_on_category_page(user_client, user, forum_category):
    assert b'name="level"' in user_client.get(forum_category.get_absolute_url()).content
    url = reverse("forum:watch", kwargs={"kind": "category", "key": forum_category.slug})
    assert user_client.get(url).status_code == 405
    user_client.post(url, {"level": "muted"})
    assert watch_level(user=user, category=forum_category) == L.MUTED


def test_watch_form_refuses_unknown_targets_and_visitors(user_client, topic):
    visitor = Client()
    assert user_client.post(reverse("forum:watch", kwargs={"kind": "post", "key": 1}),
                            {"level": "muted"}).status_code == 404
    assert user_client.post(reverse("forum:watch", kwargs={"kind": "topic", "key": "x"}),
                            {"level": "muted"}).status_code == 404
    url = reverse("forum:watch", kwargs={"kind": "topic", "key": topic.pk})
    assert visitor.post(url, {"level": "muted"}).status_code == 302
    assert not Watch.objects.exists()
    assert b'name="level"' not in visitor.get(topic.get_absolute_url()).content


def test_watch_form_on_hidden_topic_is_404(user_client, topic):
    topic.__class__.objects.filter(pk=topic.pk).update(is_hidden=True)
    url = reverse("forum:watch", kwargs={"kind": "topic", "key": topic.pk})
    assert user_client.post(url, {"level": "watching"}).status_code == 404
