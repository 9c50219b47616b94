"""Every write to articles: creating them, their translations, the editorial workflow
(draft, scheduled, published, archived) and their cover images.

Each translation is rendered once, when written: the Markdown body to ``body_html`` through
``core.markdown``, its reading time, and the fingerprint of the English text it was made
from, which tells editors which translations are outdated."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from blog.covers import cover_renditions, cover_verify
from blog.models import Article, Category, Tag
from blog.reading import reading_minutes, source_hash
from blog.search import article_reindex, articles_unindex
from core.markdown import render_markdown

SOURCE_LANGUAGE = settings.LANGUAGE_CODE
# A slug the blog's own pages use at the same level of the URL.
RESERVED_SLUGS = {"feed"}
TRANSLATED_FIELDS = ("title", "slug", "summary", "body", "seo_title", "seo_description",
                     "cover_alt")


def _unique_slug(*, article: Article, language: str, wanted: str, title: str) -> str:
    """``wanted`` when free in ``language``; else, when it was left empty, the title's slug
    with -2, -3... until free. ValidationError for a chosen slug already taken."""
    translations = Article._parler_meta.root_model.objects.filter(language_code=language) \
        .exclude(master_id=article.pk)
    if wanted:
        if wanted in RESERVED_SLUGS or translations.filter(slug=wanted).exists():
            raise ValidationError(
                _("Another article in this language already uses the address “%(slug)s”.")
                % {"slug": wanted}, code="slug_taken")
        return wanted
    base = slugify(title, allow_unicode=True)[:190].strip("-") or "article"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or translations.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _translation_render(*, article: Article, language: str) -> None:
    """Fill the derived fields of ``article``'s translation in ``language`` from its text.
    Precondition: that translation is set on ``article`` (saved or not)."""
    row = article.get_translation(language)
    if not (row.title or "").strip() or not (row.body or "").strip():
        raise ValidationError(_("An article needs a title and a body in every language it "
                                "is written in."), code="empty")
    row.title = row.title.strip()
    row.slug = _unique_slug(article=article, language=language, wanted=row.slug or "",
                            title=row.title)
    row.body_html = render_markdown(row.body)
    row.reading_minutes = reading_minutes(row.body)
    own = source_hash(title=row.title, summary=row.summary or "", body=row.body)
    if language == SOURCE_LANGUAGE:
        row.source_hash = own
    else:
        source = article.translations.filter(language_code=SOURCE_LANGUAGE).first() \
            if article.pk else None
        row.source_hash = source.source_hash if source else own


def _workflow_check(article: Article) -> None:
    if article.status not in Article.Status.values:
        raise ValidationError(_("Unknown status."), code="status")
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()


def _covers_refresh(article: Article) -> None:
    """Make the renditions again when the cover changed (or drop them with it)."""
    if article.cover.name == article.cover_source:
        return
    if article.cover:
        for field, content in cover_renditions(article.cover).items():
            getattr(article, field).save(content.name, content, save=False)
    else:
        article.cover_large = article.cover_small = ""
    article.cover_source = article.cover.name
    Article.objects.filter(pk=article.pk).update(
        cover_large=article.cover_large.name, cover_small=article.cover_small.name,
        cover_source=article.cover_source)


@transaction.atomic
def article_save(*, article: Article, language: str) -> Article:
    """Save ``article`` as an editor changed it (the admin's form has set its shared fields
    and its translation in ``language``): the translation is rendered, a publication without
    a time is published now, and a new cover gets its renditions. ValidationError for an
    empty title or body, or a slug another article uses in that language. Precondition:
    the cover, if new, was verified (``covers.cover_verify``)."""
    article.set_current_language(language)
    _workflow_check(article)
    _translation_render(article=article, language=language)
    article.save()
    _covers_refresh(article)
    article_reindex(article=article)
    return article


@transaction.atomic
def article_create(*, category: Category, authors: Iterable, title: str, body: str,
                   language: str = SOURCE_LANGUAGE, slug: str = "", summary: str = "",
                   seo_title: str = "", seo_description: str = "", cover_alt: str = "",
                   tags: Iterable[Tag] = (), status: str = Article.Status.DRAFT,
                   published_at: datetime | None = None, is_featured: bool = False,
                   cover=None) -> Article:
    """A new article written in ``language`` (normally English, the source of translations).
    ``cover`` is an uploaded file, verified here. ValidationError as ``article_save``, or for
    a cover that is not a valid image; nothing is written then."""
    authors = list(authors)
    if not authors:
        raise ValidationError(_("An article needs at least one author."), code="authors")
    article = Article(category=category, status=status, published_at=published_at,
                      is_featured=is_featured)
    if cover is not None:
        verified = cover_verify(cover)
        article.cover.save(verified.name, verified, save=False)
    article.set_current_language(language)
    for field, value in (("title", title), ("slug", slug), ("summary", summary),
                         ("body", body), ("seo_title", seo_title),
                         ("seo_description", seo_description), ("cover_alt", cover_alt)):
        setattr(article, field, value)
    article_save(article=article, language=language)
    article.authors.set(authors)
    article.tags.set(list(tags))
    article_reindex(article=article)
    return article


@transaction.atomic
def article_translation_save(*, article: Article, language: str, **text: str) -> Article:
    """Add or update ``article``'s translation in ``language`` with ``text`` (any of
    title, slug, summary, body, seo_title, seo_description, cover_alt). Saved translations
    are marked as made from the current English text. ValidationError as ``article_save``."""
    unknown = set(text) - set(TRANSLATED_FIELDS)
    if unknown:
        raise TypeError(f"not translated fields: {', '.join(sorted(unknown))}")
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."), code="language")
    article.set_current_language(language)
    for field, value in text.items():
        setattr(article, field, value)
    return article_save(article=article, language=language)


@transaction.atomic
def article_publish(*, article: Article, at: datetime | None = None) -> Article:
    """Publish ``article`` now, or schedule it for ``at``."""
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, published_at=at or timezone.now(),
        updated_at=timezone.now())
    article.refresh_from_db(fields=["status", "published_at", "updated_at"])
    article_reindex(article=article)
    return article


@transaction.atomic
def article_archive(*, article: Article) -> Article:
    """Take ``article`` off the blog: lists, feeds, sitemap and its pages; editors still
    preview it."""
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED,
                                                 updated_at=timezone.now())
    article.refresh_from_db(fields=["status", "updated_at"])
    article_reindex(article=article)
    return article


@transaction.atomic
def articles_delete(*, articles) -> int:
    """Delete ``articles`` (a queryset: the admin's delete) with their comments, and take
    them out of search. Returns how many articles were deleted."""
    ids = list(articles.values_list("pk", flat=True))
    Article.objects.filter(pk__in=ids).delete()
    articles_unindex(ids=ids)
    return len(ids)


@transaction.atomic
def article_cover_set(*, article: Article, upload) -> Article:
    """Replace ``article``'s cover with ``upload`` after verifying it (ValidationError for
    anything but a valid JPEG, PNG or WebP image: nothing changes then)."""
    verified = cover_verify(upload)
    article.cover.save(verified.name, verified, save=False)
    Article.objects.filter(pk=article.pk).update(cover=article.cover.name)
    _covers_refresh(article)
    return article
