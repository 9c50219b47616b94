from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from parler.admin import TranslatableAdmin

from feedback import routing, selectors, services
from feedback.models import (
    Delivery,
    FeedbackItem,
    ItemTag,
    ProductArea,
    RoutingRule,
    Tag,
    TagRule,
    Team,
)
from feedback.search import item_reindex


@admin.register(ProductArea)
class ProductAreaAdmin(TranslatableAdmin):
    list_display = ("__str__", "slug", "position")
    list_editable = ("position",)


class TagRuleInline(admin.TabularInline):
    model = TagRule
    extra = 1


@admin.register(Tag)
class TagAdmin(TranslatableAdmin):
    list_display = ("__str__", "slug")
    search_fields = ("slug", "translations__name")
    inlines = [TagRuleInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "queue", "is_triage", "webhook_url", "inbox")

    @admin.display(description=_("inbox"))
    def inbox(self, team):
        url = reverse("admin:feedback_feedbackitem_changelist")
        return format_html('<a href="{}?deliveries__team__id__exact={}">{}</a>', url, team.pk,
                           _("Open inbox"))


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "position", "tag", "product_area", "team")
    list_editable = ("position",)
    list_select_related = ("tag", "product_area", "team")


class ItemTagInline(admin.TabularInline):
    model = ItemTag
    extra = 0
    autocomplete_fields = ("tag",)


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ("team", "status", "attempts", "last_error", "delivered_at")
    can_delete = False


class _TranslatedFilter(admin.SimpleListFilter):
    """A filter on a translated taxonomy, listing its names from one prefetched query
    (the default filter asks the database once per name)."""

    choices_from = None  # a selector returning the prefetched objects
    lookup = ""

    def lookups(self, request, model_admin):
        return [(obj.slug, str(obj)) for obj in type(self).choices_from()]

    def queryset(self, request, queryset):
        return queryset.filter(**{self.lookup: self.value()}) if self.value() else queryset


class ProductAreaFilter(_TranslatedFilter):
    title = _("product area")
    parameter_name = "area"
    choices_from = selectors.product_areas
    lookup = "product_area__slug"


class TagFilter(_TranslatedFilter):
    title = _("tag")
    parameter_name = "tag"
    choices_from = selectors.tags
    lookup = "tags__slug"


def _status_action(status):
    def action(modeladmin, request, queryset):
        for item in queryset:
            services.item_set_status(item=item, status=status, by=request.user)
        count = queryset.count()
        modeladmin.message_user(request, ngettext(
            "Status changed for %(count)d item.", "Status changed for %(count)d items.", count)
            % {"count": count})

    action.__name__ = f"set_status_{status}"
    # format_lazy: the label is built when shown, in the staff member's language.
    action.short_description = format_lazy(_("Set status: {status}"),
                                           status=FeedbackItem.Status(status).label)
    return action


@admin.register(FeedbackItem)
class FeedbackItemAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "status", "sentiment", "product_area", "language",
                    "vote_count", "created_at")
    list_filter = ("deliveries__team", "status", "sentiment", "source", "language",
                   ProductAreaFilter, TagFilter, "created_at")
    list_select_related = ("product_area",)
    search_fields = ("title", "body", "source_ref")
    date_hierarchy = "created_at"
    # The member's own words are not rewritten here (their rendering is made once, by the
    # services); staff answer in comments, merge or hide.
    readonly_fields = ("body", "vote_count", "comment_count", "created_at", "classified_at",
                       "source", "source_ref", "author")
    autocomplete_fields = ("duplicate_of",)
    inlines = [ItemTagInline, DeliveryInline]
    show_full_result_count = False
    actions = ["merge_into_most_voted", "export_csv",
               *[_status_action(s) for s in FeedbackItem.Status.values
                 if s != FeedbackItem.Status.DUPLICATE]]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("product_area__translations")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A title edited here, or an idea taken off the board, must show in search at once.
        item_reindex(item=obj)

    def delete_model(self, request, obj):
        services.items_delete(items=FeedbackItem.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.items_delete(items=queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for team in Team.objects.all():
            name = f"reassign_{team.slug}"
            actions[name] = (self._reassign_action(team), name,
                             _("Reassign to team: %(team)s") % {"team": team.name})
        return actions

    @staticmethod
    def _reassign_action(team):
        def action(modeladmin, request, queryset):
            for item in queryset:
                services.item_reassign(item=item, team=team)
            count = queryset.count()
            modeladmin.message_user(request, ngettext(
                "Reassigned %(count)d item to %(team)s.",
                "Reassigned %(count)d items to %(team)s.", count)
                % {"count": count, "team": team.name})
        return action

    @admin.action(description=_("Merge selected items into the most voted one"))
    def merge_into_most_voted(self, request, queryset):
        items = list(queryset.order_by("-vote_count", "created_at"))
        if len(items) < 2:
            self.message_user(request, _("Select at least two items to merge."),
                              messages.WARNING)
            return
        target, *duplicates = items
        try:
            for duplicate in duplicates:
                services.item_merge(duplicate=duplicate, into=target, by=request.user)
        except ValidationError as exc:
            self.message_user(request, exc.messages[0], messages.ERROR)
            return
        self.message_user(request, ngettext(
            "Merged %(count)d item into “%(title)s”.",
            "Merged %(count)d items into “%(title)s”.", len(duplicates))
            % {"count": len(duplicates), "title": target.title})

    @admin.action(description=_("Export selected items as CSV"),
                  permissions=["export"])
    def export_csv(self, request, queryset):
        from feedback.export import export_response

        return export_response(queryset)

    def has_export_permission(self, request):
        return request.user.has_perm("feedback.export_feedback")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("item", "team", "status", "attempts", "short_error", "created_at",
                    "delivered_at")
    list_filter = ("status", "team", "created_at")
    list_select_related = ("item", "team")
    search_fields = ("item__title", "last_error")
    readonly_fields = ("item", "team", "status", "attempts", "last_error", "created_at",
                       "delivered_at")
    actions = ["retry"]
    show_full_result_count = False

    @admin.display(description=_("last error"))
    def short_error(self, delivery):
        return delivery.last_error[:80]

    @admin.action(description=_("Retry the selected deliveries"))
    def retry(self, request, queryset):
        count = routing.delivery_retry(deliveries=queryset)
        self.message_user(request, ngettext("%(count)d delivery sent again.",
                                            "%(count)d deliveries sent again.", count)
                          % {"count": count})
