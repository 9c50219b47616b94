"""Accepted answers: only in Q&A categories, chosen by the topic's author or staff, never the
question itself; shown under the post; through the view with JSON or a redirect."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from forum.answers import answer_accept, answer_unaccept
from forum.models import Topic
from forum.services import post_hide
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def question(make_topic, qa_category):
    return make_topic(category=qa_category, title="How do I withdraw USDT?")


@pytest.fixture
def answer(question, make_reply):
    return make_reply(topic=question, author=UserFactory(), body="Use TRC-20, it is cheap.")


@pytest.fixture
def staff_member(db):
    return UserFactory(is_staff=True)


def accepted(topic) -> int | None:
    return Topic.objects.get(pk=topic.pk).accepted_post_id


def accept_url(post) -> str:
    return reverse("forum:post_accept", kwargs={"pk": post.pk})


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


# --- The service ------------------------------------------------------------------------------

def test_the_topic_author_accepts_and_the_answerer_hears_of_it(question, answer):
    topic = answer_accept(post=answer, by=question.author)
    assert accepted(question) == answer.pk and topic.is_solved
    assert answer.author.notifications.get().target_url == answer.get_absolute_url()


def test_staff_accept_and_a_new_choice_replaces_the_old(question, answer, make_reply,
                                                        staff_member):
    answer_accept(post=answer, by=staff_member)
    better = make_reply(topic=question, author=UserFactory())
    answer_accept(post=better, by=question.author)
    assert accepted(question) == better.pk


def test_others_may_not_accept_or_unaccept(question, answer):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        answer_accept(post=answer, by=stranger)
    with pytest.raises(PermissionDenied):
        answer_accept(post=answer, by=answer.author)  # not their question
    answer_accept(post=answer, by=question.author)
    with pytest.raises(PermissionDenied):
        answer_unaccept(topic=question, by=stranger)
    assert accepted(question) == answer.pk


def test_only_in_q_and_a_categories(make_topic, make_reply, staff_member):
    topic = make_topic()
    reply = make_reply(topic=topic, author=UserFactory())
    with pytest.raises(ValidationError, match="Q&A"):
        answer_accept(post=reply, by=staff_member)
    assert accepted(topic) is None


def test_the_question_is_not_its_own_answer(question):
    with pytest.raises(ValidationError, match="own answer"):
        answer_accept(post=question.posts.get(number=1), by=question.author)
    assert accepted(question) is None


def test_a_hidden_reply_cannot_be_accepted(question, answer, staff_member):
    post_hide(post=answer, by=staff_member, hidden=True)
    with pytest.raises(ValidationError, match="hidden"):
        answer_accept(post=answer, by=staff_member)


def test_unaccept_clears_the_answer(question, answer):
    answer_accept(post=answer, by=question.author)
    topic = answer_unaccept(topic=question, by=question.author)
    assert accepted(question) is None and not topic.is_solved


# --- The view ---------------------------------------------------------------------------------

def test_the_form_accepts_and_redirects_back_to_the_post(question, answer):
    client = signed_in(question.author)
    response = client.post(accept_url(answer), {"accept": "1"})
    assert response.status_code == 302 and response.url == answer.get_absolute_url()
    assert [str(m) for m in response.wsgi_request._messages] == [
        "This reply is now the accepted answer."]
    assert accepted(question) == answer.pk
    response = client.post(accept_url(answer), {"accept": "0"}, **AJAX)
    assert response.json() == {"accepted": False, "post": answer.pk}
    assert accepted(question) is None


def test_a_stranger_gets_a_403_and_nothing_changes(question, answer):
    client = signed_in(UserFactory())
    assert client.post(accept_url(answer), {"accept": "1"}).status_code == 403
    response = client.post(accept_url(answer), {"accept": "1"}, **AJAX)
    assert response.status_code == 403 and response.json()["error"]
    assert accepted(question) is None


def test_refusals_are_messages_not_errors(question):
    client = signed_in(question.author)
    response = client.post(accept_url(question.posts.get(number=1)), {"accept": "1"}, **AJAX)
    assert response.status_code == 400
    assert response.json() == {"error": "The question cannot be its own answer."}


def test_hidden_topics_are_a_404(question, answer, staff_member):
    post_hide(post=question.posts.get(number=1), by=staff_member, hidden=True)
    client = signed_in(question.author)
    assert client.post(accept_url(answer), {"accept": "1"}).status_code == 404


def test_csrf_is_required(question, answer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(question.author)
    assert client.post(accept_url(answer), {"accept": "1"}).status_code == 403
    assert accepted(question) is None


# --- The buttons ------------------------------------------------------------------------------

def render_actions(post, user) -> str:
    """``post`` as ``user`` sees it on its topic page (the accept decision is the page's)."""
    html = signed_in(user).get(post.topic.get_absolute_url()).content.decode()
    start = html.index(f'id="post-{post.number}"')
    return html[start:html.index("</article>", start)]


def test_only_the_author_and_staff_see_accept_answer(question, answer, staff_member):
    assert "Accept answer" in render_actions(answer, question.author)
    assert "Accept answer" in render_actions(answer, staff_member)
    assert "Accept answer" not in render_actions(answer, UserFactory())
    assert "Accept answer" not in render_actions(question.posts.get(number=1), question.author)


def test_the_accepted_answer_is_marked_for_everyone(question, answer):
    answer_accept(post=answer, by=question.author)
    html = render_actions(answer, UserFactory())
    assert "Accepted answer" in html and "Unaccept" not in html
    assert "Unaccept" in render_actions(answer, question.author)


def test_the_accept_button_each_post_gets(question, answer, make_reply, staff_member):
    from forum.selectors import topic_posts

    hidden = make_reply(topic=question)
    post_hide(post=hidden, by=staff_member, hidden=True)
    answer_accept(post=answer, by=question.author)
    question.refresh_from_db()

    def actions(user):
        return {post.number: (post.accepted, post.accept_action)
                for post in topic_posts(user=user, topic=question)}

    assert actions(question.author) == {1: (False, ""), answer.number: (True, "unaccept"),
                                        hidden.number: (False, "")}
    assert actions(UserFactory()) == {1: (False, ""), answer.number: (True, ""),
                                      hidden.number: (False, "")}


# --- Ambassador points -----------------------------------------------------------------------

def test_an_accepted_answer_earns_an_ambassador_points_until_unaccepted(question, make_reply):
    from programs.selectors import points_total
    from tests.programs.conftest import make_ambassador

    ambassador = make_ambassador()
    answer = make_reply(topic=question, author=ambassador)
    answer_accept(post=answer, by=question.author)
    assert points_total(user=ambassador) == 10
    answer_accept(post=answer, by=question.author)  # accepting again earns nothing more
    assert points_total(user=ambassador) == 10
    answer_unaccept(topic=question, by=question.author)
    assert points_total(user=ambassador) == 0


def test_a_new_choice_moves_the_points(question, make_reply):
    from programs.selectors import points_total
    from tests.programs.conftest import make_ambassador

    first, second = make_ambassador(), make_ambassador()
    answer_accept(post=make_reply(topic=question, author=first), by=question.author)
    answer_accept(post=make_reply(topic=question, author=second), by=question.author)
    assert (points_total(user=first), points_total(user=second)) == (0, 10)
