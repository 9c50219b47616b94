"""feedback_submit: the one door into the pipeline, for the board and for every other app."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from feedback.models import FeedbackItem, Follow, ItemTag, Outbox, Vote
from feedback.services import feedback_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

FORUM_BODY = "USDT 提现一直没到账，TRC-20 网络"


def submit(**overrides) -> FeedbackItem:
    values = {"source": "forum.post", "source_ref": "forum/topic/42#post-7", "author": None,
              "title": "USDT 提现", "body": FORUM_BODY, "language": "zh-hans"}
    values.update(overrides)
    return feedback_submit(**values)


def test_stores_the_item_its_chosen_tags_and_an_outbox_row(taxonomy, task_log):
    author = UserFactory()
    item = submit(author=author, tags=["praise", "fees"], product_area="wallet")

    item.refresh_from_db()
    assert (item.source, item.source_ref, item.author, item.language) == (
        "forum.post", "forum/topic/42#post-7", author, "zh-hans")
    assert item.product_area == taxonomy.areas["wallet"]
    chosen = ItemTag.objects.filter(item=item, auto=False)
    assert {t.tag.slug for t in chosen} == {"praise", "fees"}
    entry = Outbox.objects.get(item=item)
    # Published on commit; in eager mode it is classified and routed at once.
    assert entry.published_at is not None and entry.processed_at is not None
    assert task_log.names().count("feedback.tasks.classify_and_route") == 1


def test_a_rolled_back_transaction_leaves_nothing_and_publishes_nothing(taxonomy, task_log,
                                                                        webhook_receiver):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        submit(title="Never happened", tags=["withdrawal"])
        assert FeedbackItem.objects.filter(title="Never happened").exists()
        raise Abort

    assert not FeedbackItem.objects.exists()
    assert not Outbox.objects.exists()
    assert not ItemTag.objects.exists()
    assert task_log.names() == []
    assert webhook_receiver.requests == []


def test_publishes_only_after_the_callers_transaction_commits(taxonomy, task_log):
    with transaction.atomic():
        item = submit()
        assert task_log.names() == []  # not yet: a worker could not see the row
        assert Outbox.objects.get(item=item).published_at is None
    assert task_log.names() == ["feedback.tasks.classify_and_route",
                                "feedback.tasks.deliver"]
    assert task_log.ran[0][1] == [item.pk]


def test_publishing_writes_nothing_and_routing_stamps_the_outbox(taxonomy, monkeypatch):
    """Every submission is published once: a publish that works costs no write of its own."""
    import feedback.routing
    from feedback.tasks import classify_and_route

    published = []
    monkeypatch.setattr(classify_and_route, "apply_async",
                        lambda args, **options: published.append(args))
    with CaptureQueriesContext(connection) as queries:
        item = submit()

    assert published == [[item.pk]]
    assert [q["sql"].split()[0] for q in queries.captured_queries
            if "feedback_outbox" in q["sql"]] == ["INSERT"]
    assert Outbox.objects.get(item=item).published_at is None
    feedback.routing.item_classify_and_route(item_id=item.pk)
    entry = Outbox.objects.get(item=item)
    assert entry.published_at is not None and entry.processed_at is not None


def test_unknown_tag_and_area_slugs_are_ignored_and_logged(taxonomy, caplog):
    with caplog.at_level(logging.WARNING, logger="feedback.services"):
        item = submit(tags=["praise", "no-such-tag", "praise"], product_area="no-such-area")

    assert item.product_area is None
    assert list(ItemTag.objects.filter(item=item, auto=False).values_list(
        "tag__slug", flat=True)) == ["praise"]
    assert Outbox.objects.filter(item=item).exists()
    assert "no-such-tag" in caplog.text and "no-such-area" in caplog.text


@pytest.mark.parametrize("title", ["", "   ", "\n\t ", None])
def test_a_title_is_required(taxonomy, title, task_log):
    with pytest.raises(ValidationError) as error:
        submit(title=title)
    assert error.value.code == "title"
    assert not FeedbackItem.objects.exists() and not Outbox.objects.exists()
    assert task_log.names() == []


def test_titles_are_tidied_and_cut_to_fit(taxonomy):
    item = submit(title="  USDT\n  提现   太慢  ", source_ref="x" * 500)
    assert item.title == "USDT 提现 太慢"
    assert len(item.source_ref) == 200
    assert len(submit(title="长" * 300).title) == 200


@pytest.mark.parametrize("source", ["email", "forum", "", "WEB"])
def test_an_unknown_source_is_refused(taxonomy, source):
    with pytest.raises(ValidationError) as error:
        submit(source=source)
    assert error.value.code == "source"
    assert not FeedbackItem.objects.exists() and not Outbox.objects.exists()


@pytest.mark.parametrize(("source", "public"), [
    ("web", True), ("forum.post", False), ("tickets.ticket", False),
    ("surveys.answer", False), ("events.ama", False),
])
def test_only_ideas_posted_on_the_board_are_public(taxonomy, source, public):
    assert submit(source=source).is_public is public


def test_the_author_votes_for_and_follows_their_own_web_idea(taxonomy):
    author = UserFactory()
    item = submit(source="web", author=author, title="Dark mode for the web", body="")
    item.refresh_from_db()
    assert item.vote_count == 1
    assert Vote.objects.filter(item=item, user=author).exists()
    assert Follow.objects.filter(item=item, user=author).exists()


def test_no_automatic_vote_outside_the_board_or_without_an_author(taxonomy):
    author = UserFactory()
    forum = submit(source="forum.post", author=author)
    anonymous = submit(source="web", author=None)
    for item in (forum, anonymous):
        item.refresh_from_db()
        assert item.vote_count == 0
    assert not Vote.objects.exists() and not Follow.objects.exists()


@pytest.mark.parametrize(("given", "stored"), [
    ("zh-hans", "zh-hans"), ("zh-CN", "zh-hans"), ("en-US", "en"), ("en", "en"),
    ("fr", "en"), ("", "en"),
])
def test_the_language_is_one_the_portal_knows(taxonomy, given, stored):
    assert submit(language=given).language == stored


def test_a_crash_after_the_commit_never_reaches_the_caller(taxonomy, monkeypatch, caplog):
    """Fault injection: classification (run eagerly on commit here) blows up. The submission
    is saved and stays in the outbox for the relay; the caller gets its item, not an error."""
    import feedback.routing

    def broken(**kwargs):
        raise RuntimeError("classifier exploded")

    monkeypatch.setattr(feedback.routing, "item_classify", broken)
    item = submit()

    assert FeedbackItem.objects.filter(pk=item.pk).exists()
    assert Outbox.objects.get(item=item).processed_at is None
    assert "classifier exploded" in caplog.text
