from smtplib import SMTPServerDisconnected

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy

from notifications.models import Notification
from notifications.selectors import notification_list, notification_unread_count
from notifications.services import (
    notification_email_send,
    notification_mark_all_read,
    notification_mark_read,
    notify,
)
from notifications.tasks import notification_send_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Django ships these in Chinese, so the language switch is visible without our catalogue.
VERB = gettext_lazy("Password changed successfully.")
DESCRIPTION = gettext_lazy("Your password was changed.")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """notify() and run what it scheduled for after the commit (eager Celery)."""
    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(**{"verb": "Someone replied", "target_url": "/en/", **kwargs})
    return send


def in_language(language, text) -> str:
    with translation.override(language):
        return str(text)


@pytest.mark.parametrize(("recipient_language", "active_language"), [
    ("zh-hans", "en"), ("en", "zh-hans"),
])
def test_texts_are_stored_in_the_recipients_language(send, recipient_language,
                                                      active_language):
    recipient = UserFactory(language=recipient_language)
    with translation.override(active_language):
        notification = send(recipient=recipient, verb=VERB, description=DESCRIPTION)
    notification.refresh_from_db()
    assert notification.verb == in_language(recipient_language, VERB)
    assert notification.description == in_language(recipient_language, DESCRIPTION)
    assert in_language("zh-hans", VERB) != in_language("en", VERB)


def test_plain_text_is_stored_as_given_and_long_verbs_cut(send):
    notification = send(recipient=UserFactory(), verb="回复 " + "x" * 300)
    notification.refresh_from_db()
    assert notification.verb == ("回复 " + "x" * 300)[:255]


def test_email_is_sent_with_the_verb_and_an_absolute_link(send, mailoutbox):
    recipient = UserFactory(display_name="Alice")
    notification = send(recipient=recipient, verb="Bob replied to your post",
                        description="Nice analysis!")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    link = f"{settings.SITE_URL}/en/notifications/{notification.pk}/"
    assert message.to == [recipient.email]
    assert message.subject == "[OKX Community] Bob replied to your post"
    assert "Hello Alice," in message.body and "Nice analysis!" in message.body
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_email_is_in_the_recipients_language(send, mailoutbox):
    notification = send(recipient=UserFactory(language="zh-hans"), verb=VERB)
    message = mailoutbox[0]
    assert message.subject == f"【OKX 社区】{in_language('zh-hans', VERB)}"
    assert f"{settings.SITE_URL}/zh-hans/notifications/{notification.pk}/" in message.body


def test_html_email_escapes_the_texts(send, mailoutbox):
    send(recipient=UserFactory(), verb='<img src=x onerror="alert(1)">',
         description="<script>alert(2)</script>")
    html = mailoutbox[0].alternatives[0][0]
    assert "<img src=x" not in html and "<script>" not in html
    assert "&lt;script&gt;" in html


def test_email_waits_for_the_commit(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks() as callbacks:
        notify(recipient=UserFactory(), verb="Hi", target_url="/en/")
    assert mailoutbox == []
    assert len(callbacks) == 2  # the email's, and clearing the bell's cached count


def test_no_email_when_asked_not_to(send, mailoutbox):
    notification = send(recipient=UserFactory(), send_email=False)
    assert mailoutbox == []
    assert not notification.send_email
    assert notification_email_send(notification_id=notification.pk) is False
    assert mailoutbox == []


def test_no_email_when_the_recipient_has_no_address(send, mailoutbox):
    notification = send(recipient=UserFactory(email=""))
    assert mailoutbox == []
    assert not notification.send_email
    assert Notification.objects.filter(pk=notification.pk).exists()  # still in the app


def test_email_send_is_idempotent(mailoutbox):
    notification = notify(recipient=UserFactory(), verb="Hi", target_url="/en/")
    assert notification_email_send(notification_id=notification.pk) is True
    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mailoutbox) == 1


class SMTPDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def test_failed_send_stays_unsent_so_a_retry_sends_it(settings, mailoutbox):
    notification = notify(recipient=UserFactory(), verb="Hi", target_url="/en/")
    settings.EMAIL_BACKEND = f"{__name__}.SMTPDown"
    with pytest.raises(SMTPServerDisconnected):
        notification_email_send(notification_id=notification.pk)
    with pytest.raises(Retry):  # the task schedules a retry
        notification_send_email.apply(args=[notification.pk], throw=True)
    notification.refresh_from_db()
    assert notification.emailed_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_email_send(notification_id=notification.pk) is True
    assert len(mailoutbox) == 1


def test_email_send_for_a_missing_notification_does_nothing(mailoutbox):
    assert notification_email_send(notification_id=999_999) is False
    assert mailoutbox == []


def test_mark_read_marks_own_notification_once():
    notification = notify(recipient=UserFactory(), verb="Hi", target_url="/en/",
                          send_email=False)
    first = notification_mark_read(user=notification.recipient, notification_id=notification.pk)
    assert first.read_at is not None
    again = notification_mark_read(user=notification.recipient, notification_id=notification.pk)
    assert again.read_at == first.read_at


def test_mark_read_of_someone_elses_notification_is_404():
    notification = notify(recipient=UserFactory(), verb="Hi", target_url="/en/",
                          send_email=False)
    with pytest.raises(Http404):
        notification_mark_read(user=UserFactory(), notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_own_unread_notifications():
    user, other = UserFactory(), UserFactory()
    for recipient in (user, user, other):
        notify(recipient=recipient, verb="Hi", target_url="/en/", send_email=False)
    assert notification_mark_all_read(user=user) == 2
    assert notification_unread_count(user=user) == 0
    assert notification_unread_count(user=other) == 1
    assert notification_mark_all_read(user=user) == 0


def test_list_is_own_newest_first_with_unread_filter():
    user = UserFactory()
    old = notify(recipient=user, verb="old", target_url="/en/", send_email=False)
    new = notify(recipient=user, verb="new", target_url="/en/", send_email=False)
    notify(recipient=UserFactory(), verb="not mine", target_url="/en/", send_email=False)
    notification_mark_read(user=user, notification_id=new.pk)
    assert list(notification_list(user=user)) == [new, old]
    assert list(notification_list(user=user, unread_only=True)) == [old]
