"""Reads of the search index: the search page's results and the search box's suggestions.

The index holds only what anyone may read (content apps unindex hidden, unpublished and
private objects in the same transaction as the change) and scheduled articles are held back
by ``visible_from``, so every reader sees the same results. Ranking is shared by both
backends: the backend's text rank (title above tags above body), times a boost for accepted
answers and staff posts, times a preference for recent content, Discourse-style; documents
holding the query's words as one exact phrase come first."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from search.backends import Candidate, backend
from search.models import Document
from search.query import (
    MAX_LENGTH,
    STOPWORDS,
    Query,
    QueryToken,
    parse,
    prefix_query,
    token_matches,
)
from search.sources import sources
from search.tokenizer import normalise, token_texts, tokens

KINDS = ("topic", "post", "article", "feedback")
# Only the most recent matches of a query are ranked: ranking every match of a common word
# is what makes search slow, and older matches of such a word are rarely what is wanted.
CANDIDATES = 300
PER_PAGE_MAX = 50
CATEGORIES_CACHE_SECONDS = 300
ACCEPTED_BOOST = 0.5
STAFF_BOOST = 0.25
RECENCY_DAYS = 30  # a document this old gets half the recency bonus of a new one
SNIPPET_LENGTH = 220
SNIPPET_SCAN = 2000
SNIPPET_BEFORE = 60


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: SafeString  # escaped text with <mark>…</mark>
    language: str
    created_at: datetime
    author_name: str
    category_name: str
    other_language: bool  # an article in a language other than reader_language
    accepted_label: str  # "Solved" on a solved topic, "Accepted answer" on its answer, or ""
    staff: bool  # by staff, worth a badge: never on articles, which all are


@dataclass
class SearchResults:
    hits: list[Hit] = field(default_factory=list)
    count: int = 0  # at most CANDIDATES: ``capped`` says there may be more
    page: int = 1
    pages: int = 0
    per_page: int = 20
    counts_by_kind: dict[str, int] = field(default_factory=dict)  # same filters except kind
    terms: list[str] = field(default_factory=list)  # the query's positive terms
    capped: bool = False


@dataclass
class Suggestion:
    kind: str
    title: str
    url: str


def _filters(*, kinds: Sequence[str] = (), category: str = "", author: str = "",
             language: str = "", since: date | None = None,
             until: date | None = None) -> tuple[str, list]:
    """SQL conditions on search_document's columns and their parameters: what is visible
    now, narrowed by the search form's filters."""
    ops = connection.ops
    conditions = ["(visible_from IS NULL OR visible_from <= %s)"]
    params: list = [ops.adapt_datetimefield_value(timezone.now())]
    if kinds:
        conditions.append(f"kind IN ({', '.join(['%s'] * len(kinds))})")
        params += list(kinds)
    for column, value in (("category", category), ("author_name", author),
                          ("language", language)):
        if value:
            conditions.append(f"{column} = %s")
            params.append(value)
    tz = timezone.get_current_timezone()
    if since:
        conditions.append("created_at >= %s")
        params.append(ops.adapt_datetimefield_value(
            datetime.combine(since, time.min, tzinfo=tz)))
    if until:
        conditions.append("created_at < %s")
        params.append(ops.adapt_datetimefield_value(
            datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)))
    return " AND ".join(conditions), params


def _score(candidate: Candidate, *, now: datetime) -> float:
    boost = 1 + ACCEPTED_BOOST * candidate.accepted + STAFF_BOOST * candidate.staff
    age_days = max((now - candidate.created_at).total_seconds(), 0) / 86400
    return candidate.text_rank * boost * (1 + 1 / (1 + age_days / RECENCY_DAYS))


def _one_language_per_article(found: list[Candidate], *, reader_language: str):
    """An article written in several languages appears once: in the reader's language when
    it matched in it."""
    chosen: dict[int, Candidate] = {}
    for candidate in found:
        if candidate.kind != Document.Kind.ARTICLE:
            continue
        best = chosen.get(candidate.object_id)
        if best is None or (candidate.language == reader_language
                            and best.language != reader_language):
            chosen[candidate.object_id] = candidate
    return [candidate for candidate in found
            if candidate.kind != Document.Kind.ARTICLE
            or chosen[candidate.object_id] is candidate]


