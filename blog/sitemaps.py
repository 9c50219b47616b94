"""The sitemap: the blog's home and every visible article, in each language it is written
in, with ``xhtml:link`` alternates to its other languages and an x-default."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.translation import get_language

from blog import selectors


class TranslatedSitemap(Sitemap):
    """Each page once per language, naming its twins in the other languages."""

    i18n = True
    alternates = True
    x_default = True


class BlogIndexSitemap(TranslatedSitemap):
    changefreq = "daily"

    def items(self):
        return ["blog:index"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self):
        # Every language's visible articles: with BLOG_HIDE_UNTRANSLATED off that is the
        # same set, and each is listed only in the languages it is written in.
        return selectors.articles_visible(language=settings.LANGUAGE_CODE) \
            .prefetch_related("translations").order_by("-published_at", "-pk")

    def get_languages_for_item(self, article):
        return selectors.article_languages(article)

    def location(self, article):
        return selectors.article_url(article, get_language())

    def lastmod(self, article):
        return article.updated_at


SITEMAPS = {"blog": BlogIndexSitemap, "articles": ArticleSitemap}
