"""message_post: who may write what, what a reply does to the ticket, and who is told (in
the app and by email, in their own language)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory
from tests.tickets.services_fixtures import at_once, care_agent, reload, rewind, told
from tickets.models import Event, Message, Ticket
from tickets.services import message_post, ticket_change, ticket_create, ticket_merge

pytestmark = pytest.mark.django_db

Status = Ticket.Status


@pytest.fixture
def ticket(make_ticket):
    return make_ticket()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the services leave for after the commit (the email
    tasks, eagerly), as the end of a request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.parametrize(("body", "files"), [("", ()), ("  \n ", ()), (None, ())])
def test_an_empty_message_is_refused(ticket, user, body, files):
    with pytest.raises(ValidationError) as caught:
        message_post(ticket=ticket, author=user, body=body, files=files)
    assert caught.value.messages == ["Write a message first."]
    assert ticket.messages.count() == 1


def test_a_stranger_or_an_agent_of_another_team_cannot_post(ticket, other_user, support_desk):
    for person in (other_user, care_agent(support_desk)):
        with pytest.raises(PermissionDenied):
            message_post(ticket=ticket, author=person, body="Let me in")
    assert ticket.messages.count() == 1


def test_a_customer_cannot_write_an_internal_note(ticket, user):
    with pytest.raises(PermissionDenied):
        message_post(ticket=ticket, author=user, body="psst", internal=True)
    assert ticket.messages.count() == 1


def test_a_deactivated_requester_cannot_post(ticket, user):
    user.is_active = False
    user.save()
    with pytest.raises(PermissionDenied):
        message_post(ticket=ticket, author=user, body="Still there?")


def test_the_customers_reply_reopens_a_ticket_waiting_on_them_and_restarts_the_clock(
        ticket, user, agent):
    message_post(ticket=ticket, author=agent, body="Which coin was it?")
    ticket_change(ticket=ticket, actor=agent, status=Status.WAITING)
    waiting = rewind(reload(ticket), by=timedelta(hours=3), fields=["sla_paused_at"])
    assert waiting.sla_paused_at is not None

    message_post(ticket=ticket, author=user, body="USDT on TRC-20.")

    ticket = reload(ticket)
    assert ticket.status == Status.OPEN and ticket.sla_paused_at is None
    moved = ticket.resolution_due - waiting.resolution_due
    assert timedelta(hours=3) <= moved < timedelta(hours=3, minutes=1)
    assert ticket.first_response_due == waiting.first_response_due  # met already
    status = Event.objects.filter(ticket=ticket, kind=Event.Kind.STATUS).last()
    assert (status.actor, status.old_value, status.new_value, status.is_public) == (
        user, "waiting", "open", True)


def test_a_customer_reply_on_a_new_ticket_keeps_it_new_and_notes_the_time(ticket, user):
    before = reload(ticket).last_customer_reply_at
    message_post(ticket=ticket, author=user, body="Also: it happens on the app.")
    ticket = reload(ticket)
    assert ticket.status == Status.NEW
    assert ticket.last_customer_reply_at > before


def test_the_first_public_staff_reply_stops_the_first_response_clock(ticket, agent):
    message = message_post(ticket=ticket, author=agent, body="Looking into it.")
    ticket = reload(ticket)
    assert message.is_staff_reply and not message.is_internal
    assert ticket.status == Status.OPEN
    first = ticket.first_response_at
    assert first is not None
    assert ticket.sla_due == ticket.resolution_due

    message_post(ticket=ticket, author=agent, body="Found it.")
    assert reload(ticket).first_response_at == first


def test_an_internal_note_changes_nothing_and_tells_nobody(ticket, user, agent, committed,
                                                          mailoutbox):
    ticket_change(ticket=ticket, actor=agent, assignee=agent)
    before = reload(ticket)
    with committed():
        note = message_post(ticket=ticket, author=agent, body="Probably the indexer lag.",
                            internal=True)
    ticket = reload(ticket)
    assert note.is_internal and note.is_staff_reply
    assert (ticket.status, ticket.first_response_at) == (Status.NEW, None)
    assert ticket.last_customer_reply_at == before.last_customer_reply_at
    assert ticket.sla_due == before.sla_due
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_the_requester_is_told_of_every_public_staff_reply_in_app_and_by_email(
        ticket, user, agent, committed, mailoutbox):
    with committed():
        message_post(ticket=ticket, author=agent, body="Looking into it.")
        message_post(ticket=ticket, author=agent, body="Fixed: please check again.")

    reference = ticket.reference
    assert told(user) == [f"Support replied to {reference}"] * 2
    latest = Notification.objects.filter(recipient=user).latest("id")
    assert (latest.actor, latest.description) == (agent, "Fixed: please check again.")
    assert latest.target_url == f"/en/support/{reference}/"
    assert [mail.to for mail in mailoutbox] == [[user.email]] * 2
    assert mailoutbox[0].subject == f"[OKX Community] Support replied to {reference}"
    assert told(agent) == []


def test_the_requester_is_told_of_a_status_change(ticket, user, agent, committed, mailoutbox):
    with committed():
        ticket_change(ticket=ticket, actor=agent, status=Status.WAITING)
    assert told(user) == [f"{ticket.reference} is now “Waiting on you”"]
    assert [mail.to for mail in mailoutbox] == [[user.email]]


def test_a_chinese_requester_is_told_in_chinese(support_desk, agent, committed, mailoutbox):
    """The texts as the lead's zh_Hans catalogue translates them (see the report)."""
    xiaoming = UserFactory(username="xiaoming", language="zh-hans")
    ticket = ticket_create(requester=xiaoming, subject="订单记录不见了", body="三个小时了",
                           category=support_desk.categories["deposits-withdrawals"])
    with committed():
        message_post(ticket=ticket, author=agent, body="请提供订单号。")
        ticket_change(ticket=ticket, actor=agent, status=Status.WAITING)

    reference = ticket.reference
    assert told(xiaoming) == [f"客服已回复 {reference}",
                              f"{reference} 的状态已变为“待您回复”"]
    assert mailoutbox[0].subject == f"【OKX 社区】客服已回复 {reference}"
    assert Notification.objects.filter(recipient=xiaoming).first().target_url == \
        f"/zh-hans/support/{reference}/"


