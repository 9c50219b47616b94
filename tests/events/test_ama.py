"""AMA sessions at the service level: asking, one vote per member, answering (hosts and
staff only), hiding, the archive after the end, and handing a question to feedback."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from events.models import AmaQuestion, AmaVote
from events.selectors import ama_questions
from events.services import (
    ama_question_answer,
    ama_question_ask,
    ama_question_hide,
    ama_question_to_feedback,
    ama_vote_toggle,
)
from feedback.models import FeedbackItem
from notifications.models import Notification
from tests.events.conftest import make_ama
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_question_is_rendered_once_and_sanitised(ama, user):
    question = ama_question_ask(session=ama, author=user,
                                body="  Is **staking** safe? <script>alert(1)</script>  ")
    assert question.body == "Is **staking** safe? <script>alert(1)</script>"
    assert "<strong>staking</strong>" in question.body_html
    assert "<script" not in question.body_html


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_question_is_refused(ama, user, body):
    with pytest.raises(ValidationError):
        ama_question_ask(session=ama, author=user, body=body)
    assert not AmaQuestion.objects.exists()


def test_questions_are_taken_before_the_session_starts(user):
    upcoming = make_ama(starts_in=timedelta(days=2))
    assert ama_question_ask(session=upcoming, author=user, body="Early bird?").pk


def test_one_vote_per_member_and_toggling_takes_it_back(ama, members):
    question = ama_question_ask(session=ama, author=members[0], body="Hardware keys?")
    assert ama_vote_toggle(question=question, user=members[1]) is True
    assert ama_vote_toggle(question=question, user=members[2]) is True
    question.refresh_from_db()
    assert question.vote_count == 2
    assert ama_vote_toggle(question=question, user=members[1]) is False
    question.refresh_from_db()
    assert question.vote_count == 1
    assert list(AmaVote.objects.values_list("user", flat=True)) == [members[2].pk]


def test_the_database_refuses_a_second_vote(ama, members):
    question = ama_question_ask(session=ama, author=members[0], body="Hardware keys?")
    AmaVote.objects.create(question=question, user=members[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        AmaVote.objects.create(question=question, user=members[1])


def test_answered_questions_come_first_then_by_votes(ama, host, members):
    quiet = ama_question_ask(session=ama, author=members[0], body="Quiet one")
    popular = ama_question_ask(session=ama, author=members[1], body="Popular one")
    answered = ama_question_ask(session=ama, author=members[2], body="Answered one")
    for voter in members:
        ama_vote_toggle(question=popular, user=voter)
    ama_vote_toggle(question=quiet, user=members[3])
    ama_question_answer(question=answered, by=host, answer="Yes, **soon**.")
    listed = ama_questions(session=ama, user=members[0])
    assert [q.pk for q in listed] == [answered.pk, popular.pk, quiet.pk]
    assert listed[0].answer_html == "<p>Yes, <strong>soon</strong>.</p>"
    assert [q.voted for q in listed] == [False, True, False]
    # The host view goes by votes only.
    assert [q.pk for q in ama_questions(session=ama, user=host, for_host=True)] == [
        popular.pk, quiet.pk, answered.pk]


def test_the_asker_is_notified_once_when_answered(ama, host, user):
    question = ama_question_ask(session=ama, author=user, body="Hardware keys?")
    ama_question_answer(question=question, by=host, answer="Next quarter.")
    ama_question_answer(question=question, by=host, answer="Next quarter, in beta.")
    notification = Notification.objects.get(recipient=user)
    assert notification.verb == "Your question in “Wallet AMA” was answered"
    assert notification.target_url == f"/en/events/ama/wallet-ama/#question-{question.pk}"
    assert notification.actor == host
    question.refresh_from_db()
    assert question.answer == "Next quarter, in beta."


def test_the_notification_is_in_the_askers_language(ama, host):
    asker = UserFactory(language="zh-hans")
    question = ama_question_ask(session=ama, author=asker, body="硬件钱包？")
    ama_question_answer(question=question, by=host, answer="下个季度。")
    assert "钱包 AMA" in Notification.objects.get(recipient=asker).verb


def test_only_hosts_and_staff_answer_and_hide(ama, host, members):
    question = ama_question_ask(session=ama, author=members[0], body="Hardware keys?")
    for someone in (members[0], members[1]):
        with pytest.raises(PermissionDenied):
            ama_question_answer(question=question, by=someone, answer="Sure")
        with pytest.raises(PermissionDenied):
            ama_question_hide(question=question, by=someone, hidden=True)
    question.refresh_from_db()
    assert not question.is_answered and not question.is_hidden
    staff = UserFactory(is_staff=True)
    ama_question_answer(question=question, by=staff, answer="Staff can too.")
    ama_question_hide(question=question, by=host, hidden=True)
    assert ama_questions(session=ama, user=members[1]) == []
    assert ama_questions(session=ama, user=host, for_host=True) == [question]


def test_a_hidden_question_takes_no_votes(ama, host, members):
    question = ama_question_ask(session=ama, author=members[0], body="Spam")
    ama_question_hide(question=question, by=host, hidden=True)
    with pytest.raises(ValidationError):
        ama_vote_toggle(question=question, user=members[1])
    assert not AmaVote.objects.exists()


def test_after_the_end_the_session_is_an_archive(ama, host, members):
    question = ama_question_ask(session=ama, author=members[0], body="Hardware keys?")
    ama.ends_at = ama.starts_at + timedelta(minutes=30)  # ended half an hour ago
    ama.save(update_fields=["ends_at"])
    with pytest.raises(ValidationError, match="has ended"):
        ama_question_ask(session=ama, author=members[1], body="Too late?")
    with pytest.raises(ValidationError, match="has ended"):
        ama_vote_toggle(question=question, user=members[1])
    assert AmaQuestion.objects.count() == 1 and not AmaVote.objects.exists()
    # Hosts may still answer: the archive keeps late answers.
    ama_question_answer(question=question, by=host, answer="Late but here.")


def test_staff_send_a_question_to_feedback_once(ama, host, user):
    question = ama_question_ask(session=ama, author=user, body="Please add **passkeys**.")
    ama_question_answer(question=question, by=host, answer="Noted.")
    with pytest.raises(PermissionDenied):
        ama_question_to_feedback(question=question, by=host)
    staff = UserFactory(is_staff=True)
    first = ama_question_to_feedback(question=question, by=staff)
    assert ama_question_to_feedback(question=question, by=staff) == first
    item = FeedbackItem.objects.get()
    assert item.pk == first and item.source == "events.ama" and item.author == user
    assert item.source_ref == f"events.ama:wallet-ama:{question.pk}"
    assert "Please add **passkeys**." in item.body and "Noted." in item.body
    assert not item.is_public
