"""Every write to feedback. Other apps call only ``feedback_submit``."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown
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
from feedback.search import item_reindex, items_unindex
from feedback.selectors import VOTING_OPEN
from notifications.services import notify
from programs.services import points_award, points_revoke

logger = logging.getLogger(__name__)
User = get_user_model()


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
    try:  # "zh-CN" from a browser or another app is stored as the portal's "zh-hans"
        language = get_supported_language_variant(language or "")
    except LookupError:
        logger.warning("feedback_submit: unsupported language %r", language)
        language = settings.LANGUAGE_CODE
    # Only the ids: every submission runs these, and a whole (translatable) row costs more.
    area_id = (ProductArea.objects.filter(slug=product_area).order_by()
               .values_list("pk", flat=True).first()) if product_area else None
    if product_area and area_id is None:
        logger.warning("feedback_submit: unknown product area %r", product_area)
    is_public = source == FeedbackItem.Source.WEB
    item = FeedbackItem.objects.create(
        source=source, source_ref=source_ref[:200], author=author, title=title[:200],
        body=body or "", body_html=render_markdown(body or ""), language=language,
        product_area_id=area_id, is_public=is_public,
        # On the board an author supports and follows their own idea, as on Canny.
        vote_count=1 if is_public and author is not None else 0,
    )
    tag_slugs = set(tags)
    chosen = dict(Tag.objects.filter(slug__in=tag_slugs).order_by()
                  .values_list("slug", "pk")) if tag_slugs else {}
    if len(chosen) != len(tag_slugs):
        logger.warning("feedback_submit: unknown tags %s", sorted(tag_slugs - chosen.keys()))
    if chosen:
        ItemTag.objects.bulk_create([ItemTag(item=item, tag_id=tag_id, auto=False)
                                     for tag_id in chosen.values()])
    if item.vote_count:
        Vote.objects.create(item=item, user=author)
        Follow.objects.create(item=item, user=author)
    entry = Outbox.objects.create(item=item)
    if is_public:
        item_reindex(item=item)

    from feedback.routing import outbox_publish

    # robust: the item is saved by now; whatever goes wrong publishing (or, run eagerly,
    # classifying) is logged and left to the relay, never turned into an error for the caller.
    transaction.on_commit(lambda: outbox_publish(outbox_id=entry.pk, item_id=item.pk),
                          robust=True)
    return item


@transaction.atomic
def vote_toggle(*, item: FeedbackItem, user) -> bool:
    """Vote for a public item, or take the vote back. Returns whether the user now votes;
    ``item.vote_count`` is refreshed. Voting also follows the item, as on Canny."""
    _require_open_public(item)
    deleted, _by_model = Vote.objects.filter(item=item, user=user).delete()
    if deleted:
        FeedbackItem.objects.filter(pk=item.pk).update(vote_count=F("vote_count") - 1)
        voted = False
    else:
        try:
            with transaction.atomic():
                Vote.objects.create(item=item, user=user)
        except IntegrityError:  # a double click raced us to it
            pass
        else:
            FeedbackItem.objects.filter(pk=item.pk).update(vote_count=F("vote_count") + 1)
        Follow.objects.get_or_create(item=item, user=user)
        voted = True
    item.refresh_from_db(fields=["vote_count"])
    return voted


@transaction.atomic
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
    """Comment on an item (and follow it). Official responses only from staff and PMs."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    if official and not user_can_respond(author):
        raise PermissionDenied
    comment = Comment.objects.create(item=item, author=author, body=body,
                                     body_html=render_markdown(body), is_official=official)
    FeedbackItem.objects.filter(pk=item.pk).update(comment_count=F("comment_count") + 1)
    Follow.objects.get_or_create(item=item, user=author)
    return comment


@transaction.atomic
def _points_ref(item: FeedbackItem) -> str:
    return f"feedback.item:{item.pk}"


