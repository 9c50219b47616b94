from django.db.models import QuerySet

from notifications.models import Notification


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user).select_related("actor")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
