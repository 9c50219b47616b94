"""RSS and Atom feeds of the latest topics: for the forum and per category, newest first,
with the opening post, and never a hidden topic."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.services import post_hide
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, not untrusted input


def rss_titles(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return [item.findtext("title") for item in parse(response).iter("item")]


def test_the_forum_feed_lists_new_topics_newest_first_with_their_opening_post(
        client, make_topic, qa_category):
    make_topic(title="First steps", body="**Welcome** to the forum.")
    make_topic(title="充值 USDT 要多久？", category=qa_category)

    response = client.get(reverse("forum:feed"))
    root = parse(response)
    items = list(root.iter("item"))
    assert [item.findtext("title") for item in items] == ["充值 USDT 要多久？", "First steps"]
    assert "<strong>Welcome</strong>" in items[1].findtext("description")


def test_a_category_feed_holds_only_that_categorys_topics(
        client, make_topic, forum_category, qa_category):
    make_topic(title="General chat")
    make_topic(title="A question", category=qa_category)
    url = reverse("forum:category_feed", kwargs={"slug": qa_category.slug})
    assert rss_titles(client, url) == ["A question"]


def test_hidden_topics_stay_out_of_the_feeds(client, make_topic, forum_member):
    topic = make_topic(title="Spam topic")
    post_hide(post=topic.posts.get(number=1), by=forum_member, hidden=True)
    make_topic(title="A real one")
    assert rss_titles(client, reverse("forum:feed")) == ["A real one"]


def test_the_atom_feed_and_an_unknown_category(client, make_topic):
    make_topic(title="Atom please")
    response = client.get(reverse("forum:feed_atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = parse(response).iter(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Atom please"]
    for slug in ("nope", "getting-started"):  # unknown, and a section
        assert client.get(reverse("forum:category_feed", kwargs={"slug": slug})) \
            .status_code == 404


def test_a_feed_runs_the_same_queries_for_one_topic_or_many(client, make_topic, qa_category,
                                                             django_assert_num_queries):
    make_topic(title="The only one", category=qa_category)
    url = reverse("forum:category_feed", kwargs={"slug": qa_category.slug})
    rss_titles(client, url)  # the first request also caches the Site
    with django_assert_num_queries(3):
        assert len(rss_titles(client, url)) == 1
    for n in range(12):
        make_topic(title=f"Question number {n}", category=qa_category,
                   author=UserFactory(date_joined=timezone.now() - timedelta(days=30)))
    with django_assert_num_queries(3):
        assert len(rss_titles(client, url)) == 13
