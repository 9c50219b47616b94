"""The search page and the as-you-type suggestions behind search_suggest.js.

The page works without JavaScript: one GET form (query, filters, tab, sort), links for tabs,
sort and pages that keep every other parameter. Bad parameters never fail the page: invalid
filters show an error next to their field and are left out, unknown tabs, sorts and page
numbers fall back to their defaults.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.ratelimit import rate_limit_exceeded
from search import selectors
from search.forms import KIND_LABELS, QUERY_MAX, SORT_LABELS, TAB_LABELS, TABS, SearchForm
from search.insights import search_query_log

PER_PAGE = 20
# Checking whether a shorter query finds something costs a search each: a few at most.
FEWER_WORDS_MAX = 4
# Typing sends a request per pause; a person stays well under this, a scraper does not.
SUGGEST_RATE = (120, 60)  # requests, seconds
# A search that finds nothing runs a few more to offer alternatives: pages are limited too.
SEARCH_RATE = (30, 60)
TOO_MANY = _("Too many searches in a short time. Wait a minute and try again.")
# Many people type the same first letters: the answer for a prefix is shared a short while.
SUGGEST_CACHE_SECONDS = 60
SUGGEST_LIMIT = 8


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int
    url: str
    current: bool


@dataclass(frozen=True)
class Alternative:
    """A search to try instead of one that found nothing: ``url`` runs it, ``count`` is how
    many results it finds."""

    text: str
    url: str
    count: int


def _url(request, **changes) -> str:
    """This page's URL with ``changes`` applied to its parameters (None drops one); the
    page number always restarts."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        if value in (None, ""):
            params.pop(name, None)
        else:
            params[name] = value
    return f"{request.path}?{params.urlencode()}" if params else request.path


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def _tabs(request, *, results, current: str) -> list[Tab]:
    counts = results.counts_by_kind
    tabs = [Tab("", TAB_LABELS[""], sum(counts.values()), _url(request, kind=None),
                current == "")]
    tabs += [Tab(key, TAB_LABELS[key], sum(counts.get(kind, 0) for kind in kinds),
                 _url(request, kind=key), current == key) for key, kinds in TABS.items()]
    return tabs


def _alternatives(request, *, filters: dict, results) -> dict:
    """What to offer when nothing was found: the same words in every language, without the
    other filters, and with one word fewer (only those that find something)."""
    found = {}

    def count(**changes) -> int:
        return selectors.search_run(user=request.user, **{**filters, **changes}, page=1,
                                    per_page=1, reader_language=get_language()).count

    if filters["language"]:
        found["all_languages"] = Alternative(filters["text"], _url(request, language=None),
                                             count(language=""))
    if any(filters[name] for name in ("kinds", "category", "author", "since", "until")):
        found["unfiltered"] = Alternative(
            filters["text"], _url(request, kind=None, category=None, author=None,
                                  language=None, since=None, until=None),
            count(kinds=(), category="", author="", language="", since=None, until=None))
    found["fewer_words"] = [
        Alternative(text, _url(request, q=text), hits)
        for text in selectors.fewer_words(text=filters["text"], terms=results.terms,
                                          most=FEWER_WORDS_MAX)
        if (hits := count(text=text))]
    return found


def search_index(request):
    """Results for ``q`` with the filters, tabs and sort of the form, a page at a time; help
    to search again when nothing is found. Every search typed is logged for the insights."""
    form = SearchForm(request.GET)
    filters = form.search_filters()
    index = reverse("search:index")
    context = {"form": form, "filters": filters, "results": None,
               "clear_url": f"{index}?{urlencode({'q': filters['text']})}" if filters["text"]
               else index,
               "forum_url": reverse("forum:index")}
    limit, period = SEARCH_RATE
    if filters["text"] and rate_limit_exceeded(scope="search.page", key=_visitor(request),
                                               limit=limit, period=period):
        return render(request, "search/search.html", {**context, "refused": TOO_MANY},
                      status=429)
    if filters["text"]:
        page = _page_number(request.GET.get("page"))
        results = selectors.search_run(user=request.user, **filters, page=page,
                                       per_page=PER_PAGE, reader_language=get_language())
        # One entry per search typed, not per tab or page visited from its results.
        if page == 1 and not filters["kinds"]:
            search_query_log(text=filters["text"], language=get_language(),
                             results=results.count)
        context.update({
            "results": results,
            "hits": [(hit, KIND_LABELS.get(hit.kind, "")) for hit in results.hits],
            "tabs": _tabs(request, results=results, current=form.cleaned_data.get("kind", "")),
            "sort_links": [(key, label, _url(request, sort=key))
                           for key, label in SORT_LABELS.items()],
            "previous_url": _url(request, page=results.page - 1) if results.page > 1 else "",
            "next_url": (_url(request, page=results.page + 1)
                         if results.page < results.pages else ""),
        })
        if not results.count:
            context["alternatives"] = _alternatives(request, filters=filters, results=results)
    return render(request, "search/search.html", context)


def _visitor(request) -> str:
    return f"u{request.user.pk}" if request.user.is_authenticated \
        else request.META.get("REMOTE_ADDR", "")


@require_GET
def search_suggest(request):
    """Top titles for what is being typed, as JSON: ``?q=<text>&kinds=topic,article``
    (unknown kinds are ignored; none means all). ``{"results": [{kind, kind_label, title,
    url}]}``, or 429 with ``error`` when asked too often."""
    limit, period = SUGGEST_RATE
    if rate_limit_exceeded(scope="search.suggest", key=_visitor(request), limit=limit,
                           period=period):
        return JsonResponse({"error": str(TOO_MANY)}, status=429)
    prefix = " ".join(request.GET.get("q", "").split())[:QUERY_MAX]
    kinds = sorted({kind for kind in request.GET.get("kinds", "").split(",")
                    if kind in selectors.KINDS})
    if not prefix:
        return JsonResponse({"results": []})
    language = get_language()
    # Suggestions are public content only, the same for everyone: one cache entry serves all.
    digest = hashlib.sha256(
        urlencode({"l": language, "k": ",".join(kinds), "q": prefix.lower()}).encode()
    ).hexdigest()
    key = f"search:suggest:{digest}"
    results = cache.get(key)
    if results is None:
        results = [{"kind": found.kind, "kind_label": str(KIND_LABELS.get(found.kind, "")),
                    "title": found.title, "url": found.url}
                   for found in selectors.suggestions_for(user=request.user, prefix=prefix,
                                                          kinds=kinds, language=language,
                                                          limit=SUGGEST_LIMIT)]
        cache.set(key, results, SUGGEST_CACHE_SECONDS)
    return JsonResponse({"results": results})
