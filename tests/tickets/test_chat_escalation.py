"""A live chat nobody answers within SUPPORT_CHAT_TIMEOUT_MINUTES becomes a ticket answered
by email: marked once, and the customer is told (in the app and by email)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.tickets.services_fixtures import told
from tickets.models import Event, Ticket
from tickets.selectors import waiting_chats
from tickets.services import chats_escalate, message_post, ticket_change
from tickets.tasks import sla_check

pytestmark = pytest.mark.django_db

Status = Ticket.Status


@pytest.fixture
def chat(make_ticket):
    return make_ticket(channel=Ticket.Channel.CHAT, subject="Live chat",
                       body="Hi, is anyone there?")


def later(minutes: float):
    return timezone.now() + timedelta(minutes=minutes)


def test_an_unanswered_chat_becomes_a_ticket_once_and_the_customer_is_told(
        chat, user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert chats_escalate(now=later(5.1)) == 1
        assert chats_escalate(now=later(6)) == 0  # the next run

    chat.refresh_from_db()
    assert chat.chat_escalated_at is not None
    assert chat.status == Status.NEW and chat.channel == Ticket.Channel.CHAT
    [event] = Event.objects.filter(ticket=chat, kind=Event.Kind.CHAT_ESCALATED)
    assert event.is_public and event.actor is None
    assert told(user) == [f"No agent was free to chat: {chat.reference} is now a ticket"]
    notification = Notification.objects.get(recipient=user)
    assert notification.description == ("We will answer by email as soon as possible. You can "
                                         "add details on the ticket page meanwhile.")
    assert notification.target_url == f"/en/support/{chat.reference}/"
    [mail] = mailoutbox
    assert mail.to == [user.email] and chat.reference in mail.subject


def test_a_chat_younger_than_the_timeout_waits(chat, settings):
    assert chats_escalate(now=later(4.9)) == 0
    settings.SUPPORT_CHAT_TIMEOUT_MINUTES = 2
    assert chats_escalate(now=later(2.1)) == 1


def test_an_answered_chat_is_not_escalated(chat, agent, user):
    message_post(ticket=chat, author=agent, body="Hello, Mei here. How can I help?")
    assert chats_escalate(now=later(60)) == 0
    assert told(user) == [f"Support replied to {chat.reference}"]


def test_an_internal_note_is_no_answer(chat, agent):
    message_post(ticket=chat, author=agent, body="Taking this one", internal=True)
    assert chats_escalate(now=later(6)) == 1


def test_only_open_chats_are_escalated(make_ticket, chat, agent):
    make_ticket(subject="A web ticket")  # waits for its SLA, not for a chat reply
    ticket_change(ticket=chat, actor=agent, status=Status.RESOLVED)
    assert chats_escalate(now=later(60)) == 0


def test_waiting_chats_show_oldest_first_until_answered_or_escalated(make_ticket, chat, agent,
                                                                     supervisor):
    newer = make_ticket(channel=Ticket.Channel.CHAT, subject="Another chat")
    make_ticket(subject="A web ticket")
    Ticket.objects.filter(pk=newer.pk).update(created_at=timezone.now() + timedelta(minutes=1))
    assert list(waiting_chats(user=agent)) == [chat, newer]

    message_post(ticket=chat, author=agent, body="Hi!")
    assert list(waiting_chats(user=agent)) == [newer]
    chats_escalate(now=later(10))
    assert list(waiting_chats(user=supervisor)) == []


def test_the_beat_task_escalates_chats(chat):
    Ticket.objects.filter(pk=chat.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    assert sla_check.delay().get() == 1
    chat.refresh_from_db()
    assert chat.chat_escalated_at is not None
