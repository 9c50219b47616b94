"""Staff split chosen replies off a topic into a new one; both stay numbered 1..N."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from forum.answers import answer_accept
from forum.models import Category, Post, Topic, TopicRead
from forum.move import topic_merge, topic_split
from forum.services import post_edit, post_hide, post_reply, topic_mark_read
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(make_topic, make_reply, qa_category):
    """A question with replies #2 to #6, each by a new member."""
    topic = make_topic(category=qa_category)
    for _ in range(5):
        make_reply(topic=topic, author=UserFactory())
    return Topic.objects.get(pk=topic.pk)


def posts(topic) -> list[tuple[int, int]]:
    """(number, pk) of each post of ``topic``, in order."""
    return list(Post.objects.filter(topic=topic).order_by("number").values_list("number", "pk"))


def split_url(topic) -> str:
    return reverse("forum:topic_split", kwargs={"pk": topic.pk})


def split(topic, by, numbers, **extra) -> Topic:
    return topic_split(topic=topic, numbers=numbers, by=by,
                       **{"title": "Fees on the new network", "category": None, **extra})


def test_chosen_replies_become_a_new_topic_and_both_are_renumbered(topic, admin_user,
                                                                   qa_category):
    pks = [pk for _number, pk in posts(topic)]
    new = split(topic, admin_user, [5, 3])
    assert posts(new) == [(1, pks[2]), (2, pks[4])]
    assert posts(topic) == [(1, pks[0]), (2, pks[1]), (3, pks[3]), (4, pks[5])]
    opening, last = Post.objects.get(pk=pks[2]), Post.objects.get(pk=pks[4])
    new.refresh_from_db()
    assert (new.title, new.slug, new.category, new.author_id, new.created_at) == (
        "Fees on the new network", "fees-on-the-new-network", qa_category, opening.author_id,
        opening.created_at)
    assert (new.last_post_number, new.last_poster_id, new.last_posted_at) == (
        2, last.author_id, last.created_at)
    topic.refresh_from_db()
    newest = Post.objects.get(pk=pks[5])
    assert (topic.last_post_number, topic.last_poster_id, topic.last_posted_at) == (
        4, newest.author_id, newest.created_at)
    assert Category.objects.filter(pk=qa_category.pk) \
        .values_list("topic_count", "post_count").get() == (2, 6)


