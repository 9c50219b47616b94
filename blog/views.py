"""Blog pages: thin views over blog.selectors. Every page works without JavaScript."""

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from blog import selectors
from blog.forms import CommentForm
from core.pagecache import anonymous_page_cache


def _list(request, page, **context):
    return render(request, "blog/article_list.html", {"page": page, **context})


@anonymous_page_cache
def index(request):
    page = selectors.article_list_page(language=get_language(), page=request.GET.get("page"))
    return _list(request, page, categories=selectors.categories_all(),
                 feed_url=reverse("blog:feed"))


def category_detail(request, slug):
    category = selectors.category_get(slug=slug)
    page = selectors.article_list_page(language=get_language(), category=category,
                                       page=request.GET.get("page"))
    return _list(request, page, category=category,
                 feed_url=reverse("blog:category_feed", kwargs={"slug": slug}))


def tag_detail(request, slug):
    tag = selectors.tag_get(slug=slug)
    page = selectors.article_list_page(language=get_language(), tag=tag,
                                       page=request.GET.get("page"))
    return _list(request, page, tag=tag)


def author_detail(request, username):
    author, page = selectors.author_page(username=username, language=get_language(),
                                         page=request.GET.get("page"))
    return _list(request, page, author=author)


def article_page(request, article, *, form=None, reply_to=None, status=200):
    """The article with its related articles, neighbours and comments; ``form`` is a comment
    form that came back with errors."""
    language = get_language()
    seo = selectors.article_seo(article=article, language=language)
    return render(request, "blog/article_detail.html", {
        "article": article, "seo": seo, "hreflang_alternates": seo.alternates,
        "related": selectors.article_neighbours(article=article, language=language),
        "comments": selectors.article_comments(article=article, user=request.user),
        "comments_open": selectors.comments_open(article),
        "form": form or CommentForm(), "reply_to": reply_to,
    }, status=status)


@anonymous_page_cache
def article_detail(request, slug):
    """An article in the active language. A slug of another language (the language switch
    keeps the page's slug) or of the fallback is redirected to this language's."""
    language = get_language()
    article = selectors.article_get(slug=slug, language=language)
    if selectors.article_slug(article, language) != slug:
        return HttpResponsePermanentRedirect(selectors.article_url(article, language))
    return article_page(request, article)


def article_preview(request, pk):
    """An article as it will look, whatever its status: editors only, 404 for anyone else."""
    article = selectors.article_preview_get(user=request.user, pk=pk)
    seo = selectors.article_seo(article=article, language=get_language())
    return render(request, "blog/article_detail.html", {
        "article": article, "seo": seo, "preview": True, "hreflang_alternates": [],
        "states": selectors.article_translation_states(article),
    })


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """Crawlers may read everything public; the sitemap lists the blog in every language."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /i18n/", "Disallow: /markdown/",
             *[f"Disallow: /{code}/blog/preview/" for code, _name in settings.LANGUAGES],
             f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
