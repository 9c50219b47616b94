"""A notification whose email cannot be queued (broker down) is neither an error for the user
nor lost: the sweep queues it once the broker is back."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_email_sweep, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

def test_notify_with_the_broker_down_keeps_the_email_for_the_sweep(broker_down, mailoutbox):
    user = UserFactory()
    with transaction.atomic():
        notification = notify(recipient=user, verb="Your idea was planned", target_url="/")
    assert Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).exists()
    assert mailoutbox == []
    assert notification_email_sweep(older_than=timedelta(0)) == 0  # still down: nothing sent


def test_sweep_sends_what_the_broker_missed(mailoutbox):
    user = UserFactory()
    missed = Notification.objects.create(recipient=user, verb="Your idea shipped",
                                         target_url="/", send_email=True)
    Notification.objects.filter(pk=missed.pk).update(
        created_at=timezone.now() - timedelta(minutes=5))
    fresh = Notification.objects.create(recipient=user, verb="Just now", target_url="/",
                                        send_email=True)

    assert notification_email_sweep(older_than=timedelta(minutes=2)) == 1

    missed.refresh_from_db()
    fresh.refresh_from_db()
    assert missed.emailed_at is not None and fresh.emailed_at is None
    assert [m.subject for m in mailoutbox] == ["[OKX Community] Your idea shipped"]
