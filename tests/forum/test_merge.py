"""Staff merge a topic into another: its posts go to the end, keeping their ids and all that
hangs on them; the old address redirects."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from forum.answers import answer_accept
from forum.models import Category, Post, Topic, TopicRead, Watch
from forum.moderation import post_flag
from forum.move import topic_merge
from forum.reactions import reaction_toggle
from forum.selectors import topics_for
from forum.services import post_edit, topic_mark_read
from forum.watching import watch_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(make_topic, make_reply, qa_category, admin_user):
    """A question with two replies, the second accepted, the first edited, liked and
    flagged."""
    topic = make_topic(category=qa_category, title="Withdrawal stuck for hours")
    first, second = make_reply(topic=topic), make_reply(topic=topic)
    post_edit(post=first, editor=first.author, body="Edited reply.")
    reaction_toggle(post=first, user=UserFactory(), kind="like")
    post_flag(post=first, user=UserFactory(), reason="spam")
    answer_accept(post=second, by=admin_user)
    return Topic.objects.get(pk=topic.pk)


@pytest.fixture
def into(source, make_topic, make_reply):
    """An older question's twin, started after ``source``; its reply is the newest post."""
    topic = make_topic(title="Withdrawal pending forever")
    make_reply(topic=topic, author=UserFactory())
    return Topic.objects.get(pk=topic.pk)


def numbered(topic) -> list[int]:
    return list(Post.objects.filter(topic=topic).order_by("number").values_list("pk", flat=True))


def test_posts_go_to_the_end_in_their_order_keeping_their_ids(source, into, admin_user):
    before_source, before_into = numbered(source), numbered(into)
    newest = Post.objects.filter(topic=into).latest("created_at")
    assert topic_merge(topic=source, into=into, by=admin_user) == into
    assert numbered(into) == before_into + before_source
    assert list(Post.objects.filter(topic=into).values_list("number", flat=True)) == [
        1, 2, 3, 4, 5]
    stored = Topic.objects.get(pk=into.pk)
    assert (stored.last_post_number, stored.reply_count) == (5, 4)
    # The newest post is still ``into``'s own reply, although it is numbered before.
    assert (stored.last_posted_at, stored.last_poster_id) == (newest.created_at,
                                                              newest.author_id)
    edited = Post.objects.get(pk=before_source[1])
    assert (edited.number, edited.body, edited.reaction_counts) == (4, "Edited reply.",
                                                                    {"like": 1})
    assert edited.revisions.count() == 1 and edited.flags.count() == 1


def test_the_old_topic_stays_an_empty_shell_out_of_every_list(source, into, admin_user,
                                                              forum_category, qa_category):
    topic_merge(topic=source, into=into, by=admin_user)
    shell = Topic.objects.get(pk=source.pk)
    assert (shell.merged_into_id, shell.last_post_number, shell.accepted_post_id) == (
        into.pk, 0, None)
    assert Topic.objects.get(pk=into.pk).accepted_post_id is None
    for user in (AnonymousUser(), admin_user):
        assert list(topics_for(user=user)) == [into]
        assert not topics_for(user=user, category=qa_category).exists()
    counts = Category.objects.filter(pk__in=[forum_category.pk, qa_category.pk]) \
        .order_by("pk").values_list("topic_count", "post_count")
    assert list(counts) == [(1, 5), (0, 0)]
    feed = Client().get(reverse("forum:feed")).content.decode()
    assert "pending forever" in feed and "stuck for hours" not in feed


def test_read_states_and_watches_follow_without_overriding(source, into, admin_user):
    reader, both, only_source = UserFactory(), UserFactory(), UserFactory()
    topic_mark_read(topic=source, user=reader, number=3)
    topic_mark_read(topic=into, user=reader, number=2)
    watch_set(user=both, topic=source, level=Watch.Level.WATCHING)
    watch_set(user=both, topic=into, level=Watch.Level.MUTED)
    watch_set(user=only_source, topic=source, level=Watch.Level.WATCHING)
    topic_merge(topic=source, into=into, by=admin_user)
    assert not TopicRead.objects.filter(topic=source).exists()
    assert TopicRead.objects.get(topic=into, user=reader).last_read_number == 2
    assert not Watch.objects.filter(topic=source).exists()
    assert dict(Watch.objects.filter(topic=into).values_list("user_id", "level")) == {
        both.pk: Watch.Level.MUTED, only_source.pk: Watch.Level.WATCHING}


