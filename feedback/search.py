"""The feedback board's search documents: one per public item that is not a duplicate (a
duplicate's conversation went on in its original). Feedback gathered from tickets, surveys
and posts is private to the product teams and never indexed."""

from collections.abc import Iterator

from django.db.models import Prefetch

from feedback.models import FeedbackItem, ItemTag, ProductArea, title_slug
from search.services import (
    SearchDoc,
    index,
    pk_batches,
    translated_choices,
    unindex,
    url_in,
)

SOURCE = "feedback"


def _items():
    return FeedbackItem.objects.filter(is_public=True).exclude(
        status=FeedbackItem.Status.DUPLICATE).select_related("author", "product_area") \
        .prefetch_related("product_area__translations", Prefetch(
            "itemtag_set", queryset=ItemTag.objects.select_related("tag")
            .prefetch_related("tag__translations")))


def _document(item: FeedbackItem) -> SearchDoc:
    """Precondition: ``item`` was loaded through ``_items``."""
    language, area = item.language, item.product_area
    return SearchDoc(
        kind="feedback", object_id=item.pk, language=language,
        group=f"feedback.item:{item.pk}", title=item.title, body=item.body,
        url=url_in(language, "feedback:detail", pk=item.pk, slug=title_slug(item.title)),
        created_at=item.created_at,
        tags=[link.tag.safe_translation_getter("name", language_code=language,
                                               any_language=True) or link.tag.slug
              for link in item.itemtag_set.all()],
        category=f"feedback:{area.slug}" if area else "",
        category_name=(area.safe_translation_getter("name", language_code=language,
                                                    any_language=True) or "") if area else "",
        author_name=item.author.username if item.author else "",
        staff=bool(item.author and item.author.is_staff))


def item_reindex(*, item: FeedbackItem) -> None:
    """Index ``item`` afresh after it was submitted or changed: only while it is public and
    not a duplicate."""
    found = _items().filter(pk=item.pk).first()
    if found is None:
        unindex(kind="feedback", object_ids=[item.pk])
    else:
        index(documents=[_document(found)])


def items_unindex(*, ids: list[int]) -> None:
    """Take deleted items out of the index."""
    unindex(kind="feedback", object_ids=ids)


def categories() -> list[tuple[str, str]]:
    return translated_choices(ProductArea.objects.prefetch_related("translations"),
                              prefix="feedback")


def count() -> int:
    return FeedbackItem.objects.count()


def batches(*, after_pk: int, size: int) -> Iterator[tuple[int, int, list[SearchDoc]]]:
    """(last item id, items read, documents) after ``after_pk``, ``size`` at a time."""
    for ids in pk_batches(FeedbackItem.objects.all(), after_pk=after_pk, size=size):
        yield ids[-1], len(ids), [_document(item)
                                  for item in _items().filter(pk__in=ids).order_by("pk")]
