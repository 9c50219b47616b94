"""A respondent's answers, read from the survey form and checked, like a Django form.

Each question posts under ``q<question id>`` (a matrix under ``q<question id>_<row id>``, one
field per row). Values are typed and checked against the question: an option of that
question, a score in its range, text of a reasonable length; anything else gets a translated
message attached to the question, and nothing is stored.

Branching is decided here, on the server, in question order: a question whose condition is not
met by the answers above it is *hidden*, which means not required and not stored, whatever was
posted for it. Without JavaScript every question shows, with a note saying when it applies;
the script only hides and shows them live (``static/js/surveys.js``).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from surveys.models import CHOICE_KINDS, MATRIX_SCALE, SCORE_RANGES, TEXT_KINDS, Question

TEXT_LIMITS = {Question.Kind.SHORT_TEXT: 300, Question.Kind.LONG_TEXT: 5000}
REQUIRED = _("This question needs an answer.")


def field_name(question: Question, row=None) -> str:
    return f"q{question.pk}" if row is None else f"q{question.pk}_{row.pk}"


@dataclass
class QuestionField:
    """A question as the form shows it: its number, what was answered (typed: an option id,
    a list of them, a score, a text, or {row id: score}), errors and whether it applies."""

    question: Question
    number: int
    value: object = None
    errors: list[str] = field(default_factory=list)
    shown: bool = True
    hint: str = ""  # when a conditional question applies, in words

    @property
    def name(self) -> str:
        return field_name(self.question)

    @property
    def answered(self) -> bool:
        return self.value not in (None, "", [], {})

    @property
    def scale(self) -> range:
        low, high = SCORE_RANGES.get(self.question.kind, MATRIX_SCALE)
        return range(low, high + 1)

    @property
    def matrix(self) -> list[tuple]:
        """(row, field name, score) per row of a matrix question."""
        values = self.value or {}
        return [(row, field_name(self.question, row), values.get(row.pk))
                for row in self.question.rows.all()]


def _one(data, name: str) -> tuple[str | None, str | None]:
    """The single value posted as ``name`` (stripped; None when absent), and an error when
    several were posted."""
    values = data.getlist(name)
    if len(values) > 1:
        return None, _("Give one answer only.")
    return (values[0].strip() if values else None), None


def _integer(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else None


def _clean_choices(question: Question, raw: list[str]) -> tuple[object, str | None]:
    options = {choice.pk for choice in question.choices.all()}
    picked = [_integer(text.strip()) for text in raw if text.strip()]
    if any(pk not in options for pk in picked):
        return None, _("Choose one of the options.")
    if question.kind == Question.Kind.SINGLE:
        if len(picked) > 1:
            return None, _("Choose only one option.")
        return (picked[0] if picked else None), None
    return sorted(set(picked)), None


def _clean_score(question: Question, text: str | None, scale=None) -> tuple[object, str | None]:
    low, high = scale or SCORE_RANGES[question.kind]
    if not text:
        return None, None
    score = _integer(text)
    if score is None or not low <= score <= high:
        return None, _("Give a score from %(low)s to %(high)s.") % {"low": low, "high": high}
    return score, None


def _clean_text(question: Question, text: str | None) -> tuple[object, str | None]:
    limit = TEXT_LIMITS[question.kind]
    if text is None:
        return "", None
    if "\0" in text:
        return "", _("This text contains characters that are not allowed.")
    if len(text) > limit:
        return text, ngettext("Keep it to %(limit)d character (it has %(count)d).",
                              "Keep it to %(limit)d characters (it has %(count)d).",
                              limit) % {"limit": limit, "count": len(text)}
    return text, None


def _clean_matrix(question: Question, data) -> tuple[object, str | None]:
    scores, error = {}, None
    for row in question.rows.all():
        text, row_error = _one(data, field_name(question, row))
        score, score_error = _clean_score(question, text, scale=MATRIX_SCALE)
        error = error or row_error or score_error
        if score is not None:
            scores[row.pk] = score
    return scores, error


def _clean(question: Question, data) -> tuple[object, str | None]:
    """The typed value of ``question`` in the posted ``data``, and an error message."""
    kind = question.kind
    if kind in CHOICE_KINDS:
        return _clean_choices(question, data.getlist(field_name(question)))
    if kind == Question.Kind.MATRIX:
        return _clean_matrix(question, data)
    text, error = _one(data, field_name(question))
    if error:
        return None, error
    if kind in TEXT_KINDS:
        return _clean_text(question, text)
    return _clean_score(question, text)


def condition_met(question: Question, values: dict[int, object],
                  kinds: dict[int, str]) -> bool:
    """Whether ``question`` applies, given the typed ``values`` of the questions above it
    (hidden ones left out) and their ``kinds``."""
    about = question.show_if_question_id
    if about is None or about not in kinds:
        return True
    value = values.get(about)
    if value is None:
        return False
    if kinds[about] in CHOICE_KINDS:
        return question.show_if_choice_id in (value if isinstance(value, list) else [value])
    low, high = question.show_if_min, question.show_if_max
    return (low is None or value >= low) and (high is None or value <= high)


def condition_hint(question: Question, fields: dict[int, QuestionField]) -> str:
    """When ``question`` applies, in words, for the form without JavaScript; empty for a
    question that always does. ``fields`` are the sheet's, by question id."""
    about = fields.get(question.show_if_question_id)
    if about is None:
        return ""
    if about.question.kind in CHOICE_KINDS:
        choice = next((c for c in about.question.choices.all()
                       if c.pk == question.show_if_choice_id), None)
        return _("Answer only if you chose “%(choice)s” in question %(number)s.") % {
            "choice": choice, "number": about.number}
    low, high = question.show_if_min, question.show_if_max
    if low is not None and high is not None:
        scores = f"{low}–{high}"
    elif low is not None:
        scores = _("%(low)s or more") % {"low": low}
    else:
        scores = _("%(high)s or less") % {"high": high}
    return _("Answer only if your score in question %(number)s was %(scores)s.") % {
        "number": about.number, "scores": scores}


