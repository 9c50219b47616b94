"""Every write to feedback. Other apps call only ``feedback_submit``."""

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    Comment,
    Delivery,
    FeedbackItem,
    Follow,
    ItemTag,
    Outbox,
    ProductArea,
    Tag,
    Team,
    Vote,
)
from notifications.services import notify

logger = logging.getLogger(__name__)


def user_can_respond(user) -> bool:
    """Staff and product managers give official responses and set statuses."""
    return user.is_authenticated and (
        user.is_staff or user.is_product_manager or user.has_perm("feedback.respond_feedback"))


@transaction.atomic
def feedback_submit(*, source: str, source_ref: str = "", author=None, title: str, body: str,
                    language: str, tags: Iterable[str] = (),
                    product_area: str | None = None) -> FeedbackItem:
    """Store feedback from anywhere and queue it for classification and routing.

    ``source`` is one of ``FeedbackItem.Source`` ("web", "forum.post", "tickets.ticket",
    "surveys.answer", ...), ``source_ref`` the caller's own reference (a URL or id).
    ``tags`` and ``product_area`` are slugs; unknown ones are ignored and logged, so a renamed
    tag never loses a user's feedback. Only ideas posted on the board ("web") are public.
    """
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("Give your feedback a title."), code="title")
    if source not in FeedbackItem.Source.values:
        raise ValidationError(f"unknown feedback source {source!r}", code="source")
    area = ProductArea.objects.filter(slug=product_area).first() if product_area else None
    if product_area and area is None:
        logger.warning("feedback_submit: unknown product area %r", product_area)
    item = FeedbackItem.objects.create(
        source=source, source_ref=source_ref[:200], author=author, title=title[:200],
        body=body or "", language=language, product_area=area,
        is_public=source == FeedbackItem.Source.WEB,
    )
    tag_slugs = set(tags)
    chosen = list(Tag.objects.filter(slug__in=tag_slugs))
    if len(chosen) != len(tag_slugs):
        logger.warning("feedback_submit: unknown tags %s",
                       sorted(tag_slugs - {t.slug for t in chosen}))
    ItemTag.objects.bulk_create([ItemTag(item=item, tag=tag, auto=False) for tag in chosen])
    if item.is_public and author is not None:
        # On the board an author supports and follows their own idea, as on Canny.
        Vote.objects.create(item=item, user=author)
        Follow.objects.create(item=item, user=author)
        item.vote_count = 1
        item.save(update_fields=["vote_count"])
    entry = Outbox.objects.create(item=item)

    from feedback.routing import outbox_publish

    transaction.on_commit(lambda: outbox_publish(outbox_id=entry.pk))
    return item


@transaction.atomic
def vote_toggle(*, item: FeedbackItem, user) -> bool:
    """Vote for a public item, or take the vote back. Returns whether the user now votes."""
    _require_open_public(item)
    deleted, _by_model = Vote.objects.filter(item=item, user=user).delete()
    if deleted:
        FeedbackItem.objects.filter(pk=item.pk).update(vote_count=F("vote_count") - 1)
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(item=item, user=user)
    except IntegrityError:  # a double click raced us to it
        return True
    FeedbackItem.objects.filter(pk=item.pk).update(vote_count=F("vote_count") + 1)
    Follow.objects.get_or_create(item=item, user=user)
    return True


def follow_toggle(*, item: FeedbackItem, user) -> bool:
    """Follow an item to hear of its status changes, or stop. Returns whether following."""
    deleted, _by_model = Follow.objects.filter(item=item, user=user).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(item=item, user=user)
    return True


@transaction.atomic
def comment_create(*, item: FeedbackItem, author, body: str,
                   official: bool = False) -> Comment:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    if official and not user_can_respond(author):
        raise PermissionDenied
    comment = Comment.objects.create(item=item, author=author, body=body, is_official=official)
    FeedbackItem.objects.filter(pk=item.pk).update(comment_count=F("comment_count") + 1)
    Follow.objects.get_or_create(item=item, user=author)
    return comment


@transaction.atomic
def item_set_status(*, item: FeedbackItem, status: str, by, response: str = "") -> FeedbackItem:
    """Change an item's status, optionally with an official response, and tell its voters and
    followers. Only staff and product managers may."""
    if not user_can_respond(by):
        raise PermissionDenied
    if status not in FeedbackItem.Status.values:
        raise ValidationError(_("Choose a valid status."), code="status")
    if response.strip():
        comment_create(item=item, author=by, body=response, official=True)
    if status == item.status:
        return item
    item.status = status
    item.status_changed_at = timezone.now()
    item.save(update_fields=["status", "status_changed_at", "updated_at"])
    _notify_watchers(item=item, actor=by)
    return item


def _notify_watchers(*, item: FeedbackItem, actor) -> None:
    status_label = item.get_status_display()
    watchers = {f.user for f in Follow.objects.filter(item=item).select_related("user")}
    watchers |= {v.user for v in Vote.objects.filter(item=item).select_related("user")}
    watchers.discard(actor)
    for user in sorted(watchers, key=lambda u: u.pk):
        notify(
            recipient=user, actor=actor, target_url=item.get_absolute_url(),
            verb=format_lazy(_("“{title}” is now {status}"), title=item.title,
                             status=status_label),
        )


@transaction.atomic
def item_merge(*, duplicate: FeedbackItem, into: FeedbackItem, by) -> FeedbackItem:
    """Mark ``duplicate`` as a duplicate of ``into`` and move its votes and followers there
    (a user who voted for both keeps one vote)."""
    if not user_can_respond(by):
        raise PermissionDenied
    if duplicate.pk == into.pk:
        raise ValidationError(_("An item cannot be merged into itself."), code="self")
    voters = Vote.objects.filter(item=duplicate).exclude(
        user_id__in=Vote.objects.filter(item=into).values("user_id"))
    moved = voters.update(item=into)
    Vote.objects.filter(item=duplicate).delete()
    Follow.objects.filter(item=duplicate).exclude(
        user_id__in=Follow.objects.filter(item=into).values("user_id")).update(item=into)
    FeedbackItem.objects.filter(pk=into.pk).update(vote_count=F("vote_count") + moved)
    FeedbackItem.objects.filter(pk=duplicate.pk).update(vote_count=0)
    duplicate.refresh_from_db()
    duplicate.duplicate_of = into
    duplicate.save(update_fields=["duplicate_of"])
    item_set_status(item=duplicate, status=FeedbackItem.Status.DUPLICATE, by=by)
    into.refresh_from_db()
    return into


@transaction.atomic
def item_reassign(*, item: FeedbackItem, team: Team) -> None:
    """Send an item to ``team`` instead of the teams it was routed to."""
    from feedback.routing import delivery_publish

    item.deliveries.exclude(team=team).delete()
    delivery, created = Delivery.objects.get_or_create(item=item, team=team)
    if created:
        transaction.on_commit(lambda: delivery_publish(delivery=delivery))


def _require_open_public(item: FeedbackItem) -> None:
    if not item.is_public or item.status in (FeedbackItem.Status.DUPLICATE,):
        raise ValidationError(_("Voting is closed for this item."), code="closed")
