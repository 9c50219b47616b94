"""Pages served to anonymous readers from the cache for a few seconds (Discourse's anonymous
cache): a busy topic read by thousands costs one render per ``ANONYMOUS_PAGE_CACHE_SECONDS``.

Only GET pages for visitors who are not signed in, without flash messages waiting for them and
without query parameters other than ``page``, are cached. What differs per visitor is the CSRF
token of the page's forms (the language switch): pages are rendered with a placeholder token
(``csrf_placeholder`` context processor) and each response gets the visitor's own. A change to
the page (a new post, a hidden one) reaches anonymous readers within those few seconds;
signed-in members get a fresh page, or one shared by every member who would see exactly the same
thing (``member_page``), with their own account menu and unread count filled in.
"""

import hashlib
import secrets
from collections.abc import Callable, Hashable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from core.fragments import fragment_key

PLACEHOLDER = "csrf-placeholder-5d1b9e"
KEY_PREFIX = "anonymous-page:"
GENERATION_KEY = "member-pages:generation"
# Shared member pages are made anew when what they show changes; the expiry only clears
# pages nobody asks for any more.
MEMBER_PAGE_SECONDS = 3600


def _plain_get(request) -> bool:
    """A GET for the page itself: no query parameters but ``page``, no flash message waiting
    to be shown on it."""
    return (request.method in ("GET", "HEAD") and set(request.GET) <= {"page"}
            and not len(messages.get_messages(request)))


def _address(request) -> str:
    return f"{request.scheme}://{request.get_host()}{request.get_full_path()}"


def _key(request) -> str:
    return KEY_PREFIX + hashlib.sha256(_address(request).encode()).hexdigest()


def _with_token(request, content: bytes) -> bytes:
    return content.replace(PLACEHOLDER.encode(), get_token(request).encode())


def anonymous_page_cache(view):
    """Serve ``view``'s 200 HTML pages to anonymous readers from the cache (see above)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
        if not seconds or request.user.is_authenticated or not _plain_get(request):
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


def hole_marker(template_name: str) -> str:
    return f"<!--page-hole:{template_name}-->"


def member_pages_expire() -> None:
    """Have every page shared by members (``member_page``) rendered afresh on its next view:
    for a change that shows on many pages but is not in their keys (a member's name, avatar
    or badges beside their posts, a category)."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def member_page(request, *, state: Hashable, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s page for a signed-in member, made once for every member who would see
    the same page. ``state`` must hold everything the page shows that is not the same for all
    members (the view's data, what this reader may do with it) and that ``member_pages_expire``
    does not cover: it is the cache key, so a change makes a new key and nothing has to be
    invalidated; old pages expire. The layout's holes (``{% page_hole %}``: the account menu,
    the unread count) are filled for each reader and the CSRF placeholder replaced by their
    token. Other requests (not a ``_plain_get``) are rendered as usual."""
    if not request.user.is_authenticated or not _plain_get(request):
        return render()
    key = fragment_key("member-page", _address(request), get_language(),
                       timezone.get_current_timezone_name(), state)
    found = cache.get_many([key, GENERATION_KEY])
    generation, cached = found.get(GENERATION_KEY), found.get(key)
    if cached is None or cached[3] != generation:
        request.csrf_placeholder, request.page_holes = True, []
        response = render()
        holes, request.page_holes = request.page_holes, None
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            response.content = _with_token(request, _filled(request, response.content, holes))
            return response
        cached = (content_type, response.content, holes, generation)
        cache.set(key, cached, MEMBER_PAGE_SECONDS)
    content_type, content, holes, _generation = cached
    request.csrf_placeholder = True  # in the holes too: one token for the whole page
    return HttpResponse(_with_token(request, _filled(request, content, holes)),
                        content_type=content_type)


def _filled(request, content: bytes, holes: list[str]) -> bytes:
    for name in holes:
        content = content.replace(hole_marker(name).encode(),
                                  render_to_string(name, request=request).encode())
    return content
