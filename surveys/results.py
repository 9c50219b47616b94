"""What staff read about a survey: counts per option and score, NPS, CSAT and averages,
responses per day, and the written answers. Counting happens in SQL, grouped by question and
value, so the page costs the same few queries whatever the number of responses.

The arithmetic, over the respondents who answered the question (a skipped question counts
for nothing):

* **NPS** = % promoters (9–10) − % detractors (0–6), from −100 to 100.
* **CSAT** = % of ratings that are 4 or 5.
* **Average** = the mean score.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404

from accounts.selectors import user_is_staff
from surveys.models import (
    CHOICE_KINDS,
    MATRIX_SCALE,
    SCORE_RANGES,
    TEXT_KINDS,
    Answer,
    Question,
    Response,
    Survey,
)
from surveys.selectors import survey_get

TEXT_ANSWERS_PER_PAGE = 20
PROMOTERS, DETRACTORS = 9, 6  # NPS: 9–10 promote, 0–6 detract
SATISFIED = 4  # CSAT: 4–5 are satisfied


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def average(counts: dict[int, int]) -> float | None:
    """The mean of scores given as {score: how many}; None without any."""
    total = sum(counts.values())
    return round(sum(score * n for score, n in counts.items()) / total, 2) if total else None


@dataclass(frozen=True)
class Nps:
    promoters: float  # percent of those who answered
    detractors: float
    score: float  # promoters − detractors


def nps(counts: dict[int, int]) -> Nps | None:
    """The Net Promoter Score of 0–10 scores given as {score: how many}; None without any."""
    total = sum(counts.values())
    if not total:
        return None
    promoters = sum(n for score, n in counts.items() if score >= PROMOTERS)
    detractors = sum(n for score, n in counts.items() if score <= DETRACTORS)
    return Nps(promoters=percent(promoters, total), detractors=percent(detractors, total),
               score=round(100 * (promoters - detractors) / total, 1))


def csat(counts: dict[int, int]) -> float | None:
    """The share (percent) of 1–5 ratings that are 4 or 5; None without any."""
    total = sum(counts.values())
    return percent(sum(n for score, n in counts.items() if score >= SATISFIED), total) \
        if total else None


def survey_for_staff(*, slug: str, user) -> Survey:
    """Any survey, for staff; Http404 for anyone else."""
    if not user_is_staff(user):
        raise Http404
    return survey_get(slug=slug, user=user)


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    language: str = ""
    search: str = ""


def responses_filtered(*, survey: Survey, filters: Filters) -> QuerySet[Response]:
    """The submitted responses of ``survey`` in the date range (inclusive) and language."""
    responses = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
    if filters.start:
        responses = responses.filter(submitted_at__date__gte=filters.start)
    if filters.end:
        responses = responses.filter(submitted_at__date__lte=filters.end)
    if filters.language:
        responses = responses.filter(language=filters.language)
    return responses


@dataclass(frozen=True)
class Tally:
    label: str
    count: int
    share: float  # percent of those who answered the question


@dataclass
class QuestionResult:
    question: Question
    number: int
    answered: int  # respondents who answered it
    tallies: list[Tally] = field(default_factory=list)
    average: float | None = None
    nps: Nps | None = None
    csat: float | None = None


@dataclass
class SurveyResults:
    responses: int
    questions: list[QuestionResult]
    per_day: list[tuple[date, int]]


def _days(rows: list[tuple[date, int]], filters: Filters) -> list[tuple[date, int]]:
    """Every day from the first to the last (or the filter's range), with its count."""
    counts = dict(rows)
    first = filters.start or min(counts, default=None)
    last = filters.end or max(counts, default=None)
    if first is None or last is None or last < first:
        return []
    return [(day, counts.get(day, 0))
            for day in (first + timedelta(days=n) for n in range((last - first).days + 1))]


def _tallies(entries: list[tuple[str, int]], whole: int) -> list[Tally]:
    return [Tally(label=str(label), count=n, share=percent(n, whole)) for label, n in entries]


def _question_result(question: Question, number: int, *, answered: int, choices: dict,
                     scores: dict) -> QuestionResult:
    result = QuestionResult(question=question, number=number, answered=answered)
    kind = question.kind
    if kind in CHOICE_KINDS:
        result.tallies = _tallies([(choice, choices.get((question.pk, choice.pk), 0))
                                   for choice in question.choices.all()], answered)
    elif kind in SCORE_RANGES:
        low, high = SCORE_RANGES[kind]
        counts = {score: scores.get((question.pk, None, score), 0)
                  for score in range(low, high + 1)}
        result.tallies = _tallies(list(counts.items()), answered)
        result.average = average(counts)
        result.nps = nps(counts) if kind == Question.Kind.NPS else None
        result.csat = csat(counts) if kind == Question.Kind.RATING else None
    elif kind == Question.Kind.MATRIX:
        low, high = MATRIX_SCALE
        for row in question.rows.all():
            counts = {score: scores.get((question.pk, row.pk, score), 0)
                      for score in range(low, high + 1)}
            row_average = average(counts)
            result.tallies.append(Tally(label=str(row), count=sum(counts.values()),
                                        share=row_average or 0))
    return result


def survey_results(*, survey: Survey, questions: list[Question],
                   filters: Filters) -> SurveyResults:
    """Counts per question, option and score of the filtered responses: three queries.
    A matrix question's tallies are its rows, with their average score as ``share``.
    Precondition: ``questions`` from ``selectors.survey_questions``."""
    responses = responses_filtered(survey=survey, filters=filters)
    answers = Answer.objects.filter(response__in=responses).order_by()
    answered = dict(answers.values_list("question_id").annotate(n=Count("response_id",
                                                                        distinct=True)))
    grouped = answers.values_list("question_id", "choice_id", "row_id", "number") \
        .annotate(n=Count("pk"))
    choices, scores = {}, {}
    for question_id, choice_id, row_id, number, n in grouped:
        if choice_id is not None:
            choices[(question_id, choice_id)] = n
        elif number is not None:
            scores[(question_id, row_id, number)] = n
    per_day = list(responses.annotate(day=TruncDate("submitted_at")).order_by("day")
                   .values_list("day").annotate(n=Count("pk")))
    return SurveyResults(
        responses=sum(n for _day, n in per_day),  # every submitted response has its day
        questions=[_question_result(question, number, answered=answered.get(question.pk, 0),
                                    choices=choices, scores=scores)
                   for number, question in enumerate(questions, start=1)],
        per_day=_days(per_day, filters))


def text_answers_page(*, survey: Survey, questions: list[Question], filters: Filters,
                      page: int | str = 1) -> Page:
    """The written answers of the filtered responses, newest first, containing
    ``filters.search``: two queries. Precondition: ``questions`` from
    ``selectors.survey_questions`` (each answer's ``question`` is taken from them)."""
    answers = Answer.objects.filter(
        response__in=responses_filtered(survey=survey, filters=filters),
        question__kind__in=TEXT_KINDS).exclude(text="").select_related("response") \
        .order_by("-response__submitted_at", "-pk")
    if filters.search:
        answers = answers.filter(text__icontains=filters.search)
    page = Paginator(answers, TEXT_ANSWERS_PER_PAGE).get_page(page)
    by_id = {question.pk: question for question in questions}
    page.object_list = list(page.object_list)
    for answer in page.object_list:
        answer.question = by_id[answer.question_id]
    return page
