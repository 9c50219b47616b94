"""Every page that exists in several languages names its twins for search engines."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_links_its_twin_in_every_language_and_a_default(client):
    html = client.get("/zh-hans/feedback/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/feedback/">' in html
    assert ('<link rel="alternate" hreflang="zh-Hans" href="http://testserver/zh-hans/feedback/">'
            in html)
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/en/feedback/">' \
        in html


def test_pages_without_language_twins_name_none(client):
    assert "hreflang" not in client.get("/en/no-such-page/").content.decode()
