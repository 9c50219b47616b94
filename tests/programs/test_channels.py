"""Official channels: the list per language, and the “is this account official?” check, which
ignores case, @, the scheme, www., query strings and trailing slashes, and says yes or no."""

import pytest

from programs.models import Channel
from programs.selectors import channel_key

pytestmark = pytest.mark.django_db

URL = "/en/programs/channels/"


@pytest.fixture
def channels(db):
    return [
        Channel.objects.create(language="en", platform="x", name="News", handle="@okx",
                               url="https://x.com/okx", position=1),
        Channel.objects.create(language="en", platform="telegram", name="English community",
                               handle="@OKXOfficial_English",
                               url="https://t.me/OKXOfficial_English", position=2),
        Channel.objects.create(language="zh-hans", platform="x", name="中文公告",
                               handle="@OKXChinese", url="https://x.com/OKXChinese"),
        Channel.objects.create(language="en", platform="youtube", name="Old channel",
                               handle="@okx_old", url="https://youtube.com/@okx_old",
                               is_active=False),
    ]


@pytest.mark.parametrize("value, key", [
    ("https://x.com/okx", "x.com/okx"), ("HTTPS://X.COM/OKX/", "x.com/okx"),
    ("http://www.x.com/okx?s=20#top", "x.com/okx"), ("twitter.com/okx", "x.com/okx"),
    ("https://twitter.com/@okx", "x.com/okx"), ("@OKX", "okx"), ("  okx  ", "okx"),
    ("t.me/OKXOfficial_English", "t.me/okxofficial_english"),
    ("https://telegram.me/okxofficial_english/", "t.me/okxofficial_english"),
    ("", ""), ("@", ""), ("https://", ""),
])
def test_channel_key(value, key):
    assert channel_key(value) == key


@pytest.mark.parametrize("pasted", [
    "@okx", "OKX", "https://x.com/okx", "x.com/OKX/", "https://twitter.com/okx",
    "https://www.x.com/okx?ref=dm", "HTTPS://T.ME/okxofficial_english",
    "@OKXOfficial_English", "https://x.com/okxchinese",
])
def test_official_accounts_say_yes(client, channels, pasted):
    page = client.get(URL, {"account": pasted}).content.decode()
    assert "is an official OKX account" in page and "is not an official" not in page


@pytest.mark.parametrize("pasted", [
    "@okx_support", "0kx", "https://x.com/okx.help", "https://t.me/OKXOfficial_English_bot",
    "https://evil.example/okx", "okx_old", "https://youtube.com/@okx_old",
    "https://t.me/okx", "<script>alert(1)</script>",
])
def test_anything_else_says_no(client, channels, pasted):
    page = client.get(URL, {"account": pasted}).content.decode()
    assert "is not an official OKX account" in page and "is an official" not in page
    assert "<script>alert(1)</script>" not in page


def test_the_list_per_language(client, channels):
    page = client.get(URL).content.decode()
    assert page.index("English") < page.index("@okx") < page.index("@OKXOfficial_English")
    assert page.index("@OKXOfficial_English") < page.index("@OKXChinese")
    assert "@okx_old" not in page
    assert "We never send you a direct message first." in page
    assert "official OKX account" not in page  # nothing checked yet
    chinese = client.get("/zh-hans/programs/channels/")
    assert chinese.status_code == 200 and "@OKXChinese" in chinese.content.decode()
    assert "我们绝不会主动给您发送私信。" in chinese.content.decode()


@pytest.mark.parametrize("query", [{"account": ""}, {"account": "x" * 301}])
def test_bad_checks_are_explained(client, channels, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "official OKX account" not in page and 'class="error"' in page


def test_the_page_runs_one_query(client, channels, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(URL, {"account": "@okx"})
    for n in range(10):
        Channel.objects.create(language="en", platform="reddit", name=f"r{n}",
                               handle=f"r/okx{n}", url=f"https://reddit.com/r/okx{n}")
    with django_assert_num_queries(1):
        page = client.get(URL, {"account": "@okx"}).content.decode()
    assert "r/okx9" in page


def test_the_index_links_the_three_programs(client):
    page = client.get("/en/programs/").content.decode()
    for url in ("/en/programs/ambassadors/", "/en/programs/security/",
                "/en/programs/channels/"):
        assert url in page
