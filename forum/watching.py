"""Watching topics and categories, and telling people about new posts.

Levels resolve per user: a topic-level Watch row beats a category-level row; without a row the
topic's author and repliers track it. Who is told of a post, once each and never its author:
users @mentioned in it and the author of the post it quotes (``reply_to``), else the topic's
author (unless they muted the topic or its category), then everyone watching. Notifications
appear in the app at once; the email waits ``FORUM_EMAIL_DELAY_SECONDS`` and is skipped if the
recipient has seen the post by then (``topic_mark_read`` marks its notifications read).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from forum.mentions import mentioned_users
from forum.models import Category, Post, Topic, Watch
from notifications.services import notify

DESCRIPTION_MAX = 500
Level = Watch.Level


def watch_set(*, user, level: str, topic: Topic | None = None,
              category: Category | None = None) -> Watch | None:
    """Set how ``user`` follows ``topic`` or ``category`` (exactly one). ``level`` "" removes
    the row, back to the default. Precondition: ``user`` may see the topic or category
    (reached it through the forum selectors)."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if (topic is None) == (category is None):
        raise ValueError("watch_set needs a topic or a category, not both")
    if level and level not in Level.values:
        raise ValidationError(_("Choose watching, tracking or muted."), code="level")
    target = {"topic": topic} if topic is not None else {"category": category}
    if not level:
        Watch.objects.filter(user=user, **target).delete()
        return None
    watch, _created = Watch.objects.update_or_create(user=user, **target,
                                                     defaults={"level": level})
    return watch


def watch_level(*, user, topic: Topic | None = None, category: Category | None = None) -> str:
    """``user``'s own row for ``topic`` or ``category``: a level, or "" without a row."""
    if not user.is_authenticated:
        return ""
    target = {"topic": topic} if topic is not None else {"category": category}
    return Watch.objects.filter(user=user, **target).values_list("level", flat=True).first() or ""


def _levels(*, topic: Topic) -> dict[int, str]:
    """Every explicit level on ``topic``, by user id, in one query: topic rows win."""
    rows = Watch.objects.filter(Q(topic=topic) | Q(category_id=topic.category_id)) \
        .values_list("user_id", "topic_id", "level")
    levels: dict[int, str] = {}
    for user_id, _topic_id, level in sorted(rows, key=lambda row: row[1] is not None):
        levels[user_id] = level
    return levels


def _watching_ids(*, levels: dict[int, str], post: Post) -> list[int]:
    return [user_id for user_id, level in levels.items()
            if level == Level.WATCHING and user_id != post.author_id]


def _verbs(post: Post) -> dict[str, object]:
    actor, topic = post.author.name, post.topic.title
    return {
        "mention": format_lazy(_("{actor} mentioned you in “{topic}”"), actor=actor, topic=topic),
        "quote": format_lazy(_("{actor} quoted you in “{topic}”"), actor=actor, topic=topic),
        "reply": format_lazy(_("{actor} replied to you in “{topic}”"), actor=actor, topic=topic),
        "watching": (format_lazy(_("{actor} started “{topic}”"), actor=actor, topic=topic)
                     if post.number == 1 else
                     format_lazy(_("{actor} posted in “{topic}”"), actor=actor, topic=topic)),
    }


def post_notify(*, post: Post) -> list:
    """Tell mentioned users, the author quoted or replied to and the watchers about ``post``:
    one notification each, never to the post's author or to a user who muted it. Precondition:
    ``post`` is stored, with ``post.topic`` and ``post.author`` loaded. Queries: a constant
    few, plus one insert per recipient. Posts in hidden topics and hidden posts tell nobody."""
    topic = post.topic
    if post.is_hidden or topic.is_hidden or post.author is None:
        return []
    levels = _levels(topic=topic)
    reasons: dict[int, str] = {}
    users = {user.pk: user for user in mentioned_users(body=post.body)}
    for user_id in users:
        reasons.setdefault(user_id, "mention")
    # A reply quoting a post (``reply_to``) is for that post's author; any other, the topic's.
    if post.reply_to_id:
        replied_to, reason = post.reply_to.author_id, "quote"
    else:
        replied_to, reason = topic.author_id, "reply"
    if post.number > 1 and replied_to:
        reasons.setdefault(replied_to, reason)
    for user_id in _watching_ids(levels=levels, post=post):
        reasons.setdefault(user_id, "watching")
    reasons = {user_id: reason for user_id, reason in reasons.items()
               if user_id != post.author_id and levels.get(user_id) != Level.MUTED}
    missing = [user_id for user_id in reasons if user_id not in users]
    if missing:
        users.update((user.pk, user) for user in
                     get_user_model().objects.filter(pk__in=missing, is_active=True))
    verbs = _verbs(post)
    description = post.body[:DESCRIPTION_MAX]
    notifications = []
    for user_id, reason in reasons.items():
        recipient = users.get(user_id)
        if recipient is None:
            continue
        notifications.append(notify(recipient=recipient, actor=post.author, verb=verbs[reason],
                                    description=description,
                                    target_url=post_url_for(post=post, user=recipient),
                                    email_delay=email_delay(), key=post_key(post.pk)))
    return notifications


def email_delay() -> int:
    return settings.FORUM_EMAIL_DELAY_SECONDS


def post_url_for(*, post: Post, user) -> str:
    """The post's link in ``user``'s language, for what is sent to them."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return post.get_absolute_url()


def post_key(post_id: int) -> str:
    """What a notification about a post is about: seeing the post marks it read."""
    return f"forum.post:{post_id}"
