"""Every write to surveys: saving and submitting responses, handing written answers to the
feedback pipeline, and creating invitation links."""

import secrets
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from feedback.services import feedback_submit
from surveys import selectors
from surveys.models import (
    SCORE_RANGES,
    TEXT_KINDS,
    Answer,
    FeedbackHandoff,
    Invitation,
    Question,
    Response,
    Survey,
)
from surveys.selectors import Respondent

# A score this low, given with a comment, travels with the comment to the feedback pipeline.
LOW_SCORES = {Question.Kind.RATING: 2, Question.Kind.NPS: 6}
FEEDBACK_TITLE_CHARS = 80
INVITATIONS_MAX = 10_000


def _answer_rows(*, response: Response, question: Question, value) -> list[Answer]:
    """The rows that store ``value`` (typed as ``surveys.answers`` makes it)."""
    new = partial(Answer, response=response, question=question)
    if question.kind == Question.Kind.MULTIPLE:
        return [new(choice_id=pk) for pk in value]
    if question.kind == Question.Kind.SINGLE:
        return [new(choice_id=value)]
    if question.kind == Question.Kind.MATRIX:
        return [new(row_id=row_id, number=score) for row_id, score in value.items()]
    if question.kind in TEXT_KINDS:
        return [new(text=value)]
    return [new(number=value)]


@transaction.atomic
def response_save(*, survey: Survey, questions: list[Question], respondent: Respondent,
                  answers: dict[int, object], submit: bool, language: str) -> Response:
    """Store ``respondent``'s answers to ``survey`` as a draft, or submit them.

    Preconditions: ``questions`` are the survey's (``selectors.survey_questions``) and
    ``answers`` the ``cleaned`` values of a valid ``AnswerSheet`` over them (only questions
    that apply; partial for a draft). ValidationError, and nothing stored, when
    ``selectors.survey_refusal`` refuses the respondent. Answers replace earlier ones; a
    submitted response stays submitted (a draft save cannot take it back). On submit the
    invitation link is used up and written answers go to the feedback pipeline, once each.
    """
    response = Response.objects.select_for_update().filter(
        respondent.responses, survey=survey).first()
    refusal = selectors.survey_refusal(survey=survey, respondent=respondent, response=response)
    if refusal is not None:
        raise ValidationError(refusal.message, code=refusal.code)
    now = timezone.now()
    if response is None:
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    survey=survey, user=respondent.account, browser_hash=respondent.browser_hash
                    if respondent.account is None else "", invitation=respondent.invitation,
                    language=language)
        except IntegrityError:  # the same respondent's other request got there first
            raise ValidationError(_("Your answers are being saved already. Reload the page."),
                                  code="busy") from None
    response.answers.all().delete()
    by_id = {question.pk: question for question in questions}
    Answer.objects.bulk_create([row for pk, value in answers.items() if pk in by_id
                                for row in _answer_rows(response=response, question=by_id[pk],
                                                        value=value)])
    response.language = language
    if submit and response.status != Response.Status.SUBMITTED:
        response.status, response.submitted_at = Response.Status.SUBMITTED, now
    response.save(update_fields=["language", "status", "submitted_at", "updated_at"])
    if submit:
        if respondent.invitation is not None:
            Invitation.objects.filter(pk=respondent.invitation.pk).update(used_at=now)
        response_feedback_send(response=response, questions=questions, answers=answers)
    return response


def _low_scores(*, questions: list[Question], answers: dict[int, object],
                language: str) -> list[str]:
    return [f"{question.safe_translation_getter('text', language_code=language)}: "
            f"{answers[question.pk]}/{SCORE_RANGES[question.kind][1]}"
            for question in questions
            if question.kind in LOW_SCORES and question.pk in answers
            and answers[question.pk] <= LOW_SCORES[question.kind]]


@transaction.atomic
def response_feedback_send(*, response: Response, questions: list[Question],
                           answers: dict[int, object]) -> int:
    """Send each non-empty written answer of a submitted ``response`` to the feedback
    pipeline with the survey's product area and tags, together with the response's low
    scores (CSAT ≤ 2, NPS ≤ 6) if any. An answer already sent is not sent again, even if it
    was edited since. Returns how many were sent.

    Preconditions: as for ``response_save``; ``response.survey`` is the questions' survey."""
    survey, language = response.survey, response.language
    already = set(FeedbackHandoff.objects.filter(response=response)
                  .values_list("question_id", flat=True))
    written = [question for question in questions if question.kind in TEXT_KINDS
               and answers.get(question.pk) and question.pk not in already]
    if not written:
        return 0
    low = _low_scores(questions=questions, answers=answers, language=language)
    title = survey.safe_translation_getter("title", language_code=language)
    tags = [slug.strip() for slug in survey.feedback_tags.split(",") if slug.strip()]
    for question in written:
        text = answers[question.pk]
        context = [f"{title} — {question.safe_translation_getter('text', language_code=language)}",
                   *low]
        item = feedback_submit(
            source="surveys.answer", source_ref=f"surveys.answer:{response.pk}:{question.pk}",
            author=response.user, title=Truncator(text).chars(FEEDBACK_TITLE_CHARS),
            body=text + "\n\n" + "\n".join(context), language=language, tags=tags,
            product_area=survey.product_area or None)
        FeedbackHandoff.objects.create(response=response, question=question,
                                       feedback_item_id=item.pk)
    return len(written)


@transaction.atomic
def invitations_create(*, survey: Survey, count: int, campaign: str = "") -> list[str]:
    """Create ``count`` single-use invitation links to ``survey`` and return their tokens,
    which are not kept (only their hashes are): the caller hands them out now."""
    if not 1 <= count <= INVITATIONS_MAX:
        raise ValidationError(_("Create between 1 and %(max)s links at a time.")
                              % {"max": INVITATIONS_MAX}, code="count")
    tokens = [secrets.token_urlsafe(24) for _n in range(count)]
    Invitation.objects.bulk_create([
        Invitation(survey=survey, campaign=campaign[:100],
                   token_hash=selectors.token_hash(token)) for token in tokens])
    return tokens

