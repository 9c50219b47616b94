from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.forms import AvatarForm, ProfileForm
from accounts.selectors import user_get_public
from accounts.services import avatar_remove, avatar_set, profile_update, user_language_set


def profile_detail(request, username):
    profile = user_get_public(username=username)
    return render(request, "accounts/profile_detail.html", {"profile": profile})


def _render_profile_edit(request, *, form=None, avatar_form=None, status=200):
    user = request.user
    form = form or ProfileForm(initial={
        "display_name": user.display_name, "bio": user.bio,
        "language": user.language, "timezone": user.timezone,
    })
    return render(request, "accounts/profile_edit.html",
                  {"form": form, "avatar_form": avatar_form or AvatarForm()}, status=status)


@login_required
def profile_edit(request):
    if request.method != "POST":
        return _render_profile_edit(request)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _render_profile_edit(request, form=form, status=400)
    profile_update(user=request.user, **form.cleaned_data)
    messages.success(request, _("Your profile has been saved."))
    return redirect("accounts:profile_edit")


@require_POST
@login_required
def avatar_update(request):
    if request.POST.get("remove"):
        avatar_remove(user=request.user)
        messages.success(request, _("Your avatar has been removed."))
        return redirect("accounts:profile_edit")
    avatar_form = AvatarForm(request.POST, request.FILES)
    if not avatar_form.is_valid():
        return _render_profile_edit(request, avatar_form=avatar_form, status=400)
    avatar_set(user=request.user, image=avatar_form.cleaned_data["avatar"])
    messages.success(request, _("Your avatar has been updated."))
    return redirect("accounts:profile_edit")


@require_POST
def language_set(request):
    """Django's language switch, which keeps the current page; signed-in users also keep it."""
    # set_language resolves ``next`` in the active language, here the cookie's or browser's;
    # a page opened from a link may be in the other one, so resolve it in the page's own.
    page_language = translation.get_language_from_path(request.POST.get("next", ""))
    if page_language:
        translation.activate(page_language)
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response
