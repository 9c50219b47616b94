"""Classify, route and deliver feedback; re-publish what the broker never got.

The flow: ``feedback_submit`` writes an item and an Outbox row -> on commit the item is
published to ``classify_and_route`` (queue ``default``) -> one Delivery per owning team, each
published to ``deliver`` on the team's queue ``team.<slug>``. Every step is safe to run twice.
"""

import hashlib
import hmac
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from kombu.exceptions import OperationalError

from feedback.classify import Rule, matching_tags, sentiment
from feedback.models import Delivery, FeedbackItem, ItemTag, Outbox, RoutingRule, TagRule, Team
from feedback.search import item_reindex

logger = logging.getLogger(__name__)

# What a publish raises when the broker cannot be reached.
BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


class WebhookError(Exception):
    pass


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects has not received the payload (urllib would follow with a GET
    and drop the body): a 3xx is an error, retried like any other."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_webhook_opener = urllib.request.build_opener(_NoRedirects)


# --- The rules, cached ----------------------------------------------------------------------
# Every item is matched against every auto-tag rule and routing rule. They change rarely (in
# the admin), so each process keeps a snapshot and reloads it when a version stamp in the shared
# cache (Redis in production) changes: saving or deleting a rule or a team bumps the stamp once
# the change is committed. Changes made behind the ORM's signals (queryset.update, bulk_create,
# raw SQL) are picked up after RULES_MAX_AGE seconds at the latest.
RULES_VERSION_KEY = "feedback:rules-version"
RULES_MAX_AGE = 30.0


@dataclass(frozen=True)
class RuleSet:
    tag_rules: tuple[Rule, ...]
    routes: tuple[tuple[int | None, int | None, Team], ...]  # (tag id, product area id, team)
    triage: Team | None


_snapshot: tuple[str, float, RuleSet] | None = None  # (version, loaded at, rules)


