"""@mentions: parsed from the Markdown source, outside code and quotes; the autocomplete."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.mentions import MENTIONS_MAX, mention_names, mentioned_users
from tests.factories import UserFactory


def test_mentions_skip_code_quotes_and_emails():
    body = (
        "Hi @alice and @Bob.\n"
        "> @quoted said so\n"
        "Mail me at me@example.com, see `@inline`\n"
        "```\n@fenced\n```\n"
        "    @indented\n"
        "Thanks @alice again, @carol_2!"
    )
    assert mention_names(body=body) == ["alice", "bob", "carol_2"]


def test_at_most_ten_mentions():
    body = " ".join(f"@user{n}" for n in range(15))
    assert len(mention_names(body=body)) == MENTIONS_MAX


def test_only_existing_active_users(db, django_assert_num_queries):
    alice = UserFactory(username="alice")
    UserFactory(username="gone", is_active=False)
    with django_assert_num_queries(1):
        assert mentioned_users(body="@ALICE @gone @nobody") == [alice]
    with django_assert_num_queries(0):
        assert mentioned_users(body="no mention here") == []


@pytest.mark.django_db
def test_autocomplete_by_username_or_display_name(user_client):
    UserFactory(username="zqsatoshi", display_name="Nakamotoqz")
    UserFactory(username="bob", display_name="Zqbob")
    UserFactory(username="zqoff", is_active=False)
    url = reverse("forum:user_lookup")
    users = user_client.get(url, {"q": "zq"}).json()["users"]
    assert users == [{"username": "bob", "name": "Zqbob"},
                     {"username": "zqsatoshi", "name": "Nakamotoqz"}]
    assert user_client.get(url, {"q": "z"}).json()["users"] == []
    assert user_client.get(url, {"q": "@nakamotoq"}).json()["users"][0]["username"] == "zqsatoshi"


def test_autocomplete_needs_login_and_is_rate_limited(db, user_client):
    url = reverse("forum:user_lookup")
    assert Client().get(url, {"q": "ab"}).status_code == 302
    for _ in range(60):
        assert user_client.get(url, {"q": "ab"}).status_code == 200
    response = user_client.get(url, {"q": "ab"})
    assert response.status_code == 429
    assert response.json()["error"]


def test_autocomplete_returns_at_most_eight(db, user_client):
    for n in range(10):
        UserFactory(username=f"zed{n}")
    assert len(user_client.get(reverse("forum:user_lookup"), {"q": "ze"}).json()["users"]) == 8


def test_mentions_link_to_profiles_outside_code_and_links(make_topic, make_reply):
    alice = UserFactory(username="alice")
    topic = make_topic(language="zh-hans")
    post = make_reply(topic=topic, body="Ask @Alice or @nobody.\n\n`@alice` in code, "
                                        "[@alice](https://example.com) in a link.")
    assert post.body_html.count('class="mention"') == 1
    assert f'<a class="mention" href="/zh-hans/u/{alice.username}/">@Alice</a>' in post.body_html
    assert "@nobody" in post.body_html  # not a member: left as text
