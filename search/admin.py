"""Search insights for staff: the raw log (read only) and, linked from its list, the top
searches and the searches that found nothing, per language and period."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.paginator import EstimatedCountPaginator
from search.forms import InsightsForm
from search.insights import search_queries_top
from search.models import SearchQuery


class LanguageFilter(admin.SimpleListFilter):
    """The site's languages, not the log's distinct values: those would take a read of the
    whole log on every page."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(SearchQuery)
class SearchQueryAdmin(admin.ModelAdmin):
    list_display = ("text", "language", "results", "created_at")
    list_filter = (LanguageFilter,)
    search_fields = ("text",)
    change_list_template = "search/admin_searchquery_changelist.html"
    # The log grows with every search: never count it all.
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("insights/", self.admin_site.admin_view(self.insights_view),
                 name="search_searchquery_insights"),
            *super().get_urls(),
        ]

    def insights_view(self, request):
        """Staff who may view the log (403 for other staff)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        language, days = InsightsForm(request.GET).period()
        # The form shows what applies: bad values in the address fell back to the defaults.
        form = InsightsForm(initial={"language": language, "days": days})
        return TemplateResponse(request, "search/admin_insights.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Search insights"),
            "form": form,
            "days": days,
            "top": search_queries_top(language=language, days=days),
            "gaps": search_queries_top(language=language, days=days, no_results=True),
        })
