"""Every non-trivial read of the blog. Who sees which article is decided in one place,
``articles_visible``; lists, pages, feeds and the sitemap all start from it."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Subquery, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_get_public, user_is_staff
from blog.models import Article, Category, Comment, CommentReaction, Tag

ARTICLES_PER_PAGE = 12
RELATED_ARTICLES = 3
FEATURED_ON_HOME = 3
FEED_ITEMS = 30
ArticleTranslation = Article._parler_meta.root_model


def user_is_editor(user) -> bool:
    """Staff allowed to edit articles (``blog.change_article``): they may preview drafts."""
    return user_is_staff(user) and user.has_perm("blog.change_article")


def articles_visible(*, language: str) -> QuerySet[Article]:
    """Articles readers see in ``language``: published, with a publication time that has come
    (so a scheduled article appears by itself). With ``BLOG_HIDE_UNTRANSLATED``, only those
    translated into ``language``; otherwise the rest too, shown in English. Drafts and
    scheduled articles are seen by editors through ``article_preview_get`` only."""
    articles = Article.objects.filter(status=Article.Status.PUBLISHED,
                                      published_at__lte=timezone.now())
    if settings.BLOG_HIDE_UNTRANSLATED and language != settings.LANGUAGE_CODE:
        articles = articles.filter(translations__language_code=language)
    return articles


def _for_cards(articles: QuerySet[Article]) -> QuerySet[Article]:
    """What an article card shows, in a fixed number of queries whatever the number of
    articles: translations, category (with its names) and authors."""
    return articles.select_related("category").prefetch_related(
        "translations", "category__translations", "authors")


def article_list_page(*, language: str, page: int | str = 1, category: Category | None = None,
                      tag: Tag | None = None, author=None) -> Page:
    """One page of visible articles, featured announcements first, then the newest; narrowed
    to a category, a tag or an author."""
    articles = articles_visible(language=language)
    if category is not None:
        articles = articles.filter(category=category)
    if tag is not None:
        articles = articles.filter(tags=tag)
    if author is not None:
        articles = articles.filter(authors=author)
    articles = _for_cards(articles.order_by("-is_featured", "-published_at", "-pk"))
    return Paginator(articles, ARTICLES_PER_PAGE).get_page(page)


def articles_featured(*, language: str, limit: int = FEATURED_ON_HOME) -> list[Article]:
    """The newest announcements, for the portal's home page: the articles of the
    ``BLOG_ANNOUNCEMENTS_CATEGORY`` and those featured."""
    announced = Q(is_featured=True) | Q(category__slug=settings.BLOG_ANNOUNCEMENTS_CATEGORY)
    return list(articles_visible(language=language).filter(announced)
                .prefetch_related("translations").order_by("-published_at")[:limit])


def _with_tags(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.prefetch_related(
        Prefetch("tags", queryset=Tag.objects.prefetch_related("translations")))


def _for_page(articles: QuerySet[Article]) -> QuerySet[Article]:
    return _with_tags(_for_cards(articles))


def articles_feed(*, language: str, category: Category | None = None,
                  limit: int = FEED_ITEMS) -> QuerySet[Article]:
    """The newest visible articles for a feed (with their authors and tags), all or in
    ``category``."""
    articles = articles_visible(language=language)
    if category is not None:
        articles = articles.filter(category=category)
    return _with_tags(articles.prefetch_related("translations", "authors")) \
        .order_by("-published_at", "-pk")[:limit]


def article_get(*, slug: str, language: str) -> Article:
    """The visible article with a translation at ``slug``, preferring one in ``language`` when
    two languages' slugs collide, else Http404. The caller redirects when ``slug`` is not the
    article's slug in ``language`` (a link from the language switch keeps the old one)."""
    matches = ArticleTranslation.objects.filter(slug=slug).order_by(
        Case(When(language_code=language, then=0), default=1), "language_code") \
        .values("master_id")
    article = _for_page(articles_visible(language=language)
                        .filter(pk=Subquery(matches[:1]))).first()
    if article is None:
        raise Http404
    return article


