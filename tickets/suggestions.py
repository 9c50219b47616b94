"""Suggestion providers for the new-ticket form (see ``selectors.SUGGESTION_PROVIDERS``)."""

from django.utils.translation import gettext as _

from feedback import selectors as feedback_selectors
from forum import selectors as forum_selectors
from tickets.selectors import Suggestion


def feedback_ideas(*, user, text: str, limit: int) -> list[Suggestion]:
    """Ideas on the public feedback board: a missing feature is better voted for there."""
    return [Suggestion(title=item.title, url=item.get_absolute_url(), kind=_("Feedback idea"))
            for item in feedback_selectors.similar_items(user=user, text=text, limit=limit)]


def forum_answers(*, user, text: str, limit: int) -> list[Suggestion]:
    """Questions answered on the forum: someone may have had the same problem."""
    return [Suggestion(title=topic.title, url=topic.get_absolute_url(),
                       kind=_("Solved forum topic"))
            for topic in forum_selectors.solved_topics_like(user=user, text=text, limit=limit)]
