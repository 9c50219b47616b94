import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from forum.models import Topic
from forum.selectors import (
    categories_index,
    page_for_number,
    topic_get,
    topic_list_page,
    topic_posts,
    topics_for,
)
from forum.services import post_hide, topic_mark_read
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_categories_index_in_two_queries(forum_category, qa_category, staff_only_category,
                                           django_assert_num_queries):
    with django_assert_num_queries(2):
        sections = categories_index()
        names = [[c.name for c in s.categories] for s in sections]
    assert names == [["General", "Questions", "Announcements"]]


def test_unread_counts_come_with_the_list(make_topic, make_reply, user):
    read, unread, never = make_topic(), make_topic(), make_topic()
    for topic in (read, unread):
        make_reply(topic=topic)
        topic.refresh_from_db()
        topic_mark_read(topic=topic, user=user, number=2)
    make_reply(topic=unread)
    make_reply(topic=unread)
    counts = {t.pk: t.unread_count for t in topic_list_page(user=user)}
    assert counts == {read.pk: 0, unread.pk: 2, never.pk: None}
    assert [t.pk for t in topics_for(user=user, filter="unread")] == [unread.pk]
    assert list(topics_for(user=AnonymousUser(), filter="unread")) == []


def test_solved_and_unsolved_filters(make_topic, make_reply, qa_category, forum_category):
    solved, open_question = make_topic(category=qa_category), make_topic(category=qa_category)
    make_topic(category=forum_category)
    answer = make_reply(topic=solved)
    Topic.objects.filter(pk=solved.pk).update(accepted_post=answer)
    user = AnonymousUser()
    assert [t.pk for t in topics_for(user=user, filter="solved")] == [solved.pk]
    assert [t.pk for t in topics_for(user=user, filter="unsolved")] == [open_question.pk]
    assert len(topics_for(user=user, filter="nonsense")) == 3


def test_pinned_first_and_global_pins_everywhere(make_topic, forum_category, qa_category):
    pinned_here = make_topic()
    global_pin = make_topic(category=qa_category)
    latest = make_topic()
    Topic.objects.filter(pk=pinned_here.pk).update(is_pinned=True)
    Topic.objects.filter(pk=global_pin.pk).update(is_pinned_globally=True)
    user = AnonymousUser()
    ordered = [t.pk for t in topics_for(user=user, category=forum_category)]
    assert ordered[:2] == sorted([pinned_here.pk, global_pin.pk], reverse=True)
    assert ordered[2] == latest.pk
    # A category pin counts only in its category.
    assert [t.pk for t in topics_for(user=user)][:1] == [global_pin.pk]


def test_hidden_topics_for_staff_only(make_topic, forum_member, user):
    topic = make_topic()
    post_hide(post=topic.posts.get(), by=forum_member, hidden=True)
    staff = UserFactory(is_staff=True)
    assert list(topics_for(user=user)) == []
    assert list(topics_for(user=forum_member)) == []  # even its author: it is gone
    assert [t.pk for t in topics_for(user=staff)] == [topic.pk]
    with pytest.raises(Http404):
        topic_get(user=user, pk=topic.pk)
    assert topic_get(user=staff, pk=topic.pk) == topic


def test_hidden_posts_are_placeholders_for_others(make_topic, make_reply, user):
    topic = make_topic()
    reply = make_reply(topic=topic, author=user)
    post_hide(post=reply, by=user, hidden=True)
    shown = {
        who: [p.shown for p in topic_posts(user=viewer, topic=topic)]
        for who, viewer in {"anon": AnonymousUser(), "other": UserFactory(),
                            "author": user, "staff": UserFactory(is_staff=True)}.items()
    }
    assert shown == {"anon": [True, False], "other": [True, False], "author": [True, True],
                     "staff": [True, True]}


def test_topic_posts_pages_of_twenty(make_topic, make_reply):
    topic = make_topic()
    for _ in range(21):
        make_reply(topic=topic)
    topic.refresh_from_db()
    page = topic_posts(user=AnonymousUser(), topic=topic, page=2)
    assert [p.number for p in page] == [21, 22]
    assert page_for_number(page[0].number) == 2
    assert page_for_number(topic.posts.get(number=20).number) == 1
    assert [p.number for p in topic_posts(user=AnonymousUser(), topic=topic, page="x")][0] == 1
