"""Event pages: the index, an AMA session (asking and voting), its host view (answering,
hiding, sending to feedback), a meetup (RSVP, cancelling, photos) and the calendar files.

Every button is a POST form that works without JavaScript (redirect back with a message);
static/js/events.js sends the vote form by fetch and gets JSON instead."""


from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.http import members_only_post, wants_json
from core.ratelimit import rate_limit_exceeded
from events import selectors, services
from events.forms import AnswerForm, PhotoForm, QuestionForm
from events.ics import CalendarEvent, ama_calendar_event, calendar_ics, meetup_calendar_event

QUESTIONS_PER_HOUR = 10


def _refused(request, error: ValidationError, target):
    """A refusal explained in the user's language: JSON for fetch, else a message."""
    if wants_json(request):
        return JsonResponse({"error": error.messages[0]}, status=400)
    messages.error(request, error.messages[0])
    return redirect(target)


def event_index(request):
    return render(request, "events/event_list.html", {
        "index": selectors.events_index(user=request.user)})


def _ama_page(request, *, session, form, status=200):
    return render(request, "events/ama_detail.html", {
        "session": session, "form": form, "is_open": selectors.ama_is_open(session),
        "is_live": selectors.ama_is_live(session),
        "may_host": selectors.user_may_host(user=request.user, session=session),
        "questions": selectors.ama_questions(session=session, user=request.user),
    }, status=status)


def ama_detail(request, slug):
    """The session: its questions (answered first, then by votes) and, while it runs, the
    form to ask. Posting asks a question (signed-in members, rate limited)."""
    session = selectors.ama_get(slug=slug, user=request.user)
    if request.method != "POST":
        return _ama_page(request, session=session, form=QuestionForm())
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)
    form = QuestionForm(request.POST)
    if rate_limit_exceeded(scope="events.question", key=str(request.user.pk),
                           limit=QUESTIONS_PER_HOUR, period=3600):
        messages.error(request, _("You have asked many questions in a short time. Try again "
                                  "later."))
        return _ama_page(request, session=session, form=form, status=429)
    if not form.is_valid():
        return _ama_page(request, session=session, form=form, status=400)
    try:
        question = services.ama_question_ask(session=session, author=request.user,
                                             body=form.cleaned_data["body"],
                                             language=get_language())
    except ValidationError as error:
        form.add_error(None, error)
        return _ama_page(request, session=session, form=form, status=409)
    messages.success(request, _("Your question is in. Others can vote for it now."))
    return redirect(question.get_absolute_url())


@members_only_post
def ama_vote(request, slug, pk):
    session = selectors.ama_get(slug=slug, user=request.user)
    question = selectors.ama_question_get(session=session, pk=pk)
    question.session = session
    try:
        voted = services.ama_vote_toggle(question=question, user=request.user)
    except ValidationError as error:
        return _refused(request, error, question.get_absolute_url())
    if wants_json(request):
        return JsonResponse({"voted": voted, "count": question.vote_count})
    messages.success(request, _("Your vote is counted.") if voted
                     else _("Your vote is taken back."))
    return redirect(question.get_absolute_url())


def _hosted(request, slug):
    """The session, if ``request.user`` hosts it or is staff; else a 404, as for a page
    that does not exist."""
    session = selectors.ama_get(slug=slug, user=request.user)
    if not selectors.user_may_host(user=request.user, session=session):
        raise Http404
    return session


def _host_url(session) -> str:
    return reverse("events:ama_host", kwargs={"slug": session.slug})


def ama_host(request, slug):
    """The moderator view: every question (hidden ones too) by votes, each with an answer
    form and a hide button; staff may send a question to the feedback pipeline."""
    session = _hosted(request, slug)
    questions = selectors.ama_questions(session=session, user=request.user, for_host=True)
    return render(request, "events/ama_host.html", {
        "session": session, "questions": questions, "is_open": selectors.ama_is_open(session),
        "may_send_feedback": selectors.user_may_send_to_feedback(request.user),
    })


def _hosted_question(request, slug, pk):
    session = _hosted(request, slug)
    question = selectors.ama_question_get(session=session, pk=pk)
    question.session = session
    return question


