"""Staff tools: pin (in the category or everywhere), unpin, lock and unlock; staff only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from forum.models import Topic
from forum.services import post_hide
from forum.staff import topic_hide, topic_lock, topic_pin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def staff_member(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def topic(make_topic):
    return make_topic()


def flags(topic) -> tuple[bool, bool, bool]:
    topic = Topic.objects.get(pk=topic.pk)
    return topic.is_pinned, topic.is_pinned_globally, topic.is_locked


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_staff_pin_globally_then_unpin(topic, staff_member):
    topic_pin(topic=topic, by=staff_member, pinned=True)
    assert flags(topic) == (True, False, False)
    topic_pin(topic=topic, by=staff_member, pinned=True, globally=True)
    assert flags(topic) == (True, True, False)
    topic_pin(topic=topic, by=staff_member, pinned=False, globally=True)
    assert flags(topic) == (False, False, False)


def test_staff_lock_and_unlock(topic, staff_member):
    assert topic_lock(topic=topic, by=staff_member, locked=True).is_locked
    assert flags(topic) == (False, False, True)
    topic_lock(topic=topic, by=staff_member, locked=False)
    assert flags(topic) == (False, False, False)


@pytest.mark.parametrize("tool", [
    lambda topic, by: topic_pin(topic=topic, by=by, pinned=True),
    lambda topic, by: topic_lock(topic=topic, by=by, locked=True),
    lambda topic, by: topic_hide(topic=topic, by=by, hidden=True),
])
def test_members_and_authors_may_not(topic, tool):
    for person in (UserFactory(), topic.author):
        with pytest.raises(PermissionDenied):
            tool(topic, person)
    assert flags(topic) == (False, False, False) and not Topic.objects.get().is_hidden


def test_views_redirect_back_with_a_message(topic, staff_member, django_assert_num_queries):
    client = signed_in(staff_member)
    url = reverse("forum:topic_pin", kwargs={"pk": topic.pk})
    with django_assert_num_queries(5):
        response = client.post(url, {"pinned": "1", "globally": "1"})
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The topic is pinned on every list."]
    response = client.post(reverse("forum:topic_lock", kwargs={"pk": topic.pk}), {"locked": "1"},
                           **AJAX)
    assert response.json() == {"locked": True}
    assert flags(topic) == (True, True, True)


def test_views_refuse_members_and_csrf_less_posts(topic, staff_member):
    url = reverse("forum:topic_lock", kwargs={"pk": topic.pk})
    member = signed_in(topic.author)
    assert member.post(url, {"locked": "1"}).status_code == 403
    assert member.post(url, {"locked": "1"}, **AJAX).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff_member)
    assert strict.post(url, {"locked": "1"}).status_code == 403
    assert Client().post(url, {"locked": "1"}).status_code == 302  # to log in
    assert flags(topic) == (False, False, False)


def test_hidden_topics_are_a_404_for_members_but_staff_can_still_work_on_them(topic,
                                                                              staff_member):
    post_hide(post=topic.posts.get(), by=staff_member, hidden=True)
    url = reverse("forum:topic_pin", kwargs={"pk": topic.pk})
    assert signed_in(UserFactory()).post(url, {"pinned": "1"}).status_code == 404
    assert signed_in(staff_member).post(url, {"pinned": "1"}).status_code == 302
    missing = reverse("forum:topic_pin", kwargs={"pk": 999999})
    assert signed_in(staff_member).post(missing, {"pinned": "1"}).status_code == 404


def render_tools(topic, user) -> str:
    """The header of ``topic``'s page as ``user`` sees it (the staff decision is the page's)."""
    html = signed_in(user).get(topic.get_absolute_url()).content.decode()
    start = html.index('class="forum-topic-header"')
    return html[start:html.index("</header>", start)]


def test_only_staff_see_the_tools(topic, staff_member):
    member_html = render_tools(topic, topic.author)
    assert "topic-tools" not in member_html
    html = render_tools(topic, staff_member)
    assert "Pin in category" in html and "Pin globally" in html and "Lock" in html
    topic_pin(topic=topic, by=staff_member, pinned=True, globally=True)
    topic_lock(topic=topic, by=staff_member, locked=True)
    html = render_tools(topic, staff_member)
    assert "Unpin" in html and "Pin globally" not in html and "Unlock" in html
