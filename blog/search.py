"""The blog's search documents: one per translation of a published article. A scheduled
article is indexed with ``visible_from`` (it appears in results by itself when its time
comes); drafts and archived articles are not indexed."""

from collections.abc import Iterator

from blog.models import Article, Category
from blog.selectors import article_url
from search.services import (
    SearchDoc,
    html_text,
    index,
    pk_batches,
    translated_choices,
    unindex,
)

SOURCE = "blog"


def _group(article_id: int) -> str:
    return f"blog.article:{article_id}"


def _articles():
    return Article.objects.filter(status=Article.Status.PUBLISHED).select_related(
        "category").prefetch_related("translations", "category__translations",
                                     "tags__translations", "authors")


def _documents(article: Article) -> list[SearchDoc]:
    """Precondition: ``article`` was loaded through ``_articles``."""
    authors = sorted(article.authors.all(), key=lambda user: user.pk)
    documents = []
    for row in article.translations.all():
        language = row.language_code
        documents.append(SearchDoc(
            kind="article", object_id=article.pk, language=language,
            group=_group(article.pk), title=row.title,
            body=" ".join(filter(None, [row.summary, html_text(row.body_html)])),
            url=article_url(article, language), created_at=article.published_at,
            visible_from=article.published_at,
            tags=[tag.safe_translation_getter("name", language_code=language,
                                              any_language=True) or tag.slug
                  for tag in article.tags.all()],
            category=f"blog:{article.category.slug}",
            category_name=article.category.safe_translation_getter(
                "name", language_code=language, any_language=True) or "",
            author_name=authors[0].username if authors else "", staff=True))
    return documents


def article_reindex(*, article: Article) -> None:
    """Index ``article`` afresh after a save, publication or archiving: every language it
    is written in while published, nothing otherwise."""
    found = _articles().filter(pk=article.pk).first()
    if found is None:
        unindex(group=_group(article.pk))
    else:
        index(documents=_documents(found), group=_group(article.pk))


def articles_unindex(*, ids: list[int]) -> None:
    """Take deleted articles out of the index, in every language."""
    for pk in ids:
        unindex(group=_group(pk))


def categories() -> list[tuple[str, str]]:
    return translated_choices(Category.objects.prefetch_related("translations"),
                              prefix="blog")


def count() -> int:
    return Article.objects.count()


def batches(*, after_pk: int, size: int) -> Iterator[tuple[int, int, list[SearchDoc]]]:
    """(last article id, articles read, documents) after ``after_pk``, ``size`` at a time."""
    for ids in pk_batches(Article.objects.all(), after_pk=after_pk, size=size):
        articles = _articles().filter(pk__in=ids).order_by("pk")
        yield ids[-1], len(ids), [doc for article in articles for doc in _documents(article)]
