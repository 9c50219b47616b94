"""Real concurrent transactions on PostgreSQL (each thread has its own connection): the last
seats of a meetup are never given twice, cancellations promote exactly the next in line, and
two clicks of one member's vote button take turns."""

import threading

import pytest
from django.db import connection

from events.models import AmaVote, Rsvp
from events.services import ama_question_ask, ama_vote_toggle, meetup_rsvp, meetup_rsvp_cancel
from tests.events.conftest import make_ama, make_meetup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(call, arguments) -> list[Exception]:
    barrier = threading.Barrier(len(arguments))
    errors = []

    def run(argument):
        try:
            barrier.wait()
            call(argument)
        except Exception as exc:  # noqa: BLE001 - reported by the callers' assertions
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_many_rsvps_at_once_fill_exactly_the_seats(postgres):
    meetup = make_meetup(capacity=3)
    people = [UserFactory() for _n in range(8)]
    assert at_once(lambda person: meetup_rsvp(meetup=meetup, user=person), people) == []
    statuses = list(meetup.rsvps.order_by("queued_at", "pk").values_list("status", flat=True))
    assert statuses == [Rsvp.Status.GOING] * 3 + [Rsvp.Status.WAITLIST] * 5


def test_cancellations_at_once_promote_the_next_in_line(postgres):
    meetup = make_meetup(capacity=3)
    people = [UserFactory() for _n in range(7)]
    for person in people:
        meetup_rsvp(meetup=meetup, user=person)
    assert at_once(lambda person: meetup_rsvp_cancel(meetup=meetup, user=person),
                   people[:3]) == []
    going = set(meetup.rsvps.filter(status=Rsvp.Status.GOING).values_list("user", flat=True))
    assert going == {person.pk for person in people[3:6]}
    assert meetup.rsvps.get(user=people[6]).status == Rsvp.Status.WAITLIST


def test_votes_at_once_count_exactly_and_clicks_take_turns(postgres):
    session = make_ama()
    voter = UserFactory()
    question = ama_question_ask(session=session, author=UserFactory(), body="Keys?")
    votes = [UserFactory() for _n in range(5)]
    assert at_once(lambda person: ama_vote_toggle(question=question, user=person),
                   votes) == []
    question.refresh_from_db()
    assert question.vote_count == 5 == AmaVote.objects.count()
    # The question's row lock makes the two clicks take turns: a vote, then its removal.
    assert at_once(lambda _n: ama_vote_toggle(question=question, user=voter), [1, 2]) == []
    question.refresh_from_db()
    assert question.vote_count == AmaVote.objects.count() == 5
