"""The forum digest: the setting page, who is due, what it holds (visible, not muted, not
one's own), its language, and that a redelivered task sends nothing twice."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.digest import digest_content, digest_send, digest_set, digests_due
from forum.models import Digest, Watch
from forum.services import topic_mark_read
from forum.staff import topic_hide
from forum.tasks import forum_digests_send_due
from forum.watching import watch_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("forum:digest")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


def _subscribe(user, frequency="daily", *, days_ago=1) -> Digest:
    digest = digest_set(user=user, frequency=frequency)
    Digest.objects.filter(pk=digest.pk).update(
        last_sent_at=timezone.now() - timedelta(days=days_ago))
    return Digest.objects.get(pk=digest.pk)


# --- Setting it -------------------------------------------------------------------------------

def test_the_setting_page_saves_the_choice(client, reader):
    client.force_login(reader)
    page = client.get(URL)
    assert page.status_code == 200
    assert re.search(r'value="never"[^>]*checked', page.content.decode())
    response = client.post(URL, {"frequency": "weekly"}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert Digest.objects.get(user=reader).frequency == "weekly"
    assert "Your digest setting is saved." in response.content.decode()


@pytest.mark.parametrize("value", ["", "hourly", "<script>"])
def test_a_bad_choice_is_refused_and_changes_nothing(client, reader, value):
    client.force_login(reader)
    response = client.post(URL, {"frequency": value})
    assert response.status_code == 400
    assert "Choose never, daily or weekly." in response.content.decode()
    assert not Digest.objects.exists()


def test_the_setting_page_needs_a_member(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_first_digest_comes_a_period_after_subscribing(reader):
    digest_set(user=reader, frequency="daily")
    assert digests_due(now=timezone.now()) == []
    assert digests_due(now=timezone.now() + timedelta(hours=23, minutes=40)) != []


# --- Who is due -------------------------------------------------------------------------------

def test_daily_and_weekly_fall_due_at_their_own_pace(reader):
    daily = _subscribe(reader, "daily", days_ago=1)
    weekly = _subscribe(UserFactory(), "weekly", days_ago=3)
    _subscribe(UserFactory(), "never", days_ago=30)
    Digest.objects.create(user=UserFactory(is_active=False), frequency="daily",
                          last_sent_at=timezone.now() - timedelta(days=2))
    _subscribe(UserFactory(email=""), "daily", days_ago=2)
    assert digests_due(now=timezone.now()) == [daily.pk]
    Digest.objects.filter(pk=weekly.pk).update(last_sent_at=timezone.now() - timedelta(days=7))
    assert digests_due(now=timezone.now()) == [daily.pk, weekly.pk]


# --- What it holds ----------------------------------------------------------------------------

def test_it_holds_new_topics_by_others_most_replied_first(reader, make_topic, make_reply):
    quiet, busy = make_topic(title="A quiet question"), make_topic(title="A busy debate")
    make_reply(topic=busy)
    make_topic(author=reader, title="My own topic")
    content = digest_content(user=reader, since=timezone.now() - timedelta(hours=1))
    assert [t.title for t in content["topics"]] == ["A busy debate", "A quiet question"]
    assert digest_content(user=reader, since=timezone.now())["topics"] == []
    assert quiet.pk


def test_it_leaves_out_hidden_and_muted_topics(reader, make_topic, forum_category,
                                               qa_category):
    hidden, muted = make_topic(title="Hidden by staff"), make_topic(title="Muted by reader")
    make_topic(category=qa_category, title="In a muted category")
    kept = make_topic(title="Still interesting")
    topic_hide(topic=hidden, by=UserFactory(is_staff=True), hidden=True)
    watch_set(user=reader, topic=muted, level=Watch.Level.MUTED)
    watch_set(user=reader, category=qa_category, level=Watch.Level.MUTED)
    content = digest_content(user=reader, since=timezone.now() - timedelta(hours=1))
    assert [t.title for t in content["topics"]] == [kept.title]


def test_it_counts_new_posts_in_topics_the_reader_opened(reader, make_topic, make_reply):
    followed = make_topic(title="A topic the reader opened")
    topic_mark_read(topic=followed, user=reader, number=1)
    for _ in range(3):
        make_reply(topic=followed)
    make_topic(title="Never opened")
    content = digest_content(user=reader, since=timezone.now() - timedelta(hours=1))
    assert [(t.title, t.unread_count) for t in content["followed"]] == \
        [("A topic the reader opened", 3)]


def test_digest_content_runs_two_queries(reader, make_topic, django_assert_num_queries):
    for _ in range(4):
        make_topic()
    with django_assert_num_queries(2):
        digest_content(user=reader, since=timezone.now() - timedelta(hours=1))


# --- Sending ----------------------------------------------------------------------------------

def test_sending_emails_the_digest_once_in_the_readers_language(reader, make_topic,
                                                                mailoutbox):
    reader.language = "zh-hans"
    reader.save()
    digest = _subscribe(reader)
    topic = make_topic(title="Grid bots in a sideways market")
    assert digest_send(digest_id=digest.pk) is True
    [mail] = mailoutbox
    assert mail.to == [reader.email]
    assert topic.title in mail.body
    assert f"/zh-hans/forum/t/{topic.slug}/{topic.pk}/" in mail.body
    assert "/zh-hans/forum/digest/" in mail.body  # where to change or stop it
    assert digest_send(digest_id=digest.pk) is False  # redelivered task: not due any more
    assert len(mailoutbox) == 1


def test_an_empty_digest_is_not_sent_but_starts_the_next_period(reader, mailoutbox):
    digest = _subscribe(reader)
    assert digest_send(digest_id=digest.pk) is False
    assert mailoutbox == []
    assert Digest.objects.get(pk=digest.pk).last_sent_at > timezone.now() - timedelta(minutes=1)


def test_beat_queues_every_due_digest(reader, make_topic, mailoutbox):
    _subscribe(reader)
    _subscribe(UserFactory(), "weekly", days_ago=8)
    make_topic(title="Something new to read")
    assert forum_digests_send_due() == 2  # eager Celery ran both tasks
    assert len(mailoutbox) == 2
    assert forum_digests_send_due() == 0
