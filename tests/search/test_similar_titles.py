"""Titles like a whole text being typed (a ticket's subject, an idea's title), from the search
index: the same tests run on SQLite FTS5 and on PostgreSQL. Content is written through the
apps' services, so what is not indexed (hidden, unpublished, private) is never offered."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from blog.models import Article
from forum.answers import answer_accept, answer_unaccept
from forum.services import post_hide
from search.models import Document
from search.selectors import similar_titles
from tests.blog.conftest import PUBLISHED
from tests.feedback.ideas import make_idea

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


def titles(text, **options):
    return [found.title for found in similar_titles(user=ANONYMOUS, text=text, **options)]


def test_titles_sharing_the_most_words_come_first_then_the_newest(make_topic):
    closer = make_topic(title="Dark mode for the web trading view")
    make_topic(title="Dark mode everywhere")
    make_topic(title="Trading fees are too high")
    make_topic(title="Dark mode on mobile")
    make_topic(title="What is the best wallet?")  # shares only stop words
    found = similar_titles(user=ANONYMOUS, text="dark mode in the web trading view")
    assert [(item.title, item.shared) for item in found] == [
        (closer.title, 5), ("Dark mode on mobile", 2), ("Dark mode everywhere", 2),
        ("Trading fees are too high", 1)]
    assert (found[0].kind, found[0].object_id) == ("topic", closer.pk)
    assert found[0].url == closer.get_absolute_url()
    assert titles("dark mode in the web trading view", limit=2) == [
        closer.title, "Dark mode on mobile"]


def test_stop_words_and_word_fragments_alone_find_nothing_without_a_query(
        make_topic, django_assert_num_queries):
    make_topic(title="How to withdraw to the wallet")
    with django_assert_num_queries(0):
        for text in ("how to the", "what is it", "wi", "提", "", "   ", "?!"):
            assert titles(text) == []
    with django_assert_num_queries(1):
        assert titles("how to withdraw") == ["How to withdraw to the wallet"]


def test_a_two_character_chinese_word_finds_longer_titles(make_topic):
    make_topic(title="提现失败怎么办", language="zh-hans")
    make_topic(title="USDT 提现一直没到账", language="zh-hans")
    make_topic(title="充值到账很慢", language="zh-hans")
    assert titles("提现") == ["USDT 提现一直没到账", "提现失败怎么办"]
    assert titles("USDT 提现没到账") == ["USDT 提现一直没到账", "充值到账很慢", "提现失败怎么办"]
    assert titles("怎么没有") == []  # question words only


def test_the_last_word_is_a_prefix_while_it_is_typed(make_topic):
    make_topic(title="Withdrawal limits for USDT")
    assert titles("usdt withdr") == ["Withdrawal limits for USDT"]
    assert titles("deposit withdr") == ["Withdrawal limits for USDT"]
    assert titles("withdr ") == []  # a finished word matches whole
    assert titles("withdr usdt") == ["Withdrawal limits for USDT"]


def test_solved_only_offers_topics_with_an_accepted_answer(make_topic, make_reply,
                                                          qa_category, make_article):
    question = make_topic(category=qa_category, title="Staking rewards missing")
    make_article(title="Staking rewards explained")
    make_idea(title="Show staking rewards daily")
    assert titles("staking rewards", solved_only=True) == [
        "Show staking rewards daily", "Staking rewards explained"]

    answer = make_reply(topic=question, body="They are paid on Mondays.")
    answer_accept(post=answer, by=question.author)
    documents = Document.objects.filter(group=f"forum.topic:{question.pk}")
    assert set(documents.values_list("kind", "accepted")) == {("topic", True), ("post", True)}
    assert titles("staking rewards", solved_only=True) == [
        "Show staking rewards daily", "Staking rewards missing", "Staking rewards explained"]

    answer_unaccept(topic=question, by=question.author)
    assert set(documents.values_list("kind", "accepted")) == {("topic", False),
                                                              ("post", False)}
    assert "Staking rewards missing" not in titles("staking rewards", solved_only=True)
    assert "Staking rewards missing" in titles("staking rewards")


def test_articles_only_in_the_readers_language(make_article):
    make_article(title="How to spot a phishing email", zh_title="如何识别钓鱼邮件",
                 zh_slug="ru-he-shi-bie-diao-yu-you-jian")
    assert titles("phishing emails") == ["How to spot a phishing email"]
    assert titles("phishing emails", language="zh-hans") == []
    (found,) = similar_titles(user=ANONYMOUS, text="钓鱼邮件", language="zh-hans")
    assert (found.title, found.url) == ("如何识别钓鱼邮件",
                                        "/zh-hans/blog/ru-he-shi-bie-diao-yu-you-jian/")


def test_kinds_and_never_replies(make_topic, make_reply, make_article):
    topic = make_topic(title="Margin call rules")
    make_reply(topic=topic, body="Margin calls happen below the maintenance margin.")
    make_article(title="Margin trading guide")
    assert titles("margin", kinds=["article"]) == ["Margin trading guide"]
    assert titles("margin", kinds=["post"]) == []
    assert titles("maintenance") == []  # a reply's words are not a title


def test_what_is_not_indexed_is_never_suggested(make_topic, forum_member, make_article):
    hidden = make_topic(title="Airdrop claim not working")
    post_hide(post=hidden.posts.get(number=1), by=forum_member, hidden=True)
    make_article(title="Airdrop claim guide draft", status=Article.Status.DRAFT)
    make_article(title="Airdrop claim schedule", status=PUBLISHED,
                 published_at=timezone.now() + timedelta(days=1))
    make_idea(title="Airdrop claim reminders", source="tickets.ticket")  # private feedback
    visible = make_idea(title="Airdrop claim in the app")
    assert titles("airdrop claim") == [visible.title]
