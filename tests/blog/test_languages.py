"""Articles in several languages: each translation at its own slug, the language switch
landing on the translation, the English fallback (or its absence, by setting), and what the
<head> tells search engines about the languages."""

from urllib.parse import quote

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EN_URL = "/en/blog/bitcoin-weekly/"
ZH_URL = "/zh-hans/blog/bi-te-bi-zhou-bao/"


@pytest.fixture
def translated(make_article):
    return make_article(title="Bitcoin weekly", summary="Range-bound again.",
                        zh_title="比特币周报", zh_slug="bi-te-bi-zhou-bao")


@pytest.fixture
def english_only(make_article):
    return make_article(title="Phishing guide", body="Never share your 2FA codes.")


def test_each_language_serves_its_own_slug(client, translated):
    english = client.get(EN_URL)
    assert english.status_code == 200 and b"<h1>Bitcoin weekly</h1>" in english.content
    chinese = client.get(ZH_URL)
    assert chinese.status_code == 200 and "<h1>比特币周报</h1>" in chinese.content.decode()


def test_a_slug_of_another_language_redirects_to_this_languages(client, translated):
    response = client.get("/zh-hans/blog/bitcoin-weekly/")
    assert response.status_code == 301 and response["Location"] == ZH_URL
    response = client.get("/en/blog/bi-te-bi-zhou-bao/")
    assert response.status_code == 301 and response["Location"] == EN_URL
    assert client.get("/en/blog/no-such-article/").status_code == 404


def test_a_unicode_slug_works_both_ways(client, make_article):
    article = make_article(title="Halving", zh_title="比特币减半")
    url = "/zh-hans/blog/" + quote("比特币减半") + "/"
    assert client.get(url).status_code == 200
    response = client.get(f"/en/blog/{quote('比特币减半')}/")
    assert response["Location"] == article.get_absolute_url() == "/en/blog/halving/"


@pytest.mark.parametrize("start, language, end", [(EN_URL, "zh-hans", ZH_URL),
                                                  (ZH_URL, "en", EN_URL)])
def test_the_language_switch_on_an_article_lands_on_its_translation(client, translated, start,
                                                                    language, end):
    response = client.post(reverse("set_language"), {"language": language, "next": start},
                           follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == end


def test_an_untranslated_article_shows_english_with_a_note(client, english_only, settings):
    settings.BLOG_HIDE_UNTRANSLATED = False
    url = "/zh-hans/blog/phishing-guide/"
    html = client.get(url).content.decode()
    assert "Never share your 2FA codes." in html
    assert '<article class="blog-article" lang="en">' in html
    assert 'rel="canonical" href="http://testserver/en/blog/phishing-guide/"' in html
    assert 'class="notice blog-fallback"' in html and "简体中文" in html  # the language's name
    assert "phishing-guide" in client.get("/zh-hans/blog/").content.decode()
    assert "blog-fallback" not in client.get("/en/blog/phishing-guide/").content.decode()


def test_hidden_untranslated_articles_are_left_out_of_that_language(client, english_only,
                                                                      translated, settings):
    settings.BLOG_HIDE_UNTRANSLATED = True
    assert client.get("/zh-hans/blog/phishing-guide/").status_code == 404
    listing = client.get("/zh-hans/blog/").content.decode()
    assert "phishing-guide" not in listing and "bi-te-bi-zhou-bao" in listing
    assert client.get("/en/blog/phishing-guide/").status_code == 200
    assert "phishing-guide" in client.get("/en/blog/").content.decode()


def test_head_names_the_translations_canonical_and_open_graph_locales(client, translated):
    html = client.get(ZH_URL).content.decode()
    assert ('<link rel="alternate" hreflang="en" href="http://testserver/en/blog/bitcoin-weekly/">'
            in html)
    assert ('<link rel="alternate" hreflang="zh-Hans" '
            'href="http://testserver/zh-hans/blog/bi-te-bi-zhou-bao/">') in html
    assert ('<link rel="alternate" hreflang="x-default" '
            'href="http://testserver/en/blog/bitcoin-weekly/">') in html
    assert '<link rel="canonical" href="http://testserver/zh-hans/blog/bi-te-bi-zhou-bao/">' in html
    assert '<meta property="og:locale" content="zh_CN">' in html
    assert '<meta property="og:locale:alternate" content="en_US">' in html
    assert "<title>比特币周报 · " in html


def test_an_untranslated_article_names_only_its_english_page(client, english_only):
    html = client.get("/zh-hans/blog/phishing-guide/").content.decode()
    assert html.count('hreflang="') == 2  # en and x-default
    assert 'hreflang="zh-Hans"' not in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert "og:locale:alternate" not in html


def test_seo_title_and_description_are_used(client, make_article):
    make_article(title="Long title", slug="seo", seo_title="Short SEO title",
                 seo_description="What search results show.", summary="A summary.")
    html = client.get("/en/blog/seo/").content.decode()
    assert "<title>Short SEO title · OKX Community</title>" in html
    assert '<meta name="description" content="What search results show.">' in html
    assert '<meta property="og:title" content="Short SEO title">' in html


def test_list_pages_keep_the_sites_hreflang_links(client, translated):
    html = client.get("/en/blog/").content.decode()
    assert 'hreflang="zh-Hans" href="http://testserver/zh-hans/blog/"' in html
