"""Forum posts reach the feedback pipeline: a topic its author marks as feedback, and any post
a staff member sends from the admin; once each, linking back to the post."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from feedback.models import FeedbackItem
from forum.services import post_send_to_feedback
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_topic_marked_as_feedback_reaches_the_pipeline_with_a_link_back(make_topic):
    topic = make_topic(title="请增加网格机器人止损", body="每一格都能止损就好了。",
                       language="zh-hans", is_feedback=True)
    opening = topic.posts.get(number=1)
    item = FeedbackItem.objects.get()
    assert (item.source, item.source_ref, item.title, item.body, item.language) == (
        "forum.post", opening.get_absolute_url(), topic.title, opening.body, "zh-hans")
    assert item.author == topic.author and not item.is_public
    opening.refresh_from_db()
    assert opening.feedback_ref == str(item.pk)


def test_an_ordinary_topic_stays_in_the_forum(make_topic):
    make_topic()
    assert not FeedbackItem.objects.exists()


def test_staff_send_a_reply_once_and_members_cannot(make_topic, make_reply):
    reply = make_reply(topic=make_topic(title="Trading fees"), body="Maker fees are too high.")
    with pytest.raises(PermissionDenied):
        post_send_to_feedback(post=reply, by=reply.author)
    staff = UserFactory(is_staff=True)
    first = post_send_to_feedback(post=reply, by=staff)
    assert post_send_to_feedback(post=reply, by=staff) == first
    item = FeedbackItem.objects.get()
    assert item.title == "Trading fees (#2)" and item.body == "Maker fees are too high."


def test_the_admin_action_sends_the_selected_posts(client, make_topic, make_reply):
    reply = make_reply(topic=make_topic(), body="Please add dark mode.")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:forum_post_changelist"), {
        "action": "send_to_feedback", ACTION_CHECKBOX_NAME: [reply.pk]}, follow=True)
    assert "1 post sent to the product teams" in response.content.decode()
    assert FeedbackItem.objects.get().source_ref == reply.get_absolute_url()


def test_the_new_topic_form_offers_the_feedback_box(client, forum_member, forum_category):
    client.force_login(forum_member)
    url = reverse("forum:topic_create", kwargs={"slug": forum_category.slug})
    client.post(url, {"title": "Add a dark mode to charts", "body": "Night trading hurts.",
                      "is_feedback": "on"})
    assert FeedbackItem.objects.get().title == "Add a dark mode to charts"
