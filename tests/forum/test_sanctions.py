"""Silence and ban: staff only, with an end in the future and a reason; a silenced member
cannot start topics or reply (told until when, nothing written); a banned member cannot sign
in until the ban ends."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from forum.models import Post, Sanction, Topic
from forum.moderation import user_sanction
from forum.selectors import user_sanction_active
from forum.services import post_reply, topic_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return UserFactory(is_staff=True)


def sanction(user, by, kind, *, days=3, reason="Spamming links"):
    return user_sanction(user=user, by=by, kind=kind, until=timezone.now() + timedelta(days=days),
                         reason=reason)


def test_only_staff_sanction(user):
    with pytest.raises(PermissionDenied):
        sanction(user, UserFactory(), "silence")
    assert not Sanction.objects.exists()


@pytest.mark.parametrize(("kind", "days", "reason", "message"), [
    ("mute", 3, "Spam", "silence or a ban"),
    ("silence", -1, "Spam", "in the future"),
    ("ban", 3, "   ", "Give a reason"),
])
def test_bad_sanctions_are_refused(user, moderator, kind, days, reason, message):
    with pytest.raises(ValidationError, match=message):
        sanction(user, moderator, kind, days=days, reason=reason)
    assert not Sanction.objects.exists()


def test_staff_are_not_sanctioned(moderator):
    with pytest.raises(ValidationError, match="Staff cannot"):
        sanction(UserFactory(is_staff=True), moderator, "ban")


def test_a_sanction_is_active_until_it_ends(user, moderator):
    assert user_sanction_active(user=user, kind="silence") is None
    silence = sanction(user, moderator, "silence")
    assert user_sanction_active(user=user, kind="silence") == silence
    assert user_sanction_active(user=user, kind="ban") is None
    Sanction.objects.filter(pk=silence.pk).update(until=timezone.now() - timedelta(seconds=1))
    assert user_sanction_active(user=user, kind="silence") is None


def test_a_silenced_member_cannot_post(forum_member, moderator, make_topic, forum_category):
    topic = make_topic()
    sanction(forum_member, moderator, "silence")
    posts = Post.objects.count()
    with pytest.raises(PermissionDenied, match="You are silenced until"):
        topic_create(category=forum_category, author=forum_member, title="A new topic here",
                     body="Hello")
    with pytest.raises(PermissionDenied, match="You are silenced until"):
        post_reply(topic=topic, author=forum_member, body="Hello")
    assert Post.objects.count() == posts and Topic.objects.count() == 1


def test_a_silenced_member_gets_a_403_from_the_reply_form(client, forum_member, moderator,
                                                          make_topic):
    topic = make_topic()
    sanction(forum_member, moderator, "silence")
    client.force_login(forum_member)
    response = client.post(topic.get_absolute_url() + "reply/", {"body": "Still here"})
    assert response.status_code == 403
    assert "you may read but not post" in response.content.decode()
    assert not Post.objects.filter(body="Still here").exists()


def test_a_lapsed_silence_lets_the_member_post_again(forum_member, moderator, make_topic,
                                                     make_reply):
    topic = make_topic()
    silence = sanction(forum_member, moderator, "silence")
    Sanction.objects.filter(pk=silence.pk).update(until=timezone.now() - timedelta(seconds=1))
    assert make_reply(topic=topic, author=forum_member).number == 2


def test_a_banned_member_cannot_sign_in(client, user, moderator):
    sanction(user, moderator, "ban")
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD},
                           follow=True)
    assert "_auth_user_id" not in client.session
    assert "Your account is banned until" in response.content.decode()
    Sanction.objects.update(until=timezone.now() - timedelta(seconds=1))
    client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_ban_signs_the_member_out_of_every_browser(user, moderator, forum_member):
    phone, laptop, bystander = Client(), Client(), Client()
    for browser in (phone, laptop):
        browser.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
        assert browser.get("/en/notifications/").status_code == 200
    bystander.force_login(forum_member)
    sanction(user, moderator, "ban")
    for browser in (phone, laptop):
        response = browser.get("/en/notifications/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert bystander.get("/en/notifications/").status_code == 200  # nobody else


def test_a_silence_keeps_the_member_signed_in(client, user, moderator):
    client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    sanction(user, moderator, "silence")
    assert client.get("/en/notifications/").status_code == 200


def test_sessions_made_before_the_salt_existed_stay_valid(client, user):
    from django.contrib.auth.base_user import AbstractBaseUser

    client.force_login(user)
    assert user.session_salt == ""
    assert user.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(user)
    assert client.get("/en/notifications/").status_code == 200
