from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.tasks import notifications_prune
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notification(user, *, read_days_ago):
    read_at = None if read_days_ago is None else timezone.now() - timedelta(days=read_days_ago)
    return Notification.objects.create(recipient=user, verb="Someone replied", target_url="/",
                                       read_at=read_at, send_email=False)


def test_daily_prune_deletes_only_old_read_notifications(settings):
    settings.NOTIFICATIONS_KEEP_READ_DAYS = 30
    user = UserFactory()
    old_read = _notification(user, read_days_ago=31)
    recent_read = _notification(user, read_days_ago=5)
    unread = _notification(user, read_days_ago=None)

    assert notifications_prune.delay().get() == 1

    remaining = set(Notification.objects.values_list("pk", flat=True))
    assert remaining == {recent_read.pk, unread.pk}
    assert old_read.pk not in remaining
