"""Every non-trivial read of the programs. Who may see a security report is decided here, once
(``reports_visible``): lists, pages, files and comments all go through it."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import (
    Ambassador,
    Application,
    Asset,
    Channel,
    PointsEntry,
    Region,
    Report,
    ReportComment,
)

SECURITY_PERMISSION = "programs.handle_security_reports"
LEADERBOARD_SIZE = 50
REPORTS_PER_PAGE = 50
HALL_OF_FAME_STATUSES = [Report.Status.ACCEPTED, Report.Status.FIXED, Report.Status.REWARDED]


# --- Ambassadors -----------------------------------------------------------------------------

def application_open(*, user) -> Application | None:
    """``user``'s pending application, if any."""
    return Application.objects.filter(user=user, status=Application.Status.PENDING).first()


def application_latest(*, user) -> Application | None:
    """``user``'s most recent application, if any (None for a visitor)."""
    if not user.is_authenticated:
        return None
    return Application.objects.filter(user=user).first()


def ambassador_current(*, user) -> Ambassador | None:
    """``user``'s ambassador row if they are a current ambassador."""
    if not user.is_authenticated:
        return None
    return Ambassador.objects.filter(user=user, is_active=True).first()


def application_refusal(*, user) -> str | None:
    """Why ``user`` may not apply now (translated), or None: current ambassadors need not,
    and one open application at a time."""
    if ambassador_current(user=user) is not None:
        return _("You are already an ambassador.")
    if application_open(user=user) is not None:
        return _("You have already applied: we will tell you when your application has been "
                 "reviewed.")
    return None


def month_parse(value: str | None) -> date | None:
    """``YYYY-MM`` as the first day of that month; None for anything else."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", value or "")
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        return None
    return date(int(match[1]), int(match[2]), 1)


def month_options(*, count: int = 12) -> list[date]:
    """The current month and the ``count - 1`` before it, newest first."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1
    return [date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count)]


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(month, time.min), zone),
            timezone.make_aware(datetime.combine(following, time.min), zone))


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    username: str
    name: str
    points: int


def leaderboard(*, month: date, region: str = "") -> list[LeaderboardRow]:
    """The ambassadors with the most points earned in ``month`` (in ``region`` if given), in
    one query. Ties share a rank and are listed by handle."""
    start, end = _month_bounds(month)
    entries = PointsEntry.objects.filter(awarded_at__gte=start, awarded_at__lt=end)
    if region:
        entries = entries.filter(region=region)
    totals = (entries.values("user__username", "user__display_name")
              .annotate(total=Sum("points")).filter(total__gt=0)
              .order_by("-total", "user__username")[:LEADERBOARD_SIZE])
    rows, rank, previous = [], 0, None
    for position, row in enumerate(totals, start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        rows.append(LeaderboardRow(rank=rank, username=row["user__username"],
                                   name=row["user__display_name"] or row["user__username"],
                                   points=row["total"]))
    return rows


def points_total(*, user, month: date | None = None, region: str = "") -> int:
    """``user``'s points, in all or one month and region."""
    entries = PointsEntry.objects.filter(user=user)
    if month is not None:
        start, end = _month_bounds(month)
        entries = entries.filter(awarded_at__gte=start, awarded_at__lt=end)
    if region:
        entries = entries.filter(region=region)
    return entries.aggregate(total=Sum("points"))["total"] or 0


def region_valid(value: str | None) -> str:
    return value if value in Region.values else ""


# --- Bug bounty ------------------------------------------------------------------------------

def user_is_security_team(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active
                and user.has_perm(SECURITY_PERMISSION))


def security_team() -> QuerySet:
    """The active members of the security team, to notify."""
    permission = Permission.objects.filter(
        codename="handle_security_reports", content_type__app_label="programs").values("pk")
    User = get_user_model()
    holders = User.objects.filter(
        Q(is_superuser=True) | Q(groups__permissions__in=permission)
        | Q(user_permissions__in=permission), is_active=True).values("pk")
    return User.objects.filter(pk__in=holders).order_by("pk")


def reports_visible(*, user) -> QuerySet[Report]:
    """The reports ``user`` may see: their own, or every one for the security team; none for
    anyone else, staff included."""
    if user_is_security_team(user):
        return Report.objects.all()
    if user.is_authenticated and user.is_active:
        return Report.objects.filter(reporter=user)
    return Report.objects.none()


def reports_page(*, user, status: str = "", page: int | str = 1) -> Page:
    """One page (``REPORTS_PER_PAGE``) of the reports ``user`` may see, of ``status`` when
    it is one (others are ignored), newest first. Two queries whatever the number."""
    reports = reports_visible(user=user).select_related("reporter", "asset")
    if status in Report.Status.values:
        reports = reports.filter(status=status)
    return Paginator(reports, REPORTS_PER_PAGE).get_page(page)


def report_get(*, user, pk: int) -> Report:
    """The report, if ``user`` may see it; 404 otherwise (never a hint that it exists)."""
    return get_object_or_404(reports_visible(user=user).select_related("reporter", "asset"),
                             pk=pk)


def report_comments(*, report: Report) -> QuerySet[ReportComment]:
    return report.comments.select_related("author")


def scope_assets() -> tuple[list[Asset], list[Asset]]:
    """(in scope, out of scope), in their order."""
    assets = list(Asset.objects.all())
    return [a for a in assets if a.in_scope], [a for a in assets if not a.in_scope]


@dataclass(frozen=True)
class Researcher:
    name: str
    username: str
    reports: int


def hall_of_fame() -> list[Researcher]:
    """Researchers with at least one accepted report they chose to be credited for, most
    reports first."""
    rows = (Report.objects.filter(hall_of_fame=True, status__in=HALL_OF_FAME_STATUSES)
            .values("reporter__username", "reporter__display_name")
            .annotate(count=Count("pk")).order_by("-count", "reporter__username"))
    return [Researcher(name=row["reporter__display_name"] or row["reporter__username"],
                       username=row["reporter__username"], reports=row["count"])
            for row in rows]


# --- Official channels -----------------------------------------------------------------------

# Other addresses of the same service, so x.com/okx and twitter.com/okx are one account.
HOST_ALIASES = {"twitter.com": "x.com", "mobile.twitter.com": "x.com", "telegram.me": "t.me",
                "m.youtube.com": "youtube.com", "old.reddit.com": "reddit.com",
                "discordapp.com": "discord.com", "discord.gg": "discord.com/invite",
                "m.facebook.com": "facebook.com"}


def channel_key(value: str) -> str:
    """``value`` (a handle or address) reduced to compare: no scheme, ``www.``, ``@``,
    query, fragment or trailing slash, lower case, one host per service."""
    text = (value or "").strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/")
    text = text.removeprefix("www.")
    host, slash, path = text.partition("/")
    if slash:
        host = HOST_ALIASES.get(host, host)
        text = f"{host}/{path.removeprefix('@')}"
    return text.lstrip("@")


def channels_by_language() -> list[tuple[str, str, list[Channel]]]:
    """[(language code, language name, channels)] of the listed channels, in the settings'
    order of languages."""
    channels = list(Channel.objects.filter(is_active=True))
    return [(code, name, [c for c in channels if c.language == code])
            for code, name in settings.LANGUAGES
            if any(c.language == code for c in channels)]


def channel_lookup(*, value: str, channels: list[Channel]) -> list[Channel]:
    """The listed ``channels`` that ``value`` names: by exact address or by handle."""
    key = channel_key(value)
    if not key:
        return []
    return [channel for channel in channels
            if key in (channel_key(channel.url), channel_key(channel.handle))]