def article_preview_get(*, user, pk: int) -> Article:
    """Any article, whatever its status and time, for an editor; Http404 for anyone else."""
    if not user_is_editor(user):
        raise Http404
    article = _for_page(Article.objects.filter(pk=pk)).first()
    if article is None:
        raise Http404
    return article


def article_slug(article: Article, language: str) -> str:
    """The article's slug in ``language``, else in English (the page shows English then)."""
    return article.safe_translation_getter("slug", language_code=language, any_language=True)


def article_url(article: Article, language: str) -> str:
    """The path of the article's page in ``language``."""
    with translation.override(language):
        return reverse("blog:article", kwargs={"slug": article_slug(article, language)})


def article_visible_get(*, pk: int, language: str) -> Article:
    """A visible article by id (forms post to it), else Http404."""
    article = _for_page(articles_visible(language=language).filter(pk=pk)).first()
    if article is None:
        raise Http404
    return article


def article_languages(article: Article) -> list[str]:
    """The site's languages the article is translated into, in the site's order.
    Precondition: translations prefetched."""
    present = {row.language_code for row in article.translations.all()}
    return [code for code, _name in settings.LANGUAGES if code in present]


# Open Graph spells locales with a territory.
OG_LOCALES = {"en": "en_US", "zh-hans": "zh_CN"}


@dataclass(frozen=True)
class ArticleSeo:
    """What an article's <head> tells search engines and link previews."""

    language: str  # the language of the text shown
    translated: bool  # False: shown in English, as a fallback
    canonical: str
    alternates: list[tuple[str, str]]
    og_locale: str
    og_locale_alternates: list[str]


def article_seo(*, article: Article, language: str) -> ArticleSeo:
    """The page's language, canonical path (the English page for a fallback, so search
    engines index one copy), hreflang alternates of the existing translations, and Open
    Graph locales. Precondition: translations prefetched."""
    languages = article_languages(article)
    shown = language if language in languages else settings.LANGUAGE_CODE
    return ArticleSeo(
        language=shown, translated=shown == language,
        canonical=article_url(article, shown),
        alternates=[(code, article_url(article, code)) for code in languages],
        og_locale=OG_LOCALES.get(shown, translation.to_locale(shown)),
        og_locale_alternates=[OG_LOCALES.get(code, translation.to_locale(code))
                              for code in languages if code != shown])


# What editors read for each state of a translation.
TRANSLATION_STATE_LABELS = {"source": _("source"), "current": _("up to date"),
                            "outdated": _("outdated"), "missing": _("missing")}


@dataclass(frozen=True)
class TranslationState:
    language: str
    state: str  # "source", "current", "outdated" or "missing"

    @property
    def label(self) -> str:
        return TRANSLATION_STATE_LABELS[self.state]


def article_translation_states(article: Article) -> list[TranslationState]:
    """Each language's translation against the English text: the source itself, current,
    outdated (made from an English text that changed since) or missing. Precondition:
    translations prefetched."""
    rows = {row.language_code: row for row in article.translations.all()}
    source = rows.get(settings.LANGUAGE_CODE)
    states = []
    for code, _name in settings.LANGUAGES:
        row = rows.get(code)
        if row is None:
            state = "missing"
        elif code == settings.LANGUAGE_CODE:
            state = "source"
        elif source is not None and row.source_hash != source.source_hash:
            state = "outdated"
        else:
            state = "current"
        states.append(TranslationState(code, state))
    return states


def article_neighbours(*, article: Article, language: str) -> list[Article]:
    """The related articles (sharing the most tags, then from the same category, newest
    first); sets ``previous`` (older) and ``next`` (newer) on ``article``. Four queries
    whatever the number of tags. Precondition: tags prefetched."""
    visible = articles_visible(language=language).exclude(pk=article.pk)
    tag_ids = [tag.pk for tag in article.tags.all()]
    related = visible.filter(Q(tags__in=tag_ids) | Q(category_id=article.category_id)) \
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True)) \
        .order_by("-shared", "-published_at", "-pk").values_list("pk", flat=True)
    wanted = list(related[:RELATED_ARTICLES])
    when = article.published_at or timezone.now()
    older = visible.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=article.pk)) \
        .order_by("-published_at", "-pk").values("pk")[:1]
    newer = visible.filter(Q(published_at__gt=when) | Q(published_at=when, pk__gt=article.pk)) \
        .order_by("published_at", "pk").values("pk")[:1]
    around = Article.objects.filter(pk=article.pk).values(
        older=Subquery(older), newer=Subquery(newer)).first() or {}
    others = {row.pk: row for row in Article.objects.filter(
        pk__in=[*wanted, around.get("older"), around.get("newer")])
        .prefetch_related("translations")}
    article.previous = others.get(around.get("older"))
    article.next = others.get(around.get("newer"))
    return [others[pk] for pk in wanted]


