"""The forum digest: a daily or weekly email of what happened, for members who ask for it.

Like Discourse's activity summary: the liveliest new topics since the last digest, in
categories and topics the member has not muted, and the topics they follow (opened before)
that have new replies. Beat runs ``digests_due`` every hour and queues one task per member;
each task re-checks under a row lock that the digest is still due, so a redelivered task sends
nothing twice. An empty digest is not sent, but the next one still starts from now.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum.models import Digest, TopicRead, Watch
from forum.selectors import topics_listed

Frequency = Digest.Frequency
PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# Beat runs hourly: a digest due within this margin goes now rather than an hour late.
SLACK = timedelta(minutes=30)
TOPICS_MAX = 10


@transaction.atomic
def digest_set(*, user, frequency: str) -> Digest:
    """Choose how often ``user`` gets the digest. The first one covers the period from now."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose never, daily or weekly."), code="frequency")
    digest, _created = Digest.objects.select_for_update().get_or_create(
        user=user, defaults={"frequency": frequency, "last_sent_at": timezone.now()})
    if digest.frequency != frequency:
        digest.frequency = frequency
        digest.save(update_fields=["frequency"])
    return digest


def digest_frequency(*, user) -> str:
    """``user``'s choice; never without a row."""
    return Digest.objects.filter(user=user).values_list("frequency", flat=True).first() \
        or Frequency.NEVER


def _due(now: datetime) -> Q:
    return Q(*[Q(frequency=frequency, last_sent_at__lte=now - period + SLACK)
               for frequency, period in PERIODS.items()], _connector=Q.OR)


def digests_due(*, now: datetime) -> list[int]:
    """The digests to send now, for active members with an email address."""
    return list(Digest.objects.filter(_due(now), user__is_active=True)
                .exclude(user__email="").order_by("pk").values_list("pk", flat=True))


def digest_content(*, user, since: datetime) -> dict:
    """What ``user``'s digest holds: ``topics``, the most replied-to topics started since
    ``since`` by others; ``followed``, the topics they opened before that have new posts since
    (each with ``unread_count``). Muted topics and categories are left out. Two queries."""
    muted = Watch.objects.filter(user=user, level=Watch.Level.MUTED)
    visible = topics_listed(user=user).exclude(
        Q(pk__in=muted.filter(topic__isnull=False).values("topic_id"))
        | Q(category__in=muted.filter(category__isnull=False).values("category_id")))
    topics = (visible.filter(created_at__gte=since).exclude(author=user)
              .select_related("author", "category")
              .order_by("-last_post_number", "-created_at")[:TOPICS_MAX])
    read = TopicRead.objects.filter(user=user, topic=OuterRef("pk")).values("last_read_number")
    followed = (visible.filter(last_posted_at__gte=since)
                .annotate(last_read_number=Subquery(read[:1]))
                .filter(last_read_number__lt=F("last_post_number"))
                .annotate(unread_count=F("last_post_number") - F("last_read_number"))
                .select_related("category").order_by("-last_posted_at")[:TOPICS_MAX])
    return {"topics": list(topics), "followed": list(followed)}


@transaction.atomic
def digest_send(*, digest_id: int, now: datetime | None = None) -> bool:
    """Send one member's digest if it is due and has something in it. Returns whether an
    email went out. Safe to run twice: the second run finds it no longer due."""
    now = now or timezone.now()
    digest = (Digest.objects.select_for_update().select_related("user")
              .filter(_due(now), pk=digest_id).first())
    if digest is None:
        return False
    user, since = digest.user, digest.last_sent_at
    digest.last_sent_at = now
    digest.save(update_fields=["last_sent_at"])
    if not user.is_active or not user.email:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        content = digest_content(user=user, since=since)
        if not content["topics"] and not content["followed"]:
            return False
        context = {**content, "user": user, "digest": digest, "site_url": settings.SITE_URL,
                   "settings_url": settings.SITE_URL + reverse("forum:digest")}
        subject = (_("[OKX Community] Your daily forum digest")
                   if digest.frequency == Frequency.DAILY
                   else _("[OKX Community] Your weekly forum digest"))
        send_mail(subject=subject, message=render_to_string("forum/email/digest.txt", context),
                  html_message=render_to_string("forum/email/digest.html", context),
                  from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[user.email])
    return True
