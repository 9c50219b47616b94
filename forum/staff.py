"""Staff tools on topics: pin (in its category or everywhere), lock, hide, and the admin's
edit of a topic's title, address and language.

The topic page's buttons and the admin's bulk actions both come through here, so the
permission check lives in one place."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.selectors import user_is_staff
from forum.models import Topic
from forum.search import topic_reindex


def _update(topic: Topic, by, **fields) -> Topic:
    if not user_is_staff(by):
        raise PermissionDenied
    Topic.objects.filter(pk=topic.pk).update(**fields)
    for name, value in fields.items():
        setattr(topic, name, value)
    return topic


@transaction.atomic
def topic_pin(*, topic: Topic, by, pinned: bool, globally: bool = False) -> Topic:
    """Pin ``topic`` to the top of its category (and, with ``globally``, of every list), or
    unpin it everywhere. Staff only: raises PermissionDenied for anyone else."""
    return _update(topic, by, is_pinned=pinned, is_pinned_globally=pinned and globally)


@transaction.atomic
def topic_lock(*, topic: Topic, by, locked: bool) -> Topic:
    """Lock ``topic`` (only staff may reply) or unlock it. Staff only."""
    return _update(topic, by, is_locked=locked)


@transaction.atomic
def topic_edit(*, topic: Topic, by) -> Topic:
    """Save what staff changed on ``topic`` in the admin (title, slug, language, feedback
    tag); search shows the new title at once. Staff only."""
    if not user_is_staff(by):
        raise PermissionDenied
    topic.save()
    topic_reindex(topic=topic)
    return topic


@transaction.atomic
def topic_hide(*, topic: Topic, by, hidden: bool) -> Topic:
    """Hide ``topic`` from everyone but staff, or show it again. Staff only. Search follows
    within the request: a hidden topic and its replies leave the index."""
    topic = _update(topic, by, is_hidden=hidden)
    topic_reindex(topic=topic)
    return topic
