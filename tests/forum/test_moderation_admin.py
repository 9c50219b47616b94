"""The moderation queue in Django admin: pending flags with the post's flag count, bulk
hide / restore / dismiss through ``flags_review`` (staff only), at a fixed query cost; and
sanctions added through ``user_sanction``."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.models import Flag, Post, Sanction
from forum.moderation import flags_review, post_flag
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
QUEUE = "admin:forum_flag_changelist"


@pytest.fixture
def moderator(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def flagged(make_topic, make_reply):
    """``flagged(n)``: a new reply flagged as spam by ``n`` (untrusted) members."""
    topic = make_topic()

    def make(n=1):
        post = make_reply(topic=topic)
        for _ in range(n):
            post_flag(post=post, user=UserFactory(), reason="spam", note="ads")
        return post
    return make


def statuses(post) -> set[str]:
    return set(Flag.objects.filter(post=post).values_list("status", flat=True))


def is_hidden(post) -> bool:
    return Post.objects.get(pk=post.pk).is_hidden


def select(admin_client, action, posts):
    flags = Flag.objects.filter(post__in=posts).values_list("pk", flat=True)
    return admin_client.post(reverse(QUEUE), {
        "action": f"flags_{action}", "_selected_action": [str(pk) for pk in flags]},
        follow=True)


def test_the_queue_shows_pending_flags_with_the_posts_count(admin_client, flagged):
    post = flagged(2)
    other = flagged(1)
    flags_review(post=other, by=UserFactory(is_staff=True), action="dismiss")
    response = admin_client.get(reverse(QUEUE))
    rows = list(response.context["cl"].result_list)
    assert {flag.post_id for flag in rows} == {post.pk}
    assert [flag.pending_count for flag in rows] == [2, 2]
    assert "ads" in response.content.decode()
    everything = admin_client.get(reverse(QUEUE), {"status": "all"}).context["cl"].result_list
    assert len(everything) == 3


def test_the_queue_costs_the_same_whatever_the_number_of_flags(admin_client, flagged):
    def cost() -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(reverse(QUEUE)).status_code == 200
        return len(context)

    flagged(1)
    few = cost()
    for _ in range(4):
        flagged(3)
    assert cost() == few


def test_bulk_hide_upholds_the_flags_and_hides_the_posts(admin_client, flagged):
    posts = [flagged(2), flagged(1)]
    response = select(admin_client, "hide", posts)
    assert "3 flags upheld." in response.content.decode()
    assert all(is_hidden(post) for post in posts)
    assert all(statuses(post) == {"upheld"} for post in posts)
    assert Flag.objects.filter(reviewed_by__isnull=True).count() == 0


def test_bulk_restore_shows_the_posts_and_dismisses_the_flags(admin_client, flagged):
    post = flagged(1)
    Post.objects.filter(pk=post.pk).update(is_hidden=True)
    select(admin_client, "restore", [post])
    assert not is_hidden(post) and statuses(post) == {"dismissed"}


def test_bulk_dismiss_leaves_the_post_as_it_is(admin_client, flagged):
    post = flagged(2)
    response = select(admin_client, "dismiss", [post])
    assert "2 flags dismissed." in response.content.decode()
    assert not is_hidden(post) and statuses(post) == {"dismissed"}


def test_only_staff_review(flagged, forum_member):
    post = flagged(1)
    with pytest.raises(PermissionDenied):
        flags_review(post=post, by=forum_member, action="hide")
    assert not is_hidden(post) and statuses(post) == {"pending"}


def test_staff_without_admin_rights_cannot_open_the_queue(client, flagged):
    flagged(1)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse(QUEUE)).status_code == 403


def test_adding_a_sanction_goes_through_the_service(admin_client, moderator, user):
    url = reverse("admin:forum_sanction_add")
    until = timezone.localtime(timezone.now() + timedelta(days=2))
    data = {"user": user.pk, "kind": "silence", "until_0": until.strftime("%Y-%m-%d"),
            "until_1": until.strftime("%H:%M:%S"), "reason": "Spamming links"}
    assert admin_client.post(url, data).status_code == 302
    sanction = Sanction.objects.get()
    assert (sanction.user, sanction.by, sanction.kind) == (user, moderator, "silence")


def test_a_refused_sanction_is_a_form_error(admin_client, moderator):
    url = reverse("admin:forum_sanction_add")
    past = timezone.localtime(timezone.now() - timedelta(days=1))
    response = admin_client.post(url, {
        "user": UserFactory().pk, "kind": "ban", "until_0": past.strftime("%Y-%m-%d"),
        "until_1": past.strftime("%H:%M:%S"), "reason": "Abuse"})
    assert response.status_code == 200 and "Choose an end in the future." in \
        response.content.decode()
    assert not Sanction.objects.exists()
