"""While a new ticket's subject is typed, solved forum questions and ideas on the feedback
board sharing its words are offered, from the search index; unanswered or hidden topics are
not. Content is written through the apps' services, so the index is written as for users."""

import pytest
from django.utils import translation

from forum.services import post_hide
from tests.factories import UserFactory
from tests.feedback.ideas import make_idea
from tickets.selectors import help_suggestions

pytestmark = pytest.mark.django_db


def test_solved_forum_questions_and_ideas_sharing_the_most_words_first(ask):
    solved = ask("USDT 提现一直没到账", answered=True)
    ask("USDT 提现要多久", answered=False)
    idea = make_idea(title="Show USDT 提现 arrival time")
    found = help_suggestions(user=UserFactory(), text="USDT 提现没到账")
    assert [(s.title, s.kind) for s in found] == [
        (solved.title, "Solved forum topic"), (idea.title, "Feedback idea")]
    assert found[0].url == solved.get_absolute_url()


def test_among_titles_sharing_as_many_words_solved_topics_come_before_ideas(ask):
    solved = ask("Withdrawal fee too high", answered=True)
    idea = make_idea(title="Lower the withdrawal fee")  # newer
    assert [s.title for s in help_suggestions(user=UserFactory(), text="withdrawal fee")] \
        == [solved.title, idea.title]
    assert [s.title for s in help_suggestions(user=UserFactory(), text="withdrawal fee",
                                              limit=1)] == [solved.title]


def test_a_two_character_chinese_subject_is_enough(ask):
    solved = ask("提现失败怎么办", answered=True, language="zh-hans")
    with translation.override("zh-hans"):
        found = help_suggestions(user=UserFactory(), text="提现")
        assert [(s.title, s.url) for s in found] == [
            (solved.title, solved.get_absolute_url())]
    assert help_suggestions(user=UserFactory(), text="提") == []


def test_a_hidden_topic_is_not_offered(ask):
    topic = ask("Withdrawal stuck on TRC-20", answered=True)
    assert help_suggestions(user=UserFactory(), text="withdrawal stuck") != []
    post_hide(post=topic.posts.get(number=1), by=UserFactory(is_staff=True), hidden=True)
    assert help_suggestions(user=UserFactory(), text="withdrawal stuck") == []
