"""The responses of a survey as CSV rows: one row per submitted response, one column per
question (a multiple choice's options joined with "; ", a matrix's rows as columns of their
own). Rows are read in batches of responses, so the export streams in flat memory."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from surveys.models import CHOICE_KINDS, Answer, Question, Survey
from surveys.results import Filters, responses_filtered

BATCH = 500
JOIN = "; "


def _columns(questions: list[Question]) -> list[tuple[Question, object, str]]:
    """(question, matrix row or None, header) per column."""
    columns = []
    for number, question in enumerate(questions, start=1):
        if question.kind == Question.Kind.MATRIX:
            columns += [(question, row, f"Q{number}. {question} — {row}")
                        for row in question.rows.all()]
        else:
            columns.append((question, None, f"Q{number}. {question}"))
    return columns


def export_table(*, survey: Survey, questions: list[Question],
                 filters: Filters) -> tuple[list[str], Iterator[list]]:
    """The header and the (lazy) rows of the export. Labels are read now, in the active
    language; rows are read from the database as the caller consumes them.
    Precondition: ``questions`` from ``selectors.survey_questions``."""
    columns = _columns(questions)
    header = [_("response"), _("submitted at (UTC)"), _("language"), _("user"),
              *(title for _question, _row, title in columns)]
    labels = {choice.pk: str(choice) for question in questions for choice in
              question.choices.all()}
    anonymous = _("anonymous")
    responses = responses_filtered(survey=survey, filters=filters) \
        .select_related("user").order_by("pk")

    def cells(values: dict) -> list:
        row = []
        for question, matrix_row, _title in columns:
            value = values.get((question.pk, matrix_row.pk if matrix_row else None))
            if question.kind in CHOICE_KINDS:
                value = JOIN.join(labels.get(pk, "") for pk in value) if value else ""
            row.append("" if value is None else value)
        return row

    def rows() -> Iterator[list]:
        last = 0
        while batch := list(responses.filter(pk__gt=last)[:BATCH]):
            values: dict[int, dict] = {response.pk: {} for response in batch}
            for response_id, question_id, choice_id, row_id, number, text in \
                    Answer.objects.filter(response_id__in=values).order_by("pk").values_list(
                        "response_id", "question_id", "choice_id", "row_id", "number", "text"):
                key = (question_id, row_id)
                if choice_id is not None:
                    values[response_id].setdefault(key, []).append(choice_id)
                else:
                    values[response_id][key] = number if number is not None else text
            for response in batch:
                yield [response.pk, response.submitted_at.strftime("%Y-%m-%d %H:%M:%S"),
                       response.language,
                       response.user.username if response.user else anonymous,
                       *cells(values[response.pk])]
            last = batch[-1].pk

    return header, rows()

