"""AMA pages through the test client: asking, voting with and without JavaScript, the host
view (hosts and staff only, a 404 for anyone else), the archive, and exact query counts."""

from datetime import timedelta

import pytest

from events.models import AmaQuestion, AmaVote
from events.services import ama_question_answer, ama_question_ask, ama_vote_toggle
from feedback.models import FeedbackItem
from tests.events.conftest import make_ama
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/en/events/ama/wallet-ama/"
JSON = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def vote_url(question) -> str:
    return f"{URL}questions/{question.pk}/vote/"


def test_a_member_asks_and_is_sent_to_the_question(user_client, ama):
    response = user_client.post(URL, {"body": "Will you support **passkeys**?"})
    question = AmaQuestion.objects.get()
    assert response.status_code == 302 and response.url == f"{URL}#question-{question.pk}"
    page = user_client.get(URL).content.decode()
    assert "<strong>passkeys</strong>" in page and "Your question is in." in page


def test_a_session_to_come_takes_questions_and_a_running_one_says_live(user_client, ama):
    assert "Live now" in user_client.get(URL).content.decode()
    make_ama(slug="later", starts_in=timedelta(days=2))
    page = user_client.get("/en/events/ama/later/").content.decode()
    assert "Live now" not in page and 'name="body"' in page


def test_a_question_asked_in_chinese_goes_to_feedback_in_chinese(client, ama):
    client.force_login(UserFactory())
    client.post("/zh-hans/events/ama/wallet-ama/", {"body": "支持通行密钥吗？"})
    question = AmaQuestion.objects.get()
    assert question.language == "zh-hans"
    client.force_login(UserFactory(is_staff=True))
    client.post(f"{URL}questions/{question.pk}/feedback/")
    assert FeedbackItem.objects.get().language == "zh-hans"


def test_an_empty_question_is_explained_and_nothing_stored(user_client, ama):
    response = user_client.post(URL, {"body": "   "})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not AmaQuestion.objects.exists()


