"""Delayed emails (held for a while, dropped if the notification is read meanwhile), keys that
let the sending app mark notifications read, and notifications that replace an unread twin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import (
    notification_email_send,
    notification_email_sweep,
    notification_mark_read,
    notifications_read_about,
    notify,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _delayed(user, **kwargs) -> Notification:
    return notify(recipient=user, verb="Ann replied", target_url="/en/", email_delay=300,
                  key="forum.post:1", **kwargs)


def test_a_delayed_email_is_held_and_queued_with_its_countdown(
        django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = _delayed(user)
    assert len(callbacks) == 2  # the email's, and clearing the bell's cached count
    assert notification.send_email is True
    assert before + timedelta(seconds=299) < notification.email_after \
        < timezone.now() + timedelta(seconds=301)
    assert notification_email_send(notification_id=notification.pk) is True
    assert mailoutbox[0].subject == "[OKX Community] Ann replied"


def test_a_delayed_email_is_dropped_once_the_notification_is_read(mailoutbox):
    user = UserFactory()
    notification = _delayed(user)
    notification_mark_read(user=user, notification_id=notification.pk)
    assert notification_email_send(notification_id=notification.pk) is False
    assert mailoutbox == []


def test_an_immediate_email_still_goes_when_read_first(mailoutbox):
    # Account and ticket notices are worth an email even if the bell was opened first.
    user = UserFactory()
    notification = notify(recipient=user, verb="Your ticket was answered", target_url="/en/")
    notification_mark_read(user=user, notification_id=notification.pk)
    assert notification_email_send(notification_id=notification.pk) is True


def test_read_about_marks_only_that_users_notifications_with_those_keys():
    user, other = UserFactory(), UserFactory()
    mine = _delayed(user)
    elsewhere = notify(recipient=user, verb="x", target_url="/", key="forum.post:2")
    theirs = _delayed(other)
    assert notifications_read_about(user=user, keys=["forum.post:1"]) == 1
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=elsewhere.pk).read_at is None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert notifications_read_about(user=user, keys=[]) == 0


def test_replace_unread_rewrites_the_unread_twin_and_moves_it_up():
    user, ann, bob = UserFactory(), UserFactory(), UserFactory()
    first = notify(recipient=user, actor=ann, verb="Ann liked your post", target_url="/",
                   key="forum.post:7", replace_unread=True)
    Notification.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=1))
    second = notify(recipient=user, actor=bob, verb="Bob and 1 other liked your post",
                    target_url="/", key="forum.post:7", replace_unread=True)
    assert second.pk == first.pk
    row = Notification.objects.get(recipient=user)
    assert (row.verb, row.actor) == ("Bob and 1 other liked your post", bob)
    assert row.created_at > timezone.now() - timedelta(minutes=1)
    notification_mark_read(user=user, notification_id=row.pk)
    third = notify(recipient=user, actor=ann, verb="Ann liked your post", target_url="/",
                   key="forum.post:7", replace_unread=True)
    assert third.pk != first.pk  # once read, a new like is news again


def test_the_sweep_waits_for_the_delay_and_skips_what_was_read(mailoutbox):
    user = UserFactory()
    due, read, held = _delayed(user), _delayed(user), _delayed(user)
    past = timezone.now() - timedelta(minutes=5)
    Notification.objects.filter(pk__in=[due.pk, read.pk]).update(email_after=past)
    notification_mark_read(user=user, notification_id=read.pk)
    assert notification_email_sweep(older_than=timedelta(minutes=2)) == 1
    assert Notification.objects.get(pk=due.pk).emailed_at is not None
    assert Notification.objects.get(pk=read.pk).emailed_at is None
    assert Notification.objects.get(pk=held.pk).emailed_at is None
    assert len(mailoutbox) == 1
