from django import template
from django.utils.translation import get_language

from blog import selectors
from blog.models import CommentFlag, CommentReaction

register = template.Library()

REACTION_EMOJI = {"like": "👍", "insightful": "💡"}


@register.inclusion_tag("blog/includes/featured.html")
def blog_featured():
    """The featured announcements, for pages outside the blog (the portal's home)."""
    return {"articles": selectors.articles_featured(language=get_language())}


@register.simple_tag
def comment_reactions(comment) -> list[dict]:
    """The reaction buttons of ``comment``: kind, label, emoji, count and whether the reader
    gave it (``comment.my_reactions``)."""
    return [{"kind": kind, "label": label, "emoji": REACTION_EMOJI[kind],
             "count": comment.reaction_counts.get(kind, 0),
             "pressed": kind in comment.my_reactions}
            for kind, label in CommentReaction.Kind.choices]


@register.simple_tag
def comment_flag_reasons():
    return CommentFlag.Reason.choices
