"""While a new ticket's subject is typed, answered forum questions come first, then ideas on
the feedback board; unanswered or hidden topics are not offered."""

import pytest

from forum.answers import answer_accept
from forum.models import Category
from forum.services import post_reply, topic_create
from forum.staff import topic_hide
from tests.factories import UserFactory
from tests.feedback.ideas import make_idea
from tickets.selectors import help_suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(settings):
    settings.FORUM_ANTISPAM = {"topic": (100, 60), "post": (100, 60), "new_topic": (100, 60),
                               "new_post": (100, 60), "duplicate_window": 0}
    section = Category.objects.language("en").create(slug="help", name="Help")
    return Category.objects.language("en").create(slug="qa", name="Q&A", parent=section,
                                                  is_qa=True)


def asked(category, title, *, answered: bool):
    author, helper = UserFactory(), UserFactory()
    topic = topic_create(category=category, author=author, title=title, body="Help?")
    if answered:
        answer_accept(post=post_reply(topic=topic, author=helper, body="Like this."), by=author)
    return topic


def test_answered_forum_questions_come_before_feedback_ideas(questions):
    solved = asked(questions, "USDT 提现一直没到账", answered=True)
    asked(questions, "USDT 提现要多久", answered=False)
    idea = make_idea(title="Show USDT 提现 arrival time")
    found = help_suggestions(user=UserFactory(), text="USDT 提现没到账")
    assert [(s.title, s.kind) for s in found] == [
        (solved.title, "Solved forum topic"), (idea.title, "Feedback idea")]
    assert found[0].url == solved.get_absolute_url()


def test_a_hidden_topic_is_not_offered(questions):
    topic = asked(questions, "Withdrawal stuck on TRC-20", answered=True)
    topic_hide(topic=topic, by=UserFactory(is_staff=True), hidden=True)
    assert help_suggestions(user=UserFactory(), text="withdrawal stuck") == []
