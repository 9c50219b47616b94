"""The beat task for real: ``tickets.tasks.sla_check`` published to Redis and run by a
separate Celery worker on the test PostgreSQL database marks a breach, once, and the agents'
emails go out from the worker too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.conftest import wait_until
from tickets.models import Event, Ticket
from tickets.tasks import sla_check

pytestmark = [pytest.mark.worker, pytest.mark.services]


def test_a_worker_running_the_beat_task_marks_a_breach_once(celery_worker, make_ticket,
                                                            agent):
    mail_dir = celery_worker
    ticket = make_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(
        first_response_due=timezone.now() - timedelta(minutes=1))

    sla_check.delay()
    sla_check.delay()  # beat firing again before the first run ended changes nothing

    verb = f"First response overdue on {ticket.reference}"
    # The email task is queued (on commit of the first run) behind the second run, and the
    # worker takes one task at a time: once the mail is out, both runs are over.
    notification = wait_until(
        lambda: Notification.objects.filter(recipient=agent, verb=verb,
                                            emailed_at__isnull=False).first(), timeout=30)
    [mail_file] = wait_until(lambda: list(mail_dir.iterdir()), timeout=30)
    mail = mail_file.read_text()
    assert f"To: {agent.email}" in mail and verb in mail
    assert notification.target_url == f"/admin/tickets/ticket/{ticket.pk}/change/"

    assert Ticket.objects.get(pk=ticket.pk).first_response_breached_at is not None
    assert Event.objects.filter(ticket=ticket, kind=Event.Kind.SLA_BREACH).count() == 1
    assert Notification.objects.filter(recipient=agent).count() == 1