@members_only_post
def ama_answer(request, slug, pk):
    question = _hosted_question(request, slug, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["answer"][0])
        return redirect(_host_url(question.session) + f"#question-{question.pk}")
    try:
        services.ama_question_answer(question=question, by=request.user,
                                     answer=form.cleaned_data["answer"])
    except ValidationError as error:
        return _refused(request, error, _host_url(question.session))
    messages.success(request, _("The answer is published."))
    return redirect(_host_url(question.session) + f"#question-{question.pk}")


@members_only_post
def ama_hide(request, slug, pk):
    """``hidden=1`` hides the question from the session's page, ``hidden=0`` shows it."""
    question = _hosted_question(request, slug, pk)
    hidden = request.POST.get("hidden") == "1"
    services.ama_question_hide(question=question, by=request.user, hidden=hidden)
    messages.success(request, _("The question is hidden.") if hidden
                     else _("The question is shown again."))
    return redirect(_host_url(question.session) + f"#question-{question.pk}")


@members_only_post
def ama_feedback(request, slug, pk):
    question = _hosted_question(request, slug, pk)
    if not selectors.user_may_send_to_feedback(request.user):
        raise Http404
    services.ama_question_to_feedback(question=question, by=request.user)
    messages.success(request, _("The question is in the feedback pipeline."))
    return redirect(_host_url(question.session) + f"#question-{question.pk}")


def _ics_response(event: CalendarEvent, slug: str) -> HttpResponse:
    response = HttpResponse(calendar_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.ics"'
    return response


def ama_calendar(request, slug):
    session = selectors.ama_get(slug=slug, user=request.user)
    return _ics_response(ama_calendar_event(session), session.slug)


def _meetup_page(request, *, meetup, photo_form=None, status=200):
    return render(request, "events/meetup_detail.html", {
        "meetup": meetup, "page": selectors.meetup_page(meetup=meetup, user=request.user),
        "is_open": selectors.meetup_is_open(meetup),
        "photo_form_shown": selectors.photo_form_shown(user=request.user, meetup=meetup),
        "photo_form": photo_form or PhotoForm(),
    }, status=status)


def meetup_detail(request, slug):
    return _meetup_page(request, meetup=selectors.meetup_get(slug=slug, user=request.user))


@members_only_post
def meetup_rsvp(request, slug):
    meetup = selectors.meetup_get(slug=slug, user=request.user)
    try:
        rsvp = services.meetup_rsvp(meetup=meetup, user=request.user)
    except ValidationError as error:
        return _refused(request, error, meetup)
    if rsvp.status == rsvp.Status.GOING:
        messages.success(request, _("You are attending. See you there!"))
    else:
        messages.info(request, _("The meetup is full: you are on the waitlist. We will tell "
                                 "you if a seat frees up."))
    return redirect(meetup)


@members_only_post
def meetup_cancel(request, slug):
    meetup = selectors.meetup_get(slug=slug, user=request.user)
    try:
        services.meetup_rsvp_cancel(meetup=meetup, user=request.user)
    except ValidationError as error:
        return _refused(request, error, meetup)
    messages.success(request, _("Your RSVP is cancelled."))
    return redirect(meetup)


@members_only_post
def meetup_photo_add(request, slug):
    meetup = selectors.meetup_get(slug=slug, user=request.user)
    if not selectors.user_may_add_photos(user=request.user, meetup=meetup):
        raise Http404
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.meetup_photo_add(meetup=meetup, by=request.user,
                                      upload=form.cleaned_data["image"],
                                      caption=form.cleaned_data["caption"])
        except ValidationError as error:
            form.add_error("image", error)
        except PermissionDenied:
            raise Http404 from None
    if form.errors:
        return _meetup_page(request, meetup=meetup, photo_form=form, status=400)
    messages.success(request, _("The photo is added."))
    return redirect(meetup)


def meetup_calendar(request, slug):
    meetup = selectors.meetup_get(slug=slug, user=request.user)
    return _ics_response(meetup_calendar_event(meetup), meetup.slug)
