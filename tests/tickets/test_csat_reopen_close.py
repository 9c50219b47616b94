"""The requester's own actions: close, reopen within SUPPORT_REOPEN_DAYS, and rate the help
(1 to 5, once the ticket is resolved). Nobody else may do them; doing one twice does it once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.tickets.services_fixtures import reload, told
from tickets.models import Event, Ticket
from tickets.selectors import reopen_until, ticket_actions
from tickets.services import (
    ticket_change,
    ticket_close,
    ticket_merge,
    ticket_rate,
    ticket_reopen,
)

pytestmark = pytest.mark.django_db

Status = Ticket.Status


@pytest.fixture
def resolved(make_ticket, agent):
    """A ticket of ``user`` that ``agent`` has just resolved."""
    ticket = make_ticket()
    ticket_change(ticket=ticket, actor=agent, status=Status.RESOLVED)
    return Ticket.objects.get(pk=ticket.pk)


def status_events(ticket) -> list[str]:
    return list(Event.objects.filter(ticket=ticket, kind=Event.Kind.STATUS)
                .values_list("new_value", flat=True))


def resolved_days_ago(ticket, days: float) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(
        resolved_at=timezone.now() - timedelta(days=days))


def test_the_requester_closes_their_ticket_once(make_ticket, user):
    ticket = make_ticket()
    closed = ticket_close(ticket=ticket, user=user)
    assert closed.status == Status.CLOSED and closed.resolved_at is not None
    ticket_close(ticket=ticket, user=user)  # the double click
    assert status_events(ticket) == ["closed"]
    assert told(user) == []  # nobody tells you what you did yourself


def test_nobody_else_closes_reopens_or_rates_it(resolved, other_user, agent, supervisor):
    for person in (other_user, agent, supervisor):
        for action in (lambda p: ticket_close(ticket=resolved, user=p),
                       lambda p: ticket_reopen(ticket=resolved, user=p),
                       lambda p: ticket_rate(ticket=resolved, user=p, score=5)):
            with pytest.raises(PermissionDenied):
                action(person)
    assert reload(resolved).status == Status.RESOLVED
    assert reload(resolved).csat_score is None


def test_a_resolved_ticket_is_reopened_within_the_window(resolved, user):
    resolved_days_ago(resolved, 6.9)
    reopened = ticket_reopen(ticket=resolved, user=user)
    assert reopened.status == Status.OPEN and reopened.resolved_at is None
    ticket_reopen(ticket=resolved, user=user)  # the double click
    assert status_events(resolved) == ["resolved", "open"]


def test_a_closed_ticket_is_reopened_within_the_window_too(make_ticket, user):
    ticket = make_ticket()
    ticket_close(ticket=ticket, user=user)
    assert ticket_reopen(ticket=ticket, user=user).status == Status.OPEN


def test_after_the_window_the_customer_opens_a_new_ticket(resolved, user):
    resolved_days_ago(resolved, 7.01)
    with pytest.raises(ValidationError) as caught:
        ticket_reopen(ticket=resolved, user=user)
    assert caught.value.messages == [
        "This ticket was resolved more than 7 days ago: please open a new one."]
    assert reload(resolved).status == Status.RESOLVED


def test_the_window_follows_the_setting(resolved, user, settings):
    settings.SUPPORT_REOPEN_DAYS = 2
    resolved_days_ago(resolved, 3)
    with pytest.raises(ValidationError) as caught:
        ticket_reopen(ticket=resolved, user=user)
    assert "more than 2 days ago" in caught.value.messages[0]


@pytest.mark.parametrize("days", [0.5, 1.99, 2.01, 5])
def test_the_page_offers_reopening_exactly_when_the_service_allows_it(resolved, user,
                                                                       settings, days):
    settings.SUPPORT_REOPEN_DAYS = 2
    resolved_days_ago(resolved, days)
    resolved = reload(resolved)
    until = reopen_until(resolved)
    if days < 2:
        assert until == resolved.resolved_at + timedelta(days=2)
        assert ticket_reopen(ticket=resolved, user=user).status == Status.OPEN
    else:
        assert until is None
        with pytest.raises(ValidationError):
            ticket_reopen(ticket=resolved, user=user)


def test_a_merged_or_open_ticket_has_no_reopen_window(resolved, make_ticket, agent):
    assert reopen_until(make_ticket()) is None
    Ticket.objects.filter(pk=resolved.pk).update(merged_into=make_ticket())
    assert reopen_until(reload(resolved)) is None


def test_reopening_an_open_ticket_does_nothing(make_ticket, user):
    ticket = make_ticket()
    assert ticket_reopen(ticket=ticket, user=user).status == Status.NEW
    assert status_events(ticket) == []


@pytest.mark.parametrize("status", [Status.NEW, Status.OPEN, Status.WAITING, Status.ON_HOLD])
def test_an_unresolved_ticket_cannot_be_rated(make_ticket, user, agent, status):
    ticket = make_ticket()
    ticket_change(ticket=ticket, actor=agent, status=status)
    with pytest.raises(ValidationError) as caught:
        ticket_rate(ticket=ticket, user=user, score=5)
    assert caught.value.messages == ["You can rate the help once your ticket is resolved."]
    assert reload(ticket).csat_score is None


@pytest.mark.parametrize("score", [0, 6, -1, "5", None, True, 4.5])
def test_only_a_score_from_1_to_5_is_taken(resolved, user, score):
    with pytest.raises(ValidationError) as caught:
        ticket_rate(ticket=resolved, user=user, score=score)
    assert caught.value.messages == ["Choose a rating from 1 to 5."]
    assert reload(resolved).csat_score is None


def test_the_requester_rates_a_resolved_ticket_and_may_change_the_rating(resolved, user):
    rated = ticket_rate(ticket=resolved, user=user, score=4, comment="  Quick, thanks!  ")
    assert (rated.csat_score, rated.csat_comment) == (4, "Quick, thanks!")
    assert reload(resolved).csat_at is not None

    ticket_rate(ticket=resolved, user=user, score=4, comment="Quick, thanks!")  # again
    ticket_rate(ticket=resolved, user=user, score=5)
    ticket = reload(resolved)
    assert (ticket.csat_score, ticket.csat_comment) == (5, "")
    csat = Event.objects.filter(ticket=ticket, kind=Event.Kind.CSAT)
    assert [(e.old_value, e.new_value) for e in csat] == [("", "4"), ("4", "5")]
    assert not any(e.is_public for e in csat)


@pytest.mark.parametrize("score", range(1, 6))
def test_every_score_of_a_closed_ticket_is_taken(make_ticket, user, score):
    ticket = make_ticket()
    ticket_close(ticket=ticket, user=user)
    assert ticket_rate(ticket=ticket, user=user, score=score).csat_score == score


def test_a_long_comment_is_cut(resolved, user):
    assert len(ticket_rate(ticket=resolved, user=user, score=3,
                           comment="x" * 5000).csat_comment) == 2000


def test_the_page_offers_the_requester_close_on_an_open_ticket_and_rating_once_resolved(
        make_ticket, resolved, user, agent):
    ticket = make_ticket()
    mine = ticket_actions(user=user, ticket=ticket)
    assert (mine.can_reply, mine.can_close, mine.can_rate, mine.reopen_until) == (
        True, True, False, None)
    theirs = ticket_actions(user=agent, ticket=ticket)
    assert (theirs.is_requester, theirs.can_reply, theirs.can_close, theirs.can_rate) == (
        False, True, False, False)

    done = ticket_actions(user=user, ticket=resolved)
    assert (done.can_reply, done.can_close, done.can_rate) == (True, False, True)
    assert done.reopen_until == reopen_until(resolved)


def test_a_merged_ticket_offers_nothing_but_its_page(make_ticket, user, agent):
    source, target = make_ticket(), make_ticket()
    ticket_merge(source=source, target=target, actor=agent)
    merged = Ticket.objects.get(pk=source.pk)
    for person in (user, agent):
        actions = ticket_actions(user=person, ticket=merged)
        assert (actions.can_reply, actions.can_close, actions.can_rate,
                actions.reopen_until) == (False, False, False, None)
