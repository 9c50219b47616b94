"""Suggestion providers for the new-ticket form (see ``selectors.SUGGESTION_PROVIDERS``)."""

from django.utils import translation
from django.utils.translation import gettext as _

from blog import selectors as blog_selectors
from feedback import selectors as feedback_selectors
from forum import selectors as forum_selectors
from tickets.selectors import Suggestion


def blog_articles(*, user, text: str, limit: int) -> list[Suggestion]:
    """Guides and announcements on the blog, in the member's language: the answer may be
    written already."""
    language = translation.get_language()
    return [Suggestion(title=article.safe_translation_getter("title", language_code=language),
                       url=blog_selectors.article_url(article, language), kind=_("Help article"))
            for article in blog_selectors.articles_like(language=language, text=text,
                                                        limit=limit)]


def feedback_ideas(*, user, text: str, limit: int) -> list[Suggestion]:
    """Ideas on the public feedback board: a missing feature is better voted for there."""
    return [Suggestion(title=item.title, url=item.get_absolute_url(), kind=_("Feedback idea"))
            for item in feedback_selectors.similar_items(user=user, text=text, limit=limit)]


def forum_answers(*, user, text: str, limit: int) -> list[Suggestion]:
    """Questions answered on the forum: someone may have had the same problem."""
    return [Suggestion(title=topic.title, url=topic.get_absolute_url(),
                       kind=_("Solved forum topic"))
            for topic in forum_selectors.solved_topics_like(user=user, text=text, limit=limit)]
