"""The analysts' CSV export: a filter page and a streamed download.

``report_access`` and ``bind_filters`` are shared with the dashboard (feedback.dashboard);
``export_response`` with the admin's "Export selected items as CSV" action.
"""

import logging
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.csv import csv_response
from feedback import reports
from feedback.forms import ReportFilterForm
from feedback.models import FeedbackItem

logger = logging.getLogger(__name__)


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


def _export(request, *, download: bool):
    """The filter page (``download=False``, with the number of matching items) or the CSV of
    those items; the page with a 400 when the filters do not validate."""
    form, filters = bind_filters(request)
    if filters is None:
        return _render_page(request, form, count=None, status=400)
    items = reports.report_items(user=request.user, filters=filters)
    if not download:
        return _render_page(request, form, count=items.count())
    logger.info("feedback export by %s: %s", request.user.username, request.GET.urlencode())
    return export_response(items)


@require_GET
@report_access(reports.user_can_export)
def export_page(request):
    return _export(request, download=False)


@require_GET
@report_access(reports.user_can_export)
def export_download(request):
    return _export(request, download=True)
