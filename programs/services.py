"""Every write of the programs: ambassador applications and their review, the points ledger
(``points_award`` / ``points_revoke``, called by other apps), and security reports with their
workflow and conversation."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.services import user_set_ambassador
from core.markdown import render_markdown
from notifications.services import notify
from programs import selectors
from programs.attachments import VerifiedFile
from programs.models import (
    Ambassador,
    Application,
    Asset,
    PointsEntry,
    Report,
    ReportComment,
    Severity,
)

A = PointsEntry.Activity
DEFAULT_POINTS = {A.EVENT_ORGANISED: 50, A.ANSWER_ACCEPTED: 10, A.FEEDBACK_SHIPPED: 25}

S = Report.Status
# The workflow: where a report may go from each status. Closed reports (duplicate, not
# applicable) may be reopened for triage; a reward comes only after the fix.
TRANSITIONS = {
    S.NEW: {S.TRIAGED, S.NEEDS_INFO, S.DUPLICATE, S.NOT_APPLICABLE},
    S.TRIAGED: {S.NEEDS_INFO, S.ACCEPTED, S.DUPLICATE, S.NOT_APPLICABLE},
    S.NEEDS_INFO: {S.TRIAGED, S.DUPLICATE, S.NOT_APPLICABLE},
    S.ACCEPTED: {S.FIXED},
    S.FIXED: {S.REWARDED},
    S.DUPLICATE: {S.TRIAGED},
    S.NOT_APPLICABLE: {S.TRIAGED},
    S.REWARDED: set(),
}


# --- Ambassadors -----------------------------------------------------------------------------

@transaction.atomic
def application_submit(*, user, region: str, languages: str, channels: list[str],
                       audience_size: int, motivation: str) -> Application:
    """Apply to the ambassador programme. ValidationError (nothing stored) for a current
    ambassador and for someone whose earlier application is still open."""
    refusal = selectors.application_refusal(user=user)
    if refusal is not None:
        raise ValidationError(refusal, code="refused")
    try:
        with transaction.atomic():
            return Application.objects.create(
                user=user, region=region, languages=languages.strip(),
                channels="\n".join(channels), audience_size=audience_size,
                motivation=motivation, motivation_html=render_markdown(motivation))
    except IntegrityError:  # the same user's other request got there first
        raise ValidationError(_("Your application is being sent already."),
                              code="busy") from None


def _require_pending(application: Application) -> None:
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application has already been reviewed."),
                              code="reviewed")


def _review(application: Application, *, by, status: str, reason: str) -> None:
    application.status, application.reason = status, reason
    application.reviewed_by, application.reviewed_at = by, timezone.now()
    application.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])


@transaction.atomic
def application_approve(*, application: Application, by) -> Ambassador:
    """Make the applicant an ambassador of the application's region (with the badge) and
    tell them. ValidationError if the application is no longer pending."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_pending(application)
    _review(application, by=by, status=Application.Status.APPROVED, reason="")
    ambassador, _created = Ambassador.objects.update_or_create(
        user=application.user, defaults={"region": application.region, "is_active": True,
                                         "application": application})
    user_set_ambassador(user=application.user, ambassador=True)
    notify(recipient=application.user, actor=by,
           verb=_("approved your ambassador application: welcome to the programme!"),
           target_url=reverse("programs:ambassadors"))
    return ambassador


@transaction.atomic
def application_reject(*, application: Application, by, reason: str) -> Application:
    """Turn the application down and tell the applicant why. ValidationError without a
    reason or if the application is no longer pending."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the applicant a reason."), code="reason")
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_pending(application)
    _review(application, by=by, status=Application.Status.REJECTED, reason=reason)
    notify(recipient=application.user, actor=by,
           verb=_("reviewed your ambassador application: it was not accepted this time"),
           description=reason, target_url=reverse("programs:ambassadors"))
    return application


@transaction.atomic
def ambassador_end(*, ambassador: Ambassador) -> Ambassador:
    """End someone's membership: the badge goes, points earned so far stay in the ledger."""
    ambassador.is_active = False
    ambassador.save(update_fields=["is_active"])
    user_set_ambassador(user=ambassador.user, ambassador=False)
    return ambassador


def points_award(*, user, activity: str, ref: str, points: int | None = None) -> bool:
    """Credit a current ambassador with ``points`` (default: the activity's, see
    ``DEFAULT_POINTS``) for ``activity`` about ``ref`` (e.g. ``"forum.post:42"``).

    Returns True when awarded; False when ``user`` is not a current ambassador or the points
    for this (activity, ref) were already awarded (to anyone). ValueError for an unknown
    activity (a programming error)."""
    if activity not in DEFAULT_POINTS:
        raise ValueError(f"unknown activity {activity!r}")
    if user is None or not user.is_authenticated:
        return False
    ambassador = selectors.ambassador_current(user=user)
    if ambassador is None:
        return False
    try:
        with transaction.atomic():
            PointsEntry.objects.create(
                user=user, region=ambassador.region, activity=activity, ref=ref[:100],
                points=DEFAULT_POINTS[activity] if points is None else points)
    except IntegrityError:  # awarded already: the unique (activity, ref) says so
        return False
    return True


