"""The bell's unread count is kept in the cache between pages (notifications.selectors), and
every change to it clears it once committed: the bell never shows a count that is out of date."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from notifications.services import notifications_read_about, notify

pytestmark = pytest.mark.django_db

HOME = "/en/"


def bell(client) -> str:
    html = client.get(HOME).content.decode()
    return html.split('class="bell"', 1)[1].split("</a>", 1)[0]


def send(user, *, key: str = "") -> Notification:
    return notify(recipient=user, verb="Ann replied", target_url="/en/", key=key,
                  send_email=False)


def test_the_count_is_not_counted_again_on_the_next_page(user_client, user):
    send(user)
    assert ">1<" in bell(user_client)
    with CaptureQueriesContext(connection) as queries:
        assert ">1<" in bell(user_client)
    assert not any("notifications_notification" in query["sql"]
                   for query in queries.captured_queries)


def test_a_new_notification_counts_at_once(user_client, user,
                                           django_capture_on_commit_callbacks):
    assert "unread-count" not in bell(user_client)
    with django_capture_on_commit_callbacks(execute=True):
        send(user)
    assert ">1<" in bell(user_client)


def test_opening_one_and_reading_all_clear_the_count_at_once(
        user_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _second, _third = send(user), send(user), send(user)
    assert ">3<" in bell(user_client)
    with django_capture_on_commit_callbacks(execute=True):
        user_client.get(f"/en/notifications/{first.pk}/")
    assert ">2<" in bell(user_client)
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post("/en/notifications/read-all/")
    assert "unread-count" not in bell(user_client)


def test_seeing_what_a_notification_is_about_clears_the_count_at_once(
        user_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(user, key="forum.post:7")
    assert ">1<" in bell(user_client)
    with django_capture_on_commit_callbacks(execute=True):
        notifications_read_about(user=user, keys=["forum.post:7"])
    assert "unread-count" not in bell(user_client)
