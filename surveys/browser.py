"""Who is answering, from the request: their invitation, account, or browser. A browser is
known by a random token in a signed cookie, set when it first saves answers; only the token's
hash is stored with the response."""

import secrets

from django.conf import settings

from surveys import selectors

BROWSER_COOKIE = "surveys_browser"
BROWSER_SALT = "surveys.browser"


def browser_token(request) -> str | None:
    """The browser's token, from its signed cookie (None without a valid one)."""
    return request.get_signed_cookie(BROWSER_COOKIE, default=None, salt=BROWSER_SALT)


def respondent_of(request, *, invitation=None) -> selectors.Respondent:
    token = browser_token(request)
    return selectors.Respondent(user=request.user, invitation=invitation,
                                browser_hash=selectors.token_hash(token) if token else "")


def browser_token_new() -> str:
    return secrets.token_urlsafe(24)


def browser_cookie_set(response, token: str) -> None:
    response.set_signed_cookie(
        BROWSER_COOKIE, token, salt=BROWSER_SALT, httponly=True, samesite="Lax",
        max_age=settings.SURVEYS_BROWSER_COOKIE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE)