def points_revoke(*, activity: str, ref: str) -> bool:
    """Take back the points for (activity, ref), e.g. when an answer is unaccepted; they may
    be awarded again later. Returns whether there were any."""
    deleted, _rows = PointsEntry.objects.filter(activity=activity, ref=ref[:100]).delete()
    return bool(deleted)


# --- Bug bounty ------------------------------------------------------------------------------

def _require_severity(severity: str) -> None:
    if severity not in Severity.values:
        raise ValidationError(_("Choose a valid severity."), code="severity")


def _notify_team(*, report: Report, actor, verb) -> None:
    for member in selectors.security_team().exclude(pk=actor.pk):
        notify(recipient=member, actor=actor, verb=verb, description=report.title,
               target_url=report.get_absolute_url())


@transaction.atomic
def report_submit(*, reporter, title: str, asset: Asset | None, asset_other: str, steps: str,
                  impact: str, severity: str, hall_of_fame: bool = False,
                  poc: VerifiedFile | None = None) -> Report:
    """File a private security report and tell the security team. ``poc`` is already
    verified (``programs.attachments.poc_verify``). ValidationError unless an asset is named
    (from the scope, or in words)."""
    _require_severity(severity)
    asset_other = (asset_other or "").strip()
    if asset is None and not asset_other:
        raise ValidationError(_("Name the affected asset: choose it from the scope or "
                                "describe it."), code="asset")
    report = Report(
        reporter=reporter, title=title.strip(), asset=asset,
        asset_other="" if asset is not None else asset_other, steps=steps,
        steps_html=render_markdown(steps), impact=impact.strip(), severity=severity,
        hall_of_fame=hall_of_fame)
    if poc is not None:
        report.poc.save(poc.content.name, poc.content, save=False)
        report.poc_name, report.poc_content_type = poc.name, poc.content_type
    report.save()
    _notify_team(report=report, actor=reporter,
                 verb=format_lazy(_("sent security report #{number}"), number=report.pk))
    return report


@transaction.atomic
def report_comment_add(*, report: Report, author, body: str) -> ReportComment:
    """Add to a report's conversation and tell the other side (the reporter, or the security
    team). PermissionDenied unless ``author`` may see the report; ValidationError when empty."""
    if not selectors.reports_visible(user=author).filter(pk=report.pk).exists():
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    from_team = author.pk != report.reporter_id
    comment = ReportComment.objects.create(report=report, author=author, body=body,
                                           body_html=render_markdown(body), from_team=from_team)
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    verb = format_lazy(_("commented on security report #{number}"), number=report.pk)
    if from_team:
        notify(recipient=report.reporter, actor=author, verb=verb, description=report.title,
               target_url=comment.get_absolute_url())
    else:
        _notify_team(report=report, actor=author, verb=verb)
    return comment


def transitions_from(status: str) -> set[str]:
    return TRANSITIONS.get(status, set())


@transaction.atomic
def report_triage(*, report: Report, by, status: str, severity: str,
                  reward_amount: Decimal | None, payout_status: str) -> Report:
    """The security team's decisions on a report: status (only along ``TRANSITIONS``),
    severity, reward and payout. The reporter is told of a new status. PermissionDenied
    outside the security team; ValidationError (nothing changed) for a move the workflow
    does not allow, or a reward without an amount."""
    if not selectors.user_is_security_team(by):
        raise PermissionDenied
    report = Report.objects.select_for_update().get(pk=report.pk)
    if status != report.status and status not in transitions_from(report.status):
        raise ValidationError(
            _("A report that is %(old)s cannot become %(new)s.")
            % {"old": report.get_status_display(),
               "new": S(status).label if status in S.values else status}, code="transition")
    _require_severity(severity)
    if payout_status not in Report.Payout.values:
        raise ValidationError(_("Choose a valid payout status."), code="payout")
    if reward_amount is not None and reward_amount < 0:
        raise ValidationError(_("A reward cannot be negative."), code="reward")
    if (status == S.REWARDED or payout_status != Report.Payout.NONE) and not reward_amount:
        raise ValidationError(_("Set the reward amount first."), code="reward")
    changed = status != report.status
    report.status, report.severity = status, severity
    report.reward_amount, report.payout_status = reward_amount, payout_status
    report.save(update_fields=["status", "severity", "reward_amount", "payout_status",
                               "updated_at"])
    if changed:
        notify(recipient=report.reporter, actor=by,
               verb=format_lazy(_("Security report #{number} is now {status}"),
                                number=report.pk, status=S(status).label),
               description=report.title, target_url=report.get_absolute_url())
    return report


def report_hall_of_fame_set(*, report: Report, by, show: bool) -> Report:
    """The reporter chooses whether this report credits them in the hall of fame."""
    if by.pk != report.reporter_id:
        raise PermissionDenied
    Report.objects.filter(pk=report.pk).update(hall_of_fame=show)
    report.hall_of_fame = show
    return report
