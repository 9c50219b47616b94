"""Taking a survey at /surveys/<slug>/: submitting, one response per account or browser,
branching decided on the server (no JavaScript), open and close times, audience, drafts,
the thank-you page, and the page's fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Answer, Response, Survey
from tests.factories import UserFactory
from tests.surveys.conftest import HAPPY, form_data, make_survey, question

pytestmark = pytest.mark.django_db

URL = "/en/surveys/mobile-app/"


def stored(survey) -> dict:
    """{question number: sorted values} of the survey's only response."""
    response = Response.objects.get(survey=survey)
    numbers = {q.pk: n for n, q in enumerate(survey.questions.order_by("position"), start=1)}
    values: dict[int, list] = {}
    for answer in Answer.objects.filter(response=response):
        value = answer.choice_id or answer.number if answer.text == "" else answer.text
        values.setdefault(numbers[answer.question_id], []).append(value)
    return {n: sorted(v) for n, v in values.items()}


def test_a_member_answers_and_lands_on_the_thank_you_page(user_client, user, app_survey):
    app_survey.set_current_language("en")
    app_survey.thank_you = "We read every answer."
    app_survey.save()
    page = user_client.get(URL).content.decode()
    assert "How likely are you to recommend the OKX app?" in page
    # Question 6 does not apply until question 5 is answered "Yes".
    assert "<span data-answered>0</span> of <span data-total>7</span>" in page

    response = user_client.post(URL, form_data(app_survey, HAPPY))
    assert response.status_code == 302 and response["Location"] == URL + "thanks/"
    assert "We read every answer." in user_client.get(URL + "thanks/").content.decode()
    saved = Response.objects.get()
    assert saved.user == user and saved.status == Response.Status.SUBMITTED
    assert saved.language == "en" and saved.submitted_at is not None
    values = stored(app_survey)
    assert values[1] == [9] and values[2] == [5]
    spot, earn = (c.pk for c in question(app_survey, 4).choices.all() if str(c) != "Futures")
    assert values[4] == sorted([spot, earn]) and values[7] == [4, 5]
    assert 6 not in values and 8 not in values


def test_the_page_speaks_chinese(client, app_survey):
    page = client.get("/zh-hans/surveys/mobile-app/").content.decode()
    assert "移动应用调查" in page and "您有多大可能向朋友推荐 OKX 应用？" in page
    assert "苹果手机" in page and "速度" in page


def test_one_response_per_member(user_client, app_survey):
    user_client.post(URL, form_data(app_survey, HAPPY))
    again = user_client.post(URL, form_data(app_survey, {**HAPPY, 1: 2}))
    assert again.status_code == 403
    assert "You have already answered this survey" in again.content.decode()
    assert Response.objects.count() == 1 and stored(app_survey)[1] == [9]
    assert "You have already answered this survey" in user_client.get(URL).content.decode()


def test_answers_editable_until_close_when_the_survey_allows_it(user_client, app_survey):
    Survey.objects.filter(pk=app_survey.pk).update(allow_edit=True)
    user_client.post(URL, form_data(app_survey, HAPPY))
    first = Response.objects.get().submitted_at
    page = user_client.get(URL).content.decode()
    assert "Update my answers" in page and 'value="9" checked' in page
    assert user_client.post(URL, form_data(app_survey, {**HAPPY, 1: 3})).status_code == 302
    response = Response.objects.get()
    assert stored(app_survey)[1] == [3] and response.submitted_at == first
    Survey.objects.filter(pk=app_survey.pk).update(closes_at=timezone.now())
    assert user_client.post(URL, form_data(app_survey, {**HAPPY, 1: 0})).status_code == 403
    assert stored(app_survey)[1] == [3]


def test_one_response_per_browser_for_anonymous_respondents(client, app_survey):
    first = client.post(URL, form_data(app_survey, HAPPY))
    assert first.status_code == 302 and "surveys_browser" in first.cookies
    saved = Response.objects.get()
    assert saved.user is None and len(saved.browser_hash) == 64
    assert first.cookies["surveys_browser"].value not in saved.browser_hash  # hashed
    again = client.post(URL, form_data(app_survey, HAPPY))
    assert again.status_code == 403 and Response.objects.count() == 1

    client.cookies.clear()  # another browser
    assert client.post(URL, form_data(app_survey, HAPPY)).status_code == 302
    assert Response.objects.count() == 2


