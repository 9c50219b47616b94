"""The @mention autocomplete, the watch-level forms (topic and category pages) and the
digest setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.ratelimit import rate_limit_exceeded
from forum import selectors
from forum.digest import digest_frequency, digest_set
from forum.forms import DigestForm
from forum.mentions import users_for_mention
from forum.watching import watch_set

LOOKUPS_PER_MINUTE = 60


@login_required
@require_GET
def user_lookup(request):
    """``?q=``: up to 8 active users for the @mention autocomplete, as JSON."""
    if rate_limit_exceeded(scope="forum-user-lookup", key=str(request.user.pk),
                           limit=LOOKUPS_PER_MINUTE, period=60):
        return JsonResponse({"error": _("Too many lookups. Wait a moment."), "users": []},
                            status=429)
    return JsonResponse({"users": users_for_mention(query=request.GET.get("q", ""))})


@login_required
@require_POST
def watch_update(request, kind, key):
    """Set the watch level of a topic (``key``: its id) or a category (its slug) from the
    small form on its page."""
    if kind == "topic" and key.isdigit():
        target = selectors.topic_get(user=request.user, pk=int(key))
        fields = {"topic": target}
    elif kind == "category":
        target = selectors.category_get(slug=key)
        fields = {"category": target}
    else:
        raise Http404
    try:
        watch_set(user=request.user, level=request.POST.get("level", ""), **fields)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your notification setting is saved."))
    return redirect(target.get_absolute_url())


@login_required
def digest_settings(request):
    """How often the member gets the forum digest by email."""
    if request.method != "POST":
        form = DigestForm(initial={"frequency": digest_frequency(user=request.user)})
        return render(request, "forum/digest_settings.html", {"form": form})
    form = DigestForm(request.POST)
    if not form.is_valid():
        return render(request, "forum/digest_settings.html", {"form": form}, status=400)
    digest_set(user=request.user, frequency=form.cleaned_data["frequency"])
    messages.success(request, _("Your digest setting is saved."))
    return redirect("forum:digest")
