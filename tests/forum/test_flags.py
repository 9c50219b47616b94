"""Flagging posts: once per member and post, never one's own, hidden posts a 404, a rate
limit, and a post hidden once enough trusted members flag it (fresh accounts cannot hide
anything); through the service and through the form under each post (JSON when fetched)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum import moderation
from forum.models import Flag, Post, Topic
from forum.moderation import post_flag, user_is_trusted
from forum.selectors import user_may_flag
from forum.services import post_hide, post_reply
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def reply(make_topic, make_reply):
    """A reply by ``forum_member`` in a fresh topic."""
    return make_reply(topic=make_topic())


@pytest.fixture
def make_trusted(make_topic, make_reply):
    """``make_trusted()``: a member older than a week with five posts."""
    def make():
        member = UserFactory(date_joined=timezone.now() - timedelta(days=8))
        topic = make_topic()
        for _ in range(moderation.TRUSTED_POSTS):
            make_reply(topic=topic, author=member)
        return member
    return make


def flag_url(post) -> str:
    return reverse("forum:post_flag", kwargs={"pk": post.pk})


def hidden(post) -> bool:
    return Post.objects.get(pk=post.pk).is_hidden


# --- The service ------------------------------------------------------------------------------

def test_a_flag_is_stored_pending_with_its_reason_and_note(reply, user):
    flag = post_flag(post=reply, user=user, reason="spam", note="  buy coins here  ")
    assert (flag.reason, flag.note, flag.status) == ("spam", "buy coins here", "pending")
    assert not hidden(reply)


def test_a_member_flags_a_post_once(reply, user):
    post_flag(post=reply, user=user, reason="spam")
    with pytest.raises(ValidationError, match="already flagged"):
        post_flag(post=reply, user=user, reason="abuse")
    assert Flag.objects.count() == 1


def test_nobody_flags_their_own_post(reply):
    with pytest.raises(ValidationError, match="your own post"):
        post_flag(post=reply, user=reply.author, reason="spam")
    assert not Flag.objects.exists()


@pytest.mark.parametrize("reason", ["", "rude", "SPAM"])
def test_an_unknown_reason_is_refused(reply, user, reason):
    with pytest.raises(ValidationError, match="Choose why"):
        post_flag(post=reply, user=user, reason=reason)
    assert not Flag.objects.exists()


def test_flagging_is_rate_limited(make_topic, make_reply, user):
    topic = make_topic()
    limit, _period = moderation.FLAG_RATE
    for _ in range(limit):
        post_flag(post=make_reply(topic=topic), user=user, reason="spam")
    with pytest.raises(ValidationError, match="too fast"):
        post_flag(post=make_reply(topic=topic), user=user, reason="spam")
    assert Flag.objects.count() == limit


def test_trust_needs_age_and_posts_or_staff(make_trusted, make_topic, make_reply):
    assert user_is_trusted(user=make_trusted())
    assert user_is_trusted(user=UserFactory(is_staff=True))
    assert not user_is_trusted(user=UserFactory())
    old_but_quiet = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    assert not user_is_trusted(user=old_but_quiet)
    new_but_busy = UserFactory()
    topic = make_topic()
    for _ in range(moderation.TRUSTED_POSTS):
        make_reply(topic=topic, author=new_but_busy)
    assert not user_is_trusted(user=new_but_busy)


def test_enough_trusted_flags_hide_the_post_until_reviewed(reply, make_trusted, settings):
    settings.FORUM_FLAGS_TO_HIDE = 3
    first, second, third = make_trusted(), make_trusted(), make_trusted()
    post_flag(post=reply, user=first, reason="spam")
    post_flag(post=reply, user=second, reason="abuse")
    assert not hidden(reply)
    post_flag(post=reply, user=third, reason="spam")
    post = Post.objects.get(pk=reply.pk)
    assert post.is_hidden and post.hidden_by is None
    # The author cannot undo what the flags did; staff can (flags_review).
    with pytest.raises(PermissionDenied):
        post_hide(post=post, by=post.author, hidden=False)


def test_flags_from_untrusted_accounts_do_not_hide(reply, make_trusted, settings):
    settings.FORUM_FLAGS_TO_HIDE = 2
    for _ in range(5):
        post_flag(post=reply, user=UserFactory(), reason="spam")
    post_flag(post=reply, user=make_trusted(), reason="spam")
    assert not hidden(reply)
    post_flag(post=reply, user=UserFactory(is_staff=True), reason="spam")
    assert hidden(reply)


def test_trusted_flags_on_the_first_post_hide_the_topic(make_topic, make_trusted, settings):
    settings.FORUM_FLAGS_TO_HIDE = 1
    topic = make_topic()
    post_flag(post=topic.posts.get(number=1), user=make_trusted(), reason="spam")
    assert Topic.objects.get(pk=topic.pk).is_hidden


def test_a_hidden_post_takes_no_flags(reply, user):
    post_hide(post=reply, by=reply.author, hidden=True)
    with pytest.raises(ValidationError, match="already hidden"):
        post_flag(post=reply, user=user, reason="spam")


# --- The link under each post and the flag page ---------------------------------------------

def test_the_topic_page_links_the_flag_page_for_others_only(reply, user_client, client):
    assert flag_url(reply) in user_client.get(reply.topic.get_absolute_url()).content.decode()
    client.force_login(reply.author)
    assert flag_url(reply) not in client.get(reply.topic.get_absolute_url()).content.decode()


def test_the_flag_page_shows_the_reasons_and_the_post(reply, user_client):
    page = user_client.get(flag_url(reply)).content.decode()
    assert 'value="off_topic"' in page and 'name="note"' in page
    assert reply.body[:20] in page


def test_the_flag_page_is_for_members_who_may_flag(reply, client, user):
    assert client.get(flag_url(reply)).status_code == 302  # to log in
    client.force_login(reply.author)
    assert client.get(flag_url(reply)).status_code == 404
    post_hide(post=reply, by=reply.author, hidden=True)
    client.force_login(user)
    assert client.get(flag_url(reply)).status_code == 404


def test_who_may_flag_a_post(reply, user):
    assert user_may_flag(user=user, post=reply)
    assert not user_may_flag(user=AnonymousUser(), post=reply)
    assert not user_may_flag(user=reply.author, post=reply)
    post_hide(post=reply, by=reply.author, hidden=True)
    assert not user_may_flag(user=user, post=reply)


def test_flagging_without_javascript_redirects_back_with_a_message(reply, user_client):
    response = user_client.post(flag_url(reply), {"reason": "abuse", "note": "rude"},
                                follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#post-{reply.number}")
    assert "moderators will review" in response.content.decode()
    assert Flag.objects.get().reason == "abuse"


def test_flagging_by_fetch_answers_json(reply, user_client):
    response = user_client.post(flag_url(reply), {"reason": "spam"}, **AJAX)
    assert response.status_code == 200 and response.json()["flagged"] is True
    again = user_client.post(flag_url(reply), {"reason": "spam"}, **AJAX)
    assert again.status_code == 400 and "already flagged" in again.json()["error"]
    assert Flag.objects.count() == 1


def test_a_bad_reason_is_a_message_and_nothing_is_stored(reply, user_client):
    response = user_client.post(flag_url(reply), {"reason": "x"}, follow=True)
    assert "Choose why you flag this post." in response.content.decode()
    assert not Flag.objects.exists()


def test_a_post_hidden_from_the_user_is_a_404(reply, user_client):
    post_hide(post=reply, by=reply.author, hidden=True)
    assert user_client.post(flag_url(reply), {"reason": "spam"}).status_code == 404
    assert not Flag.objects.exists()


def test_anonymous_users_are_sent_to_log_in(reply, client):
    response = client.post(flag_url(reply), {"reason": "spam"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.post(flag_url(reply), {"reason": "spam"}, **AJAX).status_code == 401
    assert not Flag.objects.exists()


def test_flagging_needs_csrf_and_a_get_only_shows_the_form(reply, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(flag_url(reply)).status_code == 200
    assert client.post(flag_url(reply), {"reason": "spam"}).status_code == 403
    assert not Flag.objects.exists()


def test_hidden_posts_stay_invisible_to_others(reply, make_trusted, settings, user_client):
    settings.FORUM_FLAGS_TO_HIDE = 1
    post_reply(topic=reply.topic, author=reply.author, body="Visible text")
    post_flag(post=reply, user=make_trusted(), reason="spam")
    page = user_client.get(reply.topic.get_absolute_url()).content.decode()
    assert reply.body not in page and "Visible text" in page
