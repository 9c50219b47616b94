"""Survey pages: the list of open surveys, taking one (works without JavaScript), the thank-you
page, and the staff's results and export. Thin views over selectors, results and services."""

from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.selectors import user_is_staff
from core.csv import csv_response
from core.ratelimit import rate_limit_exceeded
from surveys import charts, results, selectors
from surveys.answers import AnswerSheet
from surveys.browser import browser_cookie_set, browser_token_new, respondent_of
from surveys.export import export_table
from surveys.forms import ResultsFilterForm
from surveys.models import Response
from surveys.services import response_save


def survey_list(request):
    return render(request, "surveys/survey_list.html", {
        "surveys": selectors.surveys_for(respondent=respondent_of(request))})


def _take_url(survey, invite: str) -> str:
    url = survey.get_absolute_url()
    return f"{url}?{urlencode({'invite': invite})}" if invite else url


def _page(request, *, survey, sheet, refusal, response, invite, status=200):
    answered, total = sheet.progress
    return render(request, "surveys/survey_take.html", {
        "survey": survey, "sheet": sheet, "refusal": refusal, "response": response,
        "invite": invite, "answered": answered, "total": total,
    }, status=status)


def survey_take(request, slug):
    """The survey as one page. Posting saves a draft ("save_draft") or submits; a question
    whose condition is not met by the answers above it is ignored (see surveys.answers)."""
    survey = selectors.survey_get(slug=slug, user=request.user)
    invite = (request.POST if request.method == "POST" else request.GET).get("invite", "")
    invitation = selectors.invitation_get(survey=survey, token=invite) if invite else None
    respondent = respondent_of(request, invitation=invitation)
    response = selectors.response_for(survey=survey, respondent=respondent)
    refusal = selectors.survey_refusal(survey=survey, respondent=respondent, response=response)
    questions = selectors.survey_questions(survey)
    page = {"survey": survey, "refusal": refusal, "response": response, "invite": invite}
    if request.method != "POST":
        initial = selectors.response_values(response=response, questions=questions)
        return _page(request, sheet=AnswerSheet(questions=questions, initial=initial), **page)

    # A submitted response stays complete: it is only ever submitted again.
    draft = "save_draft" in request.POST and not (
        response is not None and response.status == Response.Status.SUBMITTED)
    sheet = AnswerSheet(questions=questions, data=request.POST, partial=draft)
    who = str(request.user.pk) if request.user.is_authenticated \
        else request.META.get("REMOTE_ADDR", "")
    if rate_limit_exceeded(scope="surveys.post", key=who,
                           limit=settings.SURVEYS_POSTS_PER_HOUR, period=3600):
        messages.error(request, _("Too many answers from you in a short time. Try again "
                                  "later."))
        return _page(request, sheet=sheet, status=429, **page)
    if refusal is not None:
        return _page(request, sheet=sheet, status=403, **page)
    if not sheet.is_valid():
        messages.error(request, _("Some answers need your attention: see the messages next "
                                  "to the questions."))
        return _page(request, sheet=sheet, status=400, **page)
    new_token = None
    if respondent.account is None and invitation is None and not respondent.browser_hash:
        new_token = browser_token_new()
        respondent = replace(respondent, browser_hash=selectors.token_hash(new_token))
    try:
        response_save(survey=survey, questions=questions, respondent=respondent,
                      answers=sheet.cleaned, submit=not draft, language=get_language())
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _page(request, sheet=sheet, status=409, **page)
    if draft:
        messages.success(request, _("Your answers are saved. Come back to this page to "
                                    "finish the survey."))
        reply = redirect(_take_url(survey, invite))
    else:
        reply = redirect("surveys:thanks", slug=survey.slug)
    if new_token:
        browser_cookie_set(reply, new_token)
    return reply


def survey_thanks(request, slug):
    survey = selectors.survey_get(slug=slug, user=request.user)
    return render(request, "surveys/survey_thanks.html", {
        "survey": survey, "is_staff": user_is_staff(request.user)})


def survey_results(request, slug):
    """Staff only (404 for anyone else): charts per question, scores, responses per day and
    the written answers, filtered by date and language."""
    survey = results.survey_for_staff(slug=slug, user=request.user)
    questions = selectors.survey_questions(survey)
    form = ResultsFilterForm(request.GET)
    filters = form.filters()
    summary = results.survey_results(survey=survey, questions=questions, filters=filters)
    query = {key: value for key, value in request.GET.items() if key != "page"}
    return render(request, "surveys/survey_results.html", {
        "survey": survey, "form": form, "summary": summary,
        "charts": [(result, charts.question_chart(result)) for result in summary.questions],
        "per_day": charts.per_day_chart(summary.per_day),
        "texts": results.text_answers_page(survey=survey, questions=questions, filters=filters,
                                           page=request.GET.get("page")),
        "export_url": reverse("surveys:export", kwargs={"slug": survey.slug})
        + (f"?{urlencode(query)}" if query else ""),
    })


def survey_export(request, slug):
    """The filtered responses as a streamed CSV: staff only (404 for anyone else)."""
    survey = results.survey_for_staff(slug=slug, user=request.user)
    questions = selectors.survey_questions(survey)
    header, rows = export_table(survey=survey, questions=questions,
                                filters=ResultsFilterForm(request.GET).filters())
    return csv_response(
        filename=f"survey-{survey.slug}-{timezone.now():%Y%m%d-%H%M}.csv", header=header,
        rows=rows)
