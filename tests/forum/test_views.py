import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Post, Reaction, Topic, TopicRead
from forum.services import post_edit, post_hide, topic_posts_changed
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _topic_with_replies(make_topic, make_reply, count, *, authors=1):
    topic = make_topic(title="Grid bots explained")
    users = [UserFactory() for _ in range(authors)]
    for n in range(count):
        make_reply(topic=topic, author=users[n % authors])
    topic.refresh_from_db()
    return topic


def test_forum_index_lists_sections_and_categories(client, forum_category, qa_category,
                                                   django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(reverse("forum:index"))
    assert response.status_code == 200
    assert b"Getting started" in response.content and b"Questions" in response.content


def test_wrong_slug_redirects_permanently_keeping_the_query(client, make_topic):
    topic = make_topic(title="Grid bots explained")
    response = client.get(reverse("forum:topic", kwargs={"slug": "old", "pk": topic.pk})
                          + "?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"/en/forum/t/grid-bots-explained/{topic.pk}/?page=2"


def test_unknown_and_hidden_topics_are_404(client, make_topic, forum_member):
    assert client.get(reverse("forum:topic", kwargs={"slug": "x", "pk": 999})).status_code == 404
    topic = make_topic()
    post_hide(post=topic.posts.get(), by=forum_member, hidden=True)
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_pagination_and_anchors(client, make_topic, make_reply):
    topic = _topic_with_replies(make_topic, make_reply, 24)
    page2 = client.get(topic.get_absolute_url() + "?page=2")
    assert b'id="post-21"' in page2.content and b'id="post-25"' in page2.content
    assert b'id="post-20"' not in page2.content
    assert client.get(topic.get_absolute_url() + "?page=abc").status_code == 200
    post = topic.posts.get(number=22)
    response = client.get(reverse("forum:post", kwargs={"pk": post.pk}))
    assert response["Location"] == f"{topic.get_absolute_url()}?page=2#post-22"
    first = topic.posts.get(number=3)
    response = client.get(reverse("forum:post", kwargs={"pk": first.pk}))
    assert response["Location"] == f"{topic.get_absolute_url()}#post-3"


def test_reading_marks_read_and_offers_the_first_unread(user_client, user, make_topic,
                                                        make_reply):
    topic = _topic_with_replies(make_topic, make_reply, 24)
    user_client.get(topic.get_absolute_url())
    assert TopicRead.objects.get(user=user, topic=topic).last_read_number == 20
    response = user_client.get(topic.get_absolute_url())
    assert f'href="{topic.get_absolute_url()}?page=2#post-21"'.encode() in response.content
    user_client.get(topic.get_absolute_url())  # reading page 1 again does not move back
    assert TopicRead.objects.get(user=user, topic=topic).last_read_number == 20


def test_topic_page_query_count_is_constant(client, user, make_topic, make_reply):
    """Anonymous and signed-in, with 3 or 20 posts from 1 or 10 users with reactions."""
    small = _topic_with_replies(make_topic, make_reply, 2)
    big = _topic_with_replies(make_topic, make_reply, 30, authors=10)
    for post in big.posts.all()[:20]:
        Reaction.objects.create(post=post, user=user, kind="like")
    counts = {}
    for who in ("anon", "first visit", "changed", "again"):
        if who == "first visit":
            client.force_login(user)
            client.get(reverse("forum:index"))  # from then on the unread count is cached
        for topic in (small, big):
            if who == "changed":
                topic_posts_changed(topic_id=topic.pk)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(topic.get_absolute_url()).status_code == 200
            counts[who, topic.pk] = len(queries)
    # Anonymous: the topic, its category (whose name comes from the translation cache) and the
    # posts. A member's page once a post changed: the user, the topic with their place in it,
    # its category, the posts and their reactions (the session and unread count come from the
    # cache); then the page is in the cache: the user and the topic. A first visit also
    # records the read state and clears the notifications of the posts shown.
    assert counts == {("anon", small.pk): 3, ("anon", big.pk): 3,
                      ("first visit", small.pk): 8, ("first visit", big.pk): 8,
                      ("changed", small.pk): 5, ("changed", big.pk): 5,
                      ("again", small.pk): 2, ("again", big.pk): 2}


def test_topic_list_query_count_is_constant(client, user, forum_category, make_topic,
                                            make_reply):
    client.force_login(user)
    url = forum_category.get_absolute_url()
    make_topic()
    client.get(url)  # from then on the bell's unread count is cached
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        topic = make_topic(author=UserFactory())
        make_reply(topic=topic, author=UserFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert (len(few), len(many)) == (7, 7)
    assert response.content.count(b'<tr class="forum-topic') == 16


def test_category_list_shows_unread_badges_and_filters(user_client, user, make_topic,
                                                       make_reply, qa_category):
    topic = make_topic()
    user_client.get(topic.get_absolute_url())
    make_reply(topic=topic)
    make_reply(topic=topic)
    response = user_client.get(topic.category.get_absolute_url() + "?filter=unread")
    assert b"2 unread" in response.content
    response = user_client.get(topic.category.get_absolute_url() + "?filter=bogus&page=zz")
    assert response.status_code == 200
    assert user_client.get(reverse("forum:category", kwargs={"slug": "getting-started"})) \
        .status_code == 404  # a section has no topic list


def test_reply_posts_and_redirects_to_the_anchor(user_client, user, make_topic):
    topic = make_topic()
    response = user_client.post(reverse("forum:reply", kwargs={"slug": topic.slug,
                                                               "pk": topic.pk}),
                                {"body": "Thanks, **this** helped"})
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_absolute_url()}#post-2"
    assert topic.posts.get(number=2).author == user


def test_bad_reply_shows_a_message_and_changes_nothing(user_client, make_topic):
    topic = make_topic()
    url = reverse("forum:reply", kwargs={"slug": topic.slug, "pk": topic.pk})
    response = user_client.post(url, {"body": "   "})
    assert response.status_code == 400
    assert b"Write something first." in response.content
    Topic.objects.filter(pk=topic.pk).update(is_locked=True)
    response = user_client.post(url, {"body": "Let me in"})
    assert response.status_code == 400
    assert b"locked" in response.content
    assert topic.posts.count() == 1


def test_reply_message_is_translated(user_client, make_topic):
    topic = make_topic()
    url = reverse("forum:reply", kwargs={"slug": topic.slug, "pk": topic.pk})
    response = user_client.post(url.replace("/en/", "/zh-hans/", 1), {"body": ""})
    assert response.status_code == 400
    assert b"Write something first." not in response.content


def test_posting_needs_post_csrf_and_login(client, user, make_topic):
    topic = make_topic()
    url = reverse("forum:reply", kwargs={"slug": topic.slug, "pk": topic.pk})
    assert client.get(url).status_code == 405
    assert client.post(url, {"body": "Hi"}).status_code == 302  # to the login page
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(url, {"body": "Hi"}).status_code == 403
    hide = reverse("forum:post_hide", kwargs={"pk": topic.posts.get().pk})
    assert strict.post(hide, {"hidden": "1"}).status_code == 403
    assert topic.posts.count() == 1 and not Post.objects.filter(is_hidden=True).exists()


def test_new_topic_form(user_client, forum_category, staff_only_category):
    url = reverse("forum:topic_create", kwargs={"slug": forum_category.slug})
    assert user_client.get(url).status_code == 200
    response = user_client.post(url, {"title": "Hi", "body": ""})
    assert response.status_code == 400 and not Topic.objects.exists()
    response = user_client.post(url, {"title": "止损单怎么设置？", "body": "请教各位"})
    topic = Topic.objects.get()
    assert response["Location"] == topic.get_absolute_url()
    staff_url = reverse("forum:topic_create", kwargs={"slug": staff_only_category.slug})
    assert user_client.post(staff_url, {"title": "Big news today", "body": "x"}) \
        .status_code == 403


def test_quote_prefills_the_reply(user_client, make_topic):
    topic = make_topic(body="Line one\n\nLine two")
    post = topic.posts.get()
    response = user_client.get(f"{topic.get_absolute_url()}?quote={post.pk}")
    assert "&gt; Line one\n&gt;\n&gt; Line two" in response.content.decode()
    # Quoting a selection (static/js/forum.js) starts with the same translated line.
    assert f'data-heading="{post.author.name} wrote:"' in response.content.decode()
    assert user_client.get(f"{topic.get_absolute_url()}?quote=nope").status_code == 200


def test_quoting_reply_records_the_quoted_post_and_tells_its_author(user_client, user,
                                                                    make_topic, make_reply):
    topic = make_topic()
    quoted = make_reply(topic=topic, author=UserFactory(), body="Use isolated margin")
    page = user_client.get(f"{topic.get_absolute_url()}?quote={quoted.pk}")
    assert f'name="reply_to" value="{quoted.pk}"' in page.content.decode()
    url = reverse("forum:reply", kwargs={"slug": topic.slug, "pk": topic.pk})
    response = user_client.post(url, {"body": "> Use isolated margin\n\nWill do!",
                                      "reply_to": str(quoted.pk)})
    assert response.status_code == 302
    reply = topic.posts.get(number=3)
    assert reply.reply_to == quoted
    assert list(Notification.objects.filter(recipient=quoted.author)
                .values_list("verb", flat=True)) == [
        f"{user.name} quoted you in “{topic.title}”"]
    # A post of another topic, or no post at all, records nothing.
    elsewhere = make_topic().posts.get()
    for bad in (str(elsewhere.pk), "nope"):
        user_client.post(url, {"body": f"Plain reply {bad}", "reply_to": bad})
    assert list(topic.posts.filter(number__gt=3).values_list("reply_to", flat=True)) == [
        None, None]


def test_edit_and_revisions_pages(user_client, user, make_topic, make_reply, client):
    reply = make_reply(topic=make_topic(), author=user, body="Old words")
    edit = reverse("forum:post_edit", kwargs={"pk": reply.pk})
    assert user_client.get(edit).status_code == 200
    response = user_client.post(edit, {"body": "New words"})
    assert response.status_code == 302
    revisions = user_client.get(reverse("forum:post_revisions", kwargs={"pk": reply.pk}))
    assert b"<del>Old</del> <ins>New</ins> words" in revisions.content
    other = UserFactory()
    client.force_login(other)
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"body": "Vandal"}).status_code == 403
    assert Post.objects.get(pk=reply.pk).body == "New words"


