import pytest
from django.conf import settings

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def switch(client, language, next_url="/en/u/alice/", **headers):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url}, **headers)


def test_login_continues_in_the_users_language(client):
    user = UserFactory(language="zh-hans")
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/zh-hans/"
    assert response.cookies[COOKIE].value == "zh-hans"


def test_login_keeps_the_next_page_in_the_users_language(client):
    user = UserFactory(language="zh-hans")
    response = client.post("/en/accounts/login/?next=/en/notifications/",
                           {"login": user.email, "password": PASSWORD})
    assert response.url == "/zh-hans/notifications/"


def test_english_user_logging_in_on_chinese_pages_gets_english(client):
    user = UserFactory(language="en")
    response = client.post("/zh-hans/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.url == "/en/"
    assert response.cookies[COOKIE].value == "en"


@pytest.mark.parametrize(("accept", "prefix"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "/zh-hans/"),
    ("zh-Hans", "/zh-hans/"),
    ("en-US,en;q=0.9", "/en/"),
    ("fr-FR", "/en/"),
])
def test_browser_language_picks_the_prefix(client, accept, prefix):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response.url == prefix


def test_language_cookie_wins_over_the_browser(client):
    client.cookies[COOKIE] = "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").url == "/en/"


def test_chinese_pages_are_served_in_chinese(client):
    html = client.get("/zh-hans/").content.decode()
    assert '<html lang="zh-hans">' in html


def test_switch_keeps_the_page_and_sets_the_cookie(client):
    response = switch(client, "zh-hans")
    assert response.status_code == 302
    assert response.url == "/zh-hans/u/alice/"
    assert response.cookies[COOKIE].value == "zh-hans"


@pytest.mark.parametrize(("language", "page", "browser", "expected"), [
    ("en", "/zh-hans/u/alice/", "en-US", "/en/u/alice/"),
    ("zh-hans", "/en/u/alice/", "zh-CN", "/zh-hans/u/alice/"),
    ("en", "/zh-hans/notifications/?filter=unread", "fr", "/en/notifications/?filter=unread"),
])
def test_switch_works_whatever_the_browser_language(client, language, page, browser, expected):
    # A shared link can open a page in a language that is not the browser's.
    response = switch(client, language, next_url=page, HTTP_ACCEPT_LANGUAGE=browser)
    assert response.url == expected


def test_switch_saves_the_signed_in_users_language(client):
    user = UserFactory(language="en")
    client.force_login(user)
    switch(client, "zh-hans")
    user.refresh_from_db()
    assert user.language == "zh-hans"


def test_switch_to_an_unknown_language_changes_nothing(client):
    user = UserFactory(language="en")
    client.force_login(user)
    response = switch(client, "xx")
    assert COOKIE not in response.cookies
    user.refresh_from_db()
    assert user.language == "en"


def test_switch_never_redirects_off_site(client):
    response = switch(client, "zh-hans", next_url="https://evil.example/")
    assert "evil.example" not in response.url


def test_switch_is_post_only(client):
    assert client.get("/i18n/setlang/?language=zh-hans&next=/en/").status_code == 405
