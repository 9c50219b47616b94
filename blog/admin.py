"""The blog in Django admin: articles with a tab per language, their workflow (draft,
scheduled, published, archived) and translation state, categories and tags, and the queue of
flagged comments. Writes go through blog.services and blog.comments."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from parler.admin import TranslatableAdmin

from blog import comments, selectors, services
from blog.forms import ArticleAdminForm
from blog.models import Article, Category, Comment, CommentFlag, Tag
from blog.search import article_reindex
from core.flags import FlagQueueAdmin, review_action

STATE_MARKS = {"source": "✎", "current": "✓", "outdated": "⚠", "missing": "✗"}


@admin.register(Category)
class CategoryAdmin(TranslatableAdmin):
    list_display = ("__str__", "slug", "position")
    list_editable = ("position",)
    search_fields = ("slug", "translations__name")
    fields = ("name", "description", "slug", "position")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(Tag)
class TagAdmin(TranslatableAdmin):
    list_display = ("__str__", "slug")
    search_fields = ("slug", "translations__name")
    fields = ("name", "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")


def _article_action(name: str, description: str, done, service):
    """An admin action ``name`` calling ``service(article=...)`` on each selected article."""
    def action(modeladmin, request, queryset):
        articles = list(queryset)
        for article in articles:
            service(article=article)
        modeladmin.message_user(request, done % {"count": len(articles)}, messages.SUCCESS)
    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


class WhenFilter(admin.SimpleListFilter):
    """Published articles split by whether their time has come."""

    title = _("visibility")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("live", _("live now")), ("scheduled", _("scheduled"))]

    def queryset(self, request, queryset):
        now, published = timezone.now(), Article.Status.PUBLISHED
        if self.value() == "live":
            return queryset.filter(status=published, published_at__lte=now)
        if self.value() == "scheduled":
            return queryset.filter(status=published, published_at__gt=now)
        return queryset


@admin.register(Article)
class ArticleAdmin(TranslatableAdmin):
    """Write in English first: each other language's tab shows whether its translation is
    missing or outdated (made from an English text that changed since)."""

    form = ArticleAdminForm
    list_display = ("__str__", "category", "status", "published_at", "is_featured",
                    "languages", "preview_link")
    list_filter = ("status", WhenFilter, "is_featured", "category", "tags")
    search_fields = ("translations__title", "translations__slug")
    date_hierarchy = "published_at"
    list_select_related = ("category",)
    filter_horizontal = ("authors", "tags")
    readonly_fields = ("translation_states", "preview_link", "reading_time", "created_at",
                       "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body")}),
        (_("Search engines and sharing"), {"fields": ("seo_title", "seo_description",
                                                      "cover", "cover_alt")}),
        (_("Publication"), {"fields": ("status", "published_at", "is_featured",
                                       "preview_link")}),
        (_("Filing"), {"fields": ("category", "tags", "authors")}),
        (_("Translations"), {"fields": ("translation_states", "reading_time", "created_at",
                                        "updated_at")}),
    )
    actions = [
        _article_action("publish_now", _("Publish the selected articles now"),
                        ngettext_lazy("%(count)d article published.",
                                      "%(count)d articles published.", "count"),
                        services.article_publish),
        _article_action("archive", _("Archive the selected articles"),
                        ngettext_lazy("%(count)d article archived.",
                                      "%(count)d articles archived.", "count"),
                        services.article_archive),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            "translations", "category__translations")

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("title",)}

    def get_changeform_initial_data(self, request):
        return {"authors": [request.user.pk]}

    def save_model(self, request, obj, form, change):
        services.article_save(article=obj, language=form.language_code)

    def delete_model(self, request, obj):
        services.articles_delete(articles=Article.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.articles_delete(articles=queryset)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Tags are saved after the article: index it again with them.
        article_reindex(article=form.instance)

    @admin.display(description=_("languages"))
    def languages(self, article):
        return format_html_join(
            " ", '<span class="blog-state-{}" title="{}">{}&nbsp;{}</span>',
            ((row.state, row.label, row.language, STATE_MARKS[row.state])
             for row in selectors.article_translation_states(article)))

    @admin.display(description=_("translations"))
    def translation_states(self, article):
        if article.pk is None:
            return "-"
        return format_html_join(", ", "{}: {}", (
            (row.language, row.label)
            for row in selectors.article_translation_states(article)))

    @admin.display(description=_("reading time"))
    def reading_time(self, article):
        if article.pk is None:
            return "-"
        minutes = article.safe_translation_getter("reading_minutes", any_language=True)
        return _("%(minutes)s min") % {"minutes": minutes}

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        if article.pk is None:
            return "-"
        return format_html('<a href="{}" target="_blank">{}</a>',
                           reverse("blog:preview", kwargs={"pk": article.pk}), _("Preview"))


def _comments_review(comment_ids, *, by, action: str) -> int:
    return sum(comments.comment_flags_review(comment=comment, by=by, action=action)
               for comment in Comment.objects.filter(pk__in=comment_ids))


@admin.register(CommentFlag)
class CommentFlagAdmin(FlagQueueAdmin):
    """The comment moderation queue: flags with how many are pending on their comment,
    reviewed in bulk (hide / show again / dismiss every pending flag of the comments)."""

    flag_target = "comment"
    list_display = ("comment_text", "comment_author", "reason", "note", "user",
                    "pending_count", "comment_hidden", "created_at", "status")
    # The row's name (the action checkbox's label) names the comment's article.
    list_select_related = ("comment__author", "comment__article", "user")
    search_fields = ("comment__body", "comment__author__username", "note")
    actions = [
        review_action("hide", _("Hide the comments (uphold their flags)"),
                      review=_comments_review),
        review_action("restore", _("Show the comments again (dismiss their flags)"),
                      review=_comments_review),
        review_action("dismiss", _("Dismiss the flags (leave the comments as they are)"),
                      review=_comments_review),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("comment__article__translations")

    @admin.display(description=_("comment"))
    def comment_text(self, flag):
        return flag.comment.body[:120]

    @admin.display(description=_("author"))
    def comment_author(self, flag):
        return flag.comment.author

    @admin.display(description=_("hidden"), boolean=True)
    def comment_hidden(self, flag):
        return flag.comment.is_hidden


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments are read here; staff hide or show them with the actions."""

    list_display = ("__str__", "author", "parent", "is_hidden", "created_at")
    list_filter = ("is_hidden",)
    search_fields = ("body", "author__username")
    list_select_related = ("author", "article", "parent__author", "parent__article")
    readonly_fields = ("article", "author", "parent", "body", "created_at", "is_hidden",
                       "reaction_counts")
    fields = readonly_fields
    actions = ["hide", "show"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            "article__translations", "parent__article__translations")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Hide the selected comments"), permissions=["change"])
    def hide(self, request, queryset):
        for comment in queryset:
            comments.comment_hide(comment=comment, by=request.user, hidden=True)

    @admin.action(description=_("Show the selected comments again"), permissions=["change"])
    def show(self, request, queryset):
        for comment in queryset:
            comments.comment_hide(comment=comment, by=request.user, hidden=False)
