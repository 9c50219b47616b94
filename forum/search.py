"""The forum's search documents: a topic (its title and opening post) and each reply, in the
topic's language, indexed while visible to everyone (not hidden, not merged away). A solved
topic's document and its accepted answer's are marked ``accepted``: both rank higher, and the
new-ticket form offers solved topics only."""

from collections.abc import Iterator

from forum.models import Category, Post, Topic
from search.services import (
    SearchDoc,
    html_text,
    index,
    pk_batches,
    translated_choices,
    unindex,
    url_in,
)

SOURCE = "forum"
# What a document needs of a post, read as plain rows: the rebuild reads a million.
_POST_FIELDS = ("pk", "number", "body_html", "created_at", "author__username",
                "author__is_staff", "author__is_active", "topic_id", "topic__title",
                "topic__slug", "topic__language", "topic__category_id",
                "topic__accepted_post_id")


def _group(topic_id: int) -> str:
    return f"forum.topic:{topic_id}"


def _category_names() -> dict[int, tuple[str, dict[str, str]]]:
    """Each category's slug and its name in every language, by id (one query)."""
    found: dict[int, tuple[str, dict[str, str]]] = {}
    for category in Category.objects.prefetch_related("translations"):
        found[category.pk] = (category.slug, {row.language_code: row.name
                                              for row in category.translations.all()})
    return found


def _document(row, categories) -> SearchDoc:
    """The document of the post in ``row`` (``_POST_FIELDS``): its topic's when it opens
    the topic (``accepted`` when the topic has an accepted answer), else a reply's
    (``accepted`` when it is that answer)."""
    (pk, number, body_html, created_at, username, is_staff, is_active, topic_id, title,
     slug, language, category_id, accepted_id) = row
    category_slug, names = categories[category_id]
    opening = number == 1
    return SearchDoc(
        kind="topic" if opening else "post", object_id=topic_id if opening else pk,
        language=language, group=_group(topic_id), title=title, body=html_text(body_html),
        url=(url_in(language, "forum:topic", slug=slug, pk=topic_id) if opening
             else url_in(language, "forum:post", pk=pk)),
        created_at=created_at, category=f"forum:{category_slug}",
        category_name=names.get(language) or next(iter(names.values()), category_slug),
        author_name=username or "", staff=bool(is_staff and is_active),
        accepted=accepted_id is not None if opening else accepted_id == pk)


def _visible(posts):
    """The posts of ``posts`` everyone may read, as ``_POST_FIELDS`` rows."""
    return posts.filter(is_hidden=False, topic__is_hidden=False,
                        topic__merged_into__isnull=True).values_list(*_POST_FIELDS)


def topic_reindex(*, topic: Topic) -> None:
    """Index ``topic`` and its replies afresh (after a move, merge, split, accepted answer,
    or its opening post hidden or shown): what is no longer visible leaves the index."""
    rows = _visible(Post.objects.filter(topic_id=topic.pk)).order_by("pk")
    categories = _category_names()
    index(documents=[_document(row, categories) for row in rows], group=_group(topic.pk))


def post_reindex(*, post: Post) -> None:
    """Index ``post`` afresh after it was written, edited, hidden or shown. Post #1 carries
    its topic: hiding or showing it reindexes the whole topic."""
    loaded = _visible(Post.objects.filter(pk=post.pk)).first()
    if loaded is not None:
        index(documents=[_document(loaded, _category_names())])
    elif post.number == 1:  # hiding the opening post hid its topic, replies too
        topic_reindex(topic=post.topic)
    else:
        unindex(kind="post", object_ids=[post.pk])


def categories() -> list[tuple[str, str]]:
    return translated_choices(Category.objects.filter(parent__isnull=False)
                              .prefetch_related("translations"), prefix="forum")


def count() -> int:
    return Post.objects.count()


def batches(*, after_pk: int, size: int) -> Iterator[tuple[int, int, list[SearchDoc]]]:
    """(last post id, posts read, documents) for the posts after ``after_pk``, ``size`` at
    a time."""
    categories = _category_names()
    for ids in pk_batches(Post.objects.all(), after_pk=after_pk, size=size):
        rows = _visible(Post.objects.filter(pk__gte=ids[0], pk__lte=ids[-1])).order_by("pk")
        yield ids[-1], len(ids), [_document(row, categories) for row in rows]
