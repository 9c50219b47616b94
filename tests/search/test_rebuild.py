"""``manage.py rebuild_search_index``: the same index as the services keep, rebuilt in
batches, resumable."""

from io import StringIO

import pytest
from django.core.management import call_command

from blog.models import Article
from feedback.services import feedback_submit
from forum.services import post_hide
from search.models import Document, RebuildCheckpoint
from search.selectors import search_run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _index() -> set[tuple]:
    return set(Document.objects.values_list("kind", "object_id", "language", "title", "body",
                                            "category", "accepted", "staff"))


@pytest.fixture
def content(make_topic, make_reply, make_article, forum_member):
    topic = make_topic(title="Zebra withdrawals", body="提现失败")
    make_reply(topic=topic, body="zebra reply")
    hidden = make_reply(topic=topic, body="zebra hidden reply")
    post_hide(post=hidden, by=forum_member, hidden=True)
    make_article(title="Zebra article", zh_title="斑马文章")
    make_article(title="Zebra draft", status=Article.Status.DRAFT)
    feedback_submit(source="web", author=UserFactory(), title="Zebra idea", body="",
                    language="en")
    feedback_submit(source="tickets.ticket", author=UserFactory(), title="Zebra private",
                    body="", language="en")


def _rebuild(*args) -> str:
    out = StringIO()
    call_command("rebuild_search_index", *args, stdout=out)
    return out.getvalue()


def test_rebuild_gives_the_index_the_services_keep(content):
    kept = _index()
    assert len(kept) == 5  # topic, visible reply, article in two languages, public idea
    Document.objects.all().delete()
    output = _rebuild("--batch-size", "2")
    assert _index() == kept
    assert "forum: [" in output and "search index rebuilt" in output
    assert len(search_run(user=None, text="zebra").hits) == 4
    assert len(search_run(user=None, text="提现").hits) == 1


def test_rebuild_resumes_where_it_stopped(content, monkeypatch):
    kept = _index()
    from forum import search as forum_search

    real = forum_search.batches

    def interrupted(*, after_pk, size):
        for number, batch in enumerate(real(after_pk=after_pk, size=size)):
            if number == 1:
                raise KeyboardInterrupt
            yield batch

    monkeypatch.setattr(forum_search, "batches", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _rebuild("--batch-size", "1")
    assert RebuildCheckpoint.objects.get(source="forum").last_pk > 0
    assert len(_index()) == 1
    monkeypatch.setattr(forum_search, "batches", real)
    _rebuild("--resume", "--batch-size", "1")
    assert _index() == kept
    assert "already done" in _rebuild("--resume")


def test_rebuild_leaves_what_the_site_indexed_meanwhile(content, make_topic):
    """The site keeps writing during a rebuild: a topic its service indexed after the rebuild
    started is reached by the rebuild's batches too, and stays indexed once."""
    kept = _index()
    RebuildCheckpoint.objects.all().delete()  # a rebuild that has not reached anything yet
    make_topic(title="Zebra written during the rebuild", body="new")
    _rebuild("--resume", "--batch-size", "2")
    assert _index() - kept == {row for row in _index() if row[3].startswith("Zebra written")}
    assert Document.objects.filter(title="Zebra written during the rebuild").count() == 1