def _rules_version() -> str | None:
    try:
        version = cache.get(RULES_VERSION_KEY)
        if version is None:  # first use, or the cache was emptied
            cache.add(RULES_VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(RULES_VERSION_KEY)
    except Exception:  # the cache (Redis) is away: the snapshot's age decides alone
        logger.warning("rules version unavailable", exc_info=True)
        return None
    return version


def current_rules() -> RuleSet:
    """The auto-tag and routing rules, from this process's snapshot when it is current."""
    global _snapshot
    version = _rules_version()
    snapshot = _snapshot
    if (snapshot is not None and snapshot[0] == (version or snapshot[0])
            and time.monotonic() - snapshot[1] < RULES_MAX_AGE):
        return snapshot[2]
    rules = RuleSet(
        tag_rules=tuple(Rule(tag_id=r.tag_id, kind=r.kind, pattern=r.pattern)
                        for r in TagRule.objects.only("tag_id", "kind", "pattern")),
        routes=tuple((r.tag_id, r.product_area_id, r.team)
                     for r in RoutingRule.objects.select_related("team")),
        triage=Team.objects.filter(is_triage=True).first(),
    )
    _snapshot = (version or "", time.monotonic(), rules)
    return rules


def rules_changed(**kwargs) -> None:
    """A rule or team changed: this process reloads at once, every other process once the
    change is committed (before that, they would reload the old rules under the new stamp)."""
    global _snapshot
    _snapshot = None
    transaction.on_commit(
        lambda: cache.set(RULES_VERSION_KEY, uuid.uuid4().hex, timeout=None), robust=True)


for _model in (TagRule, RoutingRule, Team):
    post_save.connect(rules_changed, sender=_model, dispatch_uid=f"feedback-rules-{_model}")
    post_delete.connect(rules_changed, sender=_model, dispatch_uid=f"feedback-rules-{_model}-d")


@contextmanager
def _redoable_transaction():
    """A transaction the pipeline can redo. On PostgreSQL, when it is not nested in a caller's
    transaction, it commits without waiting for the WAL to reach the disk (synchronous_commit
    off, for this transaction only): several times cheaper on a busy disk.

    Only a crash of the database server itself can lose such a commit (the last fraction of a
    second of them; consistency is kept). Classification and routing are then redone, since the
    outbox row is unprocessed again and the relay sends the item again. The submission itself
    and a delivery's outcome (after calling a webhook) are always committed durably.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def outbox_publish(*, outbox_id: int, item_id: int | None = None) -> bool:
    """Hand an outbox entry (for ``item_id``, when the caller knows it) to the broker. False
    (and nothing raised) if the broker is away: the relay will try again.

    A publish that works writes nothing: the entry's ``published_at`` is stamped when the item
    is routed (or when the relay sends it again), which spares every submission a second
    transaction just for the stamp."""
    from feedback.tasks import classify_and_route

    if item_id is None:
        item_id = Outbox.objects.filter(pk=outbox_id).values_list("item_id", flat=True).first()
        if item_id is None:  # the item was deleted meanwhile
            return False
    try:
        classify_and_route.apply_async(args=[item_id], retry=False)
    except BROKER_ERRORS:
        logger.warning("broker unavailable; outbox %s left for the relay", outbox_id)
        Outbox.objects.filter(pk=outbox_id).update(attempts=F("attempts") + 1)
        return False
    return True


def delivery_publish(*, delivery: Delivery) -> bool:
    from feedback.tasks import deliver

    try:
        deliver.apply_async(args=[delivery.pk], queue=delivery.team.queue, retry=False)
    except BROKER_ERRORS:
        logger.warning("broker unavailable; delivery %s left for the relay", delivery.pk)
        return False
    return True


def item_classify(*, item: FeedbackItem, rules: RuleSet | None = None,
                  tag_ids: set[int] | None = None) -> set[int]:
    """Add the tags whose rules match (keeping the user's own) and the sentiment. Returns the
    ids of all the item's tags; ``tag_ids`` are the ones it has now, when the caller knows."""
    rules = rules or current_rules()
    text = f"{item.title}\n{item.body}"
    have = _item_tag_ids(item) if tag_ids is None else tag_ids
    new = matching_tags(text, rules.tag_rules) - have
    if new:
        ItemTag.objects.bulk_create(
            [ItemTag(item=item, tag_id=tag_id, auto=True) for tag_id in sorted(new)],
            ignore_conflicts=True,
        )
        if item.is_public:
            item_reindex(item=item)  # its tags are searched
    item.sentiment = sentiment(text)
    item.classified_at = timezone.now()
    _store_classification(item=item)
    return have | new


def _item_tag_ids(item: FeedbackItem) -> set[int]:
    return set(ItemTag.objects.filter(item=item).values_list("tag_id", flat=True))


def item_teams(*, item: FeedbackItem, tag_ids: set[int] | None = None,
               rules: RuleSet | None = None) -> list[Team]:
    """The teams that own ``item``: every matching routing rule's team, in rule order, or the
    triage team when no rule matches."""
    rules = rules or current_rules()
    if tag_ids is None:
        tag_ids = _item_tag_ids(item)
    teams: list[Team] = []
    for tag_id, area_id, team in rules.routes:
        matches = (tag_id is not None and tag_id in tag_ids) or (
            area_id is not None and area_id == item.product_area_id)
        if matches and team not in teams:
            teams.append(team)
    if not teams:
        if rules.triage is None:
            logger.error("no routing rule matched item %s and there is no triage team", item.pk)
        else:
            teams.append(rules.triage)
    return teams


def item_classify_and_route(*, item_id: int) -> list[Delivery]:
    """Classify an item once and make sure it has one Delivery per owning team.

    A repeated call (a redelivered message, the relay) adds nothing twice: classification runs
    only for an unclassified item, and the item's row lock makes concurrent runs take turns, so
    the second finds the first one's deliveries (they are unique per item and team anyway).
    """
    rules = current_rules()
    with _redoable_transaction():
        locked = _lock_item(item_id=item_id)
        if locked is None:
            return []
        item, has_tags, has_deliveries = locked
        tag_ids = None if has_tags else set()
        if item.classified_at is None:
            tag_ids = item_classify(item=item, rules=rules, tag_ids=tag_ids)
        teams = item_teams(item=item, tag_ids=tag_ids, rules=rules)
        existing = ({d.team_id: d for d in Delivery.objects.filter(item=item)}
                    if has_deliveries else {})
        created = [Delivery(item=item, team=team) for team in teams if team.pk not in existing]
        if created:
            # Without a savepoint: should anything else have made one of these meanwhile (an
            # admin's reassign), the run fails whole and the relay sends the item again.
            Delivery.objects.bulk_create(created)
        _mark_routed(item_id=item.pk)
        # Only the new ones: a repeated run must not start a second chain of webhook calls
        # (and retries) for a delivery already on its way. A new delivery whose publish fails
        # stays pending with no attempt, which the relay sends again.
        if created:
            transaction.on_commit(lambda: _publish_all(created), robust=True)
    new = {d.team_id: d for d in created}
    return [existing.get(team.pk) or new[team.pk] for team in teams]


# The statements that run for every item and every delivery are written in SQL (plain enough
# for PostgreSQL and SQLite alike): the ORM spends several times longer building each of them
# than the database takes to run it.

def _lock_item(*, item_id: int) -> tuple[FeedbackItem, bool, bool] | None:
    """Lock the item's row and read what routing needs: the item (its text, product area,
    classification time and whether it is public, hence searchable) and whether it has any
    tags and any deliveries yet, which most items have not, so neither needs reading. None
    if there is no such item."""
    # Columns in the model's field order, as ``from_db`` takes them.
    sql = ("SELECT i.id, i.title, i.body, i.product_area_id, i.is_public, i.classified_at,"
           " EXISTS (SELECT 1 FROM feedback_itemtag t WHERE t.item_id = i.id),"
           " EXISTS (SELECT 1 FROM feedback_delivery d WHERE d.item_id = i.id)"
           " FROM feedback_feedbackitem i WHERE i.id = %s")
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [item_id])
        row = cursor.fetchone()
    if row is None:
        return None
    item = FeedbackItem.from_db(connection.alias, _LOCKED_FIELDS, row[:6])
    return item, bool(row[6]), bool(row[7])


# In the model's field order, as ``Model.from_db`` takes them.
_LOCKED_FIELDS = ["id", "title", "body", "product_area_id", "is_public", "classified_at"]


def _store_classification(*, item: FeedbackItem) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE feedback_feedbackitem SET sentiment = %s, classified_at = %s WHERE id = %s",
            [item.sentiment, _db_datetime(item.classified_at), item.pk])


