"""The analysts' CSV export: a filter page and a streamed download.

``ReportFilterForm`` is shared with the dashboard (feedback.dashboard); ``export_response`` with
the admin's "Export selected items as CSV" action.
"""

import logging
from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.csv import csv_response
from feedback import reports, selectors
from feedback.models import FeedbackItem, Team

logger = logging.getLogger(__name__)


def _choices(empty_label, choices) -> list[tuple[str, str]]:
    return [("", empty_label), *choices]


def _invalid(message):
    return {"invalid_choice": message, "invalid_pk_value": message}


class ReportFilterForm(forms.Form):
    """Which feedback a report covers. Every field is optional; bound to the query string."""

    date_from = forms.DateField(
        label=_("From"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2025-01-31.")},
    )
    date_to = forms.DateField(
        label=_("To"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2025-01-31.")},
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), to_field_name="slug", required=False,
        empty_label=_("All teams"),
        error_messages=_invalid(_("There is no team “%(value)s”.")),
    )
    product_area = forms.ModelChoiceField(
        label=_("Product area"), queryset=selectors.product_areas(), to_field_name="slug",
        required=False, empty_label=_("All product areas"),
        error_messages=_invalid(_("There is no product area “%(value)s”.")),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=_choices(_("Any status"), FeedbackItem.Status.choices),
        error_messages=_invalid(_("There is no status “%(value)s”.")),
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False,
        choices=_choices(_("Any source"), FeedbackItem.Source.choices),
        error_messages=_invalid(_("There is no source “%(value)s”.")),
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False,
        choices=_choices(_("Any language"), settings.LANGUAGES),
        error_messages=_invalid(_("There is no language “%(value)s”.")),
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), required=False,
        choices=_choices(_("Any sentiment"), FeedbackItem.Sentiment.choices),
        error_messages=_invalid(_("There is no sentiment “%(value)s”.")),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=selectors.tags(), to_field_name="slug", required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Items with any of the ticked tags."),
        error_messages=_invalid(_("There is no tag “%(value)s”.")),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> reports.ReportFilters:
        """The cleaned form as report filters; only valid once ``is_valid()``."""
        data = self.cleaned_data
        return reports.ReportFilters(
            date_from=data["date_from"], date_to=data["date_to"], team=data["team"],
            product_area=data["product_area"], tags=tuple(data["tags"]),
            status=data["status"], source=data["source"], language=data["language"],
            sentiment=data["sentiment"])


def report_access(allowed: Callable) -> Callable:
    """Anonymous visitors go to the login page; signed-in users without ``allowed(user)``
    get a 403."""
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


def bind_filters(request) -> tuple[ReportFilterForm, reports.ReportFilters | None]:
    """The filter form bound to the query string, and its filters (``None`` when invalid).
    With no query string the form stays unbound and nothing is filtered."""
    form = ReportFilterForm(request.GET or None)
    if not form.is_bound:
        return form, reports.ReportFilters()
    return form, form.filters() if form.is_valid() else None


def export_response(queryset: QuerySet[FeedbackItem]) -> StreamingHttpResponse:
    """``queryset`` as a streamed CSV download named ``feedback-YYYYMMDD.csv``."""
    return csv_response(filename=f"feedback-{timezone.localdate():%Y%m%d}.csv",
                        header=reports.EXPORT_COLUMNS,
                        rows=reports.export_rows(items=queryset),
                        escape_columns=reports.EXPORT_TEXT_COLUMNS)


def _render_page(request, form, *, count: int | None, status: int = 200):
    return render(request, "feedback/export.html", {
        "form": form, "count": count, "columns": reports.EXPORT_COLUMNS,
        "can_view_dashboard": reports.user_can_view_dashboard(request.user),
    }, status=status)


@require_GET
@report_access(reports.user_can_export)
def export_page(request):
    form, filters = bind_filters(request)
    if filters is None:
        return _render_page(request, form, count=None, status=400)
    return _render_page(request, form, count=reports.report_items(
        user=request.user, filters=filters).count())


@require_GET
@report_access(reports.user_can_export)
def export_download(request):
    form, filters = bind_filters(request)
    if filters is None:
        return _render_page(request, form, count=None, status=400)
    logger.info("feedback export by %s: %s", request.user.username, request.GET.urlencode())
    return export_response(reports.report_items(user=request.user, filters=filters))
