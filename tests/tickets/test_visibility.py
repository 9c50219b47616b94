"""One selector decides who sees a ticket: ``tickets_visible``. Lists, detail lookups, the
conversation, attachments and the agents' own list all follow it; anyone else gets a 404."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.http import Http404

from tests.factories import UserFactory
from tests.tickets.services_fixtures import care_agent, staff_member
from tests.uploads import image_upload
from tickets.attachments import attachments_verify
from tickets.selectors import (
    attachment_get,
    my_tickets,
    ticket_get,
    ticket_messages,
    ticket_timeline,
    tickets_handled,
    tickets_visible,
    user_sees_internal,
)
from tickets.services import message_post, ticket_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(make_ticket):
    """A trading ticket of ``user``: the Account care team handles it, not ``agent``'s."""
    return make_ticket(category="trading")


def sees(person, ticket) -> bool:
    visible = tickets_visible(user=person).filter(pk=ticket.pk).exists()
    try:
        found = ticket_get(user=person, reference=ticket.reference) == ticket
    except Http404:
        found = False
    assert visible == found, "the list and the detail lookup disagree"
    return visible


def test_the_requester_sees_their_ticket_but_not_its_internal_notes(ticket, user):
    assert sees(user, ticket)
    assert list(my_tickets(user=user)) == [ticket]
    assert not user_sees_internal(user=user, ticket=ticket)
    assert not tickets_handled(user=user).exists()


def test_another_customer_sees_nothing(ticket, other_user):
    assert not sees(other_user, ticket)
    assert not my_tickets(user=other_user).exists()
    assert not tickets_handled(user=other_user).exists()


def test_an_agent_of_the_tickets_team_sees_it_and_its_notes(ticket, support_desk):
    carla = care_agent(support_desk)
    assert sees(carla, ticket)
    assert user_sees_internal(user=carla, ticket=ticket)
    assert list(tickets_handled(user=carla)) == [ticket]
    assert not my_tickets(user=carla).exists()  # not her own request


def test_an_agent_of_another_team_does_not(ticket, agent):
    assert not sees(agent, ticket)
    assert not user_sees_internal(user=agent, ticket=ticket)
    assert not tickets_handled(user=agent).exists()


def test_an_assignee_outside_the_team_sees_the_ticket_assigned_to_them(ticket, agent,
                                                                         supervisor):
    ticket_change(ticket=ticket, actor=supervisor, assignee=agent)
    assert sees(agent, ticket)
    assert user_sees_internal(user=agent, ticket=ticket)
    ticket_change(ticket=ticket, actor=supervisor, assignee=None)
    assert not sees(agent, ticket)


def test_a_supervisor_and_a_superuser_see_every_ticket(ticket, supervisor):
    admin = UserFactory(username="root_admin", is_staff=True, is_superuser=True)
    for person in (supervisor, admin):
        assert sees(person, ticket)
        assert user_sees_internal(user=person, ticket=ticket)
        assert list(tickets_handled(user=person)) == [ticket]


def test_the_supervisor_permission_given_to_the_user_directly_counts_too(ticket):
    lead = staff_member(username="lead", group=None)
    assert not sees(lead, ticket)
    lead.user_permissions.add(Permission.objects.get(codename="view_all_tickets"))
    lead = type(lead).objects.get(pk=lead.pk)  # permissions are cached per user object
    assert sees(lead, ticket)


def test_the_supervisor_permission_without_staff_status_is_not_enough(ticket):
    former = UserFactory(username="former_lead")
    former.user_permissions.add(Permission.objects.get(codename="view_all_tickets"))
    assert not sees(former, ticket)


def test_inactive_users_see_nothing_not_even_their_own(ticket, user, support_desk,
                                                       supervisor):
    carla = care_agent(support_desk)
    for person in (user, carla, supervisor):
        person.is_active = False
        person.save()
        assert not sees(person, ticket)
        assert not user_sees_internal(user=person, ticket=ticket)
        assert not tickets_handled(user=person).exists()


def test_anonymous_sees_nothing(ticket):
    anonymous = AnonymousUser()
    assert not tickets_visible(user=anonymous).exists()
    assert not tickets_handled(user=anonymous).exists()
    with pytest.raises(Http404):
        ticket_get(user=anonymous, reference=ticket.reference)
    assert not user_sees_internal(user=anonymous, ticket=ticket)


def test_staff_outside_support_see_only_their_own_requests(ticket, make_ticket):
    editor = staff_member(username="blog_editor", group=None)
    assert not sees(editor, ticket)
    own = make_ticket(requester=editor, subject="My own question")
    assert sees(editor, own)
    assert not user_sees_internal(user=editor, ticket=own)