def test_hidden_post_is_a_placeholder_for_others(client, user, make_topic, make_reply):
    topic = make_topic()
    reply = make_reply(topic=topic, author=user, body="Secret tip")
    post_edit(post=reply, editor=user, body="Secret tip, edited")
    client.force_login(user)
    response = client.post(reverse("forum:post_hide", kwargs={"pk": reply.pk}), {"hidden": "1"})
    assert response.status_code == 302
    assert b"Secret tip" in client.get(topic.get_absolute_url()).content
    client.force_login(UserFactory())
    content = client.get(topic.get_absolute_url()).content
    assert b"Secret tip" not in content and b"Post #2 is hidden." in content
    assert client.get(reverse("forum:post_revisions", kwargs={"pk": reply.pk})) \
        .status_code == 404
    client.logout()
    assert b"Post #2 is hidden." in client.get(topic.get_absolute_url()).content


def test_revisions_page_query_count_is_constant(client, user, make_topic, make_reply,
                                                django_assert_num_queries):
    """One edit by its author or five by five editors: the same queries."""
    few = make_reply(topic=make_topic(), author=user, body="Draft 0")
    post_edit(post=few, editor=user, body="Draft 1")
    many = make_reply(topic=make_topic(), author=user, body="Draft 0")
    for n in range(1, 6):
        post_edit(post=many, editor=UserFactory(is_staff=True), body=f"Draft {n}")
    for post, edits in ((few, 1), (many, 5)):
        with django_assert_num_queries(2):
            response = client.get(reverse("forum:post_revisions", kwargs={"pk": post.pk}))
        assert response.content.count(b'class="panel forum-revision"') == edits


def test_topic_page_title_and_meta_description(client, make_topic, make_reply):
    topic = make_topic(title="Grid bots explained",
                       body="A **grid bot** buys low & sells high.\n\nFees: 0.1%.")
    for _ in range(20):
        make_reply(topic=topic)
    first = client.get(topic.get_absolute_url()).content.decode()
    assert "<title>Grid bots explained · General · OKX Community</title>" in first
    # Escaped once: "&amp;", not the "&amp;amp;" of escaping the rendered HTML again.
    assert '<meta name="description" content="A grid bot buys low &amp; sells high. Fees: ' \
        '0.1%.">' in first
    second = client.get(topic.get_absolute_url() + "?page=2").content.decode()
    assert '<meta name="description" content="Grid bots explained">' in second
