"""A signed-in member's topic page is rendered once for every member who would see the same
page (core.pagecache.member_page). What is shared must never carry one member's state to
another: their account menu, unread count, CSRF token, watch level, place in the topic and
rights; and any change to the page shows at once."""

import re

import pytest
from django.test import Client

from forum.watching import watch_set
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, topic) -> str:
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def topic(make_topic, make_reply):
    topic = make_topic(title="Sizing futures positions")
    make_reply(topic=topic, body="Risk one percent per trade.")
    return topic


def test_two_members_share_the_page_but_not_their_menu_count_or_token(topic):
    first, second = UserFactory(username="first_reader"), UserFactory(username="second_reader")
    notify(recipient=second, verb="Someone replied", target_url="/", send_email=False)
    a, b = page(signed_in(first), topic), page(signed_in(second), topic)
    assert f"/u/{first.username}/" in a and f"/u/{second.username}/" not in a
    assert f"/u/{second.username}/" in b and f"/u/{first.username}/" not in b
    assert 'data-testid="unread-count">1<' in b and 'data-testid="unread-count"' not in a
    assert TOKEN.search(a)[1] != TOKEN.search(b)[1]
    for html in (a, b):
        assert "page-hole" not in html and "csrf-placeholder" not in html

    def shared(html: str) -> str:
        html = TOKEN.sub("", html)
        return re.sub(r'<div class="header-tools">.*?</header>', "", html, flags=re.S)

    assert shared(a) == shared(b)


def test_a_watch_level_shows_for_its_member_only(topic):
    watcher, other = UserFactory(), UserFactory()
    other_client = signed_in(other)
    page(other_client, topic)  # the shared page exists first
    watch_set(user=watcher, topic=topic, level="watching")
    assert re.search(r'<option value="watching" selected>', page(signed_in(watcher), topic))
    assert not re.search(r'<option value="watching" selected>', page(other_client, topic))


def test_staff_tools_are_not_shown_to_members(topic, admin_user):
    page(signed_in(admin_user), topic)
    assert "Staff tools" in page(signed_in(admin_user), topic)
    assert "Staff tools" not in page(signed_in(UserFactory()), topic)


def test_a_new_reply_and_a_hidden_post_show_at_once(topic, make_reply, forum_member):
    from forum.services import post_hide

    reader = signed_in(UserFactory())
    page(reader, topic)
    reply = make_reply(topic=topic, body="Funding is paid every eight hours.")
    assert "every eight hours" in page(reader, topic)
    post_hide(post=reply, by=forum_member, hidden=True)
    assert "every eight hours" not in page(reader, topic)


def test_each_member_gets_their_own_first_unread_link(topic, make_reply):
    early, late = UserFactory(), UserFactory()
    early_client = signed_in(early)
    page(early_client, topic)  # read up to #2
    make_reply(topic=topic)
    jump = f'href="{topic.get_absolute_url()}#post-3"'
    assert jump in page(early_client, topic)
    assert jump not in page(signed_in(late), topic)


def test_a_flash_message_shows_once_and_is_not_kept_in_the_shared_page(topic, admin_user):
    client = signed_in(admin_user)
    page(client, topic)
    response = client.post(f"/en/forum/t/{topic.pk}/pin/", {"pinned": "1"}, follow=True)
    assert "The topic is pinned in its category." in response.content.decode()
    assert "The topic is pinned in its category." not in page(client, topic)
