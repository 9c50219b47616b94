"""The SLA clock: it pauses while the ticket waits on the customer (and while it is resolved),
a priority change sets new targets but keeps the paused time, and the beat marks each breach
once and tells the assignee and the team (or the supervisors)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.tickets.services_fixtures import (
    at_once,
    care_agent,
    reload,
    rewind,
    staff_member,
    told,
)
from tickets.models import Event, SLAPolicy, Ticket
from tickets.selectors import SLAState, ticket_sla_state
from tickets.services import message_post, sla_breaches_mark, ticket_change, ticket_reopen
from tickets.tasks import sla_check

pytestmark = pytest.mark.django_db

Status = Ticket.Status
MINUTE = timedelta(minutes=1)


@pytest.fixture
def ticket(make_ticket):
    return make_ticket()


def minutes(priority: str) -> tuple[timedelta, timedelta]:
    policy = SLAPolicy.objects.get(priority=priority)
    return (timedelta(minutes=policy.first_response_minutes),
            timedelta(minutes=policy.resolution_minutes))


def wait_on_customer(ticket, agent, *, hours: float) -> Ticket:
    """Set the ticket waiting on the customer, ``hours`` ago."""
    ticket_change(ticket=ticket, actor=agent, status=Status.WAITING)
    return rewind(reload(ticket), by=timedelta(hours=hours), fields=["sla_paused_at"])


def breaches(ticket) -> list[str]:
    return list(Event.objects.filter(ticket=ticket, kind=Event.Kind.SLA_BREACH)
                .values_list("new_value", flat=True))


def test_waiting_on_the_customer_pauses_the_clock_and_moves_the_dues_by_the_pause(
        ticket, agent):
    before = reload(ticket)
    paused = wait_on_customer(ticket, agent, hours=2)
    assert paused.sla_paused_at is not None
    assert paused.first_response_due == before.first_response_due  # not yet

    ticket_change(ticket=ticket, actor=agent, status=Status.OPEN)

    after = reload(ticket)
    assert after.sla_paused_at is None
    for field in ("first_response_due", "resolution_due"):
        moved = getattr(after, field) - getattr(before, field)
        assert timedelta(hours=2) <= moved < timedelta(hours=2) + MINUTE


def test_a_met_first_response_stays_as_it_was(ticket, agent):
    message_post(ticket=ticket, author=agent, body="Which network?")
    before = reload(ticket)
    wait_on_customer(ticket, agent, hours=1)
    ticket_change(ticket=ticket, actor=agent, status=Status.OPEN)
    after = reload(ticket)
    assert after.first_response_due == before.first_response_due
    assert after.resolution_due - before.resolution_due >= timedelta(hours=1)


def test_a_priority_change_sets_the_new_targets_and_keeps_the_paused_time(ticket, agent):
    wait_on_customer(ticket, agent, hours=1)
    ticket_change(ticket=ticket, actor=agent, status=Status.OPEN)  # dues moved by 1 h

    ticket_change(ticket=ticket, actor=agent, priority=Ticket.Priority.URGENT)

    ticket = reload(ticket)
    first, resolution = minutes("urgent")
    for due, target in ((ticket.first_response_due, first),
                        (ticket.resolution_due, resolution)):
        extra = due - (ticket.created_at + target)
        assert timedelta(hours=1) - MINUTE < extra < timedelta(hours=1) + MINUTE
    event = Event.objects.get(ticket=ticket, kind=Event.Kind.PRIORITY)
    assert (event.old_value, event.new_value, event.actor) == ("normal", "urgent", agent)


def test_a_priority_change_while_paused_counts_the_pause_once_resumed(ticket, agent):
    wait_on_customer(ticket, agent, hours=1)
    ticket_change(ticket=ticket, actor=agent, priority=Ticket.Priority.HIGH)
    paused = reload(ticket)
    assert paused.sla_paused_at is not None
    first, _resolution = minutes("high")
    assert abs(paused.first_response_due - (paused.created_at + first)) < MINUTE

    ticket_change(ticket=ticket, actor=agent, status=Status.OPEN)
    moved = reload(ticket).first_response_due - paused.first_response_due
    assert timedelta(hours=1) <= moved < timedelta(hours=1) + MINUTE


def test_a_priority_without_target_has_no_due_time(ticket, agent):
    SLAPolicy.objects.filter(priority="low").delete()
    ticket_change(ticket=ticket, actor=agent, priority=Ticket.Priority.LOW)
    ticket = reload(ticket)
    assert ticket.first_response_due is None and ticket.resolution_due is None


def overdue(ticket, *fields) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(
        **{field: timezone.now() - MINUTE for field in fields})
    return reload(ticket)


def test_a_breach_is_marked_once_with_an_event_and_the_assignee_and_team_are_told(
        ticket, support_desk, agent, supervisor):
    carla = care_agent(support_desk)  # of another team
    colleague = staff_member(username="colleague", teams=[support_desk.teams["payments"]])
    ticket_change(ticket=ticket, actor=supervisor, assignee=carla)  # from another team
    overdue(ticket, "first_response_due")

    assert sla_breaches_mark() == 1
    assert sla_breaches_mark() == 0  # the next minute's run

    ticket = reload(ticket)
    assert ticket.first_response_breached_at is not None
    assert ticket.resolution_breached_at is None
    assert breaches(ticket) == ["first_response_breached_at"]
    expected = [f"First response overdue on {ticket.reference}"]
    for person in (agent, colleague, carla):
        assert told(person) == expected
    assert told(supervisor) == []
    assert told(ticket.requester) == []
    assert not Event.objects.get(ticket=ticket, kind=Event.Kind.SLA_BREACH).is_public


def test_both_deadlines_are_marked_and_told_separately(ticket, agent):
    overdue(ticket, "first_response_due", "resolution_due")
    assert sla_breaches_mark() == 2
    assert sorted(breaches(ticket)) == ["first_response_breached_at", "resolution_breached_at"]
    assert told(agent) == [f"First response overdue on {ticket.reference}",
                           f"Resolution overdue on {ticket.reference}"]


def test_a_ticket_of_no_team_tells_the_supervisors(ticket, agent, supervisor):
    admin = UserFactory(username="root_admin", is_staff=True, is_superuser=True)
    inactive = staff_member(username="gone", group="Support supervisors", is_active=False)
    plain_staff = staff_member(username="blog_editor", group=None)
    ticket_change(ticket=ticket, actor=supervisor, team=None)
    overdue(ticket, "first_response_due")

    assert sla_breaches_mark() == 1
    expected = [f"First response overdue on {ticket.reference}"]
    assert told(supervisor) == expected and told(admin) == expected
    for person in (agent, inactive, plain_staff):
        assert told(person) == []


def test_a_paused_ticket_never_breaches(ticket, agent):
    wait_on_customer(ticket, agent, hours=10)
    overdue(ticket, "first_response_due", "resolution_due")
    assert sla_breaches_mark() == 0
    assert breaches(ticket) == []


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
def test_a_resolved_or_closed_ticket_never_breaches(ticket, agent, status):
    ticket_change(ticket=ticket, actor=agent, status=status)
    overdue(ticket, "first_response_due", "resolution_due")
    assert sla_breaches_mark() == 0


def test_a_ticket_on_hold_still_runs_and_breaches(ticket, agent):
    ticket_change(ticket=ticket, actor=agent, status=Status.ON_HOLD)
    overdue(ticket, "resolution_due")
    assert sla_breaches_mark() == 1


def test_an_answered_ticket_does_not_breach_its_first_response(ticket, agent):
    message_post(ticket=ticket, author=agent, body="Hello!")
    overdue(ticket, "first_response_due")
    assert sla_breaches_mark() == 0


def test_the_days_a_ticket_was_resolved_do_not_count_once_reopened(ticket, user, agent):
    message_post(ticket=ticket, author=agent, body="Done.")
    ticket_change(ticket=ticket, actor=agent, status=Status.RESOLVED)
    resolved = rewind(reload(ticket), by=timedelta(days=3),
                      fields=["resolved_at", "sla_paused_at"])
    ticket_reopen(ticket=ticket, user=user)

    reopened = reload(ticket)
    moved = reopened.resolution_due - resolved.resolution_due
    assert timedelta(days=3) <= moved < timedelta(days=3) + MINUTE
    assert sla_breaches_mark() == 0


def test_the_beat_task_marks_breaches(ticket, agent):
    overdue(ticket, "first_response_due")
    assert sla_check.delay().get() == 1
    assert reload(ticket).first_response_breached_at is not None
    assert told(agent) == [f"First response overdue on {ticket.reference}"]


def test_two_workers_checking_at_the_same_moment_mark_a_breach_once(
        postgres, transactional_db, ticket, agent):
    overdue(ticket, "first_response_due", "resolution_due")
    results = at_once(sla_breaches_mark, sla_breaches_mark, sla_breaches_mark)
    assert sum(results) == 2, results
    assert sorted(breaches(ticket)) == ["first_response_breached_at", "resolution_breached_at"]
    assert len(told(agent)) == 2


def test_the_sla_state_follows_the_next_deadline_the_pause_and_the_outcome(ticket, agent):
    now = timezone.now()
    assert ticket_sla_state(ticket, now=now) == SLAState("due", ticket.first_response_due)
    late = ticket.first_response_due + MINUTE
    assert ticket_sla_state(ticket, now=late) == SLAState("overdue", ticket.first_response_due)

    message_post(ticket=ticket, author=agent, body="Looking into it.")
    answered = reload(ticket)
    assert ticket_sla_state(answered, now=now) == SLAState("due", answered.resolution_due)

    ticket_change(ticket=answered, actor=agent, status=Status.WAITING)
    assert ticket_sla_state(reload(ticket), now=late) == SLAState("paused")
    ticket_change(ticket=reload(ticket), actor=agent, status=Status.RESOLVED)
    assert ticket_sla_state(reload(ticket), now=late) == SLAState("met")
    Ticket.objects.filter(pk=ticket.pk).update(resolution_breached_at=now)
    assert ticket_sla_state(reload(ticket), now=late) == SLAState("breached")


def test_a_ticket_without_targets_has_no_sla_state(make_ticket):
    SLAPolicy.objects.all().delete()
    assert ticket_sla_state(make_ticket(), now=timezone.now()) == SLAState("")