def _mark_routed(*, item_id: int) -> None:
    """The outbox entry is done. It was published, or the item would not be routed now: it is
    stamped so here unless the relay did, which spares publishing a write."""
    now = _db_datetime(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE feedback_outbox"
            " SET processed_at = %s, published_at = COALESCE(published_at, %s)"
            " WHERE item_id = %s AND processed_at IS NULL", [now, now, item_id])


def _deliver_to_inbox_only(*, delivery_id: int) -> bool:
    """Mark the delivery delivered if its team has no webhook and it is not delivered yet;
    whether it was. One UPDATE, rechecked by the database on the row it locks, so a delivery
    being delivered meanwhile is not delivered twice."""
    delivered = Delivery.Status.DELIVERED
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE feedback_delivery SET status = %s, delivered_at = %s, last_error = '',"
            " attempts = attempts + 1"
            " WHERE id = %s AND status <> %s"
            " AND team_id IN (SELECT id FROM feedback_team WHERE webhook_url = '')",
            [delivered, _db_datetime(timezone.now()), delivery_id, delivered])
        return cursor.rowcount == 1


def _db_datetime(value: datetime):
    """A timestamp as a parameter of SQL written by hand (naive UTC text on SQLite)."""
    return connection.ops.adapt_datetimefield_value(value)


def _publish_all(deliveries: list[Delivery]) -> None:
    for delivery in deliveries:
        delivery_publish(delivery=delivery)


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
        with _webhook_opener.open(request, timeout=settings.FEEDBACK_WEBHOOK_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        raise WebhookError(f"HTTP {exc.code} from {delivery.team.webhook_url}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}") from exc
    except (http.client.HTTPException, ValueError) as exc:
        # Not HTTP at all (BadStatusLine, a broken chunked body, a bad URL): retried too,
        # rather than failing the task with the delivery left pending.
        raise WebhookError(f"bad answer from {delivery.team.webhook_url}: "
                           f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= status < 300:
        raise WebhookError(f"HTTP {status} from {delivery.team.webhook_url}")


def delivery_deliver(*, delivery_id: int) -> None:
    """Put the item in the team's inbox and call the team's webhook, once.

    For a team without a webhook the inbox is all there is: one UPDATE, which skips a delivery
    already done (or being done: it waits for the row), delivers it. Otherwise the row stays
    locked during the webhook call, so a redelivered message waits and then finds the delivery
    done. On a webhook failure the attempt and error are saved and WebhookError is raised for
    the task to retry.
    """
    if _deliver_to_inbox_only(delivery_id=delivery_id):
        return
    error = None
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",))
                    .select_related("team", "item", "item__product_area")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.status == Delivery.Status.DELIVERED:
            return
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
        Outbox.objects.filter(pk=outbox_id, published_at__isnull=True).update(
            published_at=timezone.now())
        sent += 1
    for delivery in Delivery.objects.filter(status=Delivery.Status.PENDING, attempts=0,
                                            created_at__lt=cutoff).select_related("team")[:batch]:
        if not delivery_publish(delivery=delivery):
            return sent
        sent += 1
    return sent
