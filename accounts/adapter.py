from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import translate_url
from django.utils import translation

from forum.selectors import user_ban_message


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A new user's preferred language is the one they signed up in.
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def pre_login(self, request, user, **kwargs):
        """A user banned from the forum may not sign in until the ban ends."""
        reason = user_ban_message(user=user)
        if reason is None:
            return super().pre_login(request, user, **kwargs)
        clear_login(request)  # as allauth's own pre_login does for an inactive user
        messages.error(request, reason)
        return redirect("account_login")

    def post_login(self, request, user, **kwargs):
        """After login, continue in the user's preferred language and remember it."""
        language = user.language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = super().post_login(request, user, **kwargs)
        if getattr(response, "url", None):
            # translate_url resolves in the active language: resolve the URL in its own.
            with translation.override(translation.get_language_from_path(response.url)
                                      or language):
                response["Location"] = translate_url(response.url, language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language,
            max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
