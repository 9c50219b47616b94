"""Helpers for the service and selector tests (on top of ``conftest.py``): staff members of a
chosen team, the clock turned back on a ticket, what a user was told, and calls made at the
same moment (a double click, two workers)."""

import threading
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import connections
from django.db.models import F

from notifications.models import Notification
from tests.factories import UserFactory
from tickets.models import Ticket


def staff_member(*, username: str, teams=(), group: str | None = "Support agents", **fields):
    """An active staff member in ``group`` (None: no support group at all) and ``teams``."""
    member = UserFactory(username=username, is_staff=True, **fields)
    if group:
        member.groups.add(Group.objects.get(name=group))
    for team in teams:
        team.members.add(member)
    return member


def care_agent(desk, username: str = "care"):
    """An agent of "Account care": not the team of ``make_ticket``'s default category
    (deposits and withdrawals, answered by ``agent``'s payments team)."""
    return staff_member(username=username, teams=[desk.teams["account-care"]],
                        display_name="Carla Care")


def reload(ticket: Ticket) -> Ticket:
    """``ticket`` as the database has it now."""
    return Ticket.objects.get(pk=ticket.pk)


def rewind(ticket: Ticket, *, by: timedelta, fields) -> Ticket:
    """Move the time ``fields`` of ``ticket`` ``by`` into the past, as if that long had passed
    since they were set; returns the refreshed ticket."""
    Ticket.objects.filter(pk=ticket.pk).update(**{field: F(field) - by for field in fields})
    ticket.refresh_from_db()
    return ticket


def told(user) -> list[str]:
    """What ``user``'s in-app notifications say, oldest first."""
    return list(Notification.objects.filter(recipient=user).order_by("id")
                .values_list("verb", flat=True))


def at_once(*calls) -> list:
    """Run ``calls`` in threads released together, each in its own database connection (two
    clicks, two workers); returns what each returned or the exception it raised. The data
    they use must be committed: use it with ``transactional_db`` on PostgreSQL."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            start.wait()
            results[index] = call()
        except Exception as exc:  # handed back for the test to judge
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
