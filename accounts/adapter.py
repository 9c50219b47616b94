from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import translate_url
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A new user's preferred language is the one they signed up in.
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

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
