from django.core.cache import cache
from django.db.models import QuerySet

from notifications.models import Notification


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user).select_related("actor")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


# Every write that changes a count clears it (notifications.services); the expiry bounds what
# a count racing with such a write could leave behind.
UNREAD_COUNT_SECONDS = 60


def unread_count_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def notification_unread_count(*, user) -> int:
    """How many of ``user``'s notifications are unread (the bell on every page), from the
    cache when it holds the count."""
    key = unread_count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_COUNT_SECONDS)
    return count
