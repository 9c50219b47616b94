"""Program pages: the index, the ambassador programme (application, leaderboard), the bug
bounty (scope and rules, hall of fame, private reports) and the official channels. Thin views
over programs.selectors and programs.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.ratelimit import rate_limit_exceeded
from programs import selectors, services
from programs.forms import (
    ApplicationForm,
    CommentForm,
    HallOfFameForm,
    ReportForm,
    TriageForm,
    VerifyForm,
)
from programs.models import PointsEntry, Region, Report

REPORTS_PER_HOUR = 5
COMMENTS_PER_HOUR = 30
APPLICATIONS_PER_DAY = 5


def _limited(request, *, scope: str, limit: int, period: int) -> bool:
    """Count one post by the signed-in user; True (with a message) once over the limit."""
    if rate_limit_exceeded(scope=f"programs.{scope}", key=str(request.user.pk), limit=limit,
                           period=period):
        messages.error(request, _("Too many posts from you in a short time. Try again later."))
        return True
    return False


def index(request):
    return render(request, "programs/index.html")


# --- Ambassadors -----------------------------------------------------------------------------

def ambassadors(request):
    """The programme: what it asks and gives, and the visitor's own application."""
    return render(request, "programs/ambassadors.html", {
        "ambassador": selectors.ambassador_current(user=request.user),
        "application": selectors.application_latest(user=request.user),
        "points_table": [(PointsEntry.Activity(activity).label, points)
                         for activity, points in services.DEFAULT_POINTS.items()],
    })


def _apply_page(request, form, refusal, *, status=200):
    return render(request, "programs/ambassador_apply.html",
                  {"form": form, "refusal": refusal}, status=status)


@login_required
def ambassador_apply(request):
    refusal = selectors.application_refusal(user=request.user)
    if request.method != "POST":
        return _apply_page(request, ApplicationForm(), refusal)
    form = ApplicationForm(request.POST)
    if refusal is not None:
        return _apply_page(request, form, refusal, status=409)
    if _limited(request, scope="apply", limit=APPLICATIONS_PER_DAY, period=24 * 3600):
        return _apply_page(request, form, refusal, status=429)
    if not form.is_valid():
        return _apply_page(request, form, refusal, status=400)
    try:
        services.application_submit(user=request.user, **form.cleaned_data)
    except ValidationError as error:  # the same user's other request got there first
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Thank you! Your application has been sent; we will "
                                    "tell you when it has been reviewed."))
    return redirect("programs:ambassadors")


@require_GET
def leaderboard(request):
    """Points per ambassador in one month (``?month=YYYY-MM``, default this one) and region
    (``?region=``, default all); values that are not valid are ignored."""
    months = selectors.month_options()
    month = selectors.month_parse(request.GET.get("month")) or months[0]
    region = selectors.region_valid(request.GET.get("region"))
    return render(request, "programs/leaderboard.html", {
        "rows": selectors.leaderboard(month=month, region=region),
        "month": month, "months": months if month in months else [month, *months],
        "region": region, "regions": Region.choices,
        "region_label": Region(region).label if region else "",
    })


# --- Bug bounty ------------------------------------------------------------------------------

def security(request):
    """The published scope and rules, and the hall of fame."""
    in_scope, out_of_scope = selectors.scope_assets()
    return render(request, "programs/security.html", {
        "in_scope": in_scope, "out_of_scope": out_of_scope,
        "hall_of_fame": selectors.hall_of_fame(),
    })


@login_required
def report_list(request):
    """The reports the user may see: their own, or all for the security team."""
    status = request.GET.get("status", "")
    return render(request, "programs/report_list.html", {
        "reports": selectors.reports_page(user=request.user, status=status,
                                          page=request.GET.get("page")),
        "status": status if status in Report.Status.values else "",
        "statuses": Report.Status.choices,
        "is_team": selectors.user_is_security_team(request.user),
    })


@login_required
def report_create(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if _limited(request, scope="report", limit=REPORTS_PER_HOUR, period=3600):
            status = 429
        elif form.is_valid():
            try:
                report = services.report_submit(reporter=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(request, _("Thank you: your report has been sent to the "
                                            "security team. Follow it here."))
                return redirect(report)
        else:
            status = 400
    return render(request, "programs/report_create.html", {"form": form}, status=status)


# The report's own pages need no login check: for anyone but the reporter and the security
# team, signed in or not, ``report_get`` answers 404.
def _report_page(request, report, *, comment_form=None, triage_form=None, status=200):
    is_team = selectors.user_is_security_team(request.user)
    if is_team and triage_form is None:
        triage_form = TriageForm(initial={
            "status": report.status, "severity": report.severity,
            "reward_amount": report.reward_amount, "payout_status": report.payout_status})
    return render(request, "programs/report_detail.html", {
        "report": report, "comments": selectors.report_comments(report=report),
        "comment_form": comment_form or CommentForm(), "triage_form": triage_form,
        "is_team": is_team, "is_reporter": report.reporter_id == request.user.pk,
        "next_statuses": [Report.Status(status).label
                          for status in sorted(services.transitions_from(report.status))],
    }, status=status)


def report_detail(request, pk):
    return _report_page(request, selectors.report_get(user=request.user, pk=pk))


@require_POST
def report_comment(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if _limited(request, scope="comment", limit=COMMENTS_PER_HOUR, period=3600):
        return _report_page(request, report, comment_form=form, status=429)
    if not form.is_valid():
        return _report_page(request, report, comment_form=form, status=400)
    comment = services.report_comment_add(report=report, author=request.user,
                                          body=form.cleaned_data["body"])
    return redirect(comment.get_absolute_url())


@require_POST
def report_triage(request, pk):
    """The security team's form on the report page (404 for anyone else)."""
    report = selectors.report_get(user=request.user, pk=pk)
    if not selectors.user_is_security_team(request.user):
        raise Http404
    form = TriageForm(request.POST)
    if form.is_valid():
        try:
            services.report_triage(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report is updated."))
            return redirect(report)
    return _report_page(request, report, triage_form=form, status=400)


@require_POST
def report_hall_of_fame(request, pk):
    """The reporter's choice to be credited for this report (404 for anyone else)."""
    report = selectors.report_get(user=request.user, pk=pk)
    if report.reporter_id != request.user.pk:
        raise Http404
    form = HallOfFameForm(request.POST)
    form.is_valid()
    services.report_hall_of_fame_set(report=report, by=request.user,
                                     show=form.cleaned_data.get("show", False))
    messages.success(request, _("Your choice is saved."))
    return redirect(report)


@require_GET
def report_poc(request, pk):
    """A report's proof of concept, for those who may see the report; always downloaded,
    with headers that stop a browser from running anything in it."""
    report = selectors.report_get(user=request.user, pk=pk)
    if not report.poc:
        raise Http404
    try:
        content = report.poc.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(content, as_attachment=True, filename=report.poc_name,
                            content_type=report.poc_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Official channels -----------------------------------------------------------------------

@require_GET
def channels(request):
    """The official accounts per language, and the “is this account official?” check
    (``?account=``)."""
    groups = selectors.channels_by_language()
    form = VerifyForm(request.GET if "account" in request.GET else None)
    checked = matches = None
    if form.is_bound and form.is_valid():
        checked = form.cleaned_data["account"]
        matches = selectors.channel_lookup(
            value=checked, channels=[c for _code, _name, group in groups for c in group])
    return render(request, "programs/channels.html", {
        "groups": groups, "form": form, "checked": checked, "matches": matches})
