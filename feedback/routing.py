"""Classify, route and deliver feedback; re-publish what the broker never got.

The flow: ``feedback_submit`` writes an item and an Outbox row -> on commit the item is
published to ``classify_and_route`` (queue ``default``) -> one Delivery per owning team, each
published to ``deliver`` on the team's queue ``team.<slug>``. Every step is safe to run twice.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from feedback.classify import Rule, matching_tags, sentiment
from feedback.models import Delivery, FeedbackItem, ItemTag, Outbox, RoutingRule, TagRule, Team

logger = logging.getLogger(__name__)

# What a publish raises when the broker cannot be reached.
BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


class WebhookError(Exception):
    pass


def outbox_publish(*, outbox_id: int) -> bool:
    """Hand an outbox entry to the broker. False (and nothing raised) if the broker is away:
    the relay will try again."""
    from feedback.tasks import classify_and_route

    entry = Outbox.objects.get(pk=outbox_id)
    try:
        classify_and_route.apply_async(args=[entry.item_id], retry=False)
    except BROKER_ERRORS:
        logger.warning("broker unavailable; outbox %s left for the relay", outbox_id)
        Outbox.objects.filter(pk=outbox_id).update(attempts=entry.attempts + 1)
        return False
    Outbox.objects.filter(pk=outbox_id, published_at__isnull=True).update(
        published_at=timezone.now())
    return True


def delivery_publish(*, delivery: Delivery) -> bool:
    from feedback.tasks import deliver

    try:
        deliver.apply_async(args=[delivery.pk], queue=delivery.team.queue, retry=False)
    except BROKER_ERRORS:
        logger.warning("broker unavailable; delivery %s left for the relay", delivery.pk)
        return False
    return True


def item_classify(*, item: FeedbackItem) -> None:
    """Add the tags whose rules match (keeping the user's own) and the sentiment."""
    rules = [Rule(tag_id=r.tag_id, kind=r.kind, pattern=r.pattern)
             for r in TagRule.objects.only("tag_id", "kind", "pattern")]
    text = f"{item.title}\n{item.body}"
    have = set(ItemTag.objects.filter(item=item).values_list("tag_id", flat=True))
    ItemTag.objects.bulk_create(
        [ItemTag(item=item, tag_id=tag_id, auto=True)
         for tag_id in sorted(matching_tags(text, rules) - have)],
        ignore_conflicts=True,
    )
    item.sentiment = sentiment(text)
    item.classified_at = timezone.now()
    item.save(update_fields=["sentiment", "classified_at"])


def item_teams(*, item: FeedbackItem) -> list[Team]:
    """The teams that own ``item``: every matching routing rule's team, in rule order, or the
    triage team when no rule matches."""
    tag_ids = set(ItemTag.objects.filter(item=item).values_list("tag_id", flat=True))
    teams: list[Team] = []
    for rule in RoutingRule.objects.select_related("team"):
        matches = (rule.tag_id in tag_ids) or (
            rule.product_area_id is not None and rule.product_area_id == item.product_area_id)
        if matches and rule.team not in teams:
            teams.append(rule.team)
    if not teams:
        triage = Team.objects.filter(is_triage=True).first()
        if triage is None:
            logger.error("no routing rule matched item %s and there is no triage team", item.pk)
        else:
            teams.append(triage)
    return teams


def item_classify_and_route(*, item_id: int) -> list[Delivery]:
    """Classify an item once and make sure it has one Delivery per owning team.

    A repeated call (a redelivered message, the relay) adds nothing twice: classification runs
    only for an unclassified item and deliveries are unique per (item, team).
    """
    with transaction.atomic():
        item = FeedbackItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None:
            return []
        if item.classified_at is None:
            item_classify(item=item)
        deliveries = []
        for team in item_teams(item=item):
            delivery, _created = Delivery.objects.get_or_create(item=item, team=team)
            deliveries.append(delivery)
        Outbox.objects.filter(item=item, processed_at__isnull=True).update(
            processed_at=timezone.now())
        pending = [d for d in deliveries if d.status == Delivery.Status.PENDING]
        transaction.on_commit(lambda: [delivery_publish(delivery=d) for d in pending])
    return deliveries


def webhook_payload(delivery: Delivery) -> dict:
    item = delivery.item
    return {
        "delivery_id": delivery.pk,
        "team": delivery.team.slug,
        "item": {
            "id": item.pk,
            "title": item.title,
            "body": item.body,
            "language": item.language,
            "source": item.source,
            "source_ref": item.source_ref,
            "product_area": item.product_area.slug if item.product_area else None,
            "tags": sorted(item.tags.values_list("slug", flat=True)),
            "sentiment": item.sentiment,
            "status": item.status,
            "url": f"{settings.SITE_URL}{item.get_absolute_url()}",
            "created_at": item.created_at.isoformat(),
        },
    }


def webhook_signature(*, secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_post(delivery: Delivery) -> None:
    """POST the signed payload to the team's webhook; raise WebhookError unless it answers 2xx."""
    body = json.dumps(webhook_payload(delivery), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()
    request = urllib.request.Request(  # noqa: S310 - only http(s) URLs pass URLField
        delivery.team.webhook_url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "OKX-Community-Feedback/1",
            "X-Delivery-Id": str(delivery.pk),
            "X-Signature": webhook_signature(secret=delivery.team.webhook_secret, body=body),
        })
    try:
        with urllib.request.urlopen(  # noqa: S310
                request, timeout=settings.FEEDBACK_WEBHOOK_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"HTTP {exc.code} from {delivery.team.webhook_url}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= status < 300:
        raise WebhookError(f"HTTP {status} from {delivery.team.webhook_url}")


def delivery_deliver(*, delivery_id: int) -> Delivery | None:
    """Put the item in the team's inbox and call the team's webhook, once.

    The row stays locked during the webhook call, so a redelivered message waits and then finds
    the delivery done. On a webhook failure the attempt and error are saved and WebhookError is
    raised for the task to retry.
    """
    error = None
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",))
                    .select_related("team", "item", "item__product_area")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.status == Delivery.Status.DELIVERED:
            return delivery
        delivery.attempts += 1
        try:
            if delivery.team.webhook_url:
                webhook_post(delivery)
        except WebhookError as exc:
            error = exc
            delivery.last_error = str(exc)[:2000]
        else:
            delivery.status = Delivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        delivery.save(update_fields=["attempts", "last_error", "status", "delivered_at"])
    if error is not None:
        raise error
    return delivery


def delivery_mark_failed(*, delivery_id: int) -> None:
    Delivery.objects.filter(pk=delivery_id).exclude(status=Delivery.Status.DELIVERED).update(
        status=Delivery.Status.FAILED)


def delivery_retry(*, deliveries) -> int:
    """Send failed or stuck deliveries again (the admin's "retry" action)."""
    count = 0
    for delivery in deliveries.exclude(status=Delivery.Status.DELIVERED).select_related("team"):
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING)
        count += delivery_publish(delivery=delivery)
    return count


def outbox_relay(*, older_than: timedelta = timedelta(seconds=30), batch: int = 500) -> int:
    """Publish again what the broker may never have received. Returns how many were sent.

    Unprocessed outbox entries older than ``older_than`` go back to ``classify_and_route``;
    deliveries never attempted go back to their team's queue. Stops at the first broker error.
    """
    cutoff = timezone.now() - older_than
    sent = 0
    for outbox_id in Outbox.objects.filter(processed_at__isnull=True, created_at__lt=cutoff) \
            .order_by("id").values_list("id", flat=True)[:batch]:
        if not outbox_publish(outbox_id=outbox_id):
            return sent
        sent += 1
    for delivery in Delivery.objects.filter(status=Delivery.Status.PENDING, attempts=0,
                                            created_at__lt=cutoff).select_related("team")[:batch]:
        if not delivery_publish(delivery=delivery):
            return sent
        sent += 1
    return sent
