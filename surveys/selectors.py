"""Every non-trivial read of surveys for respondents. Who may answer what is decided in one
place, ``survey_refusal``: the pages show its reason, and ``surveys.services`` enforces it."""

import hashlib
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.selectors import user_is_staff
from surveys.models import (
    TEXT_KINDS,
    Choice,
    Invitation,
    MatrixRow,
    Question,
    Response,
    Survey,
)


def token_hash(token: str) -> str:
    """How invitation and browser tokens are kept: only their SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Respondent:
    """Who answers: their invitation link, else their account, else their browser (the hash
    of its token; empty before the browser has one). One response each."""

    user: object = None
    browser_hash: str = ""
    invitation: Invitation | None = None

    @property
    def responses(self) -> Q:
        if self.invitation is not None:
            return Q(invitation=self.invitation)
        if self.user is not None and self.user.is_authenticated:
            return Q(user=self.user, invitation__isnull=True)
        if self.browser_hash:
            return Q(user__isnull=True, invitation__isnull=True, browser_hash=self.browser_hash)
        return Q(pk__in=[])

    @property
    def account(self):
        """The signed-in user, if any (an invitation's respondent may be one too)."""
        return self.user if self.user is not None and self.user.is_authenticated else None


def surveys_open(*, now=None) -> QuerySet[Survey]:
    now = now or timezone.now()
    return Survey.objects.filter(
        Q(opens_at__isnull=True) | Q(opens_at__lte=now),
        Q(closes_at__isnull=True) | Q(closes_at__gt=now), is_published=True)


def survey_state(survey: Survey, *, now=None) -> str:
    """"unpublished", "scheduled", "open" or "closed"."""
    now = now or timezone.now()
    if not survey.is_published:
        return "unpublished"
    if survey.opens_at and survey.opens_at > now:
        return "scheduled"
    if survey.closes_at and survey.closes_at <= now:
        return "closed"
    return "open"


@dataclass(frozen=True)
class Refusal:
    code: str  # "unpublished", "scheduled", "closed", "used", "login" or "answered"
    message: str


def survey_refusal(*, survey: Survey, respondent: Respondent,
                   response: Response | None) -> Refusal | None:
    """Why ``respondent`` may not answer ``survey`` now (``response`` is theirs, if any), or
    None. An invitation link lets its holder answer once, signed in or not."""
    state = survey_state(survey)
    if state == "unpublished":
        return Refusal(state, _("This survey is not published."))
    if state == "scheduled":
        return Refusal(state, _("This survey opens on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(survey.opens_at), "DATETIME_FORMAT")})
    if state == "closed":
        return Refusal(state, _("This survey closed on %(date)s. Thank you for your interest.")
                       % {"date": formats.date_format(timezone.localtime(survey.closes_at),
                                                      "DATETIME_FORMAT")})
    if respondent.invitation is not None and respondent.invitation.used_at is not None:
        return Refusal("used", _("This invitation link has already been used: each link "
                                 "takes one response."))
    if (survey.audience == Survey.Audience.MEMBERS and respondent.account is None
            and respondent.invitation is None):
        return Refusal("login", _("Log in to take this survey: it is for members only."))
    if response is not None and response.status == Response.Status.SUBMITTED \
            and not survey.allow_edit:
        return Refusal("answered", _("You have already answered this survey. Thank you!"))
    return None


def survey_get(*, slug: str, user) -> Survey:
    """A published survey, or an unpublished one for staff (to try it while building it);
    Http404 otherwise."""
    survey = Survey.objects.prefetch_related("translations").filter(slug=slug).first()
    if survey is None or not (survey.is_published or user_is_staff(user)):
        raise Http404
    return survey


def survey_questions(survey: Survey) -> list[Question]:
    """The survey's questions in order, with their options and matrix rows, all translated:
    six queries whatever their number."""
    return list(survey.questions.prefetch_related(
        "translations",
        Prefetch("choices", queryset=Choice.objects.prefetch_related("translations")),
        Prefetch("rows", queryset=MatrixRow.objects.prefetch_related("translations"))))


def invitation_get(*, survey: Survey, token: str) -> Invitation:
    """The invitation of ``survey`` behind a link's token; Http404 for an unknown token."""
    invitation = Invitation.objects.filter(survey=survey, token_hash=token_hash(token)).first() \
        if token else None
    if invitation is None:
        raise Http404
    return invitation


def response_for(*, survey: Survey, respondent: Respondent) -> Response | None:
    return Response.objects.filter(respondent.responses, survey=survey).first()


def response_values(*, response: Response | None, questions: list[Question]) -> dict:
    """The typed values of a saved response, as ``surveys.answers.AnswerSheet`` takes them:
    one query."""
    if response is None:
        return {}
    kinds = {q.pk: q.kind for q in questions}
    values: dict[int, object] = {}
    for answer in response.answers.all():
        kind = kinds.get(answer.question_id)
        if kind == Question.Kind.MULTIPLE:
            values.setdefault(answer.question_id, []).append(answer.choice_id)
        elif kind == Question.Kind.SINGLE:
            values[answer.question_id] = answer.choice_id
        elif kind == Question.Kind.MATRIX:
            values.setdefault(answer.question_id, {})[answer.row_id] = answer.number
        elif kind in TEXT_KINDS:
            values[answer.question_id] = answer.text
        elif kind is not None:
            values[answer.question_id] = answer.number
    return values


def _answered(respondent: Respondent):
    return Exists(Response.objects.filter(respondent.responses, survey=OuterRef("pk"),
                                          status=Response.Status.SUBMITTED))


def surveys_for(*, respondent: Respondent) -> list[Survey]:
    """The open surveys ``respondent`` may take, newest first, each with ``answered``: two
    queries whatever their number."""
    surveys = surveys_open()
    if respondent.account is None:
        surveys = surveys.filter(audience=Survey.Audience.ANYONE)
    return list(surveys.annotate(answered=_answered(respondent))
                .prefetch_related("translations"))


def survey_invitation(*, respondent: Respondent, support: bool = False) -> Survey | None:
    """The newest open survey flagged for the home page (or, with ``support``, the support
    survey) that ``respondent`` may take and has not answered yet."""
    surveys = surveys_open().filter(**({"is_support_survey": True} if support
                                       else {"show_on_home": True}))
    if respondent.account is None:
        surveys = surveys.filter(audience=Survey.Audience.ANYONE)
    return surveys.filter(~_answered(respondent)).prefetch_related("translations").first()