def item_set_status(*, item: FeedbackItem, status: str, by, response: str = "") -> FeedbackItem:
    """Change an item's status and/or give an official response, and tell its voters and
    followers (never the one who made the change). Only staff and product managers may.

    Marking a duplicate is ``item_merge``'s job: it needs the original."""
    if not user_can_respond(by):
        raise PermissionDenied
    if status not in FeedbackItem.Status.values:
        raise ValidationError(_("Choose a valid status."), code="status")
    if status == FeedbackItem.Status.DUPLICATE and item.status != status:
        raise ValidationError(
            _("To mark an idea as a duplicate, merge it into the original."), code="duplicate")
    response = (response or "").strip()
    if response:
        comment_create(item=item, author=by, body=response, official=True)
    if status != item.status:
        if item.status == FeedbackItem.Status.SHIPPED:
            points_revoke(activity="feedback_shipped", ref=_points_ref(item))
        item.status = status
        item.status_changed_at = timezone.now()
        item.duplicate_of = None  # only item_merge makes (and keeps) a duplicate
        item.save(update_fields=["status", "status_changed_at", "duplicate_of", "updated_at"])
        item_reindex(item=item)
        if status == FeedbackItem.Status.SHIPPED:
            # An ambassador's idea that ships earns them points (nobody else: a no-op).
            points_award(user=item.author, activity="feedback_shipped", ref=_points_ref(item))
        # The lazy label, so each watcher reads the status in their own language.
        verb = format_lazy(_("“{title}” is now {status}"), title=item.title,
                           status=FeedbackItem.Status(status).label)
    elif response:
        verb = format_lazy(_("The OKX team answered “{title}”"), title=item.title)
    else:
        return item
    _notify(users=_watchers(item=item), actor=by, verb=verb, description=response,
            target_url=item.get_absolute_url())
    return item


def _watchers(*, item: FeedbackItem) -> QuerySet:
    """Everyone who follows or voted for ``item``, once each."""
    return User.objects.filter(
        Q(pk__in=Follow.objects.filter(item=item).values("user_id"))
        | Q(pk__in=Vote.objects.filter(item=item).values("user_id")))


def _notify(*, users: QuerySet, actor, verb, description: str, target_url: str) -> None:
    for user in users.exclude(pk=actor.pk).order_by("pk"):
        notify(recipient=user, actor=actor, verb=verb, description=description,
               target_url=target_url)


@transaction.atomic
def item_merge(*, duplicate: FeedbackItem, into: FeedbackItem, by,
               response: str = "") -> FeedbackItem:
    """Mark ``duplicate`` as a duplicate of ``into`` and move its votes and followers there:
    a user who voted for both keeps one vote. Everyone who followed or voted for the duplicate
    is told where the conversation went on."""
    if not user_can_respond(by):
        raise PermissionDenied
    if duplicate.pk == into.pk:
        raise ValidationError(_("An item cannot be merged into itself."), code="self")
    if into.status == FeedbackItem.Status.DUPLICATE:
        raise ValidationError(_("That idea is itself a duplicate; merge into its original."),
                              code="chain")
    watcher_ids = list(_watchers(item=duplicate).values_list("pk", flat=True))
    for model in (Vote, Follow):
        model.objects.filter(item=duplicate).exclude(
            user_id__in=model.objects.filter(item=into).values("user_id")).update(item=into)
        model.objects.filter(item=duplicate).delete()
    FeedbackItem.objects.filter(pk=into.pk).update(
        vote_count=Vote.objects.filter(item=into).count())
    response = (response or "").strip()
    if response:
        comment_create(item=duplicate, author=by, body=response, official=True)
    FeedbackItem.objects.filter(pk=duplicate.pk).update(
        vote_count=0, duplicate_of=into, status=FeedbackItem.Status.DUPLICATE,
        status_changed_at=timezone.now(), updated_at=timezone.now())
    duplicate.refresh_from_db()
    into.refresh_from_db()
    item_reindex(item=duplicate)
    _notify(
        users=User.objects.filter(pk__in=watcher_ids), actor=by, description=response,
        target_url=into.get_absolute_url(),
        verb=format_lazy(_("“{title}” was merged into “{into}”"), title=duplicate.title,
                         into=into.title),
    )
    return into


@transaction.atomic
@transaction.atomic
def items_delete(*, items: QuerySet[FeedbackItem]) -> int:
    """Delete ``items`` (the admin's delete, for spam) with their votes, comments and
    deliveries, and take them out of search. Returns how many items were deleted."""
    ids = list(items.values_list("pk", flat=True))
    FeedbackItem.objects.filter(pk__in=ids).delete()
    items_unindex(ids=ids)
    return len(ids)


def item_reassign(*, item: FeedbackItem, team: Team) -> None:
    """Send an item to ``team`` instead of the teams it was routed to."""
    from feedback.routing import delivery_publish

    item.deliveries.exclude(team=team).delete()
    delivery, created = Delivery.objects.get_or_create(item=item, team=team)
    if created:
        transaction.on_commit(lambda: delivery_publish(delivery=delivery))


def _require_open_public(item: FeedbackItem) -> None:
    if not FeedbackItem.objects.filter(VOTING_OPEN, pk=item.pk).exists():
        raise ValidationError(_("Voting is closed for this item."), code="closed")