def test_renumbering_never_trips_the_unique_numbers(topic, admin_user):
    """Read in the order they are stored (a big topic, where PostgreSQL scans the table), an
    edited post comes after the ones below it: closing the gap in one UPDATE would give #5
    the number #4 still has."""
    for number in (4, 5):
        post = Post.objects.get(topic=topic, number=number)
        post_edit(post=post, editor=post.author, body=f"Corrected reply {number}.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
    split(topic, admin_user, [3])
    bodies = Post.objects.filter(topic=topic).order_by("number").values_list("body", flat=True)
    assert list(bodies)[2:4] == ["Corrected reply 4.", "Corrected reply 5."]


def test_into_another_category_the_counts_move_too(topic, admin_user, forum_category,
                                                   qa_category):
    new = split(topic, admin_user, [2, 3, 4, 5, 6], category=forum_category)
    assert new.category == forum_category and len(posts(new)) == 5
    counts = Category.objects.filter(pk__in=[forum_category.pk, qa_category.pk]) \
        .order_by("pk").values_list("topic_count", "post_count")
    assert list(counts) == [(1, 5), (1, 1)]


def test_read_positions_follow_the_renumbering(topic, admin_user):
    readers = {number: UserFactory() for number in (2, 3, 4, 6)}
    for number, reader in readers.items():
        topic_mark_read(topic=topic, user=reader, number=number)
    split(topic, admin_user, [3, 5])
    # 2 read nothing that left; 3 read up to a post that left; 4 and 6 lost one or two below.
    assert {number: TopicRead.objects.get(topic=topic, user=reader).last_read_number
            for number, reader in readers.items()} == {2: 2, 3: 2, 4: 3, 6: 4}


def test_an_answer_that_leaves_is_no_longer_accepted(topic, admin_user):
    answer = Post.objects.get(topic=topic, number=4)
    answer_accept(post=answer, by=admin_user)
    split(topic, admin_user, [2])
    assert Topic.objects.get(pk=topic.pk).accepted_post_id == answer.pk
    new = split(topic, admin_user, [3])
    assert Topic.objects.get(pk=topic.pk).accepted_post_id is None
    assert new.accepted_post_id is None and posts(new) == [(1, answer.pk)]


def test_a_hidden_opening_post_makes_a_hidden_topic_and_flags_stay(topic, admin_user):
    topic.is_locked = topic.is_pinned = True
    topic.save()
    post_hide(post=Post.objects.get(topic=topic, number=2), by=admin_user, hidden=True)
    new = split(topic, admin_user, [2, 3])
    assert new.is_hidden and not new.is_locked and not new.is_pinned
    topic.refresh_from_db()
    assert topic.is_locked and topic.is_pinned and not topic.is_hidden


@pytest.mark.parametrize("change, message", [
    ({"numbers": [1, 2]}, "Post #1 opens the topic"),
    ({"numbers": []}, "Choose the replies"),
    ({"numbers": [2, 7, 0]}, "no posts #0, #7"),
    ({"title": " Fee "}, "title of at least 5 characters"),
    ({"title": "x" * 201}, "title under 200 characters"),
])
def test_bad_input_changes_nothing(topic, admin_user, change, message):
    before = posts(topic)
    with pytest.raises(ValidationError, match=message):
        split(topic, admin_user, **{"numbers": [2], **change})
    assert posts(topic) == before and Topic.objects.count() == 1


def test_sections_merged_topics_and_members_are_refused(topic, admin_user, forum_section,
                                                        make_topic):
    with pytest.raises(ValidationError, match="sections hold categories"):
        split(topic, admin_user, [2], category=forum_section)
    for person in (UserFactory(), topic.author):
        with pytest.raises(PermissionDenied):
            split(topic, person, [2])
    topic_merge(topic=topic, into=make_topic(), by=admin_user)
    with pytest.raises(ValidationError, match="merged into another"):
        split(topic, admin_user, [2])


@pytest.mark.django_db(transaction=True)
def test_numbering_survives_staff_and_replies_at_once(postgres, topic, admin_user):
    """Real concurrent transactions on PostgreSQL: two splits and two replies race."""
    barrier = threading.Barrier(4)
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except ValidationError:
            pass  # a split whose numbers the other one took away first
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    actions = [lambda: split(topic, admin_user, [2, 4]), lambda: split(topic, admin_user, [5]),
               lambda: post_reply(topic=topic, author=topic.author, body="Still waiting."),
               lambda: post_reply(topic=topic, author=admin_user, body="We are on it.")]
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for each in Topic.objects.all():
        numbers = [number for number, _pk in posts(each)]
        assert numbers == list(range(1, len(numbers) + 1)) == list(
            range(1, each.last_post_number + 1))
    assert Post.objects.count() == 8


# --- The page ---------------------------------------------------------------------------------

def test_the_form_lists_the_posts_by_number(topic, admin_client, make_reply,
                                            django_assert_num_queries):
    admin_client.get(split_url(topic))  # from then on the bell's unread count is cached
    with django_assert_num_queries(6):
        response = admin_client.get(split_url(topic))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="numbers"' in html
    assert all(f'<td class="num">#{number}</td>' in html for number in range(1, 7))
    for _ in range(20):
        make_reply(topic=topic)
    with django_assert_num_queries(6):
        html = admin_client.get(split_url(topic)).content.decode()
    assert '<td class="num">#20</td>' in html and '<td class="num">#21</td>' not in html
    assert '<td class="num">#21</td>' in admin_client.get(f"{split_url(topic)}?page=2") \
        .content.decode()


def test_posting_numbers_and_ranges_splits(topic, admin_client, forum_category):
    pks = [pk for _number, pk in posts(topic)]
    response = admin_client.post(split_url(topic), {
        "numbers": "#3, 5 - 6", "title": "  Fees  on the new network ",
        "category": forum_category.pk})
    new = Topic.objects.exclude(pk=topic.pk).get()
    assert response.status_code == 302 and response.url == new.get_absolute_url()
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The chosen replies are now this new topic."]
    assert posts(new) == [(1, pks[2]), (2, pks[4]), (3, pks[5])]
    assert (new.title, new.category) == ("Fees on the new network", forum_category)


@pytest.mark.parametrize("numbers, title, message", [
    ("3 and 4", "Fees again", "Write post numbers such as 4, 7-9"),
    ("4-2", "Fees again", "4-2 is not a range of this topic"),
    ("2-999999999", "Fees again", "2-999999999 is not a range of this topic"),
    ("1-2", "Fees again", "Post #1 opens the topic"),
    ("9", "Fees again", "This topic has no post #9"),
    ("", "Fees again", "This field is required"),
    ("2", "Fee", "at least 5 characters"),
])
def test_bad_input_is_a_400_with_the_reason(topic, admin_client, numbers, title, message):
    response = admin_client.post(split_url(topic), {
        "numbers": numbers, "title": title, "category": topic.category_id})
    assert response.status_code == 400 and message in response.content.decode()
    assert Topic.objects.count() == 1 and len(posts(topic)) == 6


def test_others_get_a_404_and_visitors_are_sent_to_sign_in(topic, client):
    url = split_url(topic)
    data = {"numbers": "2", "title": "Fees again", "category": topic.category_id}
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(topic.author)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert Topic.objects.count() == 1