def test_visitors_are_asked_to_log_in(client, ama):
    assert "Log in to ask a question" in client.get(URL).content.decode()
    response = client.post(URL, {"body": "Anonymous?"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not AmaQuestion.objects.exists()


def test_asking_is_rate_limited(user_client, ama):
    for n in range(10):
        assert user_client.post(URL, {"body": f"Question {n}"}).status_code == 302
    response = user_client.post(URL, {"body": "One too many"})
    assert response.status_code == 429 and "many questions" in response.content.decode()
    assert AmaQuestion.objects.count() == 10


def test_voting_works_without_javascript(user_client, user, ama, members):
    question = ama_question_ask(session=ama, author=members[0], body="Keys?")
    response = user_client.post(vote_url(question))
    assert response.status_code == 302 and response.url == f"{URL}#question-{question.pk}"
    assert AmaVote.objects.filter(question=question, user=user).exists()
    assert 'aria-pressed="true"' in user_client.get(URL).content.decode()
    user_client.post(vote_url(question))
    assert not AmaVote.objects.exists()


def test_voting_by_fetch_gets_json_and_counts_once(user_client, ama, members):
    question = ama_question_ask(session=ama, author=members[0], body="Keys?")
    ama_vote_toggle(question=question, user=members[1])
    assert user_client.post(vote_url(question), **JSON).json() == {"voted": True, "count": 2}
    assert user_client.post(vote_url(question), **JSON).json() == {"voted": False, "count": 1}
    assert user_client.get(vote_url(question)).status_code == 405


def test_a_visitors_vote_by_fetch_is_told_where_to_log_in(client, ama, members):
    question = ama_question_ask(session=ama, author=members[0], body="Keys?")
    response = client.post(vote_url(question), **JSON)
    assert response.status_code == 401 and "/accounts/login/" in response.json()["login_url"]


def test_the_archive_refuses_questions_and_votes(user_client, members):
    session = make_ama(slug="old-ama", starts_in=timedelta(days=-2))  # ended long ago
    question = AmaQuestion.objects.create(session=session, author=members[0], body="Old",
                                          body_html="<p>Old</p>")
    url = "/en/events/ama/old-ama/"
    page = user_client.get(url).content.decode()
    assert "This session has ended" in page and 'name="body"' not in page
    assert "/vote/" not in page
    response = user_client.post(url, {"body": "Too late?"})
    assert response.status_code == 409 and "has ended" in response.content.decode()
    response = user_client.post(f"{url}questions/{question.pk}/vote/", **JSON)
    assert response.status_code == 400 and "has ended" in response.json()["error"]
    assert AmaQuestion.objects.filter(session=session).count() == 1
    assert not AmaVote.objects.exists()


def test_the_host_view_is_a_404_for_others(client, ama, host, members):
    question = ama_question_ask(session=ama, author=members[0], body="Keys?")
    client.force_login(members[1])
    assert client.get(f"{URL}host/").status_code == 404
    assert client.post(f"{URL}questions/{question.pk}/answer/",
                       {"answer": "Hijack"}).status_code == 404
    assert client.post(f"{URL}questions/{question.pk}/hide/", {"hidden": "1"}).status_code \
        == 404
    question.refresh_from_db()
    assert not question.is_answered and not question.is_hidden
    assert "Host view" not in client.get(URL).content.decode()


def test_the_host_answers_and_hides(client, ama, host, members):
    keys = ama_question_ask(session=ama, author=members[0], body="Keys?")
    spam = ama_question_ask(session=ama, author=members[1], body="Buy my coin")
    client.force_login(host)
    assert "Keys?" in client.get(f"{URL}host/").content.decode()
    response = client.post(f"{URL}questions/{keys.pk}/answer/", {"answer": "Yes, in *May*."})
    assert response.status_code == 302
    client.post(f"{URL}questions/{spam.pk}/hide/", {"hidden": "1"})
    page = client.get(URL).content.decode()
    assert "<em>May</em>" in page and "Buy my coin" not in page
    assert "Buy my coin" in client.get(f"{URL}host/").content.decode()
    client.post(f"{URL}questions/{spam.pk}/hide/", {"hidden": "0"})
    assert "Buy my coin" in client.get(URL).content.decode()
    assert client.post(f"{URL}questions/{keys.pk}/answer/", {"answer": ""}).status_code == 302
    keys.refresh_from_db()
    assert keys.answer == "Yes, in *May*."


def test_only_staff_send_to_feedback(client, ama, host, members):
    question = ama_question_ask(session=ama, author=members[0], body="Passkeys please")
    client.force_login(host)
    assert "Send to feedback" not in client.get(f"{URL}host/").content.decode()
    assert client.post(f"{URL}questions/{question.pk}/feedback/").status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert "Send to feedback" in client.get(f"{URL}host/").content.decode()
    assert client.post(f"{URL}questions/{question.pk}/feedback/").status_code == 302
    assert "Sent to feedback" in client.get(f"{URL}host/").content.decode()
    assert FeedbackItem.objects.get().source == "events.ama"


def test_an_unpublished_session_is_a_404_but_for_staff(client, user):
    make_ama(slug="secret", is_published=False)
    client.force_login(user)
    assert client.get("/en/events/ama/secret/").status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/en/events/ama/secret/").status_code == 200


def test_the_page_runs_a_fixed_number_of_queries(user_client, ama, host, members,
                                                 django_assert_num_queries):
    user_client.get(URL)  # from then on the bell's unread count is cached
    # user (the session and unread count come from the cache); the AMA session, its
    # translations, its hosts; the questions with their authors, answerers and whether the
    # reader voted
    with django_assert_num_queries(5):
        assert user_client.get(URL).status_code == 200
    for n in range(8):
        question = ama_question_ask(session=ama, author=members[n % 4], body=f"Q{n}")
        for voter in members[: n % 4]:
            ama_vote_toggle(question=question, user=voter)
        if n % 3 == 0:
            ama_question_answer(question=question, by=host, answer=f"A{n}")
    with django_assert_num_queries(5):
        page = user_client.get(URL).content.decode()
    assert page.count('class="card ama-question') == 8
    user_client.force_login(host)
    with django_assert_num_queries(6):  # and the host's unread count, not cached yet
        assert user_client.get(f"{URL}host/").status_code == 200
