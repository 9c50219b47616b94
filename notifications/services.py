from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.broker import publish
from notifications.models import Notification
from notifications.selectors import unread_count_key


def _unread_count_changed(user_id: int) -> None:
    """Clear the user's cached unread count once the change is committed."""
    transaction.on_commit(lambda: cache.delete(unread_count_key(user_id)))


@transaction.atomic
def notify(*, recipient, verb, target_url: str, actor=None, description="",
           send_email: bool = True, email_delay: int = 0, key: str = "",
           replace_unread: bool = False) -> Notification:
    """Tell ``recipient`` that something happened, in the app and (by default) by email.

    ``verb`` and ``description`` may be lazy translations: they are rendered once, in the
    recipient's preferred language. ``target_url`` is a path on this site. The email goes out
    through Celery after the surrounding transaction commits; with ``email_delay`` (seconds) it
    waits that long and is dropped if the notification is read by then. ``key`` names what the
    notification is about (see ``notifications_read_about``); with ``replace_unread`` an
    unread notification with the same key is rewritten and moved to the top instead of adding
    another, so ten likes make one line (and at most one email), not ten.
    """
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        verb, description = str(verb), str(description)
    verb = verb[:255]
    if replace_unread and key:
        unread = (Notification.objects.select_for_update()
                  .filter(recipient=recipient, key=key, read_at__isnull=True).first())
        if unread is not None:
            unread.actor, unread.verb, unread.description = actor, verb, description
            unread.created_at = timezone.now()
            unread.save(update_fields=["actor", "verb", "description", "created_at"])
            return unread
    send_email = send_email and bool(recipient.email)
    notification = Notification.objects.create(
        recipient=recipient, actor=actor, verb=verb, description=description,
        target_url=target_url, send_email=send_email, key=key,
        email_after=timezone.now() + timedelta(seconds=email_delay)
        if send_email and email_delay else None,
    )
    _unread_count_changed(recipient.pk)
    if send_email:
        transaction.on_commit(lambda: notification_email_queue(
            notification_id=notification.pk, countdown=email_delay))
    return notification


def notification_email_queue(*, notification_id: int, countdown: int = 0) -> bool:
    """Hand the email to Celery; if the broker is away, the sweep sends it later."""
    from notifications.tasks import notification_send_email

    return publish(notification_send_email, args=[notification_id], countdown=countdown)


def _emails_due():
    """Notifications whose email is still to send: not sent yet, and not a delayed one whose
    notification was read meanwhile."""
    return Notification.objects.filter(
        Q(email_after__isnull=True) | Q(read_at__isnull=True),
        send_email=True, emailed_at__isnull=True,
    )


def notification_email_sweep(*, older_than: timedelta) -> int:
    """Queue again the emails still unsent ``older_than`` after they were due (a publish that
    found no broker, a task lost with its worker). Returns how many were queued."""
    cutoff = timezone.now() - older_than
    unsent = _emails_due().filter(
        Q(email_after__isnull=True, created_at__lt=cutoff) | Q(email_after__lt=cutoff),
    ).order_by("id").values_list("id", flat=True)[:1000]
    queued = 0
    for notification_id in unsent:
        if not notification_email_queue(notification_id=notification_id):
            break
        queued += 1
    return queued


@transaction.atomic
def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification unless it was emailed already, or it was a delayed email and
    the notification has been read since. Returns whether it sent.

    The row stays locked while the mail is sent, so two workers handling a redelivered task
    cannot both send it; if sending fails the lock is released unmarked and a retry sends it.
    """
    notification = (_emails_due().select_for_update().select_related("recipient")
                    .filter(pk=notification_id).first())
    if notification is None:
        return False
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "recipient": recipient,
            "url": f"{settings.SITE_URL}{notification.get_absolute_url()}",
            "site_url": settings.SITE_URL,
        }
        body = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
        subject = _("[OKX Community] %(subject)s") % {"subject": notification.verb}
    send_mail(
        subject=subject, message=body, html_message=html,
        from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[recipient.email],
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of ``user``'s notifications read; anyone else's is a 404."""
    notification = get_object_or_404(Notification, pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _unread_count_changed(user.pk)
    return notification


def notification_prune(*, older_than: timedelta) -> int:
    """Delete notifications that were read longer than ``older_than`` ago. Returns how many."""
    deleted, _by_model = Notification.objects.filter(
        read_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


def notification_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _unread_count_changed(user.pk)
    return marked


def notifications_read_about(*, user, keys: Iterable[str]) -> int:
    """Mark read ``user``'s unread notifications about ``keys`` (see ``notify``): the user has
    just seen those things, so the bell stops counting them and delayed emails are dropped."""
    keys = list(keys)
    if not keys or not user.is_authenticated:
        return 0
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True, key__in=keys) \
        .update(read_at=timezone.now())
    if marked:
        _unread_count_changed(user.pk)
    return marked
