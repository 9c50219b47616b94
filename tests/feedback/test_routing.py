"""Classification and routing, run eagerly in the test process: auto-tags, sentiment, one
Delivery per owning team, the triage team as the fallback, and every step safe to run twice."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from feedback import routing
from feedback.models import (
    Delivery,
    FeedbackItem,
    ItemTag,
    Outbox,
    RoutingRule,
    Tag,
    TagRule,
    Team,
)
from feedback.routing import item_classify_and_route, item_teams
from feedback.services import feedback_submit, item_reassign
from feedback.tasks import classify_and_route, deliver
from tests.feedback.conftest import broker_away

pytestmark = pytest.mark.django_db(transaction=True)

FORUM_TITLE = "USDT 提现"
FORUM_BODY = "USDT 提现一直没到账，TRC-20 网络"


def forum_post(**overrides) -> FeedbackItem:
    values = {"source": "forum.post", "source_ref": "https://community.example/t/42#p7",
              "title": FORUM_TITLE, "body": FORUM_BODY, "language": "zh-hans"}
    values.update(overrides)
    with transaction.atomic():
        item = feedback_submit(**values)
    item.refresh_from_db()
    return item


def tags_of(item: FeedbackItem) -> dict[str, bool]:
    return {t.tag.slug: t.auto for t in ItemTag.objects.filter(item=item).select_related("tag")}


def teams_of(item: FeedbackItem) -> list[str]:
    return sorted(Delivery.objects.filter(item=item).values_list("team__slug", flat=True))


def test_a_chinese_forum_post_is_tagged_scored_and_routed_to_wallet(taxonomy, webhook_receiver):
    item = forum_post(tags=["praise"])

    assert tags_of(item) == {"withdrawal": True, "praise": False}  # the user's own tag stays
    assert item.sentiment == FeedbackItem.Sentiment.NEGATIVE
    assert item.classified_at is not None
    assert teams_of(item) == ["wallet"]
    delivery = Delivery.objects.get(item=item)
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 1
    assert [r.path for r in webhook_receiver.requests] == ["/wallet"]
    assert Outbox.objects.get(item=item).processed_at is not None


def test_full_width_text_is_tagged_too(taxonomy):
    item = forum_post(title="ＵＳＤＴ　ＷＩＴＨＤＲＡＷＡＬ", body="")
    assert tags_of(item) == {"withdrawal": True}
    assert teams_of(item) == ["wallet"]


def test_a_chosen_tag_that_a_rule_also_matches_stays_chosen(taxonomy):
    item = forum_post(tags=["withdrawal"])
    assert tags_of(item) == {"withdrawal": False}


def test_several_matching_rules_make_one_delivery_per_team(taxonomy, webhook_receiver):
    item = forum_post(
        source="tickets.ticket", language="en", product_area="wallet", tags=["deposit"],
        title="App crashes when I check the withdrawal fee",
        body="The withdrawal fee screen crashes the app. Deposit works.")

    assert set(tags_of(item)) == {"app-crash", "withdrawal", "fees", "deposit"}
    # wallet owns withdrawal, deposit and the wallet area: still one delivery.
    assert teams_of(item) == ["mobile", "trading", "wallet"]
    assert sorted(r.path for r in webhook_receiver.requests) == ["/mobile", "/trading",
                                                                 "/wallet"]


def test_a_product_area_alone_routes(taxonomy):
    item = forum_post(source="surveys.answer", language="en", product_area="mobile-app",
                      title="Survey answer", body="Nothing to add")
    assert tags_of(item) == {}
    assert teams_of(item) == ["mobile"]


def test_teams_come_in_rule_order(taxonomy):
    item = forum_post(language="en", title="Login fee", body="")
    assert [t.slug for t in item_teams(item=item)] == ["trading", "customer-service"]
    rule = RoutingRule.objects.get(tag__slug="login")
    rule.position = 0
    rule.save()  # as the admin's list_editable does
    assert [t.slug for t in item_teams(item=item)] == ["customer-service", "trading"]


def test_nothing_matched_goes_to_the_triage_team(taxonomy, webhook_receiver):
    item = forum_post(language="en", title="How do I change my nickname?", body="")
    assert tags_of(item) == {}
    assert item.sentiment == FeedbackItem.Sentiment.NEUTRAL
    assert teams_of(item) == ["customer-service"]
    assert [r.path for r in webhook_receiver.requests] == ["/customer-service"]


def test_no_rule_and_no_triage_team_routes_nowhere_without_failing(taxonomy, caplog):
    taxonomy.teams["customer-service"].delete()
    item = forum_post(language="en", title="How do I change my nickname?", body="")
    assert teams_of(item) == []
    assert Outbox.objects.get(item=item).processed_at is not None
    assert "no triage team" in caplog.text


def test_classify_and_route_twice_adds_nothing(taxonomy, webhook_receiver, task_log):
    item = forum_post()
    delivery = Delivery.objects.get(item=item)
    classified_at = item.classified_at

    classify_and_route.delay(item.pk)
    assert item_classify_and_route(item_id=item.pk) == [delivery]
    deliver.delay(delivery.pk)

    item.refresh_from_db()
    assert item.classified_at == classified_at
    assert Delivery.objects.filter(item=item).count() == 1
    assert ItemTag.objects.filter(item=item).count() == 1
    assert len(webhook_receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    # A second run finds the deliveries made: it does not send them again.
    assert task_log.names().count("feedback.tasks.deliver") == 2  # the first, and ours


def test_a_new_item_is_read_once_and_the_rest_are_writes(taxonomy):
    """Routing runs for every item. One without tags of its own or deliveries yet (most) costs
    one locking read, which tells so, not reads of its tags and of its deliveries besides."""
    with broker_away():  # left unrouted, and its delivery is not sent on: only routing counts
        item = forum_post()
        routing.current_rules()  # the rules are loaded once per process, not per item
        with CaptureQueriesContext(connection) as queries:
            [delivery] = item_classify_and_route(item_id=item.pk)

    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1
    assert tags_of(item) == {"withdrawal": True}
    assert teams_of(item) == ["wallet"] and delivery.team.slug == "wallet"
    entry = Outbox.objects.get(item=item)
    assert entry.processed_at is not None and entry.published_at is not None


def test_an_items_own_tags_and_a_delivery_made_before_routing_count(taxonomy):
    """Reassigned by staff before it was routed, chosen tags by its author: both are read."""
    with broker_away():
        item = forum_post(tags=["fees"], product_area="mobile-app")
        item_reassign(item=item, team=taxonomy.teams["mobile"])
        mobile = Delivery.objects.get(item=item)
        deliveries = item_classify_and_route(item_id=item.pk)

    # fees (chosen) -> trading, the mobile-app area -> mobile, withdrawal (a rule) -> wallet.
    assert [d.team.slug for d in deliveries] == ["trading", "mobile", "wallet"]
    assert deliveries[1].pk == mobile.pk
    assert tags_of(item) == {"fees": False, "withdrawal": True}
    assert Delivery.objects.filter(item=item).count() == 3


def test_a_second_run_does_not_undo_a_triagers_edit(taxonomy):
    item = forum_post()
    ItemTag.objects.filter(item=item, tag__slug="withdrawal").delete()
    item_classify_and_route(item_id=item.pk)
    assert tags_of(item) == {}


def test_an_item_deleted_before_classification_is_skipped(taxonomy):
    assert item_classify_and_route(item_id=987654) == []
    assert classify_and_route.delay(987654).get() == 0


def test_new_rules_apply_to_new_items(taxonomy):
    forum_post(language="en", title="Copy trading leaderboard", body="")
    tag = Tag.objects.create(slug="copy-trading")
    TagRule.objects.create(tag=tag, pattern="copy trading")
    RoutingRule.objects.create(tag=tag, team=taxonomy.teams["trading"])

    item = forum_post(language="en", title="Copy trading: show the leaders", body="")
    assert set(tags_of(item)) == {"copy-trading"}
    assert teams_of(item) == ["trading"]


def test_rule_changes_apply_to_the_next_item(taxonomy):
    """The rules are cached per process; saving or deleting one refreshes the cache."""
    assert teams_of(forum_post(language="en", title="Earn: APY too low", body="")) == [
        "customer-service"]
    team = Team.objects.create(slug="earn", name="Earn")
    tag = Tag.objects.create(slug="earn")
    rule = TagRule.objects.create(tag=tag, pattern="apy")
    RoutingRule.objects.create(tag=tag, team=team)
    assert teams_of(forum_post(language="en", title="Earn: APY too low", body="")) == ["earn"]

    rule.pattern = "yield"
    rule.save()
    assert teams_of(forum_post(language="en", title="Earn: APY too low", body="")) == [
        "customer-service"]
    assert teams_of(forum_post(language="en", title="Better yield", body="")) == ["earn"]

    team.delete()
    assert teams_of(forum_post(language="en", title="Better yield", body="")) == [
        "customer-service"]


def test_changes_made_without_signals_apply_after_a_while(taxonomy, monkeypatch):
    item = forum_post(language="en", title="Login fee", body="")
    RoutingRule.objects.filter(tag__slug="login").update(position=0)  # no signal
    assert [t.slug for t in item_teams(item=item)] == ["trading", "customer-service"]
    monkeypatch.setattr(routing, "RULES_MAX_AGE", 0)  # ... once the snapshot is old enough
    assert [t.slug for t in item_teams(item=item)] == ["customer-service", "trading"]


def test_a_change_in_another_process_applies_here(taxonomy):
    """Another process bumps the version stamp in the shared cache when it commits a change."""
    item = forum_post(language="en", title="Login fee", body="")
    RoutingRule.objects.filter(tag__slug="login").update(position=0)
    assert [t.slug for t in item_teams(item=item)] == ["trading", "customer-service"]
    cache.set(routing.RULES_VERSION_KEY, "changed elsewhere")
    assert [t.slug for t in item_teams(item=item)] == ["customer-service", "trading"]


def test_routing_works_while_the_cache_is_away(taxonomy, monkeypatch, caplog):
    """Fault injection: the shared cache (Redis) refuses every call."""
    def refuse(*args, **kwargs):
        raise ConnectionError("cache down")

    forum_post()  # the snapshot is loaded
    monkeypatch.setattr(cache, "get", refuse)
    monkeypatch.setattr(cache, "add", refuse)
    monkeypatch.setattr(cache, "set", refuse)
    assert teams_of(forum_post(title="USDT 提现 again")) == ["wallet"]
    monkeypatch.setattr(routing, "_snapshot", None)  # and with nothing cached in the process
    assert teams_of(forum_post(title="USDT 提现 once more")) == ["wallet"]
    assert "rules version unavailable" in caplog.text


def test_only_the_pipelines_own_transactions_skip_the_disk_flush(taxonomy, postgres):
    """Classifying commits without waiting for the disk, but never relaxes a caller's own
    transaction (say, one that also stores the user's submission)."""
    def synchronous_commit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with transaction.atomic():
        item = feedback_submit(source="forum.post", title="USDT 提现", body="",
                               language="zh-hans")
        item_classify_and_route(item_id=item.pk)
        assert synchronous_commit() == "on"
    with transaction.atomic(), routing._redoable_transaction():
        assert synchronous_commit() == "on"
    with routing._redoable_transaction():
        assert synchronous_commit() == "off"
    assert synchronous_commit() == "on"


def test_routing_costs_the_same_queries_whatever_the_number_of_rules(taxonomy):
    def cost() -> int:
        with transaction.atomic():
            item = feedback_submit(source="forum.post", title="USDT 提现", body="", tags=[],
                                   language="zh-hans", product_area="mobile-app")
        routing.current_rules()  # warm
        Delivery.objects.filter(item=item).delete()
        FeedbackItem.objects.filter(pk=item.pk).update(classified_at=None)
        with CaptureQueriesContext(connection) as queries:
            assert len(item_classify_and_route(item_id=item.pk)) == 2
        return len(queries)

    few = cost()
    for n in range(30):
        tag = Tag.objects.create(slug=f"extra-{n}")
        TagRule.objects.create(tag=tag, pattern=f"extra{n}")
        TagRule.objects.create(tag=tag, kind=TagRule.Kind.REGEX, pattern=rf"x{n}\d+")
        RoutingRule.objects.create(tag=tag, team=taxonomy.teams["trading"])
    assert cost() == few


def test_a_bad_regex_rule_does_not_stop_routing(taxonomy):
    TagRule.objects.create(tag=taxonomy.tags["fees"], kind=TagRule.Kind.REGEX, pattern="fee(")
    item = forum_post()
    assert tags_of(item) == {"withdrawal": True}
    assert teams_of(item) == ["wallet"]
