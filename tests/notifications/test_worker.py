"""The real thing: notify() publishes to Redis after the commit and a separate Celery worker,
on the same PostgreSQL database, sends the email and records it."""

import pytest
from django.conf import settings
from django.db import transaction

from notifications.models import Notification
from notifications.services import notify
from tests.conftest import wait_until
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.services]


def emailed(notification_id: int) -> Notification | None:
    return Notification.objects.filter(pk=notification_id, emailed_at__isnull=False).first()


def test_worker_emails_a_committed_notification(celery_worker):
    mail_dir = celery_worker
    recipient = UserFactory(display_name="Alice", language="en")
    with transaction.atomic():
        notification = notify(recipient=recipient, verb="Bob replied to your post",
                              target_url="/en/u/bob/")

    assert wait_until(lambda: emailed(notification.pk), timeout=30)
    [mail_file] = wait_until(lambda: list(mail_dir.iterdir()))
    mail = mail_file.read_text()
    assert f"To: {recipient.email}" in mail
    assert "Subject: [OKX Community] Bob replied to your post" in mail
    assert f"{settings.SITE_URL}/en/notifications/{notification.pk}/" in mail


def test_worker_sends_nothing_for_a_rolled_back_notification(celery_worker):
    mail_dir = celery_worker
    recipient = UserFactory()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        notify(recipient=recipient, verb="Never happened", target_url="/en/")
        raise Abort
    sent = notify(recipient=recipient, verb="Did happen", target_url="/en/")

    assert wait_until(lambda: emailed(sent.pk), timeout=30)
    [mail_file] = list(mail_dir.iterdir())
    assert "Never happened" not in mail_file.read_text()
    assert not Notification.objects.filter(verb="Never happened").exists()