def test_merging_a_topic_that_took_others_points_them_further(source, into, make_topic,
                                                              admin_user):
    last = make_topic()
    topic_merge(topic=source, into=into, by=admin_user)
    topic_merge(topic=into, into=last, by=admin_user)
    assert Topic.objects.get(pk=source.pk).merged_into_id == last.pk
    assert len(numbered(last)) == Topic.objects.get(pk=last.pk).last_post_number == 6
    response = Client().get(source.get_absolute_url())
    assert response.status_code == 301 and response.url == last.get_absolute_url()


def test_refusals_change_nothing(source, into, admin_user):
    for person in (UserFactory(), source.author):
        with pytest.raises(PermissionDenied):
            topic_merge(topic=source, into=into, by=person)
    with pytest.raises(ValidationError, match="into itself"):
        topic_merge(topic=source, into=source, by=admin_user)
    before = numbered(source)
    topic_merge(topic=into, into=source, by=admin_user)
    for pair in ((into, source), (source, into)):
        with pytest.raises(ValidationError, match="merged into another"):
            topic_merge(topic=pair[0], into=pair[1], by=admin_user)
    assert numbered(source)[:3] == before and not numbered(into)


# --- Addresses and the page -------------------------------------------------------------------

def merge_url(topic) -> str:
    return reverse("forum:topic_merge", kwargs={"pk": topic.pk})


def test_old_addresses_lead_to_the_posts_in_their_new_place(source, into, admin_user):
    moved = numbered(source)[1]
    topic_merge(topic=source, into=into, by=admin_user)
    response = Client().get(f"{source.get_absolute_url()}?page=2")
    assert response.status_code == 301 and response.url == into.get_absolute_url()
    response = Client().get(reverse("forum:post", kwargs={"pk": moved}))
    assert response.url == f"{into.get_absolute_url()}#post-4"


def test_the_form_page(source, admin_client, django_assert_num_queries):
    # User, topic (with its category; its name from the translation cache) and the unread
    # count; the session comes from the cache.
    with django_assert_num_queries(3):
        response = admin_client.get(merge_url(source))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="into"' in html
    assert "Its 3 posts go to the end of the other topic" in html


@pytest.mark.parametrize("address", ["url", "number"])
def test_posting_an_address_or_a_number_merges(source, into, admin_client, address):
    value = f"https://example.com{into.get_absolute_url()}?page=1#post-2" \
        if address == "url" else f"#{into.pk}"
    response = admin_client.post(merge_url(source), {"into": value})
    assert response.status_code == 302 and response.url == into.get_absolute_url()
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The posts of “Withdrawal stuck for hours” are now at the end of this topic."]
    assert Topic.objects.get(pk=source.pk).merged_into_id == into.pk


@pytest.mark.parametrize("value, message", [
    ("", "This field is required"),
    ("the other one", "There is no topic at this address"),
    ("999999", "There is no topic at this address"),
    ("self", "cannot be merged into itself"),
    ("shell", "merged into another one"),
])
def test_bad_addresses_are_a_400_with_the_reason(source, into, make_topic, admin_user,
                                                 admin_client, value, message):
    if value == "shell":
        shell = make_topic()
        topic_merge(topic=shell, into=into, by=admin_user)
        value = str(shell.pk)
    value = str(source.pk) if value == "self" else value
    response = admin_client.post(merge_url(source), {"into": value})
    assert response.status_code == 400 and message in response.content.decode()
    assert Topic.objects.get(pk=source.pk).merged_into_id is None


def test_others_get_a_404_as_do_shells(source, into, admin_user, admin_client, client):
    url = merge_url(source)
    response = client.post(url, {"into": into.pk})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(source.author)
    assert client.get(url).status_code == 404
    assert client.post(url, {"into": into.pk}).status_code == 404
    assert Topic.objects.get(pk=source.pk).merged_into_id is None
    topic_merge(topic=source, into=into, by=admin_user)
    assert admin_client.get(url).status_code == 404


def test_a_reply_to_the_shell_from_a_page_opened_before_is_refused(source, into, admin_user,
                                                                    make_reply):
    topic_merge(topic=source, into=into, by=admin_user)
    before = Post.objects.count()
    with pytest.raises(ValidationError, match="merged into another one"):
        make_reply(topic=source, author=UserFactory())
    assert Post.objects.count() == before
