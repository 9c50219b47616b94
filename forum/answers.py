"""Accepted answers: in a Q&A category the topic's author or staff mark one reply as the
answer; it is shown under the question and the topic counts as solved."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from forum.models import Post, Topic
from forum.search import topic_reindex
from forum.selectors import user_can_accept
from forum.watching import post_url_for
from notifications.services import notify
from programs.services import points_award, points_revoke

POINTS_ACTIVITY = "answer_accepted"


def _points_ref(post_id: int) -> str:
    return f"forum.post:{post_id}"


def _points_revoke_current(topic: Topic) -> None:
    """Take back the points of the answer accepted now, read under the topic's row lock (the
    ``topic`` in hand may be older than the last choice)."""
    current = Topic.objects.select_for_update().values_list("accepted_post_id", flat=True) \
        .get(pk=topic.pk)
    if current:
        points_revoke(activity=POINTS_ACTIVITY, ref=_points_ref(current))


def _require_can_accept(topic: Topic, user) -> None:
    if not topic.category.is_qa:
        raise ValidationError(_("Only questions in Q&A categories have an accepted answer."),
                              code="not_qa")
    if not user_can_accept(topic=topic, user=user):
        raise PermissionDenied


@transaction.atomic
def answer_accept(*, post: Post, by) -> Topic:
    """Mark ``post`` as the answer to its topic, replacing any earlier choice.

    Preconditions: ``by`` may see the post. Raises PermissionDenied unless ``by`` is the
    topic's author or staff; ValidationError outside Q&A categories, for the question itself
    (post #1) and for a hidden post."""
    topic = post.topic
    _require_can_accept(topic, by)
    if post.number == 1:
        raise ValidationError(_("The question cannot be its own answer."), code="question")
    if post.is_hidden:
        raise ValidationError(_("A hidden post cannot be the answer."), code="hidden")
    if topic.accepted_post_id == post.pk:
        return topic
    _points_revoke_current(topic)
    Topic.objects.filter(pk=topic.pk).update(accepted_post=post)
    topic.accepted_post = post
    topic_reindex(topic=topic)  # the accepted answer ranks higher
    # An ambassador earns points for answering others, not for accepting their own answer.
    if post.author_id and post.author_id != topic.author_id:
        points_award(user=post.author, activity=POINTS_ACTIVITY, ref=_points_ref(post.pk))
    if post.author_id and post.author_id != by.pk:
        notify(recipient=post.author, actor=by, verb=_("accepted your answer"),
               description=topic.title, target_url=post_url_for(post=post, user=post.author))
    return topic


@transaction.atomic
def answer_unaccept(*, topic: Topic, by) -> Topic:
    """Clear the accepted answer of ``topic`` (nothing happens if there is none).

    Same permissions as ``answer_accept``."""
    _require_can_accept(topic, by)
    _points_revoke_current(topic)
    Topic.objects.filter(pk=topic.pk).update(accepted_post=None)
    topic.accepted_post = None
    topic_reindex(topic=topic)
    return topic
