"""Writes to the search index. Content apps call ``index`` and ``unindex`` from their own
services, inside the same transaction as the change, with the documents their ``search``
module builds; only what anyone may read is indexed."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from html import unescape
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from search.backends import backend
from search.models import Document
from search.tokenizer import token_texts

# Snippets come from the start of the text: a longer body is searchable but not stored whole.
BODY_STORED = 5_000
_TITLE_MAX = Document._meta.get_field("title").max_length


@dataclass
class SearchDoc:
    """One object in one language as a content app hands it to the index."""

    kind: str  # one of Document.Kind
    object_id: int
    language: str
    group: str  # e.g. "forum.topic:12": a topic and its replies go together
    title: str
    body: str  # plain text
    url: str
    created_at: datetime
    tags: list[str] = field(default_factory=list)
    category: str = ""  # the filter key, "forum:<slug>", "blog:<slug>", "feedback:<slug>"
    category_name: str = ""
    author_name: str = ""
    visible_from: datetime | None = None  # scheduled: hidden until then
    staff: bool = False
    accepted: bool = False


def _rows(documents: list[SearchDoc]):
    """The Document rows to insert and, for each, its (title, tags, body) tokens."""
    store = backend()
    rows, tokens = [], []
    for doc in documents:
        title, tags, body = (token_texts(doc.title), token_texts(" ".join(doc.tags)),
                             token_texts(doc.body))
        rows.append(Document(
            kind=doc.kind, object_id=doc.object_id, language=doc.language, group=doc.group,
            title=doc.title[:_TITLE_MAX], body=doc.body[:BODY_STORED], url=doc.url,
            category=doc.category, category_name=doc.category_name[:120],
            author_name=doc.author_name, created_at=doc.created_at,
            visible_from=doc.visible_from, staff=doc.staff, accepted=doc.accepted,
            vector=store.vector(title=title, tags=tags, body=body, created_at=doc.created_at)))
        tokens.append((title, tags, body))
    return rows, tokens


def _insert(documents: list[SearchDoc]) -> int:
    rows, tokens = _rows(documents)
    saved = Document.objects.bulk_create(rows)
    backend().write([(row.pk, *found) for row, found in zip(saved, tokens, strict=True)])
    return len(saved)


def _delete(documents) -> None:
    ids = list(documents.values_list("pk", flat=True))
    if ids:
        backend().delete(ids)
        Document.objects.filter(pk__in=ids).delete()


@transaction.atomic
def index(*, documents: Iterable[SearchDoc], group: str = "") -> int:
    """Replace the documents of the objects in ``documents`` (every language of each) by
    these; with ``group``, first drop everything of that group, so objects missing from
    ``documents`` (now hidden, moved away) leave the index. Returns how many were stored."""
    documents = list(documents)
    if group:
        _delete(Document.objects.filter(group=group))
    keys: dict[str, set[int]] = {}
    for doc in documents:
        keys.setdefault(doc.kind, set()).add(doc.object_id)
    for kind, object_ids in keys.items():
        _delete(Document.objects.filter(kind=kind, object_id__in=object_ids))
    return _insert(documents) if documents else 0


@transaction.atomic
def unindex(*, kind: str = "", object_ids: Iterable[int] = (), group: str = "") -> None:
    """Take objects out of the index: those of ``kind`` with ``object_ids``, or a whole
    ``group``."""
    if group:
        _delete(Document.objects.filter(group=group))
    object_ids = list(object_ids)
    if kind and object_ids:
        _delete(Document.objects.filter(kind=kind, object_id__in=object_ids))


def index_append(*, documents: list[SearchDoc]) -> int:
    """Add the rebuild's documents (after clearing). The site keeps writing while a rebuild
    runs: an object indexed by its own service meanwhile is current and is left as it is
    (one lookup per batch)."""
    present = set(Document.objects.filter(
        kind__in={doc.kind for doc in documents},
        object_id__in={doc.object_id for doc in documents}).values_list(
            "kind", "object_id", "language"))
    return _insert([doc for doc in documents
                    if (doc.kind, doc.object_id, doc.language) not in present])


def pk_batches(objects: QuerySet, *, after_pk: int, size: int) -> Iterator[list[int]]:
    """The primary keys of ``objects`` after ``after_pk``, ``size`` at a time and in order:
    the batches a source's ``batches`` reads for the rebuild."""
    while True:
        ids = list(objects.filter(pk__gt=after_pk).order_by("pk")
                   .values_list("pk", flat=True)[:size])
        if not ids:
            return
        after_pk = ids[-1]
        yield ids


@transaction.atomic
def index_clear() -> None:
    backend().clear()
    Document.objects.all().delete()


_TAG_RE = re.compile(r"<[^>]*>")


def html_text(html: str) -> str:
    """The text of sanitised HTML (a rendered body), tags dropped, spaces collapsed: what
    core's ``plain_text`` filter gives, but Django's ``strip_tags`` takes 18 times longer,
    and the rebuild strips a million bodies."""
    return " ".join(unescape(_TAG_RE.sub(" ", html)).split())


def url_in(language: str, viewname: str, **kwargs) -> str:
    """The address of a page in ``language``'s URL prefix (selectors move it to the
    reader's). ``reverse`` under another language costs half a millisecond and the rebuild
    needs a million addresses: each view's address is reversed once, with stand-ins, and
    filled in."""
    template = _url_template(language, viewname, tuple(
        (name, isinstance(value, int)) for name, value in kwargs.items()))
    for index, value in enumerate(kwargs.values()):
        template = template.replace(_stand_in(index, isinstance(value, int)),
                                    quote(str(value), safe=_URL_SAFE), 1)
    return template


_URL_SAFE = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted


def _stand_in(index: int, number: bool) -> str:
    return str(987_654_321_000 + index) if number else f"zzstandin{index}zz"


@lru_cache(maxsize=64)
def _url_template(language: str, viewname: str, names: tuple[tuple[str, bool], ...]) -> str:
    with translation.override(language):
        return reverse(viewname, kwargs={name: _stand_in(index, number)
                                         for index, (name, number) in enumerate(names)})


def translated_choices(objects, *, prefix: str) -> list[tuple[str, str]]:
    """(``"<prefix>:<slug>"``, name) for translatable objects with a ``slug`` and a ``name``,
    their translations prefetched: the name in the active language, else the default one,
    else any. Read from the prefetched rows: parler's getter would write every translation
    it reads to the cache, which made the search form's category list cost 40 ms."""
    active, default = translation.get_language(), settings.LANGUAGE_CODE
    choices = []
    for thing in objects:
        names = {row.language_code: row.name for row in thing.translations.all()}
        name = names.get(active) or names.get(default) or next(iter(names.values()), "")
        choices.append((f"{prefix}:{thing.slug}", name or thing.slug))
    return choices