def test_a_forged_browser_cookie_is_a_new_browser(client, app_survey):
    client.post(URL, form_data(app_survey, HAPPY))
    client.cookies["surveys_browser"] = "forged-token"
    assert client.post(URL, form_data(app_survey, HAPPY)).status_code == 302
    assert Response.objects.count() == 2


def test_branching_without_javascript_condition_not_met(user_client, app_survey):
    """Question 6 (required) applies only after "Yes" in question 5: after "No" it is
    neither required nor stored, even if the form (all questions show) sent text for it."""
    data = form_data(app_survey, {**HAPPY, 6: "It crashed on the chart page."})
    assert user_client.post(URL, data).status_code == 302
    assert 6 not in stored(app_survey)


def test_branching_without_javascript_condition_met(user_client, app_survey):
    answers = {**HAPPY, 5: "Yes"}
    response = user_client.post(URL, form_data(app_survey, answers))
    assert response.status_code == 400
    assert Response.objects.count() == 0
    page = response.content.decode()
    q6 = question(app_survey, 6)
    errors = page[page.index(f'id="question-{q6.pk}"'):page.index(f'id="question-{q6.pk + 1}"')]
    assert "This question needs an answer." in errors

    answers[6] = "It crashed on the chart page."
    assert user_client.post(URL, form_data(app_survey, answers)).status_code == 302
    assert stored(app_survey)[6] == ["It crashed on the chart page."]


def test_a_conditional_question_says_when_it_applies(client, app_survey):
    page = client.get(URL).content.decode()
    assert "Answer only if you chose “Yes” in question 5." in page
    q6 = question(app_survey, 6)
    assert f'data-show-if="{question(app_survey, 5).pk}"' in page
    assert f'data-show-if-choice="{q6.show_if_choice_id}"' in page


def test_score_range_conditions(user_client):
    survey = make_survey(questions=[
        {"kind": "nps", "text": "Recommend us?", "required": True},
        {"kind": "long_text", "text": "What disappointed you?", "required": True,
         "show_if": (1, 0, 6)},
    ])
    assert user_client.post(URL, form_data(survey, {1: 9})).status_code == 302
    Response.objects.all().delete()
    assert user_client.post(URL, form_data(survey, {1: 4})).status_code == 400
    assert user_client.post(URL, form_data(survey, {1: 4, 2: "Slow."})).status_code == 302


def test_chained_conditions_hide_what_depends_on_a_hidden_question(user_client):
    survey = make_survey(questions=[
        {"kind": "single", "text": "Trade?", "choices": [("Yes", ""), ("No", "")]},
        {"kind": "single", "text": "Futures?", "choices": [("Yes", ""), ("No", "")],
         "show_if": (1, "Yes")},
        {"kind": "short_text", "text": "Which pairs?", "required": True,
         "show_if": (2, "Yes")},
    ])
    # Question 2 is hidden by question 1, so its "Yes" does not bring question 3 in.
    assert user_client.post(URL, form_data(survey, {1: "No", 2: "Yes"})).status_code == 302
    assert stored(survey) == {1: [question(survey, 1).choices.last().pk]}


@pytest.mark.parametrize("when", ["closed", "scheduled", "unpublished"])
def test_closed_or_not_yet_open_surveys_refuse_answers(client, user, when):
    now = timezone.now()
    fields = {"closed": {"closes_at": now - timedelta(minutes=1)},
              "scheduled": {"opens_at": now + timedelta(days=1)},
              "unpublished": {"is_published": False}}[when]
    survey = make_survey(**fields)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)  # staff see an unpublished survey, and still cannot answer it
    page = client.get(URL)
    assert page.status_code == 200 and f'data-refusal="{when}"' in page.content.decode()
    assert "<form method=\"post\" class=\"survey-form\"" not in page.content.decode()
    assert client.post(URL, form_data(survey, HAPPY)).status_code == 403
    assert not Response.objects.exists()


def test_an_unpublished_survey_is_a_404_for_everyone_else(client, user):
    make_survey(is_published=False)
    assert client.get(URL).status_code == 404
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.get("/en/surveys/no-such-survey/").status_code == 404


def test_members_only_surveys_ask_visitors_to_log_in(client, user):
    survey = make_survey(audience=Survey.Audience.MEMBERS)
    page = client.get(URL).content.decode()
    assert 'data-refusal="login"' in page and "/en/accounts/login/?next=" in page
    assert client.post(URL, form_data(survey, HAPPY)).status_code == 403
    assert not Response.objects.exists()
    client.force_login(user)
    assert client.post(URL, form_data(survey, HAPPY)).status_code == 302


