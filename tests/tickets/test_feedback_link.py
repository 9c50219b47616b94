"""Send to feedback: one FeedbackItem per ticket, carrying the customer's own words (never
an internal note), linked both ways."""

import pytest
from django.core.exceptions import PermissionDenied

from feedback.models import FeedbackItem
from tests.tickets.services_fixtures import care_agent
from tickets.models import Event, Ticket
from tickets.services import message_post, ticket_merge, ticket_send_to_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(make_ticket, agent):
    """A ticket with an internal note written before the customer's second message."""
    ticket = make_ticket(subject="Add a dark mode to the app",
                         body="The white screen hurts at night.")
    message_post(ticket=ticket, author=agent, internal=True,
                 body="VIP customer, account 0x1234 — do not share.")
    message_post(ticket=ticket, author=agent, body="Thanks, passing it on!")
    message_post(ticket=ticket, author=ticket.requester, body="Also for the web site.")
    return ticket


def test_the_ticket_becomes_one_feedback_item_with_the_first_customer_message(ticket, user,
                                                                              agent):
    ref = ticket_send_to_feedback(ticket=ticket, actor=agent)

    item = FeedbackItem.objects.get()
    assert ref == str(item.pk)
    assert (item.source, item.source_ref) == ("tickets.ticket", ticket.reference)
    assert (item.title, item.body) == ("Add a dark mode to the app",
                                       "The white screen hurts at night.")
    assert (item.author, item.language, item.is_public) == (user, "en", False)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.feedback_ref == ref
    event = Event.objects.get(ticket=ticket, kind=Event.Kind.FEEDBACK)
    assert (event.actor, event.new_value, event.is_public) == (agent, ref, False)


def test_internal_notes_never_leave_the_ticket(ticket, agent):
    ticket_send_to_feedback(ticket=ticket, actor=agent)
    item = FeedbackItem.objects.get()
    assert "VIP" not in item.body and "0x1234" not in item.body


def test_sending_twice_makes_one_item(ticket, agent, supervisor):
    first = ticket_send_to_feedback(ticket=ticket, actor=agent)
    assert ticket_send_to_feedback(ticket=ticket, actor=supervisor) == first
    assert FeedbackItem.objects.count() == 1
    assert Event.objects.filter(kind=Event.Kind.FEEDBACK).count() == 1


def test_the_first_message_of_a_merged_pair_is_the_oldest_customer_message(make_ticket,
                                                                           agent):
    older = make_ticket(subject="Dark mode please", body="First ask.")
    newer = make_ticket(subject="Dark mode!!", body="Second ask.")
    ticket_merge(source=older, target=newer, actor=agent)
    ticket_send_to_feedback(ticket=newer, actor=agent)
    assert FeedbackItem.objects.get().body == "First ask."


def test_an_agent_who_does_not_handle_the_ticket_cannot_send_it(ticket, support_desk,
                                                                other_user):
    for person in (care_agent(support_desk), other_user):
        with pytest.raises(PermissionDenied):
            ticket_send_to_feedback(ticket=ticket, actor=person)
    assert not FeedbackItem.objects.exists()
