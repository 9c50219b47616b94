"""RSS and Atom feeds of the latest topics, for the whole forum and per category. They show
what an anonymous visitor sees (``selectors.topics_for``), so nothing hidden leaks."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from forum import selectors
from forum.models import Category, Post

ITEMS = 30


class LatestTopicsFeed(Feed):
    def get_object(self, request, slug=None):
        # A section holds no topics: like its page, its feed is not found.
        return get_object_or_404(Category, slug=slug, parent__isnull=False) if slug else None

    def title(self, category):
        if category:
            return _("%(category)s · OKX Community forum") % {"category": category}
        return _("Latest topics · OKX Community forum")

    def link(self, category):
        return category.get_absolute_url() if category else reverse("forum:index")

    def description(self, category):
        if category:
            return category.safe_translation_getter("description", any_language=True) or ""
        return _("New topics from the OKX Community forum.")

    def items(self, category):
        # Newest first: a feed reader wants new topics, not the latest reply's.
        topics = selectors.topics_for(user=AnonymousUser())
        if category is not None:
            topics = topics.filter(category=category)
        return topics.select_related("author").prefetch_related(
            Prefetch("posts", queryset=Post.objects.filter(number=1), to_attr="opening"),
        ).order_by("-created_at")[:ITEMS]

    def item_title(self, topic):
        return topic.title

    def item_description(self, topic):
        return topic.opening[0].body_html if topic.opening else ""

    def item_author_name(self, topic):
        return topic.author.name if topic.author else None

    def item_pubdate(self, topic):
        return topic.created_at

    def item_updateddate(self, topic):
        return topic.last_posted_at or topic.created_at


class LatestTopicsAtomFeed(LatestTopicsFeed):
    feed_type = Atom1Feed
    subtitle = LatestTopicsFeed.description