def test_a_customer_put_in_a_team_by_mistake_gets_nothing_from_it(ticket, support_desk,
                                                                  other_user):
    support_desk.teams["account-care"].members.add(other_user)
    assert not sees(other_user, ticket)


@pytest.mark.parametrize("spelling", ["{ref}", "{ref_lower}", "{pk}", "T-{pk}", " {ref} "])
def test_a_reference_may_be_written_several_ways(ticket, user, spelling):
    reference = spelling.format(ref=ticket.reference, ref_lower=ticket.reference.lower(),
                                pk=ticket.pk)
    assert ticket_get(user=user, reference=reference) == ticket


@pytest.mark.parametrize("reference", ["", "T-", "T-0", "abc", "T-１", "1; DROP", "9" * 40,
                                       "T-999999"])
def test_anything_but_a_visible_reference_is_a_404(ticket, user, reference):
    with pytest.raises(Http404):
        ticket_get(user=user, reference=reference)


@pytest.fixture
def conversation(ticket, support_desk):
    """The ticket with a public reply and an internal note (each with an attachment)."""
    carla = care_agent(support_desk)
    reply = message_post(ticket=ticket, author=carla, body="Could you send a screenshot?",
                         files=attachments_verify(uploads=[image_upload("public.png")]))
    note = message_post(ticket=ticket, author=carla, internal=True,
                        body="Looks like the **known** bug, see JIRA-42.",
                        files=attachments_verify(uploads=[image_upload("internal.png")]))
    return carla, reply, note


def test_internal_notes_are_hidden_from_the_requester(ticket, user, conversation):
    carla, reply, note = conversation
    assert note not in ticket_messages(user=user, ticket=ticket)
    assert reply in ticket_messages(user=user, ticket=ticket)
    assert note in ticket_messages(user=carla, ticket=ticket)


def test_internal_note_attachments_are_a_404_for_the_requester(ticket, user, other_user,
                                                                agent, conversation):
    carla, reply, note = conversation
    [public] = reply.attachments.all()
    [internal] = note.attachments.all()
    assert attachment_get(user=user, reference=ticket.reference, pk=public.pk) == public
    assert attachment_get(user=carla, reference=ticket.reference, pk=internal.pk) == internal
    for person, pk in ((user, internal.pk), (other_user, public.pk), (agent, public.pk),
                       (AnonymousUser(), public.pk)):
        with pytest.raises(Http404):
            attachment_get(user=person, reference=ticket.reference, pk=pk)


def test_an_attachment_is_found_only_under_its_own_ticket(ticket, user, make_ticket,
                                                          conversation):
    _carla, reply, _note = conversation
    [public] = reply.attachments.all()
    mine_too = make_ticket(subject="Another question of mine")
    with pytest.raises(Http404):
        attachment_get(user=user, reference=mine_too.reference, pk=public.pk)


def test_the_customers_timeline_shows_public_events_only(ticket, supervisor):
    ticket_change(ticket=ticket, actor=supervisor, assignee=supervisor, status="waiting")
    public = [(e.kind, e.new_value) for e in ticket_timeline(ticket=ticket)]
    everything = [e.kind for e in ticket_timeline(ticket=ticket, public_only=False)]
    assert public == [("created", "web"), ("status", "waiting")]
    assert "assignee" in everything


def test_reading_a_long_conversation_costs_a_fixed_number_of_queries(
        ticket, user, conversation, django_assert_num_queries):
    carla, *_ = conversation
    for n in range(10):
        message_post(ticket=ticket, author=user, body=f"More details {n}",
                     files=attachments_verify(uploads=[image_upload(f"shot{n}.png")]))
    for person, queries in ((user, 2), (carla, 3)):
        with django_assert_num_queries(queries):
            messages = list(ticket_messages(user=person, ticket=ticket))
            names = [a.name for m in messages for a in m.attachments.all()]
            authors = {m.author.username for m in messages}
        assert len(names) == len(messages) - 1  # every message but the first has a file
        assert authors == {user.username, carla.username}


def test_the_lists_cost_one_query_whatever_the_agent(ticket, support_desk, user, supervisor,
                                                     django_assert_num_queries):
    carla = care_agent(support_desk)
    for person in (carla, supervisor, user):
        person.has_perm("tickets.view_all_tickets")  # loaded once per request anyway
        with django_assert_num_queries(1):
            list(tickets_visible(user=person))
    with django_assert_num_queries(2):  # the tickets, then their categories' translations
        list(my_tickets(user=user))
