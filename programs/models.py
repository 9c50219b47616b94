"""Community programs: the ambassador programme (applications, ambassadors and their points
ledger), the bug bounty (published scope, private reports and their conversation) and the
list of official social accounts."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage


class Region(models.TextChoices):
    ASIA_PACIFIC = "apac", _("Asia-Pacific")
    EUROPE = "europe", _("Europe")
    LATIN_AMERICA = "latam", _("Latin America")
    MIDDLE_EAST_AFRICA = "mea", _("Middle East and Africa")
    NORTH_AMERICA = "north_america", _("North America")


# --- Ambassadors -----------------------------------------------------------------------------

class Application(models.Model):
    """Someone asking to become an ambassador. Reviewed in the admin; one open (pending)
    application per user at a time."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="ambassador_applications", verbose_name=_("applicant"))
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    languages = models.CharField(_("languages"), max_length=200)
    channels = models.TextField(_("channels"), help_text=_("One address per line."))
    audience_size = models.PositiveIntegerField(_("audience size"))
    motivation = models.TextField(_("motivation"))
    motivation_html = models.TextField(editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    reason = models.TextField(_("reason for the decision"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ambassador application")
        verbose_name_plural = _("ambassador applications")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="pending"),
                                    name="programs_one_open_application"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("programs:ambassadors")


class Ambassador(models.Model):
    """A current (``is_active``) or former ambassador. Only current ones earn points."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="ambassador", verbose_name=_("user"))
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    is_active = models.BooleanField(_("current ambassador"), default=True)
    application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+",
                                    verbose_name=_("application"))
    since = models.DateTimeField(_("ambassador since"), auto_now_add=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return self.user.get_absolute_url()


class PointsEntry(models.Model):
    """One line of the points ledger: ``points`` for one activity, named by ``ref`` (what it
    was about, e.g. ``forum.post:42``). The region is the ambassador's when the points were
    earned, so a move later does not rewrite past leaderboards."""

    class Activity(models.TextChoices):
        EVENT_ORGANISED = "event_organised", _("event organised")
        ANSWER_ACCEPTED = "answer_accepted", _("forum answer accepted")
        FEEDBACK_SHIPPED = "feedback_shipped", _("feedback shipped")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="ambassador_points", verbose_name=_("ambassador"))
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    activity = models.CharField(_("activity"), max_length=30, choices=Activity.choices)
    ref = models.CharField(_("about"), max_length=100)
    points = models.IntegerField(_("points"))
    awarded_at = models.DateTimeField(_("awarded"), auto_now_add=True)

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points ledger")
        constraints = [
            models.UniqueConstraint(fields=["activity", "ref"], name="programs_points_once"),
        ]
        indexes = [models.Index(fields=["region", "awarded_at"],
                                name="programs_points_board_idx")]

    def __str__(self):
        return f"{self.user}: {self.points} ({self.get_activity_display()})"


# --- Bug bounty ------------------------------------------------------------------------------

class Asset(models.Model):
    """A system named on the published scope: in scope (reports about it are welcome) or
    explicitly out of scope."""

    name = models.CharField(_("name"), max_length=200)
    in_scope = models.BooleanField(_("in scope"), default=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["-in_scope", "position", "name"]
        verbose_name = _("bug bounty asset")
        verbose_name_plural = _("bug bounty scope")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:security")


def _poc_path(instance, filename: str) -> str:
    return f"security/{uuid.uuid4().hex[:2]}/{filename}"


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class Report(models.Model):
    """A private security report: seen only by its reporter and the security team (the
    ``programs.handle_security_reports`` permission), see ``programs.selectors``."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        TRIAGED = "triaged", _("triaged")
        NEEDS_INFO = "needs_info", _("needs more information")
        ACCEPTED = "accepted", _("accepted")
        DUPLICATE = "duplicate", _("duplicate")
        NOT_APPLICABLE = "not_applicable", _("not applicable")
        FIXED = "fixed", _("fixed")
        REWARDED = "rewarded", _("rewarded")

    class Payout(models.TextChoices):
        NONE = "none", _("no reward")
        PENDING = "pending", _("payout pending")
        PAID = "paid", _("paid")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="security_reports", verbose_name=_("reporter"))
    title = models.CharField(_("title"), max_length=200)
    asset = models.ForeignKey(Asset, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="reports", verbose_name=_("affected asset"))
    asset_other = models.CharField(_("other asset"), max_length=200, blank=True)
    steps = models.TextField(_("steps to reproduce"))
    steps_html = models.TextField(editable=False)
    impact = models.TextField(_("impact"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices,
                                default=Severity.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.NEW)
    reward_amount = models.DecimalField(_("reward (USDT)"), max_digits=10, decimal_places=2,
                                        null=True, blank=True)
    payout_status = models.CharField(_("payout"), max_length=10, choices=Payout.choices,
                                     default=Payout.NONE)
    hall_of_fame = models.BooleanField(
        _("show me in the hall of fame"), default=False,
        help_text=_("If the report is accepted, your name appears in the public hall of "
                    "fame. The report itself always stays private."))
    poc = models.FileField(_("proof of concept"), storage=private_storage, max_length=200,
                           upload_to=_poc_path, blank=True)
    poc_name = models.CharField(_("file name"), max_length=200, blank=True)
    poc_content_type = models.CharField(_("file type"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("security report")
        verbose_name_plural = _("security reports")
        permissions = [("handle_security_reports", _("Can read and triage security reports"))]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("programs:report_detail", kwargs={"pk": self.pk})

    @property
    def asset_label(self) -> str:
        return self.asset.name if self.asset_id else self.asset_other


class ReportComment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments",
                               verbose_name=_("report"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    from_team = models.BooleanField(_("from the security team"), default=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")

    def __str__(self):
        return f"{self.report} · {self.author}"

    def get_absolute_url(self):
        return f"{self.report.get_absolute_url()}#comment-{self.pk}"


# --- Official channels -----------------------------------------------------------------------

class Channel(models.Model):
    """An official social account, listed per language at /programs/channels/."""

    class Platform(models.TextChoices):
        X = "x", "X (Twitter)"
        TELEGRAM = "telegram", "Telegram"
        DISCORD = "discord", "Discord"
        REDDIT = "reddit", "Reddit"
        YOUTUBE = "youtube", "YouTube"
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        TIKTOK = "tiktok", "TikTok"
        WEIBO = "weibo", _("Weibo")
        WECHAT = "wechat", _("WeChat")

    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the account is for, e.g. “Announcements”."))
    handle = models.CharField(_("handle"), max_length=100,
                              help_text=_("Exactly as shown on the platform, e.g. @okx."))
    url = models.URLField(_("address"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("listed"), default=True)

    class Meta:
        ordering = ["language", "position", "platform", "pk"]
        verbose_name = _("official channel")
        verbose_name_plural = _("official channels")

    def __str__(self):
        return f"{self.get_platform_display()} {self.handle}"

    def get_absolute_url(self):
        return reverse("programs:channels")
