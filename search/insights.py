"""What people search for, for staff: a log of searches without personal data, and the top
searches (and those that found nothing: content to write) per language and period.

The log keeps the words only: no user, no IP, no time finer than the row's timestamp. Emails and
long numbers (UIDs, order and phone numbers) that people paste are replaced by placeholders.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count
from django.utils import timezone

from search.models import SearchQuery

TEXT_MAX = SearchQuery._meta.get_field("text").max_length
EMAIL = re.compile(r"\S+@\S+")
LONG_NUMBER = re.compile(r"\d{6,}")


def search_text_normalise(text: str) -> str:
    """``text`` lowercased, spaces collapsed, emails and long numbers replaced, cut to fit."""
    text = " ".join(text.split()).lower()
    text = LONG_NUMBER.sub("<number>", EMAIL.sub("<email>", text))
    return text[:TEXT_MAX]


def search_query_log(*, text: str, language: str, results: int) -> SearchQuery | None:
    """Log one search (None for an empty one). ``language`` is the reader's interface
    language, ``results`` how many results the search found."""
    text = search_text_normalise(text)
    if not text:
        return None
    return SearchQuery.objects.create(text=text, language=language[:10], results=results)


@dataclass(frozen=True)
class TopSearch:
    text: str
    searches: int
    results: int  # on average


def search_queries_top(*, language: str = "", days: int = 30, no_results: bool = False,
                       limit: int = 50) -> list[TopSearch]:
    """The ``limit`` most frequent searches of the last ``days`` days (in ``language``, or
    all), most frequent first; ``no_results``: only the searches that found nothing."""
    rows = SearchQuery.objects.filter(created_at__gte=timezone.now() - timedelta(days=days))
    if language:
        rows = rows.filter(language=language)
    if no_results:
        rows = rows.filter(results=0)
    rows = (rows.values("text").annotate(searches=Count("id"), average=Avg("results"))
            .order_by("-searches", "text")[:limit])
    return [TopSearch(row["text"], row["searches"], round(row["average"])) for row in rows]
