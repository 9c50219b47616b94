"""The builder in the admin: surveys with their questions, each question's options, rows and
condition (checked), the feedback pipeline's areas and tags to choose from, and read-only
responses."""

import pytest
from django.core.exceptions import ValidationError

from surveys.models import Question, Survey
from tests.factories import UserFactory
from tests.feedback.conftest import make_taxonomy
from tests.surveys.conftest import HAPPY, make_survey, question, respond

pytestmark = pytest.mark.django_db
# The survey, question, response and invitation lists (user and permissions included; the
# session comes from the cache).
FEW_QUERIES = [5, 6, 8, 6]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_pages_open(admin_client, app_survey):
    response = respond(app_survey, {**HAPPY, 8: "Nice"})
    for url in ("/admin/surveys/survey/", "/admin/surveys/survey/add/",
                f"/admin/surveys/survey/{app_survey.pk}/change/",
                f"/admin/surveys/question/{question(app_survey, 3).pk}/change/",
                "/admin/surveys/question/", "/admin/surveys/response/",
                f"/admin/surveys/response/{response.pk}/change/",
                "/admin/surveys/invitation/"):
        assert admin_client.get(url).status_code == 200, url
    listing = admin_client.get("/admin/surveys/survey/").content.decode()
    assert "/en/surveys/mobile-app/results/" in listing


def test_a_survey_is_built_with_the_feedback_taxonomy(admin_client):
    make_taxonomy()
    form = admin_client.get("/admin/surveys/survey/add/").content.decode()
    assert 'value="mobile-app"' in form and 'value="app-crash"' in form
    response = admin_client.post("/admin/surveys/survey/add/", {
        "title": "Earn survey", "slug": "earn", "intro": "", "thank_you": "",
        "audience": "anyone", "product_area": "trading",
        "feedback_tags": ["fees", "praise"], "is_published": "on",
        "questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "0",
        "questions-0-position": "1", "questions-0-text": "How do you like Earn?",
        "questions-0-help": "", "questions-0-kind": "rating", "questions-0-required": "on",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get(slug="earn")
    assert survey.product_area == "trading" and survey.feedback_tags == "fees,praise"
    assert question(survey, 1).kind == Question.Kind.RATING
    assert "How do you like Earn?" in admin_client.get("/en/surveys/earn/").content.decode()


def condition_error(**fields) -> dict:
    survey = make_survey(slug=f"s{Survey.objects.count()}")
    target = question(survey, 8)  # "Anything else?" at position 8
    for name, value in fields.items():
        setattr(target, name, value(survey) if callable(value) else value)
    with pytest.raises(ValidationError) as error:
        target.clean()
    return error.value.message_dict


def test_conditions_are_checked():
    assert "show_if_question" in condition_error(show_if_min=3)
    later = make_survey(slug="later")
    assert "show_if_question" in condition_error(
        show_if_question=lambda s: question(later, 1))  # another survey's question
    assert "show_if_question" in condition_error(
        show_if_question=lambda s: question(s, 8), position=1)  # not an earlier one
    assert "show_if_choice" in condition_error(
        show_if_question=lambda s: question(s, 3),
        show_if_choice=lambda s: question(s, 5).choices.first())  # another question's option
    assert "show_if_min" in condition_error(show_if_question=lambda s: question(s, 1))
    assert "show_if_max" in condition_error(show_if_question=lambda s: question(s, 2),
                                            show_if_max=9)  # ratings go to 5
    assert "show_if_question" in condition_error(
        show_if_question=lambda s: question(s, 7))  # a matrix


def test_a_valid_condition_passes(app_survey):
    target = question(app_survey, 8)
    target.show_if_question, target.show_if_min, target.show_if_max = \
        question(app_survey, 1), 0, 6
    target.clean()


def test_the_admin_lists_cost_the_same_whatever_the_number_of_rows(admin_client):
    from tests.blog.conftest import queries

    urls = ["/admin/surveys/survey/", "/admin/surveys/question/", "/admin/surveys/response/",
            "/admin/surveys/invitation/"]
    first = make_survey()
    respond(first, {**HAPPY, 8: "Nice"})
    few = [queries(admin_client, url) for url in urls]
    for n in range(4):
        survey = make_survey(slug=f"survey-{n}", title=f"Survey {n}", zh_title=f"调查 {n}")
        respond(survey, {**HAPPY, 8: "Fine"}, user=UserFactory())
    assert [queries(admin_client, url) for url in urls] == few == FEW_QUERIES
