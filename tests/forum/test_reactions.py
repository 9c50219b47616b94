"""Reactions: toggled through the service and the view (JSON for fetch, a redirect without
JavaScript), counts kept on the post, own posts refused, hidden posts a 404, CSRF enforced,
and counts that stay right when many people react at once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from forum.models import Post, Reaction
from forum.reactions import reaction_toggle
from forum.selectors import topic_posts
from forum.services import post_hide
from notifications.tasks import notification_send_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def reply(make_topic, make_reply):
    """A reply by ``forum_member`` in a fresh topic: others may react to it."""
    return make_reply(topic=make_topic())


def react_url(post) -> str:
    return reverse("forum:post_react", kwargs={"pk": post.pk})


def stored_counts(post) -> dict:
    return Post.objects.get(pk=post.pk).reaction_counts


# --- The service ------------------------------------------------------------------------------

def test_toggling_adds_then_removes_the_reaction_and_its_count(reply, user):
    assert reaction_toggle(post=reply, user=user, kind="like") is True
    assert stored_counts(reply) == reply.reaction_counts == {"like": 1}
    assert reaction_toggle(post=reply, user=user, kind="like") is False
    assert stored_counts(reply) == {}
    assert not Reaction.objects.exists()


def test_counts_add_up_across_users_and_kinds(reply):
    alice, bob = UserFactory(), UserFactory()
    reaction_toggle(post=reply, user=alice, kind="like")
    reaction_toggle(post=reply, user=bob, kind="like")
    reaction_toggle(post=reply, user=bob, kind="rocket")
    assert stored_counts(reply) == {"like": 2, "rocket": 1}


def test_a_like_tells_the_author(reply, user, mailoutbox):
    reaction_toggle(post=reply, user=user, kind="like")
    notification = reply.author.notifications.get()
    assert notification.actor == user and notification.target_url == reply.get_absolute_url()
    assert notification.verb == f"{user.name} liked your post in “{reply.topic.title}”"
    assert notification.email_after is not None  # emailed later unless seen by then
    assert notification_send_email(notification.pk) is True
    assert mailoutbox[0].to == [reply.author.email]


def test_more_likes_rewrite_one_unread_line_in_the_authors_language(reply):
    reply.author.language = "zh-hans"
    reply.author.save()
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    for liker in (alice, bob, carol):
        reaction_toggle(post=reply, user=liker, kind="like")
    notification = reply.author.notifications.get()
    assert notification.actor == carol
    assert carol.name in notification.verb and "2" in notification.verb
    assert notification.verb != f"{carol.name} and 2 others liked your post in " \
        f"“{reply.topic.title}”"  # written in Chinese
    assert notification.target_url.startswith("/zh-hans/")
    reaction_toggle(post=reply, user=bob, kind="rocket")  # only likes notify
    assert reply.author.notifications.count() == 1


@pytest.mark.parametrize("kind", ["", "thumbsdown", "LIKE"])
def test_an_unknown_kind_is_refused(reply, user, kind):
    with pytest.raises(ValidationError, match="Unknown reaction"):
        reaction_toggle(post=reply, user=user, kind=kind)
    assert stored_counts(reply) == {} and not Reaction.objects.exists()


def test_nobody_reacts_to_their_own_post(reply):
    with pytest.raises(ValidationError, match="your own post"):
        reaction_toggle(post=reply, user=reply.author, kind="like")
    assert not Reaction.objects.exists()


def test_a_hidden_post_takes_no_reactions(reply, user):
    post_hide(post=reply, by=reply.author, hidden=True)
    with pytest.raises(ValidationError, match="hidden"):
        reaction_toggle(post=reply, user=user, kind="like")


def test_counts_heal_from_the_reaction_rows(reply, user):
    Post.objects.filter(pk=reply.pk).update(reaction_counts={"like": 41, "wow": -3})
    reply.refresh_from_db()
    reaction_toggle(post=reply, user=user, kind="like")
    assert stored_counts(reply) == {"like": 1, "wow": -3}


@pytest.mark.django_db(transaction=True)
def test_counts_stay_right_when_many_react_at_once(postgres, make_topic, make_reply):
    """Real concurrent transactions on PostgreSQL: each thread has its own connection."""
    reply = make_reply(topic=make_topic())
    people = [UserFactory() for _ in range(8)]
    barrier = threading.Barrier(len(people))
    errors = []

    def react(person):
        try:
            barrier.wait()
            reaction_toggle(post=reply, user=person, kind="like")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=react, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert stored_counts(reply) == {"like": len(people)}


# --- The view ---------------------------------------------------------------------------------

def test_fetch_gets_json_with_the_new_count(user_client, reply, django_assert_num_queries):
    # Raising the topic's posts_version costs one more; the session comes from the cache.
    with django_assert_num_queries(10):
        response = user_client.post(react_url(reply), {"kind": "heart"}, **AJAX)
    assert response.status_code == 200
    assert response.json() == {"reacted": True, "kind": "heart", "count": 1,
                               "counts": {"heart": 1}}
    response = user_client.post(react_url(reply), {"kind": "heart"}, **AJAX)
    assert response.json()["reacted"] is False and response.json()["count"] == 0


def test_without_javascript_the_form_redirects_back_to_the_post(user_client, reply):
    response = user_client.post(react_url(reply), {"kind": "like"}, follow=False)
    assert response.status_code == 302 and response.url == reply.get_absolute_url()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["You reacted: Like."]
    assert stored_counts(reply) == {"like": 1}


def test_bad_input_gets_a_message_and_changes_nothing(client, reply, user):
    client.force_login(user)
    response = client.post(react_url(reply), {"kind": "nope"}, **AJAX)
    assert response.status_code == 400 and response.json()["error"]
    own = Client()
    own.force_login(reply.author)
    response = own.post(react_url(reply), {"kind": "like"})
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [
        "You cannot react to your own post."]
    assert stored_counts(reply) == {}


def test_anonymous_users_are_sent_to_log_in(client, reply):
    response = client.post(react_url(reply), {"kind": "like"})
    assert response.status_code == 302 and reverse("account_login") in response.url
    response = client.post(react_url(reply), {"kind": "like"}, **AJAX)
    assert response.status_code == 401 and "login_url" in response.json()
    assert not Reaction.objects.exists()


def test_hidden_and_missing_posts_are_a_404(user_client, reply, make_topic):
    post_hide(post=reply, by=reply.author, hidden=True)
    assert user_client.post(react_url(reply), {"kind": "like"}).status_code == 404
    assert user_client.post(reverse("forum:post_react", kwargs={"pk": 999999}),
                            {"kind": "like"}).status_code == 404
    topic = make_topic()
    post_hide(post=topic.posts.get(), by=topic.author, hidden=True)  # hides the topic
    assert user_client.post(react_url(topic.posts.get()), {"kind": "like"},
                            **AJAX).status_code == 404


def test_only_post_with_a_csrf_token(reply, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(react_url(reply), {"kind": "like"}).status_code == 403
    assert client.get(react_url(reply)).status_code == 405
    assert not Reaction.objects.exists()


# --- The buttons ------------------------------------------------------------------------------

def render_actions(rf, post, user) -> str:
    """The buttons as the topic page shows them (posts come from ``topic_posts``)."""
    request = rf.get("/")
    request.user = user
    post = next(p for p in topic_posts(user=user, topic=post.topic) if p.pk == post.pk)
    return render_to_string("forum/includes/post_actions.html", {
        "post": post, "topic": post.topic, "user": user}, request=request)


def test_buttons_show_counts_and_which_ones_the_user_pressed(rf, reply, user):
    reaction_toggle(post=reply, user=user, kind="rocket")
    html = render_actions(rf, reply, user)
    # One form per post, a button per kind: the pressed one says so.
    assert html.count("<form") == 1
    assert html.count('name="kind"') == len(Reaction.Kind.values)
    assert html.count('aria-pressed="true"') == 1 and 'value="rocket" class' in html
    assert 'data-reaction-count="rocket">1<' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_author_sees_counts_but_no_buttons(rf, reply, user):
    reaction_toggle(post=reply, user=user, kind="like")
    html = render_actions(rf, reply, reply.author)
    assert "<form" not in html and "👍" in html
