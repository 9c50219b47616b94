"""Written answers reach the feedback pipeline (feedback.services.feedback_submit) with the
survey's product area and tags, low scores travel with the comment, and each answer is sent
once however often its response is submitted again."""

import pytest

from feedback.models import FeedbackItem, ItemTag
from surveys.models import Survey
from tests.feedback.conftest import make_taxonomy
from tests.surveys.conftest import HAPPY, form_data, make_survey, question, respond

pytestmark = pytest.mark.django_db

URL = "/en/surveys/mobile-app/"


@pytest.fixture
def survey(db):
    make_taxonomy()
    return make_survey(product_area="mobile-app", feedback_tags="app-crash,praise,unknown")


def test_written_answers_go_to_the_feedback_pipeline(user_client, user, survey):
    answers = {**HAPPY, 5: "Yes", 6: "The app crashes when I open the chart",
               8: "Love the new design"}
    assert user_client.post(URL, form_data(survey, answers)).status_code == 302
    items = {item.body.split("\n")[0]: item for item in FeedbackItem.objects.all()}
    assert set(items) == {"The app crashes when I open the chart", "Love the new design"}
    crash = items["The app crashes when I open the chart"]
    response = user.survey_responses.get()
    assert crash.source == "surveys.answer" and crash.author == user
    assert crash.source_ref == f"surveys.answer:{response.pk}:{question(survey, 6).pk}"
    assert crash.title == "The app crashes when I open the chart"
    assert crash.language == "en" and not crash.is_public
    assert crash.product_area.slug == "mobile-app"
    # The survey's known tags exactly (rules may add more themselves, marked "auto").
    assert set(ItemTag.objects.filter(item=crash, auto=False)
               .values_list("tag__slug", flat=True)) == {"app-crash", "praise"}
    assert "Mobile app survey — What were you doing when it crashed?" in crash.body
    # A happy respondent's scores are not low: nothing more travels with the text.
    assert "/10" not in crash.body and "/5" not in crash.body


def test_a_low_score_travels_with_the_comment(user_client, survey):
    answers = {**HAPPY, 1: 3, 2: 2, 8: "Withdrawals are too slow"}
    user_client.post(URL, form_data(survey, answers))
    item = FeedbackItem.objects.get()
    assert "How likely are you to recommend the OKX app?: 3/10" in item.body
    assert "How satisfied are you with the app?: 2/5" in item.body


def test_a_low_score_without_a_comment_sends_nothing(user_client, survey):
    user_client.post(URL, form_data(survey, {**HAPPY, 1: 0, 2: 1}))
    assert not FeedbackItem.objects.exists()


def test_chinese_answers_are_sent_in_chinese(client, survey):
    answers = {**HAPPY, 8: "希望增加深色模式"}
    assert client.post("/zh-hans/surveys/mobile-app/", form_data(survey, answers)) \
        .status_code == 302
    item = FeedbackItem.objects.get()
    assert item.language == "zh-hans" and item.author is None
    assert "移动应用调查 — 还有其他意见吗？" in item.body


def test_each_answer_is_sent_once_even_when_edited(user_client, survey):
    Survey.objects.filter(pk=survey.pk).update(allow_edit=True)
    user_client.post(URL, form_data(survey, {**HAPPY, 8: "First thought"}))
    user_client.post(URL, form_data(survey, {**HAPPY, 8: "Second thought"}))
    assert list(FeedbackItem.objects.values_list("title", flat=True)) == ["First thought"]
    # A written answer given only now is new: it is sent.
    user_client.post(URL, form_data(survey, {**HAPPY, 5: "Yes", 6: "Crash on login",
                                             8: "Second thought"}))
    assert sorted(FeedbackItem.objects.values_list("title", flat=True)) == [
        "Crash on login", "First thought"]


def test_drafts_send_nothing(survey):
    respond(survey, {8: "Not finished"}, submit=False)
    assert not FeedbackItem.objects.exists()


def test_a_long_answer_gets_a_short_title(survey):
    text = "The order book " * 20
    respond(survey, {**HAPPY, 8: text.strip()})
    item = FeedbackItem.objects.get()
    assert len(item.title) <= 80 and item.title.endswith("…")
    assert item.body.startswith(text.strip())
