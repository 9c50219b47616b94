"""A member's topic page comes from the cache under a key of the topic's fields, among them
``Topic.posts_version``, and who the reader is there (forum.views._topic_page): the members who
took no part in it (no post and no reaction there; not staff, not its author) share one page,
and the others have their own. The posts are not read to serve it. So every change to how the
posts look must raise the version, and a change beside the posts (a member's name or badges, a
category's name) must expire the pages: each test loads the page first, changes something, and
expects the next load to show it."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import profile_update, user_set_ambassador
from forum.models import Post
from forum.move import topic_merge, topic_split
from forum.reactions import reaction_toggle
from forum.services import post_edit, post_hide
from tests.factories import UserFactory
from tests.uploads import image_upload

pytestmark = pytest.mark.django_db


def page(client, topic) -> str:
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def reader(topic, user=None) -> Client:
    """``user`` (a new member by default) signed in, having read ``topic`` (so the next visit
    marks nothing read)."""
    client = Client()
    client.force_login(user or UserFactory())
    page(client, topic)
    return client


@pytest.fixture
def topic(make_topic, make_reply):
    topic = make_topic(title="Funding rates explained", body="Funding moves every 8 hours.")
    make_reply(topic=topic, body="Longs pay shorts when the rate is positive.")
    return topic


@pytest.fixture
def reply(topic) -> Post:
    return topic.posts.get(number=2)


def test_a_second_member_gets_the_shared_page_without_the_posts(
        topic, django_assert_num_queries):
    first, second = reader(topic), reader(topic)
    page(first, topic)  # the shared page is made
    with django_assert_num_queries(2):  # the user, the topic with their place in it
        html = page(second, topic)
    assert "Longs pay shorts" in html


def test_a_member_who_took_part_gets_their_own_page_from_the_cache(
        topic, reply, django_assert_num_queries):
    author = reader(topic, reply.author)
    page(author, topic)
    edit = reverse("forum:post_edit", args=[reply.pk])
    with django_assert_num_queries(2):
        assert edit in page(author, topic)
    assert edit not in page(reader(topic), topic)


def test_an_edit_shows_at_once(topic, reply):
    member = reader(topic)
    page(member, topic)
    post_edit(post=reply, editor=reply.author, body="Shorts pay longs when it is negative.")
    html = page(member, topic)
    assert "Shorts pay longs" in html and "Longs pay shorts" not in html


def test_a_post_hidden_by_staff_shows_as_hidden_at_once(topic, reply, admin_user):
    member = reader(topic)
    page(member, topic)
    post_hide(post=reply, by=admin_user, hidden=True)
    assert "Longs pay shorts" not in page(member, topic)


def test_someone_elses_reaction_counts_at_once(topic, reply):
    member = reader(topic)
    page(member, topic)
    reaction_toggle(post=reply, user=UserFactory(), kind="rocket")
    assert 'data-reaction-count="rocket">1<' in page(member, topic)


def test_a_bystander_who_reacts_sees_their_reaction_and_others_do_not(topic, reply):
    reactor, other = reader(topic), reader(topic)
    page(other, topic)
    response = reactor.post(reverse("forum:post_react", args=[reply.pk]), {"kind": "heart"})
    assert response.status_code == 302
    page(reactor, topic)  # with the flash message "You reacted", which is never shared
    pressed = 'aria-pressed="true"'
    assert pressed in page(reactor, topic)
    html = page(other, topic)
    assert pressed not in html and 'data-reaction-count="heart">1<' in html


def test_the_official_marker_set_in_the_admin_shows_at_once(topic, reply, admin_client):
    member = reader(topic)
    page(member, topic)
    url = reverse("admin:forum_post_change", args=[reply.pk])
    response = admin_client.post(url, {"is_official": "on", "revisions-TOTAL_FORMS": "0",
                                       "revisions-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    assert "Official response" in page(member, topic)


def test_a_new_name_and_badge_show_beside_the_posts_at_once(
        topic, reply, django_capture_on_commit_callbacks):
    member = reader(topic)
    page(member, topic)
    author = reply.author
    with django_capture_on_commit_callbacks(execute=True):  # the pages expire on commit
        profile_update(user=author, display_name="Funding Fan", bio="", language="en",
                       timezone="UTC")
    assert "Funding Fan" in page(member, topic)
    with django_capture_on_commit_callbacks(execute=True):
        user_set_ambassador(user=author, ambassador=True)
    assert "Ambassador" in page(member, topic)


def test_a_new_avatar_shows_beside_the_posts_at_once(topic, reply,
                                                     django_capture_on_commit_callbacks):
    member = reader(topic)
    page(member, topic)
    author = Client()
    author.force_login(reply.author)
    with django_capture_on_commit_callbacks(execute=True):  # the pages expire on commit
        response = author.post("/en/accounts/profile/avatar/",
                               {"avatar": image_upload("me.png")})
    assert response.status_code == 302
    reply.author.refresh_from_db()
    assert reply.author.avatar.url in page(member, topic)


def test_a_member_deleted_in_the_admin_leaves_the_posts_at_once(
        topic, make_reply, admin_client, django_capture_on_commit_callbacks):
    leaver = UserFactory(display_name="Soon Gone")
    make_reply(topic=topic, author=leaver, body="Hedge with a short perp.")
    make_reply(topic=topic)  # the topic's last poster is someone else
    member = reader(topic)
    assert "Soon Gone" in page(member, topic)
    with django_capture_on_commit_callbacks(execute=True):  # the pages expire on commit
        response = admin_client.post(reverse("admin:accounts_user_delete", args=[leaver.pk]),
                                     {"post": "yes"})
    assert response.status_code == 302
    html = page(member, topic)
    assert "Soon Gone" not in html and "Deleted user" in html


def test_a_category_renamed_in_the_admin_shows_at_once(topic, admin_client, forum_category,
                                                       django_capture_on_commit_callbacks):
    member = reader(topic)
    page(member, topic)
    with django_capture_on_commit_callbacks(execute=True):  # the pages expire on commit
        response = admin_client.post(
            reverse("admin:forum_category_change", args=[forum_category.pk]),
            {"name": "Derivatives", "description": "", "slug": forum_category.slug,
             "parent": forum_category.parent_id, "position": 1, "color": "#123456",
             "icon": "", "who_can_start": "everyone"})
    assert response.status_code == 302
    assert "Derivatives" in page(member, topic)


def test_replies_split_off_leave_the_page_at_once(topic, make_reply, admin_user):
    make_reply(topic=topic, body="Check the predicted rate before you open.")
    member = reader(topic)
    page(member, topic)
    topic_split(topic=topic, numbers=[2], title="Who pays funding", category=None,
                by=admin_user)
    html = page(member, topic)
    assert "Longs pay shorts" not in html and "Check the predicted rate" in html


def test_posts_merged_in_show_at_once(topic, make_topic, admin_user):
    member = reader(topic)
    page(member, topic)
    other = make_topic(title="Funding on spot?", body="Is there funding on spot trades?")
    topic_merge(topic=other, into=topic, by=admin_user)
    assert "Is there funding on spot trades?" in page(member, topic)