class AnswerSheet:
    """The survey form: bind it to posted ``data`` (or to the ``initial`` values of a saved
    response), then ``is_valid()``; ``cleaned`` maps question ids to the typed values of the
    questions that apply. ``partial`` (a draft) skips the required check only.

    Precondition: ``questions`` in order, with their choices and rows prefetched."""

    def __init__(self, *, questions: list[Question], data=None, initial=None,
                 partial: bool = False):
        self.fields = [QuestionField(question=q, number=n)
                       for n, q in enumerate(questions, start=1)]
        by_id = {qfield.question.pk: qfield for qfield in self.fields}
        self.is_bound = data is not None
        self.cleaned: dict[int, object] = {}
        kinds = {q.pk: q.kind for q in questions}
        values: dict[int, object] = {}
        for qfield in self.fields:
            question = qfield.question
            qfield.hint = condition_hint(question, by_id)
            if self.is_bound:
                qfield.value, error = _clean(question, data)
                qfield.errors = [str(error)] if error else []
            else:
                qfield.value = (initial or {}).get(question.pk)
            qfield.shown = condition_met(question, values, kinds)
            if not qfield.shown:
                qfield.errors = []
                continue
            if qfield.errors:
                continue
            incomplete = question.kind == Question.Kind.MATRIX and qfield.answered and \
                len(qfield.value) < len(question.rows.all())
            if self.is_bound and not partial and question.required and (
                    not qfield.answered or incomplete):
                qfield.errors = [str(_("Rate every row.") if incomplete else REQUIRED)]
                continue
            if qfield.answered:
                values[question.pk] = self.cleaned[question.pk] = qfield.value

    def is_valid(self) -> bool:
        return self.is_bound and not any(qfield.errors for qfield in self.fields)

    @property
    def progress(self) -> tuple[int, int]:
        """(questions answered, questions that apply)."""
        shown = [qfield for qfield in self.fields if qfield.shown]
        return sum(qfield.answered for qfield in shown), len(shown)
