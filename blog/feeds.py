"""RSS and Atom feeds of the newest articles, per language (the URL's prefix) and per
category. They list what readers see (``selectors.articles_visible``): nothing scheduled
appears before its time."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blog import selectors


class ArticlesFeed(Feed):
    def get_object(self, request, slug=None):
        return selectors.category_get(slug=slug) if slug else None

    def title(self, category):
        if category is not None:
            return _("%(category)s · OKX Community blog") % {"category": category}
        return _("OKX Community blog")

    def link(self, category):
        return category.get_absolute_url() if category is not None else reverse("blog:index")

    def description(self, category):
        if category is not None:
            return category.safe_translation_getter("description", any_language=True) or ""
        return _("Market analysis, product updates, security guides and announcements "
                 "from OKX.")

    def items(self, category):
        return selectors.articles_feed(language=get_language(), category=category)

    def item_title(self, article):
        return article.safe_translation_getter("title", any_language=True)

    def item_description(self, article):
        return article.safe_translation_getter("body_html", any_language=True)

    def item_author_name(self, article):
        return ", ".join(author.name for author in article.authors.all()) or None

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [str(tag) for tag in article.tags.all()]


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = Atom1Feed
    subtitle = ArticlesFeed.description
