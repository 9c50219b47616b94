"""Template tags for the topic page's action buttons (templates/forum/includes/)."""

from typing import NamedTuple

from django import template

from forum.models import Reaction

register = template.Library()

EMOJI = {
    Reaction.Kind.LIKE: "👍",
    Reaction.Kind.HEART: "❤️",
    Reaction.Kind.LAUGH: "😄",
    Reaction.Kind.WOW: "😮",
    Reaction.Kind.ROCKET: "🚀",
}


class ReactionButton(NamedTuple):
    kind: str
    label: str
    emoji: str
    count: int
    pressed: bool


@register.filter
def reaction_buttons(post) -> list[ReactionButton]:
    """One button per reaction kind for ``post``; pressed for the kinds in
    ``post.my_reactions`` (set by ``forum.selectors.topic_posts`` for the current user)."""
    mine = getattr(post, "my_reactions", ())
    counts = post.reaction_counts or {}
    return [ReactionButton(kind, label, EMOJI[kind], counts.get(kind, 0), kind in mine)
            for kind, label in Reaction.Kind.choices]
