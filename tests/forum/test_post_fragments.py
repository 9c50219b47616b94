"""Posts on the topic page are rendered once and shared by readers who would get the same HTML.
What is shared must never carry one reader's state to another: their reactions, their rights
over a post, their CSRF token; and a change to a post shows at once."""

import re

import pytest
from django.test import Client

from forum.reactions import reaction_toggle
from forum.services import post_edit, post_hide
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def reply(make_topic, make_reply):
    return make_reply(topic=make_topic(title="Funding rates explained"),
                      body="Funding is paid every eight hours.")


def article(client, post) -> str:
    page = client.get(post.topic.get_absolute_url()).content.decode()
    return re.search(rf'<article[^>]+id="post-{post.number}".*?</article>', page, re.S)[0]


def member(**fields) -> Client:
    client = Client()
    client.force_login(UserFactory(**fields))
    return client


def test_two_readers_share_the_post_but_not_their_token(reply):
    first, second = member(), member()
    a, b = article(first, reply), article(second, reply)
    assert TOKEN.search(a)[1] != TOKEN.search(b)[1]
    assert TOKEN.sub("", a) == TOKEN.sub("", b)
    assert "csrf-placeholder" not in a


def test_a_reaction_shows_pressed_for_its_giver_only(reply):
    giver, other = UserFactory(), member()
    article(other, reply)  # the shared rendering is made first
    reaction_toggle(post=reply, user=giver, kind="rocket")
    client = Client()
    client.force_login(giver)
    assert re.search(r'value="rocket"[^>]*aria-pressed="true"', article(client, reply))
    seen_by_other = article(other, reply)
    assert 'aria-pressed="true"' not in seen_by_other
    assert 'data-reaction-count="rocket">1<' in seen_by_other  # the count is for everyone


def test_an_edit_shows_at_once(reply):
    reader = member()
    assert "eight hours" in article(reader, reply)
    post_edit(post=reply, editor=reply.author, body="Funding is paid every hour here.")
    html = article(reader, reply)
    assert "every hour here" in html and "eight hours" not in html and "edited" in html


def test_rights_over_a_post_are_not_shared(reply):
    author = Client()
    author.force_login(reply.author)
    assert "/edit/" in article(author, reply)
    assert "/edit/" not in article(member(), reply)
    assert "/edit/" in article(member(is_staff=True), reply)


def test_a_hidden_post_stays_hidden_after_staff_saw_it(reply):
    post_hide(post=reply, by=UserFactory(is_staff=True), hidden=True)
    assert "eight hours" in article(member(is_staff=True), reply)
    html = article(member(), reply)
    assert "eight hours" not in html and "is hidden" in html


def test_times_follow_each_readers_time_zone(reply):
    utc, shanghai = member(timezone="UTC"), member(timezone="Asia/Shanghai")
    when = re.compile(r"<time [^>]*>([^<]+)</time>")
    assert when.search(article(utc, reply))[1] != when.search(article(shanghai, reply))[1]
