"""Merging keeps both conversations: the source's messages move to the target marked with
where they came from, both audit trails tell it, the source is closed pointing at the target.
Only one requester's tickets merge, never a ticket into itself, never along a chain."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.tickets.services_fixtures import at_once, care_agent
from tests.uploads import image_upload
from tickets.attachments import attachments_verify
from tickets.models import Event, Message, Ticket
from tickets.selectors import attachment_get, ticket_messages
from tickets.services import (
    message_post,
    ticket_change,
    ticket_merge,
    ticket_reopen,
    tickets_merge,
)

pytestmark = pytest.mark.django_db

Status = Ticket.Status


@pytest.fixture
def pair(make_ticket, agent):
    """Two conversations of ``user``: "source" (with an internal note and a screenshot) and
    "target" (answered)."""
    source = make_ticket(subject="Deposit missing", body="Sent 100 USDT an hour ago.")
    message_post(ticket=source, author=source.requester, body="Here is the screenshot",
                 files=attachments_verify(uploads=[image_upload("deposit.png")]))
    message_post(ticket=source, author=agent, body="Duplicate of the other one", internal=True)
    target = make_ticket(subject="Where is my deposit?", body="Still nothing!")
    message_post(ticket=target, author=agent, body="Checking the chain.")
    return Ticket.objects.get(pk=source.pk), Ticket.objects.get(pk=target.pk)


def merged_events(ticket) -> list[tuple[str, str]]:
    return [(e.old_value, e.new_value) for e in
            Event.objects.filter(ticket=ticket, kind=Event.Kind.MERGED)]


def test_merging_keeps_both_conversations(pair, user, agent):
    source, target = pair
    source_messages = set(source.messages.values_list("pk", flat=True))
    target_messages = set(target.messages.values_list("pk", flat=True))

    assert ticket_merge(source=source, target=target, actor=agent) == target

    moved = Message.objects.filter(pk__in=source_messages)
    assert {m.ticket_id for m in moved} == {target.pk}
    assert {m.merged_from_id for m in moved} == {source.pk}
    assert not Message.objects.filter(pk__in=target_messages, merged_from__isnull=False).exists()
    assert set(target.messages.values_list("pk", flat=True)) == source_messages | target_messages
    # The requester reads everything but the internal note, in order of writing.
    bodies = [m.body for m in ticket_messages(user=user, ticket=target)]
    assert bodies == ["Sent 100 USDT an hour ago.", "Here is the screenshot",
                      "Still nothing!", "Checking the chain."]


def test_the_source_is_closed_with_a_pointer_and_both_trails_tell_it(pair, agent):
    source, target = pair
    ticket_merge(source=source, target=target, actor=agent)

    source.refresh_from_db()
    assert source.merged_into == target and source.status == Status.CLOSED
    assert merged_events(source) == [("", target.reference)]
    assert merged_events(target) == [(source.reference, "")]
    assert all(e.is_public and e.actor == agent
               for e in Event.objects.filter(kind=Event.Kind.MERGED))
    assert Event.objects.filter(ticket=source, kind=Event.Kind.STATUS,
                                new_value="closed").exists()


def test_attachments_follow_their_messages(pair, user, agent):
    source, target = pair
    [attachment] = source.messages.get(body="Here is the screenshot").attachments.all()
    ticket_merge(source=source, target=target, actor=agent)
    assert attachment_get(user=user, reference=target.reference, pk=attachment.pk) == attachment
    with pytest.raises(Http404):
        attachment_get(user=user, reference=source.reference, pk=attachment.pk)


def test_tickets_of_different_requesters_never_merge(make_ticket, other_user, agent):
    mine = make_ticket()
    theirs = make_ticket(requester=other_user, subject="Their question")
    with pytest.raises(ValidationError) as caught:
        ticket_merge(source=theirs, target=mine, actor=agent)
    assert caught.value.messages == ["Only tickets from the same requester can be merged."]
    assert theirs.messages.count() == 1 and mine.messages.count() == 1
    assert not Event.objects.filter(kind=Event.Kind.MERGED).exists()


def test_a_ticket_never_merges_into_itself(pair, agent):
    source, _target = pair
    with pytest.raises(ValidationError) as caught:
        ticket_merge(source=source, target=source, actor=agent)
    assert caught.value.messages == ["A ticket cannot be merged into itself."]


def test_a_bulk_merge_of_only_the_target_is_refused_and_changes_nothing(pair, agent):
    _source, target = pair
    with pytest.raises(ValidationError) as caught:
        tickets_merge(tickets=Ticket.objects.filter(pk=target.pk), target=target, actor=agent)
    assert caught.value.messages == [
        f"Select the tickets to merge into {target.reference}, not only that one."]
    assert not Event.objects.filter(kind=Event.Kind.MERGED).exists()


def test_merging_into_a_merged_ticket_is_refused(pair, make_ticket, agent):
    source, target = pair
    third = make_ticket(subject="Third one")
    ticket_merge(source=source, target=target, actor=agent)

    with pytest.raises(ValidationError) as caught:
        ticket_merge(source=third, target=source, actor=agent)
    assert caught.value.messages == [
        f"{source.reference} was itself merged: merge into {target.reference}."]
    with pytest.raises(ValidationError):  # a merged ticket does not move on either
        ticket_merge(source=source, target=third, actor=agent)
    with pytest.raises(ValidationError):  # nor does the target come back round
        ticket_merge(source=target, target=source, actor=agent)
    assert third.messages.count() == 1
    assert Ticket.objects.get(pk=source.pk).merged_into == target


def test_merging_twice_into_the_same_target_changes_nothing(pair, agent):
    source, target = pair
    ticket_merge(source=source, target=target, actor=agent)
    ticket_merge(source=source, target=target, actor=agent)  # the double click
    assert len(merged_events(source)) == 1 and len(merged_events(target)) == 1


def test_tickets_merged_earlier_follow_to_the_new_target(pair, make_ticket, user, agent):
    source, target = pair
    earliest = make_ticket(subject="The very first")
    ticket_merge(source=earliest, target=source, actor=agent)
    ticket_merge(source=source, target=target, actor=agent)

    assert Ticket.objects.get(pk=earliest.pk).merged_into == target
    first = target.messages.get(body="The orders page stays empty since this morning.")
    assert first.merged_from_id == earliest.pk  # still says where it came from


def test_a_merged_ticket_cannot_be_reopened(pair, user, agent):
    source, target = pair
    ticket_merge(source=source, target=target, actor=agent)
    expected = [f"This ticket was merged into {target.reference}: reply there."]
    with pytest.raises(ValidationError) as caught:
        ticket_reopen(ticket=source, user=user)
    assert caught.value.messages == expected
    with pytest.raises(ValidationError) as caught:
        ticket_change(ticket=source, actor=agent, status=Status.OPEN)
    assert caught.value.messages == expected
    assert Ticket.objects.get(pk=source.pk).status == Status.CLOSED


def test_an_agent_who_does_not_handle_both_tickets_cannot_merge(pair, support_desk):
    source, target = pair
    with pytest.raises(PermissionDenied):
        ticket_merge(source=source, target=target, actor=care_agent(support_desk))
    assert Ticket.objects.get(pk=source.pk).merged_into is None


def test_the_bulk_merge_is_all_or_nothing(pair, make_ticket, other_user, agent):
    source, target = pair
    theirs = make_ticket(requester=other_user, subject="Someone else's")
    chosen = Ticket.objects.filter(pk__in=[source.pk, target.pk, theirs.pk])
    with pytest.raises(ValidationError):
        tickets_merge(tickets=chosen, target=target, actor=agent)
    assert not Ticket.objects.filter(merged_into__isnull=False).exists()
    assert not Event.objects.filter(kind=Event.Kind.MERGED).exists()

    chosen = Ticket.objects.filter(pk__in=[source.pk, target.pk])
    assert tickets_merge(tickets=chosen, target=target, actor=agent) == 1
    assert Ticket.objects.get(pk=source.pk).merged_into == target


def test_two_opposite_merges_at_the_same_moment_cannot_cross(postgres, transactional_db,
                                                             pair, agent):
    source, target = pair
    results = at_once(lambda: ticket_merge(source=source, target=target, actor=agent),
                      lambda: ticket_merge(source=target, target=source, actor=agent))

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    merged = Ticket.objects.filter(merged_into__isnull=False)
    assert merged.count() == 1  # one merged into the other, not each into the other
    survivor = merged.get().merged_into
    assert survivor.merged_into is None
    assert Message.objects.exclude(ticket=survivor).count() == 0
