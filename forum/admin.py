"""The forum in Django admin: categories (translated), topics with the staff's bulk tools,
and posts with their edit history. Writes go through forum.services / forum.staff."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from parler.admin import TranslatableAdmin

from core.flags import FlagQueueAdmin, review_action
from core.pagecache import member_pages_expire
from forum import moderation, services, staff
from forum.models import Category, Flag, Post, PostRevision, Sanction, Topic


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The category shows on every topic page in it.
        transaction.on_commit(member_pages_expire)


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
    list_display = ("title", "category", "author", "replies", "last_posted_at", "is_pinned",
                    "is_pinned_globally", "is_locked", "is_hidden")
    list_filter = ("category", "is_pinned", "is_pinned_globally", "is_locked", "is_hidden",
                   "language", "is_feedback")
    search_fields = ("title", "author__username", "author__display_name")
    date_hierarchy = "created_at"
    list_select_related = ("category", "author")
    # Pins, locks and hiding change through the actions above (the staff services); moving a
    # topic must also move its counts, so the category is not edited here either.
    readonly_fields = ("category", "author", "created_at", "last_posted_at", "last_poster",
                       "last_post_number", "replies", "accepted_post", "is_pinned",
                       "is_pinned_globally", "is_locked", "is_hidden")
    fields = ("title", "slug", "language", "is_feedback") + readonly_fields
    actions = [_topic_action(name, description, done, service, **change)
               for name, description, done, service, change in TOPIC_ACTIONS]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("category__translations")

    def save_model(self, request, obj, form, change):
        staff.topic_edit(topic=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # Topics are hidden, not deleted: a deletion would leave the category's counts and
        # the members' notifications pointing at nothing.
        return False

    @admin.display(description=_("replies"), ordering="last_post_number")
    def replies(self, topic):
        return topic.reply_count


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
                       "edited_at", "edit_count", "is_hidden", "hidden_by", "reaction_counts",
                       "feedback_ref")
    fields = readonly_fields + ("is_official",)
    inlines = [PostRevisionInline]
    actions = ["send_to_feedback"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.topic_posts_changed(topic_id=obj.topic_id)  # the official marker shows

    def has_delete_permission(self, request, obj=None):
        # Posts are hidden, not deleted: a topic's posts are numbered without gaps (its pages
        # are read by number), and its counts and search documents follow the services.
        return False

    @admin.action(description=_("Send to feedback"), permissions=["change"])
    def send_to_feedback(self, request, queryset):
        for post in queryset.select_related("topic").order_by("pk"):
            services.post_send_to_feedback(post=post, by=request.user)
        count = queryset.count()
        self.message_user(request, ngettext(
            "%(count)d post sent to the product teams' feedback.",
            "%(count)d posts sent to the product teams' feedback.", count) % {"count": count},
            messages.SUCCESS)


def _posts_review(post_ids, *, by, action: str) -> int:
    posts = Post.objects.filter(pk__in=post_ids).select_related("topic")
    return sum(moderation.flags_review(post=post, by=by, action=action) for post in posts)


@admin.register(Flag)
class FlagAdmin(FlagQueueAdmin):
    """The moderation queue: pending flags with how many the post has in all, reviewed in bulk
    (hide / restore / dismiss every pending flag of the selected flags' posts)."""

    flag_target = "post"
    list_display = ("post", "post_author", "reason", "note", "user", "pending_count",
                    "post_hidden", "created_at", "status")
    list_select_related = ("post__topic", "post__author", "user")
    search_fields = ("post__body", "post__author__username", "note")
    actions = [
        review_action("hide", _("Hide the posts (uphold their flags)"), review=_posts_review),
        review_action("restore", _("Show the posts again (dismiss their flags)"),
                      review=_posts_review),
        review_action("dismiss", _("Dismiss the flags (leave the posts as they are)"),
                      review=_posts_review),
    ]

    @admin.display(description=_("author"))
    def post_author(self, flag):
        return flag.post.author

    @admin.display(description=_("hidden"), boolean=True)
    def post_hidden(self, flag):
        return flag.post.is_hidden


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    """Silences and bans. A new one is made through ``moderation.user_sanction``; they end by
    themselves at ``until``, and deleting one lifts it at once."""

    list_display = ("user", "kind", "until", "reason", "by", "created_at")
    list_filter = ("kind",)
    list_select_related = ("user", "by")
    search_fields = ("user__username", "user__email", "reason")
    autocomplete_fields = ("user",)
    fields = ("user", "kind", "until", "reason")

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form.clean = _sanction_clean
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = moderation.user_sanction(user=obj.user, by=request.user, kind=obj.kind,
                                              until=obj.until, reason=obj.reason).pk


def _sanction_clean(form):
    """The service's rules as form errors, so a refused sanction shows on the add form."""
    data = form.cleaned_data
    if all(data.get(name) for name in ("user", "kind", "until", "reason")):
        try:
            moderation.user_sanction_check(user=data["user"], kind=data["kind"],
                                           until=data["until"], reason=data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
    return data
