import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/en/notifications/"


def make(recipient, count=1, **fields) -> list[Notification]:
    """Notifications straight into the table: these tests are about the pages, not notify()."""
    return Notification.objects.bulk_create(
        Notification(recipient=recipient, actor=fields.get("actor"),
                     verb=fields.get("verb", f"Event {number}"),
                     target_url=fields.get("target_url", "/en/u/someone/"),
                     read_at=fields.get("read_at"))
        for number in range(count)
    )


def test_list_requires_login(client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response.url == f"/en/accounts/login/?next={INDEX}"


def test_list_shows_only_own_notifications(user_client, user):
    make(user, verb="Alice replied to you")
    make(UserFactory(), verb="Secret for someone else")
    html = user_client.get(INDEX).content.decode()
    assert "Alice replied to you" in html
    assert "Secret for someone else" not in html


def test_unread_filter(user_client, user):
    make(user, verb="Already seen", read_at=timezone.now())
    make(user, verb="Brand new")
    everything = user_client.get(INDEX).content.decode()
    unread = user_client.get(f"{INDEX}?filter=unread").content.decode()
    assert "Already seen" in everything and "Brand new" in everything
    assert "Brand new" in unread and "Already seen" not in unread


def test_verb_is_escaped(user_client, user):
    make(user, verb="<script>alert(1)</script>")
    html = user_client.get(INDEX).content.decode()
    assert "<script>alert(1)" not in html


def test_empty_list_says_so(user_client):
    assert "No notifications yet." in user_client.get(INDEX).content.decode()
    assert "all caught up" in user_client.get(f"{INDEX}?filter=unread").content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(user_client, user, django_assert_num_queries, count):
    actors = [UserFactory(is_staff=True), UserFactory(is_ambassador=True), UserFactory()]
    for number in range(count):
        make(user, actor=actors[number % 3])
    # user, unread count (bell), page count, page rows with actors (the session is in the cache)
    with django_assert_num_queries(4):
        response = user_client.get(INDEX)
    assert response.content.decode().count('<li class="notification') == count


def test_list_is_paginated(user_client, user):
    make(user, 35)
    first = user_client.get(INDEX).content.decode()
    second = user_client.get(f"{INDEX}?page=2").content.decode()
    assert first.count('<li class="notification') == 30
    assert second.count('<li class="notification') == 5
    assert user_client.get(f"{INDEX}?page=99").status_code == 200  # last page, not an error


def test_open_marks_read_and_follows_the_link(user_client, user):
    [notification] = make(user, target_url="/en/u/alice/")
    response = user_client.get(f"{INDEX}{notification.pk}/")
    assert response.status_code == 302
    assert response.url == "/en/u/alice/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "javascript:alert(1)",
    "http://testserver.evil.example/", "/\\evil.example/",
])
def test_open_never_follows_a_link_off_site(user_client, user, target):
    [notification] = make(user, target_url=target)
    response = user_client.get(f"{INDEX}{notification.pk}/")
    assert response.status_code == 302
    assert response.url == INDEX


def test_open_of_someone_elses_notification_is_404(user_client):
    [notification] = make(UserFactory())
    assert user_client.get(f"{INDEX}{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_read_all_marks_everything_read(user_client, user):
    make(user, 3)
    response = user_client.post(f"{INDEX}read-all/")
    assert response.status_code == 302
    assert response.url == INDEX
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_read_all_is_post_only(user_client, user):
    make(user, 2)
    assert user_client.get(f"{INDEX}read-all/").status_code == 405
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 2


def test_bell_shows_the_unread_count(user_client, user):
    make(user, 3)
    make(UserFactory(), 5)
    html = user_client.get("/en/").content.decode()
    assert '<span class="count" data-testid="unread-count">3</span>' in html
    assert "Notifications: 3 unread" in html


def test_bell_has_no_count_when_all_read(user_client, user):
    make(user, 2)
    user_client.post(f"{INDEX}read-all/")
    html = user_client.get("/en/").content.decode()
    assert 'data-testid="unread-count"' not in html
    assert "Notifications: 0 unread" in html


def test_anonymous_pages_have_no_bell(client):
    assert 'class="bell"' not in client.get("/en/").content.decode()
