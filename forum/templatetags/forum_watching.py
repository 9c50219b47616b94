"""``{% watch_form topic=... %}`` / ``{% watch_form category=... %}``: the watch-level form."""

from django import template

from forum.models import Watch
from forum.watching import watch_level

register = template.Library()


@register.inclusion_tag("forum/includes/watch_form.html", takes_context=True)
def watch_form(context, *, topic=None, category=None, level=None):
    """The form for a topic or a category. ``level``: the reader's level when known already
    (forum.selectors.topic_get reads it); else one query for a signed-in user's level,
    nothing for visitors."""
    user = context["request"].user
    if topic is not None:
        kind, key = "topic", topic.pk
    else:
        kind, key = "category", category.slug
    return {"user": user, "kind": kind, "key": key, "levels": Watch.Level.choices,
            "current": watch_level(user=user, topic=topic, category=category)
            if level is None else level}
