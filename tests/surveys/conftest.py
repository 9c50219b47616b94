"""Survey fixtures: ``make_survey`` builds a translated survey from a short description, as
staff do in the admin, and ``form_data`` writes a respondent's answers as the form posts them."""

import pytest
from django.utils.datastructures import MultiValueDict

from surveys.answers import AnswerSheet
from surveys.models import Choice, MatrixRow, Question, Response, Survey
from surveys.selectors import Respondent, survey_questions
from surveys.services import response_save
from tests.factories import UserFactory

K = Question.Kind

# The mobile-app survey of most tests: question 6 shows only if question 5 is "Yes".
APP_QUESTIONS = [
    {"kind": K.NPS, "text": "How likely are you to recommend the OKX app?",
     "zh": "您有多大可能向朋友推荐 OKX 应用？", "required": True},
    {"kind": K.RATING, "text": "How satisfied are you with the app?",
     "zh": "您对应用满意吗？", "required": True},
    {"kind": K.SINGLE, "text": "Which phone do you use?", "zh": "您使用哪种手机？",
     "choices": [("iPhone", "苹果手机"), ("Android", "安卓手机")]},
    {"kind": K.MULTIPLE, "text": "Which features do you use?", "zh": "您使用哪些功能？",
     "choices": [("Spot", "现货"), ("Futures", "合约"), ("Earn", "赚币")]},
    {"kind": K.SINGLE, "text": "Did the app crash last month?", "zh": "上个月应用闪退过吗？",
     "choices": [("Yes", "是"), ("No", "否")], "required": True},
    {"kind": K.LONG_TEXT, "text": "What were you doing when it crashed?",
     "zh": "闪退时您在做什么？", "required": True, "show_if": (5, "Yes")},
    {"kind": K.MATRIX, "text": "Rate these parts of the app", "zh": "请为应用的各部分打分",
     "rows": [("Speed", "速度"), ("Charts", "图表")]},
    {"kind": K.SHORT_TEXT, "text": "Anything else?", "zh": "还有其他意见吗？"},
]


def _translate(obj, en: dict, zh: dict) -> None:
    for language, values in (("en", en), ("zh-hans", zh)):
        if any(values.values()):
            obj.set_current_language(language)
            for name, value in values.items():
                setattr(obj, name, value)
    obj.save()


def make_survey(*, slug="mobile-app", title="Mobile app survey", zh_title="移动应用调查",
                questions=APP_QUESTIONS, **fields) -> Survey:
    """A published survey open to anyone (unless ``fields`` say otherwise) with
    ``questions``: dicts of kind, text, zh, required, choices / rows as (English, Chinese)
    pairs, and show_if as (question number, option label) or (question number, min, max)."""
    fields = {"is_published": True, "audience": Survey.Audience.ANYONE, **fields}
    survey = Survey(slug=slug, **fields)
    _translate(survey, {"title": title}, {"title": zh_title})
    made: list[Question] = []
    for position, spec in enumerate(questions, start=1):
        question = Question(survey=survey, position=position, kind=spec["kind"],
                            required=spec.get("required", False))
        condition = spec.get("show_if")
        if condition:
            about = made[condition[0] - 1]
            question.show_if_question = about
            if len(condition) == 2:
                question.show_if_choice = next(c for c in about.choices.all()
                                               if str(c) == condition[1])
            else:
                question.show_if_min, question.show_if_max = condition[1:]
        _translate(question, {"text": spec["text"]}, {"text": spec.get("zh", "")})
        for n, (en, zh) in enumerate(spec.get("choices", ()), start=1):
            _translate(Choice(question=question, position=n), {"label": en}, {"label": zh})
        for n, (en, zh) in enumerate(spec.get("rows", ()), start=1):
            _translate(MatrixRow(question=question, position=n), {"label": en}, {"label": zh})
        made.append(question)
    return survey


def question(survey: Survey, number: int) -> Question:
    return survey.questions.order_by("position", "pk")[number - 1]


def form_data(survey: Survey, answers: dict[int, object], **extra) -> dict:
    """The POST of a respondent's ``answers`` by question number: a score or a text as is, an
    option by its English label (a list of them for several), a matrix as {row: score}."""
    data = dict(extra)
    for number, value in answers.items():
        q = question(survey, number)
        if q.kind in (K.SINGLE, K.MULTIPLE):
            labels = value if isinstance(value, list) else [value]
            options = {c.safe_translation_getter("label", language_code="en"): c.pk
                       for c in q.choices.all()}
            data[f"q{q.pk}"] = [str(options[label]) for label in labels]
        elif q.kind == K.MATRIX:
            rows = {r.safe_translation_getter("label", language_code="en"): r.pk
                    for r in q.rows.all()}
            data.update({f"q{q.pk}_{rows[label]}": str(score) for label, score in value.items()})
        else:
            data[f"q{q.pk}"] = str(value)
    return data


# Everything required answered, without the crash (so question 6 is hidden).
HAPPY = {1: 9, 2: 5, 3: "iPhone", 4: ["Spot", "Earn"], 5: "No",
         7: {"Speed": 4, "Charts": 5}}


@pytest.fixture
def app_survey(db) -> Survey:
    return make_survey()


def respond(survey: Survey, answers: dict[int, object], *, user=None, language="en",
            submitted_at=None, submit=True):
    """A response of ``user`` (a new member by default) to ``survey``, saved through the
    form and the service as the page does; ``submitted_at`` moves it in time."""
    questions = survey_questions(survey)
    data = MultiValueDict({key: value if isinstance(value, list) else [value]
                           for key, value in form_data(survey, answers).items()})
    sheet = AnswerSheet(questions=questions, data=data, partial=not submit)
    assert sheet.is_valid(), [f.errors for f in sheet.fields]
    response = response_save(survey=survey, questions=questions,
                             respondent=Respondent(user=user or UserFactory()),
                             answers=sheet.cleaned, submit=submit, language=language)
    if submitted_at is not None:
        Response.objects.filter(pk=response.pk).update(submitted_at=submitted_at)
    return response
