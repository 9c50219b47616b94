"""Reactions on forum posts: a like plus a few others, one of each kind per user and post.

``Post.reaction_counts`` holds the counts shown under the post so a topic page never counts
rows. Each toggle locks the post's row and recounts that kind from the reaction rows, so two
users reacting at the same moment cannot lose an update and the counts heal themselves."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.models import Post, Reaction
from forum.services import topic_posts_changed
from forum.watching import DESCRIPTION_MAX, email_delay, post_key, post_url_for
from notifications.services import notify


@transaction.atomic
def reaction_toggle(*, post: Post, user, kind: str) -> bool:
    """Add ``user``'s reaction of ``kind`` to ``post``, or take it back. Returns whether the
    user now has that reaction; ``post.reaction_counts`` is refreshed.

    Preconditions: ``user`` is signed in and may see ``post`` (callers find it through a
    visibility check). Raises ValidationError for an unknown kind, a hidden post and, as on
    Discourse, a reaction to one's own post."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Unknown reaction."), code="kind")
    if post.author_id == user.pk:
        raise ValidationError(_("You cannot react to your own post."), code="own_post")
    if post.is_hidden:
        raise ValidationError(_("This post is hidden."), code="hidden")
    # The row lock makes concurrent toggles on one post take turns (a no-op on SQLite, where
    # writers are serialised anyway).
    counts = Post.objects.select_for_update().values_list("reaction_counts", flat=True).get(
        pk=post.pk) or {}
    deleted, _by_model = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if not deleted:
        Reaction.objects.create(post=post, user=user, kind=kind)
    count = Reaction.objects.filter(post=post, kind=kind).count()
    counts = {k: v for k, v in counts.items() if k != kind}
    if count:
        counts[kind] = count
    Post.objects.filter(pk=post.pk).update(reaction_counts=counts)
    topic_posts_changed(topic_id=post.topic_id)
    post.reaction_counts = counts
    if not deleted and kind == Reaction.Kind.LIKE and post.author_id:
        _like_notify(post=post, user=user, likes=count)
    return not deleted


def _like_notify(*, post: Post, user, likes: int) -> None:
    """One line per post for its author, rewritten with each new like ("Ann and 2 others
    liked..."), emailed once after the forum's delay unless they have seen the post by then."""
    def verb() -> str:
        others, topic = likes - 1, post.topic.title
        if not others:
            return _("%(actor)s liked your post in “%(topic)s”") % {"actor": user.name,
                                                                   "topic": topic}
        return ngettext("%(actor)s and %(count)d other liked your post in “%(topic)s”",
                        "%(actor)s and %(count)d others liked your post in “%(topic)s”",
                        others) % {"actor": user.name, "count": others, "topic": topic}

    notify(recipient=post.author, actor=user, verb=lazy(verb, str)(),
           description=post.body[:DESCRIPTION_MAX],
           target_url=post_url_for(post=post, user=post.author),
           email_delay=email_delay(), key=post_key(post.pk), replace_unread=True)
