"""The demo: a mobile-app survey with a few hundred responses in both languages, some
written answers in the feedback inbox, and a support survey; loading twice changes nothing."""

import io

import pytest

from accounts import demo as accounts_demo
from feedback import demo as feedback_demo
from feedback.models import FeedbackItem
from surveys import demo
from surveys.models import Answer, Response, Survey
from surveys.results import Filters, survey_results
from surveys.selectors import survey_questions

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_results_page_and_loads_once(client):
    accounts_demo.load(io.StringIO())
    feedback_demo.load(io.StringIO())
    demo.load(io.StringIO())
    mobile = Survey.objects.get(slug="mobile-app-2026")
    assert Survey.objects.get(slug="support-satisfaction").is_support_survey
    responses = Response.objects.filter(survey=mobile)
    assert responses.count() == demo.GENERATED + 2
    assert set(responses.values_list("language", flat=True)) == {"en", "zh-hans"}
    texts = Answer.objects.filter(response__survey=mobile).exclude(text="")
    assert texts.filter(response__language="zh-hans").exists()
    assert texts.filter(response__language="en").exists()
    assert FeedbackItem.objects.filter(source="surveys.answer").count() == 2

    summary = survey_results(survey=mobile, questions=survey_questions(mobile),
                             filters=Filters())
    nps = summary.questions[0].nps
    assert 0 < nps.promoters < 100 and 0 < nps.detractors < 100
    assert len([day for day, count in summary.per_day if count]) > 20

    counts = (Survey.objects.count(), Response.objects.count(), Answer.objects.count())
    demo.load(io.StringIO())
    assert (Survey.objects.count(), Response.objects.count(), Answer.objects.count()) == counts
