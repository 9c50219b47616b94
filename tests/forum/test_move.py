"""Staff move a topic, with its posts and counts, to another category."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from forum.answers import answer_accept
from forum.models import Category, Topic
from forum.move import topic_merge, topic_move
from forum.selectors import topics_for
from forum.staff import topic_lock, topic_pin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(make_topic, make_reply, qa_category, admin_user):
    """A Q&A topic with two replies, the first accepted, pinned and locked."""
    topic = make_topic(category=qa_category)
    answer = make_reply(topic=topic)
    make_reply(topic=topic)
    answer_accept(post=answer, by=admin_user)
    topic_pin(topic=topic, by=admin_user, pinned=True)
    topic_lock(topic=topic, by=admin_user, locked=True)
    return Topic.objects.get(pk=topic.pk)


def counts(*categories) -> list[tuple[int, int]]:
    return [(category.topic_count, category.post_count)
            for category in Category.objects.filter(pk__in=[c.pk for c in categories])
            .order_by("pk")]


def test_the_topic_moves_with_its_posts_counts_and_flags(question, forum_category, qa_category,
                                                         admin_user, make_topic):
    make_topic()
    assert counts(forum_category, qa_category) == [(1, 1), (1, 3)]
    moved = topic_move(topic=question, category=forum_category, by=admin_user)
    assert moved.category == forum_category
    assert counts(forum_category, qa_category) == [(2, 4), (0, 0)]
    stored = Topic.objects.get(pk=question.pk)
    assert (stored.category_id, stored.last_post_number, stored.accepted_post_id) == (
        forum_category.pk, 3, question.accepted_post_id)
    assert stored.is_pinned and stored.is_locked
    anyone = AnonymousUser()
    assert question in topics_for(user=anyone, category=forum_category)
    assert question not in topics_for(user=anyone, category=qa_category)


def test_staff_may_move_into_a_staff_only_category(question, staff_only_category,
                                                   admin_user):
    topic_move(topic=question, category=staff_only_category, by=admin_user)
    assert Topic.objects.get(pk=question.pk).category == staff_only_category


def test_members_and_the_author_may_not_move(question, forum_category):
    for person in (UserFactory(), question.author):
        with pytest.raises(PermissionDenied):
            topic_move(topic=question, category=forum_category, by=person)
    assert Topic.objects.get(pk=question.pk).category_id == question.category_id


@pytest.mark.parametrize("where, message", [
    ("section", "sections hold categories"),
    ("same", "already in this category"),
])
def test_bad_destinations_are_refused(question, forum_section, admin_user, where, message):
    category = forum_section if where == "section" else question.category
    before = counts(question.category)
    with pytest.raises(ValidationError, match=message):
        topic_move(topic=question, category=category, by=admin_user)
    assert counts(question.category) == before
    assert Topic.objects.get(pk=question.pk).category_id == question.category_id


def test_a_merged_topic_cannot_move(question, make_topic, forum_category, admin_user):
    into = make_topic()
    topic_merge(topic=question, into=into, by=admin_user)
    with pytest.raises(ValidationError, match="merged into another"):
        topic_move(topic=question, category=forum_category, by=admin_user)


# --- The page ---------------------------------------------------------------------------------

def move_url(topic) -> str:
    return reverse("forum:topic_move", kwargs={"pk": topic.pk})


def test_the_form_offers_categories_by_section(question, admin_client, staff_only_category,
                                               django_assert_num_queries):
    with django_assert_num_queries(5):
        response = admin_client.get(move_url(question))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="Getting started">' in html
    assert f'<option value="{question.category_id}" selected>Questions</option>' in html
    assert "Announcements" in html
    assert f'<option value="{staff_only_category.parent_id}"' not in html


def test_posting_moves_and_says_so(question, forum_category, admin_client):
    response = admin_client.post(move_url(question), {"category": forum_category.pk})
    assert response.status_code == 302 and response.url == question.get_absolute_url()
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The topic is now in General."]
    assert Topic.objects.get(pk=question.pk).category == forum_category


@pytest.mark.parametrize("category, message", [
    ("section", "sections hold categories"),
    ("same", "already in this category"),
    ("", "This field is required"),
    ("x", "sections hold categories"),
])
def test_bad_input_is_a_400_with_the_reason(question, forum_section, admin_client, category,
                                            message):
    value = {"section": forum_section.pk, "same": question.category_id}.get(category, category)
    response = admin_client.post(move_url(question), {"category": value})
    assert response.status_code == 400 and message in response.content.decode()
    assert Topic.objects.get(pk=question.pk).category_id == question.category_id


def test_others_get_a_404_and_visitors_are_sent_to_sign_in(question, forum_category, client,
                                                           admin_client):
    url = move_url(question)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(question.author)
    assert client.get(url).status_code == 404
    assert client.post(url, {"category": forum_category.pk}).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory(is_staff=True))
    assert strict.post(url, {"category": forum_category.pk}).status_code == 403
    missing = reverse("forum:topic_move", kwargs={"pk": 999999})
    assert admin_client.get(missing).status_code == 404
    assert Topic.objects.get(pk=question.pk).category_id == question.category_id


def test_the_topic_page_links_staff_to_move_merge_and_split(question, client, admin_client):
    links = [reverse(f"forum:topic_{tool}", kwargs={"pk": question.pk})
             for tool in ("move", "merge", "split")]
    client.force_login(question.author)
    staff_html = admin_client.get(question.get_absolute_url()).content.decode()
    member_html = client.get(question.get_absolute_url()).content.decode()
    assert all(link in staff_html for link in links)
    assert not any(link in member_html for link in links)
