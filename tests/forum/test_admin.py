"""The forum in Django admin: lists at a fixed query cost, bulk pin/lock/hide through the staff
services, translated categories, and posts with their revisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Category, Topic
from forum.services import post_edit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["category", "topic", "post"])
def test_lists_cost_the_same_whatever_the_number_of_rows(admin_client, make_topic, make_reply,
                                                         model):
    url = reverse(f"admin:forum_{model}_changelist")

    def cost() -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(url).status_code == 200
        return len(context)

    make_reply(topic=make_topic())
    few = cost()
    for _ in range(4):
        make_reply(topic=make_topic(author=UserFactory()))
    assert cost() == few


def test_bulk_actions_go_through_the_staff_services(admin_client, make_topic):
    topics = [make_topic(), make_topic()]
    url = reverse("admin:forum_topic_changelist")
    selected = [str(topic.pk) for topic in topics]
    for action, field in [("pin", "is_pinned"), ("lock", "is_locked"), ("hide", "is_hidden")]:
        response = admin_client.post(url, {"action": action, "_selected_action": selected},
                                     follow=True)
        assert "2 topics" in response.content.decode()
        assert Topic.objects.filter(**{field: True}).count() == 2
    admin_client.post(url, {"action": "unhide", "_selected_action": selected[:1]})
    assert Topic.objects.filter(is_hidden=True).count() == 1


def test_search_and_filters(admin_client, make_topic, staff_only_category):
    make_topic(title="Withdrawal stuck on TRC-20")
    make_topic(title="Grid bot settings")
    url = reverse("admin:forum_topic_changelist")
    response = admin_client.get(url, {"q": "withdrawal"})
    assert [t.title for t in response.context["cl"].result_list] == ["Withdrawal stuck on TRC-20"]
    response = admin_client.get(url, {"is_locked__exact": "1"})
    assert list(response.context["cl"].result_list) == []


def test_a_category_is_edited_in_both_languages(admin_client, forum_section):
    url = reverse("admin:forum_category_add")
    data = {"name": "Bots", "description": "Grid and DCA", "slug": "bots",
            "parent": forum_section.pk, "position": 4, "color": "#123456", "icon": "🤖",
            "who_can_start": "everyone", "is_qa": "on"}
    assert admin_client.post(url, data).status_code == 302
    bots = Category.objects.get(slug="bots")
    response = admin_client.post(
        reverse("admin:forum_category_change", args=[bots.pk]) + "?language=zh-hans",
        {**data, "name": "机器人", "description": "网格与定投"})
    assert response.status_code == 302
    bots = Category.objects.get(slug="bots")
    assert bots.safe_translation_getter("name", language_code="zh-hans") == "机器人"
    assert bots.safe_translation_getter("name", language_code="en") == "Bots"
    assert bots.is_qa and bots.parent == forum_section


def test_a_post_shows_its_revisions_read_only(admin_client, make_topic):
    post = make_topic(body="First draft").posts.get()
    post_edit(post=post, editor=post.author, body="Second draft")
    response = admin_client.get(reverse("admin:forum_post_change", args=[post.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "First draft" in html
    assert 'name="revisions-0-body"' not in html  # shown, not editable
