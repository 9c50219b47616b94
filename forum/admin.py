"""The forum in Django admin: categories (translated), topics with the staff's bulk tools,
and posts with their edit history. Writes go through forum.services / forum.staff."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from parler.admin import TranslatableAdmin

from forum import staff
from forum.models import Category, Post, PostRevision, Topic


@admin.register(Category)
class CategoryAdmin(TranslatableAdmin):
    list_display = ("__str__", "slug", "parent", "position", "color", "who_can_start", "is_qa",
                    "topic_count", "post_count")
    list_editable = ("position",)
    list_filter = ("parent", "who_can_start", "is_qa")
    search_fields = ("slug", "translations__name")
    fieldsets = (
        (None, {"fields": ("name", "description", "slug", "parent", "position")}),
        (_("Look"), {"fields": ("color", "icon")}),
        (_("Rules"), {"fields": ("who_can_start", "is_qa")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").prefetch_related(
            "translations", "parent__translations")


def _topic_action(name: str, description: str, done: str, service, **change):
    """An admin action ``name`` that calls the staff ``service`` with ``change`` on each
    selected topic."""
    def action(modeladmin, request, queryset):
        topics = list(queryset)
        for topic in topics:
            service(topic=topic, by=request.user, **change)
        modeladmin.message_user(request, done % {"count": len(topics)}, messages.SUCCESS)
    action.__name__ = name
    return admin.action(description=description)(action)


TOPIC_ACTIONS = [
    # name, description, message, service, change
    ("pin", _("Pin the selected topics in their category"),
     ngettext_lazy("%(count)d topic pinned.", "%(count)d topics pinned.", "count"),
     staff.topic_pin, {"pinned": True}),
    ("unpin", _("Unpin the selected topics"),
     ngettext_lazy("%(count)d topic unpinned.", "%(count)d topics unpinned.", "count"),
     staff.topic_pin, {"pinned": False}),
    ("lock", _("Lock the selected topics"),
     ngettext_lazy("%(count)d topic locked.", "%(count)d topics locked.", "count"),
     staff.topic_lock, {"locked": True}),
    ("unlock", _("Unlock the selected topics"),
     ngettext_lazy("%(count)d topic unlocked.", "%(count)d topics unlocked.", "count"),
     staff.topic_lock, {"locked": False}),
    ("hide", _("Hide the selected topics"),
     ngettext_lazy("%(count)d topic hidden.", "%(count)d topics hidden.", "count"),
     staff.topic_hide, {"hidden": True}),
    ("unhide", _("Show the selected topics again"),
     ngettext_lazy("%(count)d topic shown again.", "%(count)d topics shown again.", "count"),
     staff.topic_hide, {"hidden": False}),
]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "author", "reply_count", "last_posted_at", "is_pinned",
                    "is_pinned_globally", "is_locked", "is_hidden")
    list_filter = ("category", "is_pinned", "is_pinned_globally", "is_locked", "is_hidden",
                   "language", "is_feedback")
    search_fields = ("title", "author__username", "author__display_name")
    date_hierarchy = "created_at"
    list_select_related = ("category", "author")
    # Pins, locks and hiding change through the actions above (the staff services); moving a
    # topic must also move its counts, so the category is not edited here either.
    readonly_fields = ("category", "author", "created_at", "last_posted_at", "last_poster",
                       "last_post_number", "reply_count", "accepted_post", "is_pinned",
                       "is_pinned_globally", "is_locked", "is_hidden")
    fields = ("title", "slug", "language", "is_feedback") + readonly_fields
    actions = [_topic_action(name, description, done, service, **change)
               for name, description, done, service, change in TOPIC_ACTIONS]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("category__translations")


class PostRevisionInline(admin.TabularInline):
    model = PostRevision
    fields = ("created_at", "editor", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Posts are read here; their text changes through the site's editor, which keeps the
    revision history and renders the Markdown."""

    list_display = ("__str__", "topic", "number", "author", "is_hidden", "is_official",
                    "created_at")
    list_filter = ("is_hidden", "is_official", "topic__category")
    search_fields = ("body", "author__username", "topic__title")
    list_select_related = ("topic", "author")
    readonly_fields = ("topic", "number", "author", "body", "reply_to", "created_at",
                       "edited_at", "edit_count", "is_hidden", "hidden_by", "reaction_counts")
    fields = readonly_fields + ("is_official",)
    inlines = [PostRevisionInline]

    def has_add_permission(self, request):
        return False

