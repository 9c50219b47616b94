"""The support portal: a customer's tickets and live chats, as thin views over tickets.selectors
(which decide who sees what) and tickets.services (every write).

Every page works without JavaScript; static/js/tickets.js adds live updates, help suggestions
while the subject is typed, and sending replies without a reload."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import wants_json
from core.ratelimit import rate_limit_exceeded
from tickets import selectors, services
from tickets.forms import (
    STATUS_FILTERS,
    SUBJECT_MAX,
    ChatForm,
    RatingForm,
    ReplyForm,
    StatusFilterForm,
    TicketForm,
    UpdatesForm,
)
from tickets.models import Ticket
from tickets.templatetags.support import status_label

PAGE_SIZE = 25
TICKETS_PER_HOUR = 10
REPLIES_PER_HOUR = 120
# How often tickets.js asks for new messages: a live chat wants answers as they are typed.
POLL_CHAT_MS = 2000
POLL_TICKET_MS = 3000
MESSAGES_TEMPLATE = "tickets/message_list.html"
TIMELINE_TEMPLATE = "tickets/timeline.html"


def _signed_in(view):
    """Anonymous visitors of any ticket URL log in, then land on the ticket's page (never on
    a POST-only or JSON URL)."""
    @wraps(view)
    def wrapper(request, reference, **kwargs):
        if request.user.is_authenticated:
            return view(request, reference, **kwargs)
        return redirect_to_login(reverse("tickets:detail", kwargs={"reference": reference}))
    return wrapper


@login_required
def ticket_index(request):
    status = StatusFilterForm(request.GET).status_value()
    page = Paginator(selectors.my_tickets(user=request.user, status=status),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tickets/ticket_list.html",
                  {"page": page, "status": status, "filters": STATUS_FILTERS})


def _ticket_open(request, *, form_class, template: str, **context):
    """GET shows ``form_class``; POST validates it, applies the hourly limit on new tickets
    (chats count too) and opens the ticket with ``form.ticket_fields()``."""
    if request.method != "POST":
        return render(request, template, {"form": form_class(), **context})
    form = form_class(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        messages.error(request, _("Nothing was sent: please correct the errors below."))
        return render(request, template, context, status=400)
    if rate_limit_exceeded(scope="tickets-create", key=str(request.user.pk),
                           limit=TICKETS_PER_HOUR, period=3600):
        messages.error(request, _("You have opened many tickets in the last hour. Please add "
                                  "to one of your open tickets, or try again later."))
        return render(request, template, context, status=429)
    try:
        ticket = services.ticket_create(requester=request.user, language=get_language(),
                                        **form.ticket_fields())
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, template, context, status=400)
    return redirect(ticket)


@login_required
def ticket_create(request):
    return _ticket_open(request, form_class=TicketForm, template="tickets/ticket_create.html")


@login_required
def chat_start(request):
    return _ticket_open(request, form_class=ChatForm, template="tickets/chat_start.html",
                        chat_timeout=settings.SUPPORT_CHAT_TIMEOUT_MINUTES)


@login_required
@require_GET
def help_suggest(request):
    """Help that may already answer the subject being typed, as JSON for tickets.js."""
    found = selectors.help_suggestions(user=request.user,
                                       text=request.GET.get("q", "")[:SUBJECT_MAX])
    return JsonResponse({"results": [
        {"title": suggestion.title, "url": suggestion.url, "kind": suggestion.kind}
        for suggestion in found]})


def _render_ticket(request, ticket: Ticket, *, status=200, **forms):
    """The ticket page (as a chat for chat tickets), with fresh forms unless given bound ones
    (to show their errors)."""
    conversation = list(selectors.ticket_messages(user=request.user, ticket=ticket))
    actions = selectors.ticket_actions(user=request.user, ticket=ticket)
    is_chat = ticket.channel == Ticket.Channel.CHAT
    live = ticket.is_open and not ticket.merged_into_id
    return render(request, "tickets/ticket_detail.html", {
        "ticket": ticket,
        "conversation": conversation,
        "last_id": conversation[-1].pk if conversation else 0,
        "timeline": selectors.ticket_timeline(ticket=ticket),
        "is_requester": actions.is_requester,
        "is_chat": is_chat,
        "can_reply": actions.can_reply,
        "can_close": actions.can_close,
        "reopen_until": actions.reopen_until,
        "can_rate": actions.can_rate,
        "poll_ms": (POLL_CHAT_MS if is_chat else POLL_TICKET_MS) if live else 0,
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
    }, status=status)


@_signed_in
def ticket_detail(request, reference):
    ticket = selectors.ticket_get(user=request.user, reference=reference)
    if reference != ticket.reference:  # "t-123", "123": one address per ticket
        return redirect(ticket, permanent=True)
    return _render_ticket(request, ticket)


def _form_errors(form) -> list[str]:
    return [error for errors in form.errors.values() for error in errors]


@_signed_in
@require_POST
def ticket_reply(request, reference):
    ticket = selectors.ticket_get(user=request.user, reference=reference)
    form = ReplyForm(request.POST, request.FILES)
    status = 400
    if not form.is_valid():
        error = _("Your message was not sent: please correct it below.")
    elif rate_limit_exceeded(scope="tickets-reply", key=str(request.user.pk),
                             limit=REPLIES_PER_HOUR, period=3600):
        error, status = _("You are sending messages very fast. Please wait a little."), 429
    else:
        try:
            message = services.message_post(ticket=ticket, author=request.user,
                                            body=form.cleaned_data["body"],
                                            files=form.cleaned_data["attachments"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if wants_json(request):
                return JsonResponse({"id": message.pk})
            messages.success(request, _("Your message is sent."))
            return redirect(f"{ticket.get_absolute_url()}#message-{message.pk}")
    if wants_json(request):
        return JsonResponse({"errors": _form_errors(form) or [error]}, status=status)
    messages.error(request, error)
    return _render_ticket(request, ticket, reply_form=form, status=status)


def _requester_action(request, reference, *, service, done: str, form_class=None,
                      form_name: str = ""):
    """Call ``service(ticket=, user=, **form data)`` on the ticket ``reference`` and go back to
    it; bad input or a refusal re-renders the page with the reason, changing nothing. Only
    the requester may: the services raise PermissionDenied (403) for the agents who see it."""
    ticket = selectors.ticket_get(user=request.user, reference=reference)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(_form_errors(form)))
        return _render_ticket(request, ticket, status=400, **{form_name: form})
    try:
        service(ticket=ticket, user=request.user, **(form.cleaned_data if form else {}))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_ticket(request, ticket, status=400)
    messages.success(request, done)
    return redirect(ticket)


@_signed_in
@require_POST
def ticket_close(request, reference):
    return _requester_action(request, reference, service=services.ticket_close,
                             done=_("Your ticket is closed. Glad it is sorted!"))


@_signed_in
@require_POST
def ticket_reopen(request, reference):
    return _requester_action(request, reference, service=services.ticket_reopen,
                             done=_("Your ticket is open again: tell us what is still wrong."))


@_signed_in
@require_POST
def ticket_rate(request, reference):
    return _requester_action(request, reference, service=services.ticket_rate,
                             form_class=RatingForm, form_name="rating_form",
                             done=_("Thank you for rating our help!"))


@_signed_in
@require_GET
def ticket_updates(request, reference):
    """What changed since message ``after``, as JSON for tickets.js: the new messages
    rendered by the page's own template, the status and the timeline."""
    ticket = selectors.ticket_get(user=request.user, reference=reference)
    form = UpdatesForm(request.GET)
    try:
        after = form.after_id()
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    conversation = list(selectors.ticket_messages(user=request.user, ticket=ticket,
                                                  after_id=after))
    timeline = selectors.ticket_timeline(ticket=ticket)
    return JsonResponse({
        "html": render_to_string(MESSAGES_TEMPLATE, {
            "ticket": ticket, "conversation": conversation}) if conversation else "",
        "last_id": conversation[-1].pk if conversation else after,
        "status": ticket.status,
        "status_label": status_label(ticket.status),
        "is_open": ticket.is_open,
        "escalated": ticket.chat_escalated_at is not None,
        "timeline_html": render_to_string(TIMELINE_TEMPLATE,
                                          {"ticket": ticket, "timeline": timeline}),
    })


@_signed_in
@require_GET
def attachment_download(request, reference, pk):
    """A ticket's file, for those who may see it. Images open in the browser, PDFs download;
    the headers stop a browser from running anything in them."""
    attachment = selectors.attachment_get(user=request.user, reference=reference, pk=pk)
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(content, as_attachment=not attachment.content_type.startswith(
        "image/"), filename=attachment.name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