def test_a_member_saves_a_draft_and_finishes_later(user_client, app_survey):
    partial = {1: 7, 3: "Android"}
    response = user_client.post(URL, form_data(app_survey, partial, save_draft="1"))
    assert response.status_code == 302 and response["Location"] == URL
    draft = Response.objects.get()
    assert draft.status == Response.Status.DRAFT and draft.submitted_at is None
    page = user_client.get(URL).content.decode()
    assert "Your draft from" in page and 'value="7" checked' in page
    assert "<span data-answered>2</span>" in page
    android = question(app_survey, 3).choices.last().pk
    assert f'value="{android}" checked' in page

    assert user_client.post(URL, form_data(app_survey, HAPPY)).status_code == 302
    assert Response.objects.get().status == Response.Status.SUBMITTED


def test_an_anonymous_draft_follows_the_browser(client, app_survey):
    client.post(URL, form_data(app_survey, {1: 7}, save_draft="1"))
    assert 'value="7" checked' in client.get(URL).content.decode()
    client.cookies.clear()
    assert 'value="7" checked' not in client.get(URL).content.decode()


def test_a_draft_still_checks_what_was_given(user_client, app_survey):
    response = user_client.post(URL, form_data(app_survey, {1: 11}, save_draft="1"))
    assert response.status_code == 400 and not Response.objects.exists()
    assert "Give a score from 0 to 10." in response.content.decode()


def garbage(survey) -> list[tuple[int, dict, str]]:
    """(question number, posted fields, expected message) for bad values of every kind."""
    q = {n: question(survey, n) for n in range(1, 9)}
    other_option = question(survey, 5).choices.first().pk  # an option of another question
    row = q[7].rows.first().pk
    return [
        (1, {f"q{q[1].pk}": "11"}, "Give a score from 0 to 10."),
        (1, {f"q{q[1].pk}": "-1"}, "Give a score from 0 to 10."),
        (1, {f"q{q[1].pk}": "nine"}, "Give a score from 0 to 10."),
        (1, {f"q{q[1].pk}": "٩"}, "Give a score from 0 to 10."),  # an Arabic-Indic digit
        (1, {f"q{q[1].pk}": ["9", "10"]}, "Give one answer only."),
        (2, {f"q{q[2].pk}": "0"}, "Give a score from 1 to 5."),
        (2, {f"q{q[2].pk}": "4.5"}, "Give a score from 1 to 5."),
        (2, {f"q{q[2].pk}": "9" * 400}, "Give a score from 1 to 5."),
        (3, {f"q{q[3].pk}": str(other_option)}, "Choose one of the options."),
        (3, {f"q{q[3].pk}": "x"}, "Choose one of the options."),
        (3, {f"q{q[3].pk}": [str(c.pk) for c in q[3].choices.all()]},
         "Choose only one option."),
        (4, {f"q{q[4].pk}": [str(q[4].choices.first().pk), "999999"]},
         "Choose one of the options."),
        (7, {f"q{q[7].pk}_{row}": "6"}, "Give a score from 1 to 5."),
        (7, {f"q{q[7].pk}_{row}": "0x1"}, "Give a score from 1 to 5."),
        (8, {f"q{q[8].pk}": "x" * 301}, "Keep it to 300 characters (it has 301)."),
        (8, {f"q{q[8].pk}": "nul\x00byte"}, "This text contains characters that are not "
                                             "allowed."),
        (8, {f"q{q[8].pk}": ["a", "b"]}, "Give one answer only."),
    ]


def test_bad_input_of_every_kind_gets_a_message_and_stores_nothing(user_client, app_survey):
    base = form_data(app_survey, HAPPY)
    for number, fields, message in garbage(app_survey):
        response = user_client.post(URL, {**base, **fields})
        assert response.status_code == 400, (number, fields)
        page = response.content.decode()
        pk = question(app_survey, number).pk
        block = page[page.index(f'id="question-{pk}"'):]
        assert message in block[:block.index("</fieldset>")], (number, fields)
        assert not Response.objects.exists()