def test_the_assignee_is_told_of_customer_replies_only(ticket, user, agent):
    message_post(ticket=ticket, author=user, body="Anyone there?")  # nobody assigned yet
    assert not Notification.objects.exists()

    ticket_change(ticket=ticket, actor=agent, assignee=agent)
    message_post(ticket=ticket, author=user, body="It is urgent.")
    message_post(ticket=ticket, author=agent, body="On it.")
    message_post(ticket=ticket, author=agent, body="note", internal=True)

    assert told(agent) == [f"New reply from the customer on {ticket.reference}"]
    notification = Notification.objects.get(recipient=agent)
    assert notification.description == "It is urgent."
    assert notification.target_url == f"/admin/tickets/ticket/{ticket.pk}/change/"
    assert told(user) == [f"Support replied to {ticket.reference}"]


def test_a_customer_cannot_reply_to_a_closed_ticket(ticket, user, agent):
    ticket_change(ticket=ticket, actor=agent, status=Status.CLOSED)
    with pytest.raises(ValidationError) as caught:
        message_post(ticket=ticket, author=user, body="One more thing")
    assert caught.value.messages == ["This ticket is closed. Reopen it or open a new one."]
    assert ticket.messages.count() == 1


def test_a_customer_reply_reopens_a_recently_resolved_ticket(ticket, user, agent):
    ticket_change(ticket=ticket, actor=agent, status=Status.RESOLVED)
    message_post(ticket=ticket, author=user, body="It broke again")
    ticket = reload(ticket)
    assert ticket.status == Status.OPEN and ticket.resolved_at is None


def test_a_customer_reply_to_a_long_resolved_ticket_is_refused(ticket, user, agent):
    ticket_change(ticket=ticket, actor=agent, status=Status.RESOLVED)
    Ticket.objects.filter(pk=ticket.pk).update(
        resolved_at=timezone.now() - timedelta(days=8))
    with pytest.raises(ValidationError) as caught:
        message_post(ticket=ticket, author=user, body="It broke again")
    assert "more than 7 days ago" in caught.value.messages[0]
    assert reload(ticket).status == Status.RESOLVED


def test_nobody_replies_on_a_merged_ticket(make_ticket, user, agent):
    source, target = make_ticket(subject="First"), make_ticket(subject="Second")
    ticket_merge(source=source, target=target, actor=agent)
    for person in (user, agent):
        with pytest.raises(ValidationError) as caught:
            message_post(ticket=source, author=person, body="Hello?")
        assert caught.value.messages == [
            f"This ticket was merged into {target.reference}: reply there."]


def test_a_double_click_posts_the_message_once(ticket, user, agent, committed, mailoutbox):
    ticket_change(ticket=ticket, actor=agent, assignee=agent)
    with committed():
        first = message_post(ticket=ticket, author=user, body="Any news?")
        again = message_post(ticket=ticket, author=user, body="Any news?")
    assert again == first
    assert ticket.messages.filter(body="Any news?").count() == 1
    assert len(told(agent)) == 1 and len(mailoutbox) == 1


def test_the_same_words_later_or_from_someone_else_are_new_messages(ticket, user, agent):
    message_post(ticket=ticket, author=user, body="ok")
    message_post(ticket=ticket, author=agent, body="ok")
    Message.objects.filter(ticket=ticket).update(
        created_at=timezone.now() - timedelta(minutes=5))
    message_post(ticket=ticket, author=user, body="ok")
    assert ticket.messages.filter(body="ok").count() == 3


def test_posting_costs_a_bounded_number_of_queries(ticket, user, agent,
                                                   django_assert_max_num_queries):
    ticket_change(ticket=ticket, actor=agent, assignee=agent)
    message_post(ticket=ticket, author=agent, body="warm up")
    with django_assert_max_num_queries(10):
        message_post(ticket=ticket, author=user, body="A reply")
    with django_assert_max_num_queries(10):
        message_post(ticket=ticket, author=agent, body="An answer")


def test_two_clicks_at_the_same_moment_post_one_message(postgres, transactional_db, ticket,
                                                        user, agent):
    ticket_change(ticket=ticket, actor=agent, assignee=agent)

    def click():
        return message_post(ticket=ticket, author=user, body="Any news?")

    first, second = at_once(click, click)
    assert first == second
    assert ticket.messages.filter(body="Any news?").count() == 1
    assert len(told(agent)) == 1


def test_a_message_is_rendered_once_when_written_and_sanitised(ticket, agent):
    message = message_post(ticket=ticket, author=agent,
                           body="Credited **now**.<script>alert(1)</script>")
    stored = Message.objects.get(pk=message.pk).body_html
    assert "Credited <strong>now</strong>." in stored and "<script" not in stored
    first = ticket.messages.order_by("pk").first()
    assert first.body_html == "<p>The orders page stays empty since this morning.</p>"
