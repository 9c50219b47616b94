import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forum.models import Post, PostRevision, Topic, TopicRead
from forum.selectors import post_revisions
from forum.services import post_edit, post_hide, post_reply, topic_mark_read
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_replies_are_numbered_and_counted(make_topic, make_reply, user):
    topic = make_topic()
    first = make_reply(topic=topic, author=user)
    second = make_reply(topic=topic, reply_to=first)
    assert [first.number, second.number] == [2, 3]
    assert second.reply_to == first
    topic.refresh_from_db()
    assert (topic.last_post_number, topic.reply_count, topic.last_poster) == (3, 2, second.author)
    assert topic.category.post_count == 3
    assert TopicRead.objects.get(topic=topic, user=user).last_read_number == 2


def test_reply_to_a_post_of_another_topic_is_dropped(make_topic, make_reply):
    elsewhere = make_topic().posts.get()
    assert make_reply(topic=make_topic(), reply_to=elsewhere).reply_to is None


def test_locked_topics_take_replies_from_staff_only(make_topic, user):
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(is_locked=True)
    with pytest.raises(ValidationError) as exc:
        post_reply(topic=topic, author=user, body="Let me in")
    assert exc.value.code == "locked"
    post_reply(topic=topic, author=UserFactory(is_staff=True), body="Closing note")
    assert topic.posts.count() == 2


def test_anonymous_and_inactive_users_cannot_reply(make_topic, client):
    from django.contrib.auth.models import AnonymousUser

    topic = make_topic()
    for author in (AnonymousUser(), UserFactory(is_active=False)):
        with pytest.raises(PermissionDenied):
            post_reply(topic=topic, author=author, body="Hello")
    assert topic.posts.count() == 1


def test_edit_keeps_a_revision_and_shows_a_diff(make_topic, forum_member):
    post = make_topic(body="Deposit <b>fees</b> are low").posts.get()
    post = post_edit(post=post, editor=forum_member, body="Deposit fees are zero")
    post = post_edit(post=post, editor=forum_member, body="Deposit fees are zero today")
    assert post.edit_count == 2 and post.edited_at is not None
    assert post.body_html == "<p>Deposit fees are zero today</p>"
    assert list(PostRevision.objects.values_list("body", flat=True)) == [
        "Deposit <b>fees</b> are low", "Deposit fees are zero"]
    newest, oldest = post_revisions(post)
    assert newest.diff == "Deposit fees are zero <ins>today</ins>"
    assert oldest.diff == ("Deposit <del>&lt;b&gt;fees&lt;/b&gt;</del> <ins>fees</ins> are "
                           "<del>low</del> <ins>zero</ins>")


def test_edit_without_change_records_nothing(make_topic, forum_member):
    post = make_topic(body="Same").posts.get()
    post_edit(post=post, editor=forum_member, body="Same ")
    assert not PostRevision.objects.exists()


def test_only_author_or_staff_may_edit(make_topic, user):
    post = make_topic(body="Mine").posts.get()
    with pytest.raises(PermissionDenied):
        post_edit(post=post, editor=user, body="Yours now")
    post_edit(post=post, editor=UserFactory(is_staff=True), body="Fixed by staff")
    assert Post.objects.get(pk=post.pk).body == "Fixed by staff"


def test_hiding_post_one_hides_the_topic(make_topic, make_reply, forum_member, user):
    topic = make_topic()
    reply = make_reply(topic=topic, author=user)
    with pytest.raises(PermissionDenied):
        post_hide(post=topic.posts.get(number=1), by=user, hidden=True)
    post_hide(post=reply, by=user, hidden=True)
    assert Post.objects.get(pk=reply.pk).is_hidden
    assert not Topic.objects.get(pk=topic.pk).is_hidden
    post_hide(post=topic.posts.get(number=1), by=forum_member, hidden=True)
    assert Topic.objects.get(pk=topic.pk).is_hidden
    post_hide(post=topic.posts.get(number=1), by=forum_member, hidden=False)
    assert not Topic.objects.get(pk=topic.pk).is_hidden


def test_a_post_hidden_by_staff_stays_hidden_for_its_author(make_topic, make_reply, user):
    reply = make_reply(topic=make_topic(), author=user)
    post_hide(post=reply, by=UserFactory(is_staff=True), hidden=True)
    with pytest.raises(PermissionDenied):
        post_hide(post=reply, by=user, hidden=False)
    assert Post.objects.get(pk=reply.pk).is_hidden


def test_mark_read_only_moves_forward(make_topic, make_reply, user, django_assert_num_queries):
    topic = make_topic()
    for _ in range(4):
        make_reply(topic=topic)
    topic.refresh_from_db()
    topic_mark_read(topic=topic, user=user, number=3)
    with django_assert_num_queries(1):
        topic_mark_read(topic=topic, user=user, number=5)
    topic_mark_read(topic=topic, user=user, number=2)
    topic_mark_read(topic=topic, user=user, number=99)  # clamped to the last post
    assert TopicRead.objects.get(topic=topic, user=user).last_read_number == 5
