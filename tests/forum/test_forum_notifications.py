"""Notifications of new posts: mentions, replies, watchers; the delayed, skippable email."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.models import Watch
from forum.watching import watch_set
from notifications.models import Notification
from notifications.services import notification_email_sweep, notification_mark_read
from notifications.tasks import notification_send_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
L = Watch.Level


@pytest.fixture
def topic(make_topic):
    return make_topic()


def _told(user):
    return list(Notification.objects.filter(recipient=user).values_list("verb", flat=True))


def test_mention_notifies_once_even_when_watching(topic, make_reply, forum_member):
    alice = UserFactory(username="alice")
    watch_set(user=alice, topic=topic, level=L.WATCHING)
    post = make_reply(topic=topic, body="What do you think, @alice?")
    [verb] = _told(alice)
    assert verb == f"{forum_member.name} mentioned you in “{topic.title}”"
    notification = Notification.objects.get(recipient=alice)
    assert notification.target_url == post.get_absolute_url()
    assert notification.email_after is not None  # the email waits a few minutes
    assert _told(forum_member) == []  # never the author of the post


def test_reply_notifies_the_topic_author_in_their_language(topic, make_reply, forum_member):
    forum_member.language = "zh-hans"
    forum_member.save()
    replier = UserFactory()
    make_reply(topic=topic, author=replier)
    [notification] = Notification.objects.filter(recipient=forum_member)
    assert topic.title in notification.verb
    assert notification.target_url.startswith("/zh-hans/")  # their language's page


def test_a_quote_tells_the_quoted_author_not_the_topic_author(topic, make_reply,
                                                               forum_member):
    quoted_author, quoter = UserFactory(), UserFactory()
    quoted = make_reply(topic=topic, author=quoted_author, body="Start small.")
    Notification.objects.all().delete()
    make_reply(topic=topic, author=quoter, body="> Start small.\n\nAgreed.", reply_to=quoted)
    assert _told(quoted_author) == [f"{quoter.name} quoted you in “{topic.title}”"]
    assert _told(forum_member) == []


def test_muted_topic_tells_nothing_even_a_mention(topic, make_reply, forum_category):
    alice = UserFactory(username="alice")
    watch_set(user=alice, category=forum_category, level=L.MUTED)
    make_reply(topic=topic, body="@alice look")
    assert _told(alice) == []


def test_category_watchers_hear_of_new_topics(make_topic, forum_category):
    fan = UserFactory()
    watch_set(user=fan, category=forum_category, level=L.WATCHING)
    topic = make_topic()
    assert _told(fan) == [f"{topic.author.name} started “{topic.title}”"]


def test_hidden_topic_tells_nobody(topic, make_reply, forum_category):
    fan = UserFactory()
    watch_set(user=fan, category=forum_category, level=L.WATCHING)
    topic.__class__.objects.filter(pk=topic.pk).update(is_hidden=True)
    make_reply(topic=topic.__class__.objects.get(pk=topic.pk), author=UserFactory(is_staff=True),
               body="@" + fan.username)
    assert _told(fan) == []


def _reply_queries(topic, make_reply, n_watchers):
    for _ in range(n_watchers):
        watch_set(user=UserFactory(), topic=topic, level=L.WATCHING)
    with CaptureQueriesContext(connection) as queries:
        make_reply(topic=topic, author=UserFactory())
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    inserts = sum('INSERT INTO "notifications_notification"' in s for s in sql)
    return len(sql) - inserts, inserts


def test_reply_query_count_is_constant_plus_one_insert_per_recipient(make_topic, make_reply):
    # Recipients: the watchers plus the topic's author (a reply tells them).
    assert _reply_queries(make_topic(), make_reply, 1) == \
        (_reply_queries(make_topic(), make_reply, 6)[0], 2)
    assert _reply_queries(make_topic(), make_reply, 6)[1] == 7


def test_delayed_email_sent_when_unread(topic, make_reply, forum_member, mailoutbox):
    post = make_reply(topic=topic, author=UserFactory())
    notification = Notification.objects.get(recipient=forum_member)
    assert notification.email_after is not None  # held back a few minutes
    assert notification_send_email(notification.pk) is True
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [forum_member.email]
    assert post.topic.title in mailoutbox[0].subject
    assert notification_send_email(notification.pk) is False  # redelivered: sent once
    assert len(mailoutbox) == 1


def test_delayed_email_skipped_when_the_post_was_seen(topic, make_reply, forum_member,
                                                       mailoutbox, client):
    post = make_reply(topic=topic, author=UserFactory())
    notification = Notification.objects.get(recipient=forum_member)
    client.force_login(forum_member)
    assert client.get(topic.get_absolute_url()).status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None  # seeing the post clears the bell too
    assert notification_send_email(notification.pk) is False
    assert notification_email_sweep(older_than=timedelta(0)) == 0  # nor later by the sweep
    assert mailoutbox == []
    assert post.number == 2


def test_delayed_email_skipped_when_notification_opened(topic, make_reply, forum_member,
                                                        mailoutbox):
    make_reply(topic=topic, author=UserFactory())
    notification = Notification.objects.get(recipient=forum_member)
    notification_mark_read(user=forum_member, notification_id=notification.pk)
    assert notification_send_email(notification.pk) is False
    assert mailoutbox == []


def test_reading_another_page_leaves_those_notifications_unread(make_topic, make_reply,
                                                                forum_member, client):
    topic = make_topic()
    for _ in range(20):
        make_reply(topic=topic, author=forum_member)
    late = make_reply(topic=topic, author=UserFactory(), body=f"@{forum_member.username} see")
    assert late.number == 22  # on page 2
    client.force_login(forum_member)
    client.get(topic.get_absolute_url())
    assert Notification.objects.get(recipient=forum_member).read_at is None
    client.get(topic.get_absolute_url() + "?page=2")
    assert Notification.objects.get(recipient=forum_member).read_at is not None


def test_email_is_scheduled_after_commit_with_the_delay(topic, make_reply, forum_member,
                                                        mailoutbox, settings,
                                                        django_capture_on_commit_callbacks):
    settings.FORUM_EMAIL_DELAY_SECONDS = 120
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_reply(topic=topic, author=UserFactory())
    notification = Notification.objects.get(recipient=forum_member)
    assert 115 < (notification.email_after - notification.created_at).total_seconds() <= 120
    # Eager Celery ignores the countdown: the task ran and found the post unseen.
    assert len(callbacks) == 2 and len(mailoutbox) == 1  # the email's, the bell count's


def test_the_sweep_sends_a_delayed_email_the_broker_lost(topic, make_reply, forum_member,
                                                          mailoutbox):
    make_reply(topic=topic, author=UserFactory())
    notification = Notification.objects.get(recipient=forum_member)
    assert notification_email_sweep(older_than=timedelta(minutes=2)) == 0  # not due yet
    Notification.objects.filter(pk=notification.pk).update(
        email_after=timezone.now() - timedelta(minutes=3))
    assert notification_email_sweep(older_than=timedelta(minutes=2)) == 1
    assert len(mailoutbox) == 1
