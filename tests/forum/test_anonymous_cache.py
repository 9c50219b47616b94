"""Anonymous readers get busy pages from the cache for a few seconds, each with their own CSRF
token; members, visitors with messages waiting and unusual addresses always get fresh pages."""

import re

import pytest
from django.test import Client

from forum.staff import topic_lock
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 30


@pytest.fixture
def topic(make_topic):
    return make_topic(title="Grid bots in a sideways market")


def test_a_second_anonymous_visit_is_served_from_the_cache(client, topic,
                                                             django_assert_num_queries):
    url = topic.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and b"Grid bots" in first.content
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert TOKEN.sub(b"", second.content) == TOKEN.sub(b"", first.content)


def test_each_visitor_gets_a_working_csrf_token(client, topic):
    url = topic.get_absolute_url()
    client.get(url)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    [token] = set(TOKEN.findall(page.content))
    assert b"csrf-placeholder" not in page.content
    switched = visitor.post("/i18n/setlang/", {"language": "zh-hans", "next": url,
                                               "csrfmiddlewaretoken": token.decode()})
    assert switched.status_code == 302 and switched["Location"].startswith("/zh-hans/")


def test_changes_reach_anonymous_readers_after_the_cache_time(client, topic, settings):
    url = topic.get_absolute_url()
    client.get(url)
    topic_lock(topic=topic, by=UserFactory(is_staff=True), locked=True)
    assert b"Locked" not in Client().get(url).content  # still the cached page
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    assert b"Locked" in Client().get(url).content


def test_members_always_get_a_fresh_page(client, topic, forum_member):
    url = topic.get_absolute_url()
    Client().get(url)
    client.force_login(forum_member)
    page = client.get(url)
    assert forum_member.name.encode() in page.content  # their own header, not the cached one
    assert b"Sign in to reply" not in page.content


def test_other_addresses_and_pages_are_kept_apart(client, make_topic, make_reply,
                                                  django_assert_num_queries):
    topic = make_topic()
    for _ in range(20):
        make_reply(topic=topic)
    url = topic.get_absolute_url()
    client.get(url)
    second = Client().get(url + "?page=2")
    assert b'id="post-21"' in second.content and b'id="post-1"' not in second.content
    Client().get(url + "?quote=1")  # not cached: any other parameter renders afresh
    with django_assert_num_queries(0):
        Client().get(url + "?page=2")
    assert Client().get(f"/zh-hans{url[3:]}").content.count(b'lang="zh-hans"') >= 1


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, topic):
    url = topic.get_absolute_url()
    Client().get(url)
    # Signing out leaves "You have signed out." for the next page.
    client.force_login(UserFactory())
    client.post("/en/accounts/logout/")
    page = client.get(url)
    assert b"signed out" in page.content
    assert b"signed out" not in Client().get(url).content


def test_the_blog_home_is_cached_too(client, django_assert_num_queries):
    assert client.get("/en/blog/").status_code == 200
    with django_assert_num_queries(0):
        assert Client().get("/en/blog/").status_code == 200
