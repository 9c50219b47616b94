"""Bulk actions on the admin's ticket list: assign, set priority or status, merge, send to
feedback, accept suggestions. Each goes through the services (so it is in the audit trail) and
reaches only the tickets the agent handles."""

import pytest
from django.urls import reverse

from feedback.models import FeedbackItem
from tests.factories import UserFactory
from tests.tickets.services_fixtures import staff_member
from tickets.models import Event, Message, Ticket

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tickets_ticket_changelist")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def tickets(make_ticket, user):
    """Three payments tickets (``agent``'s team) of ``user``."""
    return [make_ticket(subject=f"Deposit {n} missing", category="deposits-withdrawals")
            for n in range(3)]


def act(client, action: str, tickets, **answer):
    """Run ``action`` on ``tickets``; ``answer``: the intermediate page's fields, posted back
    with "apply" (without it, the action's first post)."""
    data = {"action": action, "_selected_action": [t.pk for t in tickets]}
    if answer:
        data.update(answer, apply="Apply")
    else:
        data["index"] = 0
    return client.post(CHANGELIST, data, follow=not answer)


def told(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def refreshed(tickets) -> list[Ticket]:
    return list(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).order_by("pk"))


def test_assign_to_me(agent_client, agent, tickets):
    response = act(agent_client, "assign_to_me", tickets[:2])

    assert told(response) == ["2 tickets assigned to you."]
    assert [t.assignee for t in refreshed(tickets)] == [agent, agent, None]
    assert Event.objects.filter(kind=Event.Kind.ASSIGNEE, actor=agent).count() == 2


def test_assign_to_an_agent_asks_whom_then_assigns(agent_client, agent, tickets):
    bob = staff_member(username="bob", display_name="Bob Builder")

    page = act(agent_client, "assign_to", tickets[:1])
    assert page.status_code == 200 and "Bob Builder (@bob)" in page.content.decode()
    assert tickets[0].subject in page.content.decode()

    response = act(agent_client, "assign_to", tickets[:1], assignee=bob.pk)
    assert response.status_code == 302
    assert [t.assignee for t in refreshed(tickets)] == [bob, None, None]
    followed = agent_client.get(response["Location"])
    assert told(followed) == ["1 ticket assigned to Bob Builder."]


def test_assign_to_a_customer_is_refused(agent_client, tickets, user):
    page = act(agent_client, "assign_to", tickets[:1], assignee=user.pk)

    assert page.status_code == 200 and "Choose an agent from the list." in page.content.decode()
    assert [t.assignee for t in refreshed(tickets)] == [None, None, None]


def test_set_priority(agent_client, agent, tickets):
    act(agent_client, "set_priority", tickets[:2], priority="urgent")

    assert [t.priority for t in refreshed(tickets)] == ["urgent", "urgent", "normal"]
    assert Event.objects.filter(kind=Event.Kind.PRIORITY, actor=agent).count() == 2


def test_set_status_with_a_bad_value_changes_nothing(agent_client, tickets):
    page = act(agent_client, "set_status", tickets, status="exploded")
    assert "Choose a status from the list." in page.content.decode()
    assert {t.status for t in refreshed(tickets)} == {"new"}


def test_set_status(agent_client, agent, tickets):
    response = act(agent_client, "set_status", tickets, status="resolved")

    assert {t.status for t in refreshed(tickets)} == {"resolved"}
    assert told(agent_client.get(response["Location"])) == [
        "Status set to “resolved” on 3 tickets."]
    public = Event.objects.filter(kind=Event.Kind.STATUS, actor=agent, is_public=True)
    assert public.count() == 3


def test_merge_into_a_ticket_keeps_both_conversations(agent_client, agent, tickets):
    target, *sources = tickets

    response = act(agent_client, "merge_into", tickets, target=target.reference.lower())

    assert response.status_code == 302
    for source in refreshed(sources):
        assert source.merged_into == target and source.status == "closed"
    assert Message.objects.filter(ticket=target).count() == 3
    assert told(agent_client.get(response["Location"])) == [
        f"2 tickets merged into {target.reference}."]


def test_a_merge_that_fails_changes_no_ticket(agent_client, tickets, make_ticket):
    # Sources merge in pk order: the first would succeed, the stranger's fails.
    stranger = make_ticket(requester=UserFactory(), subject="Deposit elsewhere",
                           category="deposits-withdrawals")
    target, source = tickets[:2]

    page = act(agent_client, "merge_into", [target, source, stranger], target=target.reference)

    assert page.status_code == 200
    assert "Only tickets from the same requester can be merged." in page.content.decode()
    assert [t.merged_into for t in refreshed([source, stranger])] == [None, None]
    assert Message.objects.filter(ticket=target).count() == 1


@pytest.mark.parametrize("target, error", [
    ("hello", "“hello” is not a ticket reference: write it like T-000123."),
    ("T-999999", "There is no ticket T-999999 among the tickets you handle."),
    ("", "Enter the reference of the ticket to merge into."),
])
def test_merge_into_a_bad_reference_says_why(agent_client, tickets, target, error):
    page = act(agent_client, "merge_into", tickets, target=target)
    assert error in page.content.decode()
    assert all(t.merged_into is None for t in refreshed(tickets))


def test_merge_into_another_teams_ticket_is_refused(agent_client, tickets, make_ticket):
    theirs = make_ticket(subject="Order history empty", category="trading")
    page = act(agent_client, "merge_into", tickets, target=theirs.reference)
    assert f"There is no ticket {theirs.reference} among" in page.content.decode()


def test_merge_with_only_the_target_selected(agent_client, tickets):
    page = act(agent_client, "merge_into", tickets[:1], target=tickets[0].reference)
    assert "Select the tickets to merge into" in page.content.decode()


def test_send_to_feedback_twice_makes_one_item_per_ticket(agent_client, tickets):
    first = act(agent_client, "send_to_feedback", tickets[:2])
    again = act(agent_client, "send_to_feedback", tickets)

    assert told(first) == ["2 tickets sent to feedback."]
    assert told(again) == ["1 ticket sent to feedback."]
    assert sorted(FeedbackItem.objects.values_list("source_ref", flat=True)) == sorted(
        t.reference for t in tickets)
    assert all(t.feedback_ref for t in refreshed(tickets))


def test_accept_suggestions(agent_client, make_ticket, tickets):
    suggested = make_ticket(subject="Withdrawal stuck", category=None)
    response = act(agent_client, "accept_suggestion", [suggested, tickets[0]])

    assert told(response) == ["Suggestion accepted on 1 ticket."]
    suggested.refresh_from_db()
    assert (suggested.category.slug, suggested.priority) == ("deposits-withdrawals", "high")


def test_actions_never_reach_another_teams_tickets(agent_client, make_ticket):
    theirs = make_ticket(subject="Order history empty", category="trading")
    act(agent_client, "assign_to_me", [theirs])
    act(agent_client, "set_priority", [theirs], priority="urgent")

    theirs.refresh_from_db()
    assert theirs.assignee is None and theirs.priority == "normal"
