"""The public feedback board: thin views over feedback.selectors and feedback.services.

Every page works without JavaScript; static/js/feedback.js only enhances (votes without a
reload, similar ideas while typing a title)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import wants_json
from core.ratelimit import rate_limit_exceeded
from feedback import selectors, services
from feedback.forms import (
    SORT_CHOICES,
    BoardFilterForm,
    CommentForm,
    IdeaForm,
    MergeForm,
    RespondForm,
)
from feedback.models import FeedbackItem

PAGE_SIZE = 25
IDEAS_PER_HOUR = 5
COMMENTS_PER_HOUR = 30


def board(request):
    form = BoardFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(selectors.board_list(user=request.user, **filters),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/item_list.html", {
        "form": form, "filters": filters, "page": page, "sorts": SORT_CHOICES,
    })


@login_required
def item_create(request):
    if request.method != "POST":
        return render(request, "feedback/item_create.html", {"form": IdeaForm()})
    form = IdeaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your idea was not posted: please correct the errors below."))
        return render(request, "feedback/item_create.html", {"form": form}, status=400)
    if rate_limit_exceeded(scope="feedback-idea", key=str(request.user.pk),
                           limit=IDEAS_PER_HOUR, period=3600):
        messages.error(request, _("You have posted many ideas in the last hour. "
                                  "Please try again later."))
        return render(request, "feedback/item_create.html", {"form": form}, status=429)
    area = form.cleaned_data["product_area"]
    try:
        item = services.feedback_submit(
            source=FeedbackItem.Source.WEB, author=request.user, language=get_language(),
            title=form.cleaned_data["title"], body=form.cleaned_data["body"],
            product_area=area.slug if area else None,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "feedback/item_create.html", {"form": form}, status=400)
    messages.success(request, _("Thanks! Your idea is posted, and you are its first voter."))
    return redirect(item)


@require_GET
def similar(request):
    """Ideas like the title being typed, as JSON for feedback.js."""
    items = selectors.similar_items(user=request.user, text=request.GET.get("q", ""))
    return JsonResponse([{
        "id": item.pk, "title": item.title, "url": item.get_absolute_url(),
        "votes": item.vote_count, "status": item.status,
        "status_label": item.get_status_display(),
    } for item in items], safe=False)


def roadmap(request):
    return render(request, "feedback/roadmap.html",
                  {"columns": selectors.roadmap(user=request.user)})


def changelog(request):
    page = Paginator(selectors.changelog(user=request.user),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/changelog.html", {"page": page})


def item_detail(request, pk, slug=None):
    item = selectors.item_get(user=request.user, pk=pk)
    if request.path != item.get_absolute_url():  # /feedback/<id>/ or an old or wrong slug
        return redirect(item, permanent=True)
    return _render_item(request, item)


def _render_item(request, item, *, status=200, **forms):
    """The item page, with fresh forms unless given bound ones (to show their errors)."""
    can_respond = services.user_can_respond(request.user)
    context = {
        "item": item,
        "can_respond": can_respond,
        "comment_form": forms.get("comment_form") or CommentForm(),
    }
    if can_respond:
        context["respond_form"] = forms.get("respond_form") or RespondForm(item=item)
        context["merge_form"] = forms.get("merge_form") or MergeForm(item=item)
    return render(request, "feedback/item_detail.html", context, status=status)


def _back_to(request, item) -> str:
    """Where the button's form asked to go back to (the board, the roadmap) if that is on
    this site, else the item."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return item.get_absolute_url()


def _members_only(view):
    """Send an anonymous user to log in and then back to the page they were on, never to the
    POST-only URL itself. Feedback.js gets a 401 and where to go."""
    @wraps(view)
    def wrapper(request, pk):
        if request.user.is_authenticated:
            return view(request, pk)
        login = redirect_to_login(_back_to(request, selectors.item_get_simple(
            user=request.user, pk=pk)))
        if wants_json(request):
            return JsonResponse({"login_url": login.url}, status=401)
        return login
    return wrapper


def _responders_only(view):
    """Official responses, statuses and merges: staff and product managers only (403)."""
    @wraps(view)
    def wrapper(request, pk):
        if not services.user_can_respond(request.user):
            raise PermissionDenied
        return view(request, pk)
    return _members_only(wrapper)


@require_POST
@_members_only
def item_vote(request, pk):
    item = selectors.item_get_simple(user=request.user, pk=pk)
    try:
        voted = services.vote_toggle(item=item, user=request.user)
    except ValidationError as exc:
        if wants_json(request):
            return JsonResponse({"error": exc.messages[0]}, status=400)
        messages.error(request, exc.messages[0])
        return redirect(_back_to(request, item))
    if wants_json(request):
        return JsonResponse({"voted": voted, "votes": item.vote_count})
    messages.success(request, _("Thanks for your vote.") if voted
                     else _("Your vote has been removed."))
    return redirect(_back_to(request, item))


@require_POST
@_members_only
def item_follow(request, pk):
    item = selectors.item_get_simple(user=request.user, pk=pk)
    following = services.follow_toggle(item=item, user=request.user)
    messages.success(request, _("You will be told when this idea changes.") if following
                     else _("You no longer follow this idea."))
    return redirect(_back_to(request, item))


@require_POST
@_members_only
def item_comment(request, pk):
    item = selectors.item_get(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your comment was not posted: please correct it below."))
        return _render_item(request, item, comment_form=form, status=400)
    if rate_limit_exceeded(scope="feedback-comment", key=str(request.user.pk),
                           limit=COMMENTS_PER_HOUR, period=3600):
        messages.error(request, _("You are commenting very fast. Please try again later."))
        return _render_item(request, item, comment_form=form, status=429)
    services.comment_create(item=item, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("Your comment is posted."))
    return redirect(item)


def _staff_form_action(request, pk, *, form_class, form_name, perform, done):
    """Bind a staff form on an item page, run ``perform(item, cleaned_data)`` (a service that
    returns the item to go to) and redirect; bad input re-renders the page with the errors."""
    item = selectors.item_get(user=request.user, pk=pk)
    form = form_class(request.POST, item=item)
    if form.is_valid():
        try:
            target = perform(item, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect(target)
    return _render_item(request, item, status=400, **{form_name: form})


@require_POST
@_responders_only
def item_respond(request, pk):
    return _staff_form_action(
        request, pk, form_class=RespondForm, form_name="respond_form",
        perform=lambda item, data: services.item_set_status(item=item, by=request.user, **data),
        done=_("Your response is published and followers are notified."))


@require_POST
@_responders_only
def item_merge(request, pk):
    return _staff_form_action(
        request, pk, form_class=MergeForm, form_name="merge_form",
        perform=lambda item, data: services.item_merge(duplicate=item, by=request.user, **data),
        done=_("Merged into this idea; votes and followers moved here."))