def test_a_long_text_keeps_what_was_typed_when_too_long(user_client):
    survey = make_survey(questions=[{"kind": "long_text", "text": "Tell us more"}])
    text = "Slow charts. " * 400
    response = user_client.post(URL, form_data(survey, {1: text}))
    assert response.status_code == 400
    assert "Keep it to 5000 characters" in response.content.decode()
    assert text.strip()[:200] in response.content.decode()


def test_a_required_matrix_needs_every_row(user_client):
    survey = make_survey(questions=[{"kind": "matrix", "text": "Rate", "required": True,
                                     "rows": [("Speed", ""), ("Charts", "")]}])
    response = user_client.post(URL, form_data(survey, {1: {"Speed": 3}}))
    assert response.status_code == 400 and "Rate every row." in response.content.decode()
    assert user_client.post(URL, form_data(survey, {1: {"Speed": 3, "Charts": 1}})) \
        .status_code == 302


def test_posting_is_rate_limited(user_client, app_survey, settings):
    settings.SURVEYS_POSTS_PER_HOUR = 2
    for _n in range(2):
        user_client.post(URL, form_data(app_survey, {1: 5}, save_draft="1"))
    response = user_client.post(URL, form_data(app_survey, HAPPY))
    assert response.status_code == 429
    assert Response.objects.get().status == Response.Status.DRAFT


def test_the_list_shows_the_open_surveys_one_may_take(client, user):
    make_survey()
    make_survey(slug="members", title="Members' survey", audience=Survey.Audience.MEMBERS)
    make_survey(slug="closed", title="Old survey", closes_at=timezone.now())
    make_survey(slug="draft", title="Draft survey", is_published=False)
    page = client.get("/en/surveys/").content.decode()
    assert "Mobile app survey" in page and "Members&#x27; survey" not in page
    assert "Old survey" not in page and "Draft survey" not in page
    client.force_login(user)
    page = client.get("/en/surveys/").content.decode()
    assert "Mobile app survey" in page and "Members&#x27; survey" in page
    assert "You have answered it" not in page


def test_the_list_marks_what_one_answered(user_client, app_survey):
    user_client.post(URL, form_data(app_survey, HAPPY))
    assert "You have answered it" in user_client.get("/en/surveys/").content.decode()


def test_the_pages_run_a_fixed_number_of_queries(user_client, django_assert_num_queries):
    survey = make_survey()
    user_client.get(URL)  # from then on the bell's unread count is cached
    # user (the session and unread count come from the cache); survey + translations, the
    # respondent's response, questions, options and rows, each with translations; then the
    # draft's answers
    with django_assert_num_queries(10):
        assert user_client.get(URL).status_code == 200
    user_client.post(URL, form_data(survey, HAPPY, save_draft="1"))
    with django_assert_num_queries(11):
        assert user_client.get(URL).status_code == 200
    bigger = make_survey(slug="bigger", questions=[
        {"kind": "single", "text": f"Question {n}", "choices": [("A", "甲"), ("B", "乙")]}
        for n in range(12)] + [{"kind": "matrix", "text": "Rate", "rows": [("x", "")] * 4}])
    user_client.post("/en/surveys/bigger/", form_data(bigger, {1: "A"}, save_draft="1"))
    with django_assert_num_queries(11):
        assert user_client.get("/en/surveys/bigger/").status_code == 200


def test_the_list_runs_a_fixed_number_of_queries(user_client, django_assert_num_queries):
    make_survey()
    user_client.get("/en/surveys/")  # from then on the bell's unread count is cached
    # user (the session and unread count come from the cache); the surveys with whether one
    # answered, their translations
    with django_assert_num_queries(3):
        assert user_client.get("/en/surveys/").status_code == 200
    for n in range(6):
        make_survey(slug=f"more-{n}", title=f"Survey {n}", questions=[])
    with django_assert_num_queries(3):
        page = user_client.get("/en/surveys/").content.decode()
    assert page.count('class="card survey-card"') == 7 and "Survey 5" in page


def test_a_submitted_response_cannot_go_back_to_an_incomplete_draft(user_client, app_survey):
    Survey.objects.filter(pk=app_survey.pk).update(allow_edit=True)
    user_client.post(URL, form_data(app_survey, HAPPY))
    response = user_client.post(URL, form_data(app_survey, {1: 4}, save_draft="1"))
    assert response.status_code == 400  # checked as a submission: the required are missing
    assert Response.objects.get().status == Response.Status.SUBMITTED
    assert stored(app_survey)[2] == [5]