def snippet(text: str, *, matches: Callable[[str], bool],
            length: int = SNIPPET_LENGTH) -> SafeString:
    """About ``length`` characters of ``text`` around its first match, HTML-escaped, with the
    matching tokens in <mark>. The start of ``text`` when nothing matches (a title match) in
    its first ``SNIPPET_SCAN`` characters: a long body is not tokenized to its end for that."""
    found = tokens(text[:SNIPPET_SCAN + length])
    first = next((token for token in found if matches(token.text)), None)
    start = 0 if first is None else max(first.start - SNIPPET_BEFORE, 0)
    if start:
        space = text.find(" ", start, start + 15)
        start = space + 1 if space != -1 else start
    end = min(start + length, len(text))
    marked: list[list[int]] = []
    if first is not None:
        marked.append([first.start, first.end])
        for token in found:
            if token.start >= end:
                break
            if matches(token.text):
                if token.start <= marked[-1][1]:
                    marked[-1][1] = max(marked[-1][1], token.end)
                else:
                    marked.append([token.start, token.end])
    parts, position = ["…" if start else ""], start
    for mark_start, mark_end in marked:
        mark_end = min(mark_end, end)
        parts.append(conditional_escape(text[position:mark_start]))
        parts.append(f"<mark>{conditional_escape(text[mark_start:mark_end])}</mark>")
        position = mark_end
    parts.append(conditional_escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def _localised(url: str, *, kind: str, language: str) -> str:
    """A document's address in the active language's URL prefix; an article keeps its own
    language's (its slug differs by language)."""
    prefix, active = f"/{language}/", translation.get_language()
    if kind == Document.Kind.ARTICLE or not active or not url.startswith(prefix):
        return url
    return f"/{active}/{url[len(prefix):]}"


def _accepted_label(document: Document) -> str:
    if not document.accepted:
        return ""
    return gettext("Solved") if document.kind == Document.Kind.TOPIC else gettext(
        "Accepted answer")


def _hit(document: Document, *, query: Query, reader_language: str) -> Hit:
    return Hit(kind=document.kind, title=document.title,
               url=_localised(document.url, kind=document.kind, language=document.language),
               snippet=snippet(document.body, matches=token_matches(query)),
               language=document.language, created_at=document.created_at,
               author_name=document.author_name, category_name=document.category_name,
               other_language=(document.kind == Document.Kind.ARTICLE
                               and document.language != reader_language),
               accepted_label=_accepted_label(document),
               staff=document.staff and document.kind != Document.Kind.ARTICLE)


def fewer_words(*, text: str, terms: list[str], most: int) -> list[str]:
    """Queries of ``text`` with one of its positive ``terms`` dropped (the first ``most``),
    to try when it finds nothing. None for an OR query: its words are alternatives already,
    and dropping one would change its meaning."""
    if " OR " in text or len(terms) < 2:
        return []
    shorter = []
    for dropped in range(min(len(terms), most)):
        query = " ".join(f'"{term}"' if " " in term else term
                         for n, term in enumerate(terms) if n != dropped)
        if query not in shorter:
            shorter.append(query)
    return shorter


def _documents(ids: list[int]) -> dict[int, Document]:
    return Document.objects.defer("vector", "group").in_bulk(ids)


def search_run(*, user, text: str, kinds: Sequence[str] = (), category: str = "",
               author: str = "", language: str = "", since: date | None = None,
               until: date | None = None, sort: str = "relevance", page: int = 1,
               per_page: int = 20, reader_language: str = "en") -> SearchResults:
    """One page of what ``text`` finds. ``user`` sees what everyone sees: only public content
    is indexed. Unparseable text or only exclusions: empty results. Two queries, three with
    ``kinds`` (the tabs' counts then need their own)."""
    query = parse(text)
    per_page = min(max(per_page, 1), PER_PAGE_MAX)
    results = SearchResults(per_page=per_page, terms=query.terms)
    if not query:
        return results
    wanted = [kind for kind in kinds if kind in KINDS]
    if kinds and not wanted:
        return results
    kinds = wanted
    store = backend()
    filters = {"category": category, "author": author, "language": language,
               "since": since, "until": until}
    where, params = _filters(kinds=kinds, **filters)
    found = store.candidates(query=query, where=where, params=params, limit=CANDIDATES)
    results.capped = len(found) == CANDIDATES
    found = _one_language_per_article(found, reader_language=reader_language)
    if kinds:
        where, params = _filters(**filters)
        results.counts_by_kind = store.kind_counts(query=query, where=where, params=params,
                                                   limit=CANDIDATES)
    else:
        for candidate in found:
            results.counts_by_kind[candidate.kind] = \
                results.counts_by_kind.get(candidate.kind, 0) + 1
    if sort != "newest":
        now = timezone.now()
        found.sort(key=lambda candidate: (candidate.phrase, _score(candidate, now=now)),
                   reverse=True)
    results.count = len(found)
    results.pages = math.ceil(results.count / per_page)
    results.page = min(max(page, 1), max(results.pages, 1))
    chosen = [candidate.id for candidate in
              found[(results.page - 1) * per_page:results.page * per_page]]
    documents = _documents(chosen) if chosen else {}
    results.hits = [_hit(documents[pk], query=query, reader_language=reader_language)
                    for pk in chosen if pk in documents]
    return results


def suggestions_for(*, user, prefix: str, kinds: Sequence[str] = (), language: str = "en",
                    limit: int = 8) -> list[Suggestion]:
    """The most recent titles matching ``prefix`` as it is being typed (its last word may be
    unfinished): topics, articles (in ``language``) and feedback, never replies. One
    query; none for an empty prefix."""
    query = prefix_query((prefix or "")[:100])
    filters = _title_filters(kinds=kinds, language=language)
    if not query or filters is None:
        return []
    where, params = filters
    rows = backend().title_matches(query=query, where=where, params=params,
                                   limit=min(max(limit, 1), 20))
    return [Suggestion(kind=kind, title=title,
                       url=_localised(url, kind=kind, language=document_language))
            for kind, _object_id, title, url, document_language, _accepted in rows]


def _title_filters(*, kinds: Sequence[str], language: str) -> tuple[str, list] | None:
    """The conditions of a lookup by title and their parameters: what is visible now, of
    ``kinds`` (when empty, every kind with a title of its own: not replies), articles in
    ``language`` only. None when ``kinds`` names none of those kinds."""
    wanted = [kind for kind in kinds if kind in KINDS and kind != Document.Kind.POST]
    if kinds and not wanted:
        return None
    where, params = _filters(kinds=wanted)
    return f"{where} AND (kind <> 'article' OR language = %s)", [*params, language]


@dataclass
class SimilarTitle:
    kind: str
    object_id: int
    title: str
    url: str
    shared: int  # how many of the typed text's words the title holds


# Only the most recent titles holding any of the words are compared: a common word's older
# matches would cost a scan of the whole index, and a long text is cut to its first words.
SIMILAR_CANDIDATES = 150
SIMILAR_TERMS_MAX = 16
# Words too common to make two titles alike, beyond the search's own stop words: the filler
# of a request ("please add support for") and, as CJK bigrams, of a question in Chinese.
SIMILAR_STOPWORDS = STOPWORDS | frozenset((
    "add", "allow", "can", "could", "does", "have", "let", "make", "more", "not", "please",
    "should", "support", "would", "you", "your",
    "怎么", "什么", "为什", "如何", "没有", "可以", "一个", "我的", "请问", "问题", "是否",
    "能否", "一下", "已经", "这个"))


def _similar_terms(text: str) -> dict[str, bool]:
    """The index tokens of ``text`` worth comparing titles by, each with whether it is a
    prefix: whole words (three letters or digits, or two CJK characters) other than stop
    words; the last word is a prefix while it is being typed (nothing follows it)."""
    terms: dict[str, bool] = {}
    for token in tokens(text):
        word = normalise(text[token.start:token.end])
        if len(word) < (2 if token.cjk else 3) or word in SIMILAR_STOPWORDS:
            continue
        if token.text not in terms and len(terms) == SIMILAR_TERMS_MAX:
            break
        terms[token.text] = not token.cjk and token.end == len(text)
    return terms


def _shared(title: str, terms: dict[str, bool]) -> int:
    held = set(token_texts(title))
    return sum(1 for term, prefix in terms.items()
               if term in held or prefix and any(token.startswith(term) for token in held))


def similar_titles(*, user, text: str, kinds: Sequence[str] = (), language: str = "en",
                   solved_only: bool = False, limit: int = 5) -> list[SimilarTitle]:
    """Titles like ``text``, a whole title or subject typed so far: any of its words may
    match (the last one as a prefix while it is typed), those sharing the most words first,
    then the most recent. Topics, articles (in ``language``) and feedback, never replies;
    with ``solved_only``, topics only when they have an accepted answer (sorted out among the
    recent matches rather than by the query: most topics are unsolved, and a query that
    skipped them would read far back for enough solved ones). Stop words do not
    count: text without a whole word (three letters, or two CJK characters) finds nothing
    and runs no query; otherwise one query. ``user`` sees what everyone sees: only public
    content is indexed."""
    terms = _similar_terms((text or "")[:MAX_LENGTH])
    filters = _title_filters(kinds=kinds, language=language)
    if not terms or filters is None:
        return []
    where, params = filters
    query = Query(groups=[[(QueryToken(term, prefix=prefix),)
                           for term, prefix in terms.items()]])
    rows = backend().title_matches(query=query, where=where, params=params,
                                   limit=SIMILAR_CANDIDATES)
    found = [SimilarTitle(kind=kind, object_id=object_id, title=title,
                          url=_localised(url, kind=kind, language=document_language),
                          shared=_shared(title, terms))
             for kind, object_id, title, url, document_language, accepted in rows
             if accepted or not solved_only or kind != Document.Kind.TOPIC]
    found.sort(key=lambda similar: similar.shared, reverse=True)  # stable: newest first
    return found[:min(max(limit, 1), 20)]


def search_categories() -> list[tuple[str, str]]:
    """(key, label) of every category the search can be narrowed to, in the active
    language. Read from every app's categories and their translations (six queries), then
    kept ``CATEGORIES_CACHE_SECONDS``: a renamed category shows in the filter that much
    later."""
    key = f"search:categories:{translation.get_language()}"
    found = cache.get(key)
    if found is None:
        found = [choice for source in sources() for choice in source.categories()]
        cache.set(key, found, CATEGORIES_CACHE_SECONDS)
    return found