def comments_open(article: Article) -> bool:
    """Comments are taken on a published article until ``BLOG_COMMENTS_CLOSE_DAYS`` after its
    publication (0: always)."""
    if article.status != Article.Status.PUBLISHED or article.published_at is None:
        return False
    days = settings.BLOG_COMMENTS_CLOSE_DAYS
    return not days or timezone.now() < article.published_at + timedelta(days=days)


def comment_visible_to(*, user, comment: Comment) -> bool:
    """Hidden comments are seen by staff and by their author only."""
    return (not comment.is_hidden or user_is_staff(user)
            or (user.is_authenticated and comment.author_id == user.pk))


def comment_may_respond(*, user, comment: Comment) -> bool:
    """Whether ``user`` may react to ``comment`` and flag it: a member, on someone else's
    comment that is not hidden (``blog.comments`` says why not)."""
    return (user.is_authenticated and user.is_active and comment.author_id != user.pk
            and not comment.is_hidden)


def article_comments(*, article: Article, user) -> list[Comment]:
    """The comments ``user`` may see, oldest first, each with ``visible_replies`` (its visible
    replies), ``my_reactions`` (the kinds ``user`` gave it), ``by_article_author``, and what
    ``user`` may do: ``may_respond`` (react, flag) and ``may_reply``. Two queries whatever
    the number of comments, replies and reactions. Precondition: authors prefetched."""
    rows = [comment for comment in Comment.objects.filter(article=article)
            .select_related("author") if comment_visible_to(user=user, comment=comment)]
    mine: dict[int, set[str]] = {}
    if user.is_authenticated:
        for comment_id, kind in CommentReaction.objects.filter(
                user=user, comment__article=article).values_list("comment_id", "kind"):
            mine.setdefault(comment_id, set()).add(kind)
    writers = {author.pk for author in article.authors.all()}
    replies_open = user.is_authenticated and user.is_active and comments_open(article)
    threads = {comment.pk: comment for comment in rows if comment.parent_id is None}
    for comment in rows:
        comment.my_reactions = mine.get(comment.pk, set())
        comment.by_article_author = comment.author_id in writers
        comment.may_respond = comment_may_respond(user=user, comment=comment)
        comment.may_reply = replies_open and comment.pk in threads and not comment.is_hidden
        comment.visible_replies = []
        if comment.parent_id in threads:
            threads[comment.parent_id].visible_replies.append(comment)
    return list(threads.values())


def comment_get(*, user, pk: int) -> Comment:
    """A comment ``user`` may see on an article visible in the active language, else
    Http404."""
    comment = Comment.objects.select_related("article", "author").filter(
        pk=pk, article__in=articles_visible(language=translation.get_language())).first()
    if comment is None or not comment_visible_to(user=user, comment=comment):
        raise Http404
    return comment


def category_get(*, slug: str) -> Category:
    category = Category.objects.prefetch_related("translations").filter(slug=slug).first()
    if category is None:
        raise Http404
    return category


def categories_all() -> list[Category]:
    return list(Category.objects.prefetch_related("translations"))


def tag_get(*, slug: str) -> Tag:
    tag = Tag.objects.prefetch_related("translations").filter(slug=slug).first()
    if tag is None:
        raise Http404
    return tag


def author_page(*, username: str, language: str, page: int | str = 1) -> tuple[object, Page]:
    """An active user and a page of the visible articles they wrote; Http404 for anyone who
    has none."""
    author = user_get_public(username=username)
    articles = article_list_page(language=language, page=page, author=author)
    if not articles.paginator.count:
        raise Http404
    return author, articles
