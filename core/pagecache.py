"""Pages served to anonymous readers from the cache for a few seconds (Discourse's anonymous
cache): a busy topic read by thousands costs one render per ``ANONYMOUS_PAGE_CACHE_SECONDS``.

Only GET pages for visitors who are not signed in, without flash messages waiting for them and
without query parameters other than ``page``, are cached. What differs per visitor is the CSRF
token of the page's forms (the language switch): pages are rendered with a placeholder token
(``csrf_placeholder`` context processor) and each response gets the visitor's own. A change to
the page (a new post, a hidden one) reaches anonymous readers within those few seconds;
signed-in members always get a fresh page.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

PLACEHOLDER = "csrf-placeholder-5d1b9e"
KEY_PREFIX = "anonymous-page:"


def _cacheable(request) -> bool:
    return (request.method in ("GET", "HEAD") and not request.user.is_authenticated
            and set(request.GET) <= {"page"} and not len(messages.get_messages(request)))


def _key(request) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def _with_token(request, content: bytes) -> bytes:
    return content.replace(PLACEHOLDER.encode(), get_token(request).encode())


def anonymous_page_cache(view):
    """Serve ``view``'s 200 HTML pages to anonymous readers from the cache (see above)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            content_type, content = cached
            return HttpResponse(_with_token(request, content), content_type=content_type)
        request.csrf_placeholder = True
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or getattr(response, "streaming", False):
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            cache.set(key, (content_type, response.content), seconds)
        response.content = _with_token(request, response.content)
        return response
    return wrapper


def page_csrf_token(request) -> str:
    """The CSRF token to write into a page: the placeholder while it is rendered for the
    anonymous cache (each response then gets its visitor's own), else the visitor's own."""
    return PLACEHOLDER if getattr(request, "csrf_placeholder", False) else get_token(request)


def csrf_placeholder(request) -> dict:
    """The placeholder CSRF token while a page is rendered for the anonymous cache."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, "csrf_placeholder", False) else {}
